// The vector engine's operand reader (rtl/vector/vec_reader.sv) against the golden model's TAP
// order (docs/isa.md section 3): random patterns (contiguous, strided, zero and negative
// strides, every element size, any lanes) read from a C++ memory through block requests that
// the bench grants at random, with the crossbar's timing (rows the cycle after the grant;
// partitions outside the block and cycles without a grant carry garbage) and a consumer that
// stalls at random. Each job is in SBUF or in PSUM at random: its rows come in sb_rows_i, or in
// ps_rows_i in the bank its row number names (two banks), with garbage in the other memory and
// bank. Every lane of every beat and its group ends are checked; then the rate.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <fmt/format.h>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include SYSTOLE_MODEL_HEADER  // Vvec_reader (CMakeLists.txt: the parameters below)
#include "test_seed.hpp"
#include "vec_tap_gen.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

constexpr unsigned kP = 16, kRB = 32, kOffBits = 12, kBytes = 1u << kOffBits;
constexpr unsigned kBanks = 2, kBankLsb = 1;  // PSUM: the bank is bit 1 of the row (CMakeLists.txt)

struct Expected {
  std::array<std::uint32_t, kP> lane{};
  unsigned np = 0, at_end = 0;
  std::string what;  // the job and element, for a failure's message
};

class VecReader : public ::testing::Test {
 protected:
  VecReader()
      : ctx_(std::make_unique<VerilatedContext>()),
        m_(std::make_unique<Vvec_reader>(ctx_.get())),
        g_(static_cast<std::uint32_t>(test_seed())) {
    for (auto& part : mem_)
      for (auto& b : part) b = static_cast<std::uint8_t>(g_());
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->eval();
    m_->rst_ni = 1;
    m_->eval();
  }
  ~VecReader() override {
    if (HasFailure()) ADD_FAILURE() << replay_command();
    m_->final();
  }

