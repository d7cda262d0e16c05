// Vector instructions against independent element-loop references (vector_ref.hpp) written from
// docs/isa.md and docs/numerics.md: TENSOR_TENSOR, TENSOR_SCALAR, TENSOR_REDUCE, COPY, IOTA, SELECT.
// Every run compares all of DRAM, SBUF and PSUM, so bytes the instruction must not touch are checked too.
#include "vector_ref.hpp"

using namespace isaref;

namespace {

constexpr std::array<AluOp, 14> kTTOps = {AluOp::kAdd, AluOp::kSub, AluOp::kMul, AluOp::kMax, AluOp::kMin,
                                          AluOp::kEq,  AluOp::kNe,  AluOp::kLt,  AluOp::kLe,  AluOp::kGt,
                                          AluOp::kGe,  AluOp::kAnd, AluOp::kOr,  AluOp::kXor};
bool int_op(AluOp op) { return op == AluOp::kAnd || op == AluOp::kOr || op == AluOp::kXor; }

}  // namespace

// ---- TENSOR_TENSOR -----------------------------------------------------------------------------------

TEST(TensorTensor, RandomPatternsEveryOp) {
  Rig g(1);
  const std::uint32_t P = kCfg.partitions;
  int done = 0;
  for (int c = 0; done < 560; ++c) {
    const AluOp op = kTTOps[c % kTTOps.size()];
    auto dt = [&] { return int_op(op) ? int_type(g.r) : any_type(g.r); };
    const DType to = dt(), t0 = dt(), t1 = dt();
    const std::uint32_t L = 1 + g.r.below(P), n = 1 + g.r.below(40);
    auto lane0 = [&] { return g.r.below(P - L + 1); };
    const auto out = rand_tap(g.r, region(rand_space(g.r, to), 0), to, lane0(), L, split3(g.r, n), true);
    const bool in_place = g.r.coin(20) && out && out->dtype == t0;
    const auto in0 =
        in_place ? out : rand_tap(g.r, region(rand_space(g.r, t0), 1), t0, lane0(), L, split3(g.r, n), g.r.coin());
    const auto in1 = rand_tap(g.r, region(rand_space(g.r, t1), 2), t1, lane0(), L, split3(g.r, n), g.r.coin());
    if (!out || !in0 || !in1) continue;
    scramble(g.m, g.r);
    fill(g.m, region(in0->space, in_place ? 0 : 1), t0, g.r);
    fill(g.m, region(in1->space, 2), t1, g.r);
    ProgramBuilder b(kCfg);
    b.tensor_tensor(op, *out, *in0, *in1);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_tensor_tensor(s, op, *out, *in0, *in1); },
        fmt::format("case {} {} out {} in0 {} in1 {}", c, alu_name(op), describe(*out), describe(*in0),
                    describe(*in1)));
    if (HasFailure()) return;
    ++done;
  }
}

