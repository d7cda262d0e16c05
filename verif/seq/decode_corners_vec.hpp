// Named corner cases of the vector instructions for the decode_check tests
// (test_decode_check.cpp): for every opcode from 0x20 to 0x27 each error kind it can reach (a
// field, a reserved bit, an operand kind, a shape, a pattern of a TAP or a CAP) and the precedence
// pairs between them. The wanted code is the one with the vector engine present; without it
// every case is ILLEGAL_INSTRUCTION.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "decode_corners.hpp"
#include "systole/golden/builder.hpp"

namespace systole::verif::seq {

class VecCorners : public CornerList {
 public:
  using CornerList::CornerList;

  std::vector<Corner> build() {
    tensor_tensor();
    tensor_scalar();
    tensor_reduce();
    copy_iota_select();
    activate();
    table_load();
    return std::move(list_);
  }

 private:
  using DType = golden::DType;
  using Space = golden::Space;
  using Tap = golden::Tap;
  using Cap = golden::Cap;
  static constexpr ErrorCode kOk = ErrorCode::kNone;
  static constexpr ErrorCode kIll = ErrorCode::kIllegalInstruction;
  static constexpr ErrorCode kBad = ErrorCode::kBadOperand;
  static constexpr ErrorCode kShape = ErrorCode::kShapeMismatch;
  static constexpr ErrorCode kPat = ErrorCode::kPatternOutOfRange;

  std::uint32_t P() const { return c_.partitions; }
  std::uint32_t SB() const { return c_.sbuf_bytes; }
  std::uint32_t PB() const { return c_.psum_bytes; }
  // 16 elements in each of the P partitions from `offset`.
  Tap t16(Space sp, DType dt, std::uint32_t offset) const { return golden::tap(sp, dt, 0, P(), offset, {{16, 1}}); }
  static std::uint32_t cap_word(const Cap& c) {
    return c.offset | static_cast<std::uint32_t>(c.dtype) << 18 | static_cast<std::uint32_t>(c.space) << 22 |
           c.pstart << 24;
  }
  static golden::Scalar col(const Cap& c) { return golden::Scalar{true, 0, c}; }
  static golden::Scalar imm(std::uint32_t v) { return golden::Scalar{false, v, {}}; }

  ErrorCode want(ErrorCode c) const { return c_.vector_engine ? c : kIll; }
  void vadd(const std::string& name, const golden::Instruction& i, ErrorCode c) { add(name, i, want(c)); }
  void vraw(const std::string& name, const golden::EncodedInstruction& e, ErrorCode c) { add_raw(name, e, want(c)); }
  // `base` on engine VEC, changed by f.
  template <class Op>
  golden::Instruction on_vec(const Op& base, const std::function<void(Op&)>& f = {}) {
    Op op = base;
    if (f) f(op);
    return insn(golden::engine::kVec, op);
  }

