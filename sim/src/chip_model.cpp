// One chip model's ChipSim factory. Each systole_chip_<cfg> library compiles this file against
// its own Verilated model (CHIP_MODEL, CHIP_MODEL_HEADER, CHIP_CFG, CHIP_AXI_BITS and
// CHIP_FACTORY = make_chip_sim_<cfg> come from CMake); chip_sim.cpp dispatches by name.
#include CHIP_MODEL_HEADER
#include "chip_sim_impl.hpp"

namespace systole::sim {

std::unique_ptr<ChipSim> CHIP_FACTORY(const ChipSimOptions& opts);

std::unique_ptr<ChipSim> CHIP_FACTORY(const ChipSimOptions& opts) {
  return std::make_unique<ChipSimImpl<CHIP_MODEL, CHIP_AXI_BITS>>(CHIP_CFG, opts);
}

}  // namespace systole::sim
