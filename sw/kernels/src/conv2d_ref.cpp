// conv2d: weight packing, random operands, the architectural reference, the float64 check and
// the host run (conv2d.hpp; docs/kernels.md section 11).
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <random>

#include "device_memory.hpp"
#include "kernel_util.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/conv2d.hpp"
#include "systole/kernels/gemm_check.hpp"

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

// Group g's im2col matrix [N OH OW, KH KW cstride] (tap-major, then channel; channels past
// cin_g up to cstride are zero) and its weights [KH KW cstride, cout_g] likewise.
Tensor im2col(const Conv2dParams& p, const Tensor& x, u32 g, u32 cstride) {
  const u32 OH = p.oh(), OW = p.ow(), cin_g = p.cin / p.groups, taps = p.kh * p.kw;
  Tensor a(DType::kBf16, {u64{p.n} * OH * OW, u64{taps} * cstride});
  for (u32 n = 0; n < p.n; ++n) {
    for (u32 oh = 0; oh < OH; ++oh) {
      for (u32 ow = 0; ow < OW; ++ow) {
        const u64 row = (u64{n} * OH + oh) * OW + ow;
        for (u32 kh = 0; kh < p.kh; ++kh) {
          for (u32 kw = 0; kw < p.kw; ++kw) {
            const std::int64_t ih = std::int64_t{oh} * p.stride_h - p.pad_top + std::int64_t{kh} * p.dil_h;
            const std::int64_t iw = std::int64_t{ow} * p.stride_w - p.pad_left + std::int64_t{kw} * p.dil_w;
            if (ih < 0 || iw < 0 || ih >= p.h || iw >= p.w) continue;
            const u64 src =
                ((u64{n} * p.h + static_cast<u64>(ih)) * p.w + static_cast<u64>(iw)) * p.cin + u64{g} * cin_g;
            const u64 col = u64{kh * p.kw + kw} * cstride;
            for (u32 c = 0; c < cin_g; ++c) a.set_raw(row, col + c, x.raw(src + c));
          }
        }
      }
    }
  }
  return a;
}

Tensor group_weights(const Conv2dParams& p, const Tensor& w, u32 g, u32 cstride) {
  const u32 cin_g = p.cin / p.groups, cout_g = p.cout / p.groups, taps = p.kh * p.kw;
  Tensor b(DType::kBf16, {u64{taps} * cstride, cout_g});
  for (u32 t = 0; t < taps; ++t)
    for (u32 c = 0; c < cin_g; ++c)
      for (u32 o = 0; o < cout_g; ++o)
        b.set_raw(u64{t} * cstride + c, o, w.raw((u64{t} * cin_g + c) * p.cout + u64{g} * cout_g + o));
  return b;
}

Tensor slice(const Tensor& v, u64 first, u64 n) {
  Tensor s(v.dtype(), {n});
  for (u64 i = 0; i < n; ++i) s.set_raw(i, v.raw(first + i));
  return s;
}

void check_shape(const Tensor& t, const char* what, DType dtype, std::vector<u64> shape) {
  detail::check_host_tensor("conv2d", t, what, dtype, shape);
}

}  // namespace

Tensor pack_conv2d_weights(const golden::Config& cfg, const Conv2dParams& p, const Tensor& w) {
  const Conv2dPlan pl = plan_conv2d(cfg, p);
  const u64 rows = u64{p.kh} * p.kw * pl.cin_g, block = u64{pl.gj} * cfg.columns;
  Tensor out(DType::kBf16, {rows * p.cout});
  u64 o = 0;
  for (u32 g = 0; g < p.groups; ++g) {
    for (u64 c0 = 0; c0 < pl.cout_g; c0 += block) {
      const u64 n = std::min<u64>(block, pl.cout_g - c0);
      for (u64 r = 0; r < rows; ++r)
        for (u64 c = 0; c < n; ++c) out.set_raw(o++, w.raw(r * p.cout + u64{g} * pl.cout_g + c0 + c));
    }
  }
  return out;
}

Conv2dInputs random_conv2d_inputs(std::uint64_t seed, const Conv2dParams& p) {
  std::mt19937_64 rng(seed);
  Conv2dInputs in;
  const u32 fan_in = p.kh * p.kw * (p.cin / p.groups);
  in.x = normal(rng, DType::kBf16, {p.n, p.h, p.w, p.cin}, 1.0f);
  in.w =
      normal(rng, DType::kBf16, {p.kh, p.kw, p.cin / p.groups, p.cout}, 1.0f / std::sqrt(static_cast<float>(fan_in)));
  if (p.bias) in.bias = normal(rng, p.bias_dtype, {p.cout}, 0.5f);
  return in;
}

