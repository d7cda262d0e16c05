// ACTIVATE and TABLE_LOAD against the reference of act_ref.hpp (the activation functions step by
// step from docs/numerics.md section 6, TABLE from the TABLE_LOAD words; no code shared with
// activation.cpp).
#include <cmath>
#include <vector>

#include "act_ref.hpp"
#include "systole/golden/activation.hpp"
#include "systole/golden/table_fit.hpp"
#include "vector_ref.hpp"

using namespace isaref;
using namespace isaref::act_ref;

namespace {

void ref_activate(Shadow& s, const Activate& a, const Tables& tables) {
  auto scalar = [&](const Scalar& sc, std::uint32_t l) {
    return sc.from_col ? to_f32(sc.col.dtype, s.load(cap_loc(sc.col, l))) : to_f32(DType::kFp32, sc.imm);
  };
  std::vector<f32_bits> acc(a.out.pcount, 0);
  for (std::uint32_t l = 0; l < a.out.pcount; ++l) {
    const f32_bits scale = scalar(a.scale, l), bias = scalar(a.bias, l);
    for (std::uint64_t j = 0; j < free_size(a.out); ++j) {
      const f32_bits x = to_f32(a.in.dtype, s.load(tap_loc(a.in, l, j)));
      const f32_bits y = doc_func(a, tables, add(mul(x, scale), bias));
      s.store(tap_loc(a.out, l, j), from_f32(a.out.dtype, y));
      if (j == 0) {
        acc[l] = y;
      } else if (a.acc != AccOp::kNone) {
        acc[l] =
            a.acc == AccOp::kAdd ? add(acc[l], y) : (a.acc == AccOp::kMax ? ref_max(acc[l], y) : ref_min(acc[l], y));
      }
    }
  }
  // isa.md: the acc CAP after every element of out, in every lane.
  if (a.acc != AccOp::kNone) {
    for (std::uint32_t l = 0; l < a.out.pcount; ++l) s.store(cap_loc(a.acc_out, l), from_f32(a.acc_out.dtype, acc[l]));
  }
}

// A random piecewise polynomial with normal fp32 coefficients.
act::Table rand_table(Rng& r) {
  auto normal = [&] {
    return (r.coin() ? kSign : 0u) | ((120u + r.below(12)) << 23) | (static_cast<std::uint32_t>(r.bits()) & 0x7FFFFFu);
  };
  act::Table t;
  t.nseg = 1 + r.below(64);
  t.degree = r.below(4);
  t.left_linear = r.coin();
  t.right_linear = r.coin();
  t.exp2 = r.coin();
  t.mul_x = r.coin();
  t.left_final = r.coin();
  t.right_final = r.coin();
  t.lo = bits(-static_cast<float>(1 + r.below(8)));
  t.inv_w = bits(static_cast<float>(t.nseg) / static_cast<float>(2 + r.below(14)));
  t.left_a = normal();
  t.left_b = normal();
  t.right_a = normal();
  t.right_b = normal();
  t.coef.resize(t.nseg);
  for (auto& c : t.coef) {
    for (auto& v : c) v = normal();
  }
  return t;
}

// A fitted table of the kind the driver loads: log2 sigmoid on [-17, 16) with the post-operation
// x * 2^T and a final -0 left rule (as the driver's silu, with another left rule).
act::Table smooth_table() {
  act::Table t = act::fit_table(
      [](double x) { return (x < 0 ? x - std::log1p(std::exp(x)) : -std::log1p(std::exp(-x))) / std::log(2.0); }, -17.0,
      16.0, 64, 3, act::Boundary::constant(-0.0), act::Boundary::constant(0.0));
  t.exp2 = true;
  t.mul_x = true;
  t.left_final = true;
  return t;
}

// TABLE_LOADs `images` into their slots, each image read through a different TAP shape.
void load_tables(Machine& m, const std::vector<std::pair<std::uint8_t, std::vector<std::uint32_t>>>& images) {
  ProgramBuilder b(kCfg);
  std::uint32_t off = 0;
  for (std::size_t k = 0; k < images.size(); ++k) {
    const auto& [slot, w] = images[k];
    const auto n = static_cast<std::uint32_t>(w.size());
    const std::uint32_t p = static_cast<std::uint32_t>(k) % kCfg.partitions;
    Tap t;
    switch (k % 3) {
      case 0:  // dense
        poke(m, Space::kSbuf, p, off, DType::kFp32, w);
        t = tap(Space::kSbuf, DType::kFp32, p, 1, off, {{n, 1}});
        break;
      case 1: {  // stored backwards, read with a negative stride
        std::vector<std::uint32_t> rev(w.rbegin(), w.rend());
        poke(m, Space::kSbuf, p, off, DType::kFp32, rev);
        t = tap(Space::kSbuf, DType::kFp32, p, 1, off + 4 * (n - 1), {{n, -1}});
        break;
      }
      default:  // every other word, as a 4 x n/4 pattern
        for (std::uint32_t i = 0; i < n; ++i) poke(m, Space::kSbuf, p, off + 8 * i, DType::kFp32, {w[i]});
        t = tap(Space::kSbuf, DType::kFp32, p, 1, off, {{4, 2}, {n / 4, 8}});
        break;
    }
    off += 8 * n;
    b.table_load(slot, t);
  }
  b.end();
  const RunResult r = m.run_program(b.finish(), kProgBase);
  ASSERT_TRUE(r.done) << error_name(r.code) << " " << r.detail;
}

f32_bits rand_scale(Rng& r) {
  if (r.coin(25)) return rand_f32(r);
  return (r.coin(20) ? kSign : 0u) | ((122u + r.below(8)) << 23) | (static_cast<std::uint32_t>(r.bits()) & 0x7FFFFFu);
}

}  // namespace