// Every pair of fp32 specials for every fp32 op, read through stride-0 broadcasts.
TEST(TensorTensor, Fp32SpecialsCrossProduct) {
  const std::vector<std::uint32_t> sp = {0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFF800001,
                                         0x00000001, 0x807FFFFF, 0x00800000, 0x80800000, 0x7F7FFFFF, 0xFF7FFFFF,
                                         0x3F800000, 0xBF800000, 0x3F800001, 0x33800000};
  Rig g(2);
  for (AluOp op : kTTOps) {
    if (int_op(op)) continue;
    poke(g.m, Space::kSbuf, 3, 0, DType::kFp32, sp);
    const Tap a = tap(Space::kSbuf, DType::kFp32, 3, 1, 0, {{16, 1}, {16, 0}});
    const Tap b = tap(Space::kSbuf, DType::kFp32, 3, 1, 0, {{16, 0}, {16, 1}});
    const Tap out = tap(Space::kPsum, DType::kFp32, 3, 1, 0, {{256, 1}});
    ProgramBuilder pb(kCfg);
    pb.tensor_tensor(op, out, a, b);
    pb.end();
    g.run(
        pb, [&](Shadow& s) { ref_tensor_tensor(s, op, out, a, b); }, fmt::format("specials {}", alu_name(op)));
  }
  // Spot values straight from numerics.md sections 2 and 5.
  const auto got = [&](AluOp op, std::uint32_t i, std::uint32_t j) {
    ProgramBuilder pb(kCfg);
    pb.tensor_tensor(op, tap(Space::kPsum, DType::kFp32, 0, 1, 0, {{1, 1}}),
                     tap(Space::kSbuf, DType::kFp32, 3, 1, 4 * i, {{1, 1}}),
                     tap(Space::kSbuf, DType::kFp32, 3, 1, 4 * j, {{1, 1}}));
    pb.end();
    EXPECT_TRUE(g.m.run_program(pb.finish(), kProgBase).done);
    return peek(g.m, Space::kPsum, 0, 0, DType::kFp32, 1)[0];
  };
  EXPECT_EQ(got(AluOp::kAdd, 2, 3), 0x7FC00000u);   // inf - inf
  EXPECT_EQ(got(AluOp::kAdd, 1, 1), 0x80000000u);   // -0 + -0
  EXPECT_EQ(got(AluOp::kSub, 1, 0), 0x80000000u);   // -0 - +0 = -0 + -0
  EXPECT_EQ(got(AluOp::kAdd, 6, 12), 0x3F800000u);  // denormal is zero
  EXPECT_EQ(got(AluOp::kMul, 0, 2), 0x7FC00000u);   // 0 * inf
  EXPECT_EQ(got(AluOp::kMax, 1, 0), 0x00000000u);   // -0 < +0
  EXPECT_EQ(got(AluOp::kMin, 0, 7), 0x80000000u);   // min(+0, -denormal) = -0
  EXPECT_EQ(got(AluOp::kMax, 12, 5), 0x7FC00000u);  // NaN in, canonical NaN out
  EXPECT_EQ(got(AluOp::kEq, 0, 1), 0x3F800000u);    // +0 == -0
  EXPECT_EQ(got(AluOp::kEq, 6, 0), 0x3F800000u);    // denormal == 0 after DAZ
  EXPECT_EQ(got(AluOp::kNe, 4, 4), 0x3F800000u);    // NaN != NaN
  EXPECT_EQ(got(AluOp::kGe, 4, 4), 0x00000000u);
  EXPECT_EQ(got(AluOp::kLt, 1, 0), 0x00000000u);  // -0 < +0 is false for comparisons
  EXPECT_EQ(got(AluOp::kGt, 10, 11), 0x3F800000u);
}

TEST(TensorTensor, IntegerOpsSignExtendAndSaturate) {
  Rig g(3);
  const std::vector<std::uint32_t> a32 = {0x00000180, 0x12345678, 0xFFFFFF00, 0x0000007F, 0x80000000};
  const std::vector<std::uint32_t> b8 = {0xFF, 0x0F, 0x80, 0x80, 0x01};  // -1, 15, -128, -128, 1
  poke(g.m, Space::kSbuf, 1, 0, DType::kInt32, a32);
  poke(g.m, Space::kSbuf, 1, 64, DType::kInt8, b8);
  const Tap a = tap(Space::kSbuf, DType::kInt32, 1, 1, 0, {{5, 1}});
  const Tap b = tap(Space::kSbuf, DType::kInt8, 1, 1, 64, {{5, 1}});
  auto run = [&](AluOp op, DType to) {
    const Tap out = tap(to == DType::kInt8 ? Space::kSbuf : Space::kPsum, to, 2, 1, 128, {{5, 1}});
    ProgramBuilder pb(kCfg);
    pb.tensor_tensor(op, out, a, b);
    pb.end();
    g.run(
        pb, [&](Shadow& s) { ref_tensor_tensor(s, op, out, a, b); }, fmt::format("int {}", alu_name(op)));
    return peek(g.m, out.space, 2, 128, to, 5);
  };
  // Worked by hand: int8 operands are sign-extended, the int32 result saturates into int8.
  EXPECT_EQ(run(AluOp::kAnd, DType::kInt8), hex({0x7F, 0x08, 0x80, 0x00, 0x00}));
  EXPECT_EQ(run(AluOp::kAnd, DType::kInt32), hex({0x180, 0x8, 0xFFFFFF00, 0x0, 0x0}));
  EXPECT_EQ(run(AluOp::kOr, DType::kInt8), hex({0xFF, 0x7F, 0x80, 0xFF, 0x80}));
  EXPECT_EQ(run(AluOp::kXor, DType::kInt32), hex({0xFFFFFE7F, 0x12345677, 0x00000080, 0xFFFFFFFF, 0x80000001}));
  EXPECT_EQ(run(AluOp::kXor, DType::kInt8), hex({0x80, 0x7F, 0x7F, 0xFF, 0x80}));
}

