// axi_arbiter (rtl/axi/axi_arbiter.sv) with NMst random masters against AxiMemory, which
// reorders responses across IDs. Every run checks, cycle by cycle:
//   - every R beat a master receives is the data of its own read (the read region is random
//     bytes), with its RLAST and its response; B responses likewise;
//   - W order: each master's write region ends equal to its shadow (a W beat sent under another
//     master's AW lands in that master's region or breaks its WLAST count: AxiMemory checks it);
//   - fairness: while a master waits with AxVALID high, at most NMst-1 other masters' AR (or AW)
//     handshakes happen before its own (round-robin bound);
//   - the W-order FIFO never holds more than 16 AWs, and AW is not presented while it is full;
//   - fetch (master 0) never gets a write handshake;
//   - AxiMemory's protocol checker (bursts, WLAST, valid/payload stability) throws on a violation.
// Corner cases, by name: FastMemory, SlowJitterBackPressure, InterleavedReads, NarrowBandwidth,
// ManyErrors, LongBursts, SingleBeats, SaturatedFairness, WFifoFullBlocksAw.
#include <gtest/gtest.h>

#include <numeric>

#include "arbiter_bench.hpp"
#include "test_seed.hpp"

namespace systole::verif::arb {
namespace {

struct Stats {
  std::vector<std::uint64_t> ar_grants = std::vector<std::uint64_t>(kN), aw_grants = std::vector<std::uint64_t>(kN);
  std::uint64_t max_ar_wait = 0, max_aw_wait = 0;  // other masters' handshakes while one waited
  std::uint64_t w_fifo_max = 0;
  std::uint64_t aw_blocked_by_fifo = 0;  // cycles with the FIFO full and an AW waiting
  std::uint64_t reads = 0, writes = 0;
};

class Bench {
 public:
  Bench(std::uint64_t seed, AxiMemoryConfig mc, const MasterKnobs& k) : rng_(seed) {
    image_.resize(kReadBytes);
    for (auto& b : image_) b = static_cast<std::uint8_t>(rng_());
    mc.base = 0;
    mc.size = kMemBytes;
    mc.seed = seed ^ 0x5eed;
    mc.error_ranges = {{kErrBase, kErrBase + kErrBytes, AxiResp::kSlvErr}};
    mc.response_timeout = 100000;
    mem_ = std::make_unique<AxiMemory>(chip_port(*sim_), mc);
    mem_->write(kReadBase, image_);
    for (unsigned m = 0; m < kN; ++m) masters_.push_back(std::make_unique<Master>(m, k, seed + 17 * m + 1, image_));
    ar_wait_.assign(kN, 0);
    aw_wait_.assign(kN, 0);
    sim_.reset();
    mem_->reset();
  }

  // Runs `cycles` cycles of traffic, then drains; returns the first error (empty if none).
  std::string run(std::uint64_t cycles) {
    for (std::uint64_t c = 0; c < cycles; ++c) {
      if (std::string e = cycle(); !e.empty()) return e;
    }
    for (auto& m : masters_) m->stop_issuing();
    for (std::uint64_t c = 0;; ++c) {
      if (c > 200000) return "masters did not drain within 200000 cycles";
      if (std::all_of(masters_.begin(), masters_.end(), [](const auto& m) { return m->idle(); }) && mem_->idle()) {
        break;
      }
      if (std::string e = cycle(); !e.empty()) return e;
    }
    for (unsigned m = 1; m < kN; ++m) {
      const auto got = mem_->read(kWriteBase + m * kWriteBytes, kWriteBytes);
      const auto& want = masters_[m]->shadow();
      const auto it = std::mismatch(got.begin(), got.end(), want.begin());
      if (it.first != got.end()) {
        return fmt::format("master {}'s write region differs at {:#x}: {:#04x}, expected {:#04x}", m,
                           kWriteBase + m * kWriteBytes + (it.first - got.begin()), *it.first, *it.second);
      }
    }
    for (const auto& m : masters_) {
      stats_.reads += m->reads_done();
      stats_.writes += m->writes_done();
    }
    return {};
  }

