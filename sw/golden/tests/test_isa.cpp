// Encoding/decoding of every instruction, reserved-bit detection and the disassembler.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <random>

#include "systole/golden/builder.hpp"
#include "systole/golden/disasm.hpp"
#include "systole/golden/isa.hpp"

using namespace systole::golden;

namespace {

// A random but encodable instance of every field, for round trips.
class RandomInsn {
 public:
  explicit RandomInsn(std::uint64_t seed) : rng_(seed) {}

  std::uint32_t u(std::uint32_t bits) { return static_cast<std::uint32_t>(rng_() & ((1ull << bits) - 1)); }
  std::int32_t s(std::uint32_t bits) { return static_cast<std::int32_t>(u(bits) << (32 - bits)) >> (32 - bits); }
  DType dtype() { return static_cast<DType>(1 + rng_() % 5); }
  Space onchip() { return rng_() % 2 ? Space::kSbuf : Space::kPsum; }

  Tap tap() {
    Tap t;
    t.space = onchip();
    t.dtype = dtype();
    t.pstart = u(8);
    t.pcount = u(8);
    t.offset = u(18);
    for (auto& d : t.dims) d = Dim{u(12), s(16)};
    return t;
  }
  Cap cap() { return Cap{onchip(), dtype(), u(8), u(18)}; }
  Dap dap() {
    Dap d;
    d.space = static_cast<Space>(1 + rng_() % 3);
    d.dtype = dtype();
    d.pstart = d.space == Space::kDram ? 0 : u(8);
    d.addr = u(32);
    for (auto& x : d.dims) x = Dim{u(16), s(24)};
    d.pdim = d.space == Space::kDram ? 3 : static_cast<std::uint8_t>(rng_() % 4);
    return d;
  }
  Scalar scalar() {
    Scalar sc;
    sc.from_col = rng_() % 2;
    if (sc.from_col) {
      sc.col = cap();
    } else {
      sc.imm = u(32);
    }
    return sc;
  }
  AluOp alu(bool integer) {
    static constexpr AluOp kFloat[] = {AluOp::kAdd, AluOp::kSub, AluOp::kMul, AluOp::kMax, AluOp::kMin, AluOp::kEq,
                                       AluOp::kNe,  AluOp::kLt,  AluOp::kLe,  AluOp::kGt,  AluOp::kGe};
    static constexpr AluOp kInt[] = {AluOp::kAnd, AluOp::kOr, AluOp::kXor};
    return integer ? kInt[rng_() % 3] : kFloat[rng_() % 11];
  }
  Sync sync() {
    Sync y;
    if (rng_() % 2) {
      y.wait_en = true;
      y.wait_sem = static_cast<std::uint8_t>(rng_() % 32);
      y.wait_value = u(32);
    }
    if (rng_() % 2) {
      y.signal_en = true;
      y.signal_sem = static_cast<std::uint8_t>(rng_() % 32);
    }
    return y;
  }

  Instruction make(Opcode op) {
    Instruction i;
    i.sync = sync();
    switch (op) {
      case Opcode::kNop: {
        static constexpr std::uint8_t kEngines[] = {0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11};
        i.engine = kEngines[rng_() % 11];
        i.op = Nop{};
        break;
      }
      case Opcode::kEnd:
        i.engine = engine::kSeq;
        i.sync.signal_en = false;
        i.sync.signal_sem = 0;
        i.op = End{};
        break;
      case Opcode::kMatmul:
        i.engine = engine::kTensor;
        i.op = Matmul{tap(), tap(), tap(), rng_() % 2 == 0};
        break;
      case Opcode::kTensorTensor:
        i.engine = engine::kVec;
        i.op = TensorTensor{alu(rng_() % 2), tap(), tap(), tap()};
        break;
      case Opcode::kTensorScalar: {
        i.engine = engine::kVec;
        TensorScalar t;
        const bool integer = rng_() % 2;
        t.op0 = alu(integer);
        t.op1 = rng_() % 3 == 0 ? AluOp::kBypass : alu(integer);
        t.rev0 = rng_() % 2;
        t.rev1 = rng_() % 2;
        t.s0 = scalar();
        t.s1 = scalar();
        t.out = tap();
        t.in = tap();
        i.op = t;
        break;
      }
      case Opcode::kTensorReduce: {
        static constexpr AluOp kOps[] = {AluOp::kAdd, AluOp::kMax, AluOp::kMin};
        i.engine = engine::kVec;
        i.op = TensorReduce{kOps[rng_() % 3], static_cast<std::uint8_t>(1 + rng_() % 3), tap(), tap()};
        break;
      }
      case Opcode::kCopy:
        i.engine = engine::kVec;
        i.op = Copy{tap(), tap()};
        break;
      case Opcode::kIota:
        i.engine = engine::kVec;
        i.op = Iota{tap(), s(32), s(32), s(32)};
        break;
      case Opcode::kSelect:
        i.engine = engine::kVec;
        i.op = Select{tap(), tap(), tap()};
        break;
      case Opcode::kActivate: {
        i.engine = engine::kVec;
        Activate a;
        a.func = static_cast<ActFunc>(rng_() % kNumActFuncs);
        a.table = a.func == ActFunc::kTable ? static_cast<std::uint8_t>(rng_() % 4) : 0;
        a.acc = static_cast<AccOp>(rng_() % 4);
        if (a.acc != AccOp::kNone) a.acc_out = cap();
        a.scale = scalar();
        a.bias = scalar();
        a.out = tap();
        a.in = tap();
        i.op = a;
        break;
      }
      case Opcode::kTableLoad:
        i.engine = engine::kVec;
        i.op = TableLoad{static_cast<std::uint8_t>(rng_() % 4), tap()};
        break;
      case Opcode::kDma:
        i.engine = engine::dma(rng_() % 8);
        i.op = Dma{dap(), dap()};
        break;
    }
    return i;
  }

