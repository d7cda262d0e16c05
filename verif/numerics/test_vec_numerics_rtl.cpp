// Bit-exact comparison of the vector engine's fp32 operations (rtl/numerics/fp32_ops_pkg.sv,
// through verif/numerics/vec_numerics_tb.sv) against the golden model (systole::golden::num):
// random operands weighted to the corners, exhaustive sweeps where the input space allows, and
// the worked values of docs/numerics.md. Environment: numerics_harness.hpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <vector>

#include SYSTOLE_MODEL_HEADER  // Vvec_numerics_tb (CMakeLists.txt)
#include "numerics_harness.hpp"
#include "numerics_stimulus.hpp"
#include "systole/golden/numerics.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

namespace num = systole::golden::num;
using namespace harness;

// ---- the Verilated model, one instance for the whole binary ------------------------------------
using Rtl = CombModel<SYSTOLE_MODEL>;

Rtl& rtl() {
  static Rtl model;
  [[maybe_unused]] static const bool enabled = (model.top().en_i = 1, true);
  return model;
}

std::uint32_t b(bool v) { return v ? 1u : 0u; }

// Results packed for one comparison per unit: lt | le << 1 | eq << 2.
std::uint32_t golden_cmp(const Operands& o) {
  return b(num::f32_lt(o.x, o.y)) | b(num::f32_le(o.x, o.y)) << 1 | b(num::f32_eq(o.x, o.y)) << 2;
}
std::uint32_t rtl_cmp(const Operands& o) {
  auto& t = rtl().top();
  t.cmp_a_i = o.x;
  t.cmp_b_i = o.y;
  auto& r = rtl().eval();
  return b(r.lt_o) | b(r.le_o) << 1 | b(r.eq_o) << 2;
}

const Unit kMul{"fp32_mul",
                2,
                {"a", "b", ""},
                {8, 8, 0},
                8,
                [](const Operands& o) { return num::f32_mul(o.x, o.y); },
                [](const Operands& o) {
                  rtl().top().mul_a_i = o.x;
                  rtl().top().mul_b_i = o.y;
                  return rtl().eval().mul_p_o;
                },
                11};
const Unit kCmp{"fp32 lt|le<<1|eq<<2", 2, {"a", "b", ""}, {8, 8, 0}, 1, golden_cmp, rtl_cmp, 12};
const Unit kMax{"fp32_max",
                2,
                {"a", "b", ""},
                {8, 8, 0},
                8,
                [](const Operands& o) { return num::f32_max(o.x, o.y); },
                [](const Operands& o) {
                  rtl().top().cmp_a_i = o.x;
                  rtl().top().cmp_b_i = o.y;
                  return rtl().eval().max_o;
                },
                13};
const Unit kMin{"fp32_min",
                2,
                {"a", "b", ""},
                {8, 8, 0},
                8,
                [](const Operands& o) { return num::f32_min(o.x, o.y); },
                [](const Operands& o) {
                  rtl().top().cmp_a_i = o.x;
                  rtl().top().cmp_b_i = o.y;
                  return rtl().eval().min_o;
                },
                14};
const Unit kI2F{"int32_to_fp32",
                1,
                {"x", "", ""},
                {8, 0, 0},
                8,
                [](const Operands& o) { return num::int32_to_f32(static_cast<std::int32_t>(o.x)); },
                [](const Operands& o) {
                  rtl().top().i2f_x_i = o.x;
                  return rtl().eval().i2f_o;
                },
                15};
const Unit kF2I{"fp32_to_int32",
                1,
                {"a", "", ""},
                {8, 0, 0},
                8,
                [](const Operands& o) { return static_cast<std::uint32_t>(num::f32_to_int32(o.x)); },
                [](const Operands& o) {
                  rtl().top().f2i_a_i = o.x;
                  return rtl().eval().f2i_o;
                },
                16};
