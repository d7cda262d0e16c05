// systole-kernel-bench's tables for the composed kernels (kernel_bench_blocks.cpp): the MLP block
// against its roofline (docs/kernels.md section 9), conv2d on ResNet-50's layers (section 11) and
// encoder layers stage by stage (section 10).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "systole/kernels/conv2d.hpp"
#include "systole/sim/rtl_device.hpp"

namespace systole::tools {

struct BenchVerdict {
  bool ok = true;    // every result bit-exact and within its float64 bound
  bool fast = true;  // every run at or above its floor
};

// Shapes "TxDxF"; a run is fast when it reaches `min_of_bound` of max(compute, DRAM) cycles.
BenchVerdict bench_mlp(sim::RtlDevice& dev, const std::vector<std::string>& shapes, std::uint64_t& seed,
                       double min_of_bound, double dram_bytes_per_cycle);

// conv2d on ResNet-50's layers (names of systole conv2d's presets, batch `batch`): cycles
// against the roofline; fast when every layer reaches `min_of_roofline`.
BenchVerdict bench_conv2d(sim::RtlDevice& dev, const std::vector<std::string>& layers, std::uint32_t batch,
                          std::uint64_t& seed, double min_of_roofline, double dram_bytes_per_cycle);
// The ResNet-50 layers the bench knows, as conv2d parameters (batch 1); empty for an unknown name.
std::optional<kernels::Conv2dParams> resnet50_layer(const std::string& name);

// Encoder layers "SxDxHxF" (or "bert-base-layer"): cycles per stage and utilization.
BenchVerdict bench_encoder(sim::RtlDevice& dev, const std::vector<std::string>& shapes, std::uint64_t& seed);

// "TxDxF" as three numbers (std::invalid_argument naming what was wrong otherwise).
std::vector<std::uint32_t> parse_dims(const std::string& s, std::size_t count);

}  // namespace systole::tools
