// The static timing model (driver/timing_model.hpp): the DMA's chunks as the RTL's dap_iter cuts
// them (docs/dma.md section 3), the latency hidden by back-to-back reads, the shared channels,
// and the tensor engine's pipeline.
#include <gtest/gtest.h>

#include "systole/driver/timing_model.hpp"
#include "systole/golden/builder.hpp"

using namespace systole;
using namespace systole::golden;

namespace {
const Config kCfg = Config::standard();  // default: 32-byte beats and rows, P = 16
}  // namespace

TEST(TimingModel, ContiguousDramRunsMoveABeatPerChunk) {
  // 1024 bf16 = 2048 bytes from an aligned address: 64 beats, 4 bursts of 16.
  const auto c = driver::dma_side_cost(kCfg, dram(DType::kBf16, 0x1000, {{1024, 1}}), 1);
  EXPECT_EQ(c.chunks, 64u);
  EXPECT_EQ(c.beats, 64u);
  EXPECT_EQ(c.bursts, 4u);
  // Two bytes off the beat: one more chunk and beat; the bursts still break at 16 beats.
  const auto m = driver::dma_side_cost(kCfg, dram(DType::kBf16, 0x1002, {{1024, 1}}), 1);
  EXPECT_EQ(m.chunks, 65u);
  EXPECT_EQ(m.beats, 65u);
  EXPECT_EQ(m.bursts, 5u);
}

TEST(TimingModel, ShortRunsShareBeatsAndBursts) {
  // 64 rows of 4 bf16 (8 bytes) with a row pitch of 8 bytes: contiguous, so the runs share beats.
  const auto c = driver::dma_side_cost(kCfg, dram(DType::kBf16, 0, {{4, 1}, {64, 4}}), 1);
  EXPECT_EQ(c.chunks, 64u);  // one chunk per run (a run never spans two beats here)
  EXPECT_EQ(c.beats, 16u);
  EXPECT_EQ(c.bursts, 1u);
  // A 64-byte pitch: every run in its own beat, bursts of one beat.
  const auto g = driver::dma_side_cost(kCfg, dram(DType::kBf16, 0, {{4, 1}, {64, 32}}), 1);
  EXPECT_EQ(g.beats, 64u);
  EXPECT_EQ(g.bursts, 64u);
}

TEST(TimingModel, OnChipRowsColumnsAndElements) {
  // A run of 256 bf16 in one partition: 512 bytes = 16 rows of 32 bytes.
  EXPECT_EQ(driver::dma_side_cost(kCfg, onchip(Space::kSbuf, DType::kBf16, 0, 1, 0, {{256, 1}}), 1).chunks, 16u);
  // 16 partitions x 64 bf16: 4 rows each.
  EXPECT_EQ(driver::dma_side_cost(kCfg, onchip(Space::kSbuf, DType::kBf16, 0, 16, 0, {{64, 1}}), 1).chunks, 64u);
  // Transposing (pdim 0 walks 16 partitions) x 32 columns: one chunk of 16 partitions per column.
  const Dap t = onchip_pdim(Space::kSbuf, DType::kBf16, 0, 0, {Dim{16, 1}, Dim{32, 1}, Dim{1, 0}, Dim{1, 0}}, 0);
  EXPECT_EQ(driver::dma_side_cost(kCfg, t, 1).chunks, 32u);
  // fp32 -> bf16 cast: a chunk holds at most a row of 4-byte source elements (8).
  EXPECT_EQ(driver::dma_side_cost(kCfg, onchip(Space::kSbuf, DType::kBf16, 0, 1, 0, {{256, 1}}), 2).chunks, 32u);
  // A stride of 2: one element per chunk.
  EXPECT_EQ(driver::dma_side_cost(kCfg, onchip(Space::kSbuf, DType::kBf16, 0, 1, 0, {{100, 2}}), 1).chunks, 100u);
}

