// TABLE activation (docs/numerics.md section 6): the TABLE_LOAD image, the evaluation steps and
// boundary rules, the exact ReLU table and the accuracy of the named generators.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "systole/golden/activation.hpp"
#include "systole/golden/table_fit.hpp"

using namespace systole::golden;
using act::Table;
using num::f32_bits;

namespace {

constexpr f32_bits kNan = num::kF32CanonicalNan;
constexpr f32_bits kInf = num::kF32PosInf;
constexpr f32_bits kNegInf = num::kF32NegInf;

f32_bits f(float v) { return std::bit_cast<f32_bits>(v); }
double d(f32_bits x) { return num::f32_to_double(x); }

std::uint64_t test_seed() {
  const char* s = std::getenv("SYSTOLE_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 0x5EED0004ull;
}

Table random_table(std::mt19937_64& rng) {
  Table t;
  t.nseg = 1 + static_cast<std::uint32_t>(rng() % 64);
  t.degree = static_cast<std::uint32_t>(rng() % 4);
  t.left_linear = (rng() & 1) != 0;
  t.right_linear = (rng() & 1) != 0;
  t.exp2 = (rng() & 1) != 0;
  t.mul_x = (rng() & 1) != 0;
  t.left_final = (rng() & 1) != 0;
  t.right_final = (rng() & 1) != 0;
  for (f32_bits* w : {&t.lo, &t.inv_w, &t.left_a, &t.left_b, &t.right_a, &t.right_b}) {
    *w = static_cast<f32_bits>(rng());
  }
  t.coef.resize(t.nseg);
  for (auto& c : t.coef) {
    for (auto& w : c) w = static_cast<f32_bits>(rng());
  }
  return t;
}

// Two segments over [-1, 1): segment 0 is 10 + u, segment 1 is 20 + 2u; constants -5 / 7.
Table two_segments() {
  Table t;
  t.nseg = 2;
  t.degree = 1;
  t.lo = f(-1.0f);
  t.inv_w = f(1.0f);
  t.left_a = f(-5.0f);
  t.right_a = f(7.0f);
  t.coef = {{f(10.0f), f(1.0f), 0u, 0u}, {f(20.0f), f(2.0f), 0u, 0u}};
  return t;
}

}  // namespace

// ---- TABLE_LOAD image --------------------------------------------------------------------------
TEST(Table, WordsRoundTrip) {
  std::mt19937_64 rng(test_seed());
  for (int i = 0; i < 2000; ++i) {
    const Table t = random_table(rng);
    const std::vector<std::uint32_t> w = t.to_words();
    ASSERT_EQ(w.size(), 8u + 4u * t.nseg);
    EXPECT_EQ(w[0] & 0xFFu, t.nseg);
    EXPECT_EQ((w[0] >> 8) & 3u, t.degree);
    EXPECT_EQ((w[0] >> 10) & 1u, t.left_linear ? 1u : 0u);
    EXPECT_EQ((w[0] >> 11) & 1u, t.right_linear ? 1u : 0u);
    EXPECT_EQ((w[0] >> 12) & 1u, t.exp2 ? 1u : 0u);
    EXPECT_EQ((w[0] >> 13) & 1u, t.mul_x ? 1u : 0u);
    EXPECT_EQ((w[0] >> 14) & 1u, t.left_final ? 1u : 0u);
    EXPECT_EQ((w[0] >> 15) & 1u, t.right_final ? 1u : 0u);
    EXPECT_EQ(w[0] >> 16, 0u);
    EXPECT_EQ(w[1], t.lo);
    EXPECT_EQ(w[2], t.inv_w);
    EXPECT_EQ(w[3], t.left_a);
    EXPECT_EQ(w[4], t.left_b);
    EXPECT_EQ(w[5], t.right_a);
    EXPECT_EQ(w[6], t.right_b);
    EXPECT_EQ(w[7], 0u);
    EXPECT_EQ(w[8 + 4 * (t.nseg - 1) + 3], t.coef.back()[3]);
    std::string why;
    const auto back = Table::from_words(w, &why);
    ASSERT_TRUE(back.has_value()) << why;
    EXPECT_EQ(*back, t);
    EXPECT_EQ(back->to_words(), w);
  }
}

TEST(Table, BadImagesRejectedWithReason) {
  const std::vector<std::uint32_t> good = two_segments().to_words();
  struct Bad {
    const char* what;
    std::vector<std::uint32_t> words;
    const char* reason;  // a substring of the reason
  };
  auto with = [&](std::size_t i, std::uint32_t v) {
    auto w = good;
    w[i] = v;
    return w;
  };
  auto sized = [&](std::size_t n) {
    auto w = good;
    w.resize(n);
    return w;
  };
  const Bad bad[] = {
      {"empty", {}, "shorter than the 8-word header"},
      {"7 words", sized(7), "shorter than the 8-word header"},
      {"nseg 0", with(0, good[0] & ~0xFFu), "nseg 0 is outside 1..64"},
      {"nseg 65", with(0, (good[0] & ~0xFFu) | 65u), "nseg 65 is outside 1..64"},
      {"nseg 255", with(0, (good[0] & ~0xFFu) | 255u), "nseg 255 is outside"},
      {"header bit 16", with(0, good[0] | (1u << 16)), "reserved bits [31:16] are set"},
      {"header bit 31", with(0, good[0] | (1u << 31)), "reserved bits [31:16] are set"},
      {"word 7", with(7, 1u), "reserved word 7"},
      {"one word short", sized(good.size() - 1), "15 words for nseg 2: expected 16"},
      {"one word long", sized(good.size() + 1), "17 words for nseg 2: expected 16"},
      {"one segment long", sized(good.size() + 4), "20 words for nseg 2: expected 16"},
      {"header only", sized(8), "8 words for nseg 2: expected 16"},
  };
  for (const Bad& b : bad) {
    std::string why;
    EXPECT_FALSE(Table::from_words(b.words, &why).has_value()) << b.what;
    EXPECT_NE(why.find(b.reason), std::string::npos) << b.what << ": \"" << why << "\"";
    EXPECT_FALSE(Table::from_words(b.words).has_value()) << b.what << " (no reason wanted)";
  }
  // The extremes that are valid.
  for (const std::uint32_t n : {1u, 64u}) {
    std::vector<std::uint32_t> w(Table::words_for(n), 0u);
    w[0] = n | (3u << 8) | (3u << 10);
    EXPECT_TRUE(Table::from_words(w).has_value()) << n;
  }
}

TEST(Table, ToWordsRejectsInvalidTables) {
  Table t = two_segments();
  t.coef.pop_back();
  EXPECT_THROW(t.to_words(), std::invalid_argument);
  t = two_segments();
  t.degree = 4;
  EXPECT_THROW(t.to_words(), std::invalid_argument);
  t = two_segments();
  t.nseg = 0;
  t.coef.clear();
  EXPECT_THROW(t.to_words(), std::invalid_argument);
  t.nseg = 65;
  t.coef.resize(65);
  EXPECT_THROW(t.to_words(), std::invalid_argument);
}

// ---- evaluation --------------------------------------------------------------------------------
TEST(Table, SegmentsAndConstantBoundaries) {
  const Table t = two_segments();
  EXPECT_EQ(act::eval(t, f(-1.0f)), f(10.0f));  // t = 0: segment 0, u = 0
  EXPECT_EQ(act::eval(t, f(-0.5f)), f(10.5f));
  EXPECT_EQ(act::eval(t, f(0.0f)), f(20.0f));  // t = 1: segment 1, u = 0
  EXPECT_EQ(act::eval(t, f(-0.0f)), f(20.0f));
  EXPECT_EQ(act::eval(t, f(0.5f)), f(21.0f));
  // x = 1 - 2^-23: t = 2 - 2^-23 < nseg, segment 1 with u = 1 - 2^-23.
  const f32_bits u = 0x3F7FFFFEu;
  EXPECT_EQ(act::eval(t, u), num::f32_add(num::f32_mul(f(2.0f), u), f(20.0f)));
  EXPECT_EQ(act::eval(t, 0x3F7FFFFFu), f(7.0f));   // x = 1 - 2^-24: x - lo rounds to 2 = nseg
  EXPECT_EQ(act::eval(t, f(1.0f)), f(7.0f));       // t = 2 = nseg: right rule
  EXPECT_EQ(act::eval(t, 0xBF800001u), f(-5.0f));  // t < 0: left rule
  EXPECT_EQ(act::eval(t, kInf), f(7.0f));
  EXPECT_EQ(act::eval(t, kNegInf), f(-5.0f));
  EXPECT_EQ(act::eval(t, 0x7FC00000u), kNan);
  EXPECT_EQ(act::eval(t, 0xFF800001u), kNan);
}

TEST(Table, LinearBoundaries) {
  Table t = two_segments();
  t.left_linear = true;
  t.left_a = f(3.0f);
  t.left_b = f(2.0f);
  t.right_linear = true;
  t.right_a = f(1.0f);
  t.right_b = f(0.5f);
  EXPECT_EQ(act::eval(t, f(-2.0f)), f(-1.0f));  // 2 * -2 + 3
  EXPECT_EQ(act::eval(t, f(4.0f)), f(3.0f));    // 0.5 * 4 + 1
  EXPECT_EQ(act::eval(t, f(1.0f)), f(1.5f));
  EXPECT_EQ(act::eval(t, kNegInf), kNegInf);
  EXPECT_EQ(act::eval(t, kInf), kInf);
  // mul then add, each rounded (no fused multiply-add): (1 + 2^-23)^2 rounds to 1 + 2^-22,
  // which a_R = -(1 + 2^-22) cancels exactly; a fused b * x + a would give 2^-46.
  t.right_b = 0x3F800001u;
  t.right_a = 0xBF800002u;
  EXPECT_EQ(act::eval(t, 0x3F800001u), 0u);
  // A linear rule with slope 0 at an infinity is 0 * inf: NaN.
  t.right_b = 0u;
  EXPECT_EQ(act::eval(t, kInf), kNan);
}

TEST(Table, HornerOrderAndUnusedCoefficients) {
  Table t;
  t.nseg = 1;
  t.degree = 3;
  t.lo = 0u;
  t.inv_w = f(1.0f);
  const f32_bits c[4] = {f(0.1f), f(-1.7f), f(2.3f), f(0.9f)};
  t.coef = {{c[0], c[1], c[2], c[3]}};
  std::mt19937_64 rng(test_seed() + 1);
  for (int i = 0; i < 10000; ++i) {
    const f32_bits u = f(std::ldexp(static_cast<float>(rng() % (1u << 24)), -24));
    const f32_bits want = num::f32_add(
        num::f32_mul(num::f32_add(num::f32_mul(num::f32_add(num::f32_mul(c[3], u), c[2]), u), c[1]), u), c[0]);
    ASSERT_EQ(act::eval(t, u), want) << std::hex << u;
  }
  // Coefficients above the degree are ignored.
  t.degree = 1;
  const f32_bits x = f(0.375f);
  const f32_bits lin = act::eval(t, x);
  t.coef[0][2] = kNan;
  t.coef[0][3] = 0x12345678u;
  EXPECT_EQ(act::eval(t, x), lin);
  EXPECT_EQ(lin, num::f32_add(num::f32_mul(c[1], x), c[0]));
  t.degree = 0;
  EXPECT_EQ(act::eval(t, x), c[0]);
}

TEST(Table, ComparisonIsOnTheRoundedT) {
  // lo = 0, 3 segments, inv_w = 3 + 2^-22: the range ends at 3 / inv_w = 0.99999984. x =
  // 0.99999982 is below it, but t = mul(x, inv_w) rounds to 3.0 = nseg: the right rule applies.
  Table t;
  t.nseg = 3;
  t.degree = 0;
  t.inv_w = 0x40400002u;
  t.right_a = f(42.0f);
  t.coef = {{f(1.0f)}, {f(2.0f)}, {f(3.0f)}};
  ASSERT_LT(d(0x3F7FFFFDu), 3.0 / d(t.inv_w));
  EXPECT_EQ(act::eval(t, 0x3F7FFFFDu), f(42.0f));
  EXPECT_EQ(act::eval(t, 0x3F7FFFFCu), f(3.0f));
}

TEST(Table, DegenerateScales) {
  Table t = two_segments();
  t.inv_w = 0u;  // every finite x lands on t = +-0: segment 0; inf * 0 is NaN
  EXPECT_EQ(act::eval(t, f(123.0f)), f(10.0f));
  EXPECT_EQ(act::eval(t, kInf), kNan);
  t.inv_w = kNan;
  EXPECT_EQ(act::eval(t, f(0.0f)), kNan);
  // Boundary constants and degree-0 coefficients follow the fp32 output rules: DAZ, canonical NaN.
  t = two_segments();
  t.left_a = 0x80000001u;
  EXPECT_EQ(act::eval(t, f(-3.0f)), 0x80000000u);
  t.right_a = 0xFFC00001u;
  EXPECT_EQ(act::eval(t, f(100.0f)), kNan);
}

// ---- ReLU: exact ----------------------------------------------------------------------------
// relu(x) == max(x, +0) (section 5: -0 < +0, DAZ, NaN -> canonical NaN) for every x.
TEST(Table, ReluIsExact) {
  const Table t = act::relu();
  ASSERT_FALSE(t.invalid_reason().has_value());
  const f32_bits edge[] = {0x00000000u, 0x80000000u, 0x00000001u, 0x807FFFFFu, 0x00800000u,
                           0x80800000u, 0x7F7FFFFFu, 0xFF7FFFFFu, kInf,        kNegInf,
                           0x7FC00000u, 0xFFFFFFFFu, 0x3F800000u, 0xBF800000u, 0x00800001u};
  for (const f32_bits x : edge) EXPECT_EQ(act::eval(t, x), num::f32_max(x, 0u)) << std::hex << x;
  EXPECT_EQ(act::eval(t, 0x80000000u), 0x00000000u);  // -0 gives +0
  EXPECT_EQ(act::eval(t, 0x00000001u), 0x00000000u);  // a denormal is a zero
  std::mt19937_64 rng(test_seed() + 2);
  for (int i = 0; i < 2'000'000; ++i) {
    const f32_bits x = static_cast<f32_bits>(rng());
    ASSERT_EQ(act::eval(t, x), num::f32_max(x, 0u)) << std::hex << x;
  }
  // Every exponent, both signs, the smallest and largest fractions.
  for (std::uint32_t e = 0; e < 256; ++e) {
    for (const std::uint32_t frac : {0u, 1u, 0x7FFFFFu}) {
      for (const std::uint32_t s : {0u, 0x80000000u}) {
        const f32_bits x = s | (e << 23) | frac;
        ASSERT_EQ(act::eval(t, x), num::f32_max(x, 0u)) << std::hex << x;
      }
    }
  }
}

// The named activation tables and their accuracy are the driver's
// (sw/driver/tests/test_activations.cpp).
namespace {
double ref_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
}  // namespace

TEST(Table, FitReproducesACubic) {
  // 1 + 2x + 3x^2 + 4x^3 on [0, 4) with 4 segments: in u = x - i every coefficient is an
  // integer, so least squares must recover them exactly (after rounding to fp32).
  const Table t = act::fit_table([](double x) { return 1 + x * (2 + x * (3 + 4 * x)); }, 0.0, 4.0, 4, 3,
                                 act::Boundary::constant(0.0), act::Boundary::asymptote(-1.0, 0.5));
  const float want[4][4] = {{1, 2, 3, 4}, {10, 20, 15, 4}, {49, 62, 27, 4}, {142, 128, 39, 4}};
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) EXPECT_EQ(t.coef[i][j], f(want[i][j])) << i << "," << j;
  }
  EXPECT_EQ(t.inv_w, f(1.0f));
  EXPECT_TRUE(t.right_linear);
  EXPECT_EQ(t.right_a, f(-1.0f));
  EXPECT_EQ(t.right_b, f(0.5f));
  EXPECT_FALSE(t.left_linear);
  EXPECT_EQ(act::eval(t, f(2.5f)), f(1 + 2.5f * (2 + 2.5f * (3 + 4 * 2.5f))));  // exact here
  EXPECT_THROW(act::fit_table(ref_sigmoid, 0, 1, 0, 3, {}, {}), std::invalid_argument);
  EXPECT_THROW(act::fit_table(ref_sigmoid, 0, 1, 65, 3, {}, {}), std::invalid_argument);
  EXPECT_THROW(act::fit_table(ref_sigmoid, 0, 1, 8, 4, {}, {}), std::invalid_argument);
  EXPECT_THROW(act::fit_table(ref_sigmoid, 1, 1, 8, 3, {}, {}), std::invalid_argument);
  EXPECT_THROW(act::fit_table(ref_sigmoid, 0, NAN, 8, 3, {}, {}), std::invalid_argument);
}

