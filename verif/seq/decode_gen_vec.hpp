// Random vector instructions for the decode_check tests (decode_gen.hpp draws them; the golden
// model's Config::vector_engine decides whether they are checked or refused). Every opcode of
// isa.md section 4 from 0x20 to 0x27, its fields pushed around the checks of validate():
//   - TAPs: every dtype and space (PSUM with 1- and 2-byte dtypes, DRAM, absent), pcount 0, at and
//     above P, free sizes equal and off by one or doubled, offsets and pstart at the edges;
//   - ALU ops: integer (AND, OR, XOR) on integer and float dtypes, BYPASS, the reserved code 14;
//     TENSOR_SCALAR op pairs mixed; TENSOR_REDUCE nred 0..3 with the kept product right or wrong;
//   - ACTIVATE func 0..15, a table slot with a non-TABLE func, the acc op with and without its CAP;
//   - scalars from an immediate or a CAP, and (tweak()) both or neither given; CAPs at the
//     partition ends, misaligned, in DRAM or narrow in PSUM;
//   - TABLE_LOAD from PSUM, non-fp32, pcount 0 or 2.
#pragma once

#include <array>
#include <cstdint>

#include "decode_gen_base.hpp"

namespace systole::verif::seq {

using golden::AluOp;
using golden::Cap;
using golden::Scalar;

class VecGen : public GenBase {
 public:
  using GenBase::GenBase;

  // A vector instruction, mostly on engine VEC.
  Instruction vector() {
    Instruction i;
    i.engine = pct(94) ? golden::engine::kVec : static_cast<std::uint8_t>(u(0, 15));
    i.sync = sync();
    switch (u(0, 7)) {
      case 0: i.op = tensor_tensor(); break;
      case 1: i.op = tensor_scalar(); break;
      case 2: i.op = tensor_reduce(); break;
      case 3: {
        const auto t = taps(2);
        i.op = golden::Copy{t[0], t[1]};
        break;
      }
      case 4: {
        golden::Iota t{taps(1)[0]};
        t.base = static_cast<std::int32_t>(u32());
        t.step = imm_int();
        t.pstep = imm_int();
        i.op = t;
        break;
      }
      case 5: {
        const auto t = taps(3);
        i.op = golden::Select{t[0], t[1], t[2]};
        break;
      }
      case 6: i.op = activate(); break;
      default: i.op = table_load(); break;
    }
    return i;
  }

  // Raw edits the encoder cannot make, on a few of the encoded vector instructions: a scalar's
  // immediate and CAP both given or neither, the acc CAP word with space 0 but other bits set, a
  // stray TENSOR_SCALAR w15.
  // Returns whether it edited the words.
  bool tweak(golden::EncodedInstruction& w) {
    const std::uint32_t op = w[0] & 0xFFu;
    if ((op != 0x21 && op != 0x26) || !pct(12)) return false;
    const unsigned s0_bit = op == 0x21 ? 10 : 8;  // s0 / scale; s1 / bias is the next bit
    const unsigned which = static_cast<unsigned>(u(0, 1));
    const bool col = ((w[2] >> (s0_bit + which)) & 1u) != 0;
    std::uint32_t& imm = which == 0 ? w[3] : w[12];
    std::uint32_t& cap_word = which == 0 ? w[13] : w[14];
    switch (u(0, 3)) {
      case 0:
        if (col) {
          imm = pick<std::uint32_t>({1u, 0x80000000u, u32()});  // immediate beside the CAP
        } else {
          cap_word = encode_cap(cap(pick<std::uint32_t>({1, c_.partitions}), pct(20)));  // CAP beside the immediate
        }
        break;
      case 1: w[2] ^= 1u << (s0_bit + which); break;                      // flag flipped: neither or both
      case 2: w[15] = pct(50) ? 1u << u(0, 21) : 1u << u(24, 31); break;  // space 0, other bits set
      default: w[15] = encode_cap(cap(pick<std::uint32_t>({1, c_.partitions}), pct(20))); break;
    }
    return true;
  }