const Unit kBf16Read{"bf16_to_fp32",
                     1,
                     {"x", "", ""},
                     {4, 0, 0},
                     8,
                     [](const Operands& o) { return num::bf16_to_f32(static_cast<num::bf16_bits>(o.x)); },
                     [](const Operands& o) {
                       rtl().top().bf16_x_i = static_cast<std::uint16_t>(o.x);
                       return rtl().eval().bf16_f_o;
                     },
                     17};
const Unit kFp8Read{"fp8_to_fp32",
                    1,
                    {"x", "", ""},
                    {2, 0, 0},
                    8,
                    [](const Operands& o) { return num::fp8_to_f32(static_cast<num::fp8_bits>(o.x)); },
                    [](const Operands& o) {
                      rtl().top().fp8_x_i = static_cast<std::uint8_t>(o.x);
                      return rtl().eval().fp8_f_o;
                    },
                    18};

// Products landing on both sides of the FTZ edge and the overflow edge, and on rounding ties:
// exponent pairs summing near 127 +- 126 / 128, with short significands to make exact ties.
Operands mul_pair(Rng& r) {
  switch (r.below(4)) {
    case 0: return stim::add_pair(r);  // specials, denormals, near-equal magnitudes
    case 1: {
      const std::uint32_t ea = 1 + r.below(254);
      const int target = r.coin() ? 1 : 254;  // result field near 1 or near 254
      const int eb = std::clamp(target + 127 - static_cast<int>(ea) + static_cast<int>(r.below(5)) - 2, 1, 254);
      return {stim::f32_make(r.below(2), ea, stim::frac23(r)), stim::f32_make(r.below(2), eb, stim::frac23(r)), 0};
    }
    case 2: {  // few significant bits: exact products and exact ties
      const std::uint32_t fa = r.u32() & 0x7F0000u, fb = r.u32() & 0x7F8000u;
      return {stim::f32_make(r.below(2), 100 + r.below(56), fa), stim::f32_make(r.below(2), 100 + r.below(56), fb), 0};
    }
    default: return {stim::f32_any(r), stim::f32_any(r), 0};
  }
}
Operands int_input(Rng& r) {
  switch (r.below(3)) {
    case 0: return {r.u32() >> r.below(32), 0, 0};  // every magnitude
    case 1: return {static_cast<std::uint32_t>(-(static_cast<std::int32_t>(r.u32() >> r.below(32)))), 0, 0};
    default: return {(r.u32() & 0xFFFFFF80u) | (r.coin() ? 0x80u : 0x7Fu), 0, 0};  // around ties
  }
}
Operands f2i_input(Rng& r) {
  if (r.coin()) return {stim::f32_any(r), 0, 0};
  // 0.25 .. 2^33: every rounding position, ties (x.5) included.
  const std::uint32_t e = 125 + r.below(34);
  std::uint32_t f = stim::frac23(r);
  if (r.coin() && e >= 127 && e < 150) f = (f & ~((1u << (150 - e)) - 1u)) | (1u << (149 - e));  // x.5
  return {stim::f32_make(r.below(2), e, f), 0, 0};
}

TEST(VecNumericsRtlRandom, Fp32Mul) { run_random(kMul, mul_pair); }
TEST(VecNumericsRtlRandom, Compares) { run_random(kCmp, stim::add_pair); }
TEST(VecNumericsRtlRandom, MaxMin) {
  run_random(kMax, stim::add_pair);
  run_random(kMin, stim::add_pair);
}
TEST(VecNumericsRtlRandom, Int32ToFp32) { run_random(kI2F, int_input); }
TEST(VecNumericsRtlRandom, Fp32ToInt32) { run_random(kF2I, f2i_input); }