TEST(Activate, RandomEveryFuncScaleBiasAcc) {
  Rig g(21);
  Tables tables = {act::relu().to_words(), smooth_table().to_words(), rand_table(g.r).to_words(),
                   rand_table(g.r).to_words()};
  load_tables(g.m, {{0, tables[0]}, {1, tables[1]}, {2, tables[2]}, {3, tables[3]}});
  const std::uint32_t P = kCfg.partitions;
  int done = 0;
  for (int c = 0; done < 640; ++c) {
    Activate a;
    a.func = static_cast<ActFunc>(c % kNumActFuncs);
    a.table = a.func == ActFunc::kTable ? static_cast<std::uint8_t>(g.r.below(4)) : 0;
    a.acc = static_cast<AccOp>(g.r.below(4));
    const DType to = any_type(g.r), ti = g.r.coin(60) ? DType::kFp32 : any_type(g.r);
    const std::uint32_t L = 1 + g.r.below(P), n = 1 + g.r.below(40);
    const auto out = rand_tap(g.r, region(rand_space(g.r, to), 0), to, g.r.below(P - L + 1), L, split3(g.r, n), true);
    const bool in_place = out && to == ti && g.r.coin(20);
    const auto in = in_place ? out
                             : rand_tap(g.r, region(rand_space(g.r, ti), 1), ti, g.r.below(P - L + 1), L,
                                        split3(g.r, n), g.r.coin());
    if (!out || !in) continue;
    a.out = *out;
    a.in = *in;
    scramble(g.m, g.r);
    fill(g.m, region(in->space, in_place ? 0 : 1), ti, g.r);
    for (unsigned k = 0; k < 2; ++k) {
      Scalar& sc = k == 0 ? a.scale : a.bias;
      sc = Scalar{};
      if (g.r.coin(35)) {
        sc.from_col = true;
        sc.col = rand_cap(g.r, any_type(g.r), L, P, k);
        const Region q = region(sc.col.space, 3);
        fill_with(g.m, Region{q.space, q.base + k * q.bytes / 4, q.bytes / 4}, sc.col.dtype,
                  [&] { return sc.col.dtype == DType::kFp32 ? rand_scale(g.r) : rand_elem(g.r, sc.col.dtype); });
      } else {
        sc.imm = k == 0 ? rand_scale(g.r) : (g.r.coin(30) ? 0u : rand_scale(g.r));
      }
    }
    if (a.acc != AccOp::kNone) a.acc_out = rand_cap(g.r, any_type(g.r), L, P, 2);
    ProgramBuilder b(kCfg);
    b.activate(a);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_activate(s, a, tables); },
        fmt::format("case {}: {} slot {} acc {} scale {} {:#x} bias {} {:#x} out {} in {}", c, act_name(a.func),
                    a.table, acc_name(a.acc), a.scale.from_col, a.scale.imm, a.bias.from_col, a.bias.imm,
                    describe(a.out), describe(a.in)));
    if (HasFailure()) return;
    ++done;
  }
}