  const Stats& stats() const { return stats_; }
  AxiMemory& mem() { return *mem_; }

 private:
  std::string cycle() {
    Model& m = *sim_;
    mem_->drive();
    for (auto& ms : masters_) ms->drive(m, sim_.cycle());
    sim_.eval();
    for (auto& ms : masters_) {
      if (std::string e = ms->sample(m, sim_.cycle()); !e.empty()) return fmt::format("cycle {}: {}", sim_.cycle(), e);
    }
    if (std::string e = monitor(m); !e.empty()) return fmt::format("cycle {}: {}", sim_.cycle(), e);
    mem_->sample();
    sim_.tick();
    return {};
  }

  // Chip-port monitors: fairness, W-order FIFO occupancy.
  std::string monitor(Model& m) {
    const bool ar_fire = m.ar_valid_o && m.ar_ready_i;
    const bool aw_fire = m.aw_valid_o && m.aw_ready_i;
    const bool wlast_fire = m.w_valid_o && m.w_ready_i && m.w_last_o;
    if (m.ar_valid_o && m.ar_id_o >= kN) return fmt::format("AR with ID {}", m.ar_id_o);
    if (m.aw_valid_o && m.aw_id_o >= kN) return fmt::format("AW with ID {}", m.aw_id_o);
    if (m.aw_valid_o && m.aw_id_o == 0) return "AW with ID 0 (fetch only reads)";
    if (ar_fire) ++stats_.ar_grants[m.ar_id_o];
    if (aw_fire) ++stats_.aw_grants[m.aw_id_o];
    for (unsigned i = 0; i < kN; ++i) {
      if (ar_fire && bit(m.mst_ar_valid_i, i)) ar_wait_[i] = (m.ar_id_o == i) ? 0 : ar_wait_[i] + 1;
      if (aw_fire && bit(m.mst_aw_valid_i, i)) aw_wait_[i] = (m.aw_id_o == i) ? 0 : aw_wait_[i] + 1;
      if (!bit(m.mst_ar_valid_i, i)) ar_wait_[i] = 0;
      if (!bit(m.mst_aw_valid_i, i)) aw_wait_[i] = 0;
      stats_.max_ar_wait = std::max(stats_.max_ar_wait, ar_wait_[i]);
      stats_.max_aw_wait = std::max(stats_.max_aw_wait, aw_wait_[i]);
      if (ar_wait_[i] > kN - 1 || aw_wait_[i] > kN - 1) {
        return fmt::format("master {} starved: {} other AR / {} other AW handshakes while it waited", i, ar_wait_[i],
                           aw_wait_[i]);
      }
    }
    if (w_fifo_ == kWFifoDepth) {
      if (m.aw_valid_o) return "AW presented while the W-order FIFO is full";
      if (m.mst_aw_valid_i != 0) ++stats_.aw_blocked_by_fifo;
    }
    w_fifo_ = w_fifo_ + (aw_fire ? 1 : 0) - (wlast_fire ? 1 : 0);
    if (w_fifo_ > kWFifoDepth) return fmt::format("{} AWs waiting for their W: more than the FIFO holds", w_fifo_);
    stats_.w_fifo_max = std::max(stats_.w_fifo_max, w_fifo_);
    return {};
  }

