// The GEMM's fused epilogue: checks, SBUF plan, the table image and the architectural reference
// (gemm_epilogue.hpp; docs/kernels.md section 7).
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "gemm_epilogue_emit.hpp"
#include "systole/driver/activations.hpp"
#include "systole/golden/element.hpp"
#include "systole/golden/numerics.hpp"

namespace systole::kernels {

using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
namespace num = golden::num;

namespace {

u64 align64(u64 x) { return (x + 63) & ~u64{63}; }
bool is_float_operand(DType t) { return t == DType::kBf16 || t == DType::kFp32; }

// The activation as ACTIVATE runs it: identity or a named one (KernelArgumentError otherwise).
driver::Activation activation_of(const std::string& name) {
  if (name == "identity") return driver::Activation{"identity", golden::ActFunc::kIdentity, std::nullopt, "all"};
  try {
    return driver::activation(name);
  } catch (const std::invalid_argument& e) {
    throw GemmArgumentError(fmt::format("gemm: activation '{}' is not known: expected identity or {}", name, [] {
      std::string s;
      for (const auto& a : driver::activations()) s += (s.empty() ? "" : ", ") + a.name;
      return s;
    }()));
  }
}

}  // namespace

std::vector<std::uint32_t> epilogue_aux_image(const std::string& activation) {
  const driver::Activation a = activation_of(activation);
  return a.table ? a.table->to_words() : std::vector<std::uint32_t>{};
}

namespace detail {

GemmEpilogue transpose_epilogue(const GemmEpilogue& e) {
  GemmEpilogue t = e;
  std::swap(t.bias_col, t.bias_row);
  if (t.residual) {
    t.residual->layout = t.residual->layout == Layout::kRowMajor ? Layout::kColMajor : Layout::kRowMajor;
  }
  return t;
}

void validate_epilogue(const golden::Config& cfg, const GemmSpec& s, u64 dram) {
  const GemmEpilogue& e = *s.epilogue;
  auto fail = [](const std::string& msg) { throw GemmArgumentError("gemm: " + msg); };
  if (!std::isfinite(e.alpha)) fail(fmt::format("epilogue scale alpha = {}: expected a finite value", e.alpha));
  (void)cfg;
  const u64 words = epilogue_aux_image(e.activation).size();
  struct Range {
    const char* what;
    u64 lo, hi, esz;
  };
  std::vector<Range> inputs;
  auto vec = [&](const std::optional<EpilogueVector>& v, const char* what, u64 n) {
    if (!v) return;
    if (!is_float_operand(v->dtype)) {
      fail(fmt::format("{} dtype {}: expected bf16 or fp32", what, golden::dtype_name(v->dtype)));
    }
    const u64 esz = golden::dtype_size(v->dtype);
    inputs.push_back(Range{what, v->addr, v->addr + n * esz, esz});
  };
  vec(e.bias_col, "bias_col (one per column of C)", s.N);
  vec(e.bias_row, "bias_row (one per row of C)", s.M);
  if (words) inputs.push_back(Range{"the activation table image", e.aux, e.aux + words * 4, 4});
  const u64 osz = golden::dtype_size(s.out);
  const Range c{"C", s.c.addr, s.c.addr + strided_extent(s.c.layout, effective_ld(s.c, s.M, s.N), s.M, s.N) * osz, osz};
  if (e.residual) {
    const EpilogueMatrix& r = *e.residual;
    if (!is_float_operand(r.dtype))
      fail(fmt::format("residual dtype {}: expected bf16 or fp32", golden::dtype_name(r.dtype)));
    const u32 packed = r.layout == Layout::kRowMajor ? s.N : s.M;
    if (r.ld != 0 && (r.ld < packed || r.ld > kGemmMaxLd)) {
      fail(fmt::format("residual ld = {}: expected 0 (packed) or {}..{}", r.ld, packed, kGemmMaxLd));
    }
    const u64 rsz = golden::dtype_size(r.dtype);
    const Range rr{"the residual", r.addr, r.addr + strided_extent(r.layout, r.ld ? r.ld : packed, s.M, s.N) * rsz,
                   rsz};
    const bool aliases_c = r.addr == s.c.addr && r.layout == s.c.layout && r.dtype == s.out &&
                           (r.ld ? r.ld : packed) == effective_ld(s.c, s.M, s.N);
    if (!aliases_c) inputs.push_back(rr);
  }
  for (const Range& r : inputs) {
    if (r.hi > dram) {
      fail(
          fmt::format("{} needs bytes 0x{:x}..0x{:x}, which do not fit in the {}-byte DRAM", r.what, r.lo, r.hi, dram));
    }
    if (r.lo % r.esz != 0) {
      fail(fmt::format("{} at 0x{:x} is not aligned to its elements", r.what, r.lo));
    }
    if (r.lo < c.hi && c.lo < r.hi) {
      fail(fmt::format("{} [0x{:x}, 0x{:x}) overlaps C [0x{:x}, 0x{:x}): an epilogue input must be disjoint from C "
                       "(a residual may be C itself: same address, layout, leading dimension and dtype)",
                       r.what, r.lo, r.hi, c.lo, c.hi));
    }
  }
}

GemmPlan::Epilogue plan_epilogue(const golden::Config& cfg, const GemmSpec& s, u32 width) {
  const GemmEpilogue& e = *s.epilogue;
  GemmPlan::Epilogue p;
  p.on = true;
  p.width = width;
  const bool work = e.bias_col || e.residual;
  p.passes = 1 + (e.bias_col ? (e.alpha != 1.0f ? 2 : 1) : 0) + (e.residual ? 1 : 0);
  u64 off = 0;
  auto take = [&](u32& field, u64 bytes) {
    field = static_cast<u32>(off);
    off += align64(bytes);
  };
  take(p.table_off, epilogue_aux_image(e.activation).size() * 4);
  const u64 m_tiles = (u64{s.M} + cfg.columns - 1) / cfg.columns;
  take(p.lane_bias_off, e.bias_row ? m_tiles * golden::dtype_size(e.bias_row->dtype) : 0);
  take(p.free_bias_off, e.bias_col ? u64{s.N} * golden::dtype_size(e.bias_col->dtype) : 0);
  take(p.work_off, work ? u64{width} * 4 : 0);
  for (u32& st : p.stage_off) take(st, u64{width} * golden::dtype_size(s.out));
  for (u32& r : p.res_off) take(r, e.residual ? u64{width} * golden::dtype_size(e.residual->dtype) : 0);
  p.bytes = static_cast<u32>(std::min<u64>(off, 0xFFFFFFFFu));
  return p;
}

}  // namespace detail

driver::Tensor reference_epilogue(const driver::Tensor& acc, const EpilogueInputs& e, DType out) {
  const u64 M = acc.shape().at(0), N = acc.shape().at(1);
  const driver::Activation act = activation_of(e.activation);
  const golden::act::Table* table = act.table ? &*act.table : nullptr;
  const num::f32_bits alpha = std::bit_cast<num::f32_bits>(e.alpha);
  auto via = [](num::f32_bits v) {
    return golden::elem::to_f32(DType::kFp32, golden::elem::from_f32(DType::kFp32, v));
  };
  auto elem = [](const driver::Tensor& t, u64 i) {
    return golden::elem::to_f32(t.dtype(), t.raw(static_cast<std::size_t>(i)));
  };
  driver::Tensor y(out, {M, N});
  for (u64 m = 0; m < M; ++m) {
    for (u64 n = 0; n < N; ++n) {
      const num::f32_bits x = elem(acc, m * N + n);
      const num::f32_bits br = e.bias_row ? elem(*e.bias_row, m) : 0x80000000u;  // -0: no bias
      num::f32_bits t = 0;
      if (e.bias_col) {
        const num::f32_bits w = via(num::f32_add(via(num::f32_mul(x, alpha)), elem(*e.bias_col, n)));
        t = num::f32_add(num::f32_mul(w, 0x3F800000u), br);
      } else {
        t = num::f32_add(num::f32_mul(x, alpha), br);
      }
      num::f32_bits v = golden::act::apply(act.func, table, t);
      if (e.residual) v = num::f32_add(via(v), elem(*e.residual, m * N + n));
      y.set_raw(static_cast<std::size_t>(m * N + n), golden::elem::from_f32(out, v));
    }
  }
  return y;
}

}  // namespace systole::kernels