TEST(Activate, SpecialValuesFromTheDocument) {
  Rig g(22);
  struct Row {
    ActFunc f;
    f32_bits x, want;
  };
  const std::vector<Row> rows = {
      {ActFunc::kExp2, 0x40400000, 0x41000000},  // 2^3 exactly: r = 0 leaves p = c0 = 1
      {ActFunc::kExp2, 0x00000000, 0x3F800000},  {ActFunc::kExp2, 0xC2FC0000, 0x00800000},  // 2^-126
      {ActFunc::kExp2, 0xC2FD0000, 0x00000000},                                             // -126.5 < -126
      {ActFunc::kExp2, 0x42FE0000, 0x7F000000},  {ActFunc::kExp2, 0x43000000, 0x7F800000},  // 128 -> inf
      {ActFunc::kExp2, 0xFF800000, 0x00000000},  {ActFunc::kExp2, 0x7F800000, 0x7F800000},
      {ActFunc::kExp2, 0xFFC00123, 0x7FC00000},  {ActFunc::kExp, 0x80000000, 0x3F800000},
      {ActFunc::kExp, 0xFF800000, 0x00000000},   {ActFunc::kRecip, 0x00000000, 0x7F800000},
      {ActFunc::kRecip, 0x80000000, 0xFF800000}, {ActFunc::kRecip, 0x807FFFFF, 0xFF800000},  // DAZ: -0
      {ActFunc::kRecip, 0x7F800000, 0x00000000}, {ActFunc::kRecip, 0xFF800000, 0x80000000},
      {ActFunc::kRecip, 0x7F000000, 0x00000000}, {ActFunc::kRecip, 0xFF000000, 0x80000000},  // 2^-127 flushes
      {ActFunc::kRsqrt, 0x80000000, 0xFF800000}, {ActFunc::kRsqrt, 0x00000000, 0x7F800000},
      {ActFunc::kRsqrt, 0x7F800000, 0x00000000}, {ActFunc::kRsqrt, 0xBF800000, 0x7FC00000},
      {ActFunc::kRsqrt, 0xFF800000, 0x7FC00000}, {ActFunc::kRsqrt, 0x80000001, 0xFF800000},
      {ActFunc::kSqrt, 0x00000000, 0x00000000},  {ActFunc::kSqrt, 0x80000000, 0x80000000},  // +-0 keep the sign
      {ActFunc::kSqrt, 0x807FFFFF, 0x80000000},  {ActFunc::kSqrt, 0x7F800000, 0x7F800000},
      {ActFunc::kSqrt, 0xFF800000, 0x7FC00000},  {ActFunc::kSqrt, 0xBF800000, 0x7FC00000},
      {ActFunc::kSqrt, 0x40800000, 0x40000000},  {ActFunc::kSqrt, 0x40000000, 0x3FB504F3},  // 4 -> 2, 2 -> sqrt 2
      {ActFunc::kSqrt, 0x00800000, 0x20000000},                                             // 2^-126 -> 2^-63
      {ActFunc::kSqrt, 0x7F7FFFFF, 0x5F800000},  // 2^64: exact is 2^64 (1 - 2^-25 - ...), 0.5 ulp below
      {ActFunc::kLog, 0x3F800000, 0x00000000},   {ActFunc::kLog, 0x00000000, 0xFF800000},  // ln 1 = +0, ln 0
      {ActFunc::kLog, 0x80000000, 0xFF800000},   {ActFunc::kLog, 0x00000001, 0xFF800000},  // -0, DAZ
      {ActFunc::kLog, 0x7F800000, 0x7F800000},   {ActFunc::kLog, 0xBF800000, 0x7FC00000},
      {ActFunc::kLog, 0xFF800000, 0x7FC00000},   {ActFunc::kLog, 0x40000000, 0x3F317218},  // ln 2
      {ActFunc::kLog, 0x00800000, 0xC2AEAC50},   {ActFunc::kLog, 0x7F7FFFFF, 0x42B17218},  // ln 2^-126, ln max
      {ActFunc::kLog, 0x40490FDB, 0x3F928682}};  // ln pi, one ulp below 3F928683
  for (const Row& row : rows) {
    poke(g.m, Space::kSbuf, 5, 0, DType::kFp32, {row.x});
    Activate a;
    a.func = row.f;
    a.bias = Scalar{false, 0x80000000u, {}};  // -0, so that x = -0 stays -0
    a.in = tap(Space::kSbuf, DType::kFp32, 5, 1, 0, {{1, 1}});
    a.out = tap(Space::kSbuf, DType::kFp32, 5, 1, 64, {{1, 1}});
    ProgramBuilder b(kCfg);
    b.activate(a);
    b.end();
    ASSERT_TRUE(g.m.run_program(b.finish(), kProgBase).done);
    EXPECT_EQ(peek(g.m, Space::kSbuf, 5, 64, DType::kFp32, 1)[0], row.want)
        << fmt::format("{} {:08x}", act_name(row.f), row.x);
    EXPECT_EQ(doc_func(a, {}, row.x), row.want) << "reference " << fmt::format("{} {:08x}", act_name(row.f), row.x);
  }
}