  std::uint32_t element(unsigned part, std::int64_t off, unsigned lg) const {
    std::uint32_t v = 0;
    for (unsigned b = 0; b < (1u << lg); ++b)
      v |= std::uint32_t{mem_[part][static_cast<std::size_t>(off) + b]} << (8 * b);
    return v;
  }
  // The memories' rows the cycle after a grant of `row` (of PSUM when `psum`): the block's
  // partitions carry the data in that memory (and bank), everything else garbage.
  void set_rows(bool granted, bool psum, unsigned row, unsigned part, unsigned np) {
    const unsigned bank = (row >> kBankLsb) % kBanks;
    for (unsigned p = 0; p < kP; ++p) {
      const bool in_block = granted && p >= part && p < part + np;
      for (unsigned w = 0; w < kRB / 4; ++w) {
        std::uint32_t v = 0;
        for (unsigned b = 0; b < 4; ++b) v |= std::uint32_t{mem_[p][row * kRB + w * 4 + b]} << (8 * b);
        auto pick = [&](bool here) { return in_block && here ? v : static_cast<std::uint32_t>(g_()); };
        m_->sb_rows_i[p * (kRB / 4) + w] = pick(!psum);
        for (unsigned k = 0; k < kBanks; ++k) m_->ps_rows_i[(p * kBanks + k) * (kRB / 4) + w] = pick(psum && k == bank);
      }
    }
  }
  void expect(const vec::Pattern& p) {
    const auto off = p.offsets();
    for (std::size_t j = 0; j < off.size(); ++j) {
      Expected e;
      e.np = p.np;
      e.at_end = p.at_end(j);
      e.what = fmt::format("element {} of pstart {} np {} lg {} base {} n {}x{}x{} s {} {} {}", j, p.pstart, p.np, p.lg,
                           p.base, p.n[0], p.n[1], p.n[2], p.s[0], p.s[1], p.s[2]);
      for (unsigned l = 0; l < p.np; ++l) e.lane[l] = element(p.pstart + l, off[j], p.lg);
      want_.push_back(e);
    }
  }
  // Runs `jobs` through the reader; grant and ready with the given probabilities (in 1/16), or
  // with `every_other` a request granted on even cycles only (half the port, deterministically).
  // Returns the cycles taken.
  int run(const std::vector<vec::Pattern>& jobs, unsigned gnt16, unsigned ready16, bool every_other = false) {
    std::size_t next = 0;
    bool granted = false, psum = false, granted_psum = false;
    unsigned row = 0, part = 0, np = 0;
    int cyc = 0;
    for (; cyc < 200000 && (next < jobs.size() || !want_.empty()); ++cyc) {
      set_rows(granted, granted_psum, row, part, np);
      m_->rd_psum_i = psum;
      m_->out_ready_i = (g_() % 16) < ready16;
      m_->job_valid_i = next < jobs.size();
      if (next < jobs.size()) vec::present_job(*m_, jobs[next], kOffBits);
      m_->rd_gnt_i = 0;
      m_->eval();
      m_->rd_gnt_i = m_->rd_req_o && (every_other ? cyc % 2 == 0 : (g_() % 16) < gnt16);
      m_->eval();
      if (m_->out_valid_o && m_->out_ready_i) {
        if (want_.empty()) {
          ADD_FAILURE() << fmt::format("cycle {}: a beat nobody asked for", cyc);
          return cyc;
        }
        const Expected e = want_.front();
        want_.pop_front();
        EXPECT_EQ(m_->out_at_end_o, e.at_end) << "cycle " << cyc << ": " << e.what;
        for (unsigned l = 0; l < e.np; ++l) {
          if (m_->out_data_o[l] != e.lane[l]) {
            ADD_FAILURE() << fmt::format("cycle {}: lane {} read 0x{:08x}, expected 0x{:08x} ({})", cyc, l,
                                         m_->out_data_o[l], e.lane[l], e.what);
            return cyc;
          }
        }
      }
      if (m_->job_valid_i && m_->job_ready_o) {
        expect(jobs[next]);
        ++next;
        psum = g_() % 2;  // the space of the job just loaded, from its first request on
      }
      granted = m_->rd_gnt_i;
      granted_psum = m_->rd_psum_i;
      if (granted) {
        row = m_->rd_row_o;
        part = m_->rd_part_o;
        np = m_->rd_np_o;
      }
      m_->clk_i = 1;
      m_->eval();
      m_->clk_i = 0;
      m_->eval();
    }
    EXPECT_TRUE(want_.empty()) << want_.size() << " beats never came";
    return cyc;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vvec_reader> m_;
  std::mt19937 g_;
  std::array<std::array<std::uint8_t, kBytes>, kP> mem_{};
  std::deque<Expected> want_;
};

TEST_F(VecReader, RandomPatternsUnderRandomGrants) {
  for (int round = 0; round < 400 && !HasFailure(); ++round) {
    std::vector<vec::Pattern> jobs;
    for (int i = 0; i < 10; ++i) jobs.push_back(vec::random_pattern(g_, kP, kBytes));
    run(jobs, 1 + g_() % 16, 1 + g_() % 16);
  }
}

// One element per cycle when the port grants and the consumer takes every beat: a contiguous
// fp32 operand asks for a block once per 8 elements, an int8 one once per 32; back-to-back jobs
// add no bubble.
TEST_F(VecReader, OneElementPerCycle) {
  vec::Pattern f32;
  f32.pstart = 0;
  f32.np = kP;
  f32.lg = 2;
  f32.n = {256, 1, 1};
  vec::Pattern i8 = f32;
  i8.lg = 0;
  i8.n = {512, 2, 1};
  i8.s = {1, 512, 0};
  i8.base = 1024;
  const int cycles = run({f32, i8, f32}, 16, 16);
  const int elements = 256 + 1024 + 256;
  EXPECT_LE(cycles, elements + 4) << "reader below one element per cycle";
}

// The row prefetch (vec_run_walker, RowSlots rows): when the port grants only every other cycle,
// a contiguous operand (forwards or backwards, fp32 asking once per 8 elements, bf16 once per 16)
// still gets one element per cycle, because its rows are asked for ahead of their elements.
// Without the prefetch each row would wait for its grant. (Random grants at one half, as this
// test had until 2026-12-07, leave a rare long run of refusals that no prefetch depth hides: seed
// 3093185680 took 1551 cycles against the bound's 1548.)
TEST_F(VecReader, RowPrefetchHidesLostGrants) {
  vec::Pattern f32;
  f32.pstart = 0;
  f32.np = kP;
  f32.lg = 2;
  f32.n = {1024, 1, 1};
  vec::Pattern back = f32;  // bf16, from the top of the second KiB down
  back.lg = 1;
  back.n = {512, 1, 1};
  back.s = {-1, 0, 0};
  back.base = 2048 - 2;
  const int cycles = run({f32, back}, 8, 16, true);
  const int elements = 1024 + 512;
  EXPECT_LE(cycles, elements + 12) << "lost grants cost cycles: the rows are not read ahead";
}

}  // namespace
}  // namespace systole::verif
