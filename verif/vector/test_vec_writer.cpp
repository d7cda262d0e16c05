// The vector engine's output writer (rtl/vector/vec_writer.sv) against the golden model's
// write order (docs/isa.md section 3; elements in iteration order, so with a stride of 0 the
// last write wins): random patterns and lane enables (SELECT's mask), beats offered at random,
// block writes granted at random and applied to a C++ memory with their byte enables, then
// compared with the same writes done element by element. Also: done_o only after the job's
// last write, nothing outside the job's partitions, and the rate.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <fmt/format.h>
#include <memory>
#include <random>
#include <vector>

#include SYSTOLE_MODEL_HEADER  // Vvec_writer (CMakeLists.txt: the parameters below)
#include "test_seed.hpp"
#include "vec_tap_gen.hpp"
#include "verilated.h"

namespace systole::verif {
namespace {

constexpr unsigned kP = 8, kRB = 8, kOffBits = 12, kBytes = 1u << kOffBits;
using Memory = std::array<std::array<std::uint8_t, kBytes>, kP>;

struct Beat {
  std::array<std::uint32_t, kP> lane{};
  unsigned en = 0;
};

struct Job {
  vec::Pattern pat;
  std::vector<Beat> beats;
};

class VecWriter : public ::testing::Test {
 protected:
  VecWriter()
      : ctx_(std::make_unique<VerilatedContext>()),
        m_(std::make_unique<Vvec_writer>(ctx_.get())),
        g_(static_cast<std::uint32_t>(test_seed())) {
    m_->clk_i = 0;
    m_->rst_ni = 0;
    m_->eval();
    m_->rst_ni = 1;
    m_->eval();
  }
  ~VecWriter() override {
    if (HasFailure()) ADD_FAILURE() << replay_command();
    m_->final();
  }