  void tensor_tensor() {
    using golden::AluOp;
    using golden::TensorTensor;
    const Tap o = t16(Space::kSbuf, DType::kFp32, 0), a = t16(Space::kSbuf, DType::kFp32, 64),
              b = t16(Space::kSbuf, DType::kFp32, 128);
    const TensorTensor tt{AluOp::kAdd, o, a, b};
    auto x = [&](const std::function<void(TensorTensor&)>& f) { return on_vec(tt, f); };
    vadd("tt_ok", x({}), kOk);
    vadd("tt_out_psum_fp32", x([&](TensorTensor& t) { t.out = t16(Space::kPsum, DType::kFp32, 0); }), kOk);
    vadd("tt_and_int8", x([&](TensorTensor& t) {
           t.op = AluOp::kAnd;
           t.out = t16(Space::kSbuf, DType::kInt8, 256);
           t.in0 = t16(Space::kSbuf, DType::kInt8, 272);
           t.in1 = t16(Space::kSbuf, DType::kInt8, 288);
         }),
         kOk);
    vadd("tt_xor_int32_psum", x([&](TensorTensor& t) {
           t.op = AluOp::kXor;
           t.out = t16(Space::kPsum, DType::kInt32, 0);
           t.in0.dtype = t.in1.dtype = DType::kInt32;
         }),
         kOk);
    vadd("tt_ge_int8_ok", x([&](TensorTensor& t) {
           t.op = AluOp::kGe;
           t.in0.dtype = DType::kInt8;
         }),
         kOk);
    vadd("tt_and_on_fp32", x([](TensorTensor& t) { t.op = AluOp::kAnd; }), kBad);
    vadd("tt_or_in1_bf16", x([](TensorTensor& t) {
           t.op = AluOp::kOr;
           t.out.dtype = t.in0.dtype = DType::kInt32;
           t.in1.dtype = DType::kBf16;
         }),
         kBad);
    vadd("tt_bypass", x([](TensorTensor& t) { t.op = AluOp::kBypass; }), kIll);
    vadd("tt_op_14", x([](TensorTensor& t) { t.op = static_cast<AluOp>(14); }), kIll);
    vraw("tt_w2_bit4", words(x({}), 2, 0, 1u << 4), kIll);
    vraw("tt_w3_nonzero", words(x({}), 3, 0, 1), kIll);
    vraw("tt_in1_absent", words(x({}), 12, 0x00C00000u, 0), kIll);
    vraw("tt_in0_dtype_0", words(x({}), 8, 0x003C0000u, 0), kIll);
    vraw("tt_in1_dtype_6", words(x({}), 12, 0x003C0000u, 6u << 18), kIll);
    vraw("tt_out_tap_reserved_a2_bit15", words(x({}), 6, 0, 1u << 15), kIll);
    add("tt_on_pe", insn(golden::engine::kTensor, tt), kIll);
    add("tt_on_seq", insn(golden::engine::kSeq, tt), kIll);
    vadd("tt_out_psum_bf16", x([&](TensorTensor& t) { t.out = t16(Space::kPsum, DType::kBf16, 0); }), kBad);
    vadd("tt_in0_dram", x([](TensorTensor& t) { t.in0.space = Space::kDram; }), kBad);
    vadd("tt_in1_pcount_differs", x([](TensorTensor& t) { t.in1.pcount -= 1; }), kShape);
    vadd("tt_in0_free_one_more", x([](TensorTensor& t) { t.in0.dims[0].count = 17; }), kShape);
    vadd("tt_in1_same_free_other_factors", x([](TensorTensor& t) { t.in1.dims = {{{4, 1}, {4, 4}, {1, 0}}}; }), kOk);
    vadd("tt_pcount_0", x([](TensorTensor& t) { t.out.pcount = t.in0.pcount = t.in1.pcount = 0; }), kPat);
    vadd("tt_pcount_above_P", x([&](TensorTensor& t) { t.out.pcount = t.in0.pcount = t.in1.pcount = P() + 1; }), kPat);
    vadd("tt_out_lanes_past_P", x([](TensorTensor& t) { t.out.pstart = 1; }), kPat);
    vadd("tt_in1_fits_sbuf_end", x([&](TensorTensor& t) { t.in1.offset = SB() - 64; }), kOk);
    vadd("tt_in1_one_word_past_sbuf_end", x([&](TensorTensor& t) { t.in1.offset = SB() - 60; }), kPat);
    vadd("tt_out_fits_psum_end", x([&](TensorTensor& t) { t.out = t16(Space::kPsum, DType::kFp32, PB() - 64); }), kOk);
    vadd("tt_out_past_psum_end", x([&](TensorTensor& t) { t.out = t16(Space::kPsum, DType::kFp32, PB() - 60); }), kPat);
    vadd("tt_in0_misaligned", x([](TensorTensor& t) { t.in0.offset = 66; }), kPat);
    vadd("tt_zero_counts_out_in0_only", x([](TensorTensor& t) { t.out.dims[1].count = t.in0.dims[2].count = 0; }),
         kShape);  // in1's free size is still 16
    vadd("tt_zero_counts_everywhere",
         x([](TensorTensor& t) { t.out.dims[1].count = t.in0.dims[2].count = t.in1.dims[0].count = 0; }), kPat);
    vadd("prec_tt_illegal_op_and_bad_space", x([](TensorTensor& t) {
           t.op = AluOp::kBypass;
           t.out.space = Space::kDram;
         }),
         kIll);
    vadd("prec_tt_bad_and_shape", x([](TensorTensor& t) {
           t.in1.space = Space::kPsum, t.in1.dtype = DType::kInt8;
           t.in1.pcount = 1;
         }),
         kBad);
    vadd("prec_tt_shape_and_pattern", x([&](TensorTensor& t) {
           t.in1.dims[0].count = 17;
           t.out.offset = SB();
         }),
         kShape);
  }

