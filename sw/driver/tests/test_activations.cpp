// Accuracy of every activation the chip offers (docs/numerics.md section 6, "Accuracy"): the
// named set of activations.hpp and the built-ins EXP2, RECIP and RSQRT, each evaluated exactly
// as ACTIVATE does (t = add(mul(x, 1.0), -0), then golden::act::apply) and compared with a long
// double reference:
//   (a) every bf16 input: the bf16 of the output against the correctly rounded bf16 of the
//       exact value (FTZ rule of numerics.md section 2: a zero with the exact value's sign below
//       2^-126), and the distance in bf16 steps;
//   (b) every k-th fp32 bit pattern (k = SYSTOLE_ACCURACY_K, default 4099; NaNs skipped): the
//       largest error in fp32 ulp of the exact value where the output and the correctly rounded
//       value are both normal, the largest relative error, and the inputs where one of them is
//       zero or infinite and the other not ("class" mismatches).
// The targets of issue 14 are asserted: every function within 1 bf16 ulp for every bf16 input
// and correctly rounded for >= 99.9% of them; EXP, RECIP and RSQRT within 2 fp32 ulp; each
// function's fp32 error within the bound stated below. With SYSTOLE_ACCURACY_OUT=<file> the
// table is written there as markdown (docs/numerics.md holds a run with k = 257).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "systole/driver/activations.hpp"
#include "systole/golden/numerics.hpp"