// ---- TENSOR_SCALAR ----------------------------------------------------------------------------------

TEST(TensorScalar, RandomImmediatesAndColumns) {
  Rig g(4);
  const std::uint32_t P = kCfg.partitions;
  const std::vector<AluOp> fops = {AluOp::kAdd, AluOp::kSub, AluOp::kMul, AluOp::kMax, AluOp::kMin, AluOp::kEq,
                                   AluOp::kNe,  AluOp::kLt,  AluOp::kLe,  AluOp::kGt,  AluOp::kGe};
  const std::vector<AluOp> iops = {AluOp::kAnd, AluOp::kOr, AluOp::kXor};
  int done = 0;
  for (int c = 0; done < 400; ++c) {
    const bool integer = c % 4 == 3;
    TensorScalar ts;
    ts.op0 = g.r.pick(integer ? iops : fops);
    ts.op1 = g.r.coin(25) ? AluOp::kBypass : g.r.pick(integer ? iops : fops);
    ts.rev0 = g.r.coin();
    ts.rev1 = g.r.coin();
    auto dt = [&] { return integer ? int_type(g.r) : any_type(g.r); };
    const DType to = dt(), ti = dt();
    const std::uint32_t L = 1 + g.r.below(P), n = 1 + g.r.below(40);
    const auto out = rand_tap(g.r, region(rand_space(g.r, to), 0), to, g.r.below(P - L + 1), L, split3(g.r, n), true);
    const bool in_place = g.r.coin(20) && out && to == ti;
    const auto in = in_place ? out
                             : rand_tap(g.r, region(rand_space(g.r, ti), 1), ti, g.r.below(P - L + 1), L,
                                        split3(g.r, n), g.r.coin());
    if (!out || !in) continue;
    ts.out = *out;
    ts.in = *in;
    scramble(g.m, g.r);
    fill(g.m, region(in->space, in_place ? 0 : 1), ti, g.r);
    for (unsigned k = 0; k < 2; ++k) {
      Scalar& sc = k == 0 ? ts.s0 : ts.s1;
      if (g.r.coin(40)) {
        sc.from_col = true;
        sc.col = rand_cap(g.r, dt(), L, P, k);
        const Region q = region(sc.col.space, 3);
        fill(g.m, Region{q.space, q.base + k * q.bytes / 4, q.bytes / 4}, sc.col.dtype, g.r);
      } else {
        sc.imm = integer ? rand_elem(g.r, DType::kInt32) : rand_f32(g.r);
      }
    }
    ProgramBuilder b(kCfg);
    b.tensor_scalar(ts);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_tensor_scalar(s, ts); },
        fmt::format("case {}: {} {} rev {}{} s0 {} {:#x} s1 {} {:#x} out {} in {}", c, alu_name(ts.op0),
                    alu_name(ts.op1), ts.rev0, ts.rev1, ts.s0.from_col, ts.s0.imm, ts.s1.from_col, ts.s1.imm,
                    describe(ts.out), describe(ts.in)));
    if (HasFailure()) return;
    ++done;
  }
}

