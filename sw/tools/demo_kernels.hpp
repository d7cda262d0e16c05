// systole-demo's vector-engine kernel lines (demo_kernels.cpp).
#pragma once

#include <cstdint>

#include "systole/driver/device.hpp"

namespace systole::tools {

// Runs one kernel of each family on `dev` and `gold`, prints a table; returns the failures.
int run_kernel_demo(driver::Device& dev, driver::Device& gold, std::uint64_t seed);

}  // namespace systole::tools