  // Clears the reserved bits of a vector format in random words (see InsnGen::sanitize) and
  // makes its TAPs and selected CAPs present with a defined dtype.
  void sanitize(golden::EncodedInstruction& w) {
    std::uint32_t& h = w[0];
    if (pct(70)) h = (h & ~0xF00u) | std::uint32_t{golden::engine::kVec} << 8;
    const std::uint32_t op = h & 0xFFu;
    auto tap_at = [&](std::size_t b) {
      w[b + 2] &= ~0xF000u;
      if (pct(80)) w[b] = (w[b] & ~0x00FC0000u) | static_cast<std::uint32_t>(u(1, 2) << 22 | u(1, 5) << 18);
    };
    auto cap_at = [&](std::size_t b) {
      if (pct(80)) w[b] = (w[b] & ~0x00FC0000u) | static_cast<std::uint32_t>(u(1, 2) << 22 | u(1, 5) << 18);
    };
    auto scalar = [&](unsigned bit, std::size_t imm, std::size_t cap_word) {
      if ((w[2] >> bit) & 1u) {
        w[imm] = 0;
        cap_at(cap_word);
      } else {
        w[cap_word] = 0;
      }
    };
    switch (op) {
      case 0x20:
      case 0x25:
        w[2] &= op == 0x20 ? 0xFu : 0u;
        if (op == 0x20 && (w[2] == 14 || w[2] == 15)) w[2] = static_cast<std::uint32_t>(u(0, 13));
        w[3] = 0;
        for (std::size_t b : {4u, 8u, 12u}) tap_at(b);
        break;
      case 0x21:
        w[2] &= 0xFFFu;
        w[15] = 0;
        scalar(10, 3, 13);
        scalar(11, 12, 14);
        for (std::size_t b : {4u, 8u}) tap_at(b);
        break;
      case 0x22:
      case 0x23:
        w[2] &= op == 0x22 ? 0x3Fu : 0u;
        w[3] = w[12] = w[13] = w[14] = w[15] = 0;
        for (std::size_t b : {4u, 8u}) tap_at(b);
        break;
      case 0x24:
        w[2] = w[8] = w[9] = w[10] = w[11] = w[14] = w[15] = 0;
        tap_at(4);
        break;
      case 0x26:
        w[2] &= 0x3FFu;
        if ((w[2] & 0xFu) > 5) w[2] &= ~0xFu;
        if ((w[2] & 0xFu) != 1) w[2] &= ~0x30u;
        scalar(8, 3, 13);
        scalar(9, 12, 14);
        if ((w[2] >> 6) & 3u) {
          cap_at(15);
        } else {
          w[15] = 0;
        }
        for (std::size_t b : {4u, 8u}) tap_at(b);
        break;
      default:  // 0x27
        w[2] &= 3u;
        w[3] = w[4] = w[5] = w[6] = w[7] = w[12] = w[13] = w[14] = w[15] = 0;
        tap_at(8);
        break;
    }
  }

 private:
  // ---- operands ------------------------------------------------------------------------------
  Space space() {
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    return roll < 72 ? Space::kSbuf : roll < 96 ? Space::kPsum : roll < 98 ? Space::kDram : Space::kNone;
  }

  // A dtype, integer with probability `int_pct`; a narrow dtype in PSUM is mostly moved to SBUF.
  DType dtype(unsigned int_pct = 30) {
    if (pct(int_pct)) return pick({DType::kInt8, DType::kInt32});
    return pick({DType::kBf16, DType::kFp8, DType::kFp32});
  }
  void fix_psum(Space& sp, DType dt) {
    if (sp == Space::kPsum && golden::dtype_size(dt) != 4 && pct(75)) sp = Space::kSbuf;
  }

  // A lane count: mostly at or around P, sometimes 0.
  std::uint32_t lanes() { return pct(2) ? 0 : near(c_.partitions, 255); }
  // A free size: small, medium or large.
  std::uint64_t free_size() {
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    if (roll < 40) return u(1, 16);
    if (roll < 75) return u(1, 256);
    if (roll < 95) return u(1, 4096);
    return pick<std::uint64_t>({4095ull * 4095, 4096ull * 4096, 4095ull * 4095 * 4095, u(1, 1ull << 30)});
  }
  // A free size equal to f, or off by one, or doubled.
  std::uint64_t like(std::uint64_t f) {
    if (pct(90)) return f;
    return pick<std::uint64_t>({f + 1, f > 1 ? f - 1 : 2, 2 * f});
  }

  // n TAPs (out first) with one lane count and free size, each sometimes off; dtypes integer with
  // probability int_pct.
  std::array<Tap, 3> taps(unsigned n, unsigned int_pct = 30) {
    std::array<Tap, 3> out{};
    const std::uint32_t L = lanes();
    const std::uint64_t F = free_size();
    for (unsigned k = 0; k < n; ++k) {
      const DType dt = dtype(int_pct);
      Space sp = space();
      fix_psum(sp, dt);
      auto cnt = split<3>(k == 0 ? F : like(F), 4095);
      if (pct(2)) cnt[u(0, 2)] = 0;
      const std::uint32_t pc = k == 0 || pct(93) ? L : lanes();
      out[k] = tap(sp, dt, pc, cnt);
    }
    return out;
  }

