// The built-in activation functions in RTL (rtl/vector/vec_act_pkg.sv through vec_act_tb.sv)
// against the golden model's act:: functions (docs/numerics.md section 6): EXP2, EXP, RECIP,
// RSQRT, SQRT and LOG on random fp32 inputs weighted to the corners and every function's own
// edges (range limits, powers of two and four, significands near the seeds' breakpoints), and
// every bf16 pattern.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <fmt/format.h>

#include SYSTOLE_MODEL_HEADER  // Vvec_act_tb (CMakeLists.txt)
#include "../numerics/numerics_harness.hpp"
#include "../numerics/numerics_stimulus.hpp"
#include "systole/golden/activation.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

namespace act = systole::golden::act;
using namespace harness;

using Rtl = CombModel<SYSTOLE_MODEL>;
Rtl& rtl() {
  static Rtl model;
  return model;
}

std::uint32_t run(std::uint32_t func, std::uint32_t x) {
  rtl().top().func_i = static_cast<std::uint8_t>(func);
  rtl().top().x_i = x;
  return rtl().eval().y_o;
}

template <std::uint32_t F>
std::uint32_t on_rtl(const Operands& o) {
  return run(F, o.x);
}

const std::array<Unit, 6> kUnits = {
    Unit{"exp2", 1, {"x", "", ""}, {8, 0, 0}, 8, [](const Operands& o) { return act::exp2(o.x); }, on_rtl<0>, 31},
    Unit{"exp", 1, {"x", "", ""}, {8, 0, 0}, 8, [](const Operands& o) { return act::exp(o.x); }, on_rtl<1>, 32},
    Unit{"recip", 1, {"x", "", ""}, {8, 0, 0}, 8, [](const Operands& o) { return act::recip(o.x); }, on_rtl<2>, 33},
    Unit{"rsqrt", 1, {"x", "", ""}, {8, 0, 0}, 8, [](const Operands& o) { return act::rsqrt(o.x); }, on_rtl<3>, 34},
    Unit{"sqrt", 1, {"x", "", ""}, {8, 0, 0}, 8, [](const Operands& o) { return act::sqrt(o.x); }, on_rtl<4>, 35},
    Unit{"log", 1, {"x", "", ""}, {8, 0, 0}, 8, [](const Operands& o) { return act::log(o.x); }, on_rtl<5>, 36},
};

// An input for function f: any fp32, or one near that function's interesting values.
std::uint32_t input(Rng& r, std::size_t f) {
  const std::uint32_t s = r.below(2);
  switch (r.below(4)) {
    case 0: return stim::f32_any(r);
    case 1:  // around the range limits: EXP2 -126..128, EXP -88..89, LOG/SQRT all exponents
      return stim::f32_make(s, 120 + r.below(14), stim::frac23(r));
    case 2:  // powers of two and four, and their neighbours (exact RECIP/RSQRT, LOG of 2^e)
      return stim::f32_make(f < 2 ? s : 0, 1 + r.below(254), r.coin() ? 0u : (r.coin() ? 1u : 0x7FFFFFu));
    default:  // significands near sqrt(2) (LOG's split) and positive normals
      return stim::f32_make(0, 1 + r.below(254), 0x3504F4u + static_cast<std::uint32_t>(r.range(-64, 64)));
  }
}

class VecActRandom : public ::testing::TestWithParam<std::size_t> {};

TEST_P(VecActRandom, MatchesGolden) {
  const std::size_t f = GetParam();
  run_random(kUnits[f], [f](Rng& r) { return Operands{input(r, f), 0, 0}; });
}

INSTANTIATE_TEST_SUITE_P(Funcs, VecActRandom, ::testing::Range<std::size_t>(0, kUnits.size()),
                         [](const ::testing::TestParamInfo<std::size_t>& i) { return kUnits[i.param].name; });

TEST(VecActSweep, EveryBf16PatternAndTheSpecials) {
  for (const Unit& u : kUnits) {
    Checker c(u, 0);
    for (std::uint32_t b = 0; b < 0x10000u; ++b) ASSERT_TRUE(c.check({b << 16, 0, 0}));
    for (const std::uint32_t x : stim::kF32Specials) ASSERT_TRUE(c.check({x, 0, 0}));
  }
}

}  // namespace
}  // namespace systole::verif