  void tensor_scalar() {
    using golden::AluOp;
    using golden::TensorScalar;
    TensorScalar ts;
    ts.op0 = AluOp::kMul;
    ts.op1 = AluOp::kAdd;
    ts.s0 = imm(0x40000000u);
    ts.s1 = imm(0x3F800000u);
    ts.out = t16(Space::kSbuf, DType::kFp32, 0);
    ts.in = t16(Space::kSbuf, DType::kFp32, 64);
    const Cap c0 = golden::cap(Space::kSbuf, DType::kFp32, 0, 512);
    const Cap c1 = golden::cap(Space::kPsum, DType::kFp32, 0, 0);
    auto x = [&](const std::function<void(TensorScalar&)>& f) { return on_vec(ts, f); };
    auto ints = [](TensorScalar& t) {
      t.op0 = AluOp::kAnd;
      t.op1 = AluOp::kXor;
      t.out.dtype = t.in.dtype = DType::kInt32;
    };
    vadd("ts_immediates_ok", x({}), kOk);
    vadd("ts_cols_ok", x([&](TensorScalar& t) { t.s0 = col(c0), t.s1 = col(c1); }), kOk);
    vadd("ts_rev_ok", x([](TensorScalar& t) { t.rev0 = t.rev1 = true; }), kOk);
    vadd("ts_op0_bypass", x([](TensorScalar& t) { t.op0 = AluOp::kBypass; }), kIll);
    vadd("ts_op1_bypass_ok", x([](TensorScalar& t) { t.op1 = AluOp::kBypass; }), kOk);
    vadd("ts_op0_14", x([](TensorScalar& t) { t.op0 = static_cast<AluOp>(14); }), kIll);
    vadd("ts_op1_14", x([](TensorScalar& t) { t.op1 = static_cast<AluOp>(14); }), kIll);
    vadd("ts_int_ops_ok", x(ints), kOk);
    vadd("ts_int_then_bypass_ok", x([&](TensorScalar& t) {
           ints(t);
           t.op1 = AluOp::kBypass;
         }),
         kOk);
    vadd("ts_int_then_float", x([&](TensorScalar& t) {
           ints(t);
           t.op1 = AluOp::kAdd;
         }),
         kIll);
    vadd("ts_float_then_int", x([](TensorScalar& t) { t.op1 = AluOp::kOr; }), kIll);
    vadd("ts_int_on_bf16", x([&](TensorScalar& t) {
           ints(t);
           t.in.dtype = DType::kBf16;
         }),
         kBad);
    vadd("ts_int_s0_cap_fp32", x([&](TensorScalar& t) {
           ints(t);
           t.s0 = col(c0);
         }),
         kBad);
    vadd("ts_int_s1_cap_int8_ok", x([&](TensorScalar& t) {
           ints(t);
           t.s1 = col(golden::cap(Space::kSbuf, DType::kInt8, 0, 1023));
         }),
         kOk);
    vraw("ts_s0_imm_and_cap", words(x([&](TensorScalar& t) { t.s0 = col(c0); }), 3, 0, 1), kIll);
    vraw("ts_s1_cap_without_col", words(x({}), 14, 0, cap_word(c0)), kIll);
    vraw("ts_s0_cap_without_col_space_0", words(x({}), 13, 0, 1u << 24), kIll);
    vadd("ts_s0_col_cap_absent", x([](TensorScalar& t) { t.s0 = col(Cap{}); }), kIll);
    vraw("ts_s1_cap_dtype_7", words(x([&](TensorScalar& t) { t.s1 = col(c1); }), 14, 0x003C0000u, 7u << 18), kIll);
    vraw("ts_w15_nonzero", words(x({}), 15, 0, 1u << 22), kIll);
    vraw("ts_w2_bit12", words(x({}), 2, 0, 1u << 12), kIll);
    vadd("ts_s0_cap_in_dram", x([&](TensorScalar& t) { t.s0 = col(golden::cap(Space::kDram, DType::kFp32, 0, 0)); }),
         kBad);
    vadd("ts_s1_cap_psum_int8", x([&](TensorScalar& t) { t.s1 = col(golden::cap(Space::kPsum, DType::kInt8, 0, 0)); }),
         kBad);
    vadd("ts_out_psum_fp8", x([](TensorScalar& t) { t.out.space = Space::kPsum, t.out.dtype = DType::kFp8; }), kBad);
    vadd("ts_free_differs", x([](TensorScalar& t) { t.in.dims[0].count = 15; }), kShape);
    vadd("ts_pcount_differs", x([](TensorScalar& t) { t.in.pcount = 1; }), kShape);
    vadd("ts_cap_at_sbuf_end_ok",
         x([&](TensorScalar& t) { t.s0 = col(golden::cap(Space::kSbuf, DType::kFp32, 0, SB() - 4)); }), kOk);
    vadd("ts_cap_bf16_at_sbuf_end_ok",
         x([&](TensorScalar& t) { t.s1 = col(golden::cap(Space::kSbuf, DType::kBf16, 0, SB() - 2)); }), kOk);
    vadd("ts_cap_fp32_half_past_sbuf_end",
         x([&](TensorScalar& t) { t.s0 = col(golden::cap(Space::kSbuf, DType::kFp32, 0, SB() - 2)); }), kPat);
    vadd("ts_cap_int8_past_sbuf_end",
         x([&](TensorScalar& t) { t.s1 = col(golden::cap(Space::kSbuf, DType::kInt8, 0, SB())); }), kPat);
    vadd("ts_cap_lanes_past_P", x([&](TensorScalar& t) { t.s0 = col(golden::cap(Space::kSbuf, DType::kFp32, 1, 0)); }),
         kPat);
    vadd("ts_cap_last_partition_ok", x([&](TensorScalar& t) {
           t.out.pstart = t.in.pstart = 0;
           t.out.pcount = t.in.pcount = 1;
           t.s0 = col(golden::cap(Space::kSbuf, DType::kFp32, P() - 1, 0));
         }),
         kOk);
    vadd("ts_cap_partition_P", x([&](TensorScalar& t) {
           t.out.pcount = t.in.pcount = 1;
           t.s0 = col(golden::cap(Space::kSbuf, DType::kFp32, P(), 0));
         }),
         kPat);
    vadd("ts_cap_misaligned", x([&](TensorScalar& t) { t.s1 = col(golden::cap(Space::kSbuf, DType::kFp32, 0, 514)); }),
         kPat);
    vadd("ts_cap_psum_end_ok",
         x([&](TensorScalar& t) { t.s1 = col(golden::cap(Space::kPsum, DType::kInt32, 0, PB() - 4)); }), kOk);
    vadd("ts_cap_past_psum_end",
         x([&](TensorScalar& t) { t.s1 = col(golden::cap(Space::kPsum, DType::kFp32, 0, PB())); }), kPat);
    vadd("prec_ts_mixed_ops_and_bad_dtype", x([](TensorScalar& t) {
           t.op0 = AluOp::kAnd;
           t.in.dtype = DType::kBf16;
         }),
         kIll);
    vadd("prec_ts_cap_kind_and_shape", x([&](TensorScalar& t) {
           t.s0 = col(golden::cap(Space::kDram, DType::kFp32, 0, 0));
           t.in.pcount = 1;
         }),
         kBad);
    vadd("prec_ts_shape_and_cap_pattern", x([&](TensorScalar& t) {
           t.s0 = col(golden::cap(Space::kSbuf, DType::kFp32, 0, SB()));
           t.in.dims[0].count = 15;
         }),
         kShape);
  }

