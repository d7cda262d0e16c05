// Golden numerics against the host's IEEE arithmetic (with DAZ/FTZ emulated by hand) and
// against independent double-precision references of the rounding rules in docs/numerics.md.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include "systole/golden/numerics.hpp"

using namespace systole::golden::num;

namespace {

std::uint64_t test_seed() {
  const char* s = std::getenv("SYSTOLE_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 0x5EED0001ull;
}

std::uint64_t samples(std::uint64_t dflt) {
  const char* s = std::getenv("SYSTOLE_GOLDEN_SAMPLES");
  return s ? std::strtoull(s, nullptr, 0) : dflt;
}

float host_f(f32_bits x) { return std::bit_cast<float>(x); }
f32_bits host_bits(float f) { return std::bit_cast<f32_bits>(f); }

// Host reference for fp32 add: DAZ inputs by hand, IEEE add, FTZ the result by hand.
f32_bits host_add_ftz(f32_bits a, f32_bits b) {
  const float r = host_f(f32_daz(a)) + host_f(f32_daz(b));
  if (std::isnan(r)) return kF32CanonicalNan;
  return f32_daz(host_bits(r));
}

// Round a finite double to `p` significant bits with RNE, unbounded exponent.
double round_sig(double v, int p) {
  if (v == 0.0) return v;
  int e;
  const double m = std::frexp(v, &e);  // v = m * 2^e, 0.5 <= |m| < 1
  return std::ldexp(std::nearbyint(std::ldexp(m, p)), e - p);
}

// Reference fp32 result of an exact real value (section 2 rules 3-5).
f32_bits ref_f32_from_exact(double exact) {
  if (std::isnan(exact)) return kF32CanonicalNan;
  const double r = round_sig(exact, 24);
  if (std::fabs(r) >= std::ldexp(1.0, 128)) return std::signbit(r) ? kF32NegInf : kF32PosInf;
  if (std::fabs(r) < std::ldexp(1.0, -126)) return std::signbit(exact) ? 0x80000000u : 0u;
  return host_bits(static_cast<float>(r));
}

// A random fp32 bit pattern biased toward interesting exponents.
struct F32Gen {
  std::mt19937_64 rng;
  explicit F32Gen(std::uint64_t seed) : rng(seed) {}
  f32_bits any() { return static_cast<f32_bits>(rng()); }
  f32_bits with_exp(unsigned e) { return (static_cast<f32_bits>(rng()) & 0x807FFFFFu) | ((e & 0xFFu) << 23); }
  f32_bits next() {
    switch (rng() % 6) {
      case 0: return any();
      case 1: return with_exp(static_cast<unsigned>(rng() % 8));         // near/below normal
      case 2: return with_exp(247 + static_cast<unsigned>(rng() % 9));   // near overflow
      case 3: return with_exp(120 + static_cast<unsigned>(rng() % 16));  // around 1.0
      case 4: return static_cast<f32_bits>(rng()) & 0x807FFFFFu;         // denormals and zeros
      default: return with_exp(static_cast<unsigned>(rng() % 256));
    }
  }
  // A partner for x: same or nearby exponent (cancellation, ties) most of the time.
  f32_bits near(f32_bits x) {
    const unsigned e = (x >> 23) & 0xFFu;
    switch (rng() % 4) {
      case 0: return next();
      case 1: return with_exp(e);
      case 2: return x ^ 0x80000000u ^ (static_cast<f32_bits>(rng()) & 0x3Fu);  // near -x
      default: return with_exp(e > 26 ? e - static_cast<unsigned>(rng() % 27) : e);
    }
  }
};

struct Example {
  const char* what;
  std::uint32_t a, b, expect;
};

}  // namespace

// ---- docs/numerics.md section 7, row by row ---------------------------------------------
TEST(GoldenNumerics, WorkedExamplesAdd) {
  const Example ex[] = {
      {"tie rounds to even (down)", 0x3F800000, 0x33800000, 0x3F800000},
      {"tie rounds to even (up)", 0x3F800001, 0x33800000, 0x3F800002},
      {"tiny result flushed, sign kept", 0x00800000, 0x80800001, 0x80000000},
      {"denormal input is zero", 0x00400000, 0x3F800000, 0x3F800000},
      {"overflow to +inf", 0x7F7FFFFF, 0x73800000, 0x7F800000},
      {"inf - inf", 0x7F800000, 0xFF800000, 0x7FC00000},
      {"-0 + -0", 0x80000000, 0x80000000, 0x80000000},
      {"x + -x", 0x3F800000, 0xBF800000, 0x00000000},
  };
  for (const auto& e : ex) EXPECT_EQ(f32_add(e.a, e.b), e.expect) << e.what;
}

TEST(GoldenNumerics, WorkedExamplesProducts) {
  EXPECT_EQ(bf16_mul(0x3F80, 0x3F80), 0x3F800000u);
  EXPECT_EQ(bf16_mul(0x3FFF, 0x3FFF), 0x407E0100u);
  EXPECT_EQ(bf16_mul(0x0080, 0x3F00), 0x00000000u);
  EXPECT_EQ(bf16_mul(0x7F80, 0x0000), 0x7FC00000u);
  EXPECT_EQ(fp8_mul(0x01, 0x01), 0x36800000u);
  EXPECT_EQ(fp8_mul(0x7E, 0x7E), 0x48440000u);
  EXPECT_EQ(int8_mac(0x7FFFFFFF, 1, 1), static_cast<std::int32_t>(0x80000000u));
  EXPECT_EQ(int8_mac(0, -128, -128), 0x4000);
}

TEST(GoldenNumerics, WorkedExamplesCasts) {
  EXPECT_EQ(f32_to_bf16(0x3F808000), 0x3F80);
  EXPECT_EQ(f32_to_bf16(0x3F818000), 0x3F82);
  EXPECT_EQ(f32_to_bf16(0x7F7FFFFF), 0x7F80);
  EXPECT_EQ(f32_to_fp8(0x43E00000), 0x7E);
  EXPECT_EQ(f32_to_fp8(0x43E80000), 0x7E);
  EXPECT_EQ(f32_to_fp8(0x43EC0000), 0x7E);
  EXPECT_EQ(f32_to_fp8(0x7F800000), 0x7E);
  EXPECT_EQ(f32_to_fp8(0x3A800000), 0x00);
  EXPECT_EQ(f32_to_fp8(0x3AC00000), 0x01);
  EXPECT_EQ(f32_to_int8(0x42FF0000), 127);
  EXPECT_EQ(f32_to_int8(0x40200000), 2);
  EXPECT_EQ(f32_to_int8(0xC0600000), -4);
  EXPECT_EQ(f32_to_int8(0x7FC00000), 0);
}

// ---- 10 million random adds against the host FPU --------------------------------------------
TEST(GoldenNumerics, AddMatchesHostIeeeWithFtz) {
  const std::uint64_t seed = test_seed();
  F32Gen g(seed);
  const std::uint64_t n = samples(10'000'000);
  std::uint64_t bad = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    const f32_bits a = g.next();
    const f32_bits b = g.near(a);
    const f32_bits want = host_add_ftz(a, b);
    const f32_bits got = f32_add(a, b);
    if (got != want && ++bad <= 10) {
      ADD_FAILURE() << std::hex << "add " << a << " + " << b << ": golden " << got << ", host " << want << std::dec
                    << " (replay: SYSTOLE_SEED=" << seed << ")";
    }
  }
  EXPECT_EQ(bad, 0u);
}