  // make_tap (offset and pstart mostly at or one past the edges), then for 65% of the TAPs an
  // offset and pstart that fit when there are any: a vector instruction has up to three TAPs and
  // three CAPs, and the checks after PATTERN_OUT_OF_RANGE must be reached often too.
  Tap tap(Space sp, DType dt, std::uint32_t pcount, const std::array<std::uint32_t, 3>& n) {
    Tap t = make_tap(sp, dt, pcount, n);
    if (pct(65)) {
      const std::int64_t sz = size_of(dt);
      const golden::ByteRange e = golden::element_span(t.dims);
      const std::uint64_t limit = sp == Space::kPsum ? c_.psum_bytes : c_.sbuf_bytes;
      t.offset =
          static_cast<std::uint32_t>(fit(-e.lo * sz, static_cast<std::int64_t>(limit) - (e.hi + 1) * sz, sz, t.offset));
      t.pstart = static_cast<std::uint32_t>(fit(0, std::int64_t{c_.partitions} - pcount, 1, t.pstart));
    }
    return t;
  }
  // A multiple of sz in [lo, hi], at an end half of the time; `keep` when there is none.
  std::int64_t fit(std::int64_t lo, std::int64_t hi, std::int64_t sz, std::int64_t keep) {
    lo = (lo + sz - 1) / sz * sz;
    hi = hi / sz * sz;
    if (lo > hi || hi < 0) return keep;
    const unsigned roll = static_cast<unsigned>(u(0, 3));
    return roll == 0 ? lo : roll == 1 ? hi : lo + s(0, (hi - lo) / sz) * sz;
  }

  // A CAP over `lanes` lanes: at the partition ends mostly; integer dtype when `integer`.
  Cap cap(std::uint32_t lanes, bool integer) {
    const DType dt = integer ? (pct(90) ? pick({DType::kInt8, DType::kInt32}) : dtype()) : dtype();
    Space sp = pct(4) ? Space::kDram : pct(25) ? Space::kPsum : Space::kSbuf;
    fix_psum(sp, dt);
    const std::uint32_t sz = size_of(dt);
    const std::uint64_t limit = sp == Space::kPsum ? c_.psum_bytes : c_.sbuf_bytes;
    std::uint64_t offset = place(0, sz - 1, limit, sz, (1u << 18) - 1);
    auto pstart =
        static_cast<std::uint32_t>(place(0, std::max<std::int64_t>(0, std::int64_t{lanes} - 1), c_.partitions, 1, 255));
    if (pct(60)) {
      offset = static_cast<std::uint64_t>(fit(0, static_cast<std::int64_t>(limit - sz), sz, 0));
      pstart = static_cast<std::uint32_t>(fit(0, std::int64_t{c_.partitions} - lanes, 1, pstart));
    }
    if (pct(3)) offset |= 1;
    return golden::cap(sp, dt, pstart, static_cast<std::uint32_t>(offset));
  }
  static std::uint32_t encode_cap(const Cap& c) {
    return c.offset | static_cast<std::uint32_t>(c.dtype) << 18 | static_cast<std::uint32_t>(c.space) << 22 |
           c.pstart << 24;
  }

  // A scalar: an immediate, or a CAP (sometimes selected but absent).
  Scalar scalar(std::uint32_t lanes, bool integer, unsigned col_pct) {
    Scalar s;
    if (pct(col_pct)) {
      s.from_col = true;
      if (!pct(3)) s.col = cap(lanes, integer);
    } else {
      s.imm = pct(20) ? 0u : u32();
    }
    return s;
  }
  std::int32_t imm_int() { return static_cast<std::int32_t>(pct(30) ? s(-2, 2) : static_cast<std::int64_t>(u32())); }

  // ---- ops -----------------------------------------------------------------------------------
  // An ALU op: float (0..10), integer (11..13), sometimes BYPASS or the reserved 14.
  AluOp alu(unsigned int_pct) {
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    if (roll < 3) return static_cast<AluOp>(14);
    if (roll < 7) return AluOp::kBypass;
    if (roll < 7 + int_pct) return static_cast<AluOp>(u(11, 13));
    return static_cast<AluOp>(u(0, 10));
  }

