// The fused GEMM epilogue against float64 (gemm_epilogue.hpp; docs/kernels.md section 7.3).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "systole/golden/isa.hpp"
#include "systole/kernels/gemm.hpp"

namespace systole::kernels {

using golden::DType;
using u64 = std::uint64_t;

namespace {

constexpr double kU = 0x1p-24;
constexpr double kPi = 3.14159265358979323846;

double sigmoid(double x) { return x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x)); }

// The activation in double, and its own relative error on the chip (numerics.md section 6: the
// tables within about 1e-5, the built-ins within 2 ulp).
struct Act64 {
  std::function<double(double)> f;
  double rel = 0;
};
Act64 act64(const std::string& name) {
  const double table = 0x1p-16, builtin = 4 * kU;
  if (name == "identity") return {[](double x) { return x; }, 0};
  if (name == "relu") return {[](double x) { return std::max(x, 0.0); }, 0};
  if (name == "gelu_tanh") {
    // 0.5 x (1 + tanh z) = x sigmoid(2 z): no cancellation in the left tail.
    return {[](double x) { return x * sigmoid(2 * std::sqrt(2 / kPi) * (x + 0.044715 * x * x * x)); }, table};
  }
  if (name == "gelu_erf") return {[](double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }, table};
  if (name == "silu") return {[](double x) { return x * sigmoid(x); }, table};
  if (name == "sigmoid") return {sigmoid, table};
  if (name == "tanh") return {[](double x) { return std::tanh(x); }, table};
  if (name == "softplus") {
    return {[](double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }, table};
  }
  if (name == "exp") return {[](double x) { return std::exp(x); }, builtin};
  if (name == "log") return {[](double x) { return std::log(x); }, builtin};
  if (name == "sqrt") return {[](double x) { return std::sqrt(x); }, builtin};
  throw std::invalid_argument("check_fused_float64: unknown activation " + name);
}

// The output's rounding and range (docs/kernels.md section 7.3): the reference clamped to the
// dtype's range, and the bound for an error `e` before the rounding.
double clamp_out(DType out, double y) {
  if (out == DType::kFp8) return std::clamp(y, -448.0, 448.0);
  if (out == DType::kInt8) return std::clamp(y, -128.0, 127.0);
  return y;
}
double out_bound(DType out, double e, double y) {
  const double a = std::fabs(y);
  switch (out) {
    case DType::kBf16: return e * (1 + 0x1p-8) + 0x1p-8 * a + 0x1p-126;
    case DType::kFp8: return e * (1 + 0x1p-4) + 0x1p-4 * a + 0x1p-10;
    case DType::kInt8: return e + 0.5;
    default: return e * (1 + kU) + kU * a + 0x1p-126;
  }
}

}  // namespace

EpilogueFloat64Check check_fused_float64(const driver::Tensor& a, const driver::Tensor& b, const EpilogueInputs& e,
                                         const driver::Tensor& y) {
  const u64 M = a.shape().at(0), K = a.shape().at(1), N = b.shape().at(1);
  if (y.shape() != std::vector<u64>{M, N}) {
    throw std::invalid_argument(fmt::format("check_fused_float64: y is {}, expected [{}, {}]", y.describe(), M, N));
  }
  const Act64 f = act64(e.activation);
  const bool int8 = a.dtype() == DType::kInt8;
  const double alpha = e.alpha;
  EpilogueFloat64Check ck;
  for (u64 m = 0; m < M; ++m) {
    for (u64 n = 0; n < N; ++n) {
      double c = 0, sabs = 0;
      for (u64 k = 0; k < K; ++k) {
        const double p = a.value(m * K + k) * b.value(k * N + n);
        c += p;
        sabs += std::fabs(p);
      }
      // The accumulator's error (docs/numerics.md section 3; int32 exact, then RNE to fp32).
      const double ec = int8 ? kU * std::fabs(c) : (K + 1) * kU * sabs + K * 0x1p-126;
      const double bc = e.bias_col ? e.bias_col->value(n) : 0, br = e.bias_row ? e.bias_row->value(m) : 0;
      const double z = alpha * c + bc + br;
      const double ez = std::fabs(alpha) * ec + 3 * kU * (std::fabs(alpha * c) + std::fabs(bc) + std::fabs(br));
      const double fz = f.f(z);
      double err = std::max(std::fabs(f.f(z + ez) - fz), std::fabs(f.f(z - ez) - fz)) * 1.25 + f.rel * std::fabs(fz);
      const double r = e.residual ? e.residual->value(m * N + n) : 0;
      const double want = clamp_out(y.dtype(), fz + r);
      if (e.residual) err += kU * std::fabs(fz + r);
      const double got = y.value(m * N + n);
      if (!std::isfinite(want) || !std::isfinite(err)) {
        ++ck.skipped;
        continue;
      }
      ++ck.checked;
      const double bound = out_bound(y.dtype(), err, want);
      const double diff = std::isnan(got) ? std::numeric_limits<double>::infinity() : std::fabs(got - want);
      ck.max_abs_error = std::max(ck.max_abs_error, diff);
      ck.worst_ratio = std::max(ck.worst_ratio, diff / bound);
      if (!(diff <= bound) && ck.violations++ == 0) {
        ck.first_violation = fmt::format("C[{}][{}]: got {:.9g}, float64 {:.9g}, error {:.3g} > bound {:.3g}", m, n,
                                         got, want, diff, bound);
      }
    }
  }
  return ck;
}

}  // namespace systole::kernels
