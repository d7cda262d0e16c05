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

}  // namespace

Table fit_table(const std::function<double(double)>& f, double lo, double hi, unsigned nseg, unsigned degree,
                Boundary left, Boundary right, bool pin_zero) {
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
  // The segment the hardware's t of x = 0 starts exactly (TABLE step 2 in fp32), if pinned.
  std::int64_t pinned = -1;
  if (pin_zero) {
    const num::f32_bits t0 = num::f32_mul(num::f32_sub(0u, t.lo), t.inv_w);
    const double d0 = f32_to_double(t0);
    if (d0 >= 0.0 && d0 < nseg && d0 == std::floor(d0)) pinned = static_cast<std::int64_t>(d0);
  }
  t.coef.resize(nseg);
  for (unsigned i = 0; i < nseg; ++i) {
    // Columns u^first .. u^degree; a pinned segment has c_0 fixed and fits the rest to f - c_0.
    const unsigned first = static_cast<std::int64_t>(i) == pinned ? 1 : 0;
    const num::f32_bits c0 = double_to_f32_bits_rne(f(0.0));
    const double c0_value = first == 1 ? f32_to_double(c0) : 0.0;
    std::vector<std::array<double, 4>> a(kSamplesPerSegment);
    std::vector<double> y(kSamplesPerSegment);
    for (unsigned k = 0; k < kSamplesPerSegment; ++k) {
      // Chebyshev points of the first kind mapped to (0, 1).
      const double u = 0.5 - 0.5 * std::cos(kPi * (k + 0.5) / kSamplesPerSegment);
      a[k] = {0.0, 0.0, 0.0, 0.0};
      double pw = 1.0;
      for (unsigned j = 0; j <= degree; ++j) {
        if (j >= first) a[k][j - first] = pw;
        pw *= u;
      }
      y[k] = f(lo32 + (i + u) * w32) - c0_value;
    }
    const std::array<double, 4> c = least_squares(a, y, degree + 1 - first);
    for (unsigned j = 0; j < 4; ++j) {
      if (j > degree) t.coef[i][j] = 0u;
      else if (first == 1 && j == 0) t.coef[i][j] = c0;
      else t.coef[i][j] = double_to_f32_bits_rne(c[j - first]);
    }
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

}  // namespace systole::golden::act
