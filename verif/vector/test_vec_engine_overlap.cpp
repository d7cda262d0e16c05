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
  for (int tries = 0; sequences < 150 && tries < 20000 && !HasFailure(); ++tries) {
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
  fmt::print("{} sequences ({} instructions) bit-exact back to back, {} taken while the last drained\n", sequences,
             instructions, early_takes_);
  EXPECT_GE(sequences, 150);
  EXPECT_GE(early_takes_, 40) << "the sequences hardly overlapped";
}

// The overlap's rate: 8 independent evacuations (COPY PSUM fp32 -> SBUF bf16, 64 elements per
// lane each) and 8 independent ACTIVATE EXP (PSUM -> SBUF) back to back cost one cycle per
// element plus a few per instruction, not the pipeline's whole drain each; a sequence whose
// every instruction reads, last element first, the SBUF the previous one wrote (a read after
// write) waits for each write, and is still exact.
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
  } cases[] = {
      // Measured: 6 cycles per instruction (7 one at a time): the drain (tail, writer) is
      // hidden, the next one's start (take, readers' first rows) not yet.
      {"8 x COPY PSUM fp32 -> SBUF bf16", {}, 7},
      // Measured: 8 per instruction, against 21 one at a time: the 14-stage chain's drain is
      // hidden behind the next instruction's elements.
      {"8 x ACTIVATE EXP PSUM fp32 -> SBUF bf16", {}, 9},
      // A read after write: each waits for the last one's writes (22 per instruction).
      {"8 x ACTIVATE IDENTITY SBUF -> SBUF, each reading the last one's output backwards", {}, 25},
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
    all[2].seq.push_back(vec(a));
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
    EXPECT_LE(cycles, insns * (static_cast<int>(n) + c.per_insn) + 25) << c.what;
  }
}

}  // namespace
}  // namespace systole::verif
