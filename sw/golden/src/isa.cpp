// Binary encoding and decoding of instructions (docs/isa.md sections 2-4).
#include "systole/golden/isa.hpp"

#include <fmt/format.h>

#include <string>

#include "systole/golden/config.hpp"

namespace systole::golden {

namespace {

// ---- bit packing ------------------------------------------------------------------------------
void put(std::uint32_t& w, unsigned lsb, unsigned width, std::uint64_t v, const char* field) {
  const std::uint64_t max = (std::uint64_t{1} << width) - 1;
  if (v > max) throw EncodeError(fmt::format("field '{}' = {} does not fit in {} bits", field, v, width));
  w |= static_cast<std::uint32_t>(v << lsb);
}
void put_signed(std::uint32_t& w, unsigned lsb, unsigned width, std::int64_t v, const char* field) {
  const std::int64_t lo = -(std::int64_t{1} << (width - 1));
  const std::int64_t hi = (std::int64_t{1} << (width - 1)) - 1;
  if (v < lo || v > hi) {
    throw EncodeError(fmt::format("field '{}' = {} outside the signed {}-bit range [{}, {}]", field, v, width, lo, hi));
  }
  put(w, lsb, width, static_cast<std::uint64_t>(v) & ((std::uint64_t{1} << width) - 1), field);
}
std::uint32_t get(std::uint32_t w, unsigned lsb, unsigned width) {
  return static_cast<std::uint32_t>((std::uint64_t{w} >> lsb) & ((std::uint64_t{1} << width) - 1));
}
std::int32_t get_signed(std::uint32_t w, unsigned lsb, unsigned width) {
  const std::uint32_t u = get(w, lsb, width);
  const std::uint32_t sign = 1u << (width - 1);
  return static_cast<std::int32_t>(u ^ sign) - static_cast<std::int32_t>(sign);
}

void put_cap_word(std::uint32_t& w, Space space, DType dtype, std::uint32_t pstart, std::uint32_t offset) {
  put(w, 0, 18, offset, "offset");
  put(w, 18, 4, static_cast<unsigned>(dtype), "dtype");
  put(w, 22, 2, static_cast<unsigned>(space), "space");
  put(w, 24, 8, pstart, "pstart");
}

void encode_tap(const Tap& t, std::uint32_t* w) {
  if (!t.present()) return;
  put_cap_word(w[0], t.space, t.dtype, t.pstart, t.offset);
  put(w[1], 0, 8, t.pcount, "pcount");
  put(w[1], 8, 12, t.dims[0].count, "n0");
  put(w[1], 20, 12, t.dims[1].count, "n1");
  put(w[2], 0, 12, t.dims[2].count, "n2");
  put_signed(w[2], 16, 16, t.dims[0].stride, "s0");
  put_signed(w[3], 0, 16, t.dims[1].stride, "s1");
  put_signed(w[3], 16, 16, t.dims[2].stride, "s2");
}

void encode_cap(const Cap& c, std::uint32_t& w) {
  if (c.present()) put_cap_word(w, c.space, c.dtype, c.pstart, c.offset);
}

}  // namespace

std::array<Dim, 3> dap_free_dims(const Dap& d) {
  std::array<Dim, 3> out{};
  std::size_t k = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i != d.pdim) out[k++] = d.dims[i];
  }
  return out;
}

bool dma_cast_allowed(DType src, DType dst) {
  if (src == dst) return true;
  if (src == DType::kFp32) return dst == DType::kBf16 || dst == DType::kFp8;
  return src == DType::kInt32 && dst == DType::kInt8;
}

namespace {

void encode_dap(const Dap& d, std::uint32_t* w) {
  if (d.space == Space::kNone) return;
  put(w[0], 0, 32, d.addr, "addr");
  put(w[1], 0, 16, d.dims[0].count, "n0");
  put(w[1], 16, 16, d.dims[1].count, "n1");
  put(w[2], 0, 16, d.dims[2].count, "n2");
  put(w[2], 16, 16, d.dims[3].count, "n3");
  put_signed(w[3], 0, 24, d.dims[0].stride, "s0");
  put(w[3], 24, 4, static_cast<unsigned>(d.dtype), "dtype");
  put(w[3], 28, 2, static_cast<unsigned>(d.space), "space");
  if (d.pdim > 3) throw EncodeError(fmt::format("field 'pdim' = {} outside 0..3", d.pdim));
  put(w[3], 30, 2, 3u - d.pdim, "pdim");
  put_signed(w[4], 0, 24, d.dims[1].stride, "s1");
  put(w[4], 24, 8, d.pstart, "pstart");
  put_signed(w[5], 0, 24, d.dims[2].stride, "s2");
  put_signed(w[6], 0, 24, d.dims[3].stride, "s3");
  put(w[5], 31, 1, d.remote, "remote");
  put(w[5], 24, 7, d.chip, "chip");
  put(w[6], 31, 1, d.rsig_en, "rsig_en");
  put(w[6], 24, 5, d.rsig_sem, "rsig_sem");
}

void encode_scalar(const Scalar& s, std::uint32_t& imm_word, std::uint32_t& cap_word, std::uint32_t& flags,
                   unsigned flag_bit) {
  if (s.from_col) {
    put(flags, flag_bit, 1, 1, "col flag");
    encode_cap(s.col, cap_word);
  } else {
    imm_word = s.imm;
  }
}

bool valid_dtype_code(std::uint32_t c) { return c >= 1 && c <= 5; }

}  // namespace