  golden::TensorTensor tensor_tensor() {
    golden::TensorTensor t;
    t.op = alu(25);
    const auto x = taps(3, golden::alu_is_integer(t.op) ? 85 : 20);
    t.out = x[0], t.in0 = x[1], t.in1 = x[2];
    return t;
  }

  golden::TensorScalar tensor_scalar() {
    golden::TensorScalar t;
    t.op0 = alu(25);
    const bool integer = golden::alu_is_integer(t.op0);
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    if (roll < 60) {  // the same kind as op0
      t.op1 = integer ? static_cast<AluOp>(u(11, 13)) : static_cast<AluOp>(u(0, 10));
    } else if (roll < 85) {
      t.op1 = AluOp::kBypass;
    } else {
      t.op1 = alu(30);
    }
    t.rev0 = pct(50);
    t.rev1 = pct(50);
    const auto x = taps(2, integer ? 85 : 20);
    t.out = x[0], t.in = x[1];
    t.s0 = scalar(t.out.pcount, integer, 35);
    t.s1 = scalar(t.out.pcount, integer, 35);
    return t;
  }

  golden::TensorReduce tensor_reduce() {
    golden::TensorReduce t;
    t.op = pct(88) ? pick({AluOp::kAdd, AluOp::kMax, AluOp::kMin}) : static_cast<AluOp>(u(0, 15));
    t.nred = static_cast<std::uint8_t>(pct(4) ? 0 : u(1, 3));
    const auto x = taps(2);
    t.out = x[0], t.in = x[1];
    // Input counts, small mostly; out's free size the product kept, sometimes another one.
    for (Dim& d : t.in.dims) d.count = static_cast<std::uint32_t>(pct(70) ? u(1, 16) : pct(80) ? u(1, 4095) : 4095);
    if (pct(2)) t.in.dims[u(0, 2)].count = 0;
    std::uint64_t kept = 1;
    for (unsigned d = t.nred == 0 ? 1 : t.nred; d < 3; ++d) kept *= t.in.dims[d].count;
    if (pct(10)) {
      const unsigned other = static_cast<unsigned>(u(0, 2));  // reducing another number of dims
      kept = 1;
      for (unsigned d = other; d < 3; ++d) kept *= t.in.dims[d].count;
    }
    const auto on = split<3>(like(kept), 4095);
    for (unsigned d = 0; d < 3; ++d) t.out.dims[d].count = on[d];
    restride(t.in);
    restride(t.out);
    return t;
  }

  golden::Activate activate() {
    golden::Activate a;
    a.func = static_cast<golden::ActFunc>(pct(88) ? u(0, 7) : u(8, 15));
    a.table = static_cast<std::uint8_t>(a.func == golden::ActFunc::kTable ? u(0, 3) : pct(5) ? u(1, 3) : 0);
    a.acc = static_cast<golden::AccOp>(pct(50) ? 0 : u(1, 3));
    const auto x = taps(2);
    a.out = x[0], a.in = x[1];
    a.scale = scalar(a.out.pcount, false, 30);
    a.bias = scalar(a.out.pcount, false, 30);
    if (!a.scale.from_col && pct(70)) a.scale.imm = 0x3F800000u;
    const bool with_cap = (a.acc != golden::AccOp::kNone) != pct(6);
    if (with_cap) a.acc_out = cap(a.out.pcount, false);
    return a;
  }

  golden::TableLoad table_load() {
    golden::TableLoad t;
    t.slot = static_cast<std::uint8_t>(u(0, 3));
    Space sp = pct(88) ? Space::kSbuf : space();
    const DType dt = pct(88) ? DType::kFp32 : dtype();
    fix_psum(sp, dt);
    const std::uint32_t pc = pct(88) ? 1 : pick<std::uint32_t>({0, 2, c_.partitions, c_.partitions + 1});
    const std::uint64_t n = pct(80) ? 8 + 4 * u(1, 64) : free_size();
    t.in = tap(sp, dt, pc, split<3>(n, 4095));
    return t;
  }

  // New strides and offset for a TAP whose counts changed, placed like make_tap does.
  void restride(Tap& t) {
    const Tap n = tap(t.space, t.dtype, t.pcount, {t.dims[0].count, t.dims[1].count, t.dims[2].count});
    t.dims = n.dims;
    t.offset = n.offset;
    t.pstart = n.pstart;
  }
};

}  // namespace systole::verif::seq
