// NOP, END, semaphores and counters (docs/isa.md sections 1 and 4, docs/csr.md section 7), and the
// worked examples of docs/numerics.md section 7 run as instructions.
#include "systole/golden/race_checker.hpp"
#include "vector_ref.hpp"

using namespace isaref;

namespace {

Instruction insn(std::uint8_t eng, Op op, Sync s = {}) {
  Instruction i;
  i.engine = eng;
  i.op = std::move(op);
  i.sync = s;
  return i;
}
Sync signal(std::uint8_t sem) { return Sync{false, 0, 0, true, sem}; }
Sync wait(std::uint8_t sem, std::uint32_t v) { return Sync{true, sem, v, false, 0}; }
std::vector<EncodedInstruction> words(const std::vector<Instruction>& p) {
  std::vector<EncodedInstruction> w;
  for (const auto& i : p) w.push_back(encode(i));
  return w;
}
RunResult run(Machine& m, const std::vector<Instruction>& p) { return m.run_program(words(p), kProgBase); }

}  // namespace

TEST(Sync, NopOnEveryEngineSignalsAndSemaphoresAccumulate) {
  Machine m(kCfg, kDramBytes);
  const std::vector<std::uint8_t> engines = {engine::kSeq,   engine::kTensor, engine::kVec,  engine::dma(0),
                                             engine::dma(1), engine::dma(2),  engine::dma(3)};
  std::vector<Instruction> p;
  std::array<std::uint32_t, 32> signals{};
  for (std::size_t k = 0; k < 3 * engines.size(); ++k) {  // engine e signals semaphore 3 + e, k/7 + 1 times
    const std::uint8_t e = engines[k % engines.size()];
    const auto sem = static_cast<std::uint8_t>(3 + e);
    p.push_back(insn(e, Nop{}, signal(sem)));
    ++signals[sem];
  }
  p.push_back(insn(engine::kVec, Nop{}, Sync{true, 5, 3, true, 31}));  // waits for VEC's own three NOPs
  ++signals[31];
  p.push_back(insn(engine::kSeq, End{}));
  m.set_semaphore(4, 100);  // host-set initial values count too
  m.set_semaphore(31, 0xFFFFFFF0u);
  const RunResult r = run(m, p);
  ASSERT_TRUE(r.done) << r.detail;
  for (std::uint32_t i = 0; i < 32; ++i) {
    const std::uint32_t init = i == 4 ? 100 : (i == 31 ? 0xFFFFFFF0u : 0);
    EXPECT_EQ(m.semaphore(i), init + signals[i]) << "semaphore " << i;
  }
  // Counters: every NOP and END retire on their engine; fetch reads each instruction once.
  EXPECT_EQ(r.counters.instructions, p.size());
  EXPECT_EQ(r.counters.fetch_bytes, 64u * p.size());
  for (std::uint8_t e = 0; e < engine::kCount; ++e) {
    const bool listed = std::find(engines.begin(), engines.end(), e) != engines.end();
    const std::uint64_t want = !listed ? 0 : (e == engine::kSeq ? 4 : (e == engine::kVec ? 4 : 3));
    EXPECT_EQ(r.counters.per_engine[e], want) << "engine " << int{e};
  }
  EXPECT_EQ(r.counters.macs + r.counters.dram_rd_bytes + r.counters.dram_wr_bytes, 0u);
  // START does not reset semaphores: a second run adds the same signals again.
  ASSERT_TRUE(run(m, p).done);
  EXPECT_EQ(m.semaphore(4), 100u + 2 * signals[4]);
  EXPECT_EQ(m.semaphore(31), 0xFFFFFFF0u + 2 * signals[31]);
}

