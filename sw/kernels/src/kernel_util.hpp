// Internal: what the kernels' plans, program builders and host functions share: rounding helpers,
// random operands, host-tensor checks, waits on an engine queue and the activation table's load.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "loop_dma.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/builder.hpp"

namespace systole::kernels::detail {

inline std::uint64_t align64(std::uint64_t x) { return (x + 63) & ~std::uint64_t{63}; }
inline std::uint32_t ceil_div(std::uint32_t a, std::uint32_t b) { return (a + b - 1) / b; }

// N(mean, sigma^2) elements rounded to `dtype` (bf16 or fp32).
driver::Tensor normal_tensor(std::mt19937_64& rng, golden::DType dtype, std::vector<std::uint64_t> shape, float mean,
                             float sigma);

// Throws KernelArgumentError "<kernel>: <what> is <t>: expected <dtype>[<shape>]" unless t is that.
void check_host_tensor(const char* kernel, const driver::Tensor& t, const char* what, golden::DType dtype,
                       const std::vector<std::uint64_t>& shape);

// Several waits before an instruction on `engine`'s queue: all but the last on NOPs; returns the
// last, for the instruction itself.
golden::Deps wait_all(golden::ProgramBuilder& b, std::uint8_t engine, const std::vector<golden::Deps>& waits);

// The activation's TABLE image (epilogue_aux_image) from DRAM `aux` into partition 0 at
// `sbuf_off` (the DMA signals `loaded`), then TABLE_LOAD into slot 0; nothing for an activation
// without a table. `loaded` must be the table's alone: TABLE_LOAD waits for a count of it, which
// another DMA's signal could otherwise make up before the table's last piece lands.
void emit_table_load(golden::ProgramBuilder& b, DmaEmitter& dma, const std::string& activation, std::uint32_t aux,
                     std::uint32_t sbuf_off, golden::Sem loaded);

}  // namespace systole::kernels::detail