  void tensor_reduce() {
    using golden::AluOp;
    using golden::TensorReduce;
    TensorReduce tr;
    tr.op = AluOp::kAdd;
    tr.nred = 1;
    tr.in = golden::tap(Space::kSbuf, DType::kFp32, 0, P(), 0, {{8, 1}, {4, 8}, {2, 32}});  // kept n1*n2 = 8
    tr.out = golden::tap(Space::kSbuf, DType::kFp32, 0, P(), 512, {{8, 1}});
    auto x = [&](const std::function<void(TensorReduce&)>& f) { return on_vec(tr, f); };
    auto out_n = [](TensorReduce& t, std::uint32_t n) { t.out.dims = {{{n, 1}, {1, 0}, {1, 0}}}; };
    vadd("tr_nred1_ok", x({}), kOk);
    vadd("tr_nred2_ok", x([&](TensorReduce& t) {
           t.nred = 2;
           out_n(t, 2);
         }),
         kOk);
    vadd("tr_nred3_ok", x([&](TensorReduce& t) {
           t.nred = 3;
           out_n(t, 1);
         }),
         kOk);
    vadd("tr_nred1_out_other_factors_ok", x([](TensorReduce& t) { t.out.dims = {{{2, 1}, {1, 0}, {4, 2}}}; }), kOk);
    vadd("tr_nred1_kept_off_by_one", x([&](TensorReduce& t) { out_n(t, 9); }), kShape);
    vadd("tr_nred1_out_is_n0n1", x([&](TensorReduce& t) { out_n(t, 32); }), kShape);
    vadd("tr_nred2_out_is_n1n2", x([](TensorReduce& t) { t.nred = 2; }), kShape);
    vadd("tr_nred3_out_2", x([&](TensorReduce& t) {
           t.nred = 3;
           out_n(t, 2);
         }),
         kShape);
    vadd("tr_nred0", x([](TensorReduce& t) { t.nred = 0; }), kIll);
    vadd("tr_op_min_ok", x([](TensorReduce& t) { t.op = AluOp::kMin; }), kOk);
    vadd("tr_op_max_int_ok", x([](TensorReduce& t) { t.op = AluOp::kMax, t.in.dtype = DType::kInt8; }), kOk);
    vadd("tr_op_mul", x([](TensorReduce& t) { t.op = AluOp::kMul; }), kIll);
    vadd("tr_op_sub", x([](TensorReduce& t) { t.op = AluOp::kSub; }), kIll);
    vadd("tr_op_and", x([](TensorReduce& t) { t.op = AluOp::kAnd; }), kIll);
    vadd("tr_op_14", x([](TensorReduce& t) { t.op = static_cast<AluOp>(14); }), kIll);
    vraw("tr_w12_nonzero", words(x({}), 12, 0, 1), kIll);
    vraw("tr_w2_bit6", words(x({}), 2, 0, 1u << 6), kIll);
    vraw("tr_w3_nonzero", words(x({}), 3, 0, 1u << 31), kIll);
    vadd("tr_pcount_differs", x([](TensorReduce& t) { t.out.pcount = 1; }), kShape);
    vadd("tr_out_psum_bf16", x([](TensorReduce& t) { t.out.space = Space::kPsum, t.out.dtype = DType::kBf16; }), kBad);
    vadd("tr_in_psum_fp32_ok", x([](TensorReduce& t) { t.in.space = Space::kPsum; }), kOk);
    // The largest kept product, n1*n2 = 4095^2, and one that differs from it in n2.
    auto big = [&](std::uint32_t out_n2) {
      return x([=](TensorReduce& t) {
        t.in.dims = {{{1, 0}, {4095, 0}, {4095, 0}}};
        t.out.dims = {{{4095, 0}, {4095, 0}, {out_n2, 0}}};
      });
    };
    vadd("tr_kept_4095x4095_ok", big(1), kOk);
    vadd("tr_kept_4095x4095_wrong", big(2), kShape);
    vadd("tr_in_zero_count", x([](TensorReduce& t) { t.in.dims[0].count = 0; }), kPat);  // kept n1*n2 unchanged
    vadd("tr_in_zero_kept_count", x([&](TensorReduce& t) {
           t.in.dims[2].count = 0;
           out_n(t, 0);
         }),
         kPat);
    vadd("tr_out_lanes_past_P", x([](TensorReduce& t) { t.out.pstart = 1; }), kPat);
    vadd("prec_tr_bad_and_kept_wrong", x([&](TensorReduce& t) {
           t.in.space = Space::kDram;
           out_n(t, 9);
         }),
         kBad);
    vadd("prec_tr_kept_wrong_and_pattern", x([&](TensorReduce& t) {
           out_n(t, 9);
           t.in.offset = SB();
         }),
         kShape);
  }