// numerics.md section 7's TABLE post-operation rows, through ACTIVATE: a table that gives q
// everywhere (one constant segment, both rules the same constant, none final) with EXP2 and
// MUL_X returns x * 2^q rounded once.
TEST(Activate, TablePostOperationFromTheDocument) {
  struct Row {
    f32_bits m, q, want;
  };
  const std::vector<Row> rows = {
      {0x40400000, 0x40000000, 0x41400000}, {0x71800000, 0xC3480000, 0x0D800000}, {0xBFC00000, 0xC2FC0000, 0x80C00000},
      {0x3FC00000, 0xC2FE0000, 0x00000000}, {0x7F000000, 0x3F800000, 0x7F800000}, {0x7F800000, 0xC3960000, 0x00000000},
      {0x80000000, 0x43960000, 0x80000000}, {0xC1100000, 0xC2760000, 0xA24BA590}, {0x3F800000, 0x7FC00000, 0x7FC00000}};
  for (const Row& row : rows) {
    EXPECT_EQ(act::mul_exp2(row.m, row.q), row.want) << fmt::format("{:08x} x 2^{:08x}", row.m, row.q);
    EXPECT_EQ(doc_mul_exp2(row.m, row.q), row.want) << fmt::format("reference {:08x} x 2^{:08x}", row.m, row.q);
    Rig g(25);
    act::Table t;
    t.nseg = 1;
    t.degree = 0;
    t.lo = 0;
    t.inv_w = kOne;
    t.left_a = t.right_a = row.q;
    t.coef = {{row.q, 0, 0, 0}};
    t.exp2 = t.mul_x = true;
    load_tables(g.m, {{2, t.to_words()}});
    poke(g.m, Space::kSbuf, 3, 0, DType::kFp32, {row.m});
    Activate a;
    a.func = ActFunc::kTable;
    a.table = 2;
    a.bias = Scalar{false, kSign, {}};
    a.in = tap(Space::kSbuf, DType::kFp32, 3, 1, 0, {{1, 1}});
    a.out = tap(Space::kSbuf, DType::kFp32, 3, 1, 64, {{1, 1}});
    ProgramBuilder b(kCfg);
    b.activate(a);
    b.end();
    ASSERT_TRUE(g.m.run_program(b.finish(), kProgBase).done);
    EXPECT_EQ(peek(g.m, Space::kSbuf, 3, 64, DType::kFp32, 1)[0], row.want)
        << fmt::format("ACTIVATE {:08x} x 2^{:08x}", row.m, row.q);
  }
}

TEST(Activate, AccumulatesFp32BeforeConversion) {
  Rig g(23);
  auto run = [&](AccOp acc, DType to, DType acc_t, const std::vector<std::uint32_t>& x, f32_bits bias) {
    poke(g.m, Space::kSbuf, 2, 0, DType::kFp32, x);
    Activate a;
    a.acc = acc;
    a.bias = Scalar{false, bias, {}};
    a.in = tap(Space::kSbuf, DType::kFp32, 2, 1, 0, {{static_cast<std::uint32_t>(x.size()), 1}});
    a.out = tap(Space::kSbuf, to, 2, 1, 256, {{static_cast<std::uint32_t>(x.size()), 1}});
    a.acc_out = cap(Space::kSbuf, acc_t, 2, 512);
    ProgramBuilder b(kCfg);
    b.activate(a);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_activate(s, a, {}); }, "acc by hand");
    return peek(g.m, Space::kSbuf, 2, 512, acc_t, 1)[0];
  };
  const f32_bits kNegZero = kSign;
  EXPECT_EQ(run(AccOp::kAdd, DType::kFp32, DType::kFp32, {0x4B800000, kOne, kOne, 0xCB800000}, 0),
            0u);                                                                                      // left to right
  EXPECT_EQ(run(AccOp::kAdd, DType::kFp32, DType::kFp32, {kNegZero, kNegZero}, kNegZero), kNegZero);  // no +0 seed
  EXPECT_EQ(run(AccOp::kMax, DType::kFp32, DType::kFp32, {0xFF800000}, kNegZero), 0xFF800000u);
  // 0.4 three times: each output rounds to int8 0, the fp32 sum 1.2 rounds to 1.
  const f32_bits p4 = 0x3ECCCCCD;
  EXPECT_EQ(run(AccOp::kAdd, DType::kInt8, DType::kInt8, {p4, p4, p4}, 0), 1u);
  EXPECT_EQ(peek(g.m, Space::kSbuf, 2, 256, DType::kInt8, 3), hex({0, 0, 0}));
  EXPECT_EQ(run(AccOp::kAdd, DType::kBf16, DType::kBf16, {0x3F808000, 0x3F808000}, 0),
            0x4000u);  // 2.0078125 -> bf16 2.0
  EXPECT_EQ(run(AccOp::kMin, DType::kFp8, DType::kInt32, {0x40200000, 0xC0600000}, 0), 0xFFFFFFFCu);  // min -3.5 -> -4
}

