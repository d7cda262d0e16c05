// systole-kernel-bench's tables for the composed kernels (kernel_bench_blocks.cpp): the MLP block
// against its roofline (docs/kernels.md section 9) and encoder layers stage by stage (section 10).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "systole/sim/rtl_device.hpp"

namespace systole::tools {

struct BenchVerdict {
  bool ok = true;    // every result bit-exact and within its float64 bound
  bool fast = true;  // every run at or above its floor
};

// Shapes "TxDxF"; a run is fast when it reaches `min_of_bound` of max(compute, DRAM) cycles.
BenchVerdict bench_mlp(sim::RtlDevice& dev, const std::vector<std::string>& shapes, std::uint64_t& seed,
                       double min_of_bound, double dram_bytes_per_cycle);

// Encoder layers "SxDxHxF" (or "bert-base-layer"): cycles per stage and utilization.
BenchVerdict bench_encoder(sim::RtlDevice& dev, const std::vector<std::string>& shapes, std::uint64_t& seed);

// "TxDxF" as three numbers (std::invalid_argument naming what was wrong otherwise).
std::vector<std::uint32_t> parse_dims(const std::string& s, std::size_t count);

}  // namespace systole::tools
