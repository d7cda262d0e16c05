// The `default` chip with the bench's DRAM (100-cycle read and write latency, 64 bytes per cycle
// shared by reads and writes: docs/performance.md), for the chip's performance tests.
#pragma once

#include <algorithm>
#include <memory>
#include <string>

#include "systole/sim/chip_sim.hpp"
#include "systole/sim/rtl_device.hpp"

namespace systole::verif {

// Null when this build has no `default` chip model (the caller skips).
inline std::unique_ptr<sim::RtlDevice> bench_default_chip() {
  const auto cfgs = sim::chip_configs();
  if (std::find(cfgs.begin(), cfgs.end(), "default") == cfgs.end()) return nullptr;
  sim::RtlOptions opts;
  opts.sim.axi.read_latency = 100;
  opts.sim.axi.write_latency = 100;
  opts.sim.axi.bytes_per_cycle = 64;
  return std::make_unique<sim::RtlDevice>("default", opts);
}

}  // namespace systole::verif
