// Random legal vector instructions for the vector engine's block bench (verif/vector): one
// shape (pcount, n0 x n1 x n2) per instruction, each operand placed in SBUF or PSUM with its own
// dtype, pstart, strides (both signs, 0) and offset inside its partition; sometimes in place.
// Legality is the golden model's business: the bench keeps what `validate` accepts and what
// runs without a race report. The operands stay inside a region of each partition (the whole
// partition unless the region is set: the chip regression's vector case kind).
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>

#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"

namespace systole::verif::vec {

struct InsnGen {
  const golden::Config& cfg;
  std::mt19937& g;
  // The region of each partition the operands use: [base, base + len) of SBUF and PSUM (len 0:
  // the whole partition).
  std::uint32_t sb_base = 0, sb_len = 0, ps_base = 0, ps_len = 0;
  std::uint32_t base_of(golden::Space sp) const { return sp == golden::Space::kSbuf ? sb_base : ps_base; }
  std::uint32_t len_of(golden::Space sp) const {
    const std::uint32_t len = sp == golden::Space::kSbuf ? sb_len : ps_len;
    return len != 0 ? len : sp == golden::Space::kSbuf ? cfg.sbuf_bytes : cfg.psum_bytes;
  }
  std::uint32_t u(std::uint32_t n) { return static_cast<std::uint32_t>(g() % n); }
  bool chance(std::uint32_t one_in) { return u(one_in) == 0; }

  golden::DType dtype() {
    static constexpr golden::DType kAll[] = {golden::DType::kInt8, golden::DType::kBf16, golden::DType::kFp8,
                                             golden::DType::kFp32, golden::DType::kInt32};
    return kAll[u(5)];
  }
  // A TAP of the given shape: strides and offset so that every element is inside the partition.
  golden::Tap place(golden::Space sp, golden::DType dt, std::uint32_t pcount, const std::array<std::uint32_t, 3>& n) {
    const std::uint32_t bytes = len_of(sp);  // per partition
    const std::int64_t sz = static_cast<std::int64_t>(golden::dtype_size(dt));
    for (int attempt = 0;; ++attempt) {
      golden::Tap t;
      t.space = sp;
      t.dtype = dt;
      t.pcount = pcount;
      t.pstart = u(cfg.partitions - pcount + 1);
      auto stride = [&](int r) { return static_cast<std::int32_t>(u(2 * r + 1)) - r; };
      const bool dense = attempt > 20 || !chance(3);
      t.dims[0] = {n[0], dense ? (chance(5) ? -1 : 1) : stride(4)};
      t.dims[1] = {n[1], dense ? t.dims[0].stride * static_cast<std::int32_t>(n[0]) : stride(30)};
      t.dims[2] = {n[2], dense ? t.dims[1].stride * static_cast<std::int32_t>(n[1]) : stride(100)};
      std::int64_t lo = 0, hi = 0;
      for (int d = 0; d < 3; ++d) {
        const std::int64_t e = static_cast<std::int64_t>(n[d] - 1) * t.dims[d].stride;
        lo += std::min<std::int64_t>(0, e);
        hi += std::max<std::int64_t>(0, e);
      }
      const std::int64_t span = (hi - lo + 1) * sz;
      if (span > bytes) continue;
      const std::int64_t slack = (bytes - span) / sz;
      t.offset = base_of(sp) + static_cast<std::uint32_t>((-lo + static_cast<std::int64_t>(g() % (slack + 1))) * sz);
      return t;
    }
  }
  golden::Space space() { return chance(3) ? golden::Space::kPsum : golden::Space::kSbuf; }
  golden::Cap cap_for(std::uint32_t pcount) {
    golden::Cap c;
    c.space = space();
    c.dtype = dtype();
    c.pstart = u(cfg.partitions - pcount + 1);
    const std::uint32_t sz = static_cast<std::uint32_t>(golden::dtype_size(c.dtype));
    c.offset = base_of(c.space) + u(len_of(c.space) / sz) * sz;
    return c;
  }
  golden::AluOp alu(bool allow_bypass) {
    for (;;) {
      const auto op = static_cast<golden::AluOp>(u(16));
      if (static_cast<int>(op) == 14) continue;
      if (op == golden::AluOp::kBypass && !allow_bypass) continue;
      return op;
    }
  }
  std::uint32_t imm() {
    static constexpr std::uint32_t kCorners[] = {0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x7F800000u,
                                                 0xFF800000u, 0x7FC00000u, 0x00000001u, 0x807FFFFFu, 0x7F7FFFFFu,
                                                 0x40490FDBu, 0xC2F60000u, 0x0000007Fu, 0xFFFFFF80u, 0x80000001u};
    return chance(3) ? kCorners[u(sizeof(kCorners) / sizeof(kCorners[0]))] : static_cast<std::uint32_t>(g());
  }