  void copy_iota_select() {
    using golden::Copy;
    using golden::Iota;
    using golden::Select;
    const Tap o = t16(Space::kSbuf, DType::kFp32, 0), i8 = t16(Space::kSbuf, DType::kInt8, 256);
    const Copy cp{o, i8};
    auto cx = [&](const std::function<void(Copy&)>& f) { return on_vec(cp, f); };
    vadd("copy_int8_to_fp32_ok", cx({}), kOk);
    vadd("copy_in_psum_int32_ok", cx([&](Copy& c) { c.in = t16(Space::kPsum, DType::kInt32, 0); }), kOk);
    vadd("copy_out_psum_bf16", cx([&](Copy& c) { c.out = t16(Space::kPsum, DType::kBf16, 0); }), kBad);
    vadd("copy_in_dram", cx([](Copy& c) { c.in.space = Space::kDram; }), kBad);
    vadd("copy_free_differs", cx([](Copy& c) { c.in.dims[1].count = 2; }), kShape);
    vadd("copy_pcount_differs", cx([&](Copy& c) { c.in.pcount = P() + 1; }), kShape);
    vraw("copy_w12_nonzero", words(cx({}), 12, 0, 1u << 22), kIll);
    vraw("copy_w2_nonzero", words(cx({}), 2, 0, 1), kIll);
    vraw("copy_w3_nonzero", words(cx({}), 3, 0, 1), kIll);
    vraw("copy_out_absent", words(cx({}), 4, 0x00C00000u, 0), kIll);
    vadd("copy_out_misaligned", cx([](Copy& c) { c.out.offset = 2; }), kPat);
    vadd("copy_in_negative_stride_to_0_ok", cx([](Copy& c) { c.in.offset = 15, c.in.dims[0].stride = -1; }), kOk);
    vadd("copy_in_negative_stride_below_0", cx([](Copy& c) { c.in.offset = 14, c.in.dims[0].stride = -1; }), kPat);

    Iota io;
    io.out = o;
    io.base = -5;
    io.step = 3;
    io.pstep = 100;
    auto ix = [&](const std::function<void(Iota&)>& f) { return on_vec(io, f); };
    vadd("iota_ok", ix({}), kOk);
    vadd("iota_int8_psum", ix([](Iota& t) { t.out.space = Space::kPsum, t.out.dtype = DType::kInt8; }), kBad);
    vadd("iota_out_dram", ix([](Iota& t) { t.out.space = Space::kDram; }), kBad);
    vraw("iota_w8_nonzero", words(ix({}), 8, 0, 1u << 22), kIll);
    vraw("iota_w11_nonzero", words(ix({}), 11, 0, 1), kIll);
    vraw("iota_w14_nonzero", words(ix({}), 14, 0, 1u << 31), kIll);
    vraw("iota_w15_nonzero", words(ix({}), 15, 0, 1), kIll);
    vraw("iota_w2_nonzero", words(ix({}), 2, 0, 1u << 4), kIll);
    vadd("iota_out_pcount_0", ix([](Iota& t) { t.out.pcount = 0; }), kPat);
    vadd("iota_out_pcount_above_P", ix([&](Iota& t) { t.out.pcount = P() + 1; }), kPat);
    vadd("iota_out_past_sbuf_end", ix([&](Iota& t) { t.out.offset = SB() - 60; }), kPat);
    add("iota_on_dma0", insn(golden::engine::dma(0), io), kIll);

    const Select se{o, t16(Space::kSbuf, DType::kFp32, 64), i8};
    auto sx = [&](const std::function<void(Select&)>& f) { return on_vec(se, f); };
    vadd("select_ok", sx({}), kOk);
    vraw("select_mask_absent", words(sx({}), 12, 0x00C00000u, 0), kIll);
    vraw("select_w2_nonzero", words(sx({}), 2, 0, 1u << 31), kIll);
    vadd("select_mask_free_differs", sx([](Select& s) { s.mask.dims[2].count = 2; }), kShape);
    vadd("select_mask_pcount_differs", sx([](Select& s) { s.mask.pcount = 1; }), kShape);
    vadd("select_in_free_differs", sx([](Select& s) { s.in.dims[0].count = 8; }), kShape);
    vadd("select_mask_psum_fp8", sx([](Select& s) { s.mask.space = Space::kPsum, s.mask.dtype = DType::kFp8; }), kBad);
    vadd("select_mask_negative_stride_below_0", sx([](Select& s) { s.mask.offset = 0, s.mask.dims[0].stride = -1; }),
         kPat);
    vadd("select_mask_lanes_past_P", sx([](Select& s) { s.mask.pstart = 1; }), kPat);
  }