TEST(TensorScalar, OperandOrderByHand) {
  Rig g(5);
  poke(g.m, Space::kSbuf, 0, 0, DType::kFp32, {0x40A00000});  // x = 5
  poke(g.m, Space::kSbuf, 4, 64, DType::kInt8, {0x02});       // s0 column = 2 (int8)
  const Tap in = tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{1, 1}});
  const Tap out = tap(Space::kSbuf, DType::kFp32, 0, 1, 32, {{1, 1}});
  auto run = [&](bool rev0, bool rev1, AluOp op1) {
    TensorScalar ts;
    ts.op0 = AluOp::kSub;
    ts.op1 = op1;
    ts.rev0 = rev0;
    ts.rev1 = rev1;
    ts.s0 = Scalar{true, 0, cap(Space::kSbuf, DType::kInt8, 4, 64)};
    ts.s1 = Scalar{false, 0x41200000, {}};  // 10
    ts.out = out;
    ts.in = in;
    ProgramBuilder b(kCfg);
    b.tensor_scalar(ts);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_tensor_scalar(s, ts); }, "by hand");
    return peek(g.m, Space::kSbuf, 0, 32, DType::kFp32, 1)[0];
  };
  EXPECT_EQ(run(false, false, AluOp::kSub), 0xC0E00000u);    // (5 - 2) - 10 = -7
  EXPECT_EQ(run(true, false, AluOp::kSub), 0xC1500000u);     // (2 - 5) - 10 = -13
  EXPECT_EQ(run(true, true, AluOp::kSub), 0x41500000u);      // 10 - (2 - 5) = 13
  EXPECT_EQ(run(false, true, AluOp::kBypass), 0x40400000u);  // 5 - 2, s1 ignored
  EXPECT_EQ(run(false, false, AluOp::kLt), 0x3F800000u);     // 3 < 10
}

TEST(TensorScalar, IntegerImmediatesAreInt32) {
  Rig g(6);
  poke(g.m, Space::kSbuf, 2, 0, DType::kInt8, {0x81, 0x7F, 0x00, 0xF0});  // -127, 127, 0, -16
  const Tap in = tap(Space::kSbuf, DType::kInt8, 2, 1, 0, {{4, 1}});
  TensorScalar ts;
  ts.op0 = AluOp::kXor;
  ts.s0 = Scalar{false, 0x00000100, {}};  // 256: only an int32 immediate changes bit 8
  ts.op1 = AluOp::kAnd;
  ts.s1 = Scalar{false, 0xFFFFFF7F, {}};  // -129
  ts.in = in;
  ts.out = tap(Space::kPsum, DType::kInt32, 5, 1, 16, {{4, 1}});
  ProgramBuilder b(kCfg);
  b.tensor_scalar(ts);
  b.end();
  g.run(
      b, [&](Shadow& s) { ref_tensor_scalar(s, ts); }, "int immediates");
  // (-127 ^ 256) & -129: 0xFFFFFE81 & 0xFFFFFF7F = 0xFFFFFE01, ...
  EXPECT_EQ(peek(g.m, Space::kPsum, 5, 16, DType::kInt32, 4), hex({0xFFFFFE01, 0x17F, 0x100, 0xFFFFFE70}));
}

// ---- TENSOR_REDUCE ----------------------------------------------------------------------------------

TEST(TensorReduce, RandomNredAndOps) {
  Rig g(7);
  const std::uint32_t P = kCfg.partitions;
  const std::array<AluOp, 3> ops = {AluOp::kAdd, AluOp::kMax, AluOp::kMin};
  int done = 0;
  for (int c = 0; done < 300; ++c) {
    const AluOp op = ops[c % 3];
    const unsigned nred = 1 + (c / 3) % 3;
    const DType to = any_type(g.r), ti = any_type(g.r);
    const std::array<std::uint32_t, 3> n{1 + g.r.below(6), 1 + g.r.below(5), 1 + g.r.below(4)};
    std::uint32_t kept = 1;
    for (unsigned d = nred; d < 3; ++d) kept *= n[d];
    const std::uint32_t L = 1 + g.r.below(P);
    const auto in = rand_tap(g.r, region(rand_space(g.r, ti), 1), ti, g.r.below(P - L + 1), L, n, g.r.coin());
    const auto out =
        rand_tap(g.r, region(rand_space(g.r, to), 0), to, g.r.below(P - L + 1), L, split3(g.r, kept), true);
    if (!in || !out) continue;
    scramble(g.m, g.r);
    fill(g.m, region(in->space, 1), ti, g.r);
    ProgramBuilder b(kCfg);
    b.tensor_reduce(op, static_cast<std::uint8_t>(nred), *out, *in);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_tensor_reduce(s, op, nred, *out, *in); },
        fmt::format("case {} {} nred {} out {} in {}", c, alu_name(op), nred, describe(*out), describe(*in)));
    if (HasFailure()) return;
    ++done;
  }
}

