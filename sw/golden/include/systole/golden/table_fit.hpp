// Table generators for the TABLE activation (docs/numerics.md section 6). Fitting is host
// software, not architecture: it runs in double precision and only its fp32-rounded output
// (an act::Table) matters. The driver reuses these; they live in the golden library for now.
#pragma once

#include <functional>

#include "systole/golden/activation.hpp"

namespace systole::golden::act {

// A boundary rule: a constant value, or a linear asymptote a + b * x.
struct Boundary {
  bool linear = false;
  double a = 0.0;
  double b = 0.0;
  static Boundary constant(double value) { return {false, value, 0.0}; }
  static Boundary asymptote(double a, double b) { return {true, a, b}; }
};

// Least-squares fit of f on [lo, hi) with `nseg` segments (1..64) of degree `degree` (0..3).
// lo and inv_w = nseg / (hi - lo) are rounded to fp32 first, and each segment i is fitted on
// the x it really covers, x = lo + (i + u) / inv_w for the local variable u in [0, 1), at 64
// Chebyshev points, by Householder QR in double. Coefficients are then rounded to fp32.
// Throws std::invalid_argument on a bad nseg, degree or range.
Table fit_table(const std::function<double(double)>& f, double lo, double hi, unsigned nseg, unsigned degree,
                Boundary left, Boundary right);

// Named tables (64 cubic segments, except relu). Ranges, boundary rules and measured errors are
// listed in docs/numerics.md section 6 and asserted by sw/golden/tests/test_table.cpp.
Table relu();                           // exact max(x, 0)
Table gelu_tanh();                      // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
Table gelu_erf();                       // 0.5 x (1 + erf(x / sqrt(2)))
Table silu();                           // x / (1 + e^-x)
Table sigmoid();                        // 1 / (1 + e^-x)
Table tanh_table();                     // tanh(x)
Table exp_table(double lo, double hi);  // e^x on [lo, hi); 0 below, e^hi at and above hi
Table softplus();                       // log(1 + e^x)

}  // namespace systole::golden::act