TEST(TimingModel, BackToBackReadsHideTheLatency) {
  ProgramBuilder b(kCfg);
  // Eight 8 KiB loads on one queue (256 beats each) against a 100-cycle DRAM.
  for (std::uint32_t i = 0; i < 8; ++i)
    b.dma(0, onchip(Space::kSbuf, DType::kBf16, 0, 16, i * 512, {{256, 1}}),
          dram(DType::kBf16, 0x10000 + i * 8192, {{256, 1}, {16, 256}}));
  b.end();
  driver::TimingModel tm;
  const auto e = driver::estimate_program(kCfg, b.instructions(), tm);
  // The first instruction's fetch, then one data latency, not eight.
  EXPECT_GE(e.cycles, 8u * 256u + 2 * tm.dram_latency);
  EXPECT_LT(e.cycles, 8u * 256u + 2 * tm.dram_latency + 100u);
  // Two queues share the one R channel: no faster than one beat per cycle.
  ProgramBuilder b2(kCfg);
  for (std::uint32_t i = 0; i < 8; ++i)
    b2.dma(i % 2, onchip(Space::kSbuf, DType::kBf16, 0, 16, i * 512, {{256, 1}}),
           dram(DType::kBf16, 0x10000 + i * 8192, {{256, 1}, {16, 256}}));
  b2.end();
  EXPECT_GE(driver::estimate_program(kCfg, b2.instructions(), tm).cycles, 8u * 256u + tm.dram_latency);
  // A 16-byte-per-cycle DRAM is the limit then: 64 KiB / 16 = 4096 cycles at least.
  tm.dram_bytes_per_cycle = 16;
  EXPECT_GE(driver::estimate_program(kCfg, b.instructions(), tm).cycles, 4096u);
}

TEST(TimingModel, BackToBackMatmulsHaveNoBubblesAtLargeN) {
  const Config cfg = Config::standard();
  ProgramBuilder b(cfg);
  const Tap out = tap(Space::kPsum, DType::kFp32, 0, 16, 0, {{512, 1}});
  const Tap st = tap(Space::kSbuf, DType::kBf16, 0, 16, 0, {{16, 1}});
  const Tap mv = tap(Space::kSbuf, DType::kBf16, 0, 16, 64, {{512, 1}});
  for (int i = 0; i < 100; ++i) b.matmul(out, st, mv, i == 0);
  b.end();
  const auto e = driver::estimate_program(cfg, b.instructions());
  EXPECT_EQ(e.pe_stream_cycles, 51200u);
  EXPECT_GT(e.utilization, 0.99);
  EXPECT_LT(e.cycles, 51200u + 200);
}

TEST(TimingModel, QueuesLoadingColumnsShareTheSbufPort) {
  // A transposing load: 2048 fp8 rows of 16 bytes (contiguous in DRAM, 1024 beats) spread across
  // the 16 partitions, one column of 16 partitions per row.
  const auto load = [](ProgramBuilder& b, unsigned q) {
    b.dma(q, onchip_pdim(Space::kSbuf, DType::kFp8, 0, q * 2048, {Dim{16, 1}, Dim{2048, 1}, Dim{1, 0}, Dim{1, 0}}, 0),
          dram(DType::kFp8, 0x10000 + q * 0x10000, {{16, 1}, {2048, 16}}));
  };
  const auto side = driver::dma_side_cost(
      kCfg, onchip_pdim(Space::kSbuf, DType::kFp8, 0, 0, {Dim{16, 1}, Dim{2048, 1}, Dim{1, 0}, Dim{1, 0}}, 0), 0);
  EXPECT_EQ(side.chunks, 2048u);
  EXPECT_EQ(side.port_rows, 2048u * 16u);  // every column holds the row port of all 16 partitions
  driver::TimingModel tm;
  tm.dram_bytes_per_cycle = 0;
  ProgramBuilder one(kCfg);
  load(one, 0);
  one.end();
  const auto e1 = driver::estimate_program(kCfg, one.instructions(), tm);
  EXPECT_LT(e1.cycles, 2048u + 300u);  // one column per cycle
  // Four queues: the R channel would carry them in 4096 cycles, the SBUF port needs 8192.
  ProgramBuilder four(kCfg);
  for (unsigned q = 0; q < 4; ++q) load(four, q);
  four.end();
  const auto e4 = driver::estimate_program(kCfg, four.instructions(), tm);
  EXPECT_GE(e4.cycles, 4u * 2048u);
  EXPECT_LT(e4.cycles, 4u * 2048u + 400u);
  // Row loads into partitions of their own: 16 bytes per partition row, the R channel limits.
  ProgramBuilder rows(kCfg);
  for (unsigned q = 0; q < 4; ++q)
    rows.dma(q, onchip(Space::kSbuf, DType::kFp8, q * 4, 4, 0, {{8192, 1}}),
             dram(DType::kFp8, 0x10000 + q * 0x10000, {{8192, 1}, {4, 8192}}));
  rows.end();
  const auto er = driver::estimate_program(kCfg, rows.instructions(), tm);
  EXPECT_LT(er.cycles, 4u * 1024u + 400u);
}

