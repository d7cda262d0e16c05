// Every error condition of docs/isa.md section 5 produces its documented code and index.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "systole/golden/activation.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/machine.hpp"

using namespace systole::golden;

namespace {

constexpr std::uint32_t kProg = 0x8000;
constexpr std::uint64_t kDram = 1 << 20;

// Encodes without the builder's validation so that bad instructions reach the machine.
std::vector<EncodedInstruction> raw(const std::vector<Instruction>& insns) {
  std::vector<EncodedInstruction> out;
  for (const auto& i : insns) out.push_back(encode(i));
  return out;
}

Instruction with(std::uint8_t eng, Op op, Sync s = {}) {
  Instruction i;
  i.engine = eng;
  i.op = std::move(op);
  i.sync = s;
  return i;
}
Instruction end_insn() { return with(engine::kSeq, End{}); }

struct Harness {
  Machine m;
  explicit Harness(const Config& cfg = Config::standard()) : m(cfg, kDram) {
    m.windows()[0] = Window{0, kDram - 1, true, true, true};
  }
  RunResult run(const std::vector<Instruction>& insns) { return m.run_program(raw(insns), kProg); }
  RunResult run_words(const std::vector<EncodedInstruction>& w) { return m.run_program(w, kProg); }
};

Tap sb(DType t, std::uint32_t ps, std::uint32_t pc, std::uint32_t off, std::uint32_t n) {
  return tap(Space::kSbuf, t, ps, pc, off, {{n, 1}});
}
Tap ps(DType t, std::uint32_t pstart, std::uint32_t pc, std::uint32_t off, std::uint32_t n) {
  return tap(Space::kPsum, t, pstart, pc, off, {{n, 1}});
}
Instruction copy(const Tap& out, const Tap& in) { return with(engine::kVec, Copy{out, in}); }
Instruction dma(const Dap& dst, const Dap& src, unsigned q = 0) { return with(engine::dma(q), Dma{dst, src}); }

void expect_error(const RunResult& r, ErrorCode code, std::uint32_t index, const char* what) {
  EXPECT_FALSE(r.done) << what;
  EXPECT_EQ(r.code, code) << what << ": got " << error_name(r.code) << " (" << r.detail << ")";
  EXPECT_EQ(r.index, index) << what;
  EXPECT_FALSE(r.detail.empty()) << what;
}

const Tap kF32 = sb(DType::kFp32, 0, 4, 0, 8);

}  // namespace

TEST(Errors, IllegalInstruction) {
  Harness h;
  auto words = raw({copy(kF32, kF32), copy(kF32, kF32), end_insn()});
  words[1][0] = 0x7E;  // unknown opcode
  expect_error(h.run_words(words), ErrorCode::kIllegalInstruction, 1, "unknown opcode");

  words = raw({copy(kF32, kF32), end_insn()});
  words[0][15] |= 0x100;  // reserved bit in an unused word
  expect_error(h.run_words(words), ErrorCode::kIllegalInstruction, 0, "reserved bit");

  Harness tiny(Config::tiny());  // two DMA queues
  const Dap d = dram(DType::kInt8, 0, {{4, 1}});
  expect_error(tiny.run({dma(d, dram(DType::kInt8, 64, {{4, 1}}), 3), end_insn()}), ErrorCode::kIllegalInstruction, 0,
               "DMA queue not present");

  expect_error(h.run({with(engine::kTensor, Nop{}, Sync{true, 33, 1, false, 0}), end_insn()}),
               ErrorCode::kIllegalInstruction, 0, "semaphore id out of range");

  // A DRAM DAP must leave pdim_sel at 0 (pdim 3).
  Dap bad_pdim = dram(DType::kInt8, 0, {{4, 1}});
  bad_pdim.pdim = 0;
  expect_error(h.run({dma(bad_pdim, dram(DType::kInt8, 64, {{4, 1}})), end_insn()}), ErrorCode::kIllegalInstruction, 0,
               "DRAM DAP with pdim_sel != 0");
  expect_error(h.run({dma(dram(DType::kInt8, 64, {{4, 1}}), bad_pdim), end_insn()}), ErrorCode::kIllegalInstruction, 0,
               "DRAM source with pdim_sel != 0");

  // Without the vector engine (the current RTL), engine 2 is not present: vector instructions
  // and a NOP on VEC are illegal; the same instructions run when it is present.
  Config novec = Config::standard();
  novec.vector_engine = false;
  Harness nv(novec);
  expect_error(nv.run({with(engine::kTensor, Nop{}), copy(kF32, kF32), end_insn()}), ErrorCode::kIllegalInstruction, 1,
               "vector instruction without the vector engine");
  expect_error(nv.run({with(engine::kVec, Nop{}), end_insn()}), ErrorCode::kIllegalInstruction, 0,
               "NOP on VEC without the vector engine");
  EXPECT_TRUE(h.run({with(engine::kVec, Nop{}), copy(kF32, kF32), end_insn()}).done);
  EXPECT_TRUE(nv.run({with(engine::kTensor, Nop{}), end_insn()}).done);
}