Tensor reference_conv2d(const golden::Config& cfg, const Conv2dParams& p, const Conv2dInputs& in) {
  const Conv2dPlan pl = plan_conv2d(cfg, p);
  const u64 pixels = u64{p.n} * p.oh() * p.ow();
  const u32 cstride = pl.cpass * cfg.partitions;  // the chip's passes restart at every tap
  Tensor y(p.out, {p.n, p.oh(), p.ow(), p.cout});
  for (u32 g = 0; g < p.groups; ++g) {
    const Tensor acc =
        reference_gemm(cfg, im2col(p, in.x, g, cstride), group_weights(p, in.w, g, cstride), DType::kFp32);
    // Channels on lanes as on the chip: the bias is ACTIVATE's per-lane bias.
    EpilogueInputs e;
    e.activation = p.activation;
    if (p.bias) e.bias_row = slice(*in.bias, u64{g} * pl.cout_g, pl.cout_g);
    const Tensor yt = reference_epilogue(driver::transpose(acc), e, p.out);
    for (u64 o = 0; o < pl.cout_g; ++o)
      for (u64 px = 0; px < pixels; ++px) y.set_raw(px * p.cout + u64{g} * pl.cout_g + o, yt.raw(o, px));
  }
  return y;
}

EpilogueFloat64Check check_conv2d_float64(const Conv2dParams& p, const Conv2dInputs& in, const Tensor& y) {
  const u32 cin_g = p.cin / p.groups, cout_g = p.cout / p.groups;
  const u64 pixels = u64{p.n} * p.oh() * p.ow();
  EpilogueFloat64Check all;
  for (u32 g = 0; g < p.groups; ++g) {
    EpilogueInputs e;
    e.activation = p.activation;
    if (p.bias) e.bias_col = slice(*in.bias, u64{g} * cout_g, cout_g);
    Tensor yg(y.dtype(), {pixels, cout_g});
    for (u64 px = 0; px < pixels; ++px)
      for (u64 o = 0; o < cout_g; ++o) yg.set_raw(px, o, y.raw(px * p.cout + u64{g} * cout_g + o));
    const EpilogueFloat64Check c =
        check_fused_float64(im2col(p, in.x, g, cin_g), group_weights(p, in.w, g, cin_g), e, yg);
    all.checked += c.checked;
    all.skipped += c.skipped;
    all.max_abs_error = std::max(all.max_abs_error, c.max_abs_error);
    all.worst_ratio = std::max(all.worst_ratio, c.worst_ratio);
    if (!c.ok() && all.violations == 0) all.first_violation = fmt::format("group {}: {}", g, c.first_violation);
    all.violations += c.violations;
  }
  return all;
}

Conv2dHostResult conv2d(driver::Device& dev, const Conv2dParams& p, const Conv2dInputs& in) {
  const golden::Config& cfg = dev.config();
  validate_conv2d(cfg, p);
  check_shape(in.x, "x", DType::kBf16, {p.n, p.h, p.w, p.cin});
  check_shape(in.w, "w", DType::kBf16, {p.kh, p.kw, p.cin / p.groups, p.cout});
  if (p.bias != in.bias.has_value()) {
    throw KernelArgumentError(fmt::format("conv2d: the parameters say {} bias, the inputs have {}", p.bias ? "a" : "no",
                                          in.bias ? "one" : "none"));
  }
  if (in.bias) check_shape(*in.bias, "bias", p.bias_dtype, {p.cout});
  const std::vector<std::uint32_t> aux = epilogue_aux_image(p.activation);
  const Tensor wp = pack_conv2d_weights(cfg, p, in.w);
  // X, W, the bias and the table in one read-only allocation (each 64-byte aligned), Y in its own.
  detail::Allocations mem(dev);
  const detail::PackedRegion in_mem =
      detail::upload_packed(dev, mem,
                            {in.x.bytes(), wp.bytes(), in.bias ? in.bias->bytes() : std::span<const std::uint8_t>{},
                             detail::word_bytes(aux)});
  Conv2dAddrs a{in_mem.at[0], in_mem.at[1], in.bias ? in_mem.at[2] : 0u, in_mem.at[3], 0};
  const u64 yb = u64{p.n} * p.oh() * p.ow() * p.cout * golden::dtype_size(p.out);
  a.y = mem.alloc(yb);
  golden::Windows w{};
  w[0] = detail::window(in_mem.base, in_mem.bytes, false);
  w[1] = detail::window(a.y, yb, true);
  Conv2dHostResult r;
  r.program = build_conv2d(cfg, p, a);
  driver::RunOptions ro;
  ro.windows = w;
  r.result = dev.run(r.program.encoded, ro);
  r.y = dev.download(a.y, p.out, {p.n, p.oh(), p.ow(), p.cout});
  return r;
}

}  // namespace systole::kernels