EncodedInstruction encode(const Instruction& insn) {
  EncodedInstruction w{};
  put(w[0], 0, 8, static_cast<unsigned>(insn.opcode()), "opcode");
  put(w[0], 8, 4, insn.engine, "engine");
  put(w[0], 12, 1, insn.sync.wait_en, "wait_en");
  put(w[0], 13, 1, insn.sync.signal_en, "signal_en");
  put(w[0], 16, 8, insn.sync.wait_sem, "wait_sem");
  put(w[0], 24, 8, insn.sync.signal_sem, "signal_sem");
  w[1] = insn.sync.wait_value;

  std::visit(
      [&](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Nop>) {
          put(w[2], 31, 1, op.remote, "remote");
          put(w[2], 24, 7, op.chip, "chip");
          put(w[2], 0, 5, op.sem, "sem");
        } else if constexpr (std::is_same_v<T, Matmul>) {
          put(w[2], 0, 1, op.start, "start");
          encode_tap(op.out, &w[4]);
          encode_tap(op.stationary, &w[8]);
          encode_tap(op.moving, &w[12]);
        } else if constexpr (std::is_same_v<T, TensorTensor>) {
          put(w[2], 0, 4, static_cast<unsigned>(op.op), "op");
          encode_tap(op.out, &w[4]);
          encode_tap(op.in0, &w[8]);
          encode_tap(op.in1, &w[12]);
        } else if constexpr (std::is_same_v<T, TensorScalar>) {
          put(w[2], 0, 4, static_cast<unsigned>(op.op0), "op0");
          put(w[2], 4, 4, static_cast<unsigned>(op.op1), "op1");
          put(w[2], 8, 1, op.rev0, "rev0");
          put(w[2], 9, 1, op.rev1, "rev1");
          encode_scalar(op.s0, w[3], w[13], w[2], 10);
          encode_scalar(op.s1, w[12], w[14], w[2], 11);
          encode_tap(op.out, &w[4]);
          encode_tap(op.in, &w[8]);
        } else if constexpr (std::is_same_v<T, TensorReduce>) {
          put(w[2], 0, 4, static_cast<unsigned>(op.op), "op");
          put(w[2], 4, 2, op.nred, "nred");
          encode_tap(op.out, &w[4]);
          encode_tap(op.in, &w[8]);
        } else if constexpr (std::is_same_v<T, Copy>) {
          encode_tap(op.out, &w[4]);
          encode_tap(op.in, &w[8]);
        } else if constexpr (std::is_same_v<T, Iota>) {
          w[3] = static_cast<std::uint32_t>(op.base);
          encode_tap(op.out, &w[4]);
          w[12] = static_cast<std::uint32_t>(op.step);
          w[13] = static_cast<std::uint32_t>(op.pstep);
        } else if constexpr (std::is_same_v<T, Select>) {
          encode_tap(op.out, &w[4]);
          encode_tap(op.in, &w[8]);
          encode_tap(op.mask, &w[12]);
        } else if constexpr (std::is_same_v<T, Activate>) {
          put(w[2], 0, 4, static_cast<unsigned>(op.func), "func");
          put(w[2], 4, 2, op.table, "table");
          put(w[2], 6, 2, static_cast<unsigned>(op.acc), "acc");
          encode_scalar(op.scale, w[3], w[13], w[2], 8);
          encode_scalar(op.bias, w[12], w[14], w[2], 9);
          encode_tap(op.out, &w[4]);
          encode_tap(op.in, &w[8]);
          encode_cap(op.acc_out, w[15]);
        } else if constexpr (std::is_same_v<T, TableLoad>) {
          put(w[2], 0, 2, op.slot, "slot");
          encode_tap(op.in, &w[8]);
        } else if constexpr (std::is_same_v<T, Dma>) {
          encode_dap(op.dst, &w[2]);
          encode_dap(op.src, &w[9]);
        }
      },
      insn.op);
  return w;
}