 private:
  std::mt19937_64 rng_;
};

constexpr Opcode kAllOpcodes[] = {
    Opcode::kNop,  Opcode::kEnd,  Opcode::kMatmul, Opcode::kTensorTensor, Opcode::kTensorScalar, Opcode::kTensorReduce,
    Opcode::kCopy, Opcode::kIota, Opcode::kSelect, Opcode::kActivate,     Opcode::kTableLoad,    Opcode::kDma};

}  // namespace

TEST(Isa, RoundTripEveryOpcodeRandomFields) {
  RandomInsn gen(0x15A);
  for (Opcode op : kAllOpcodes) {
    for (int i = 0; i < 2000; ++i) {
      const Instruction insn = gen.make(op);
      const EncodedInstruction w = encode(insn);
      const Decoded d = decode(w);
      ASSERT_FALSE(d.fault) << opcode_name(op) << ": " << d.fault.detail;
      ASSERT_EQ(*d.insn, insn) << opcode_name(op);
      ASSERT_EQ(encode(*d.insn), w);
    }
  }
}

TEST(Isa, FieldsLandWhereTheDocumentSays) {
  Instruction i;
  i.engine = engine::kTensor;
  i.sync = Sync{true, 3, 0x12345678u, true, 31};
  i.op = Matmul{tap(Space::kPsum, DType::kFp32, 2, 5, 0x40, {{7, 1}}),
                tap(Space::kSbuf, DType::kBf16, 0, 16, 0x100, {{5, 1}}),
                tap(Space::kSbuf, DType::kBf16, 0, 16, 0x2000, {{9, 2}, {3, -30}, {2, 100}}), false};
  const auto w = encode(i);
  EXPECT_EQ(w[0], 0x10u | (1u << 8) | (1u << 12) | (1u << 13) | (3u << 16) | (31u << 24));
  EXPECT_EQ(w[1], 0x12345678u);
  EXPECT_EQ(w[2], 0u);  // accumulate
  // out TAP: a0 = offset | dtype<<18 | space<<22 | pstart<<24
  EXPECT_EQ(w[4], 0x40u | (4u << 18) | (2u << 22) | (2u << 24));
  EXPECT_EQ(w[5], 5u | (7u << 8) | (1u << 20));
  EXPECT_EQ(w[6], 1u | (1u << 16));
  // moving TAP strides: s0 = 2 in a2[31:16]; s1 = -30, s2 = 100 in a3
  EXPECT_EQ(w[12 + 2], 2u | (2u << 16));
  EXPECT_EQ(w[12 + 3], (static_cast<std::uint32_t>(-30) & 0xFFFFu) | (100u << 16));

  Instruction d;
  d.engine = engine::dma(2);
  d.op =
      Dma{dram(DType::kInt8, 0xDEADBEE0u, {{4, 1}, {3, -8}}), onchip(Space::kSbuf, DType::kInt8, 7, 3, 0x10, {{4, 1}})};
  const auto v = encode(d);
  EXPECT_EQ(v[0], 0x30u | (6u << 8));
  EXPECT_EQ(v[2], 0xDEADBEE0u);                                   // dst addr
  EXPECT_EQ(v[3], 4u | (3u << 16));                               // n0 | n1
  EXPECT_EQ(v[5], 1u | (1u << 24) | (3u << 28));                  // s0 | dtype | space DRAM
  EXPECT_EQ(v[6], (static_cast<std::uint32_t>(-8) & 0xFFFFFFu));  // s1, pstart 0
  EXPECT_EQ(v[9], 0x10u);                                         // src offset
  EXPECT_EQ(v[11] >> 16, 3u);                                     // src n3 = partitions
  EXPECT_EQ(v[13] >> 24, 7u);                                     // src pstart
}