TEST(TimingModel, FetchLimitsTheInstructionRate) {
  // MATMULs of N = 8 want one instruction every 8 cycles; the fetch unit lands `fetch_slots`
  // instructions per DRAM latency.
  ProgramBuilder b(kCfg);
  const Tap out = tap(Space::kPsum, DType::kFp32, 0, 16, 0, {{8, 1}});
  const Tap st = tap(Space::kSbuf, DType::kBf16, 0, 16, 0, {{1, 1}});
  const Tap mv = tap(Space::kSbuf, DType::kBf16, 0, 16, 64, {{8, 1}});
  for (int i = 0; i < 400; ++i) b.matmul(out, st, mv, i == 0);
  b.end();
  driver::TimingModel tm;
  tm.dram_latency = 200;
  const auto e = driver::estimate_program(kCfg, b.instructions(), tm);
  const std::uint32_t slots = driver::fetch_slots(kCfg);
  EXPECT_EQ(slots, 8u);  // default: a 256-bit bus
  EXPECT_GE(e.cycles, 400u / slots * tm.dram_latency);
  EXPECT_LT(e.cycles, 400u / slots * (tm.dram_latency + tm.fetch_overhead + tm.decode_cycles) + 400u);
  // Four slots (the FPGA configurations): half the rate.
  tm.fetch_slots = 4;
  EXPECT_GE(driver::estimate_program(kCfg, b.instructions(), tm).cycles, 400u / 4 * tm.dram_latency);
  tm.fetch_slots = 0;
  // With a short latency the tensor engine's pipeline limits instead.
  tm.dram_latency = 8;
  EXPECT_LT(driver::estimate_program(kCfg, b.instructions(), tm).cycles, 400u * 60u);
}

// Instruction fetches come over the DMA reads' R channel: on a saturated channel each fetched
// instruction delays the later loads by its beats (64 bytes: 2 beats of 32).
TEST(TimingModel, FetchesShareTheReadChannel) {
  auto program = [](std::uint32_t nops) {
    ProgramBuilder b(kCfg);
    // 16 KiB per queue (2048 beats in all), then NOPs fetched while those stream, then 8 KiB
    // more per queue, which queue behind the loads and the fetches.
    for (std::uint32_t i = 0; i < 4; ++i)
      b.dma(i, onchip(Space::kSbuf, DType::kBf16, 4 * i, 4, 0, {{2048, 1}}),
            dram(DType::kBf16, 0x10000 + i * 16384, {{2048, 1}, {4, 2048}}));
    for (std::uint32_t i = 0; i < nops; ++i) b.nop(engine::kTensor);
    for (std::uint32_t i = 0; i < 4; ++i)
      b.dma(i, onchip(Space::kSbuf, DType::kBf16, 4 * i, 4, 0x4000, {{1024, 1}}),
            dram(DType::kBf16, 0x80000 + i * 8192, {{1024, 1}, {4, 1024}}));
    b.end();
    return std::vector<Instruction>(b.instructions());
  };
  driver::TimingModel tm;
  tm.dram_bytes_per_cycle = 0;  // the R channel alone is the limit
  const auto few = driver::estimate_program(kCfg, program(0), tm);
  const auto many = driver::estimate_program(kCfg, program(100), tm);
  EXPECT_GE(few.cycles, 3072u);  // 3072 beats
  // 100 more instructions fetched while the loads stream: 200 more R beats.
  EXPECT_GE(many.cycles, few.cycles + 180u);
  EXPECT_LE(many.cycles, few.cycles + 220u);
  // Per instruction: dispatch <= start <= done, END last, at the program's cycles.
  ASSERT_EQ(many.per_insn.size(), many.instructions);
  for (const auto& t : many.per_insn) {
    EXPECT_LE(t.dispatch, t.start);
    EXPECT_LE(t.start, t.done);
    EXPECT_LE(t.done, many.cycles);
  }
  EXPECT_EQ(many.per_insn.back().done, many.cycles);
}

