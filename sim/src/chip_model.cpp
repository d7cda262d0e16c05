// One chip model's ChipSim factory. Each systole_chip_<cfg> library compiles this file against
// its own Verilated model (SYSTOLE_MODEL, SYSTOLE_MODEL_HEADER and SYSTOLE_MODEL_CONFIG from
// systole_verilated_model(), cmake/Systole.cmake) under the name CHIP_FACTORY = make_chip_sim_<cfg>;
// chip_models.cpp dispatches by name. The AXI width comes from the configuration at run time.
#include SYSTOLE_MODEL_HEADER
#include SYSTOLE_MODEL_ROOT_HEADER  // chip_top's tl_events (public_flat_rd) for the timeline
#include "chip_sim_impl.hpp"
#include "systole/golden/config.hpp"

namespace systole::sim {

std::unique_ptr<ChipSim> CHIP_FACTORY(const ChipSimOptions& opts);

std::unique_ptr<ChipSim> CHIP_FACTORY(const ChipSimOptions& opts) {
  const golden::Config cfg = golden::Config::by_name(SYSTOLE_MODEL_CONFIG);
  return std::make_unique<ChipSimImpl<SYSTOLE_MODEL>>(cfg.name, cfg.axi_data_bits, opts);
}

}  // namespace systole::sim
