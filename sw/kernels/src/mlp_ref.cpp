// The MLP block: random inputs, the architectural reference, the float64 check and the host run
// (mlp.hpp; docs/kernels.md section 9).
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>

#include "device_memory.hpp"
#include "kernel_util.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::kernels {

using driver::Tensor;
using golden::DType;
namespace num = golden::num;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

Tensor normal(std::mt19937_64& rng, DType dtype, std::vector<u64> shape, float sigma) {
  return detail::normal_tensor(rng, dtype, std::move(shape), 0.0f, sigma);
}

void check_shape(const Tensor& t, const char* what, DType dtype, std::vector<u64> shape) {
  detail::check_host_tensor("mlp", t, what, dtype, shape);
}

}  // namespace

Tensor pack_weight_columns(const Tensor& w, u32 block_cols) {
  const u64 rows = w.shape().at(0), cols = w.shape().at(1);
  Tensor out(w.dtype(), {rows * cols});
  u64 o = 0;
  for (u64 c0 = 0; c0 < cols; c0 += block_cols) {
    const u64 n = std::min<u64>(block_cols, cols - c0);
    for (u64 r = 0; r < rows; ++r)
      for (u64 c = 0; c < n; ++c) out.set_raw(o++, w.raw(r, c0 + c));
  }
  return out;
}

MlpPackedWeights pack_mlp_weights(const golden::Config& cfg, const MlpPlan& plan, const Tensor& w1, const Tensor& w2) {
  return MlpPackedWeights{pack_weight_columns(w1, plan.g1 * cfg.partitions),
                          pack_weight_columns(w2, plan.g2 * cfg.partitions)};
}

MlpInputs random_mlp_inputs(std::uint64_t seed, const MlpParams& p) {
  std::mt19937_64 rng(seed);
  MlpInputs in;
  // Weights scaled as an initialization would (1 / sqrt(fan-in)), so values stay O(1).
  in.x = normal(rng, DType::kBf16, {p.tokens, p.d}, 1.0f);
  in.w1 = normal(rng, DType::kBf16, {p.d, p.f}, 1.0f / std::sqrt(static_cast<float>(p.d)));
  in.b1 = normal(rng, p.bias, {p.f}, 0.5f);
  in.w2 = normal(rng, DType::kBf16, {p.f, p.d}, 1.0f / std::sqrt(static_cast<float>(p.f)));
  in.b2 = normal(rng, p.bias, {p.d}, 0.5f);
  return in;
}

MlpReference reference_mlp(const golden::Config& cfg, const MlpParams& p, const MlpInputs& in) {
  validate_mlp(cfg, p);
  // Feature-major as the chip computes: the biases are per-lane (ACTIVATE's bias), the residual
  // X^T; the accumulations are the GEMM's (the contraction in passes of P either way).
  EpilogueInputs e1;
  e1.bias_row = in.b1;
  e1.activation = p.activation;
  MlpReference r;
  const Tensor acc1 = reference_gemm(cfg, in.x, in.w1, DType::kFp32);
  r.h = driver::transpose(reference_epilogue(driver::transpose(acc1), e1, DType::kBf16));
  EpilogueInputs e2;
  e2.bias_row = in.b2;
  if (p.residual) e2.residual = driver::transpose(in.x);
  const Tensor acc2 = reference_gemm(cfg, r.h, in.w2, DType::kFp32);
  r.y = driver::transpose(reference_epilogue(driver::transpose(acc2), e2, p.out));
  return r;
}

MlpFloat64Check check_mlp_float64(const MlpParams& p, const MlpInputs& in, const MlpReference& ref, const Tensor& y) {
  EpilogueInputs e1;
  e1.bias_col = in.b1;
  e1.activation = p.activation;
  EpilogueInputs e2;
  e2.bias_col = in.b2;
  if (p.residual) e2.residual = in.x;
  MlpFloat64Check ck;
  ck.h = check_fused_float64(in.x, in.w1, e1, ref.h);
  ck.y = check_fused_float64(ref.h, in.w2, e2, y);
  return ck;
}

EpilogueFloat64Check MlpFloat64Check::combined() const {
  EpilogueFloat64Check c;
  c.checked = h.checked + y.checked;
  c.skipped = h.skipped + y.skipped;
  c.violations = h.violations + y.violations;
  c.max_abs_error = std::max(h.max_abs_error, y.max_abs_error);
  c.worst_ratio = std::max(h.worst_ratio, y.worst_ratio);
  c.first_violation = !h.ok() ? "H: " + h.first_violation : !y.ok() ? "Y: " + y.first_violation : std::string();
  return c;
}

MlpHostResult mlp(driver::Device& dev, const MlpParams& p, const MlpInputs& in) {
  validate_mlp(dev.config(), p);
  check_shape(in.x, "x", DType::kBf16, {p.tokens, p.d});
  check_shape(in.w1, "w1", DType::kBf16, {p.d, p.f});
  check_shape(in.b1, "b1", p.bias, {p.f});
  check_shape(in.w2, "w2", DType::kBf16, {p.f, p.d});
  check_shape(in.b2, "b2", p.bias, {p.d});
  const std::vector<std::uint32_t> aux = epilogue_aux_image(p.activation);
  const MlpPackedWeights packed = pack_mlp_weights(dev.config(), plan_mlp(dev.config(), p), in.w1, in.w2);
  // The inputs in one read-only allocation (each 64-byte aligned), Y in its own.
  detail::Allocations mem(dev);
  const detail::PackedRegion in_mem = detail::upload_packed(
      dev, mem,
      {in.x.bytes(), packed.w1.bytes(), in.b1.bytes(), packed.w2.bytes(), in.b2.bytes(), detail::word_bytes(aux)});
  MlpAddrs a{in_mem.at[0], in_mem.at[1], in_mem.at[2], in_mem.at[3], in_mem.at[4], in_mem.at[5], 0};
  const u64 yb = u64{p.tokens} * p.d * golden::dtype_size(p.out);
  a.y = mem.alloc(yb);
  golden::Windows w{};
  w[0] = detail::window(in_mem.base, in_mem.bytes, false);
  w[1] = detail::window(a.y, yb, true);
  MlpHostResult r;
  r.program = build_mlp(dev.config(), p, a);
  driver::RunOptions ro;
  ro.windows = w;
  r.result = dev.run(r.program.encoded, ro);
  r.y = dev.download(a.y, p.out, {p.tokens, p.d});
  return r;
}

}  // namespace systole::kernels