TEST(Isa, EveryReservedBitIsIllegal) {
  RandomInsn gen(7);
  for (Opcode op : kAllOpcodes) {
    const Instruction insn = gen.make(op);
    const EncodedInstruction w = encode(insn);
    int flips = 0;
    for (std::size_t word = 0; word < kInstructionWords; ++word) {
      for (unsigned bit = 0; bit < 32; ++bit) {
        EncodedInstruction x = w;
        x[word] ^= 1u << bit;
        const Decoded d = decode(x);
        if (d.insn) {
          // A defined field changed: it must still round-trip exactly.
          ASSERT_EQ(encode(*d.insn), x);
        } else {
          ASSERT_EQ(d.fault.code, ErrorCode::kIllegalInstruction);
          ++flips;
        }
      }
    }
    EXPECT_GT(flips, 0) << opcode_name(op);
  }
  // Specific reserved places.
  Instruction nop;
  nop.engine = engine::kTensor;
  auto w = encode(nop);
  w[15] = 1;
  EXPECT_EQ(decode(w).fault.code, ErrorCode::kIllegalInstruction);
  w = encode(nop);
  w[0] |= 1u << 14;
  EXPECT_EQ(decode(w).fault.code, ErrorCode::kIllegalInstruction);
}

TEST(Isa, IllegalEncodingsHaveReasons) {
  EncodedInstruction w{};
  w[0] = 0x7F;  // unknown opcode
  EXPECT_NE(decode(w).fault.detail.find("unknown opcode"), std::string::npos);
  w[0] = 0x10 | (2u << 8);  // MATMUL on VEC
  EXPECT_NE(decode(w).fault.detail.find("cannot run on engine"), std::string::npos);
  w[0] = 0x00 | (1u << 8) | (1u << 12) | (40u << 16);  // wait on semaphore 40
  EXPECT_NE(decode(w).fault.detail.find("does not exist"), std::string::npos);
  Instruction c;
  c.engine = engine::kVec;
  c.op = Copy{tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{1, 1}}), tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{1, 1}})};
  w = encode(c);
  w[4] = (w[4] & ~(0xFu << 18)) | (9u << 18);  // dtype code 9
  EXPECT_NE(decode(w).fault.detail.find("dtype code 9"), std::string::npos);
  w = encode(c);
  w[8] = 0;  // in: space 0 (absent) but other words set
  EXPECT_EQ(decode(w).fault.code, ErrorCode::kIllegalInstruction);
}

TEST(Isa, EncodeRejectsFieldsThatDoNotFit) {
  Instruction c;
  c.engine = engine::kVec;
  c.op =
      Copy{tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{4096, 1}}), tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{1, 1}})};
  EXPECT_THROW(encode(c), EncodeError);
  c.op =
      Copy{tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{2, 40000}}), tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{1, 1}})};
  EXPECT_THROW(encode(c), EncodeError);
}