TEST(GoldenNumerics, SubIsAddOfNegation) {
  F32Gen g(test_seed() + 1);
  for (int i = 0; i < 1'000'000; ++i) {
    const f32_bits a = g.next(), b = g.near(a);
    const float r = host_f(f32_daz(a)) - host_f(f32_daz(b));
    const f32_bits want = std::isnan(r) ? kF32CanonicalNan : f32_daz(host_bits(r));
    ASSERT_EQ(f32_sub(a, b), want) << std::hex << a << " - " << b;
  }
}

// fp32 products are exact in double (24 x 24 bits), so the reference rounds exactly once.
TEST(GoldenNumerics, MulMatchesUnboundedExponentReference) {
  F32Gen g(test_seed() + 2);
  const std::uint64_t n = samples(10'000'000) / 2;
  for (std::uint64_t i = 0; i < n; ++i) {
    const f32_bits a = g.next(), b = g.next();
    const double exact = static_cast<double>(host_f(f32_daz(a))) * host_f(f32_daz(b));
    ASSERT_EQ(f32_mul(a, b), ref_f32_from_exact(exact)) << std::hex << a << " * " << b;
  }
}

TEST(GoldenNumerics, Bf16MulExactWhereInRange) {
  std::mt19937_64 rng(test_seed() + 3);
  for (int i = 0; i < 2'000'000; ++i) {
    const auto a = static_cast<bf16_bits>(rng()), b = static_cast<bf16_bits>(rng());
    const double exact = static_cast<double>(host_f(bf16_to_f32(a))) * host_f(bf16_to_f32(b));
    ASSERT_EQ(bf16_mul(a, b), ref_f32_from_exact(exact)) << std::hex << a << " * " << b;
  }
}

