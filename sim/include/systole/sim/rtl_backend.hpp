// The one call a binary makes to use the RTL backend: registers RtlDevice (rtl_device.hpp) as the
// driver's "rtl" backend, so that driver::make_device("rtl", cfg, opts) builds the Verilated
// chip of cfg (tiny, fpga, default) with DeviceOptions::dram_bytes of DRAM. Link systole_rtl.
// Call once, early (a second call is harmless). See systole/driver/backend_registry.hpp for why
// this is an explicit call.
#pragma once

namespace systole::sim {

void register_rtl_backend();

}  // namespace systole::sim