namespace {

using systole::driver::activation;
using systole::driver::activations;
namespace golden = systole::golden;
namespace act = golden::act;
namespace num = golden::num;
using num::f32_bits;
using ld = long double;

constexpr f32_bits kNaN = 0x7FC00000u;
constexpr ld kPi = 3.141592653589793238462643383279502884L;

float as_float(f32_bits b) { return std::bit_cast<float>(b); }
bool is_nan(f32_bits x) { return num::f32_is_nan(x); }
unsigned field(f32_bits x) { return (x >> 23) & 0xFFu; }

// ---- references (long double, tail-stable forms) ---------------------------------------------
ld ref_gelu_tanh(ld x) {
  if (std::isinf(x)) return x > 0 ? x : -0.0L;
  const ld z = std::sqrt(2.0L / kPi) * (x + 0.044715L * x * x * x);
  return x / (1.0L + std::exp(-2.0L * z));
}
ld ref_gelu_erf(ld x) {
  if (std::isinf(x)) return x > 0 ? x : -0.0L;
  return 0.5L * x * std::erfc(-x / std::sqrt(2.0L));
}
ld ref_silu(ld x) {
  if (std::isinf(x)) return x > 0 ? x : -0.0L;
  return x / (1.0L + std::exp(-x));
}
ld ref_sigmoid(ld x) { return 1.0L / (1.0L + std::exp(-x)); }
ld ref_softplus(ld x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
ld ref_relu(ld x) { return x > 0 ? x : 0.0L; }
ld ref_log(ld x) { return x < 0 ? NAN : std::log(x); }
ld ref_sqrt(ld x) { return x < 0 ? NAN : std::sqrt(x); }
ld ref_rsqrt(ld x) {
  if (x < 0) return NAN;
  if (x == 0) return std::signbit(x) ? -INFINITY : INFINITY;
  return 1.0L / std::sqrt(x);
}

struct Func {
  std::string name;
  golden::ActFunc func;
  const act::Table* table;
  std::function<ld(ld)> ref;
  double max_fp32_ulp;  // asserted bound on (b)'s max ulp
  double max_rel;       // asserted bound on (b)'s max relative error
};

std::vector<Func> functions() {
  using golden::ActFunc;
  auto named = [](const char* n, std::function<ld(ld)> ref, double ulp, double rel) {
    const auto& a = activation(n);
    return Func{n, a.func, a.table ? &*a.table : nullptr, std::move(ref), ulp, rel};
  };
  // Bounds: the measured maxima of a k = 257 run (docs/numerics.md) with some room; the tables'
  // largest fp32 errors are in the deep tails, where |T| is large and its rounding error becomes
  // a relative error of 2^T.
  return {
      named("relu", ref_relu, 0, 0),
      named("gelu_tanh", ref_gelu_tanh, 200, 1.5e-5),
      named("gelu_erf", ref_gelu_erf, 200, 1.5e-5),
      named("silu", ref_silu, 200, 1.5e-5),
      named("sigmoid", ref_sigmoid, 200, 1.5e-5),
      named(
          "tanh", [](ld x) { return std::tanh(x); }, 200, 1.5e-5),
      named("softplus", ref_softplus, 200, 1.5e-5),
      named(
          "exp", [](ld x) { return std::exp(x); }, 2, 2.5e-7),
      named("log", ref_log, 2, 2.5e-7),
      named("sqrt", ref_sqrt, 1, 1.2e-7),
      Func{"exp2 (built-in)", ActFunc::kExp2, nullptr, [](ld x) { return std::exp2(x); }, 4, 5e-7},
      Func{"recip (built-in)", ActFunc::kRecip, nullptr, [](ld x) { return 1.0L / x; }, 2, 2.5e-7},
      Func{"rsqrt (built-in)", ActFunc::kRsqrt, nullptr, ref_rsqrt, 2, 2.5e-7},
  };
}

// ACTIVATE with scale 1.0 and bias -0 (the neutral pair: t is x after DAZ, -0 included).
f32_bits run(const Func& f, f32_bits x) {
  const f32_bits t = num::f32_add(num::f32_mul(x, num::kF32One), 0x80000000u);
  return act::apply(f.func, f.table, t);
}
ld exact(const Func& f, f32_bits x) {
  const f32_bits t = num::f32_daz(x);
  return is_nan(t) ? NAN : f.ref(static_cast<ld>(as_float(t)));
}

// Round v to p significant bits (RNE, unbounded exponent), then section 2's FTZ and overflow.
f32_bits round_ftz(ld v, int p) {
  if (std::isnan(v)) return kNaN;
  const f32_bits s = std::signbit(v) ? 0x80000000u : 0u;
  if (v == 0.0L) return s;
  if (std::isinf(v)) return s | 0x7F800000u;
  int e = 0;
  const ld m = std::frexp(std::fabs(v), &e);  // [0.5, 1)
  ld r = std::nearbyint(std::ldexp(m, p));
  if (r == std::ldexp(1.0L, p)) {
    r = std::ldexp(1.0L, p - 1);
    ++e;
  }
  const int ue = e - 1;
  if (ue < -126) return s;
  if (ue > 127) return s | 0x7F800000u;
  const auto frac = static_cast<std::uint32_t>(r - std::ldexp(1.0L, p - 1)) << (24 - p);
  return s | (static_cast<f32_bits>(ue + 127) << 23) | frac;
}

// Position on the FTZ bf16 line: 0 for +-0, 1 for 2^-126, ..., inf after the largest finite.
long bf16_ord(std::uint16_t b) {
  const long mag = b & 0x7FFF;
  const long o = mag == 0 ? 0 : mag - 0x7F;
  return (b & 0x8000) ? -o : o;
}
bool bf16_nan(std::uint16_t b) { return (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0; }

struct Result {
  long n = 0, cr = 0, within1 = 0;
  long worst_dist = 0;
  f32_bits worst_bf16_x = 0;
  double max_ulp = 0, max_rel = 0;
  f32_bits ulp_x = 0, rel_x = 0;
  long fp32_points = 0, class_mismatch = 0;
  f32_bits class_x = 0;
};

void run_bf16(const Func& f, Result& r) {
  for (std::uint32_t b = 0; b < 65536; ++b) {
    const f32_bits x = b << 16;
    const std::uint16_t out = num::f32_to_bf16(run(f, x));
    const ld ex = exact(f, x);
    const std::uint16_t want = std::isnan(ex) ? 0x7FC0 : static_cast<std::uint16_t>(round_ftz(ex, 8) >> 16);
    ++r.n;
    const bool both_nan = bf16_nan(out) && bf16_nan(want);
    const long dist = both_nan                            ? 0
                      : (bf16_nan(out) || bf16_nan(want)) ? (1L << 20)
                                                          : std::labs(bf16_ord(out) - bf16_ord(want));
    if (out == want || both_nan) ++r.cr;
    if (dist <= 1) ++r.within1;
    if (dist > r.worst_dist) {
      r.worst_dist = dist;
      r.worst_bf16_x = x;
    }
  }
}

void run_fp32(const Func& f, std::uint64_t k, Result& r) {
  for (std::uint64_t i = 0; i < (std::uint64_t{1} << 32); i += k) {
    const auto x = static_cast<f32_bits>(i);
    if (is_nan(x)) continue;
    ++r.fp32_points;
    const f32_bits y = run(f, x);
    const ld ex = exact(f, x);
    const f32_bits want = round_ftz(ex, 24);
    if (is_nan(y) || is_nan(want)) {
      if (is_nan(y) != is_nan(want) && r.class_mismatch++ == 0) r.class_x = x;
      continue;
    }
    const bool y_normal = field(y) != 0 && field(y) != 255, w_normal = field(want) != 0 && field(want) != 255;
    if (y_normal != w_normal || (!y_normal && y != want && ((y ^ want) & 0x7FFFFFFFu) != 0)) {
      if (r.class_mismatch++ == 0) r.class_x = x;
      continue;
    }
    if (!y_normal) continue;
    const ld err = std::fabs(static_cast<ld>(as_float(y)) - ex);
    int e = 0;
    std::frexp(std::fabs(ex), &e);  // |ex| in [2^(e-1), 2^e)
    const double ulp = static_cast<double>(std::ldexp(err, 24 - e));
    const double rel = static_cast<double>(err / std::fabs(ex));
    if (ulp > r.max_ulp) {
      r.max_ulp = ulp;
      r.ulp_x = x;
    }
    if (rel > r.max_rel) {
      r.max_rel = rel;
      r.rel_x = x;
    }
  }
}

std::uint64_t stride() {
  const char* k = std::getenv("SYSTOLE_ACCURACY_K");
  const std::uint64_t v = k ? std::strtoull(k, nullptr, 10) : 4099;
  return v == 0 ? 4099 : v;
}

}  // namespace

TEST(Activations, NamedSetIsCompleteAndLoadable) {
  const std::vector<std::string> want = {"relu", "gelu_tanh", "gelu_erf", "silu", "sigmoid",
                                         "tanh", "softplus",  "exp",      "log",  "sqrt"};
  ASSERT_EQ(activations().size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const auto& a = activations()[i];
    EXPECT_EQ(a.name, want[i]);
    EXPECT_EQ(a.table.has_value(), a.func == golden::ActFunc::kTable) << a.name;
    if (a.table) {
      EXPECT_FALSE(a.table->invalid_reason().has_value()) << a.name;
      const auto back = act::Table::from_words(a.table->to_words());
      ASSERT_TRUE(back.has_value()) << a.name;
      EXPECT_EQ(*back, *a.table) << a.name;
    }
  }
  try {
    activation("gelu");
    FAIL() << "no exception for an unknown name";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown activation 'gelu': expected one of relu, gelu_tanh"),
              std::string::npos)
        << e.what();
  }
}

// The tails the old linear tables lost (constant 0 left rules) are values now.
TEST(Activations, TailsAreValuesNotZeros) {
  auto y = [](const char* n, float x) {
    const auto& a = activation(n);
    return as_float(act::apply(a.func, a.table ? &*a.table : nullptr, std::bit_cast<f32_bits>(x)));
  };
  const struct {
    const char* name;
    float x;
    double exact;
  } rows[] = {{"gelu_tanh", -5.0f, static_cast<double>(ref_gelu_tanh(-5.0L))},
              {"gelu_erf", -6.0f, static_cast<double>(ref_gelu_erf(-6.0L))},
              {"silu", -20.0f, static_cast<double>(ref_silu(-20.0L))},
              {"silu", -90.0f, static_cast<double>(ref_silu(-90.0L))},
              {"sigmoid", -30.0f, static_cast<double>(ref_sigmoid(-30.0L))},
              {"softplus", -40.0f, static_cast<double>(ref_softplus(-40.0L))},
              {"gelu_tanh", 1e-6f, static_cast<double>(ref_gelu_tanh(1e-6L))},
              {"tanh", -3e-7f, static_cast<double>(std::tanh(-3e-7L))}};
  for (const auto& r : rows) {
    const double got = y(r.name, r.x);
    EXPECT_NE(got, 0.0) << r.name << "(" << r.x << ")";
    EXPECT_LE(std::fabs(got - r.exact), 3e-5 * std::fabs(r.exact)) << r.name << "(" << r.x << ") = " << got;
  }
  EXPECT_EQ(std::bit_cast<f32_bits>(y("gelu_tanh", -20.0f)), 0x80000000u) << "flushes to -0, with its sign";
  EXPECT_EQ(y("silu", -INFINITY), 0.0f);
  EXPECT_TRUE(std::signbit(y("silu", -INFINITY)));
  EXPECT_EQ(y("softplus", 100.0f), 100.0f);
  EXPECT_EQ(y("gelu_erf", 20.0f), 20.0f);
}

TEST(Activations, AccuracyTable) {
  const std::uint64_t k = stride();
  std::string table =
      fmt::format("| function | bf16 inputs correctly rounded | bf16 inputs beyond 1 ulp | fp32 max ulp (k = {}) | "
                  "at x | fp32 max relative error | class mismatches |\n|---|---:|---:|---:|---|---:|---:|\n",
                  k);
  for (const Func& f : functions()) {
    Result r;
    run_bf16(f, r);
    run_fp32(f, k, r);
    const double cr = 100.0 * static_cast<double>(r.cr) / static_cast<double>(r.n);
    table += fmt::format("| {} | {:.3f}% | {} | {:.3g} | {:.9g} | {:.3g} | {} |\n", f.name, cr, r.n - r.within1,
                         r.max_ulp, as_float(r.ulp_x), r.max_rel, r.class_mismatch);
    EXPECT_EQ(r.within1, r.n) << f.name << ": " << r.n - r.within1
                              << " bf16 inputs beyond 1 ulp, worst x = " << as_float(r.worst_bf16_x) << " ("
                              << r.worst_dist << " ulp)";
    EXPECT_GE(cr, 99.9) << f.name;
    EXPECT_LE(r.max_ulp, f.max_fp32_ulp) << f.name << " at x = " << as_float(r.ulp_x);
    EXPECT_LE(r.max_rel, f.max_rel) << f.name << " at x = " << as_float(r.rel_x);
    EXPECT_EQ(r.class_mismatch, 0) << f.name << ": first at x = " << as_float(r.class_x) << " (bits "
                                   << fmt::format("{:08x}", r.class_x) << ")";
  }
  std::printf("%s", table.c_str());
  if (const char* out = std::getenv("SYSTOLE_ACCURACY_OUT")) std::ofstream(out) << table;
}

// The fitter states an error it really measured: an independent dense check of the table never
// finds more, and a worse table (fewer segments, lower degree) states more.
TEST(Activations, FitterStatesItsError) {
  const auto f = [](float x) { return static_cast<float>(std::sin(static_cast<double>(x))); };
  const auto fine = systole::driver::fit_activation(f, -3.0f, 3.0f);
  systole::driver::FitOptions coarse_opt;
  coarse_opt.segments = 8;
  coarse_opt.degree = 1;
  const auto coarse = systole::driver::fit_activation(f, -3.0f, 3.0f, coarse_opt);
  EXPECT_GT(fine.error.points, 1000000u);
  EXPECT_LT(fine.error.max_abs, 1e-6);
  EXPECT_GT(coarse.error.max_abs, 100 * fine.error.max_abs);
  double seen = 0.0;
  for (int i = 0; i <= 300000; ++i) {
    const float x = -3.0f + 6.0f * static_cast<float>(i) / 300000.0f;
    const double got = as_float(act::eval(fine.table, std::bit_cast<f32_bits>(x)));
    seen = std::max(seen, std::fabs(got - static_cast<double>(f(x))));
  }
  EXPECT_LE(seen, fine.error.max_abs);
  // Outside the range: the function clamped, f(lo) and f(hi).
  EXPECT_EQ(as_float(act::eval(fine.table, std::bit_cast<f32_bits>(-10.0f))), f(-3.0f));
  EXPECT_EQ(as_float(act::eval(fine.table, std::bit_cast<f32_bits>(10.0f))), f(3.0f));
  // Pinned at 0 when a segment starts there: sin(0) = 0 exactly.
  EXPECT_EQ(act::eval(fine.table, 0u), 0u);
}

TEST(Activations, FitterRejectsBadArguments) {
  const auto f = [](float x) { return x; };
  systole::driver::FitOptions o;
  auto fails = [&](float lo, float hi, const systole::driver::FitOptions& opt, const char* what) {
    try {
      systole::driver::fit_activation(f, lo, hi, opt);
      ADD_FAILURE() << "no exception: " << what;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  fails(1.0f, 1.0f, o, "must be finite with lo < hi");
  fails(0.0f, INFINITY, o, "must be finite with lo < hi");
  o.segments = 65;
  fails(0.0f, 1.0f, o, "65 segments; expected 1..64");
  o.segments = 8;
  o.degree = 4;
  fails(0.0f, 1.0f, o, "degree 4; expected 0..3");
}
