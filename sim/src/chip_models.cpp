// make_chip_sim(): the configuration name to the factory of its model library. Only the models
// of SYSTOLE_CHIP_CONFIGS are built (CMake defines SYSTOLE_CHIP_HAVE_<CFG> and
// SYSTOLE_CHIP_CONFIG_NAMES for them); the others answer BackendUnavailable.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "systole/driver/device.hpp"
#include "systole/golden/config.hpp"
#include "systole/sim/chip_sim.hpp"

#ifndef SYSTOLE_CHIP_CONFIG_NAMES
#error "SYSTOLE_CHIP_CONFIG_NAMES must list the built chip models (sim/CMakeLists.txt)"
#endif

namespace systole::sim {

// In the systole_chip_<cfg> libraries (chip_model.cpp).
std::unique_ptr<ChipSim> make_chip_sim_tiny(const ChipSimOptions& opts);
std::unique_ptr<ChipSim> make_chip_sim_fpga(const ChipSimOptions& opts);
std::unique_ptr<ChipSim> make_chip_sim_default(const ChipSimOptions& opts);

std::vector<std::string> chip_configs() { return {SYSTOLE_CHIP_CONFIG_NAMES}; }

std::unique_ptr<ChipSim> make_chip_sim(std::string_view config, const ChipSimOptions& opts) {
  const golden::Config& cfg = golden::Config::by_name(config);  // std::invalid_argument for unknown names
#if defined(SYSTOLE_CHIP_HAVE_TINY)
  if (config == "tiny") return make_chip_sim_tiny(opts);
#endif
#if defined(SYSTOLE_CHIP_HAVE_FPGA)
  if (config == "fpga") return make_chip_sim_fpga(opts);
#endif
#if defined(SYSTOLE_CHIP_HAVE_DEFAULT)
  if (config == "default") return make_chip_sim_default(opts);
#endif
  if (config == "tiny" || config == "fpga" || config == "default") {
    throw driver::BackendUnavailable(
        fmt::format("the RTL model of configuration '{}' was not built: this build has SYSTOLE_CHIP_CONFIGS={} "
                    "(reconfigure with -DSYSTOLE_CHIP_CONFIGS=\"tiny;fpga;default\" for every model)",
                    config, fmt::join(chip_configs(), ";")));
  }
  throw driver::BackendUnavailable(fmt::format(
      "the RTL backend has no model of configuration '{}' (Verilating its {}x{} array needs over 10 GB of memory); "
      "RTL models exist for: {}",
      config, cfg.partitions, cfg.columns, fmt::join(chip_configs(), ", ")));
}

}  // namespace systole::sim