TEST(Sync, SeqNopIsADispatchBarrier) {
  Machine m(kCfg, kDramBytes);
  open_dram(m);
  // A PE NOP waiting for a later VEC signal is fine: dispatch goes on behind it.
  EXPECT_TRUE(run(m, {insn(engine::kTensor, Nop{}, wait(0, 1)), insn(engine::kVec, Nop{}, signal(0)),
                      insn(engine::kSeq, End{})})
                  .done);
  // The same wait on SEQ stops dispatch, so the signal is never dispatched: WATCHDOG at the NOP.
  m.soft_reset();
  const RunResult r = run(m, {insn(engine::kVec, Nop{}), insn(engine::kSeq, Nop{}, wait(0, 1)),
                              insn(engine::kVec, Nop{}, signal(0)), insn(engine::kSeq, End{})});
  EXPECT_EQ(r.code, ErrorCode::kWatchdog);
  EXPECT_EQ(r.index, 1u);

  // Data: DMA1 loads X and signals; a SEQ NOP waits for it; DMA0, which itself waits for nothing,
  // is dispatched only after the barrier and so reads the new X.
  m.soft_reset();
  std::vector<std::uint8_t> src(64);
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<std::uint8_t>(0xA0 + i);
  m.write_dram(0x1000, src);
  const Dap x = onchip(Space::kSbuf, DType::kInt8, 2, 2, 0x80, {{32, 1}});
  const RunResult d =
      run(m, {insn(engine::dma(1), Dma{x, dram(DType::kInt8, 0x1000, {{64, 1}})}, signal(7)),
              insn(engine::kSeq, Nop{}, wait(7, 1)),
              insn(engine::dma(0), Dma{dram(DType::kInt8, 0x2000, {{64, 1}}), x}), insn(engine::kSeq, End{})});
  ASSERT_TRUE(d.done) << d.detail;
  std::vector<std::uint8_t> got(64);
  m.read_dram(0x2000, got);
  EXPECT_EQ(got, src);
  EXPECT_EQ(d.counters.per_engine[engine::kSeq], 2u);
}

TEST(Sync, EndWaitsForEveryEngineAndNothingAfterItIsFetched) {
  Machine m(kCfg, kDramBytes);
  open_dram(m);
  RaceChecker rc(kCfg);
  m.set_race_checker(&rc);
  std::vector<std::uint8_t> a(128);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::uint8_t>(i * 7 + 1);
  m.write_dram(0x1000, a);
  const Tap sa = tap(Space::kSbuf, DType::kInt8, 0, 4, 0x100, {{32, 1}});
  const Tap sb = tap(Space::kSbuf, DType::kInt32, 0, 4, 0x200, {{32, 1}});
  std::vector<Instruction> p = {
      insn(engine::dma(3),
           Dma{dram(DType::kInt32, 0x3000, {{32, 1}, {4, 32}}),
               onchip(Space::kSbuf, DType::kInt32, 0, 4, 0x200, {{32, 1}})},
           wait(1, 1)),  // 0: waits for 2
      insn(engine::dma(0),
           Dma{onchip(Space::kSbuf, DType::kInt8, 0, 4, 0x100, {{32, 1}}), dram(DType::kInt8, 0x1000, {{128, 1}})},
           signal(0)),                                              // 1
      insn(engine::kVec, Copy{sb, sa}, Sync{true, 0, 1, true, 1}),  // 2
      insn(engine::kSeq, End{}),                                    // 3
      insn(engine::dma(1),
           Dma{dram(DType::kInt8, 0x3000, {{16, 1}}), dram(DType::kInt8, 0x1000, {{16, 1}})}),  // never fetched
  };
  std::vector<EncodedInstruction> w = words(p);
  w.push_back(w.back());
  w.back()[15] = 0xFFFFFFFFu;  // an illegal instruction after END is never fetched either
  const RunResult r = m.run_program(w, kProgBase);
  ASSERT_TRUE(r.done) << r.detail;
  std::vector<std::uint8_t> out(512);
  m.read_dram(0x3000, out);
  for (std::size_t i = 0; i < 128; ++i) {
    const auto v = static_cast<std::int8_t>(a[i]);
    const auto want = static_cast<std::uint32_t>(static_cast<std::int32_t>(v));
    const std::uint32_t g =
        out[4 * i] | out[4 * i + 1] << 8 | out[4 * i + 2] << 16 | std::uint32_t{out[4 * i + 3]} << 24;
    EXPECT_EQ(g, want) << "element " << i;
  }
  EXPECT_EQ(r.counters.instructions, 4u);
  EXPECT_EQ(r.counters.fetch_bytes, 4u * 64);
  EXPECT_EQ(r.counters.dram_rd_bytes, 128u);
  EXPECT_EQ(r.counters.dram_wr_bytes, 512u);
  EXPECT_EQ(m.semaphore(0), 1u);
  EXPECT_EQ(m.semaphore(1), 1u);
  EXPECT_TRUE(rc.clean()) << rc.races().front().describe();
}