  void activate() {
    using golden::AccOp;
    using golden::ActFunc;
    using golden::Activate;
    Activate ac;
    ac.out = t16(Space::kSbuf, DType::kFp32, 0);
    ac.in = t16(Space::kSbuf, DType::kFp32, 64);
    const Cap acc = golden::cap(Space::kSbuf, DType::kFp32, 0, 1024);
    auto x = [&](const std::function<void(Activate&)>& f) { return on_vec(ac, f); };
    auto with_acc = [&](Activate& a) { a.acc = AccOp::kAdd, a.acc_out = acc; };
    vadd("act_identity_ok", x({}), kOk);
    vadd("act_exp_ok", x([](Activate& a) { a.func = ActFunc::kExp; }), kOk);
    vadd("act_rsqrt_ok", x([](Activate& a) { a.func = ActFunc::kRsqrt; }), kOk);
    vadd("act_table_slot3_ok", x([](Activate& a) { a.func = ActFunc::kTable, a.table = 3; }), kOk);
    vadd("act_sqrt_ok", x([](Activate& a) { a.func = ActFunc::kSqrt; }), kOk);
    vadd("act_log_ok", x([](Activate& a) { a.func = ActFunc::kLog; }), kOk);
    vadd("act_func_8", x([](Activate& a) { a.func = static_cast<ActFunc>(8); }), kIll);
    vadd("act_func_15", x([](Activate& a) { a.func = static_cast<ActFunc>(15); }), kIll);
    vadd("act_slot_without_table", x([](Activate& a) { a.func = ActFunc::kExp, a.table = 2; }), kIll);
    vadd("act_integer_dtypes_ok", x([](Activate& a) { a.out.dtype = DType::kInt8, a.in.dtype = DType::kInt32; }), kOk);
    vadd("act_acc_add_ok", x(with_acc), kOk);
    vadd("act_acc_max_bf16_cap_ok", x([&](Activate& a) {
           a.acc = AccOp::kMax;
           a.acc_out = golden::cap(Space::kSbuf, DType::kBf16, 0, 1026);
         }),
         kOk);
    vadd("act_acc_without_cap", x([](Activate& a) { a.acc = AccOp::kMin; }), kIll);
    vadd("act_cap_without_acc", x([&](Activate& a) { a.acc_out = acc; }), kIll);
    vraw("act_acc_cap_dtype_0", words(x(with_acc), 15, 0x003C0000u, 0), kIll);
    vraw("act_w15_bits_without_space", words(x({}), 15, 0, 4), kIll);
    vraw("act_acc_w15_bits_without_space", words(x([](Activate& a) { a.acc = AccOp::kAdd; }), 15, 0, 4), kIll);
    vadd("act_scale_bias_cols_ok", x([&](Activate& a) {
           a.scale = col(golden::cap(Space::kSbuf, DType::kFp32, 0, 2048));
           a.bias = col(golden::cap(Space::kPsum, DType::kFp32, 0, 4));
         }),
         kOk);
    vraw("act_scale_imm_and_cap",
         words(x([&](Activate& a) { a.scale = col(golden::cap(Space::kSbuf, DType::kFp32, 0, 2048)); }), 3, 0,
               0x3F800000u),
         kIll);
    vraw("act_bias_cap_without_col", words(x({}), 14, 0, cap_word(acc)), kIll);
    vadd("act_bias_col_absent", x([](Activate& a) { a.bias = col(Cap{}); }), kIll);
    vadd("act_acc_cap_dram", x([&](Activate& a) {
           with_acc(a);
           a.acc_out.space = Space::kDram;
         }),
         kBad);
    vadd("act_acc_cap_psum_bf16", x([&](Activate& a) {
           with_acc(a);
           a.acc_out = golden::cap(Space::kPsum, DType::kBf16, 0, 0);
         }),
         kBad);
    vadd("act_scale_cap_psum_int8",
         x([&](Activate& a) { a.scale = col(golden::cap(Space::kPsum, DType::kInt8, 0, 0)); }), kBad);
    vadd("act_out_dram", x([](Activate& a) { a.out.space = Space::kDram; }), kBad);
    vadd("act_free_differs", x([](Activate& a) { a.in.dims[0].count = 17; }), kShape);
    vadd("act_pcount_differs", x([](Activate& a) { a.out.pcount = 1; }), kShape);
    vadd("act_acc_cap_at_sbuf_end_ok", x([&](Activate& a) {
           with_acc(a);
           a.acc_out.offset = SB() - 4;
         }),
         kOk);
    vadd("act_acc_cap_past_sbuf_end", x([&](Activate& a) {
           with_acc(a);
           a.acc_out.offset = SB();
         }),
         kPat);
    vadd("act_acc_cap_lanes_past_P", x([&](Activate& a) {
           with_acc(a);
           a.acc_out.pstart = 1;
         }),
         kPat);
    vadd("act_bias_cap_misaligned",
         x([&](Activate& a) { a.bias = col(golden::cap(Space::kSbuf, DType::kBf16, 0, 1)); }), kPat);
    vadd("act_acc_cap_psum_end_ok", x([&](Activate& a) {
           with_acc(a);
           a.acc_out = golden::cap(Space::kPsum, DType::kInt32, 0, PB() - 4);
         }),
         kOk);
    vadd("act_acc_cap_past_psum_end", x([&](Activate& a) {
           with_acc(a);
           a.acc_out = golden::cap(Space::kPsum, DType::kInt32, 0, PB());
         }),
         kPat);
    vadd("act_scale_cap_last_partition_ok", x([&](Activate& a) {
           a.out.pcount = a.in.pcount = 2;
           a.scale = col(golden::cap(Space::kSbuf, DType::kFp32, P() - 2, 0));
         }),
         kOk);
    vadd("act_scale_cap_one_partition_past_P", x([&](Activate& a) {
           a.out.pcount = a.in.pcount = 2;
           a.scale = col(golden::cap(Space::kSbuf, DType::kFp32, P() - 1, 0));
         }),
         kPat);
    vraw("act_w2_bit10", words(x({}), 2, 0, 1u << 10), kIll);
    vadd("prec_act_acc_mismatch_and_cap_kind", x([&](Activate& a) {
           a.acc_out = acc;
           a.acc_out.space = Space::kDram;
         }),
         kIll);
    vadd("prec_act_cap_kind_and_shape", x([&](Activate& a) {
           with_acc(a);
           a.acc_out.space = Space::kDram;
           a.in.dims[0].count = 17;
         }),
         kBad);
    vadd("prec_act_shape_and_cap_pattern", x([&](Activate& a) {
           with_acc(a);
           a.acc_out.offset = SB();
           a.in.dims[0].count = 17;
         }),
         kShape);
  }