// A NOP on TENSOR fires only once every earlier MATMUL has completed (rtl/seq/sequencer.sv),
// so the MATMUL after it starts on an empty array: a NOP between two MATMULs costs the pipeline
// (P + C + the PSUM write) that back-to-back MATMULs hide.
TEST(TimingModel, TensorNopDrainsTheArray) {
  const Tap out = tap(Space::kPsum, DType::kFp32, 0, 16, 0, {{256, 1}});
  const Tap st = tap(Space::kSbuf, DType::kBf16, 0, 16, 0, {{16, 1}});
  const Tap mv = tap(Space::kSbuf, DType::kBf16, 0, 16, 64, {{256, 1}});
  auto program = [&](bool nop) {
    ProgramBuilder b(kCfg);
    b.matmul(out, st, mv, true);
    if (nop) b.nop(engine::kTensor);
    b.matmul(out, st, mv, false);
    b.end();
    return driver::estimate_program(kCfg, b.instructions());
  };
  const auto plain = program(false), drained = program(true);
  ASSERT_EQ(drained.per_insn.size(), 4u);
  // The second MATMUL starts after the first has completed ...
  EXPECT_GE(drained.per_insn[2].start, drained.per_insn[0].done);
  EXPECT_LT(plain.per_insn[1].start, plain.per_insn[0].done);
  // ... which costs the array's depth once.
  EXPECT_GE(drained.cycles, plain.cycles + kCfg.partitions + kCfg.columns);
  EXPECT_LE(drained.cycles, plain.cycles + kCfg.partitions + kCfg.columns + 2 * kCfg.columns + 8);
}

// Stores on several queues at once share the W channel burst by burst (axi_arbiter: AW round
// robin, W in AW order): they all finish near the end of their combined beats, the first one
// too, not one after the other as a first-come booking would have them.
TEST(TimingModel, ConcurrentStoresShareTheWriteChannel) {
  ProgramBuilder b(kCfg);
  constexpr std::uint32_t kWords = 4096;  // 16 KiB of fp32 per queue: 512 beats
  for (std::uint32_t q = 0; q < 4; ++q)
    b.dma(q, dram(DType::kFp32, 0x100000 + q * 0x10000, {{kWords, 1}}),
          onchip(Space::kSbuf, DType::kFp32, 4 * q, 1, 0, {{kWords, 1}}));
  b.end();
  driver::TimingModel tm;
  tm.dram_bytes_per_cycle = 0;  // the W channel alone is the limit
  const auto e = driver::estimate_program(kCfg, b.instructions(), tm);
  ASSERT_EQ(e.per_insn.size(), 5u);
  const std::uint64_t first = e.per_insn[0].done, last = e.per_insn[3].done;
  EXPECT_GE(last, 4u * 512);
  // Round robin of 16-beat bursts: the first store ends a few bursts before the last (they are
  // dispatched a few cycles apart), not 3 x 512 beats before it.
  EXPECT_LE(last - first, 8u * 16) << "first store done at " << first << ", last at " << last;
}