// Every bf16 and fp8 pattern; the specials against each other for the two-operand units.
TEST(VecNumericsRtlSweep, ReadsEveryPattern) {
  Checker bf(kBf16Read, 0), f8(kFp8Read, 0);
  for (std::uint32_t x = 0; x < 0x10000u; ++x) ASSERT_TRUE(bf.check({x, 0, 0}));
  for (std::uint32_t x = 0; x < 0x100u; ++x) ASSERT_TRUE(f8.check({x, 0, 0}));
}
TEST(VecNumericsRtlSweep, SpecialsPairwise) {
  for (const Unit* u : {&kMul, &kCmp, &kMax, &kMin}) {
    Checker c(*u, 0);
    for (const std::uint32_t a : stim::kF32Specials) {
      for (const std::uint32_t bb : stim::kF32Specials) ASSERT_TRUE(c.check({a, bb, 0}));
    }
  }
  Checker i(kI2F, 0), f(kF2I, 0);
  for (const std::uint32_t a : stim::kF32Specials) ASSERT_TRUE(f.check({a, 0, 0}));
  for (const std::uint32_t x : {0u, 1u, 0x7FFFFFFFu, 0x80000000u, 0x80000001u, 0xFFFFFFFFu, 0x01000001u, 0x00FFFFFFu})
    ASSERT_TRUE(i.check({x, 0, 0}));
}

// Products whose dropped bits sit exactly on, just above or just below the rounding point, in
// both normalisations (product in [1, 2) or [2, 4)): a random odd significand a and the b that
// makes a * b end in the wanted low bits (b = target * a^-1 mod 2^24, kept when its hidden bit
// is set). Random operands reach these patterns with odds of 2^-23.
TEST(VecNumericsRtlSweep, MulRoundingAtTies) {
  Checker chk(kMul, 0);
  Rng r(unit_seed(kMul) + 1);
  // Inverse of an odd a modulo 2^24 (Newton: each step doubles the correct bits).
  auto inverse = [](std::uint32_t a) {
    std::uint32_t x = a;
    for (int i = 0; i < 5; ++i) x *= 2u - a * x;
    return x & 0xFFFFFFu;
  };
  int checked[2] = {0, 0};
  for (int n = 0; n < 400000 && (checked[0] < 20000 || checked[1] < 20000); ++n) {
    const std::uint32_t a = 0x800000u | (r.u32() & 0x7FFFFFu) | 1u;
    const bool top = r.coin();    // the normalisation to aim at
    const int g = top ? 23 : 22;  // the guard bit's position in the product
    const std::uint32_t low_mask = (1u << (g + 1)) - 1u;
    const std::uint32_t half = 1u << g;
    const std::uint32_t targets[] = {half, half + 1u, half - 1u, 1u, low_mask};
    const std::uint32_t target = targets[r.below(5)] | (r.u32() & ~low_mask & 0xFFFFFFu);
    const std::uint32_t b = (target * inverse(a)) & 0xFFFFFFu;
    if ((b & 0x800000u) == 0) continue;
    const std::uint64_t prod = static_cast<std::uint64_t>(a) * b;
    if (((prod >> 47) != 0) != top) continue;
    const std::uint32_t ea = 100 + r.below(56), eb = 100 + r.below(56);
    ASSERT_TRUE(
        chk.check({stim::f32_make(r.below(2), ea, a & 0x7FFFFFu), stim::f32_make(r.below(2), eb, b & 0x7FFFFFu), 0}));
    ++checked[top ? 1 : 0];
  }
  EXPECT_GE(checked[0], 20000);
  EXPECT_GE(checked[1], 20000);
}

// The gated functions return 0 when disabled (a lane without an element computes nothing).
TEST(VecNumericsRtlCases, DisabledUnitsGiveZero) {
  auto& t = rtl().top();
  t.mul_a_i = 0x3F800000u;
  t.mul_b_i = 0x40000000u;
  t.i2f_x_i = 5;
  t.f2i_a_i = 0x40A00000u;
  t.en_i = 0;
  auto& r = rtl().eval();
  EXPECT_EQ(r.mul_p_o, 0u);
  EXPECT_EQ(r.i2f_o, 0u);
  EXPECT_EQ(r.f2i_o, 0u);
  t.en_i = 1;
  auto& r2 = rtl().eval();
  EXPECT_EQ(r2.mul_p_o, 0x40000000u);
  EXPECT_EQ(r2.i2f_o, 0x40A00000u);
  EXPECT_EQ(r2.f2i_o, 5u);
}

