// The sequencer (rtl/seq/sequencer.sv) against the golden model's Machine::run on NOP/END
// programs: dispatch order, per-engine queues of QUEUE_DEPTH held until completion, semaphore
// waits and summed signals, END, and every error the sequencer raises itself (static errors via
// decode_check, PROGRAM_BOUNDS, fetch AXI_ERROR, SEM_OVERFLOW, WATCHDOG with the lowest waiting
// index), plus quiesce, the engines' AXI errors and soft reset, which the golden model has no
// NOP-level equivalent for.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "seq_bench.hpp"
#include "systole/driver/timing_model.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/machine.hpp"
#include "test_seed.hpp"

namespace systole::verif {
namespace {

using golden::EncodedInstruction;

constexpr std::uint32_t kBase = 0x1000;

EncodedInstruction insn(unsigned opcode, unsigned engine, int wait_sem = -1, std::uint32_t wait_value = 0,
                        int signal_sem = -1) {
  EncodedInstruction w{};
  w[0] = opcode | (engine << 8);
  if (wait_sem >= 0) w[0] |= (1u << 12) | (static_cast<std::uint32_t>(wait_sem) << 16), w[1] = wait_value;
  if (signal_sem >= 0) w[0] |= (1u << 13) | (static_cast<std::uint32_t>(signal_sem) << 24);
  return w;
}
EncodedInstruction nop(unsigned engine, int wait_sem = -1, std::uint32_t v = 0, int signal_sem = -1) {
  return insn(0x00, engine, wait_sem, v, signal_sem);
}
EncodedInstruction end_insn(int wait_sem = -1, std::uint32_t v = 0) { return insn(0x01, 0, wait_sem, v); }

// Real work for an engine (the engine models run it; NOPs in an engine's queue are run by the
// sequencer itself): a 1x1x1 int8 MATMUL for the PE, a one-byte SBUF copy for a DMA queue.
EncodedInstruction work(unsigned engine, int wait_sem = -1, std::uint32_t v = 0, int signal_sem = -1) {
  using golden::DType;
  using golden::Space;
  golden::Instruction i;
  i.engine = static_cast<std::uint8_t>(engine);
  if (engine == 1) {
    golden::Matmul op;
    op.stationary = golden::tap(Space::kSbuf, DType::kInt8, 0, 1, 0, {{1, 1}});
    op.moving = golden::tap(Space::kSbuf, DType::kInt8, 0, 1, 8, {{1, 1}});
    op.out = golden::tap(Space::kPsum, DType::kInt32, 0, 1, 0, {{1, 1}});
    op.start = true;
    i.op = op;
  } else {
    golden::Dma op;
    op.dst = golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 64 + engine, {{1, 1}});
    op.src = golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{1, 1}});
    i.op = op;
  }
  if (wait_sem >= 0)
    i.sync.wait_en = true, i.sync.wait_sem = static_cast<std::uint8_t>(wait_sem), i.sync.wait_value = v;
  if (signal_sem >= 0) i.sync.signal_en = true, i.sync.signal_sem = static_cast<std::uint8_t>(signal_sem);
  return golden::encode(i);
}

golden::Config config() {
  golden::Config c = model_config();
  c.vector_engine = false;
  return c;
}

unsigned engine_of_slot(unsigned s) { return s == 0 ? 1u : 4u + (s - 1); }

struct Expect {
  golden::RunResult r;
  std::array<std::uint32_t, 32> sems{};
};

Expect run_golden(const std::vector<EncodedInstruction>& prog, const std::array<std::uint32_t, 32>& sems0,
                  std::uint64_t dram_bytes, std::uint32_t prog_len) {
  golden::Machine m(config(), dram_bytes);
  for (unsigned i = 0; i < 32; ++i) m.set_semaphore(i, sems0[i]);
  for (std::size_t i = 0; i < prog.size(); ++i) {
    if (kBase + 64 * (i + 1) > dram_bytes) break;
    m.write_dram(kBase + 64 * i,
                 std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(prog[i].data()), 64));
  }
  Expect e;
  e.r = m.run(kBase, prog_len);
  for (unsigned i = 0; i < 32; ++i) e.sems[i] = m.semaphore(i);
  return e;
}

struct Case {
  std::vector<EncodedInstruction> prog;
  std::array<std::uint32_t, 32> sems0{};
  std::uint32_t prog_len = 0;
  std::uint64_t dram_bytes = 1 << 20;
  std::string what;
};

