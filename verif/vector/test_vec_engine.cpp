// The vector engine (rtl/vector/vec_engine.sv: every vector instruction) against
// the golden model, instruction by instruction: random legal instructions (every dtype, SBUF and
// PSUM, strides of both signs and 0, in place, CAPs and immediates with corner values,
// reductions, every activation function and acc op, TABLE_LOAD of the driver's and random tables
// and of bad ones) on random memory contents; the engine's six block requesters served by C++
// memories that grant one requester per memory per cycle at random (the crossbars' contention),
// rows the cycle after the grant and garbage otherwise; SBUF and PSUM compared byte for byte with
// the golden model's after each instruction, TABLE_ERROR where the golden model raises it (then
// a soft reset on both). Then the rate.

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "vec_engine_bench.hpp"

namespace systole::verif {
namespace {

TEST_F(VecEngine, RandomInstructionsMatchGolden) {
  golden::Machine gm(cfg_, 1 << 16);
  vec::InsnGen gen{cfg_, g_};
  std::array<int, vec::InsnGen::kKinds> ran{};
  std::array<int, 8> funcs{};
  std::array<int, 4> accs{};  // ACTIVATE: per function and acc op
  int tried = 0, table_errors = 0, table_runs = 0, i = 0;
  // At least 1200 instructions, and on until every bin below is reached (the seed is random).
  auto covered = [&] {
    return table_errors >= 20 && table_runs >= 15 && std::ranges::all_of(ran, [](int n) { return n >= 60; }) &&
           std::ranges::all_of(funcs, [](int n) { return n >= 12; }) &&
           std::ranges::all_of(accs, [](int n) { return n >= 30; });
  };
  for (; (i < 1200 || (!covered() && i < 3000)) && !HasFailure(); ++i) {
    golden::Instruction insn;
    std::optional<golden::ErrorCode> code;
    do {
      insn = gen.next();
      ++tried;
      randomize();
      prepare(insn);
    } while (!(code = run_golden(insn, gm)));
    const int cycles = run_rtl(golden::encode(insn));
    if (*code == golden::ErrorCode::kTableError) {
      ASSERT_EQ(cycles, -2) << "instruction " << i << ": TABLE_ERROR expected: " << golden::disassemble(insn);
      soft_reset();
      gm.soft_reset();
      ++table_errors;
    } else {
      ASSERT_GE(cycles, 0) << "instruction " << i << ": " << golden::disassemble(insn);
      if (const auto* a = std::get_if<golden::Activate>(&insn.op)) table_runs += a->func == golden::ActFunc::kTable;
    }
    ASSERT_TRUE(same(gm)) << "instruction " << i << ": " << golden::disassemble(insn);
    if (const auto* a = std::get_if<golden::Activate>(&insn.op)) {
      ++funcs[static_cast<unsigned>(a->func)];
      ++accs[static_cast<unsigned>(a->acc)];
    }
    ++ran[std::holds_alternative<golden::Copy>(insn.op)           ? vec::InsnGen::kCopy
          : std::holds_alternative<golden::TensorTensor>(insn.op) ? vec::InsnGen::kTensorTensor
          : std::holds_alternative<golden::TensorScalar>(insn.op) ? vec::InsnGen::kTensorScalar
          : std::holds_alternative<golden::Iota>(insn.op)         ? vec::InsnGen::kIota
          : std::holds_alternative<golden::Select>(insn.op)       ? vec::InsnGen::kSelect
          : std::holds_alternative<golden::TensorReduce>(insn.op) ? vec::InsnGen::kReduce
          : std::holds_alternative<golden::TableLoad>(insn.op)    ? vec::InsnGen::kTableLoad
                                                                  : vec::InsnGen::kActivate];
  }
  fmt::print(
      "{} instructions bit-exact ({} generated): COPY {}, TENSOR_TENSOR {}, TENSOR_SCALAR {}, IOTA {}, SELECT {}, "
      "TENSOR_REDUCE {}, TABLE_LOAD {}, ACTIVATE {}; {} TABLE_ERROR stops, {} ACTIVATE TABLE run\n",
      i, tried, ran[0], ran[1], ran[2], ran[3], ran[4], ran[5], ran[6], ran[7], table_errors, table_runs);
  EXPECT_GE(table_errors, 20);
  EXPECT_GE(table_runs, 15);
  fmt::print("ACTIVATE functions (by code) {}, acc none/ADD/MAX/MIN {}\n", fmt::join(funcs, " "), fmt::join(accs, " "));
  for (int n : ran) EXPECT_GE(n, 60) << "an opcode was hardly reached";
  for (unsigned f = 0; f < 8; ++f) EXPECT_GE(funcs[f], 12) << "ACTIVATE function " << f;
  for (unsigned a = 0; a < 4; ++a) EXPECT_GE(accs[a], 30) << "ACTIVATE acc " << a;
}

// One element per lane per cycle for every opcode, with the memories granting every cycle:
// COPY in SBUF, the evacuation of a matmul result (PSUM fp32 -> SBUF bf16) as a COPY, a
// TENSOR_SCALAR with two CAPs and an ACTIVATE (EXP, TABLE; with a running sum into a CAP),
// TENSOR_TENSOR and SELECT (two input streams), IOTA, RECIP in SBUF, a TENSOR_REDUCE of every
// row, and TABLE_LOAD (one word per cycle). The bound: one cycle per element plus the pipeline's
// fill and drain (lane, function chain for ACTIVATE, tail, writer), the CAPs' reads and the acc
// CAP's write.
TEST_F(VecEngine, OneElementPerLanePerCycle) {
  golden::Machine gm(cfg_, 1 << 16);
  const std::uint32_t n = 512;
  using golden::DType;
  auto tp_n = [&](Space sp, DType dt, std::uint32_t offset, std::uint32_t count) {
    return golden::tap(sp, dt, 0, kP, offset, {{count, 1}});
  };
  auto tp = [&](Space sp, DType dt, std::uint32_t offset) { return tp_n(sp, dt, offset, n); };
  auto vec = [](auto op) {
    golden::Instruction insn;
    insn.engine = golden::engine::kVec;
    insn.op = op;
    return insn;
  };
  // ACTIVATE with a running sum into a CAP.
  auto activate = [&](golden::ActFunc f, golden::Tap out, golden::Tap in) {
    golden::Activate a;
    a.func = f;
    if (f == golden::ActFunc::kTable) a.table = 1;
    a.acc = golden::AccOp::kAdd;
    a.acc_out = golden::Cap{Space::kSbuf, DType::kFp32, 0, 0x7F00};
    a.out = out;
    a.in = in;
    return vec(a);
  };
  golden::TensorScalar ts;
  ts.op0 = golden::AluOp::kMul;
  ts.op1 = golden::AluOp::kAdd;
  ts.s0 = golden::Scalar{true, 0, golden::Cap{Space::kSbuf, DType::kFp32, 0, 0x7E00}};
  ts.s1 = golden::Scalar{true, 0, golden::Cap{Space::kSbuf, DType::kBf16, 0, 0x7D00}};
  ts.out = tp(Space::kSbuf, DType::kBf16, 0x4000);
  ts.in = tp(Space::kPsum, DType::kFp32, 0);
  // Each: the instruction and the cycles it may take beyond one per element (the pipeline's fill
  // and drain, the CAPs' reads, the function chain and the acc CAP's write).
  const struct Case {
    const char* what;
    golden::Instruction insn;
    int overhead;
  } cases[] = {
      {"COPY fp32 SBUF -> SBUF",
       vec(golden::Copy{tp(Space::kSbuf, DType::kFp32, 0x8000), tp(Space::kSbuf, DType::kFp32, 0)}), 8},
      {"COPY fp32 PSUM -> bf16 SBUF",
       vec(golden::Copy{tp(Space::kSbuf, DType::kBf16, 0x100), tp(Space::kPsum, DType::kFp32, 0)}), 8},
      // Two readers of one memory whose rows change at the same element: they ask in the same
      // cycle and one waits, which the row prefetch hides (docs/vector_engine.md section 4;
      // without it, a cycle per row: 8 + 512 / 8).
      {"TENSOR_TENSOR ADD fp32 SBUF + SBUF -> SBUF",
       vec(golden::TensorTensor{golden::AluOp::kAdd, tp(Space::kSbuf, DType::kFp32, 0x8000),
                                tp(Space::kSbuf, DType::kFp32, 0), tp(Space::kSbuf, DType::kFp32, 0x4000)}),
       8},
      {"TENSOR_SCALAR MUL, ADD (two CAPs) PSUM fp32 -> SBUF bf16", vec(ts), 8 + 2 * 5},
      {"SELECT fp32 by an int8 mask",
       vec(golden::Select{tp(Space::kSbuf, DType::kFp32, 0x8000), tp(Space::kPsum, DType::kFp32, 0),
                          tp(Space::kSbuf, DType::kInt8, 0x100)}),
       8},
      {"IOTA int32 -> SBUF", vec(golden::Iota{tp(Space::kSbuf, DType::kInt32, 0x2000), 5, 3, 1000}), 8},
      {"ACTIVATE EXP fp32 PSUM -> bf16 SBUF, acc",
       activate(golden::ActFunc::kExp, tp(Space::kSbuf, DType::kBf16, 0x100), tp(Space::kPsum, DType::kFp32, 0)),
       8 + 14 + 5},
      {"ACTIVATE RECIP fp32 SBUF -> SBUF, acc",
       activate(golden::ActFunc::kRecip, tp(Space::kSbuf, DType::kFp32, 0x4000), tp(Space::kSbuf, DType::kFp32, 0)),
       8 + 14 + 5},
      {"ACTIVATE TABLE (the driver's widest) fp32 PSUM -> bf16 SBUF, acc",
       activate(golden::ActFunc::kTable, tp(Space::kSbuf, DType::kBf16, 0x100), tp(Space::kPsum, DType::kFp32, 0)),
       8 + 14 + 5},
      {"TENSOR_REDUCE ADD fp32 PSUM, 512 -> 1",
       vec(golden::TensorReduce{golden::AluOp::kAdd, 1, tp_n(Space::kSbuf, DType::kFp32, 0x100, 1),
                                tp(Space::kPsum, DType::kFp32, 0)}),
       8},
  };
  {  // the driver's widest table into slot 1
    const auto& widest =
        *std::max_element(named_.begin(), named_.end(), [](const auto& a, const auto& b) { return a.nseg < b.nseg; });
    const auto words = widest.to_words();
    const auto tl = vec(golden::TableLoad{
        1, golden::tap(Space::kSbuf, DType::kFp32, 3, 1, 0x40, {{static_cast<std::uint32_t>(words.size()), 1}})});
    randomize();
    std::memcpy(&mem_[0][3 * std::size_t{cfg_.sbuf_bytes} + 0x40], words.data(), 4 * words.size());
    ASSERT_EQ(run_golden(tl, gm), golden::ErrorCode::kNone);
    const int cycles = run_rtl(golden::encode(tl), false);
    fmt::print("TABLE_LOAD of {} words in {} cycles\n", words.size(), cycles);
    EXPECT_LE(cycles, static_cast<int>(words.size()) + 8);
  }
  explain_ = true;
  for (const Case& c : cases) {
    randomize();
    ASSERT_EQ(run_golden(c.insn, gm), golden::ErrorCode::kNone) << c.what;
    const int cycles = run_rtl(golden::encode(c.insn), false);
    EXPECT_TRUE(same(gm)) << c.what;
    fmt::print("{}: {} elements per lane in {} cycles\n", c.what, n, cycles);
    EXPECT_LE(cycles, static_cast<int>(n) + c.overhead) << c.what << ": below one element per lane per cycle";
  }
}

}  // namespace
}  // namespace systole::verif
