// Table fitting in double precision (host software; see table_fit.hpp). Only the fp32-rounded
// coefficients are architectural, through act::eval.
#include "systole/golden/table_fit.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace systole::golden::act {
namespace {

using num::double_to_f32_bits_rne;
using num::f32_to_double;

constexpr double kPi = 3.14159265358979323846;
constexpr unsigned kSamplesPerSegment = 64;

// Least squares min |A c - y| for an m x n matrix A (rows of up to 4 columns, n <= 4 <= m) by
// Householder QR, then back substitution on R. A and y are consumed.
std::array<double, 4> least_squares(std::vector<std::array<double, 4>>& a, std::vector<double>& y, unsigned n) {
  const std::size_t m = a.size();
  for (unsigned k = 0; k < n; ++k) {
    double norm2 = 0.0;
    for (std::size_t i = k; i < m; ++i) norm2 += a[i][k] * a[i][k];
    const double norm = std::sqrt(norm2);
    if (norm == 0.0) continue;
    const double alpha = a[k][k] > 0.0 ? -norm : norm;  // avoid cancellation in v[0]
    std::vector<double> v(m - k);
    for (std::size_t i = k; i < m; ++i) v[i - k] = a[i][k];
    v[0] -= alpha;
    double vnorm2 = 0.0;
    for (const double vi : v) vnorm2 += vi * vi;
    if (vnorm2 == 0.0) continue;
    // Apply H = I - 2 v v^T / (v^T v) to the remaining columns and to y.
    for (unsigned j = k; j < n; ++j) {
      double s = 0.0;
      for (std::size_t i = k; i < m; ++i) s += v[i - k] * a[i][j];
      s = 2.0 * s / vnorm2;
      for (std::size_t i = k; i < m; ++i) a[i][j] -= s * v[i - k];
    }
    double s = 0.0;
    for (std::size_t i = k; i < m; ++i) s += v[i - k] * y[i];
    s = 2.0 * s / vnorm2;
    for (std::size_t i = k; i < m; ++i) y[i] -= s * v[i - k];
  }
  std::array<double, 4> c{};
  for (int k = static_cast<int>(n) - 1; k >= 0; --k) {
    double s = y[static_cast<std::size_t>(k)];
    for (unsigned j = static_cast<unsigned>(k) + 1; j < n; ++j) s -= a[k][j] * c[j];
    c[static_cast<std::size_t>(k)] = a[k][k] != 0.0 ? s / a[k][k] : 0.0;
  }
  return c;
}

void set_boundary(const Boundary& b, bool& linear, num::f32_bits& a, num::f32_bits& slope) {
  linear = b.linear;
  a = double_to_f32_bits_rne(b.a);
  slope = b.linear ? double_to_f32_bits_rne(b.b) : 0u;
}

double gelu_tanh_ref(double x) {
  const double k = std::sqrt(2.0 / kPi);
  return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
}
double gelu_erf_ref(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }
double sigmoid_ref(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double silu_ref(double x) { return x * sigmoid_ref(x); }
double softplus_ref(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

}  // namespace

Table fit_table(const std::function<double(double)>& f, double lo, double hi, unsigned nseg, unsigned degree,
                Boundary left, Boundary right) {
  if (nseg == 0 || nseg > Table::kMaxSegments) {
    throw std::invalid_argument(fmt::format("fit_table: nseg {} outside 1..64", nseg));
  }
  if (degree > Table::kMaxDegree) {
    throw std::invalid_argument(fmt::format("fit_table: degree {} outside 0..3", degree));
  }
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) {
    throw std::invalid_argument(fmt::format("fit_table: bad range [{}, {})", lo, hi));
  }
  Table t;
  t.nseg = nseg;
  t.degree = degree;
  t.lo = double_to_f32_bits_rne(lo);
  t.inv_w = double_to_f32_bits_rne(static_cast<double>(nseg) / (hi - lo));
  if (!std::isfinite(f32_to_double(t.inv_w)) || f32_to_double(t.inv_w) <= 0.0) {
    throw std::invalid_argument(fmt::format("fit_table: inv_w for [{}, {}) is not a finite fp32", lo, hi));
  }
  set_boundary(left, t.left_linear, t.left_a, t.left_b);
  set_boundary(right, t.right_linear, t.right_a, t.right_b);

  // Fit on the segments the hardware really uses: the fp32 lo and inv_w.
  const double lo32 = f32_to_double(t.lo);
  const double w32 = 1.0 / f32_to_double(t.inv_w);
  const unsigned ncol = degree + 1;
  t.coef.resize(nseg);
  for (unsigned i = 0; i < nseg; ++i) {
    std::vector<std::array<double, 4>> a(kSamplesPerSegment);
    std::vector<double> y(kSamplesPerSegment);
    for (unsigned k = 0; k < kSamplesPerSegment; ++k) {
      // Chebyshev points of the first kind mapped to (0, 1).
      const double u = 0.5 - 0.5 * std::cos(kPi * (k + 0.5) / kSamplesPerSegment);
      double pw = 1.0;
      for (unsigned j = 0; j < 4; ++j) {
        a[k][j] = j < ncol ? pw : 0.0;
        pw *= u;
      }
      y[k] = f(lo32 + (i + u) * w32);
    }
    const std::array<double, 4> c = least_squares(a, y, ncol);
    for (unsigned j = 0; j < 4; ++j) t.coef[i][j] = j < ncol ? double_to_f32_bits_rne(c[j]) : 0u;
  }
  return t;
}

// ReLU, exact. lo = 0, one segment, inv_w = 2^126 (the range [0, 2^-126)):
//  * x < 0 (including -inf): t = mul(x, 2^126) < 0, the left rule gives the constant +0.
//  * x normal > 0 (including +inf): |x| >= 2^-126, so t = x * 2^126 >= 1 = nseg (the product
//    is exact or overflows to +inf; it never rounds below 1). The right rule computes
//    add(mul(1, x), +0) = x: the multiply by 1 is exact and x + (+0) = x for x != 0.
//  * x = +-0 or a denormal (DAZ'd to +-0): t = +-0, which is not < 0, so segment 0 with
//    degree 0 gives c_{0,0} = +0. Hence relu(-0) = +0 = max(-0, +0) (section 5 order).
//  * NaN gives the canonical NaN (step 1).
Table relu() {
  Table t;
  t.nseg = 1;
  t.degree = 0;
  t.lo = 0x00000000u;
  t.inv_w = 0x7E800000u;  // 2^126
  t.left_linear = false;
  t.left_a = 0x00000000u;
  t.right_linear = true;
  t.right_a = 0x00000000u;
  t.right_b = num::kF32One;
  t.coef = {{0u, 0u, 0u, 0u}};
  return t;
}

// Ranges: the measured best of a scan over [lo, hi) with 64 cubic segments, trading the
// truncation error of wider segments against the error of the boundary rules in the tails.
// Errors (|table - f| / max(1, |f|) over all fp32 x, measured): gelu_tanh 7.2e-7, gelu_erf
// 8.5e-7, silu 6.9e-6, sigmoid 2.8e-6, tanh 3.5e-6, softplus 2.4e-6; asserted in test_table.cpp.
Table gelu_tanh() {
  return fit_table(gelu_tanh_ref, -5.0, 5.0, 64, 3, Boundary::constant(0.0), Boundary::asymptote(0.0, 1.0));
}

Table gelu_erf() {
  return fit_table(gelu_erf_ref, -6.0, 5.0, 64, 3, Boundary::constant(0.0), Boundary::asymptote(0.0, 1.0));
}

Table silu() { return fit_table(silu_ref, -16.0, 12.0, 64, 3, Boundary::constant(0.0), Boundary::asymptote(0.0, 1.0)); }

Table sigmoid() { return fit_table(sigmoid_ref, -16.0, 16.0, 64, 3, Boundary::constant(0.0), Boundary::constant(1.0)); }

Table tanh_table() {
  return fit_table([](double x) { return std::tanh(x); }, -7.0, 7.0, 64, 3, Boundary::constant(-1.0),
                   Boundary::constant(1.0));
}

Table exp_table(double lo, double hi) {
  return fit_table([](double x) { return std::exp(x); }, lo, hi, 64, 3, Boundary::constant(0.0),
                   Boundary::constant(std::exp(hi)));
}

Table softplus() {
  return fit_table(softplus_ref, -16.0, 12.0, 64, 3, Boundary::constant(0.0), Boundary::asymptote(0.0, 1.0));
}

}  // namespace systole::golden::act
