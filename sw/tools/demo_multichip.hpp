// systole-demo's multi-chip lines (demo_multichip.cpp): a few collectives, the tensor-parallel
// MLP and the data-parallel gradient on the golden multi-chip system.
#pragma once

#include <cstdint>

#include "systole/golden/config.hpp"

namespace systole::tools {

// Prints a table; returns the failures. Chips of configuration `cfg` (no reductions without the
// vector engine).
int run_multichip_demo(const golden::Config& cfg, std::uint64_t seed);

}  // namespace systole::tools