TEST(Errors, BadOperand) {
  Harness tiny(Config::tiny());
  const Matmul bf16{ps(DType::kFp32, 0, 2, 0, 4), sb(DType::kBf16, 0, 4, 0, 2), sb(DType::kBf16, 0, 4, 64, 4), true};
  expect_error(tiny.run({with(engine::kTensor, bf16), end_insn()}), ErrorCode::kBadOperand, 0, "dtype not enabled");

  Harness h;
  Matmul wrong_out = bf16;
  wrong_out.out.dtype = DType::kInt32;
  expect_error(h.run({with(engine::kTensor, wrong_out), end_insn()}), ErrorCode::kBadOperand, 0, "MATMUL out dtype");
  expect_error(h.run({copy(ps(DType::kBf16, 0, 4, 0, 8), kF32), end_insn()}), ErrorCode::kBadOperand, 0,
               "PSUM with a 16-bit dtype");
  expect_error(h.run({with(engine::kVec, TensorTensor{AluOp::kAnd, kF32, kF32, kF32}), end_insn()}),
               ErrorCode::kBadOperand, 0, "integer op on floats");
  expect_error(h.run({dma(dram(DType::kInt8, 0, {{4, 1}}), dram(DType::kFp8, 64, {{4, 1}})), end_insn()}),
               ErrorCode::kBadOperand, 0, "DMA dtypes differ");
  // Only fp32 -> bf16/fp8 and int32 -> int8 cast; every other differing pair is refused.
  const DType all[] = {DType::kInt8, DType::kBf16, DType::kFp8, DType::kFp32, DType::kInt32};
  int allowed = 0;
  for (DType s : all) {
    for (DType d : all) {
      const RunResult r = h.run({dma(dram(d, 0, {{4, 1}}), dram(s, 64, {{4, 1}})), end_insn()});
      const bool ok = s == d || (s == DType::kFp32 && (d == DType::kBf16 || d == DType::kFp8)) ||
                      (s == DType::kInt32 && d == DType::kInt8);
      allowed += ok ? 1 : 0;
      if (ok) {
        EXPECT_TRUE(r.done) << dtype_name(s) << " -> " << dtype_name(d) << ": " << r.detail;
      } else {
        expect_error(r, ErrorCode::kBadOperand, 0, "DMA dtype pair not allowed");
      }
    }
  }
  EXPECT_EQ(allowed, 8);
  Tap in_dram = kF32;
  in_dram.space = Space::kDram;
  expect_error(h.run({copy(kF32, in_dram), end_insn()}), ErrorCode::kBadOperand, 0, "vector operand in DRAM");
  expect_error(h.run({with(engine::kVec, TableLoad{0, sb(DType::kInt32, 0, 1, 0, 12)}), end_insn()}),
               ErrorCode::kBadOperand, 0, "table not fp32");
}

TEST(Errors, ShapeMismatch) {
  Harness h;  // P = C = 16, NMAX = 512
  const auto bf = DType::kBf16;
  auto mm = [&](std::uint32_t K, std::uint32_t M, std::uint32_t N) {
    return with(engine::kTensor, Matmul{ps(DType::kFp32, 0, M, 0, N), sb(bf, 0, K, 0, M), sb(bf, 0, K, 256, N), true});
  };
  expect_error(h.run({mm(4, 17, 8), end_insn()}), ErrorCode::kShapeMismatch, 0, "M > C");
  expect_error(h.run({mm(4, 4, 513), end_insn()}), ErrorCode::kShapeMismatch, 0, "N > NMAX");
  Matmul k_differs{ps(DType::kFp32, 0, 4, 0, 8), sb(bf, 0, 4, 0, 4), sb(bf, 0, 5, 256, 8), true};
  expect_error(h.run({with(engine::kTensor, k_differs), end_insn()}), ErrorCode::kShapeMismatch, 0, "K differs");
  expect_error(h.run({copy(sb(DType::kFp32, 0, 4, 0, 8), sb(DType::kFp32, 0, 4, 64, 9)), end_insn()}),
               ErrorCode::kShapeMismatch, 0, "free sizes differ");
  expect_error(h.run({copy(sb(DType::kFp32, 0, 4, 0, 8), sb(DType::kFp32, 0, 5, 64, 8)), end_insn()}),
               ErrorCode::kShapeMismatch, 0, "partition counts differ");
  const Tap in3 = tap(Space::kSbuf, DType::kFp32, 0, 2, 0, {{4, 1}, {3, 4}});
  expect_error(
      h.run({with(engine::kVec, TensorReduce{AluOp::kAdd, 1, sb(DType::kFp32, 0, 2, 64, 4), in3}), end_insn()}),
      ErrorCode::kShapeMismatch, 0, "reduce output size");
  expect_error(h.run({dma(dram(DType::kInt8, 0, {{4, 1}}), dram(DType::kInt8, 64, {{5, 1}})), end_insn()}),
               ErrorCode::kShapeMismatch, 0, "DMA element counts");
}

