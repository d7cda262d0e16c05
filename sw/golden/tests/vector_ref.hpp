// Element-loop references of the vector instructions, written from docs/isa.md section 4 and
// docs/numerics.md section 5, plus the operand generators shared by test_vector_*.cpp.
#pragma once

#include "isa_ref.hpp"

namespace isaref {

// ---- numerics.md section 5 -------------------------------------------------------------------------
// max/min after DAZ: any NaN gives the canonical NaN; -0 < +0.
inline f32_bits ref_max(f32_bits a, f32_bits b) {
  a = daz(a);
  b = daz(b);
  if (is_nan(a) || is_nan(b)) return kNaN;
  if (host(a) == host(b)) return a == kSign ? b : a;  // equal values differ only in the zero sign
  return host(a) > host(b) ? a : b;
}
inline f32_bits ref_min(f32_bits a, f32_bits b) {
  a = daz(a);
  b = daz(b);
  if (is_nan(a) || is_nan(b)) return kNaN;
  if (host(a) == host(b)) return a == 0u ? b : a;
  return host(a) < host(b) ? a : b;
}

// The fp32 ALU: add/sub/mul are the section-2 operations (a - b is a + (-b)); comparisons are the
// host's IEEE comparisons after DAZ, giving 1.0 or 0.0.
inline f32_bits ref_alu(AluOp op, f32_bits a, f32_bits b) {
  const float x = host(daz(a)), y = host(daz(b));
  const auto flag = [](bool v) { return v ? kOne : 0u; };
  switch (op) {
    case AluOp::kAdd: return num::f32_add(a, b);
    case AluOp::kSub: return num::f32_add(a, b ^ kSign);
    case AluOp::kMul: return num::f32_mul(a, b);
    case AluOp::kMax: return ref_max(a, b);
    case AluOp::kMin: return ref_min(a, b);
    case AluOp::kEq: return flag(x == y);
    case AluOp::kNe: return flag(x != y);
    case AluOp::kLt: return flag(x < y);
    case AluOp::kLe: return flag(x <= y);
    case AluOp::kGt: return flag(x > y);
    case AluOp::kGe: return flag(x >= y);
    case AluOp::kBypass: return a;
    default: throw std::logic_error("integer op on the fp32 ALU");
  }
}
inline std::int32_t ref_alu_int(AluOp op, std::int32_t a, std::int32_t b) {
  switch (op) {
    case AluOp::kAnd: return a & b;
    case AluOp::kOr: return a | b;
    case AluOp::kXor: return a ^ b;
    case AluOp::kBypass: return a;
    default: throw std::logic_error("fp32 op on the integer ALU");
  }
}

// ---- instructions -----------------------------------------------------------------------------------
inline void ref_tensor_tensor(Shadow& s, AluOp op, const Tap& out, const Tap& a, const Tap& b) {
  const bool integer = op == AluOp::kAnd || op == AluOp::kOr || op == AluOp::kXor;
  for (std::uint32_t l = 0; l < out.pcount; ++l) {
    for (std::uint64_t j = 0; j < free_size(out); ++j) {
      const std::uint32_t ra = s.load(tap_loc(a, l, j)), rb = s.load(tap_loc(b, l, j));
      const std::uint32_t v = integer ? from_int(out.dtype, ref_alu_int(op, to_int(a.dtype, ra), to_int(b.dtype, rb)))
                                      : from_f32(out.dtype, ref_alu(op, to_f32(a.dtype, ra), to_f32(b.dtype, rb)));
      s.store(tap_loc(out, l, j), v);
    }
  }
}

inline void ref_tensor_scalar(Shadow& s, const TensorScalar& ts) {
  const bool integer = ts.op0 == AluOp::kAnd || ts.op0 == AluOp::kOr || ts.op0 == AluOp::kXor;
  for (std::uint32_t l = 0; l < ts.out.pcount; ++l) {
    auto raw = [&](const Scalar& sc) { return sc.from_col ? s.load(cap_loc(sc.col, l)) : sc.imm; };
    auto type = [](const Scalar& sc) { return sc.from_col ? sc.col.dtype : DType::kFp32; };
    const std::uint32_t r0 = raw(ts.s0), r1 = raw(ts.s1);
    for (std::uint64_t j = 0; j < free_size(ts.out); ++j) {
      const std::uint32_t x = s.load(tap_loc(ts.in, l, j));
      std::uint32_t v;
      if (integer) {  // immediates are int32 on the integer path
        const std::int32_t a = to_int(ts.in.dtype, x);
        const std::int32_t s0 = ts.s0.from_col ? to_int(ts.s0.col.dtype, r0) : static_cast<std::int32_t>(r0);
        const std::int32_t s1 = ts.s1.from_col ? to_int(ts.s1.col.dtype, r1) : static_cast<std::int32_t>(r1);
        const std::int32_t t = ts.rev0 ? ref_alu_int(ts.op0, s0, a) : ref_alu_int(ts.op0, a, s0);
        const std::int32_t y =
            ts.op1 == AluOp::kBypass ? t : (ts.rev1 ? ref_alu_int(ts.op1, s1, t) : ref_alu_int(ts.op1, t, s1));
        v = from_int(ts.out.dtype, y);
      } else {
        const f32_bits a = to_f32(ts.in.dtype, x), s0 = to_f32(type(ts.s0), r0), s1 = to_f32(type(ts.s1), r1);
        const f32_bits t = ts.rev0 ? ref_alu(ts.op0, s0, a) : ref_alu(ts.op0, a, s0);
        const f32_bits y = ts.op1 == AluOp::kBypass ? t : (ts.rev1 ? ref_alu(ts.op1, s1, t) : ref_alu(ts.op1, t, s1));
        v = from_f32(ts.out.dtype, y);
      }
      s.store(tap_loc(ts.out, l, j), v);
    }
  }
}

// Left to right from the first element of each group of the nred innermost dims.
inline void ref_tensor_reduce(Shadow& s, AluOp op, unsigned nred, const Tap& out, const Tap& in) {
  std::uint64_t group = 1;
  for (unsigned d = 0; d < nred; ++d) group *= in.dims[d].count;
  for (std::uint32_t l = 0; l < out.pcount; ++l) {
    for (std::uint64_t o = 0; o < free_size(out); ++o) {
      f32_bits r = to_f32(in.dtype, s.load(tap_loc(in, l, o * group)));
      for (std::uint64_t i = 1; i < group; ++i)
        r = ref_alu(op, r, to_f32(in.dtype, s.load(tap_loc(in, l, o * group + i))));
      s.store(tap_loc(out, l, o), from_f32(out.dtype, r));
    }
  }
}

inline void ref_copy(Shadow& s, const Tap& out, const Tap& in) {
  for (std::uint32_t l = 0; l < out.pcount; ++l) {
    for (std::uint64_t j = 0; j < free_size(out); ++j) {
      s.store(tap_loc(out, l, j), convert(out.dtype, in.dtype, s.load(tap_loc(in, l, j))));
    }
  }
}

inline void ref_iota(Shadow& s, const Tap& out, std::int32_t base, std::int32_t step, std::int32_t pstep) {
  for (std::uint32_t l = 0; l < out.pcount; ++l) {
    for (std::uint64_t j = 0; j < free_size(out); ++j) {
      const std::uint32_t v = static_cast<std::uint32_t>(base) +
                              static_cast<std::uint32_t>(j) * static_cast<std::uint32_t>(step) +
                              l * static_cast<std::uint32_t>(pstep);  // 32-bit two's complement
      s.store(tap_loc(out, l, j), convert(out.dtype, DType::kInt32, v));
    }
  }
}

// Mask non-zero: integer != 0; float: not +-0 after DAZ, NaN counts as non-zero.
inline bool mask_set(DType t, std::uint32_t raw) {
  if (is_int(t)) return to_int(t, raw) != 0;
  const f32_bits f = to_f32(t, raw);
  return is_nan(f) || host(f) != 0.0f;
}
inline void ref_select(Shadow& s, const Tap& out, const Tap& in, const Tap& mask) {
  for (std::uint32_t l = 0; l < out.pcount; ++l) {
    for (std::uint64_t j = 0; j < free_size(out); ++j) {
      if (!mask_set(mask.dtype, s.load(tap_loc(mask, l, j)))) continue;
      s.store(tap_loc(out, l, j), convert(out.dtype, in.dtype, s.load(tap_loc(in, l, j))));
    }
  }
}

// ---- a machine, a random stream and raw element access ----------------------------------------------
inline const Config kCfg = Config::fpga();  // P = 8, SBUF 16 KiB, PSUM 2 KiB, 4 DMA queues

struct Rig {
  Machine m{kCfg, kDramBytes};
  Rng r;
  explicit Rig(std::uint64_t salt) : r(seed(salt)) { open_dram(m); }
  template <class Ref>
  RunResult run(const ProgramBuilder& b, Ref&& ref, const std::string& what) {
    return run_compare(m, b.finish(), ref, what);
  }
};

// Raw elements at consecutive positions of one partition.
inline void poke(Machine& m, Space sp, std::uint32_t p, std::uint32_t off, DType t,
                 const std::vector<std::uint32_t>& v) {
  auto mem = sp == Space::kSbuf ? m.sbuf_partition(p) : m.psum_partition(p);
  const std::uint32_t sz = size_of(t);
  for (std::size_t i = 0; i < v.size(); ++i) {
    for (std::uint32_t k = 0; k < sz; ++k) mem[off + i * sz + k] = static_cast<std::uint8_t>(v[i] >> (8 * k));
  }
}
inline std::vector<std::uint32_t> peek(Machine& m, Space sp, std::uint32_t p, std::uint32_t off, DType t,
                                       std::size_t n) {
  auto mem = sp == Space::kSbuf ? m.sbuf_partition(p) : m.psum_partition(p);
  const std::uint32_t sz = size_of(t);
  std::vector<std::uint32_t> v(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::uint32_t k = 0; k < sz; ++k) v[i] |= std::uint32_t{mem[off + i * sz + k]} << (8 * k);
  }
  return v;
}
// Spelled-out expected values: EXPECT_EQ(peek(...), hex({...})).
inline std::vector<std::uint32_t> hex(const std::vector<std::uint32_t>& v) { return v; }

// ---- operand generators (fpga configuration) ----------------------------------------------------------
// Four disjoint regions per space; operands of one instruction use different regions.
inline Region region(Space sp, unsigned k) {
  return sp == Space::kSbuf ? Region{sp, 4096u * k, 4096u} : Region{sp, 512u * k, 512u};
}
inline DType any_type(Rng& r) { return kAllTypes[r.below(kAllTypes.size())]; }
inline DType int_type(Rng& r) { return r.coin() ? DType::kInt8 : DType::kInt32; }
// PSUM only for 4-byte dtypes.
inline Space rand_space(Rng& r, DType t) { return size_of(t) == 4 && r.coin(30) ? Space::kPsum : Space::kSbuf; }

// A CAP in quarter `q` of region 3 of a random space, for lanes 0..lanes-1.
inline Cap rand_cap(Rng& r, DType t, std::uint32_t lanes, std::uint32_t parts, unsigned q) {
  const Space sp = rand_space(r, t);
  const Region g = region(sp, 3);
  const std::uint32_t quarter = g.bytes / 4, sz = size_of(t);
  return cap(sp, t, r.below(parts - lanes + 1), g.base + q * quarter + sz * r.below(quarter / sz));
}

}  // namespace isaref