  void table_load() {
    using golden::TableLoad;
    const TableLoad tl{2, golden::tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{16, 1}})};  // 8 + 4 * 2 words
    auto x = [&](const std::function<void(TableLoad&)>& f) { return on_vec(tl, f); };
    vadd("table_load_ok", x({}), kOk);
    vadd("table_load_last_partition_ok", x([&](TableLoad& t) { t.in.pstart = P() - 1; }), kOk);
    vadd("table_load_bad_length_is_not_static", x([](TableLoad& t) { t.in.dims[0].count = 7; }), kOk);
    vadd("table_load_psum", x([](TableLoad& t) { t.in.space = Space::kPsum; }), kBad);
    vadd("table_load_bf16", x([](TableLoad& t) { t.in.dtype = DType::kBf16; }), kBad);
    vadd("table_load_int32", x([](TableLoad& t) { t.in.dtype = DType::kInt32; }), kBad);
    vadd("table_load_dram", x([](TableLoad& t) { t.in.space = Space::kDram; }), kBad);
    vadd("table_load_pcount_2", x([](TableLoad& t) { t.in.pcount = 2; }), kShape);
    vadd("table_load_pcount_0", x([](TableLoad& t) { t.in.pcount = 0; }), kShape);
    vadd("table_load_partition_P", x([&](TableLoad& t) { t.in.pstart = P(); }), kPat);
    vadd("table_load_past_sbuf_end", x([&](TableLoad& t) { t.in.offset = SB() - 60; }), kPat);
    vraw("table_load_w4_nonzero", words(x({}), 4, 0, 1u << 22), kIll);
    vraw("table_load_w2_bit2", words(x({}), 2, 0, 1u << 2), kIll);
    vraw("table_load_w3_nonzero", words(x({}), 3, 0, 1), kIll);
    vraw("table_load_w12_nonzero", words(x({}), 12, 0, 1), kIll);
    vraw("table_load_in_absent", words(x({}), 8, 0x00C00000u, 0), kIll);
    add("table_load_on_seq", insn(golden::engine::kSeq, tl), kIll);
    vadd("prec_table_load_psum_and_pcount", x([](TableLoad& t) { t.in.space = Space::kPsum, t.in.pcount = 2; }), kBad);
    vadd("prec_table_load_pcount_and_pattern", x([&](TableLoad& t) { t.in.pcount = 2, t.in.offset = SB(); }), kShape);

    // NOP on VEC with a wait.
    golden::Instruction nop = insn(golden::engine::kVec, golden::Nop{});
    nop.sync = golden::Sync{true, 3, 1, true, 4};
    vadd("nop_vec_waits_and_signals", nop, kOk);
  }
};

}  // namespace systole::verif::seq
