// Attention, flash form (docs/kernels.md section 8): O = softmax(scale * Q K^T [+ causal mask]) V
// per head, one query tile of C rows at a time against key blocks, the running max and sum of
// the online softmax carried across blocks: no Sq x Sk matrix ever leaves the chip.
//
// Layout: Q [Sq, H d], K and V [Sk, H d], O [Sq, H d], row-major bf16 (token-major, the heads
// side by side, as a projection writes them); O bf16 or fp32. d <= 256 and <= NMAX. Causal: key
// j is allowed for query i when j <= i; key blocks entirely after a query tile are skipped.
//
// Contract as every kernel (docs/kernels.md section 1): build_attention() checks the arguments
// (KernelArgumentError) and states its DRAM bytes; attention() runs it from host tensors;
// reference_attention() is bit-exact with the program; check_attention_float64() compares with
// float64 within the bound of section 8.4.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "systole/driver/device.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/config.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels {

struct AttentionParams {
  std::uint32_t heads = 1, sq = 0, sk = 0, d = 0;
  golden::DType out = golden::DType::kBf16;  // bf16 or fp32 (Q, K, V are bf16)
  float scale = 0.0f;                        // 0: 1 / sqrt(d)
  bool causal = false;
  float effective_scale() const;
};

struct AttentionAddrs {
  std::uint32_t q = 0, k = 0, v = 0, o = 0;
};

struct AttentionPlan {
  std::uint32_t bq = 0, bk = 0;  // query tile rows (C), key block (a multiple of P)
  std::uint32_t passes = 0;      // ceil(d / P): the contraction of Q K^T
  std::uint32_t q_tiles = 0, k_blocks = 0;
  std::uint64_t blocks = 0;  // (query tile, key block) pairs computed, all heads
  // SBUF (bytes per partition) and PSUM (word offsets) layout.
  std::uint32_t ident = 0, qt[2] = {0, 0}, kt[2] = {0, 0}, v[2] = {0, 0}, pb = 0, ptb = 0, oacc = 0;
  std::uint32_t ostage[2] = {0, 0}, work = 0, stats = 0, sbuf_used = 0;
  std::uint32_t ps_s[2] = {0, 0}, ps_pt = 0, ps_o = 0;
  std::string describe() const;
};

struct AttentionProgram {
  AttentionPlan plan;
  std::vector<golden::Instruction> instructions;
  std::vector<golden::EncodedInstruction> encoded;
  std::uint64_t dram_rd_bytes = 0, dram_wr_bytes = 0;  // section 8.3
  // The MACs of Q K^T and P V over the blocks computed (the transposes' MATMULs, which the MACS
  // counter also counts, excluded): what utilization is measured with.
  std::uint64_t useful_macs = 0;
  double utilization(const golden::Config& cfg, std::uint64_t cycles) const {
    return cycles ? static_cast<double>(useful_macs) / (static_cast<double>(cycles) * cfg.partitions * cfg.columns)
                  : 0.0;
  }
};

void validate_attention(const golden::Config& cfg, const AttentionParams& p);
AttentionPlan plan_attention(const golden::Config& cfg, const AttentionParams& p);
AttentionProgram build_attention(const golden::Config& cfg, const AttentionParams& p, const AttentionAddrs& a);

// Host tensors: q [Sq, H d], k and v [Sk, H d], bf16.
struct AttentionInputs {
  driver::Tensor q, k, v;
};
AttentionInputs random_attention_inputs(std::uint64_t seed, const AttentionParams& p);

struct AttentionHostResult {
  driver::Tensor o;
  AttentionProgram program;
  driver::RunResult result;
};
AttentionHostResult attention(driver::Device& dev, const AttentionParams& p, const AttentionInputs& in);

driver::Tensor reference_attention(const golden::Config& cfg, const AttentionParams& p, const AttentionInputs& in);

struct AttentionFloat64Check {
  std::uint64_t checked = 0, skipped = 0, violations = 0;
  double max_abs_error = 0, worst_ratio = 0;
  std::string first_violation;
  bool ok() const { return violations == 0; }
};
AttentionFloat64Check check_attention_float64(const golden::Config& cfg, const AttentionParams& p,
                                              const AttentionInputs& in, const driver::Tensor& o);

}  // namespace systole::kernels