// A random NOP program: engines SEQ, PE and the DMA queues; waits mostly on counts already
// signalled earlier in program order (so most programs finish), sometimes on more (deadlock ->
// WATCHDOG); sometimes an illegal instruction, a missing END, a fetch beyond DRAM, or a signal
// into a semaphore at 0xFFFFFFFF.
Case random_case(std::mt19937_64& rng) {
  const golden::Config cfg = config();
  Case c;
  std::uniform_int_distribution<int> pct(0, 99);
  const int n = std::uniform_int_distribution<int>(1, 48)(rng);
  std::array<std::uint32_t, 8> signalled{};
  std::vector<unsigned> engines{0, 1};
  for (unsigned q = 0; q < cfg.dma_queues; ++q) engines.push_back(4 + q);
  for (unsigned i = 0; i < 4; ++i) c.sems0[i] = std::uniform_int_distribution<std::uint32_t>(0, 2)(rng);
  const bool overflow = pct(rng) < 8;
  if (overflow) c.sems0[7] = 0xFFFFFFFFu;
  bool used_overflow = false;
  for (int i = 0; i < n; ++i) {
    const unsigned eng = engines[std::uniform_int_distribution<std::size_t>(0, engines.size() - 1)(rng)];
    int ws = -1, ss = -1;
    std::uint32_t wv = 0;
    if (pct(rng) < 50) {
      ws = std::uniform_int_distribution<int>(0, 3)(rng);
      const std::uint32_t avail = c.sems0[ws] + signalled[ws];
      wv = pct(rng) < 4 ? avail + 1 + std::uniform_int_distribution<std::uint32_t>(0, 2)(rng)
                        : std::uniform_int_distribution<std::uint32_t>(0, avail)(rng);
    }
    if (pct(rng) < 60) {
      ss = std::uniform_int_distribution<int>(0, 3)(rng);
      if (overflow && !used_overflow && pct(rng) < 10) ss = 7, used_overflow = true;
      ++signalled[ss];
    }
    EncodedInstruction w = (eng != 0 && pct(rng) < 60) ? work(eng, ws, wv, ss) : nop(eng, ws, wv, ss);
    // An execution error (the overflow) and a static error in one program: which is reported
    // depends on timing (isa.md section 5), so a program has at most one kind.
    const int bad = overflow ? 100 : pct(rng);
    if (bad == 0) w[0] |= 1u << 14;                     // reserved header bit
    if (bad == 1) w[0] = (w[0] & ~0xF00u) | (2u << 8);  // engine VEC: not present
    if (bad == 2) w[0] = (w[0] & ~0xFFu) | 0x77u;       // unknown opcode
    if (bad == 3) w[5] = 1;                             // reserved word of a NOP
    c.prog.push_back(w);
  }
  const bool no_end = !overflow && pct(rng) < 5;
  if (!no_end) {
    int ws = -1;
    std::uint32_t wv = 0;
    if (pct(rng) < 30) {
      ws = std::uniform_int_distribution<int>(0, 3)(rng);
      wv = std::uniform_int_distribution<std::uint32_t>(0, c.sems0[ws] + signalled[ws])(rng);
    }
    c.prog.push_back(end_insn(ws, wv));
  }
  // Instructions after END are never executed (some are garbage).
  const int tail = std::uniform_int_distribution<int>(0, 5)(rng);
  for (int i = 0; i < tail; ++i) {
    EncodedInstruction w{};
    for (auto& x : w) x = static_cast<std::uint32_t>(rng());
    c.prog.push_back(w);
  }
  c.prog_len = static_cast<std::uint32_t>(c.prog.size());
  if (no_end) c.prog_len = static_cast<std::uint32_t>(n);
  if (!overflow && pct(rng) < 5) {  // DRAM ends inside the program: the fetch of that instruction fails
    const auto k = std::uniform_int_distribution<std::size_t>(0, c.prog.size() - 1)(rng);
    c.dram_bytes = kBase + 64 * k;
  }
  return c;
}

std::string describe(const Case& c) {
  std::string s = fmt::format("prog_len {} dram {:#x} sems0 [{} {} {} {} .. s7={:#x}]\n", c.prog_len, c.dram_bytes,
                              c.sems0[0], c.sems0[1], c.sems0[2], c.sems0[3], c.sems0[7]);
  for (std::size_t i = 0; i < c.prog.size(); ++i)
    s += fmt::format("  {:3}: {:08x} {:08x}\n", i, c.prog[i][0], c.prog[i][1]);
  return s;
}

