// The built-in activation functions in RTL (rtl/vector/vec_act_chain.sv, the stages of
// vec_act_pkg) against the golden model's act:: functions (docs/numerics.md section 6):
// IDENTITY, EXP2, EXP, RECIP, RSQRT, SQRT and LOG streamed through one lane's chain, one element
// per cycle with gaps and random back-pressure (adv_i low) and every element its own function,
// results checked in order. Inputs: random fp32 weighted to the corners and every function's own
// edges (range limits, powers of two and four, significands near the seeds' breakpoints), and
// every bf16 pattern and special value for every function.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <fmt/format.h>
#include <memory>
#include <vector>

#include SYSTOLE_MODEL_HEADER  // Vvec_act_chain (CMakeLists.txt)
#include "../numerics/numerics_harness.hpp"
#include "../numerics/numerics_stimulus.hpp"
#include "systole/golden/activation.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

namespace act = systole::golden::act;
using golden::ActFunc;
using harness::Rng;

constexpr std::array<ActFunc, 7> kFuncs = {ActFunc::kIdentity, ActFunc::kExp2, ActFunc::kExp, ActFunc::kRecip,
                                           ActFunc::kRsqrt,    ActFunc::kSqrt, ActFunc::kLog};
constexpr int kLatency = 14;  // vec_act_pkg::STAGES

const char* name(ActFunc f) {
  switch (f) {
    case ActFunc::kIdentity: return "identity";
    case ActFunc::kExp2: return "exp2";
    case ActFunc::kExp: return "exp";
    case ActFunc::kRecip: return "recip";
    case ActFunc::kRsqrt: return "rsqrt";
    case ActFunc::kSqrt: return "sqrt";
    case ActFunc::kLog: return "log";
    default: return "?";
  }
}

// An input for f: any fp32, or one near that function's interesting values.
std::uint32_t input(Rng& r, ActFunc f) {
  const std::uint32_t s = r.below(2);
  const bool signed_fn = f == ActFunc::kExp2 || f == ActFunc::kExp || f == ActFunc::kRecip;
  switch (r.below(4)) {
    case 0: return stim::f32_any(r);
    case 1:  // around the range limits: EXP2 -126..128, EXP -88..89, LOG/SQRT all exponents
      return stim::f32_make(s, 120 + r.below(14), stim::frac23(r));
    case 2:  // powers of two and four, and their neighbours (exact RECIP/RSQRT, LOG of 2^e)
      return stim::f32_make(signed_fn ? s : 0, 1 + r.below(254), r.coin() ? 0u : (r.coin() ? 1u : 0x7FFFFFu));
    default:  // significands near sqrt(2) (LOG's split) and positive normals
      return stim::f32_make(0, 1 + r.below(254), 0x3504F4u + static_cast<std::uint32_t>(r.range(-64, 64)));
  }
}

struct Elem {
  ActFunc f;
  std::uint32_t x;
};

// Streams `elems` through the chain and compares every result in order; returns the mismatches.
int stream(const std::vector<Elem>& elems, std::uint64_t seed) {
  auto ctx = std::make_unique<VerilatedContext>();
  auto m = std::make_unique<SYSTOLE_MODEL>(ctx.get());
  Rng r(seed);
  m->clk_i = 0;
  m->rst_ni = 0;
  m->clr_i = 0;
  m->adv_i = 1;
  m->valid_i = 0;
  m->eval();
  m->rst_ni = 1;
  m->eval();
  std::deque<Elem> in_flight;
  std::size_t next = 0;
  int bad = 0;
  for (std::uint64_t cyc = 0; next < elems.size() || !in_flight.empty(); ++cyc) {
    const bool adv = r.below(8) != 0;
    const bool give = next < elems.size() && r.below(6) != 0;
    m->adv_i = adv;
    m->valid_i = give;
    if (give) {
      m->func_i = static_cast<std::uint8_t>(elems[next].f);
      m->x_i = elems[next].x;
    }
    m->eval();
    if (m->valid_o && adv) {  // the oldest element leaves at this edge
      if (in_flight.empty()) {
        ADD_FAILURE() << "cycle " << cyc << ": a result without an element";
        return bad + 1;
      }
      const Elem e = in_flight.front();
      in_flight.pop_front();
      const std::uint32_t want = act::apply(e.f, nullptr, e.x);
      if (m->y_o != want && ++bad <= harness::kMaxReports) {
        ADD_FAILURE() << fmt::format("{}(0x{:08X}): expected (golden) 0x{:08X}, got (RTL) 0x{:08X}; seed {}", name(e.f),
                                     e.x, want, m->y_o, harness::base_seed());
      }
    }
    if (give && adv) in_flight.push_back(elems[next++]);
    m->clk_i = 1;
    m->eval();
    m->clk_i = 0;
    m->eval();
    if (in_flight.size() > static_cast<std::size_t>(kLatency)) {
      ADD_FAILURE() << "cycle " << cyc << ": more than " << kLatency << " elements in the chain";
      return bad + 1;
    }
  }
  m->final();
  return bad;
}

TEST(VecActChain, RandomInputsMatchGolden) {
  Rng r(harness::base_seed() * 0x9E3779B97F4A7C15ull + 31);
  std::vector<Elem> elems;
  const std::uint64_t n = harness::samples();
  fmt::print("[ seed     ] SYSTOLE_SEED={} SYSTOLE_NUMERICS_SAMPLES={}\n", harness::base_seed(), n);
  for (std::uint64_t i = 0; i < n; ++i) {
    const ActFunc f = kFuncs[r.below(kFuncs.size())];
    elems.push_back({f, input(r, f)});
  }
  EXPECT_EQ(stream(elems, r.u32()), 0);
}

TEST(VecActChain, EveryBf16PatternAndTheSpecials) {
  std::vector<Elem> elems;
  for (const ActFunc f : kFuncs) {
    for (std::uint32_t b = 0; b < 0x10000u; ++b) elems.push_back({f, b << 16});
    for (const std::uint32_t x : stim::kF32Specials) elems.push_back({f, x});
  }
  EXPECT_EQ(stream(elems, 7), 0);
}

}  // namespace
}  // namespace systole::verif
