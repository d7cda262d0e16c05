// Activation functions for ACTIVATE (docs/numerics.md section 6, docs/software.md): the named
// set a kernel asks for by name, each either a built-in function or a TABLE image, and a fitter
// that turns any function into a table and states the error it measured.
//
// The named tables keep their tails: gelu, silu, sigmoid and softplus hold log2 of the function
// (or of f(x)/x) and use the TABLE post-operation x * 2^T(x) (numerics.md section 6), so that
// gelu(-9) is -9 * 2^-61.6 rather than 0. Their accuracy over every bf16 input and a stride of
// fp32 inputs is asserted by sw/driver/tests/test_activations.cpp and listed in numerics.md.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "systole/golden/activation.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/table_fit.hpp"

namespace systole::driver {

// One activation as ACTIVATE computes it: `func`, and for func = TABLE the table to load into
// the slot ACTIVATE names.
struct Activation {
  std::string name;
  golden::ActFunc func = golden::ActFunc::kIdentity;
  std::optional<golden::act::Table> table;  // set exactly when func == kTable
  std::string domain;                       // inputs it is meant for ("all", "x >= 0", "x > 0")
};

// The named set, in this order: relu, gelu_tanh, gelu_erf, silu, sigmoid, tanh, softplus, exp,
// log, sqrt (the last three are the built-in EXP, LOG and SQRT). Built once, on first use.
const std::vector<Activation>& activations();
// The named activation `name`; throws std::invalid_argument naming the known ones otherwise.
const Activation& activation(std::string_view name);

// The error a fitted table was measured with, over the fp32 inputs in [lo, hi] (every one when
// there are at most max_points of them, else an even stride of about max_points), against the
// function as given (evaluated in double from the float result).
struct FitError {
  double max_abs = 0.0;      // max |T(x) - f(x)|
  double max_rel = 0.0;      // max |T(x) - f(x)| / |f(x)| over x with |f(x)| >= rel_floor
  float worst_abs_x = 0.0f;  // where max_abs was seen
  float worst_rel_x = 0.0f;  // where max_rel was seen
  std::uint64_t points = 0;  // inputs compared
  std::uint64_t stride = 1;  // in fp32 bit patterns (1 = every input)
};

struct FitOptions {
  unsigned segments = 64;  // 1..64
  unsigned degree = 3;     // 0..3
  // Values outside [lo, hi): by default constants f(lo) and f(hi) (the function clamped).
  std::optional<golden::act::Boundary> left, right;
  std::uint64_t max_points = 1u << 20;  // for the error measurement
  double rel_floor = 1e-30;             // relative error only where |f| is at least this
};

struct FittedTable {
  golden::act::Table table;
  FitError error;
};

// Fit f on [lo, hi) (finite, lo < hi) and measure the result. A segment that starts exactly at
// x = 0 returns f(0) exactly (golden::act::fit_table's pin_zero). Throws std::invalid_argument on
// a bad range, segment count or degree, with what was given and what is allowed.
FittedTable fit_activation(const std::function<float(float)>& f, float lo, float hi, const FitOptions& opt = {});

// Measure table t against f over [lo, hi] as fit_activation does.
FitError measure_table(const golden::act::Table& t, const std::function<float(float)>& f, float lo, float hi,
                       std::uint64_t max_points = 1u << 20, double rel_floor = 1e-30);

}  // namespace systole::driver