void run_case(SeqBench& b, const Case& c, const std::string& ctx) {
  const Expect e = run_golden(c.prog, c.sems0, c.dram_bytes, c.prog_len);
  b.mem().fill(0, kBase + 64 * (c.prog.size() + 8), 0);
  // The golden model's DRAM ends at dram_bytes: beyond it, DECERR.
  b.mem().config().error_ranges = {{c.dram_bytes, std::uint64_t{1} << 32, AxiResp::kDecErr}};
  b.write_program(kBase, c.prog);
  for (unsigned i = 0; i < 32; ++i) b.write_sem(i, c.sems0[i]);
  b.clear_stats();
  auto& m = *b.sim();
  m.watchdog_i = 400;
  b.start(kBase, c.prog_len);
  ASSERT_TRUE(m.busy_o) << ctx;
  ASSERT_TRUE(b.run_until_idle(200000)) << "sequencer still busy\n" << ctx << describe(c);
  if (e.r.done) {
    ASSERT_TRUE(m.done_o) << "golden finished, RTL stopped with code " << int(m.err_code_o) << " index "
                          << m.err_index_o << "\n"
                          << ctx << describe(c);
    EXPECT_FALSE(m.error_o) << ctx;
    EXPECT_EQ(b.done_events(), 1u) << ctx;
    EXPECT_EQ(b.retired(), e.r.counters.instructions) << ctx << describe(c);
    for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(b.read_sem(i), e.sems[i]) << "sem " << i << "\n" << ctx << describe(c);
    EXPECT_GE(b.fetch_bytes(), e.r.counters.fetch_bytes) << ctx;
    EXPECT_LE(b.fetch_bytes(), e.r.counters.fetch_bytes + (driver::fetch_slots(config()) - 1) * 64) << ctx;
  } else {
    ASSERT_TRUE(m.error_o) << "golden stopped with " << golden::error_name(e.r.code) << " at " << e.r.index << " ("
                           << e.r.detail << "), RTL did not\n"
                           << ctx << describe(c);
    EXPECT_EQ(m.err_code_o, static_cast<unsigned>(e.r.code))
        << "golden: " << golden::error_name(e.r.code) << " at " << e.r.index << " (" << e.r.detail << ")\n"
        << ctx << describe(c);
    EXPECT_EQ(m.err_index_o, e.r.index) << golden::error_name(e.r.code) << "\n" << ctx << describe(c);
    EXPECT_EQ(m.err_info_o & 0xFu, e.r.engine) << golden::error_name(e.r.code) << "\n" << ctx << describe(c);
    EXPECT_EQ(b.error_events(), 1u) << ctx;
    EXPECT_EQ(b.done_events(), 0u) << ctx;
    b.soft_reset();
    ASSERT_TRUE(b.run_until_idle(1000)) << ctx;
    EXPECT_FALSE(m.error_o) << ctx;
    EXPECT_EQ(m.err_code_o, 0u) << ctx;
    for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(b.read_sem(i), 0u) << ctx;
  }
}

AxiMemoryConfig random_memory(std::mt19937_64& rng) {
  AxiMemoryConfig c;
  std::uniform_real_distribution<double> p(0, 0.4);
  c.read_latency = std::uniform_int_distribution<unsigned>(1, 40)(rng);
  c.read_jitter = std::uniform_int_distribution<unsigned>(0, 8)(rng);
  c.p_arready_low = p(rng);
  c.p_rvalid_gap = p(rng);
  return c;
}

TEST(Sequencer, RandomNopProgramsMatchGolden) {
  const std::uint64_t seed = test_seed();
  std::mt19937_64 rng(seed);
  const char* env = std::getenv("SYSTOLE_SEQ_PROGRAMS");
  const int programs = env != nullptr ? std::atoi(env) : 300;
  int per_bench = 25;
  for (int p = 0; p < programs; p += per_bench) {
    SeqBench b(rng(), random_memory(rng));
    b.engines().p_ready = std::uniform_real_distribution<double>(0.3, 1.0)(rng);
    b.engines().max_latency = std::uniform_int_distribution<unsigned>(1, 30)(rng);
    for (int i = p; i < std::min(programs, p + per_bench); ++i) {
      const Case c = random_case(rng);
      run_case(b, c, fmt::format("program {} of seed {}\n{}\n", i, seed, replay_command()));
      if (::testing::Test::HasFailure()) return;
    }
  }
}

