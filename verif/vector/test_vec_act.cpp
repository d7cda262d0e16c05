// The activation functions in RTL (rtl/vector/vec_act_chain.sv, the stages of vec_act_pkg)
// against the golden model's act:: functions (docs/numerics.md section 6): IDENTITY, EXP2, EXP,
// RECIP, RSQRT, SQRT, LOG and TABLE streamed through one lane's chain, one element per cycle
// with gaps and random back-pressure (adv_i low) and every element its own function and table
// slot, results checked in order. Inputs: random fp32 weighted to the corners and every
// function's own edges (range limits, powers of two and four, significands near the seeds'
// breakpoints, a table's range, segment edges and tails), and every bf16 pattern and special
// value for every function. Tables: the driver's (gelu, silu, sigmoid, tanh, softplus: log2
// domain with the fused M * 2^q) and random ones (every degree, boundary rule and post-operation
// flag, 1..64 segments, corner coefficients), loaded through the chain's write port.
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
#include "vec_table_gen.hpp"
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
    case ActFunc::kTable: return "table";
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
  unsigned slot = 0;
};

constexpr unsigned kThBits = 16 + 6 * 32;  // vec_act_pkg::TH_W

// One lane's chain with its four table slots.
class Chain {
 public:
  Chain() : ctx_(std::make_unique<VerilatedContext>()), m_(std::make_unique<SYSTOLE_MODEL>(ctx_.get())) {
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->clr_i = 0;
    m_->adv_i = 1;
    m_->valid_i = 0;
    m_->tw_en_i = 0;
    m_->eval();
    m_->rst_ni = 1;
    m_->eval();
  }
  ~Chain() { m_->final(); }
  void tick() {
    m_->clk_i = 1;
    m_->eval();
    m_->clk_i = 0;
    m_->eval();
  }
  // Loads t into slot s: the header words into th_i, the coefficient rows through the write port.
  void load(unsigned s, const act::Table& t) {
    const auto w = t.to_words();
    auto put = [&](unsigned lsb, unsigned width, std::uint32_t v) {
      for (unsigned i = 0; i < width; ++i) {
        const unsigned bit = s * kThBits + lsb + i;
        auto& word = m_->th_i[bit / 32];
        word = (word & ~(1u << (bit % 32))) | (((v >> i) & 1u) << (bit % 32));
      }
    };
    put(0, 16, w[0]);
    for (unsigned k = 1; k <= 6; ++k) put(16 + 32 * (k - 1), 32, w[k]);
    m_->valid_i = 0;
    for (std::uint32_t i = 0; i < t.nseg; ++i) {
      m_->tw_en_i = 1;
      m_->tw_addr_i = static_cast<std::uint8_t>(s * 64 + i);
      for (unsigned j = 0; j < 4; ++j) m_->tw_data_i[j] = t.coef[i][j];
      tick();
    }
    m_->tw_en_i = 0;
    m_->eval();
    tables_[s] = t;
  }
  // Streams `elems` through the chain and compares every result in order; returns the
  // mismatches.
  int stream(const std::vector<Elem>& elems, std::uint64_t seed);

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<SYSTOLE_MODEL> m_;
  std::array<act::Table, 4> tables_{};
};

int Chain::stream(const std::vector<Elem>& elems, std::uint64_t seed) {
  auto& m = m_;
  Rng r(seed);
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
      m->slot_i = static_cast<std::uint8_t>(elems[next].slot);
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
      const std::uint32_t want = act::apply(e.f, &tables_[e.slot], e.x);
      if (m->y_o != want && ++bad <= harness::kMaxReports) {
        const auto& t = tables_[e.slot];
        ADD_FAILURE() << fmt::format(
            "{}(0x{:08X}){}: expected (golden) 0x{:08X}, got (RTL) 0x{:08X}; seed {}", name(e.f), e.x,
            e.f == ActFunc::kTable ? fmt::format(" slot {} (header 0x{:04X}, lo 0x{:08X}, inv_w 0x{:08X})", e.slot,
                                                 t.to_words()[0], t.lo, t.inv_w)
                                   : std::string(),
            want, m->y_o, harness::base_seed());
      }
    }
    if (give && adv) in_flight.push_back(elems[next++]);
    tick();
    if (in_flight.size() > static_cast<std::size_t>(kLatency)) {
      ADD_FAILURE() << "cycle " << cyc << ": more than " << kLatency << " elements in the chain";
      return bad + 1;
    }
  }
  return bad;
}

// Rounds of: four tables loaded (the driver's, then random ones), then samples / rounds random
// elements of every function, TABLE on every slot.
TEST(VecActChain, RandomInputsMatchGolden) {
  Rng r(harness::base_seed() * 0x9E3779B97F4A7C15ull + 31);
  const std::uint64_t n = harness::samples();
  fmt::print("[ seed     ] SYSTOLE_SEED={} SYSTOLE_NUMERICS_SAMPLES={}\n", harness::base_seed(), n);
  const auto named = vec::driver_tables();
  ASSERT_GE(named.size(), 4u);
  Chain chain;
  constexpr int kRounds = 16;
  for (int round = 0; round < kRounds && !::testing::Test::HasFailure(); ++round) {
    std::array<act::Table, 4> t;
    for (unsigned s = 0; s < 4; ++s) {
      t[s] = round < 2 ? named[(round * 4 + s) % named.size()] : vec::random_table(r);
      chain.load(s, t[s]);
    }
    std::vector<Elem> elems;
    for (std::uint64_t i = 0; i < n / kRounds; ++i) {
      if (r.below(3) == 0) {
        const unsigned s = r.below(4);
        elems.push_back({ActFunc::kTable, vec::table_input(r, t[s]), s});
      } else {
        const ActFunc f = kFuncs[r.below(kFuncs.size())];
        elems.push_back({f, input(r, f), r.below(4)});
      }
    }
    EXPECT_EQ(chain.stream(elems, r.u32()), 0) << "round " << round;
  }
}

TEST(VecActChain, EveryBf16PatternAndTheSpecials) {
  Chain chain;
  const auto named = vec::driver_tables();
  std::vector<Elem> elems;
  for (const ActFunc f : kFuncs) {
    for (std::uint32_t b = 0; b < 0x10000u; ++b) elems.push_back({f, b << 16});
    for (const std::uint32_t x : stim::kF32Specials) elems.push_back({f, x});
  }
  EXPECT_EQ(chain.stream(elems, 7), 0);
  for (std::size_t first = 0; first < named.size(); first += 4) {  // every driver table
    elems.clear();
    for (unsigned s = 0; s < 4; ++s) chain.load(s, named[(first + s) % named.size()]);
    for (unsigned s = 0; s < 4 && first + s < named.size(); ++s) {
      for (std::uint32_t b = 0; b < 0x10000u; ++b) elems.push_back({ActFunc::kTable, b << 16, s});
      for (const std::uint32_t x : stim::kF32Specials) elems.push_back({ActFunc::kTable, x, s});
    }
    EXPECT_EQ(chain.stream(elems, 11 + first), 0);
  }
}

}  // namespace
}  // namespace systole::verif
