// make_chip_sim(): the configuration name to the factory of its model library.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "chip_sim.hpp"
#include "systole/driver/device.hpp"
#include "systole/golden/config.hpp"

namespace systole::verif {

// In the systole_chip_<cfg> libraries (chip_model.cpp).
std::unique_ptr<ChipSim> make_chip_sim_tiny(const ChipSimOptions& opts);
std::unique_ptr<ChipSim> make_chip_sim_fpga(const ChipSimOptions& opts);
std::unique_ptr<ChipSim> make_chip_sim_default(const ChipSimOptions& opts);

std::vector<std::string> chip_configs() { return {"tiny", "fpga", "default"}; }

std::unique_ptr<ChipSim> make_chip_sim(std::string_view config, const ChipSimOptions& opts) {
  (void)golden::Config::by_name(config);  // std::invalid_argument for names that are no configuration
  if (config == "tiny") return make_chip_sim_tiny(opts);
  if (config == "fpga") return make_chip_sim_fpga(opts);
  if (config == "default") return make_chip_sim_default(opts);
  throw driver::BackendUnavailable(fmt::format(
      "the RTL backend has no model of configuration '{}' (Verilating its {}x{} array needs over 10 GB of memory); "
      "RTL models exist for: {}",
      config, golden::Config::by_name(config).partitions, golden::Config::by_name(config).columns,
      fmt::join(chip_configs(), ", ")));
}

}  // namespace systole::verif