// Every slot is held until completion: with completions held, exactly QUEUE_DEPTH NOPs enter a
// queue and dispatch then waits (STALL_QUEUE); releasing them lets the program finish.
TEST(Sequencer, QueueSlotsHeldUntilCompletion) {
  SeqBench b(test_seed(), {});
  const unsigned depth = config().queue_depth;
  std::vector<EncodedInstruction> prog;
  for (unsigned i = 0; i < depth + 3; ++i) prog.push_back(work(1));
  prog.push_back(end_insn());
  b.write_program(kBase, prog);
  b.hold_completions(1u);  // PE never completes
  b.engines().p_ready = 1.0;
  b.start(kBase, static_cast<std::uint32_t>(prog.size()));
  unsigned stall = 0;
  for (int i = 0; i < 2000; ++i) {
    b.step();
    stall += b.sim()->stall_queue_o;
  }
  EXPECT_EQ(b.issued().size(), depth) << "only the instructions holding a slot are issued";
  EXPECT_EQ(b.inflight(0), depth);
  EXPECT_GT(stall, 1000u) << "dispatch waits on the full queue";
  EXPECT_TRUE(b.sim()->busy_o);
  b.hold_completions(0);
  ASSERT_TRUE(b.run_until_idle(5000));
  EXPECT_TRUE(b.sim()->done_o);
  EXPECT_EQ(b.retired(), depth + 4u);
}

// An engine's AXI error: ERR_CODE 6, its instruction, engine and response in ERR_INFO; the core
// stops issuing, raises stop_o, waits for the engines to be idle, pulses clr_o once, and only
// then drops BUSY and raises ERROR with one error event.
TEST(Sequencer, EngineAxiErrorQuiescesThenStops) {
  SeqBench b(test_seed(), {});
  const unsigned slot = SeqBench::slots() - 1;  // the last DMA queue
  const unsigned eng = engine_of_slot(slot);
  std::vector<EncodedInstruction> prog;
  for (int i = 0; i < 6; ++i) prog.push_back(work(1));
  prog.push_back(work(eng));  // index 6
  prog.push_back(work(eng));
  prog.push_back(end_insn());
  b.write_program(kBase, prog);
  b.hold_completions(1u << slot);
  b.engines().idle_lag = 50;
  b.start(kBase, static_cast<std::uint32_t>(prog.size()));
  auto& m = *b.sim();
  for (int i = 0; i < 500 && b.inflight(slot) == 0; ++i) b.step();
  ASSERT_GT(b.inflight(slot), 0u);
  b.inject_error(slot, 3, true);
  b.step();
  const std::uint64_t t0 = b.sim().cycle();
  std::uint64_t stop_at = 0, clr_at = 0, idle_at = 0;
  for (int i = 0; i < 500 && !idle_at; ++i) {
    b.step();
    if (m.stop_o && !stop_at) stop_at = b.sim().cycle();
    if (b.clears() && !clr_at) clr_at = b.sim().cycle();
    if (!m.busy_o) idle_at = b.sim().cycle();
  }
  ASSERT_NE(idle_at, 0u) << "never stopped";
  EXPECT_LE(stop_at, t0 + 2);
  EXPECT_GE(clr_at, t0 + 50) << "clr before the engine was idle";
  EXPECT_TRUE(m.error_o);
  EXPECT_FALSE(m.done_o);
  EXPECT_EQ(m.err_code_o, 6u);
  EXPECT_EQ(m.err_index_o, 6u);
  EXPECT_EQ(m.err_info_o, eng | (3u << 4) | (1u << 6));
  EXPECT_EQ(b.error_events(), 1u);
  EXPECT_EQ(b.clears(), 1u);
  // START is the host block's to refuse while ERROR; soft reset clears and a program runs again.
  b.hold_completions(0);
  b.soft_reset();
  ASSERT_TRUE(b.run_until_idle(1000));
  EXPECT_FALSE(m.error_o);
  EXPECT_EQ(m.err_info_o, 0u);
  b.clear_stats();
  b.start(kBase, static_cast<std::uint32_t>(prog.size()));
  ASSERT_TRUE(b.run_until_idle(5000));
  EXPECT_TRUE(m.done_o);
  EXPECT_EQ(b.retired(), prog.size());
}

