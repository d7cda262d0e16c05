// Attention: the architectural reference, random inputs, the float64 check and the host run
// (attention.hpp; docs/kernels.md section 8).
#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <random>

#include "device_memory.hpp"
#include "systole/golden/activation.hpp"
#include "systole/golden/element.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/attention.hpp"
#include "systole/kernels/gemm_check.hpp"

namespace systole::kernels {

using driver::Tensor;
using golden::DType;
namespace num = golden::num;
using num::f32_bits;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

constexpr f32_bits kF32Max = 0x7F7FFFFFu, kF32One = 0x3F800000u, kF32MinNormal = 0x00800000u;
constexpr f32_bits kMaskValue = 0xFF61B1E6u;

f32_bits via(f32_bits v) { return golden::elem::to_f32(DType::kFp32, golden::elem::from_f32(DType::kFp32, v)); }

// Rows [r0, r0 + n) of head h of a [S, H d] tensor as an [n, d] matrix.
Tensor head_rows(const Tensor& t, const AttentionParams& p, u32 h, u32 r0, u32 n) {
  Tensor m(t.dtype(), {n, p.d});
  const u64 ld = u64{p.heads} * p.d;
  for (u32 r = 0; r < n; ++r)
    for (u32 j = 0; j < p.d; ++j) m.set_raw(u64{r}, u64{j}, t.raw((u64{r0} + r) * ld + u64{h} * p.d + j));
  return m;
}

Tensor transposed(const Tensor& t) { return driver::transpose(t); }

}  // namespace

Tensor reference_attention(const golden::Config& cfg, const AttentionParams& p, const AttentionInputs& in) {
  const AttentionPlan pl = plan_attention(cfg, p);
  const f32_bits s = std::bit_cast<f32_bits>(p.effective_scale());
  Tensor o(p.out, {p.sq, u64{p.heads} * p.d});
  for (u32 h = 0; h < p.heads; ++h) {
    for (u32 qt = 0; qt < pl.q_tiles; ++qt) {
      const u32 q0 = qt * pl.bq, nq = std::min(pl.bq, p.sq - q0);
      const u32 kb_end = p.causal ? std::min(pl.k_blocks, (q0 + nq - 1) / pl.bk + 1) : pl.k_blocks;
      const Tensor q = head_rows(in.q, p, h, q0, nq);
      std::vector<f32_bits> m(nq), b(nq), sum(nq), corr(nq);
      std::vector<f32_bits> acc(u64{nq} * p.d);
      for (u32 kb = 0; kb < kb_end; ++kb) {
        const u32 k0 = kb * pl.bk, nk = std::min(pl.bk, p.sk - k0);
        // S = Q K^T with the GEMM's accumulation (d in passes of P), P = exp(s S + b) in bf16.
        const Tensor sc = reference_gemm(cfg, q, transposed(head_rows(in.k, p, h, k0, nk)), DType::kFp32);
        Tensor pb(DType::kBf16, {nq, nk});
        for (u32 l = 0; l < nq; ++l) {
          std::vector<f32_bits> v(nk);
          for (u32 j = 0; j < nk; ++j) {
            v[j] = golden::elem::to_f32(DType::kFp32, sc.raw(u64{l}, u64{j}));
            if (p.causal && k0 + j > q0 + l) v[j] = via(num::f32_add(kMaskValue, v[j]));
            else if (p.causal && k0 + nk - 1 > q0) v[j] = via(num::f32_add(0x80000000u, v[j]));  // -0 + S
          }
          f32_bits mc = v[0];
          for (u32 j = 1; j < nk; ++j) mc = num::f32_max(mc, v[j]);
          const f32_bits mn = kb == 0 ? mc : via(num::f32_max(m[l], mc));
          b[l] = via(num::f32_min(num::f32_mul(mn, s ^ 0x80000000u), kF32Max));
          if (kb > 0) corr[l] = via(golden::act::exp(num::f32_add(num::f32_mul(m[l], s), b[l])));
          f32_bits part = 0;
          for (u32 j = 0; j < nk; ++j) {
            const f32_bits e = golden::act::exp(num::f32_add(num::f32_mul(v[j], s), b[l]));
            part = j == 0 ? e : num::f32_add(part, e);
            pb.set_raw(u64{l}, u64{j}, golden::elem::from_f32(DType::kBf16, e));
          }
          part = via(part);
          sum[l] = kb == 0 ? part : via(num::f32_add(num::f32_mul(sum[l], corr[l]), part));
          m[l] = mn;
        }
        // O_block = P V (keys in passes of P), merged into the accumulator.
        const Tensor ob = reference_gemm(cfg, pb, head_rows(in.v, p, h, k0, nk), DType::kFp32);
        for (u32 l = 0; l < nq; ++l) {
          for (u32 j = 0; j < p.d; ++j) {
            f32_bits& a = acc[u64{l} * p.d + j];
            const f32_bits x = golden::elem::to_f32(DType::kFp32, ob.raw(u64{l}, u64{j}));
            a = kb == 0 ? via(x) : via(num::f32_add(via(num::f32_mul(a, corr[l])), x));
          }
        }
      }
      for (u32 l = 0; l < nq; ++l) {
        const f32_bits r = via(golden::act::recip(num::f32_add(num::f32_mul(sum[l], kF32One), kF32MinNormal)));
        for (u32 j = 0; j < p.d; ++j) {
          o.set_raw((u64{q0} + l) * p.heads * p.d + u64{h} * p.d + j,
                    golden::elem::from_f32(p.out, num::f32_mul(acc[u64{l} * p.d + j], r)));
        }
      }
    }
  }
  return o;
}

