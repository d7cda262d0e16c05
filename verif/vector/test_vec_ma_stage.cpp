// One MA stage of the vector lane (rtl/vector/vec_ma_stage.sv) against the golden model's fp32
// operations: a random stream of elements (gaps, every mode, operands weighted to the corners,
// a side band, soft clears), each result checked the cycle after it entered.
#include <gtest/gtest.h>

#include <cstdint>
#include <fmt/format.h>
#include <memory>

#include SYSTOLE_MODEL_HEADER  // Vvec_ma_stage (CMakeLists.txt)
#include "../numerics/numerics_stimulus.hpp"
#include "systole/golden/numerics.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

namespace num = systole::golden::num;

std::uint32_t expected(std::uint32_t mode, std::uint32_t p, std::uint32_t q, std::uint32_t r) {
  switch (mode) {
    case 1: return num::f32_mul(p, q);
    case 2: return num::f32_add(p, r);
    case 3: return num::f32_add(num::f32_mul(p, q), r);
    default: return p;
  }
}

class MaStage : public ::testing::Test {
 protected:
  MaStage() : ctx_(std::make_unique<VerilatedContext>()), m_(std::make_unique<SYSTOLE_MODEL>(ctx_.get())) {
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->eval();
    tick();
    m_->rst_ni = 1;
    m_->eval();
  }
  ~MaStage() override { m_->final(); }
  void tick() {
    m_->clk_i = 1;
    m_->eval();
    m_->clk_i = 0;
    m_->eval();
  }
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<SYSTOLE_MODEL> m_;
};

TEST_F(MaStage, RandomStreamMatchesGolden) {
  stim::Rng r(0x5eed + 7);
  struct In {
    bool valid = false, clr = false;
    std::uint32_t mode = 0, p = 0, q = 0, r = 0, side = 0;
  } prev;
  int checked = 0, mismatches = 0;
  for (int cyc = 0; cyc < 400000; ++cyc) {
    In in;
    in.valid = r.below(8) != 0;
    in.clr = r.below(64) == 0;
    in.mode = r.below(4);
    const stim::Operands o = stim::add_pair(r);
    in.p = o.x;
    in.q = r.coin() ? o.y : stim::f32_any(r);
    in.r = r.coin() ? o.y : stim::f32_any(r);
    in.side = r.u32() & 0xFFFFu;
    m_->valid_i = in.valid;
    m_->clr_i = in.clr;
    m_->mode_i = static_cast<std::uint8_t>(in.mode);
    m_->p_i = in.p;
    m_->q_i = in.q;
    m_->r_i = in.r;
    m_->side_i = static_cast<std::uint16_t>(in.side);
    m_->eval();
    tick();
    // The element of this cycle is at the output now.
    const bool want_valid = in.valid && !in.clr;
    ASSERT_EQ(static_cast<bool>(m_->valid_o), want_valid) << "cycle " << cyc;
    if (in.valid) {
      const std::uint32_t want = expected(in.mode, in.p, in.q, in.r);
      if (m_->b_o != want || m_->side_o != in.side) {
        ADD_FAILURE() << fmt::format("cycle {}: mode {} p={:08x} q={:08x} r={:08x}: expected {:08x} side {:04x}, got "
                                     "{:08x} side {:04x}",
                                     cyc, in.mode, in.p, in.q, in.r, want, in.side, m_->b_o, m_->side_o);
        if (++mismatches >= 10) return;
      }
      ++checked;
    } else if (prev.valid) {
      // No new element: the stage holds the last result (nothing downstream reads it).
      EXPECT_EQ(m_->b_o, expected(prev.mode, prev.p, prev.q, prev.r)) << "cycle " << cyc;
    }
    if (in.valid) prev = in;
  }
  EXPECT_GT(checked, 300000);
}

}  // namespace
}  // namespace systole::verif