TEST(GoldenNumerics, Fp8MulExhaustive) {
  for (unsigned a = 0; a < 256; ++a) {
    for (unsigned b = 0; b < 256; ++b) {
      const double exact = fp8_to_double(static_cast<fp8_bits>(a)) * fp8_to_double(static_cast<fp8_bits>(b));
      const f32_bits got = fp8_mul(static_cast<fp8_bits>(a), static_cast<fp8_bits>(b));
      if (std::isnan(exact)) {
        ASSERT_EQ(got, kF32CanonicalNan);
      } else {
        // Always exact and normal: compare values directly.
        ASSERT_EQ(f32_to_double(got), exact) << std::hex << a << " * " << b;
        ASSERT_FALSE(f32_is_denormal(got));
      }
    }
  }
}

TEST(GoldenNumerics, Int8MacWraps) {
  std::mt19937_64 rng(test_seed() + 4);
  for (int i = 0; i < 1'000'000; ++i) {
    const auto acc = static_cast<std::int32_t>(rng());
    const auto a = static_cast<std::int8_t>(rng()), b = static_cast<std::int8_t>(rng());
    const std::int64_t wide = static_cast<std::int64_t>(acc) + a * b;
    ASSERT_EQ(int8_mac(acc, a, b), static_cast<std::int32_t>(static_cast<std::uint32_t>(wide)));
  }
}

// ---- conversions against double-based references -------------------------------------------
namespace {
bf16_bits ref_to_bf16(f32_bits x) {
  x = f32_daz(x);
  const float f = host_f(x);
  if (std::isnan(f)) return kBf16CanonicalNan;
  if (std::isinf(f)) return static_cast<bf16_bits>(x >> 16);
  const double r = round_sig(f, 8);
  if (std::fabs(r) >= std::ldexp(1.0, 128)) return std::signbit(r) ? 0xFF80 : 0x7F80;
  return static_cast<bf16_bits>(host_bits(static_cast<float>(r)) >> 16);
}

fp8_bits ref_to_fp8(f32_bits x) {
  x = f32_daz(x);
  const float f = host_f(x);
  if (std::isnan(f)) return kFp8CanonicalNan;
  const fp8_bits s = std::signbit(f) ? 0x80 : 0x00;
  const double a = std::fabs(static_cast<double>(f));
  // Spacing: 2^(e-3) for normals (a >= 2^-6), 2^-9 below.
  int e;
  std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1): unbiased exponent is e-1
  const int q = std::max(e - 1 - 3, -9);
  const double r = std::isinf(a) ? a : std::ldexp(std::nearbyint(std::ldexp(a, -q)), q);
  if (r > 448.0) return s | 0x7E;
  // Find the code by search: the representable set is small.
  for (unsigned c = 0; c < 0x7F; ++c) {
    if (fp8_to_double(static_cast<fp8_bits>(c)) == r) return s | static_cast<fp8_bits>(c);
  }
  ADD_FAILURE() << "unrepresentable " << r;
  return 0;
}