  std::mt19937_64 rng_;
  SimController<Model> sim_;
  std::unique_ptr<AxiMemory> mem_;
  std::vector<std::uint8_t> image_;
  std::vector<std::unique_ptr<Master>> masters_;
  std::vector<std::uint64_t> ar_wait_, aw_wait_;
  std::uint64_t w_fifo_ = 0;
  Stats stats_;
};

Stats run_case(const AxiMemoryConfig& mc, const MasterKnobs& k, std::uint64_t cycles) {
  Bench b(test_seed(), mc, k);
  const std::string err = b.run(cycles);
  EXPECT_EQ(err, "") << replay_command(SYSTOLE_MODEL_CONFIG);
  const Stats s = b.stats();
  EXPECT_GT(s.reads, 0u);
  if (kN > 1) {
    EXPECT_GT(s.writes, 0u);
  }
  for (unsigned m = 0; m < kN; ++m) {
    EXPECT_GT(s.ar_grants[m], 0u) << "master " << m << " never read";
    if (m > 0) {
      EXPECT_GT(s.aw_grants[m], 0u) << "master " << m << " never wrote";
    }
  }
  EXPECT_EQ(s.aw_grants[0], 0u);
  return s;
}

AxiMemoryConfig fast() {
  AxiMemoryConfig c;
  c.read_latency = 1;
  c.write_latency = 1;
  return c;
}

TEST(AxiArbiter, FastMemory) { run_case(fast(), {}, 20000); }

TEST(AxiArbiter, SlowJitterBackPressure) {
  AxiMemoryConfig c;
  c.read_latency = 20;
  c.read_jitter = 40;
  c.write_latency = 10;
  c.write_jitter = 30;
  c.p_arready_low = c.p_awready_low = c.p_wready_low = 0.3;
  c.p_rvalid_gap = c.p_bvalid_gap = 0.3;
  MasterKnobs k;
  k.p_rready_low = k.p_bready_low = 0.4;
  k.p_w_gap = 0.4;
  run_case(c, k, 30000);
}

TEST(AxiArbiter, InterleavedReads) {
  AxiMemoryConfig c = fast();
  c.read_jitter = 8;
  c.interleave_reads = true;
  const Stats s = run_case(c, {}, 20000);
  EXPECT_GT(s.reads, 100u);
}

TEST(AxiArbiter, NarrowBandwidth) {
  AxiMemoryConfig c;
  c.bytes_per_cycle = kBytes / 3.0;
  run_case(c, {}, 20000);
}

TEST(AxiArbiter, ManyErrors) {
  MasterKnobs k;
  k.p_error = 0.4;
  run_case(fast(), k, 15000);
}

TEST(AxiArbiter, LongBursts) {
  MasterKnobs k;
  k.max_len = 64;
  k.p_rready_low = 0.1;
  run_case(AxiMemoryConfig{}, k, 20000);
}

TEST(AxiArbiter, SingleBeats) {
  MasterKnobs k;
  k.max_len = 1;
  k.p_read = k.p_write = 0.8;
  k.p_rready_low = k.p_bready_low = 0;
  run_case(fast(), k, 15000);
}

// Every master always has an AR and an AW waiting: grants rotate, so no master waits for more
// than NMst-1 others (checked every cycle) and all get about the same share.
TEST(AxiArbiter, SaturatedFairness) {
  MasterKnobs k;
  k.p_read = k.p_write = 1.0;
  k.max_reads = k.max_writes = 64;
  k.max_len = 2;
  k.p_w_gap = 0;
  k.p_rready_low = k.p_bready_low = 0;
  k.p_error = 0;
  AxiMemoryConfig c = fast();
  c.max_reads = c.max_writes = 256;
  c.p_arready_low = c.p_awready_low = 0.5;
  const Stats s = run_case(c, k, 20000);
  const std::uint64_t ar_total = std::accumulate(s.ar_grants.begin(), s.ar_grants.end(), std::uint64_t{0});
  for (unsigned m = 0; m < kN; ++m) {
    EXPECT_NEAR(static_cast<double>(s.ar_grants[m]), static_cast<double>(ar_total) / kN, 0.05 * ar_total / kN + 2)
        << "master " << m;
  }
  EXPECT_EQ(s.max_ar_wait, kN - 1);  // the bound is reached: it is tight
  EXPECT_EQ(s.max_aw_wait, kN - 2);  // kN - 1 writers
}

// W is held back long after each AW, so AWs pile up: the FIFO fills to 16, AW waits while it is
// full, and the data still lands where it belongs.
TEST(AxiArbiter, WFifoFullBlocksAw) {
  MasterKnobs k;
  k.p_read = 0.05;
  k.p_write = 1.0;
  k.max_writes = 16;
  k.w_hold_cycles = 300;
  const Stats s = run_case(fast(), k, 20000);
  EXPECT_EQ(s.w_fifo_max, kWFifoDepth);
  EXPECT_GT(s.aw_blocked_by_fifo, 100u);
}

}  // namespace
}  // namespace systole::verif::arb