TEST(Table, FitPinsZeroWhenASegmentStartsThere) {
  const auto log2_sigmoid = [](double x) {
    return (x < 0 ? x - std::log1p(std::exp(x)) : -std::log1p(std::exp(-x))) / std::log(2.0);
  };
  // [-16, 16) with 64 segments: x = 0 starts segment 32; T(0) = log2(1/2) = -1 exactly.
  const Table pinned = act::fit_table(log2_sigmoid, -16.0, 16.0, 64, 3, {}, {}, true);
  EXPECT_EQ(act::eval(pinned, 0u), f(-1.0f));
  EXPECT_EQ(act::eval(pinned, f(1e-30f)), f(-1.0f)) << "t rounds to 32 exactly";
  EXPECT_EQ(pinned.coef[32][0], f(-1.0f));
  const Table free_fit = act::fit_table(log2_sigmoid, -16.0, 16.0, 64, 3, {}, {});
  EXPECT_NE(free_fit.coef[32][0], f(-1.0f)) << "least squares alone misses it (the pin is what fixes it)";
  for (int i = 0; i < 64; ++i) {
    if (i != 32) {
      EXPECT_EQ(pinned.coef[i], free_fit.coef[i]) << "only the segment at 0 changes, " << i;
    }
  }
  // No segment starts at 0 in [-15.9, 16.1): nothing pinned.
  EXPECT_EQ(act::fit_table(log2_sigmoid, -15.9, 16.1, 64, 3, {}, {}, true).coef,
            act::fit_table(log2_sigmoid, -15.9, 16.1, 64, 3, {}, {}).coef);
}