  // A scalar operand: a CAP or an immediate (a corner, any bits, or a float near +-1 for
  // ACTIVATE's scale and bias when `tame`).
  golden::Scalar scalar(std::uint32_t pcount, bool tame) {
    if (chance(2)) return golden::Scalar{true, 0, cap_for(pcount)};
    const std::uint32_t near_one =
        0x3F000000u + (static_cast<std::uint32_t>(g()) & 0x00FFFFFFu) + (chance(4) ? 0x80000000u : 0u);
    return golden::Scalar{false, tame && !chance(4) ? near_one : imm(), {}};
  }

  // The opcodes `next` draws from (the engine's set so far).
  enum Kind { kCopy, kTensorTensor, kTensorScalar, kIota, kSelect, kReduce, kTableLoad, kActivate, kKinds };

  // One instruction of any vector opcode. TABLE_LOAD's TAP is contiguous with the size of a
  // table of 1..64 segments (64 half the time), or sometimes a size no table has; the bench
  // writes the table's words there.
  golden::Instruction next() {
    const std::uint32_t pcount = 1 + u(cfg.partitions);
    const std::uint32_t big = chance(4) ? 64 : 8;
    std::array<std::uint32_t, 3> n{1 + u(big), 1 + u(chance(2) ? 1 : 5), 1 + u(chance(2) ? 1 : 3)};
    // A shape whose fp32 elements fit the smaller region densely (a whole partition: always).
    const std::uint32_t cap = std::min(len_of(golden::Space::kSbuf), len_of(golden::Space::kPsum)) / 4;
    while (n[0] * n[1] * n[2] > cap) {
      if (n[0] > 1) n[0] = (n[0] + 1) / 2;
      else if (n[2] > 1) --n[2];
      else --n[1];
    }
    golden::Instruction insn;
    insn.engine = golden::engine::kVec;
    const golden::Tap out = place(space(), dtype(), pcount, n);
    auto input = [&]() { return chance(6) ? out : place(space(), dtype(), pcount, n); };  // sometimes in place
    switch (u(kKinds + 1)) {  // ACTIVATE twice as often as the others (seven functions)
      case kCopy: insn.op = golden::Copy{out, input()}; break;
      case kTensorTensor: insn.op = golden::TensorTensor{alu(false), out, input(), input()}; break;
      case kTensorScalar: {
        golden::TensorScalar ts;
        ts.op0 = alu(false);
        ts.op1 = alu(true);
        ts.rev0 = chance(2);
        ts.rev1 = chance(2);
        ts.s0 = scalar(pcount, false);
        ts.s1 = scalar(pcount, false);
        ts.out = out;
        ts.in = input();
        insn.op = ts;
        break;
      }
      case kIota:
        insn.op = golden::Iota{out, static_cast<std::int32_t>(imm()), static_cast<std::int32_t>(imm()),
                               static_cast<std::int32_t>(chance(2) ? u(5) : g())};
        break;
      case kSelect: insn.op = golden::Select{out, input(), input()}; break;
      case kReduce: {
        // The out TAP holds the dims left after the nred innermost ones are reduced.
        golden::TensorReduce r;
        static constexpr golden::AluOp kOps[] = {golden::AluOp::kAdd, golden::AluOp::kMax, golden::AluOp::kMin};
        r.op = kOps[u(3)];
        r.nred = static_cast<std::uint8_t>(1 + u(3));
        std::array<std::uint32_t, 3> m{1, 1, 1};
        for (unsigned d = r.nred; d < 3; ++d) m[d - r.nred] = n[d];
        r.out = place(space(), dtype(), pcount, m);
        r.in = place(space(), dtype(), pcount, n);
        insn.op = r;
        break;
      }
      case kTableLoad: {
        std::uint32_t words = 8 + 4 * (chance(2) ? 64 : 1 + u(64));
        if (chance(16)) words = chance(2) ? 1 + u(12) : words + 1 + u(3);  // no table has this size
        golden::TableLoad t;
        t.slot = static_cast<std::uint8_t>(u(4));
        t.in = golden::tap(golden::Space::kSbuf, golden::DType::kFp32, u(cfg.partitions), 1,
                           sb_base + 4 * u(len_of(golden::Space::kSbuf) / 4 - words + 1), {{words, 1}});
        insn.op = t;
        break;
      }
      default: {
        golden::Activate a;
        static constexpr golden::ActFunc kFuncs[] = {
            golden::ActFunc::kIdentity, golden::ActFunc::kExp,  golden::ActFunc::kExp2, golden::ActFunc::kRecip,
            golden::ActFunc::kRsqrt,    golden::ActFunc::kSqrt, golden::ActFunc::kLog,  golden::ActFunc::kTable};
        a.func = chance(5) ? golden::ActFunc::kTable : kFuncs[u(8)];
        if (a.func == golden::ActFunc::kTable) a.table = static_cast<std::uint8_t>(u(4));
        a.acc = static_cast<golden::AccOp>(u(4));
        if (a.acc != golden::AccOp::kNone) a.acc_out = cap_for(pcount);
        a.scale = scalar(pcount, true);
        a.bias = chance(3) ? golden::Scalar{false, 0x80000000u, {}} : scalar(pcount, true);  // -0: neutral
        a.out = out;
        a.in = input();
        insn.op = a;
        break;
      }
    }
    return insn;
  }
};

}  // namespace systole::verif::vec
