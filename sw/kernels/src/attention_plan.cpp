// Attention, flash form: argument checks and the plan (attention.hpp; docs/kernels.md section 8).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "systole/kernels/attention.hpp"

namespace systole::kernels {

using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

constexpr u32 kMaxHeadDim = 256;

u64 align64(u64 x) { return (x + 63) & ~u64{63}; }
u32 ceil_div(u32 a, u32 b) { return (a + b - 1) / b; }

// SBUF bytes per partition for key blocks of bk.
u64 sbuf_need(const golden::Config& cfg, const AttentionParams& p, u32 bk) {
  const u32 P = cfg.partitions, C = cfg.columns, passes = ceil_div(p.d, P);
  return align64(u64{C} * 2) + 2 * align64(u64{passes} * C * 2) + 2 * align64(u64{passes} * bk * 2) +
         2 * align64(u64{ceil_div(bk, P)} * p.d * 2) + 2 * align64(u64{bk} * 2) + align64(u64{p.d} * 4) +
         2 * align64(u64{p.d} * golden::dtype_size(p.out)) + align64(u64{bk} * 4) + 64;
}

}  // namespace

float AttentionParams::effective_scale() const {
  return scale != 0.0f ? scale : static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
}

void validate_attention(const golden::Config& cfg, const AttentionParams& p) {
  auto fail = [](const std::string& m) { throw KernelArgumentError("attention: " + m); };
  if (!cfg.vector_engine)
    fail(fmt::format("configuration '{}' has no vector engine: expected fpga, default or large", cfg.name));
  if (!cfg.bf16) fail(fmt::format("configuration '{}' has no bf16 on its tensor engine", cfg.name));
  if (cfg.partitions != cfg.columns) fail("the array must be square (P = C): query tiles transpose on it");
  if (p.heads == 0 || p.sq == 0 || p.sk == 0 || p.d == 0) {
    fail(fmt::format("heads = {}, sq = {}, sk = {}, d = {}: each must be at least 1", p.heads, p.sq, p.sk, p.d));
  }
  if (p.d > std::min(kMaxHeadDim, cfg.nmax)) {
    fail(fmt::format("head dimension d = {}: expected at most {} on configuration '{}'", p.d,
                     std::min(kMaxHeadDim, cfg.nmax), cfg.name));
  }
  if (p.out != DType::kBf16 && p.out != DType::kFp32) {
    fail(fmt::format("output dtype {}: expected bf16 or fp32", golden::dtype_name(p.out)));
  }
  if (!std::isfinite(p.scale) || p.scale < 0)
    fail(fmt::format("scale = {}: expected 0 (1/sqrt(d)) or a finite value > 0", p.scale));
  const u64 row = u64{p.heads} * p.d;
  if (row * std::max(p.sq, p.sk) * 4 >= (u64{1} << 31)) fail("the tensors need more than 2 GiB: expected less");
  if (sbuf_need(cfg, p, cfg.partitions) > cfg.sbuf_bytes) {
    fail(fmt::format("head dimension d = {} does not fit in the {} bytes of SBUF per partition of '{}'", p.d,
                     cfg.sbuf_bytes, cfg.name));
  }
}

AttentionPlan plan_attention(const golden::Config& cfg, const AttentionParams& p) {
  validate_attention(cfg, p);
  const u32 P = cfg.partitions, C = cfg.columns, W = cfg.psum_bytes / 4;
  AttentionPlan r;
  r.bq = C;
  r.passes = ceil_div(p.d, P);
  // Key block: a multiple of P within NMAX, 512 and the PSUM (two S slots, the transposed P and
  // the O block), as long as SBUF holds its slots.
  u32 bk = std::min({cfg.nmax, 512u, (W - p.d) / 3}) / P * P;
  bk = std::min<u32>(bk, ceil_div(p.sk, P) * P);
  while (bk > P && sbuf_need(cfg, p, bk) > cfg.sbuf_bytes) bk -= P;
  r.bk = std::max(bk, P);
  r.q_tiles = ceil_div(p.sq, r.bq);
  r.k_blocks = ceil_div(p.sk, r.bk);
  for (u32 qt = 0; qt < r.q_tiles; ++qt) {
    const u32 q_last = std::min(p.sq, (qt + 1) * r.bq) - 1;
    r.blocks += p.causal ? std::min(r.k_blocks, q_last / r.bk + 1) : r.k_blocks;
  }
  r.blocks *= p.heads;
  u64 off = 0;
  auto take = [&](u32& field, u64 bytes) {
    field = static_cast<u32>(off);
    off += align64(bytes);
  };
  take(r.stats, 64);
  take(r.ident, u64{C} * 2);
  for (u32& x : r.qt) take(x, u64{r.passes} * C * 2);
  for (u32& x : r.kt) take(x, u64{r.passes} * r.bk * 2);
  for (u32& x : r.v) take(x, u64{ceil_div(r.bk, P)} * p.d * 2);
  take(r.pb, u64{r.bk} * 2);
  take(r.ptb, u64{r.bk} * 2);
  take(r.oacc, u64{p.d} * 4);
  for (u32& x : r.ostage) take(x, u64{p.d} * golden::dtype_size(p.out));
  take(r.work, u64{r.bk} * 4);
  r.sbuf_used = static_cast<u32>(off);
  r.ps_s[0] = 0;
  r.ps_s[1] = r.bk;
  r.ps_pt = 2 * r.bk;
  r.ps_o = 3 * r.bk;
  return r;
}

std::string AttentionPlan::describe() const {
  return fmt::format("query tiles of {} rows, key blocks of {} ({} x {}; {} blocks computed), Q K^T in {} passes, {} "
                     "bytes of SBUF per partition",
                     bq, bk, q_tiles, k_blocks, blocks, passes, sbuf_used);
}

}  // namespace systole::kernels
