// Built-in activation functions (docs/numerics.md section 6): special values, accuracy against
// correctly rounded long-double references, pinned bit-exact vectors, and an independent
// host-float transcription of the documented steps.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <random>

#include "systole/golden/activation.hpp"

using namespace systole::golden;
using num::f32_bits;

namespace {

constexpr f32_bits kNan = num::kF32CanonicalNan;
constexpr f32_bits kInf = num::kF32PosInf;
constexpr f32_bits kNegInf = num::kF32NegInf;
constexpr f32_bits kZero = 0x00000000u;
constexpr f32_bits kNegZero = 0x80000000u;
constexpr f32_bits kOne = num::kF32One;
constexpr f32_bits kMinNormal = 0x00800000u;

std::uint64_t test_seed() {
  const char* s = std::getenv("SYSTOLE_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 0x5EED0003ull;
}

float host_f(f32_bits x) { return std::bit_cast<float>(x); }
f32_bits host_bits(float f) { return std::bit_cast<f32_bits>(f); }
unsigned exp_field(f32_bits x) { return (x >> 23) & 0xFFu; }
bool is_normal(f32_bits x) { return exp_field(x) != 0 && exp_field(x) != 255; }

// Position on the real line in ulps: adjacent fp32 values differ by 1, +0 and -0 coincide.
std::int64_t ulp_key(f32_bits x) {
  const std::int64_t mag = x & 0x7FFFFFFFu;
  return (x & 0x80000000u) ? -mag : mag;
}

// The section-2 result for an exact value: 24 significant bits with an unbounded exponent,
// then FTZ / overflow. long double (64-bit significand) makes a double rounding harmless.
f32_bits ref_f32(long double v) {
  if (std::isnan(v)) return kNan;
  if (v == 0.0L) return std::signbit(v) ? kNegZero : kZero;
  int e;
  const long double m = std::frexp(v, &e);  // |m| in [0.5, 1)
  const long double r = std::ldexp(std::nearbyint(std::ldexp(m, 24)), e - 24);
  if (std::fabs(r) >= std::ldexp(1.0L, 128)) return std::signbit(v) ? kNegInf : kInf;
  if (std::fabs(r) < std::ldexp(1.0L, -126)) return std::signbit(v) ? kNegZero : kZero;
  return host_bits(static_cast<float>(r));
}

struct Accuracy {
  std::int64_t max_ulp = 0;
  f32_bits worst = 0;
  std::uint64_t n = 0;
  // Count x if its correctly rounded result is normal; false if it was skipped.
  bool add(f32_bits x, f32_bits got, f32_bits want) {
    if (!is_normal(want)) return false;
    // A non-normal result where a normal one is due is an unbounded error.
    const std::int64_t d = is_normal(got) ? std::llabs(ulp_key(got) - ulp_key(want)) : 1 << 30;
    ++n;
    if (d > max_ulp) {
      max_ulp = d;
      worst = x;
    }
    return true;
  }
};

using Fn = f32_bits (*)(f32_bits);
using Ref = long double (*)(long double);

// Every fp32 pattern in [first, last] with the given stride, both as given and negated.
Accuracy sweep(Fn f, Ref ref, f32_bits first, f32_bits last, std::uint32_t stride, bool both_signs,
               const std::function<bool(f32_bits)>& skip = nullptr) {
  Accuracy a;
  for (std::uint64_t b = first; b <= last; b += stride) {
    for (const f32_bits x : {static_cast<f32_bits>(b), static_cast<f32_bits>(b) ^ 0x80000000u}) {
      if (!skip || !skip(x)) a.add(x, f(x), ref_f32(ref(static_cast<long double>(host_f(x)))));
      if (!both_signs) break;
    }
  }
  return a;
}

long double ref_exp2(long double x) { return std::exp2(x); }
long double ref_exp(long double x) { return std::exp(x); }
long double ref_recip(long double x) { return 1.0L / x; }
long double ref_rsqrt(long double x) { return 1.0L / std::sqrt(x); }

void report(const char* what, const Accuracy& a) {
  std::printf("[ measured ] %-34s max %lld ulp at %08X over %llu inputs\n", what, static_cast<long long>(a.max_ulp),
              a.worst, static_cast<unsigned long long>(a.n));
}

}  // namespace

// ---- special values ------------------------------------------------------------------------
TEST(Activation, Exp2SpecialValues) {
  for (const f32_bits nan : {0x7FC00000u, 0xFFC00001u, 0x7F800001u}) EXPECT_EQ(act::exp2(nan), kNan);
  EXPECT_EQ(act::exp2(kZero), kOne);
  EXPECT_EQ(act::exp2(kNegZero), kOne);
  EXPECT_EQ(act::exp2(0x00400000u), kOne);  // denormal input is a zero (DAZ)
  EXPECT_EQ(act::exp2(kInf), kInf);
  EXPECT_EQ(act::exp2(kNegInf), kZero);
  EXPECT_EQ(act::exp2(0x43000000u), kInf);  // 128: x >= 128
  EXPECT_EQ(act::exp2(0x7F7FFFFFu), kInf);
  EXPECT_TRUE(is_normal(act::exp2(0x42FFFFFFu)));  // just below 128: finite
  EXPECT_EQ(act::exp2(0xC2FC0000u), kMinNormal);   // -126: exactly 2^-126
  EXPECT_EQ(act::exp2(0xC2FC0001u), kZero);        // just below -126: flushed to +0
  EXPECT_EQ(act::exp2(0xC2FD0000u), kZero);        // -126.5
  EXPECT_EQ(act::exp2(0xFF7FFFFFu), kZero);
  // Integers are exact powers of two (r = 0, the polynomial gives c0 = 1).
  for (int n = -126; n <= 127; ++n) {
    EXPECT_EQ(act::exp2(num::int32_to_f32(n)), static_cast<f32_bits>(n + 127) << 23) << n;
  }
}

TEST(Activation, ExpSpecialValues) {
  for (const f32_bits nan : {0x7FC00000u, 0xFFC00001u, 0x7F800001u}) EXPECT_EQ(act::exp(nan), kNan);
  EXPECT_EQ(act::exp(kZero), kOne);
  EXPECT_EQ(act::exp(kNegZero), kOne);
  EXPECT_EQ(act::exp(0x80000001u), kOne);
  EXPECT_EQ(act::exp(kInf), kInf);
  EXPECT_EQ(act::exp(kNegInf), kZero);
  EXPECT_EQ(act::exp(0x42B17218u), kInf);         // 88.72284 > ln(FLT_MAX)
  EXPECT_EQ(act::exp(0x42C80000u), kInf);         // 100
  EXPECT_EQ(act::exp(0xC2C80000u), kZero);        // -100
  EXPECT_EQ(act::exp(0xC2AEAC4Fu), 0x00800026u);  // -87.336540 > ln(2^-126): normal
  EXPECT_EQ(act::exp(0xC2AEAC50u), kZero);        // -87.336548 < ln(2^-126): denormal, flushed
}

TEST(Activation, RecipSpecialValues) {
  for (const f32_bits nan : {0x7FC00000u, 0xFFC00001u, 0x7F800001u}) EXPECT_EQ(act::recip(nan), kNan);
  EXPECT_EQ(act::recip(kZero), kInf);
  EXPECT_EQ(act::recip(kNegZero), kNegInf);
  EXPECT_EQ(act::recip(0x00000001u), kInf);  // denormals are zeros
  EXPECT_EQ(act::recip(0x80400000u), kNegInf);
  EXPECT_EQ(act::recip(kInf), kZero);
  EXPECT_EQ(act::recip(kNegInf), kNegZero);
  EXPECT_EQ(act::recip(kMinNormal), 0x7E800000u);   // 2^126 exactly: powers of two are exact
  EXPECT_EQ(act::recip(0x40000000u), 0x3F000000u);  // 1/2 exactly (y = 1 for m = 1)
  EXPECT_EQ(act::recip(0x3F800000u), 0x3F800000u);  // 1/1
  EXPECT_EQ(act::recip(0xC0400000u), 0xBEAAAAABu);  // -1/3, correctly rounded
  // FTZ in step 4: |x| > 2^126 gives a zero with the sign of x (the true result is denormal);
  // |x| = 2^126 gives the normal 2^-126 because y = 1 exactly for m = 1.
  EXPECT_EQ(act::recip(0x7E800000u), 0x00800000u);
  EXPECT_EQ(act::recip(0xFE800000u), 0x80800000u);
  EXPECT_EQ(act::recip(0x7E800001u), kZero);
  EXPECT_EQ(act::recip(0x7F000000u), kZero);
  EXPECT_EQ(act::recip(0xFF7FFFFFu), kNegZero);
  EXPECT_TRUE(is_normal(act::recip(0x7E7FFFFFu)));
}

TEST(Activation, RsqrtSpecialValues) {
  for (const f32_bits nan : {0x7FC00000u, 0xFFC00001u, 0x7F800001u}) EXPECT_EQ(act::rsqrt(nan), kNan);
  EXPECT_EQ(act::rsqrt(kZero), kInf);
  EXPECT_EQ(act::rsqrt(kNegZero), kNegInf);
  EXPECT_EQ(act::rsqrt(0x00000001u), kInf);     // +denormal is +0
  EXPECT_EQ(act::rsqrt(0x80000001u), kNegInf);  // -denormal is -0, not a negative number
  EXPECT_EQ(act::rsqrt(kInf), kZero);
  for (const f32_bits neg : {kNegInf, 0xBF800000u, 0x80800000u, 0xFF7FFFFFu}) {
    EXPECT_EQ(act::rsqrt(neg), kNan) << std::hex << neg;
  }
  EXPECT_EQ(act::rsqrt(kMinNormal), 0x5F000000u);   // 2^63 exactly (m = 1)
  EXPECT_EQ(act::rsqrt(0x7F7FFFFFu), 0x1F800000u);  // never flushes, never overflows
  EXPECT_EQ(act::rsqrt(0x3F7FFFFFu), kOne);
}

// ---- accuracy (numerics.md section 6: EXP2, EXP within 8 ulp; RECIP, RSQRT within 4 ulp) -----
constexpr std::int64_t kDocExp2Ulp = 4;
constexpr std::int64_t kDocExpUlp = 2;
constexpr std::int64_t kDocRecipUlp = 4;

// Sweep strides: the defaults keep the whole file to seconds; SYSTOLE_EXHAUSTIVE=1 visits every
// input of every sweep (minutes).
std::uint32_t stride(std::uint32_t dflt) { return std::getenv("SYSTOLE_EXHAUSTIVE") ? 1 : dflt; }

void merge(Accuracy& into, const Accuracy& a) {
  if (a.max_ulp > into.max_ulp) into.worst = a.worst;
  into.max_ulp = std::max(into.max_ulp, a.max_ulp);
  into.n += a.n;
}

TEST(Activation, Exp2Accuracy) {
  // Normal x in [-126, 128): positive patterns up to 128, negative ones down to -126, plus the
  // binades next to both ends and [0.5, 1) (r = +-0.5) more densely.
  Accuracy a = sweep(act::exp2, ref_exp2, 0x00800000u, 0x42FFFFFFu, stride(1021), false);
  merge(a, sweep(act::exp2, ref_exp2, 0x80800000u, 0xC2FC0000u, stride(1021), false));
  merge(a, sweep(act::exp2, ref_exp2, 0x42FE0000u, 0x42FFFFFFu, stride(3), false));
  merge(a, sweep(act::exp2, ref_exp2, 0xC2FA0000u, 0xC2FC0000u, stride(3), false));
  merge(a, sweep(act::exp2, ref_exp2, 0x3F000000u, 0x3F7FFFFFu, stride(11), true));
  report("EXP2, x in [-126, 128)", a);
  EXPECT_LE(a.max_ulp, kDocExp2Ulp) << std::hex << a.worst;
}

// EXP uses a two-part range reduction (numerics.md section 6), so the documented bound holds
// over every x whose result is normal, including |x| near 88 where a one-step reduction
// (exp2(x * log2 e)) loses up to 64 ulp.
TEST(Activation, ExpAccuracy) {
  // Every x up to e^x = inf, both signs; then the largest |x| densely.
  Accuracy all = sweep(act::exp, ref_exp, 0x00800000u, 0x42B17217u, stride(509), true);
  merge(all, sweep(act::exp, ref_exp, 0x42A00000u, 0x42B17217u, stride(7), true));
  report("EXP, all x with a normal result", all);
  EXPECT_LE(all.max_ulp, kDocExpUlp) << std::hex << all.worst;
}

// RECIP and RSQRT: y depends only on m, and step 4 only moves the exponent. So a sweep of one
// binade (two for RSQRT: e even and odd) covers the Newton iterations for every m (all of them
// with SYSTOLE_EXHAUSTIVE=1), and a sampled sweep over all exponents covers the scaling.
TEST(Activation, RecipAccuracy) {
  Accuracy a = sweep(act::recip, ref_recip, 0x3F800000u, 0x3FFFFFFFu, stride(3), false);
  report("RECIP, m in [1, 2)", a);
  EXPECT_LE(a.max_ulp, kDocRecipUlp) << std::hex << a.worst;
  // All exponents, both signs.
  a = sweep(act::recip, ref_recip, 0x00800000u, 0x7F7FFFFFu, stride(2039), true);
  report("RECIP, all exponents, both signs", a);
  EXPECT_LE(a.max_ulp, kDocRecipUlp) << std::hex << a.worst;
}

TEST(Activation, RsqrtAccuracy) {
  Accuracy a = sweep(act::rsqrt, ref_rsqrt, 0x3F800000u, 0x407FFFFFu, stride(5), false);
  report("RSQRT, m in [1, 4)", a);
  EXPECT_LE(a.max_ulp, kDocRecipUlp) << std::hex << a.worst;
  a = sweep(act::rsqrt, ref_rsqrt, 0x00800000u, 0x7F7FFFFFu, stride(1021), false);
  report("RSQRT, all exponents", a);
  EXPECT_LE(a.max_ulp, kDocRecipUlp) << std::hex << a.worst;
}

// ---- pinned bit-exact vectors ----------------------------------------------------------------
// Produced once by this implementation and cross-checked against a separate transcription of
// the documented steps in host float (HostFloatTranscriptionAgrees). Any change to the step
// order, a constant or the rounding of an intermediate changes some of them.
struct Vec {
  Fn f;
  const char* name;
  f32_bits x, y;
};

TEST(Activation, PinnedVectors) {
  const Vec v[] = {
      {act::exp2, "exp2(0.5)", 0x3F000000u, 0x3FB504F2u},
      {act::exp2, "exp2(-0.5)", 0xBF000000u, 0x3F3504F5u},
      {act::exp2, "exp2(0.1)", 0x3DCCCCCDu, 0x3F892FDFu},
      {act::exp2, "exp2(pi)", 0x40490FDBu, 0x410D331Cu},
      {act::exp2, "exp2(-84.8)", 0xC2A9999Au, 0x15130878u},
      {act::exp2, "exp2(127.25)", 0x42FE8000u, 0x7F1837F0u},
      {act::exp2, "exp2(127.5)", 0x42FF0000u, 0x7F3504F5u},
      {act::exp2, "exp2(128 - 2^-17)", 0x42FFFFFFu, 0x7F7FFFA7u},
      {act::exp2, "exp2(-126 + 2^-17)", 0xC2FBFFFFu, 0x0080002Cu},
      // Inputs found by search whose result moves when one c_k moves by one ulp (k, sign).
      {act::exp2, "c6 +1", 0x3E89FA31u, 0x3F9A49DCu},
      {act::exp2, "c6 -1", 0x3EA414CEu, 0x3F9FD6A9u},
      {act::exp2, "c6 +1, c5 -1", 0xBE8B536Bu, 0x3F53FE72u},
      {act::exp2, "c5 +1", 0xBE847F55u, 0x3F55F679u},
      {act::exp2, "c5 -1, c4 -1", 0x3E80460Du, 0x3F984661u},
      {act::exp2, "c4 +1", 0xBE802B0Du, 0x3F573871u},
      {act::exp2, "c3 +1", 0xBE8001E8u, 0x3F57446Fu},
      {act::exp2, "c3 -1", 0x3E8002DDu, 0x3F983888u},
      {act::exp2, "c2 +1", 0xBE80000Cu, 0x3F5744F9u},
      {act::exp2, "c2 -1", 0xBE800045u, 0x3F5744E9u},
      {act::exp2, "c1 +1", 0xBE800000u, 0x3F5744FDu},
      {act::exp2, "c1 -1", 0x3E800001u, 0x3F9837F1u},
      {act::exp, "exp(1)", 0x3F800000u, 0x402DF854u},
      {act::exp, "exp(-1)", 0xBF800000u, 0x3EBC5AB2u},
      {act::exp, "exp(0.5)", 0x3F000000u, 0x3FD3094Cu},
      {act::exp, "exp(10)", 0x41200000u, 0x46AC14EEu},
      {act::exp, "exp(-10)", 0xC1200000u, 0x383E6BCEu},
      {act::exp, "exp(88.72283)", 0x42B17217u, 0x7F7FFF84u},
      {act::exp, "exp(88.02405)", 0x42B00C50u, 0x7EFE8F27u},
      {act::exp, "exp(-87.33654)", 0xC2AEAC4Fu, 0x00800026u},
      {act::recip, "recip(1)", 0x3F800000u, 0x3F800000u},
      {act::recip, "recip(3)", 0x40400000u, 0x3EAAAAABu},
      {act::recip, "recip(0.1)", 0x3DCCCCCDu, 0x41200000u},
      {act::recip, "recip(pi)", 0x40490FDBu, 0x3EA2F983u},
      {act::recip, "recip(1 + 2^-23)", 0x3F800001u, 0x3F7FFFFEu},
      {act::recip, "recip(2 - 2^-23)", 0x3FFFFFFFu, 0x3F000000u},
      {act::recip, "recip(1.0005 * 2^-126)", 0x00800C90u, 0x7E7FE6E4u},
      {act::rsqrt, "rsqrt(1)", 0x3F800000u, 0x3F800000u},
      {act::rsqrt, "rsqrt(2)", 0x40000000u, 0x3F3504F4u},
      {act::rsqrt, "rsqrt(3)", 0x40400000u, 0x3F13CD3Bu},
      {act::rsqrt, "rsqrt(4)", 0x40800000u, 0x3F000000u},
      {act::rsqrt, "rsqrt(0.25)", 0x3E800000u, 0x40000000u},
      {act::rsqrt, "rsqrt(0.1)", 0x3DCCCCCDu, 0x404A62C2u},
      {act::rsqrt, "rsqrt(pi)", 0x40490FDBu, 0x3F106EBAu},
      {act::rsqrt, "rsqrt(2^127)", 0x7F000000u, 0x1FB504F4u},
      {act::rsqrt, "rsqrt(1.0025 * 2^-126)", 0x0080522Eu, 0x5EFFADFBu},
  };
  for (const Vec& t : v) EXPECT_EQ(t.f(t.x), t.y) << t.name << std::hex << " got " << t.f(t.x);
}

// A digest of every output over a fixed set of 2^18 inputs per function (all exponents, both
// signs, specials included): a one-ulp change of any constant shows up here even where it
// moves none of the vectors above. Pinned from this implementation like the vectors.
TEST(Activation, PinnedDigests) {
  auto digest = [](Fn fn) {
    std::uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a over the output words
    for (std::uint64_t i = 0; i < (1u << 18); ++i) {
      h = (h ^ fn(static_cast<f32_bits>(i * 0x4001u + (i >> 9)))) * 0x100000001B3ull;
    }
    return h;
  };
  EXPECT_EQ(digest(act::exp2), 0x2AC222C1C5D88272ull) << std::hex << digest(act::exp2);
  EXPECT_EQ(digest(act::exp), 0x4E1E1C8B6ED39675ull) << std::hex << digest(act::exp);
  EXPECT_EQ(digest(act::recip), 0xE2B034D53DCB9FE0ull) << std::hex << digest(act::recip);
  EXPECT_EQ(digest(act::rsqrt), 0x6DA774C66423E796ull) << std::hex << digest(act::rsqrt);
}

// ---- an independent transcription of the steps in host float ---------------------------------
// Every intermediate below stays normal for these inputs, where host IEEE binary32 arithmetic
// is exactly section 2 (volatile forces each product to be rounded on its own).
namespace {

float hmul(float a, float b) {
  volatile float p = a * b;
  return p;
}

f32_bits host_exp2(float x) {
  if (!(x < 128.0f)) return kInf;
  if (x < -126.0f) return kZero;
  const float n = std::nearbyint(x);  // default rounding mode: ties to even
  const float r = x - n;
  const float c[7] = {host_f(0x3F800000u), host_f(0x3F317218u), host_f(0x3E75FDF0u), host_f(0x3D635847u),
                      host_f(0x3C1D955Bu), host_f(0x3AAEC3FFu), host_f(0x39218489u)};
  float p = c[6];
  for (int k = 5; k >= 0; --k) p = hmul(p, r) + c[k];
  const int field = static_cast<int>(exp_field(host_bits(p))) + static_cast<int>(n);
  if (field <= 0) return kZero;
  if (field >= 255) return kInf;
  return static_cast<f32_bits>(static_cast<std::int64_t>(host_bits(p)) + static_cast<std::int64_t>(n) * (1 << 23));
}

f32_bits host_exp(float x) {
  if (!(x < 89.0f)) return kInf;
  if (x < -88.0f) return kZero;
  const float n = std::nearbyint(hmul(x, host_f(0x3FB8AA3Bu)));
  const float r = (x - hmul(n, host_f(0x3F317200u))) - hmul(n, host_f(0x35BFBE8Eu));
  const float c[8] = {1.0f,
                      1.0f,
                      0.5f,
                      host_f(0x3E2AAAABu),
                      host_f(0x3D2AAAABu),
                      host_f(0x3C088889u),
                      host_f(0x3AB60B61u),
                      host_f(0x39500D01u)};
  float p = c[7];
  for (int k = 6; k >= 0; --k) p = hmul(p, r) + c[k];
  const int field = static_cast<int>(exp_field(host_bits(p))) + static_cast<int>(n);
  if (field <= 0) return kZero;
  if (field >= 255) return kInf;
  return static_cast<f32_bits>(static_cast<std::int64_t>(host_bits(p)) + static_cast<std::int64_t>(n) * (1 << 23));
}

f32_bits host_recip(float x) {
  const f32_bits xb = host_bits(x);
  const float m = host_f((xb & 0x007FFFFFu) | 0x3F800000u);
  const int e = static_cast<int>(exp_field(xb)) - 127;
  float y = 1.0f;
  if (m != 1.0f) {
    y = host_f(0x7EF311C7u - host_bits(m));
    for (int i = 0; i < 3; ++i) y = hmul(y, 2.0f - hmul(m, y));
  }
  if (static_cast<int>(exp_field(host_bits(y))) - e <= 0) return xb & 0x80000000u;
  return static_cast<f32_bits>(static_cast<std::int64_t>(host_bits(y)) - e * (1 << 23)) | (xb & 0x80000000u);
}

f32_bits host_rsqrt(float x) {
  const f32_bits xb = host_bits(x);
  float m = host_f((xb & 0x007FFFFFu) | 0x3F800000u);
  int e = static_cast<int>(exp_field(xb)) - 127;
  if (e % 2 != 0) {
    m = 2.0f * m;
    e -= 1;
  }
  float y = 1.0f;
  if (m != 1.0f) {
    const float h = 0.5f * m;
    y = host_f(0x5F3759DFu - (host_bits(m) >> 1));
    for (int i = 0; i < 3; ++i) y = hmul(y, 1.5f - hmul(h, hmul(y, y)));
  }
  return static_cast<f32_bits>(static_cast<std::int64_t>(host_bits(y)) - (e / 2) * (1 << 23));
}

}  // namespace

TEST(Activation, HostFloatTranscriptionAgrees) {
  std::mt19937_64 rng(test_seed());
  std::uniform_real_distribution<float> ex(-126.0f, 128.0f);
  for (int i = 0; i < 1'000'000; ++i) {
    float x = ex(rng);
    if (i % 4 == 0) x = std::ldexp(x, -static_cast<int>(rng() % 40));  // small |x|
    if (std::fabs(x) >= 0x1p-60f) {
      ASSERT_EQ(act::exp2(host_bits(x)), host_exp2(x)) << x;
      const float xe = x * 0.69f;  // EXP's normal-result range is about [-87.3, 88.7]
      ASSERT_EQ(act::exp(host_bits(xe)), host_exp(xe)) << xe;
    }
    const f32_bits any = (static_cast<f32_bits>(rng()) & 0x807FFFFFu) |
                         (static_cast<f32_bits>(1 + rng() % 254) << 23);  // normal, any sign
    ASSERT_EQ(act::recip(any), host_recip(host_f(any))) << std::hex << any;
    const f32_bits pos = any & 0x7FFFFFFFu;
    ASSERT_EQ(act::rsqrt(pos), host_rsqrt(host_f(pos))) << std::hex << pos;
  }
}