  Job random_job(bool all_lanes) {
    Job j;
    j.pat = vec::random_pattern(g_, kP, kBytes);
    for (std::size_t e = 0; e < j.pat.size(); ++e) {
      Beat b;
      for (auto& v : b.lane) v = static_cast<std::uint32_t>(g_());
      b.en = all_lanes ? 0xFFu : static_cast<unsigned>(g_() & 0xFF);
      j.beats.push_back(b);
    }
    return j;
  }
  // The golden order: element by element, enabled lanes < np only.
  static void reference(Memory& mem, const Job& j) {
    const auto off = j.pat.offsets();
    for (std::size_t e = 0; e < off.size(); ++e) {
      for (unsigned l = 0; l < j.pat.np; ++l) {
        if (!((j.beats[e].en >> l) & 1)) continue;
        for (unsigned b = 0; b < (1u << j.pat.lg); ++b)
          mem[j.pat.pstart + l][static_cast<std::size_t>(off[e]) + b] =
              static_cast<std::uint8_t>(j.beats[e].lane[l] >> (8 * b));
      }
    }
  }
  // Applies a granted block write to the DUT's memory; checks it stays in the job's partitions.
  void apply_write(const vec::Pattern& p) {
    const unsigned row = m_->wr_row_o, part = m_->wr_part_o, np = m_->wr_np_o;
    EXPECT_EQ(part, p.pstart);
    EXPECT_EQ(np, p.np);
    for (unsigned q = 0; q < kP; ++q) {
      const unsigned be = static_cast<unsigned>((m_->wr_be_o >> (q * kRB)) & 0xFF);
      if (q < part || q >= part + np) {
        EXPECT_EQ(be, 0u) << "byte enables outside the block, partition " << q;
        continue;
      }
      const std::uint64_t data = static_cast<std::uint64_t>(m_->wr_data_o[2 * q]) |
                                 (static_cast<std::uint64_t>(m_->wr_data_o[2 * q + 1]) << 32);
      for (unsigned b = 0; b < kRB; ++b)
        if ((be >> b) & 1) dut_[q][row * kRB + b] = static_cast<std::uint8_t>(data >> (8 * b));
    }
  }
  // Runs the jobs; returns the cycles taken. Beats come with probability valid16/16, grants with
  // gnt16/16.
  int run(const std::vector<Job>& jobs, unsigned valid16, unsigned gnt16) {
    std::size_t job_in = 0, job_beats = 0, beat = 0, done = 0;
    std::deque<std::size_t> loaded;  // jobs taken, in order; the front one owns the writes
    int cyc = 0;
    for (; cyc < 400000 && done < jobs.size(); ++cyc) {
      m_->job_valid_i = job_in < jobs.size();
      if (job_in < jobs.size()) vec::present_job(*m_, jobs[job_in].pat, kOffBits);
      const bool have_beat = job_beats < jobs.size() && job_beats < job_in && beat < jobs[job_beats].beats.size();
      m_->in_valid_i = have_beat && (g_() % 16) < valid16;
      if (have_beat) {
        const Beat& b = jobs[job_beats].beats[beat];
        for (unsigned l = 0; l < kP; ++l) m_->in_data_i[l] = b.lane[l];
        m_->in_en_i = b.en;
      }
      m_->wr_gnt_i = 0;
      m_->eval();
      m_->wr_gnt_i = m_->wr_req_o && (g_() % 16) < gnt16;
      m_->eval();
      if (m_->wr_gnt_i) apply_write(jobs[loaded.front()].pat);
      if (m_->done_o) {
        const std::size_t j = loaded.front();
        loaded.pop_front();
        reference(ref_, jobs[j]);
        if (dut_ != ref_) {
          ADD_FAILURE() << fmt::format("job {} (pstart {}, np {}, lg {}, n {}x{}x{}, s {} {} {}): memory differs", j,
                                       jobs[j].pat.pstart, jobs[j].pat.np, jobs[j].pat.lg, jobs[j].pat.n[0],
                                       jobs[j].pat.n[1], jobs[j].pat.n[2], jobs[j].pat.s[0], jobs[j].pat.s[1],
                                       jobs[j].pat.s[2]);
          return cyc;
        }
        ++done;
      }
      if (m_->in_valid_i && m_->in_ready_o && ++beat == jobs[job_beats].beats.size()) {
        ++job_beats;
        beat = 0;
      }
      if (m_->job_valid_i && m_->job_ready_o) loaded.push_back(job_in++);
      m_->clk_i = 1;
      m_->eval();
      m_->clk_i = 0;
      m_->eval();
    }
    EXPECT_EQ(done, jobs.size()) << "jobs never done";
    return cyc;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vvec_writer> m_;
  std::mt19937 g_;
  Memory dut_{}, ref_{};
};

TEST_F(VecWriter, RandomPatternsAndEnablesUnderRandomGrants) {
  for (int round = 0; round < 400 && !HasFailure(); ++round) {
    std::vector<Job> jobs;
    for (int i = 0; i < 10; ++i) jobs.push_back(random_job(g_() % 4 == 0));
    run(jobs, 1 + g_() % 16, 1 + g_() % 16);
  }
}

// One element per cycle with the port granting every request: a contiguous fp32 output writes
// a block per 2 elements on this 8-byte row, an int8 one per 8; jobs follow without a bubble.
TEST_F(VecWriter, OneElementPerCycle) {
  Job f32;
  f32.pat.np = kP;
  f32.pat.lg = 2;
  f32.pat.n = {256, 1, 1};
  f32.beats.assign(256, Beat{{}, 0xFF});
  Job i8 = f32;
  i8.pat.lg = 0;
  i8.pat.base = 2048;
  i8.pat.n = {512, 1, 1};
  i8.beats.assign(512, Beat{{}, 0xFF});
  const int cycles = run({f32, i8, f32}, 16, 16);
  EXPECT_LE(cycles, 256 + 512 + 256 + 4) << "writer below one element per cycle";
}

}  // namespace
}  // namespace systole::verif
