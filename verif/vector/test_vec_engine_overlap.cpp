// The vector engine back to back (docs/vector_engine.md section 5a): random sequences taken while
// the last instruction drains, bit-exact with the golden model, and the overlap's rate.

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "vec_engine_bench.hpp"

namespace systole::verif {
namespace {

// Back to back (docs/vector_engine.md section 5a): random sequences of 2..6 legal instructions
// (no TABLE_LOAD; every other opcode, dtype, pattern, CAP, acc), offered one after the other so
// the engine takes the next while the last drains wherever the overlap rule lets it, under
// random port grants; the memories after the whole sequence equal the golden model's. Short
// instructions (1..64 elements) make the overlap the common case.
TEST_F(VecEngine, BackToBackSequencesMatchGolden) {
  golden::Machine gm(cfg_, 1 << 16);
  vec::InsnGen gen{cfg_, g_};
  int sequences = 0, instructions = 0;
  // At least 150 sequences, and on until 40 instructions were taken ahead (the seed is random).
  for (int tries = 0; (sequences < 150 || (ahead_takes_ < 40 && sequences < 500)) && tries < 20000 && !HasFailure();
       ++tries) {
    std::vector<golden::Instruction> seq;
    const unsigned n = 2 + g_() % 5;
    while (seq.size() < n) {
      golden::Instruction insn = gen.next();
      if (std::holds_alternative<golden::TableLoad>(insn.op)) continue;
      seq.push_back(insn);
    }
    randomize();
    if (run_golden_seq(seq, gm) != golden::ErrorCode::kNone) continue;
    std::vector<golden::EncodedInstruction> enc;
    for (const auto& insn : seq) enc.push_back(golden::encode(insn));
    const int cycles = run_rtl_seq(enc);
    std::string text;
    for (const auto& insn : seq) text += "\n  " + golden::disassemble(insn);
    ASSERT_GE(cycles, 0) << "sequence " << sequences << ":" << text;
    ASSERT_TRUE(same(gm)) << "sequence " << sequences << ":" << text;
    ++sequences;
    instructions += static_cast<int>(n);
  }
  fmt::print("{} sequences ({} instructions) bit-exact back to back, {} taken before the last completed, {} of them "
             "while its elements fired (ahead)\n",
             sequences, instructions, early_takes_, ahead_takes_);
  EXPECT_GE(sequences, 150);
  EXPECT_GE(early_takes_, 40) << "the sequences hardly overlapped";
  EXPECT_GE(ahead_takes_, 40) << "hardly any instruction was taken ahead";
}

// The overlap's rate: 8 independent evacuations (COPY PSUM fp32 -> SBUF bf16, 64 elements per
// lane each), 8 independent ACTIVATE EXP (PSUM -> SBUF) and 8 SBUF -> SBUF instructions
// reading bytes or partitions the others do not write, back to back, each taken ahead, cost
// one cycle per element plus about one per instruction (and the pipeline's latency once); a
// sequence whose every instruction reads what the previous one wrote (a read after write; the
// whole output backwards, or one partition of it) waits for each write, and is still exact.
TEST_F(VecEngine, IndependentInstructionsOverlap) {
  golden::Machine gm(cfg_, 1 << 16);
  using golden::DType;
  const std::uint32_t n = 64;
  auto tp = [&](Space sp, DType dt, std::uint32_t offset) { return golden::tap(sp, dt, 0, kP, offset, {{n, 1}}); };
  auto vec = [](auto op) {
    golden::Instruction insn;
    insn.engine = golden::engine::kVec;
    insn.op = op;
    return insn;
  };
  auto exp = [&](std::uint32_t out, std::uint32_t in) {
    golden::Activate a;
    a.func = golden::ActFunc::kExp;
    a.out = tp(Space::kSbuf, DType::kBf16, out);
    a.in = tp(Space::kPsum, DType::kFp32, in);
    return vec(a);
  };
  const struct Case {
    const char* what;
    std::vector<golden::Instruction> seq;
    int per_insn;  // cycles allowed beyond one per element, per instruction
    int once;      // and once (the pipeline's latency)
  } cases[] = {
      // Measured 526 cycles: 7 one at a time; taken ahead, the next one's first element fires
      // right after the last one's (its rows read while the last one streams), the drain hidden.
      {"8 x COPY PSUM fp32 -> SBUF bf16", {}, 1, 8},
      // Measured 540: 21 one at a time; the 14-stage chain's latency paid once.
      {"8 x ACTIVATE EXP PSUM fp32 -> SBUF bf16", {}, 1, 22},
      // The same space, other bytes (a space-level check would serialize these); the functions
      // alternate, so each element must take its own instruction's through the chain.
      {"8 x ACTIVATE EXP / RECIP / RSQRT / IDENTITY SBUF -> SBUF, each reading bytes no other writes", {}, 1, 22},
      // The same bytes, other partitions: each writes partitions 0..7 and reads 8..15.
      {"8 x COPY SBUF -> SBUF, each reading partitions the last one does not write", {}, 1, 8},
      // Reads after writes: each waits for the last one's writes (22 per instruction; 8 for
      // COPY), exact whether the whole output is read backwards or only its last partition.
      {"8 x ACTIVATE IDENTITY SBUF -> SBUF, each reading the last one's output backwards", {}, 25, 0},
      {"8 x COPY SBUF -> SBUF (2 lanes), each reading backwards one partition the last one wrote", {}, 10, 0},
      // CAPs taken ahead: each instruction's two CAP elements follow the last one's elements
      // out of reader 0 (about 3 cycles per instruction).
      {"8 x TENSOR_SCALAR MUL CAP, ADD CAP PSUM fp32 -> SBUF bf16, independent", {}, 4, 12},
      // A CAP read after its write (normalization: a row's max, then x - max): each waits.
      {"4 x (TENSOR_REDUCE MAX -> column, TENSOR_SCALAR SUB that column)", {}, 25, 0},
  };
  std::vector<Case> all(std::begin(cases), std::end(cases));
  for (std::uint32_t i = 0; i < 8; ++i) {
    all[0].seq.push_back(
        vec(golden::Copy{tp(Space::kSbuf, DType::kBf16, 0x100 * i), tp(Space::kPsum, DType::kFp32, 0x100 * i)}));
    all[1].seq.push_back(exp(0x100 * i, 0x100 * i));
    // Read backwards: the first element read is the last one the previous instruction wrote,
    // which has the function chain's 14 stages to go when the next one could start.
    golden::Activate a;
    a.func = golden::ActFunc::kIdentity;
    a.out = tp(Space::kSbuf, DType::kFp32, 0x1000 * (i + 1));
    a.in = golden::tap(Space::kSbuf, DType::kFp32, 0, kP, 0x1000 * i + 4 * (n - 1), {{n, -1}});
    all[4].seq.push_back(vec(a));
    // The same, reading a region no instruction of the sequence writes, with other functions.
    a.in = golden::tap(Space::kSbuf, DType::kFp32, 0, kP, 0x8000 + 0x100 * i, {{n, 1}});
    const golden::ActFunc funcs[] = {golden::ActFunc::kExp, golden::ActFunc::kRecip, golden::ActFunc::kRsqrt,
                                     golden::ActFunc::kIdentity};
    a.func = funcs[i % 4];
    all[2].seq.push_back(vec(a));
    // 8 lanes: partitions 0..7 written, 8..15 read, at the same bytes.
    const std::uint32_t half = kP / 2;
    all[3].seq.push_back(vec(golden::Copy{golden::tap(Space::kSbuf, DType::kFp32, 0, half, 0x2000, {{n, 1}}),
                                          golden::tap(Space::kSbuf, DType::kFp32, half, half, 0x2000, {{n, 1}})}));
    // 2 lanes: instruction i writes partitions 2i, 2i+1 of region i and reads, backwards,
    // partitions 2i-1, 2i of region i-1: its first element (lane 0) is the last one the previous
    // instruction wrote (its lane 1); the two share that one partition.
    const std::uint32_t region = 0x3000 + 0x100 * i;
    const golden::Tap from =
        i == 0 ? golden::tap(Space::kSbuf, DType::kFp32, 0, 2, 0x5000, {{n, 1}})
               : golden::tap(Space::kSbuf, DType::kFp32, 2 * i - 1, 2, region - 0x100 + 4 * (n - 1), {{n, -1}});
    all[5].seq.push_back(vec(golden::Copy{golden::tap(Space::kSbuf, DType::kFp32, 2 * i, 2, region, {{n, 1}}), from}));
    // Scale and bias per partition from two CAPs no instruction writes.
    golden::TensorScalar ts;
    ts.op0 = golden::AluOp::kMul;
    ts.op1 = golden::AluOp::kAdd;
    ts.s0 = golden::Scalar{true, 0, golden::cap(Space::kSbuf, DType::kFp32, 0, 0xF000)};
    ts.s1 = golden::Scalar{true, 0, golden::cap(Space::kSbuf, DType::kFp32, 0, 0xF004)};
    ts.out = tp(Space::kSbuf, DType::kBf16, 0x100 * i);
    ts.in = tp(Space::kPsum, DType::kFp32, 0x100 * i);
    all[6].seq.push_back(vec(ts));
    // Pairs: the max of a PSUM row into a column, then the row minus that column.
    if (i < 4) {
      const std::uint32_t col = 0xE000 + 4 * i;
      golden::TensorReduce red;
      red.op = golden::AluOp::kMax;
      red.out = golden::tap(Space::kSbuf, DType::kFp32, 0, kP, col, {{1, 1}});
      red.in = tp(Space::kPsum, DType::kFp32, 0x100 * i);
      all[7].seq.push_back(vec(red));
      golden::TensorScalar sub;
      sub.op0 = golden::AluOp::kSub;
      sub.s0 = golden::Scalar{true, 0, golden::cap(Space::kSbuf, DType::kFp32, 0, col)};
      sub.out = tp(Space::kSbuf, DType::kFp32, 0x4000 + 0x100 * i);
      sub.in = tp(Space::kPsum, DType::kFp32, 0x100 * i);
      all[7].seq.push_back(vec(sub));
    }
  }
  explain_ = true;
  for (const Case& c : all) {
    randomize();
    ASSERT_EQ(run_golden_seq(c.seq, gm), golden::ErrorCode::kNone) << c.what;
    std::vector<golden::EncodedInstruction> enc;
    for (const auto& insn : c.seq) enc.push_back(golden::encode(insn));
    const int cycles = run_rtl_seq(enc, false);
    EXPECT_TRUE(same(gm)) << c.what;
    const int insns = static_cast<int>(c.seq.size());
    fmt::print("{}: {} elements per lane in {} cycles\n", c.what, insns * static_cast<int>(n), cycles);
    EXPECT_LE(cycles, insns * (static_cast<int>(n) + c.per_insn) + c.once + 4) << c.what;
  }
}

}  // namespace
}  // namespace systole::verif