TEST(Counters, ExactForAMixedProgram) {
  Machine m(kCfg, kDramBytes);
  open_dram(m);
  ProgramBuilder b(kCfg);
  const auto s = b.semaphore("s");
  b.dma(0, onchip(Space::kSbuf, DType::kBf16, 0, 8, 0, {{300, 1}}), dram(DType::kBf16, 0x1000, {{300, 1}, {8, 300}}),
        b.signal(s));
  b.dma(1, dram(DType::kFp32, 0x8000, {{10, 1}}), dram(DType::kFp32, 0x7000, {{10, 1}}), b.signal(s));  // DRAM to DRAM
  b.matmul(tap(Space::kPsum, DType::kFp32, 0, 3, 0, {{10, 1}}), tap(Space::kSbuf, DType::kBf16, 0, 4, 0, {{3, 1}}),
           tap(Space::kSbuf, DType::kBf16, 0, 4, 64, {{10, 1}}), true, b.after(s));
  b.matmul(tap(Space::kPsum, DType::kFp32, 0, 8, 64, {{256, 1}}), tap(Space::kSbuf, DType::kBf16, 0, 8, 0, {{8, 1}}),
           tap(Space::kSbuf, DType::kBf16, 0, 8, 0, {{256, 1}}), false, b.signal(s));
  b.copy(tap(Space::kSbuf, DType::kFp32, 0, 8, 4096, {{256, 1}}), tap(Space::kPsum, DType::kFp32, 0, 8, 64, {{256, 1}}),
         b.after(s).and_signal(s));
  b.nop(engine::kSeq, b.after(s));
  b.dma(3, dram(DType::kFp32, 0x9000, {{256, 1}, {8, 256}}), onchip(Space::kSbuf, DType::kFp32, 0, 8, 4096, {{256, 1}}),
        b.after(s));
  b.end(b.after(s));
  const RunResult r = m.run_program(b.finish(), kProgBase);
  ASSERT_TRUE(r.done) << r.detail;
  EXPECT_EQ(r.counters.macs, 4u * 3 * 10 + 8u * 8 * 256);
  EXPECT_EQ(r.counters.dram_rd_bytes, 2u * 300 * 8 + 40);
  EXPECT_EQ(r.counters.dram_wr_bytes, 40u + 4 * 256 * 8);
  EXPECT_EQ(r.counters.fetch_bytes, 64u * b.size());
  EXPECT_EQ(r.counters.instructions, b.size());
  std::array<std::uint64_t, engine::kCount> want{};
  want[engine::kSeq] = 2;
  want[engine::kTensor] = 2;
  want[engine::kVec] = 1;
  want[engine::dma(0)] = want[engine::dma(1)] = want[engine::dma(3)] = 1;
  EXPECT_EQ(r.counters.per_engine, want);
}