TEST(Errors, PatternOutOfRange) {
  Harness h;  // SBUF 64 KiB, PSUM 8 KiB per partition, P = 16
  expect_error(h.run({copy(kF32, tap(Space::kSbuf, DType::kFp32, 0, 4, 0, {{8, 1}, {0, 1}})), end_insn()}),
               ErrorCode::kShapeMismatch, 0, "count 0 changes the free size first");
  expect_error(h.run({copy(sb(DType::kFp32, 0, 4, 0, 0), sb(DType::kFp32, 0, 4, 64, 0)), end_insn()}),
               ErrorCode::kPatternOutOfRange, 0, "count 0");
  expect_error(h.run({copy(sb(DType::kFp32, 0, 4, 2, 8), kF32), end_insn()}), ErrorCode::kPatternOutOfRange, 0,
               "misaligned offset");
  expect_error(h.run({copy(sb(DType::kFp32, 14, 4, 0, 8), kF32), end_insn()}), ErrorCode::kPatternOutOfRange, 0,
               "partitions beyond P");
  expect_error(h.run({copy(sb(DType::kFp32, 0, 4, 65536 - 16, 8), kF32), end_insn()}), ErrorCode::kPatternOutOfRange, 0,
               "bytes beyond the partition");
  expect_error(h.run({copy(tap(Space::kSbuf, DType::kFp32, 0, 4, 8, {{8, -1}}), kF32), end_insn()}),
               ErrorCode::kPatternOutOfRange, 0, "negative stride below byte 0");
  expect_error(h.run({copy(ps(DType::kFp32, 0, 4, 8192 - 16, 8), kF32), end_insn()}), ErrorCode::kPatternOutOfRange, 0,
               "beyond PSUM");
  expect_error(h.run({dma(dram(DType::kInt32, 0xFFFFFFF0u, {{8, 1}}), dram(DType::kInt32, 0, {{8, 1}})), end_insn()}),
               ErrorCode::kPatternOutOfRange, 0, "DRAM pattern past 2^32");
  Dap bad_parts = onchip(Space::kSbuf, DType::kInt8, 10, 4, 0, {{4, 1}});
  bad_parts.dims[3].stride = 2;  // partitions 10, 12, 14, 16
  expect_error(h.run({dma(bad_parts, dram(DType::kInt8, 0, {{16, 1}})), end_insn()}), ErrorCode::kPatternOutOfRange, 0,
               "DMA partition walk beyond P");
}

TEST(Errors, Protection) {
  Harness h;
  h.m.windows()[0] = Window{0x0, 0xFFFF, true, true, true};        // program + scratch
  h.m.windows()[1] = Window{0x10000, 0x1FFFF, true, true, false};  // read-only
  h.m.windows()[2] = Window{0x20000, 0x2FFFF, false, true, true};  // disabled
  const Dap sbuf8 = onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{16, 1}});
  expect_error(h.run({dma(sbuf8, dram(DType::kInt8, 0x10000, {{16, 1}})),
                      dma(dram(DType::kInt8, 0x10000, {{16, 1}}), sbuf8), end_insn()}),
               ErrorCode::kProtection, 1, "write to a read-only window");
  expect_error(h.run({dma(sbuf8, dram(DType::kInt8, 0x20000, {{16, 1}})), end_insn()}), ErrorCode::kProtection, 0,
               "disabled window");
  expect_error(h.run({dma(sbuf8, dram(DType::kInt8, 0xFFF8, {{16, 1}})), end_insn()}), ErrorCode::kProtection, 0,
               "straddles two windows");
  expect_error(h.run({dma(sbuf8, dram(DType::kInt8, 0x40000, {{16, 1}})), end_insn()}), ErrorCode::kProtection, 0,
               "outside every window");
  // Refused before a byte moves: the destination is untouched.
  std::vector<std::uint8_t> pattern(16, 0xAB);
  h.m.write_dram(0x100, pattern);
  const auto before = std::vector<std::uint8_t>(h.m.dram().begin() + 0x10000, h.m.dram().begin() + 0x10010);
  (void)h.run({dma(dram(DType::kInt8, 0x10000, {{16, 1}}), dram(DType::kInt8, 0x100, {{16, 1}})), end_insn()});
  EXPECT_TRUE(std::equal(before.begin(), before.end(), h.m.dram().begin() + 0x10000));
}