std::int64_t ref_to_int(f32_bits x, std::int64_t lo, std::int64_t hi) {
  const float f = host_f(f32_daz(x));
  if (std::isnan(f)) return 0;
  const double r = std::nearbyint(static_cast<double>(f));
  if (r <= static_cast<double>(lo)) return lo;
  if (r >= static_cast<double>(hi)) return hi;
  return static_cast<std::int64_t>(r);
}
}  // namespace

TEST(GoldenNumerics, CastsMatchReferenceOnStridedSweep) {
  // Every 251st fp32 pattern (a prime stride visits every exponent/fraction mix) plus random.
  std::mt19937_64 rng(test_seed() + 5);
  auto check = [](f32_bits x) {
    ASSERT_EQ(f32_to_bf16(x), ref_to_bf16(x)) << std::hex << x;
    ASSERT_EQ(f32_to_fp8(x), ref_to_fp8(x)) << std::hex << x;
    ASSERT_EQ(f32_to_int8(x), ref_to_int(x, -128, 127)) << std::hex << x;
    ASSERT_EQ(f32_to_int32(x), ref_to_int(x, INT32_MIN, INT32_MAX)) << std::hex << x;
  };
  for (std::uint64_t x = 0; x <= 0xFFFFFFFFull; x += 251) check(static_cast<f32_bits>(x));
  for (int i = 0; i < 1'000'000; ++i) {
    // Values near the fp8 and int8 ranges.
    const auto e = static_cast<unsigned>(110 + rng() % 30);
    check((static_cast<f32_bits>(rng()) & 0x807FFFFFu) | (e << 23));
  }
}

TEST(GoldenNumerics, IntToFloatMatchesHost) {
  std::mt19937_64 rng(test_seed() + 6);
  for (int i = 0; i < 2'000'000; ++i) {
    const auto v = static_cast<std::int32_t>(rng() >> (rng() % 32));
    ASSERT_EQ(int32_to_f32(v), host_bits(static_cast<float>(v))) << v;
  }
  EXPECT_EQ(int32_to_f32(INT32_MIN), 0xCF000000u);
  EXPECT_EQ(int32_to_f32(16777217), 0x4B800000u);  // 2^24 + 1: tie to even
  for (int v = -128; v < 128; ++v)
    EXPECT_EQ(int8_to_f32(static_cast<std::int8_t>(v)), host_bits(static_cast<float>(v)));
}

TEST(GoldenNumerics, Fp8ToF32Exhaustive) {
  for (unsigned c = 0; c < 256; ++c) {
    const double want = fp8_to_double(static_cast<fp8_bits>(c));
    const f32_bits got = fp8_to_f32(static_cast<fp8_bits>(c));
    if (std::isnan(want)) {
      EXPECT_EQ(got, kF32CanonicalNan) << c;
    } else {
      EXPECT_EQ(f32_to_double(got), want) << c;
    }
    // Round trip: every finite fp8 survives fp8 -> fp32 -> fp8.
    if (!std::isnan(want)) {
      EXPECT_EQ(f32_to_fp8(got), static_cast<fp8_bits>(c)) << c;
    }
  }
}

TEST(GoldenNumerics, CompareMaxMinMatchHost) {
  F32Gen g(test_seed() + 7);
  for (int i = 0; i < 2'000'000; ++i) {
    const f32_bits a = g.next(), b = g.near(a);
    const float fa = host_f(f32_daz(a)), fb = host_f(f32_daz(b));
    ASSERT_EQ(f32_eq(a, b), fa == fb);
    ASSERT_EQ(f32_lt(a, b), fa < fb);
    ASSERT_EQ(f32_le(a, b), fa <= fb);
    if (std::isnan(fa) || std::isnan(fb)) {
      ASSERT_EQ(f32_max(a, b), kF32CanonicalNan);
      ASSERT_EQ(f32_min(a, b), kF32CanonicalNan);
    } else if (fa != fb) {
      ASSERT_EQ(f32_max(a, b), f32_daz(fa > fb ? a : b));
      ASSERT_EQ(f32_min(a, b), f32_daz(fa < fb ? a : b));
    }
  }
  EXPECT_EQ(f32_max(0x80000000, 0x00000000), 0x00000000u);  // -0 < +0
  EXPECT_EQ(f32_min(0x00000000, 0x80000000), 0x80000000u);
}