// numerics.md section 7 rows, executed by TENSOR_TENSOR (fp32 add) and MATMUL (products, MAC).
TEST(WorkedExamples, Fp32AddRows) {
  Rig g(31);
  const std::vector<std::array<std::uint32_t, 3>> rows = {
      {0x3F800000, 0x33800000, 0x3F800000}, {0x3F800001, 0x33800000, 0x3F800002}, {0x00800000, 0x80800001, 0x80000000},
      {0x00400000, 0x3F800000, 0x3F800000}, {0x7F7FFFFF, 0x73800000, 0x7F800000}, {0x7F800000, 0xFF800000, 0x7FC00000},
      {0x80000000, 0x80000000, 0x80000000}, {0x3F800000, 0xBF800000, 0x00000000}};
  std::vector<std::uint32_t> a, b, want;
  for (const auto& row : rows) {
    a.push_back(row[0]);
    b.push_back(row[1]);
    want.push_back(row[2]);
  }
  const auto n = static_cast<std::uint32_t>(rows.size());
  poke(g.m, Space::kSbuf, 1, 0, DType::kFp32, a);
  poke(g.m, Space::kPsum, 1, 0, DType::kFp32, b);
  ProgramBuilder pb(kCfg);
  pb.tensor_tensor(AluOp::kAdd, tap(Space::kSbuf, DType::kFp32, 1, 1, 256, {{n, 1}}),
                   tap(Space::kSbuf, DType::kFp32, 1, 1, 0, {{n, 1}}),
                   tap(Space::kPsum, DType::kFp32, 1, 1, 0, {{n, 1}}));
  pb.end();
  ASSERT_TRUE(g.m.run_program(pb.finish(), kProgBase).done);
  EXPECT_EQ(peek(g.m, Space::kSbuf, 1, 256, DType::kFp32, n), want);
}

TEST(WorkedExamples, TensorEngineRows) {
  Rig g(32);
  // O[m][n] = S[0][m] * X[0][n] with K = 1: the diagonal holds the row products.
  Machine standard(Config::standard(), kDramBytes);  // fp8 is not a tensor-engine dtype in fpga
  auto products = [&](DType t, const std::vector<std::uint32_t>& s, const std::vector<std::uint32_t>& x) {
    Machine& m = t == DType::kFp8 ? standard : g.m;
    const auto n = static_cast<std::uint32_t>(s.size());
    poke(m, Space::kSbuf, 0, 0, t, s);
    poke(m, Space::kSbuf, 0, 64, t, x);
    ProgramBuilder pb(m.config());
    pb.matmul(tap(Space::kPsum, DType::kFp32, 0, n, 0, {{n, 1}}), tap(Space::kSbuf, t, 0, 1, 0, {{n, 1}}),
              tap(Space::kSbuf, t, 0, 1, 64, {{n, 1}}), true);
    pb.end();
    EXPECT_TRUE(m.run_program(pb.finish(), kProgBase).done);
    std::vector<std::uint32_t> diag;
    for (std::uint32_t i = 0; i < n; ++i) diag.push_back(peek(m, Space::kPsum, i, 4 * i, DType::kFp32, 1)[0]);
    return diag;
  };
  EXPECT_EQ(products(DType::kBf16, {0x3F80, 0x3FFF, 0x0080, 0x7F80}, {0x3F80, 0x3FFF, 0x3F00, 0x0000}),
            hex({0x3F800000, 0x407E0100, 0x00000000, 0x7FC00000}));
  EXPECT_EQ(products(DType::kFp8, {0x01, 0x7E}, {0x01, 0x7E}), hex({0x36800000, 0x48440000}));
  // int8 MAC into PSUM with start = 0: acc + a*b wraps.
  poke(g.m, Space::kPsum, 0, 0, DType::kInt32, {0x7FFFFFFF});
  poke(g.m, Space::kPsum, 1, 4, DType::kInt32, {0x0});
  poke(g.m, Space::kSbuf, 0, 0, DType::kInt8, {0x01, 0x80});
  poke(g.m, Space::kSbuf, 0, 64, DType::kInt8, {0x01, 0x80});
  ProgramBuilder pb(kCfg);
  pb.matmul(tap(Space::kPsum, DType::kInt32, 0, 2, 0, {{2, 1}}), tap(Space::kSbuf, DType::kInt8, 0, 1, 0, {{2, 1}}),
            tap(Space::kSbuf, DType::kInt8, 0, 1, 64, {{2, 1}}), false);
  pb.end();
  ASSERT_TRUE(g.m.run_program(pb.finish(), kProgBase).done);
  EXPECT_EQ(peek(g.m, Space::kPsum, 0, 0, DType::kInt32, 1)[0], 0x80000000u);
  EXPECT_EQ(peek(g.m, Space::kPsum, 1, 4, DType::kInt32, 1)[0], 0x00004000u);
}