// Values worked out from docs/numerics.md (sections 2, 4, 5), checked on both sides.
TEST(VecNumericsRtlCases, DocumentedValues) {
  struct Row {
    const Unit* u;
    std::uint32_t a, b, want;
    const char* why;
  };
  const std::vector<Row> rows = {
      {&kMul, 0x3F800001, 0x3F800001, 0x3F800002, "(1 + 2^-23)^2 rounds to 1 + 2^-22"},
      {&kMul, 0x00800000, 0x3F000000, 0x00000000, "2^-126 x 0.5 is below the normal range: +0"},
      {&kMul, 0x80800000, 0x3F7FFFFF, 0x80000000, "just below 2^-126 after rounding: -0"},
      {&kMul, 0x3F7FFFFE, 0x00800001, 0x00800000, "2^-126 (1 - 2^-46) rounds up to 2^-126: normal"},
      {&kMul, 0x00FFFFFF, 0x3F000000, 0x00000000, "2^-126 (1 - 2^-24) is exact and below: +0"},
      {&kMul, 0x7F7FFFFF, 0x40000000, 0x7F800000, "overflow to +inf"},
      {&kMul, 0x7F800000, 0x00000000, 0x7FC00000, "inf x 0"},
      {&kMul, 0x7F800000, 0x00400000, 0x7FC00000, "inf x denormal (DAZ: 0)"},
      {&kMul, 0xFFC00001, 0x3F800000, 0x7FC00000, "a NaN's sign and payload are dropped"},
      {&kCmp, 0x80000000, 0x00000000, 0x6, "-0 == +0: not lt, le, eq"},
      {&kCmp, 0x7FC00000, 0x7FC00000, 0x0, "NaN is unordered"},
      {&kMax, 0x80000000, 0x00000000, 0x00000000, "max(-0, +0) = +0"},
      {&kMin, 0x00000000, 0x80000000, 0x80000000, "min(+0, -0) = -0"},
      {&kMax, 0x00400000, 0x80000000, 0x00000000, "a denormal is +0 (DAZ), above -0"},
      {&kI2F, 0x01000001, 0, 0x4B800000, "2^24 + 1 ties to even: 2^24"},
      {&kI2F, 0x01000003, 0, 0x4B800002, "2^24 + 3 ties to even: 2^24 + 4"},
      {&kI2F, 0x80000000, 0, 0xCF000000, "-2^31"},
      {&kF2I, 0x40200000, 0, 0x00000002, "2.5 ties to 2"},
      {&kF2I, 0xC0600000, 0, 0xFFFFFFFC, "-3.5 ties to -4"},
      {&kF2I, 0x4F000000, 0, 0x7FFFFFFF, "2^31 saturates"},
      {&kF2I, 0xCF000000, 0, 0x80000000, "-2^31 is exact"},
      {&kF2I, 0x7FC00000, 0, 0x00000000, "NaN gives 0"},
      {&kFp8Read, 0x01, 0, 0x3B000000, "the smallest fp8 subnormal, 2^-9"},
      {&kFp8Read, 0x7E, 0, 0x43E00000, "448"},
      {&kBf16Read, 0x8001, 0, 0x80000000, "a bf16 denormal reads as -0 (DAZ)"},
  };
  for (const Row& r : rows) {
    const Operands o{r.a, r.b, 0};
    EXPECT_EQ(r.u->rtl(o), r.want) << describe(*r.u, o) << ": " << r.why << " (RTL)";
    EXPECT_EQ(r.u->golden(o), r.want) << describe(*r.u, o) << ": " << r.why << " (golden)";
  }
}

}  // namespace
}  // namespace systole::verif
