// The named activations and the table fitter (activations.hpp). Fitting is host software in
// double precision; only the fp32 table it produces is architectural.
#include "systole/driver/activations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "systole/golden/numerics.hpp"

namespace systole::driver {
namespace {

namespace act = golden::act;
using act::Boundary;
using golden::ActFunc;

constexpr double kPi = 3.14159265358979323846;
constexpr double kLn2 = 0.69314718055994530942;
constexpr double kLog2E = 1.0 / kLn2;

// The functions the tables hold, in double. Each is the log2 of a positive quantity, written
// so that the far tails keep full relative accuracy.
double log_sigmoid(double x) { return x < 0 ? x - std::log1p(std::exp(x)) : -std::log1p(std::exp(-x)); }
double gelu_tanh_z(double x) { return std::sqrt(2.0 / kPi) * (x + 0.044715 * x * x * x); }
// gelu_tanh(x) = x * sigmoid(2 z(x)).
double log2_gelu_tanh_factor(double x) { return log_sigmoid(2.0 * gelu_tanh_z(x)) * kLog2E; }
// gelu_erf(x) = x * Phi(x), Phi(x) = erfc(-x / sqrt 2) / 2.
double log2_phi(double x) { return std::log2(0.5 * std::erfc(-x / std::sqrt(2.0))); }
double log2_sigmoid(double x) { return log_sigmoid(x) * kLog2E; }
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
double log2_softplus(double x) { return std::log2(softplus(x)); }
double tanh_over_x(double x) {
  if (std::fabs(x) < 1e-4) return 1.0 - x * x / 3.0 + 2.0 * x * x * x * x / 15.0;
  return std::tanh(x) / x;
}

struct Post {
  bool exp2 = false, mul_x = false, left_final = false, right_final = false;
};

act::Table with_post(act::Table t, Post p) {
  t.exp2 = p.exp2;
  t.mul_x = p.mul_x;
  t.left_final = p.left_final;
  t.right_final = p.right_final;
  return t;
}

Activation table_activation(std::string name, act::Table t, std::string domain = "all") {
  return Activation{std::move(name), ActFunc::kTable, std::move(t), std::move(domain)};
}

// Ranges and rules chosen by the accuracy study (docs/activation_accuracy.md): 64 cubic
// segments each; the left tails of sigmoid, silu and softplus are the exact asymptote
// log2 f(x) = x log2(e); gelu's left rule is a final -0 (the exact value flushes there).
std::vector<Activation> build() {
  const Boundary zero = Boundary::constant(0.0);
  const Boundary neg_zero = Boundary::constant(-0.0);
  const Boundary x_log2e = Boundary::asymptote(0.0, kLog2E);
  std::vector<Activation> v;
  v.push_back(table_activation("relu", act::relu()));
  // lo and 64 / (hi - lo) are exact in fp32 and the hardware's t of x = 0 is a whole segment
  // index, so T(0) is pinned to f(0) (tiny x gives exactly x / 2, or x for tanh).
  v.push_back(table_activation("gelu_tanh",
                               with_post(act::fit_table(log2_gelu_tanh_factor, -10.5, 5.5, 64, 3, neg_zero, zero, true),
                                         {.exp2 = true, .mul_x = true, .left_final = true})));
  v.push_back(table_activation(
      "gelu_erf", with_post(act::fit_table(log2_phi, -14.0, -14.0 + 64.0 / 3.0, 64, 3, neg_zero, zero, true),
                            {.exp2 = true, .mul_x = true, .left_final = true})));
  v.push_back(table_activation(
      "silu", with_post(act::fit_table(log2_sigmoid, -16.0, -16.0 + 64.0 / 1.875, 64, 3, x_log2e, zero, true),
                        {.exp2 = true, .mul_x = true})));
  v.push_back(table_activation(
      "sigmoid", with_post(act::fit_table(log2_sigmoid, -17.0, 15.0, 64, 3, x_log2e, zero, true), {.exp2 = true})));
  v.push_back(table_activation("tanh", with_post(act::fit_table(tanh_over_x, -8.0, 8.0, 64, 3, Boundary::constant(-1.0),
                                                                Boundary::constant(1.0), true),
                                                 {.mul_x = true, .left_final = true, .right_final = true})));
  v.push_back(table_activation(
      "softplus", with_post(act::fit_table(log2_softplus, -14.0, 15.0, 64, 3, x_log2e, Boundary::asymptote(0.0, 1.0)),
                            {.exp2 = true, .right_final = true})));
  v.push_back(Activation{"exp", ActFunc::kExp, std::nullopt, "all"});
  v.push_back(Activation{"log", ActFunc::kLog, std::nullopt, "x > 0"});
  v.push_back(Activation{"sqrt", ActFunc::kSqrt, std::nullopt, "x >= 0"});
  return v;
}

float as_float(golden::num::f32_bits b) { return std::bit_cast<float>(b); }
golden::num::f32_bits bits(float f) { return std::bit_cast<golden::num::f32_bits>(f); }

// Position of a finite float on a line where consecutive floats are one apart (-0 == +0).
std::int64_t ordinal(float x) {
  const auto b = bits(x);
  const std::int64_t mag = b & 0x7FFFFFFFu;
  return (b & 0x80000000u) ? -mag : mag;
}
float from_ordinal(std::int64_t o) {
  return o < 0 ? as_float(0x80000000u | static_cast<golden::num::f32_bits>(-o))
               : as_float(static_cast<golden::num::f32_bits>(o));
}

}  // namespace

const std::vector<Activation>& activations() {
  static const std::vector<Activation> all = build();
  return all;
}

const Activation& activation(std::string_view name) {
  for (const Activation& a : activations()) {
    if (a.name == name) return a;
  }
  std::string known;
  for (const Activation& a : activations()) known += (known.empty() ? "" : ", ") + a.name;
  throw std::invalid_argument(fmt::format("unknown activation '{}': expected one of {}", name, known));
}

FitError measure_table(const act::Table& t, const std::function<float(float)>& f, float lo, float hi,
                       std::uint64_t max_points, double rel_floor) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi)) {
    throw std::invalid_argument(fmt::format("measure_table: range [{}, {}] must be finite with lo < hi", lo, hi));
  }
  if (max_points == 0) throw std::invalid_argument("measure_table: max_points must be at least 1");
  FitError e;
  const std::int64_t first = ordinal(lo), last = ordinal(hi);
  const auto span = static_cast<std::uint64_t>(last - first) + 1;
  e.stride = std::max<std::uint64_t>(1, span / max_points);
  for (std::int64_t o = first; o <= last; o += static_cast<std::int64_t>(e.stride)) {
    const float x = from_ordinal(o);
    const double want = f(x);
    const double got = as_float(act::eval(t, bits(x)));
    ++e.points;
    const double err = std::fabs(got - want);
    if (std::isnan(err) && !(std::isnan(got) && std::isnan(want))) {
      e.max_abs = e.max_rel = INFINITY;
      e.worst_abs_x = e.worst_rel_x = x;
      continue;
    }
    if (err > e.max_abs) {
      e.max_abs = err;
      e.worst_abs_x = x;
    }
    if (std::fabs(want) >= rel_floor && err / std::fabs(want) > e.max_rel) {
      e.max_rel = err / std::fabs(want);
      e.worst_rel_x = x;
    }
  }
  return e;
}

FittedTable fit_activation(const std::function<float(float)>& f, float lo, float hi, const FitOptions& opt) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi)) {
    throw std::invalid_argument(fmt::format("fit_activation: range [{}, {}) must be finite with lo < hi", lo, hi));
  }
  if (opt.segments < 1 || opt.segments > act::Table::kMaxSegments) {
    throw std::invalid_argument(
        fmt::format("fit_activation: {} segments; expected 1..{}", opt.segments, act::Table::kMaxSegments));
  }
  if (opt.degree > act::Table::kMaxDegree) {
    throw std::invalid_argument(
        fmt::format("fit_activation: degree {}; expected 0..{}", opt.degree, act::Table::kMaxDegree));
  }
  const auto fd = [&f](double x) { return static_cast<double>(f(static_cast<float>(x))); };
  const Boundary left = opt.left.value_or(Boundary::constant(f(lo)));
  const Boundary right = opt.right.value_or(Boundary::constant(f(hi)));
  FittedTable out;
  out.table = act::fit_table(fd, lo, hi, opt.segments, opt.degree, left, right, true);
  out.error = measure_table(out.table, f, lo, hi, opt.max_points, opt.rel_floor);
  return out;
}

}  // namespace systole::driver