TEST(Disassembler, SampleProgram) {
  ProgramBuilder b(Config::standard());
  const auto loaded = b.semaphore("loaded");
  const auto done = b.semaphore("done");
  b.dma(0, onchip(Space::kSbuf, DType::kBf16, 0, 16, 0, {{16, 1}}), dram(DType::kBf16, 0x1000, {{16, 1}, {16, 16}}),
        b.signal(loaded));
  b.dma(1, onchip(Space::kSbuf, DType::kBf16, 0, 16, 0x40, {{64, 1}}), dram(DType::kBf16, 0x2000, {{64, 1}, {16, 64}}),
        b.signal(loaded));
  b.matmul(tap(Space::kPsum, DType::kFp32, 0, 16, 0, {{64, 1}}), tap(Space::kSbuf, DType::kBf16, 0, 16, 0, {{16, 1}}),
           tap(Space::kSbuf, DType::kBf16, 0, 16, 0x40, {{64, 1}}), true, b.after(loaded).and_signal(done));
  Activate a;
  a.func = ActFunc::kExp;
  a.acc = AccOp::kAdd;
  a.acc_out = cap(Space::kSbuf, DType::kFp32, 0, 0x400);
  a.out = tap(Space::kSbuf, DType::kBf16, 0, 16, 0x200, {{64, 1}});
  a.in = tap(Space::kPsum, DType::kFp32, 0, 16, 0, {{64, 1}});
  b.activate(a, b.after(done).and_signal(done));
  TensorScalar ts;
  ts.op0 = AluOp::kMul;
  ts.s0.imm = 0x3F000000u;
  ts.op1 = AluOp::kAdd;
  ts.s1.from_col = true;
  ts.s1.col = cap(Space::kSbuf, DType::kFp32, 0, 0x400);
  ts.out = tap(Space::kSbuf, DType::kFp32, 0, 16, 0x600, {{8, 2}, {4, 16}});
  ts.in = ts.out;
  b.tensor_scalar(ts, b.after(done));
  b.dma(0, dram(DType::kBf16, 0x3000, {{64, 1}, {16, 64}}), onchip(Space::kSbuf, DType::kBf16, 0, 16, 0x200, {{64, 1}}),
        b.after(done));
  b.end();
  const auto prog = b.finish();
  const std::string expect =
      "    0  DMA0   DMA dst=SBUF[0:16:1]@0x0:bf16[16] src=DRAM@0x1000:bf16[16:1,16:16] signal s0\n"
      "    1  DMA1   DMA dst=SBUF[0:16:1]@0x40:bf16[64] src=DRAM@0x2000:bf16[64:1,16:64] signal s0\n"
      "    2  TENSOR MATMUL start out=PSUM[0+16]@0x0:fp32[64] stat=SBUF[0+16]@0x0:bf16[16] "
      "mov=SBUF[0+16]@0x40:bf16[64] wait s0>=2 signal s1\n"
      "    3  VEC    ACTIVATE exp out=SBUF[0+16]@0x200:bf16[64] in=PSUM[0+16]@0x0:fp32[64] scale=0x3f800000 "
      "bias=0x00000000 acc=add->SBUF[0]@0x400:fp32 wait s1>=1 signal s1\n"
      "    4  VEC    TENSOR_SCALAR out=SBUF[0+16]@0x600:fp32[8:2,4:16] in=SBUF[0+16]@0x600:fp32[8:2,4:16] "
      "op0=mul s0=0x3f000000 op1=add s1=SBUF[0]@0x400:fp32 wait s1>=2\n"
      "    5  DMA0   DMA dst=DRAM@0x3000:bf16[64:1,16:64] src=SBUF[0:16:1]@0x200:bf16[64] wait s1>=2\n"
      "    6  SEQ    END\n";
  EXPECT_EQ(disassemble(prog), expect);
  // An undecodable word shows as illegal with its reason.
  auto bad = prog;
  bad[6][0] = 0x55;
  EXPECT_NE(disassemble(bad).find("6  ?      <illegal: unknown opcode 0x55>"), std::string::npos);
}

TEST(Builder, SymbolicSemaphoresAndValidation) {
  Config cfg = Config::tiny();
  cfg.vector_engine = true;  // the NOP on VEC below is legal
  ProgramBuilder b(cfg);
  const auto s = b.semaphore("s");
  EXPECT_EQ(b.signals(s), 0u);
  b.nop(engine::kTensor, b.signal(s));
  b.nop(engine::kVec, b.signal(s));
  EXPECT_EQ(b.signals(s), 2u);
  const auto d = b.after(s);
  EXPECT_EQ(d.wait_value, 2u);
  for (int i = 1; i < 32; ++i) b.semaphore(fmt::format("x{}", i));
  EXPECT_THROW(b.semaphore("one too many"), std::length_error);
  EXPECT_THROW(b.dma(2, dram(DType::kInt8, 0, {{1, 1}}), dram(DType::kInt8, 0, {{1, 1}})), std::invalid_argument);
  // finish() names the index, the code and the reason of the first bad instruction.
  b.matmul(tap(Space::kPsum, DType::kInt32, 0, 2, 0, {{4, 1}}), tap(Space::kSbuf, DType::kInt8, 0, 4, 0, {{3, 1}}),
           tap(Space::kSbuf, DType::kInt8, 0, 4, 0, {{4, 1}}), true);
  try {
    (void)b.finish();
    FAIL() << "expected a validation error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("instruction 2 (MATMUL): SHAPE_MISMATCH"), std::string::npos) << e.what();
  }
}