// ---- decoding ----------------------------------------------------------------------------------
namespace {

struct DecodeFail {
  std::string why;
};

Space space_of(std::uint32_t code) { return static_cast<Space>(code); }

DType dtype_of(std::uint32_t code, const char* operand) {
  if (!valid_dtype_code(code)) throw DecodeFail{fmt::format("{}: dtype code {} is not defined", operand, code)};
  return static_cast<DType>(code);
}

Cap decode_cap(std::uint32_t w, const char* operand) {
  Cap c;
  c.space = space_of(get(w, 22, 2));
  if (c.space == Space::kNone) return c;
  c.offset = get(w, 0, 18);
  c.dtype = dtype_of(get(w, 18, 4), operand);
  c.pstart = get(w, 24, 8);
  return c;
}

Tap decode_tap(const std::uint32_t* w, const char* operand, bool required) {
  Tap t;
  t.space = space_of(get(w[0], 22, 2));
  if (t.space == Space::kNone) {
    if (required) throw DecodeFail{fmt::format("{}: required operand is absent (space 0)", operand)};
    return t;
  }
  t.offset = get(w[0], 0, 18);
  t.dtype = dtype_of(get(w[0], 18, 4), operand);
  t.pstart = get(w[0], 24, 8);
  t.pcount = get(w[1], 0, 8);
  t.dims[0].count = get(w[1], 8, 12);
  t.dims[1].count = get(w[1], 20, 12);
  t.dims[2].count = get(w[2], 0, 12);
  t.dims[0].stride = get_signed(w[2], 16, 16);
  t.dims[1].stride = get_signed(w[3], 0, 16);
  t.dims[2].stride = get_signed(w[3], 16, 16);
  return t;
}

Dap decode_dap(const std::uint32_t* w, const char* operand) {
  Dap d;
  d.space = space_of(get(w[3], 28, 2));
  if (d.space == Space::kNone) throw DecodeFail{fmt::format("{}: required operand is absent (space 0)", operand)};
  d.addr = w[0];
  d.dims[0].count = get(w[1], 0, 16);
  d.dims[1].count = get(w[1], 16, 16);
  d.dims[2].count = get(w[2], 0, 16);
  d.dims[3].count = get(w[2], 16, 16);
  d.dims[0].stride = get_signed(w[3], 0, 24);
  d.dtype = dtype_of(get(w[3], 24, 4), operand);
  d.pdim = static_cast<std::uint8_t>(3 - get(w[3], 30, 2));
  d.dims[1].stride = get_signed(w[4], 0, 24);
  d.pstart = get(w[4], 24, 8);
  d.dims[2].stride = get_signed(w[5], 0, 24);
  d.dims[3].stride = get_signed(w[6], 0, 24);
  d.remote = get(w[5], 31, 1) != 0;
  d.chip = static_cast<std::uint8_t>(get(w[5], 24, 7));
  d.rsig_en = get(w[6], 31, 1) != 0;
  d.rsig_sem = static_cast<std::uint8_t>(get(w[6], 24, 5));
  if (!d.remote && d.chip != 0) throw DecodeFail{fmt::format("{}: chip id set on a local pattern", operand)};
  if (!d.remote && (d.rsig_en || d.rsig_sem != 0)) {
    throw DecodeFail{fmt::format("{}: remote signal set on a local pattern", operand)};
  }
  if (!d.rsig_en && d.rsig_sem != 0) throw DecodeFail{fmt::format("{}: rsig_sem set while rsig_en = 0", operand)};
  return d;
}

Scalar decode_scalar(std::uint32_t flags, unsigned flag_bit, std::uint32_t imm_word, std::uint32_t cap_word,
                     const char* name) {
  Scalar s;
  s.from_col = get(flags, flag_bit, 1) != 0;
  if (s.from_col) {
    if (imm_word != 0) throw DecodeFail{fmt::format("{}: immediate word must be 0 when the column is used", name)};
    s.col = decode_cap(cap_word, name);
    if (!s.col.present()) throw DecodeFail{fmt::format("{}: column selected but its CAP is absent", name)};
  } else {
    if (cap_word != 0) throw DecodeFail{fmt::format("{}: CAP word must be 0 when the immediate is used", name)};
    s.imm = imm_word;
  }
  return s;
}

AluOp alu_of(std::uint32_t code, const char* field) {
  if (code == 14) throw DecodeFail{fmt::format("{}: ALU op code 14 is reserved", field)};
  return static_cast<AluOp>(code);
}

bool engine_allowed(Opcode op, std::uint32_t e) {
  const bool is_dma = e >= engine::kDma0 && e < engine::kDma0 + engine::kMaxDmaQueues;
  switch (op) {
    case Opcode::kNop: return e == engine::kSeq || e == engine::kTensor || e == engine::kVec || is_dma;
    case Opcode::kEnd: return e == engine::kSeq;
    case Opcode::kMatmul: return e == engine::kTensor;
    case Opcode::kDma: return is_dma;
    default: return e == engine::kVec;
  }
}

bool known_opcode(std::uint32_t v) {
  switch (v) {
    case 0x00:
    case 0x01:
    case 0x10:
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
    case 0x24:
    case 0x25:
    case 0x26:
    case 0x27:
    case 0x30: return true;
    default: return false;
  }
}

Instruction decode_fields(std::span<const std::uint32_t, kInstructionWords> w) {
  Instruction insn;
  const std::uint32_t opv = get(w[0], 0, 8);
  if (!known_opcode(opv)) throw DecodeFail{fmt::format("unknown opcode 0x{:02x}", opv)};
  const auto opcode = static_cast<Opcode>(opv);
  insn.engine = static_cast<std::uint8_t>(get(w[0], 8, 4));
  if (!engine_allowed(opcode, insn.engine)) {
    throw DecodeFail{fmt::format("{} cannot run on engine {}", opcode_name(opcode), insn.engine)};
  }
  Sync& s = insn.sync;
  s.wait_en = get(w[0], 12, 1) != 0;
  s.signal_en = get(w[0], 13, 1) != 0;
  s.wait_sem = static_cast<std::uint8_t>(get(w[0], 16, 8));
  s.signal_sem = static_cast<std::uint8_t>(get(w[0], 24, 8));
  s.wait_value = w[1];
  if (s.wait_en && s.wait_sem >= Config::kNumSemaphores) {
    throw DecodeFail{fmt::format("wait semaphore {} does not exist (0..{})", s.wait_sem, Config::kNumSemaphores - 1)};
  }
  if (s.signal_en && s.signal_sem >= Config::kNumSemaphores) {
    throw DecodeFail{
        fmt::format("signal semaphore {} does not exist (0..{})", s.signal_sem, Config::kNumSemaphores - 1)};
  }
  if (!s.wait_en && (s.wait_sem != 0 || s.wait_value != 0)) throw DecodeFail{"wait fields set while wait_en = 0"};
  if (!s.signal_en && s.signal_sem != 0) throw DecodeFail{"signal_sem set while signal_en = 0"};

  switch (opcode) {
    case Opcode::kNop: {
      Nop n;
      n.remote = get(w[2], 31, 1) != 0;
      n.chip = static_cast<std::uint8_t>(get(w[2], 24, 7));
      n.sem = static_cast<std::uint8_t>(get(w[2], 0, 5));
      if (!n.remote && (n.chip != 0 || n.sem != 0)) throw DecodeFail{"NOP: chip or sem set while remote = 0"};
      if (n.remote && !(insn.engine >= engine::kDma0 && insn.engine < engine::kDma0 + engine::kMaxDmaQueues)) {
        throw DecodeFail{"NOP: a remote increment runs on a DMA queue"};
      }
      insn.op = n;
      break;
    }
    case Opcode::kEnd:
      if (s.signal_en) throw DecodeFail{"END cannot signal"};
      insn.op = End{};
      break;
    case Opcode::kMatmul: {
      Matmul m;
      m.start = get(w[2], 0, 1) != 0;
      m.out = decode_tap(&w[4], "out", true);
      m.stationary = decode_tap(&w[8], "stationary", true);
      m.moving = decode_tap(&w[12], "moving", true);
      insn.op = m;
      break;
    }
    case Opcode::kTensorTensor: {
      TensorTensor t;
      t.op = alu_of(get(w[2], 0, 4), "op");
      if (t.op == AluOp::kBypass) throw DecodeFail{"TENSOR_TENSOR op cannot be BYPASS"};
      t.out = decode_tap(&w[4], "out", true);
      t.in0 = decode_tap(&w[8], "in0", true);
      t.in1 = decode_tap(&w[12], "in1", true);
      insn.op = t;
      break;
    }
    case Opcode::kTensorScalar: {
      TensorScalar t;
      t.op0 = alu_of(get(w[2], 0, 4), "op0");
      t.op1 = alu_of(get(w[2], 4, 4), "op1");
      if (t.op0 == AluOp::kBypass) throw DecodeFail{"op0 cannot be BYPASS"};
      const bool int0 = alu_is_integer(t.op0);
      const bool int1 = alu_is_integer(t.op1) || (t.op1 == AluOp::kBypass && int0);
      if (int0 != int1) throw DecodeFail{"integer and floating-point ops mixed in TENSOR_SCALAR"};
      t.rev0 = get(w[2], 8, 1) != 0;
      t.rev1 = get(w[2], 9, 1) != 0;
      t.s0 = decode_scalar(w[2], 10, w[3], w[13], "s0");
      t.s1 = decode_scalar(w[2], 11, w[12], w[14], "s1");
      t.out = decode_tap(&w[4], "out", true);
      t.in = decode_tap(&w[8], "in", true);
      insn.op = t;
      break;
    }
    case Opcode::kTensorReduce: {
      TensorReduce t;
      t.op = alu_of(get(w[2], 0, 4), "op");
      if (t.op != AluOp::kAdd && t.op != AluOp::kMax && t.op != AluOp::kMin) {
        throw DecodeFail{fmt::format("TENSOR_REDUCE op {} is not add, max or min", alu_name(t.op))};
      }
      t.nred = static_cast<std::uint8_t>(get(w[2], 4, 2));
      if (t.nred == 0) throw DecodeFail{"TENSOR_REDUCE nred must be 1..3"};
      t.out = decode_tap(&w[4], "out", true);
      t.in = decode_tap(&w[8], "in", true);
      insn.op = t;
      break;
    }
    case Opcode::kCopy: {
      Copy c;
      c.out = decode_tap(&w[4], "out", true);
      c.in = decode_tap(&w[8], "in", true);
      insn.op = c;
      break;
    }
    case Opcode::kIota: {
      Iota t;
      t.base = static_cast<std::int32_t>(w[3]);
      t.out = decode_tap(&w[4], "out", true);
      t.step = static_cast<std::int32_t>(w[12]);
      t.pstep = static_cast<std::int32_t>(w[13]);
      insn.op = t;
      break;
    }
    case Opcode::kSelect: {
      Select t;
      t.out = decode_tap(&w[4], "out", true);
      t.in = decode_tap(&w[8], "in", true);
      t.mask = decode_tap(&w[12], "mask", true);
      insn.op = t;
      break;
    }
    case Opcode::kActivate: {
      Activate a;
      const std::uint32_t f = get(w[2], 0, 4);
      if (f >= kNumActFuncs) throw DecodeFail{fmt::format("ACTIVATE func {} is not defined", f)};
      a.func = static_cast<ActFunc>(f);
      a.table = static_cast<std::uint8_t>(get(w[2], 4, 2));
      if (a.func != ActFunc::kTable && a.table != 0) throw DecodeFail{"table slot given for a non-TABLE function"};
      a.acc = static_cast<AccOp>(get(w[2], 6, 2));
      a.scale = decode_scalar(w[2], 8, w[3], w[13], "scale");
      a.bias = decode_scalar(w[2], 9, w[12], w[14], "bias");
      a.out = decode_tap(&w[4], "out", true);
      a.in = decode_tap(&w[8], "in", true);
      a.acc_out = decode_cap(w[15], "acc");
      if ((a.acc != AccOp::kNone) != a.acc_out.present()) {
        throw DecodeFail{"ACTIVATE acc op and acc CAP must be given together"};
      }
      insn.op = a;
      break;
    }
    case Opcode::kTableLoad: {
      TableLoad t;
      t.slot = static_cast<std::uint8_t>(get(w[2], 0, 2));
      t.in = decode_tap(&w[8], "in", true);
      insn.op = t;
      break;
    }
    case Opcode::kDma: {
      Dma d;
      d.dst = decode_dap(&w[2], "dst");
      d.src = decode_dap(&w[9], "src");
      if (d.src.remote) throw DecodeFail{"src: a DMA reads its own chip (the remote bits are dst-only)"};
      insn.op = d;
      break;
    }
  }
  return insn;
}

}  // namespace

Decoded decode(std::span<const std::uint32_t, kInstructionWords> words) {
  Decoded d;
  try {
    Instruction insn = decode_fields(words);
    // Every defined field has been read; re-encoding exposes any reserved bit that is set.
    const EncodedInstruction again = encode(insn);
    for (std::size_t i = 0; i < kInstructionWords; ++i) {
      if (again[i] != words[i]) {
        throw DecodeFail{fmt::format("reserved bits set in word {}: 0x{:08x}", i, words[i] & ~again[i])};
      }
    }
    d.insn = insn;
  } catch (const DecodeFail& f) {
    d.fault = Fault{ErrorCode::kIllegalInstruction, f.why};
  }
  return d;
}

}  // namespace systole::golden