AttentionInputs random_attention_inputs(std::uint64_t seed, const AttentionParams& p) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n01(0.0f, 1.0f);
  auto make = [&](u32 rows) {
    Tensor t(DType::kBf16, {rows, u64{p.heads} * p.d});
    for (std::size_t i = 0; i < t.size(); ++i) t.set_raw(i, num::f32_to_bf16(std::bit_cast<f32_bits>(n01(rng))));
    return t;
  };
  AttentionInputs in;
  in.q = make(p.sq);
  in.k = make(p.sk);
  in.v = make(p.sk);
  return in;
}

AttentionFloat64Check check_attention_float64(const golden::Config& cfg, const AttentionParams& p,
                                              const AttentionInputs& in, const Tensor& o) {
  const AttentionPlan pl = plan_attention(cfg, p);
  const double s = p.effective_scale(), u = 0x1p-24;
  const u64 ld = u64{p.heads} * p.d;
  AttentionFloat64Check ck;
  std::vector<double> t(p.sk), w(p.sk);
  for (u32 h = 0; h < p.heads; ++h) {
    for (u32 i = 0; i < p.sq; ++i) {
      double tmax = -INFINITY, a = 0;
      const u32 keys = p.causal ? std::min(p.sk, i + 1) : p.sk;
      for (u32 j = 0; j < keys; ++j) {
        double dot = 0;
        for (u32 f = 0; f < p.d; ++f)
          dot += in.q.value(u64{i} * ld + h * p.d + f) * in.k.value(u64{j} * ld + h * p.d + f);
        t[j] = s * dot;
        tmax = std::max(tmax, t[j]);
        a = std::max(a, std::fabs(t[j]));
      }
      double z = 0;
      for (u32 j = 0; j < keys; ++j) z += (w[j] = std::exp(t[j] - tmax));
      // docs/kernels.md section 8.4: P in bf16 (2^-8 relative), the exponentials and the online
      // sum (as the online softmax, per block), the products of P V, the reciprocal.
      const double rel = 0x1p-8 + 2 * (8 * a + keys + 6.0 * pl.k_blocks + p.d + 20) * u;
      for (u32 f = 0; f < p.d; ++f) {
        double y = 0, mag = 0;
        for (u32 j = 0; j < keys; ++j) {
          const double v = in.v.value(u64{j} * ld + h * p.d + f);
          y += w[j] * v;
          mag += w[j] * std::fabs(v);
        }
        y /= z;
        mag /= z;
        const double h_out = p.out == DType::kBf16 ? 0x1p-8 : u;
        const double bound = rel * mag * (1 + h_out) + h_out * std::fabs(y) + 0x1p-126;
        const double got = o.value(u64{i} * ld + h * p.d + f);
        const double err = std::isnan(got) ? INFINITY : std::fabs(got - y);
        ++ck.checked;
        ck.max_abs_error = std::max(ck.max_abs_error, err);
        ck.worst_ratio = std::max(ck.worst_ratio, err / bound);
        if (!(err <= bound) && ck.violations++ == 0) {
          ck.first_violation = fmt::format("head {} query {} feature {}: got {:.9g}, float64 {:.9g}, error {:.3g} > "
                                           "bound {:.3g}",
                                           h, i, f, got, y, err, bound);
        }
      }
    }
  }
  return ck;
}

AttentionHostResult attention(driver::Device& dev, const AttentionParams& p, const AttentionInputs& in) {
  validate_attention(dev.config(), p);
  const u64 ld = u64{p.heads} * p.d;
  auto check = [&](const Tensor& t, const char* what, u32 rows) {
    if (t.dtype() != DType::kBf16 || t.shape() != std::vector<u64>{rows, ld}) {
      throw KernelArgumentError(
          fmt::format("attention: {} is {}: expected bf16[{}, {}] (tokens, heads x d)", what, t.describe(), rows, ld));
    }
  };
  check(in.q, "q", p.sq);
  check(in.k, "k", p.sk);
  check(in.v, "v", p.sk);
  AttentionAddrs a;
  detail::Allocations mem(dev);
  auto alloc = [&](u64 bytes) { return mem.alloc(bytes); };
  a.q = alloc(in.q.bytes().size());
  a.k = alloc(in.k.bytes().size());
  a.v = alloc(in.v.bytes().size());
  const u64 ob = u64{p.sq} * ld * golden::dtype_size(p.out);
  a.o = alloc(ob);
  dev.upload(a.q, in.q);
  dev.upload(a.k, in.k);
  dev.upload(a.v, in.v);
  golden::Windows w{};
  const auto win = detail::window;
  w[0] = win(a.q, in.q.bytes().size(), false);
  w[1] = win(a.k, in.k.bytes().size(), false);
  w[2] = win(a.v, in.v.bytes().size(), false);
  w[3] = win(a.o, ob, true);
  AttentionHostResult r;
  r.program = build_attention(dev.config(), p, a);
  driver::RunOptions ro;
  ro.windows = w;
  r.result = dev.run(r.program.encoded, ro);
  r.o = dev.download(a.o, p.out, {p.sq, ld});
  return r;
}

}  // namespace systole::kernels