TEST(TensorReduce, LeftToRightFromTheFirstElement) {
  Rig g(8);
  auto reduce = [&](AluOp op, unsigned nred, const std::vector<std::uint32_t>& v, std::array<std::uint32_t, 3> n) {
    poke(g.m, Space::kSbuf, 6, 0, DType::kFp32, v);
    const auto s1 = static_cast<std::int32_t>(n[0]), s2 = static_cast<std::int32_t>(n[0] * n[1]);
    const Tap in = tap(Space::kSbuf, DType::kFp32, 6, 1, 0, {{n[0], 1}, {n[1], s1}, {n[2], s2}});
    std::uint32_t kept = 1;
    for (unsigned d = nred; d < 3; ++d) kept *= n[d];
    const Tap out = tap(Space::kPsum, DType::kFp32, 6, 1, 0, {{kept, 1}});
    ProgramBuilder b(kCfg);
    b.tensor_reduce(op, static_cast<std::uint8_t>(nred), out, in);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_tensor_reduce(s, op, nred, out, in); }, "reduce by hand");
    return peek(g.m, Space::kPsum, 6, 0, DType::kFp32, kept);
  };
  // ((2^24 + 1) + 1) - 2^24: each + rounds to even, giving +0; any other order gives 1 or 2.
  EXPECT_EQ(reduce(AluOp::kAdd, 1, {0x4B800000, 0x3F800000, 0x3F800000, 0xCB800000}, {4, 1, 1}), hex({0x0}));
  EXPECT_EQ(reduce(AluOp::kAdd, 1, {0xCB800000, 0x3F800000, 0x3F800000, 0x4B800000}, {4, 1, 1}), hex({0x40000000}));
  // No identity element: -0 + -0 stays -0 (a leading +0 would give +0).
  EXPECT_EQ(reduce(AluOp::kAdd, 1, {0x80000000, 0x80000000}, {2, 1, 1}), hex({0x80000000}));
  EXPECT_EQ(reduce(AluOp::kMax, 1, {0xFF800000}, {1, 1, 1}), hex({0xFF800000}));
  EXPECT_EQ(reduce(AluOp::kMax, 1, {0x80000000, 0x00000000, 0x80000000}, {3, 1, 1}), hex({0x00000000}));
  EXPECT_EQ(reduce(AluOp::kMin, 1, {0x3F800000, 0xFFC00001, 0xFF800000}, {3, 1, 1}), hex({0x7FC00000}));
  // Values 0..23 in a 2x3x4 pattern: nred 2 sums groups of 6, nred 3 sums everything.
  std::vector<std::uint32_t> iota24;
  for (int i = 0; i < 24; ++i) iota24.push_back(std::bit_cast<std::uint32_t>(static_cast<float>(i)));
  EXPECT_EQ(reduce(AluOp::kAdd, 2, iota24, {2, 3, 4}), hex({0x41700000, 0x424C0000, 0x42AE0000, 0x42F60000}));
  EXPECT_EQ(reduce(AluOp::kAdd, 3, iota24, {2, 3, 4}), hex({0x438A0000}));  // 276
  EXPECT_EQ(reduce(AluOp::kMax, 1, iota24, {2, 3, 4}).size(), 12u);
}