TEST(Errors, AxiError) {
  Harness h;
  h.m.windows()[0] = Window{0, 0xFFFFFFFFu, true, true, true};
  const Dap sbuf8 = onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{16, 1}});
  expect_error(h.run({copy(kF32, kF32), dma(sbuf8, dram(DType::kInt8, kDram - 8, {{16, 1}})), end_insn()}),
               ErrorCode::kAxiError, 1, "DMA beyond the modelled DRAM");
  const auto r = h.m.run(static_cast<std::uint32_t>(kDram - 64), 2);  // second fetch beyond DRAM
  expect_error(r, ErrorCode::kAxiError, 1, "instruction fetch beyond DRAM");
}

TEST(Errors, SemOverflow) {
  Harness h;
  h.m.set_semaphore(5, 0xFFFFFFFFu);
  expect_error(h.run({copy(kF32, kF32), with(engine::kVec, Nop{}, Sync{false, 0, 0, true, 5}), end_insn()}),
               ErrorCode::kSemOverflow, 1, "signal past 0xFFFFFFFF");
}

TEST(Errors, TableError) {
  Harness h;
  Activate a;
  a.func = ActFunc::kTable;
  a.table = 2;
  a.out = kF32;
  a.in = kF32;
  expect_error(h.run({with(engine::kVec, a), end_insn()}), ErrorCode::kTableError, 0, "slot never loaded");
  // A bad header: nseg = 0.
  const std::uint32_t zero_header = 0;
  std::memcpy(h.m.sbuf_partition(0).data(), &zero_header, 4);
  expect_error(h.run({with(engine::kVec, TableLoad{1, sb(DType::kFp32, 0, 1, 0, 12)}), end_insn()}),
               ErrorCode::kTableError, 0, "bad table header");
}

TEST(Errors, ProgramBounds) {
  Harness h;
  expect_error(h.run({copy(kF32, kF32), copy(kF32, kF32)}), ErrorCode::kProgramBounds, 2, "no END");
  expect_error(h.m.run(kProg, 0), ErrorCode::kProgramBounds, 0, "empty program");
}

TEST(Errors, Watchdog) {
  Harness h;
  expect_error(h.run({copy(kF32, kF32), with(engine::kTensor, Nop{}, Sync{true, 3, 1, false, 0}), end_insn()}),
               ErrorCode::kWatchdog, 1, "wait that is never satisfied");
  // In-order dispatch with a full queue: 16 PE NOPs wait for a VEC signal that comes after a 17th
  // PE instruction, which cannot be dispatched. The oldest waiting instruction is 0.
  std::vector<Instruction> p;
  for (int i = 0; i < 17; ++i) p.push_back(with(engine::kTensor, Nop{}, Sync{true, 0, 1, false, 0}));
  p.push_back(with(engine::kVec, Nop{}, Sync{false, 0, 0, true, 0}));
  p.push_back(end_insn());
  expect_error(h.run(p), ErrorCode::kWatchdog, 0, "queue-depth deadlock");
  // With one fewer PE instruction the same program completes.
  p.erase(p.begin());
  EXPECT_TRUE(h.run(p).done);
}

TEST(Errors, StaticPrecedenceAndRecovery) {
  Harness h;
  // Shape and pattern errors at once: SHAPE_MISMATCH wins (docs/isa.md section 6).
  expect_error(h.run({copy(sb(DType::kFp32, 14, 4, 2, 8), sb(DType::kFp32, 0, 4, 0, 9)), end_insn()}),
               ErrorCode::kShapeMismatch, 0, "precedence");
  // After an error a soft reset and a new program work; semaphores are cleared.
  h.m.set_semaphore(1, 7);
  h.m.soft_reset();
  EXPECT_EQ(h.m.semaphore(1), 0u);
  const RunResult ok = h.run({copy(kF32, kF32), end_insn()});
  EXPECT_TRUE(ok.done);
  EXPECT_EQ(ok.code, ErrorCode::kNone);
  EXPECT_EQ(ok.counters.instructions, 2u);
}
