// Table fitting for the TABLE activation (docs/numerics.md section 6). Fitting is host
// software, not architecture: it runs in double precision and only its fp32-rounded output
// (an act::Table) matters. The driver's activation set and fitter build on it.
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
// With pin_zero, the segment that starts exactly at x = 0 (the fp32 t of x = 0 is an integer i)
// gets c_{i,0} = f(0) rounded to fp32 and the other coefficients fitted around it, so the table
// returns f(0) exactly at 0 and near it (for a log2-domain gelu or silu, T(0) = -1 makes tiny
// x give exactly x / 2). Nothing is pinned when no segment starts at 0.
Table fit_table(const std::function<double(double)>& f, double lo, double hi, unsigned nseg, unsigned degree,
                Boundary left, Boundary right, bool pin_zero = false);

// The exact ReLU table (numerics.md section 6). The named activation set (gelu, silu, sigmoid,
// tanh, softplus in their log2 forms with the TABLE post-operation) is the driver's:
// systole/driver/activations.hpp.
Table relu();

}  // namespace systole::golden::act