// isa.md ACTIVATE: the acc CAP is written after every element of out in every lane. Lane 0's
// acc CAP (partition 1, byte 4) is also element 1 of lane 1's out: the acc value wins.
TEST(Activate, AccCapWrittenAfterEveryLanesOutput) {
  Rig g(25);
  poke(g.m, Space::kSbuf, 0, 0, DType::kFp32, {kOne, kOne, kOne});                    // lane 0: sum 3
  poke(g.m, Space::kSbuf, 1, 0, DType::kFp32, {0x40A00000, 0x40A00000, 0x40A00000});  // lane 1: 5s
  Activate a;
  a.acc = AccOp::kAdd;
  a.bias = Scalar{false, kSign, {}};
  a.in = tap(Space::kSbuf, DType::kFp32, 0, 2, 0, {{3, 1}});
  a.out = tap(Space::kSbuf, DType::kFp32, 0, 2, 64, {{3, 1}});
  a.acc_out = cap(Space::kSbuf, DType::kFp32, 1, 68);
  ProgramBuilder b(kCfg);
  b.activate(a);
  b.end();
  g.run(
      b, [&](Shadow& s) { ref_activate(s, a, {}); }, "acc CAP over out");
  EXPECT_EQ(peek(g.m, Space::kSbuf, 1, 64, DType::kFp32, 3), hex({0x40A00000, 0x40400000, 0x40A00000}));
  EXPECT_EQ(peek(g.m, Space::kSbuf, 2, 68, DType::kFp32, 1), hex({0x41700000}));  // lane 1's acc: 15
}

TEST(TableLoad, PersistsAcrossProgramsAndReloadReplaces) {
  Rig g(24);
  const auto t1 = rand_table(g.r).to_words(), t2 = rand_table(g.r).to_words(), t3 = smooth_table().to_words();
  load_tables(g.m, {{1, t1}, {2, t2}});
  Tables tables;
  auto activate_slots = [&](const std::string& what, std::optional<std::vector<std::uint32_t>> reload) {
    scramble(g.m, g.r);  // the tables live in their slots, not in SBUF
    std::vector<std::uint32_t> xs;
    for (int i = 0; i < 64; ++i) xs.push_back(bits(static_cast<float>(i - 32) * 0.37f));
    poke(g.m, Space::kSbuf, 0, 0, DType::kFp32, xs);
    ProgramBuilder b(kCfg);
    if (reload) {
      poke(g.m, Space::kSbuf, 3, 1024, DType::kFp32, *reload);
      b.table_load(1, tap(Space::kSbuf, DType::kFp32, 3, 1, 1024, {{static_cast<std::uint32_t>(reload->size()), 1}}));
    }
    std::vector<Activate> acts;
    for (std::uint8_t slot : {1, 2}) {
      Activate a;
      a.func = ActFunc::kTable;
      a.table = slot;
      a.in = tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{64, 1}});
      a.out = tap(Space::kSbuf, DType::kFp32, 0, 1, 4096u * slot, {{64, 1}});
      b.activate(a);
      acts.push_back(a);
    }
    b.end();
    g.run(
        b,
        [&](Shadow& s) {
          for (const auto& a : acts) ref_activate(s, a, tables);
        },
        what);
  };
  tables[1] = t1;
  tables[2] = t2;
  activate_slots("second program uses the tables of the first", std::nullopt);
  tables[1] = t3;
  activate_slots("slot 1 reloaded, slot 2 kept", t3);
  activate_slots("third program still sees the reloaded slot", std::nullopt);
}
