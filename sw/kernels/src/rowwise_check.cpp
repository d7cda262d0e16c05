// Row-wise kernels: the float64 reference and its error bounds (rowwise.hpp; docs/kernels.md
// section 5).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {

using driver::Tensor;
using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

constexpr double kU = 0x1p-24;

// The bound of docs/kernels.md section 5: the fp32 error `e` of the value before the output
// rounding, then that rounding (half an ulp: at most 2^-8 |y| in bf16, 2^-24 |y| in fp32, of the
// value rounded, itself within e of y) and the flush of tiny results.
double total_bound(DType out, double e, double y) {
  const double h = out == DType::kBf16 ? 0x1p-8 : 0x1p-24;
  return e * (1 + h) + h * std::fabs(y) + 0x1p-126;
}

class Checker {
 public:
  Checker(const RowwiseParams& p, const Tensor& y) : p_(p), y_(y) {}

  void element(u32 r, u32 j, double want, double bound) {
    const double got = y_.value(u64{r} * p_.cols + j);
    if (!std::isfinite(want)) {
      ++c_.skipped;
      return;
    }
    ++c_.checked;
    const double err = std::isnan(got) ? std::numeric_limits<double>::infinity() : std::fabs(got - want);
    c_.max_abs_error = std::max(c_.max_abs_error, err);
    if (bound > 0) c_.worst_ratio = std::max(c_.worst_ratio, err / bound);
    if (!(err <= bound)) {
      if (c_.violations++ == 0) {
        c_.first_violation = fmt::format("row {} column {}: got {:.9g}, float64 {:.9g}, error {:.3g} > bound {:.3g}", r,
                                         j, got, want, err, bound);
      }
    }
  }
  // An element that must be exactly +0 (a fully masked softmax row).
  void exact_zero(u32 r, u32 j) {
    ++c_.checked;
    const u32 raw = y_.raw(u64{r} * p_.cols + j);
    if (raw != 0 && c_.violations++ == 0) {
      c_.first_violation = fmt::format("row {} column {}: a fully masked row must give +0, got bits 0x{:x}", r, j, raw);
    }
  }
  RowwiseFloat64Check result() const { return c_; }

 private:
  const RowwiseParams& p_;
  const Tensor& y_;
  RowwiseFloat64Check c_;
};

// `chunks` > 0: the online form (docs/kernels.md section 5): each merge rescales the sum (EXP,
// a product and a sum: 6 u), and the output is exp(t - ln z) rather than e * (1 / z).
void check_softmax(const RowwiseParams& p, const RowwiseInputs& in, u32 chunks, Checker& ck) {
  const double s = p.scale;
  std::vector<double> t(p.cols);
  for (u32 r = 0; r < p.rows; ++r) {
    double tmax = -std::numeric_limits<double>::infinity(), a = 0;
    bool finite_row = true;
    for (u32 j = 0; j < p.cols; ++j) {
      const double x = in.x.value(u64{r} * p.cols + j);
      const double m = p.mask ? in.mask->value(u64{r} * p.cols + j) : 0.0;
      t[j] = s * x + m;
      if (std::isnan(t[j]) || t[j] == std::numeric_limits<double>::infinity()) finite_row = false;
      tmax = std::max(tmax, t[j]);
      if (std::isfinite(t[j])) a = std::max(a, std::fabs(s * x) + std::fabs(m));
    }
    if (tmax == -std::numeric_limits<double>::infinity()) {  // fully masked
      for (u32 j = 0; j < p.cols; ++j) ck.exact_zero(r, j);
      continue;
    }
    double z = 0;
    for (u32 j = 0; j < p.cols; ++j) z += std::exp(t[j] - tmax);
    const double online = chunks == 0 ? 0 : 6.0 * chunks + 4 * (std::fabs(std::log(z)) + 1) + 4 * a;
    const double rel = 2 * (8 * a + p.cols + 14 + online) * kU;
    for (u32 j = 0; j < p.cols; ++j) {
      const double y = finite_row ? std::exp(t[j] - tmax) / z : std::numeric_limits<double>::quiet_NaN();
      ck.element(r, j, y, total_bound(p.out, rel * y, y));
    }
  }
}

// `chunks` > 0: the online form; each merge of LayerNorm's statistics adds a few roundings of
// the mean and of the sum of squares (6 u per chunk).
void check_norm(const RowwiseParams& p, const RowwiseInputs& in, u32 chunks, Checker& ck) {
  const double L = p.cols, eps = p.eps;
  const bool ln = p.op == RowOp::kLayerNorm;
  for (u32 r = 0; r < p.rows; ++r) {
    auto x = [&](u32 j) { return in.x.value(u64{r} * p.cols + j); };
    double mean = 0, abs_mean = 0;
    if (ln) {
      for (u32 j = 0; j < p.cols; ++j) {
        mean += x(j);
        abs_mean += std::fabs(x(j));
      }
      mean /= L;
      abs_mean /= L;
    }
    double q = 0;
    for (u32 j = 0; j < p.cols; ++j) q += (x(j) - mean) * (x(j) - mean);
    const double var = q / L, rstd = 1.0 / std::sqrt(var + eps);
    const double extra = 6.0 * chunks;
    const double dm = ln ? (L + 2 + extra) * kU * abs_mean : 0.0;
    const double e_v =
        ln ? ((L + 3 + extra) * kU * q + L * dm * dm) / (L * (var + eps)) + 2 * kU : (L + 3 + extra) * kU;
    const double e_r = e_v / 2 + 4 * kU;
    for (u32 j = 0; j < p.cols; ++j) {
      const double g = in.gamma->value(j), b = ln ? in.beta->value(j) : 0.0;
      const double z = (x(j) - mean) * rstd, y = z * g + b;
      const double bound = ln ? 2 * (std::fabs(g) * (dm * rstd + std::fabs(z) * (e_r + 2 * kU)) +
                                     (std::fabs(z * g) + std::fabs(b)) * 2 * kU)
                              : 2 * (e_r + 3 * kU) * std::fabs(y);
      ck.element(r, j, y, total_bound(p.out, bound, y));
    }
  }
}

}  // namespace

RowwiseFloat64Check check_rowwise_float64(const golden::Config& cfg, const RowwiseParams& p, const RowwiseInputs& in,
                                          const Tensor& y) {
  const RowwisePlan plan = plan_rowwise(cfg, p);
  if (y.shape() != std::vector<std::uint64_t>{p.rows, p.cols}) {
    throw std::invalid_argument(
        fmt::format("check_rowwise_float64: y is {}, expected [{}, {}]", y.describe(), p.rows, p.cols));
  }
  Checker ck(p, y);
  if (p.op == RowOp::kSoftmax) {
    check_softmax(p, in, plan.online ? plan.chunks : 0, ck);
  } else {
    check_norm(p, in, plan.online ? plan.chunks : 0, ck);
  }
  return ck.result();
}

}  // namespace systole::kernels