// Soft reset in the middle of a run: BUSY stays while work is in flight, no DONE or ERROR
// event follows, semaphores are zeroed, and the next program runs.
TEST(Sequencer, SoftResetMidRun) {
  SeqBench b(test_seed(), {});
  std::vector<EncodedInstruction> prog;
  prog.push_back(work(1, -1, 0, 2));
  prog.push_back(work(4, 5, 1));  // waits forever
  prog.push_back(end_insn());
  b.write_program(kBase, prog);
  b.write_sem(9, 1234);
  b.engines().idle_lag = 30;
  b.start(kBase, 3);
  auto& m = *b.sim();
  for (int i = 0; i < 300; ++i) b.step();
  EXPECT_TRUE(m.busy_o);
  EXPECT_EQ(b.read_sem(2), 1u);
  b.soft_reset();
  ASSERT_TRUE(b.run_until_idle(1000));
  EXPECT_FALSE(m.error_o);
  EXPECT_FALSE(m.done_o);
  EXPECT_EQ(b.done_events() + b.error_events(), 0u);
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(b.read_sem(i), 0u);
  b.clear_stats();
  std::vector<EncodedInstruction> ok{nop(1, -1, 0, 0), nop(4, 0, 1, 1), end_insn(1, 1)};
  b.write_program(kBase, ok);
  b.start(kBase, 3);
  ASSERT_TRUE(b.run_until_idle(5000));
  EXPECT_TRUE(m.done_o);
  EXPECT_EQ(b.read_sem(1), 1u);
}

// The watchdog reports the lowest waiting index; WATCHDOG = 0 disables it.
TEST(Sequencer, WatchdogLowestWaitingAndDisable) {
  SeqBench b(test_seed(), {});
  std::vector<EncodedInstruction> prog{work(1), nop(4, 3, 1), work(1, 3, 2), end_insn()};
  b.write_program(kBase, prog);
  auto& m = *b.sim();
  m.watchdog_i = 0;
  b.start(kBase, 4);
  for (int i = 0; i < 3000; ++i) b.step();
  EXPECT_TRUE(m.busy_o) << "WATCHDOG = 0 never fires";
  m.watchdog_i = 100;
  ASSERT_TRUE(b.run_until_idle(500));
  EXPECT_EQ(m.err_code_o, 0x0Au);
  EXPECT_EQ(m.err_index_o, 1u);
  EXPECT_EQ(m.err_info_o & 0xFu, 4u);
}

// PROG_LEN = 0 stops at once with PROGRAM_BOUNDS, index 0.
TEST(Sequencer, EmptyProgramIsOutOfBounds) {
  SeqBench b(test_seed(), {});
  b.start(kBase, 0);
  ASSERT_TRUE(b.run_until_idle(100));
  EXPECT_EQ(b.sim()->err_code_o, 0x09u);
  EXPECT_EQ(b.sim()->err_index_o, 0u);
}

// Fetch runs ahead (fetch_slots - 1 past decode: 7 on `default`, 3 on the FPGA configurations)
// with a slow memory, with that many bursts in flight, and not past END.
TEST(Sequencer, FetchAheadBounded) {
  const std::uint32_t slots = driver::fetch_slots(config());
  AxiMemoryConfig mc;
  mc.read_latency = 100;
  SeqBench b(test_seed(), mc);
  std::vector<EncodedInstruction> prog(40, nop(0));
  prog[20] = end_insn();
  b.write_program(kBase, prog);
  b.start(kBase, 40);
  ASSERT_TRUE(b.run_until_idle(20000));
  EXPECT_TRUE(b.sim()->done_o);
  EXPECT_EQ(b.retired(), 21u);
  EXPECT_GE(b.fetch_bytes(), 21u * 64);
  EXPECT_LE(b.fetch_bytes(), (21u + slots - 1) * 64);
  EXPECT_LE(b.mem().stats().max_outstanding_reads, slots);
  EXPECT_GE(b.mem().stats().max_outstanding_reads, slots - 1) << "fetch should overlap " << slots << " bursts";
}

}  // namespace
}  // namespace systole::verif

namespace systole::verif {
namespace {

// A NOP in an engine's queue signals only after the engine's earlier instructions completed.
TEST(Sequencer, EngineNopSignalsAfterEarlierWork) {
  SeqBench b(test_seed(), {});
  std::vector<EncodedInstruction> prog{work(1), work(1), nop(1, -1, 0, 5), end_insn(5, 1)};
  b.write_program(kBase, prog);
  b.hold_completions(1u);
  b.engines().p_ready = 1.0;
  b.start(kBase, 4);
  for (int i = 0; i < 300; ++i) b.step();
  EXPECT_EQ(b.read_sem(5), 0u) << "the NOP signalled before the MATMULs ahead of it completed";
  EXPECT_EQ(b.issued().size(), 2u) << "a NOP is never handed to the engine";
  b.hold_completions(0);
  ASSERT_TRUE(b.run_until_idle(2000));
  EXPECT_TRUE(b.sim()->done_o);
  EXPECT_EQ(b.read_sem(5), 1u);
  EXPECT_EQ(b.retired(), 4u);
}

}  // namespace
}  // namespace systole::verif
