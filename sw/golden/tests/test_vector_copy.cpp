// COPY, IOTA and SELECT against the element-loop references of vector_ref.hpp, plus values worked
// out by hand from docs/isa.md and docs/numerics.md section 4.
#include "vector_ref.hpp"

using namespace isaref;

namespace {

// One random COPY/SELECT-shaped case: out injective in region 0, in (and mask) anywhere else.
struct Shape {
  std::optional<Tap> out, in, mask;
};
Shape rand_shape(Rng& r, DType to, DType ti, std::optional<DType> tm) {
  const std::uint32_t P = kCfg.partitions, L = 1 + r.below(P), n = 1 + r.below(48);
  auto lane0 = [&] { return r.below(P - L + 1); };
  Shape s;
  s.out = rand_tap(r, region(rand_space(r, to), 0), to, lane0(), L, split3(r, n), true);
  const bool in_place = !tm && to == ti && r.coin(20);
  s.in = in_place ? s.out : rand_tap(r, region(rand_space(r, ti), 1), ti, lane0(), L, split3(r, n), r.coin());
  if (tm) s.mask = rand_tap(r, region(rand_space(r, *tm), 2), *tm, lane0(), L, split3(r, n), r.coin());
  return s;
}

}  // namespace

// ---- COPY ----------------------------------------------------------------------------------------------

TEST(Copy, EveryDtypePairRandomPatterns) {
  Rig g(11);
  for (DType ti : kAllTypes) {
    for (DType to : kAllTypes) {
      for (int k = 0; k < 8;) {
        const Shape s = rand_shape(g.r, to, ti, std::nullopt);
        if (!s.out || !s.in) continue;
        scramble(g.m, g.r);
        fill(g.m, region(s.in->space, s.in == s.out ? 0 : 1), ti, g.r);
        ProgramBuilder b(kCfg);
        b.copy(*s.out, *s.in);
        b.end();
        g.run(
            b, [&](Shadow& sh) { ref_copy(sh, *s.out, *s.in); },
            fmt::format("{} -> {}: out {} in {}", dtype_name(ti), dtype_name(to), describe(*s.out), describe(*s.in)));
        if (HasFailure()) return;
        ++k;
      }
    }
  }
}

TEST(Copy, IntegerPathVersusFp32Path) {
  Rig g(12);
  const std::vector<std::uint32_t> in32 = {0x01000001, 0xFEFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFF80, 0x00000081};
  poke(g.m, Space::kSbuf, 0, 0, DType::kInt32, in32);
  const Tap in = tap(Space::kSbuf, DType::kInt32, 0, 1, 0, {{6, 1}});
  auto copy_to = [&](DType to) {
    const Tap out = tap(Space::kSbuf, to, 1, 1, 256, {{6, 1}});
    ProgramBuilder b(kCfg);
    b.copy(out, in);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_copy(s, out, in); }, fmt::format("int32 -> {}", dtype_name(to)));
    return peek(g.m, Space::kSbuf, 1, 256, to, 6);
  };
  // int32 -> int32 is exact (16777217 survives); -> int8 saturates; the others round through fp32.
  EXPECT_EQ(copy_to(DType::kInt32), in32);
  EXPECT_EQ(copy_to(DType::kInt8), hex({0x7F, 0x80, 0x7F, 0x80, 0x80, 0x7F}));
  EXPECT_EQ(copy_to(DType::kFp32), hex({0x4B800000, 0xCB800000, 0x4F000000, 0xCF000000, 0xC3000000, 0x43010000}));
  EXPECT_EQ(copy_to(DType::kBf16), hex({0x4B80, 0xCB80, 0x4F00, 0xCF00, 0xC300, 0x4301}));
  EXPECT_EQ(copy_to(DType::kFp8), hex({0x7E, 0xFE, 0x7E, 0xFE, 0xF0, 0x70}));

  // Through fp32 means two roundings: 2^24 + 2^16 + 1 ties to 2^24 + 2^16 in fp32, which ties to
  // 2^24 in bf16 (a direct rounding would give 2^24 + 2^17 = 0x4B81).
  poke(g.m, Space::kSbuf, 0, 0, DType::kInt32, {0x01010001});
  const Tap one = tap(Space::kSbuf, DType::kInt32, 0, 1, 0, {{1, 1}});
  const Tap bf = tap(Space::kSbuf, DType::kBf16, 0, 1, 64, {{1, 1}});
  ProgramBuilder twice(kCfg);
  twice.copy(bf, one);
  twice.end();
  g.run(
      twice, [&](Shadow& s) { ref_copy(s, bf, one); }, "int32 -> bf16 double rounding");
  EXPECT_EQ(peek(g.m, Space::kSbuf, 0, 64, DType::kBf16, 1)[0], 0x4B80u);

  // int8 -> int32 sign-extends; the fp32 path of the same bytes gives the same value as a float.
  poke(g.m, Space::kSbuf, 2, 0, DType::kInt8, {0x80, 0xFF, 0x7F, 0x00});
  const Tap in8 = tap(Space::kSbuf, DType::kInt8, 2, 1, 0, {{4, 1}});
  const Tap out32 = tap(Space::kPsum, DType::kInt32, 2, 1, 0, {{4, 1}});
  ProgramBuilder b(kCfg);
  b.copy(out32, in8);
  b.end();
  g.run(
      b, [&](Shadow& s) { ref_copy(s, out32, in8); }, "int8 -> int32");
  EXPECT_EQ(peek(g.m, Space::kPsum, 2, 0, DType::kInt32, 4), hex({0xFFFFFF80, 0xFFFFFFFF, 0x7F, 0x0}));

  // Float to float also goes through fp32: denormals flush, NaNs become canonical.
  poke(g.m, Space::kSbuf, 3, 0, DType::kBf16, {0x0001, 0x8040, 0xFFC1, 0x7F80, 0x3F81});
  const Tap inb = tap(Space::kSbuf, DType::kBf16, 3, 1, 0, {{5, 1}});
  const Tap outb = tap(Space::kSbuf, DType::kBf16, 3, 1, 64, {{5, 1}});
  ProgramBuilder c(kCfg);
  c.copy(outb, inb);
  c.end();
  g.run(
      c, [&](Shadow& s) { ref_copy(s, outb, inb); }, "bf16 -> bf16");
  EXPECT_EQ(peek(g.m, Space::kSbuf, 3, 64, DType::kBf16, 5), hex({0x0000, 0x8000, 0x7FC0, 0x7F80, 0x3F81}));
}

TEST(Copy, WorkedConversionsOfNumericsSection7) {
  Rig g(13);
  struct Row {
    std::uint32_t in;
    DType to;
    std::uint32_t want;
  };
  const std::vector<Row> rows = {{0x3F808000, DType::kBf16, 0x3F80},      {0x3F818000, DType::kBf16, 0x3F82},
                                 {0x7F7FFFFF, DType::kBf16, 0x7F80},      {0x43E00000, DType::kFp8, 0x7E},
                                 {0x43E80000, DType::kFp8, 0x7E},         {0x43EC0000, DType::kFp8, 0x7E},
                                 {0x7F800000, DType::kFp8, 0x7E},         {0x3A800000, DType::kFp8, 0x00},
                                 {0x3AC00000, DType::kFp8, 0x01},         {0x42FF0000, DType::kInt8, 0x7F},
                                 {0x40200000, DType::kInt8, 0x02},        {0xC0600000, DType::kInt8, 0xFC},
                                 {0x7FC00000, DType::kInt8, 0x00},        {0xFFC00000, DType::kInt32, 0x0},
                                 {0x4F000000, DType::kInt32, 0x7FFFFFFF}, {0xFF800000, DType::kInt32, 0x80000000},
                                 {0xFFC00001, DType::kFp8, 0x7F},         {0x00400000, DType::kFp32, 0x0}};
  for (const Row& row : rows) {
    poke(g.m, Space::kSbuf, 0, 0, DType::kFp32, {row.in});
    ProgramBuilder b(kCfg);
    b.copy(tap(Space::kSbuf, row.to, 0, 1, 64, {{1, 1}}), tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{1, 1}}));
    b.end();
    ASSERT_TRUE(g.m.run_program(b.finish(), kProgBase).done);
    EXPECT_EQ(peek(g.m, Space::kSbuf, 0, 64, row.to, 1)[0], row.want)
        << fmt::format("{:08x} -> {}", row.in, dtype_name(row.to));
  }
}

// ---- IOTA ------------------------------------------------------------------------------------------------

TEST(Iota, RandomPatternsEveryDtype) {
  Rig g(14);
  const std::vector<std::int32_t> vals = {0,          1,           -1,         2,         -3,         7,
                                          100,        -100,        0x7FFFFFFF, INT32_MIN, 0x7FFFFFF0, 0x01000000,
                                          0x40000000, -0x40000001, 16777215,   123456789};
  int done = 0;
  for (int c = 0; done < 200; ++c) {
    const DType to = kAllTypes[c % 5];
    const std::uint32_t P = kCfg.partitions, L = 1 + g.r.below(P), n = 1 + g.r.below(64);
    const auto out =
        rand_tap(g.r, region(rand_space(g.r, to), g.r.below(4)), to, g.r.below(P - L + 1), L, split3(g.r, n), true);
    if (!out) continue;
    auto v = [&] { return g.r.coin(70) ? g.r.pick(vals) : static_cast<std::int32_t>(g.r.bits()); };
    const std::int32_t base = v(), step = v(), pstep = v();
    scramble(g.m, g.r);
    ProgramBuilder b(kCfg);
    b.iota(*out, base, step, pstep);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_iota(s, *out, base, step, pstep); },
        fmt::format("case {} base {} step {} pstep {} out {}", c, base, step, pstep, describe(*out)));
    if (HasFailure()) return;
    ++done;
  }
}

TEST(Iota, WrapsInTwosComplementThenConverts) {
  Rig g(15);
  auto iota = [&](DType to, std::int32_t base, std::int32_t step, std::int32_t pstep, std::uint32_t lanes) {
    const Tap out = tap(to == DType::kInt32 ? Space::kPsum : Space::kSbuf, to, 4, lanes, 32, {{2, 1}, {2, 2}});
    ProgramBuilder b(kCfg);
    b.iota(out, base, step, pstep);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_iota(s, out, base, step, pstep); }, "iota by hand");
    std::vector<std::uint32_t> all;
    for (std::uint32_t l = 0; l < lanes; ++l) {
      const auto v = peek(g.m, out.space, 4 + l, 32, to, 4);
      all.insert(all.end(), v.begin(), v.end());
    }
    return all;
  };
  EXPECT_EQ(iota(DType::kInt32, 0x7FFFFFFE, 1, 0, 1), hex({0x7FFFFFFE, 0x7FFFFFFF, 0x80000000, 0x80000001}));
  EXPECT_EQ(iota(DType::kInt32, 5, -2, 0x40000000, 3),
            hex({5, 3, 1, 0xFFFFFFFF, 0x40000005, 0x40000003, 0x40000001, 0x3FFFFFFF, 0x80000005, 0x80000003,
                 0x80000001, 0x7FFFFFFF}));
  EXPECT_EQ(iota(DType::kInt8, 126, 1, 0, 1), hex({0x7E, 0x7F, 0x7F, 0x7F}));
  EXPECT_EQ(iota(DType::kInt8, 0x7FFFFFFF, 1, 0, 1), hex({0x7F, 0x80, 0x80, 0x80}));  // wraps, then saturates
  EXPECT_EQ(iota(DType::kFp32, 16777215, 1, 0, 1), hex({0x4B7FFFFF, 0x4B800000, 0x4B800000, 0x4B800001}));
  EXPECT_EQ(iota(DType::kFp8, -1, 200, 0, 1), hex({0xB8, 0x74, 0x7C, 0x7E}));  // -1, 199 -> 192, 399 -> 384, 599 -> 448
}

// ---- SELECT ---------------------------------------------------------------------------------------------

namespace {
// Mask values: half of them zero in the mask's own sense.
std::uint32_t rand_mask(Rng& r, DType t) {
  if (r.coin(50)) return rand_elem(r, t);
  switch (t) {
    case DType::kFp32:
      return (r.coin() ? 0x80000000u : 0u) | (r.coin() ? 0u : static_cast<std::uint32_t>(r.bits()) & 0x7FFFFFu);
    case DType::kBf16:
      return (r.coin() ? 0x8000u : 0u) | (r.coin() ? 0u : static_cast<std::uint32_t>(r.bits()) & 0x7Fu);
    case DType::kFp8: return r.coin() ? 0x80u : 0u;
    default: return 0;
  }
}
}  // namespace

TEST(Select, RandomMasksEveryDtype) {
  Rig g(16);
  int done = 0;
  for (int c = 0; done < 300; ++c) {
    const DType to = any_type(g.r), ti = any_type(g.r), tm = kAllTypes[c % 5];
    const Shape s = rand_shape(g.r, to, ti, tm);
    if (!s.out || !s.in || !s.mask) continue;
    scramble(g.m, g.r);
    fill(g.m, region(s.out->space, 0), to, g.r);  // the old output values that unselected lanes keep
    fill(g.m, region(s.in->space, 1), ti, g.r);
    fill_with(g.m, region(s.mask->space, 2), tm, [&] { return rand_mask(g.r, tm); });
    ProgramBuilder b(kCfg);
    b.select(*s.out, *s.in, *s.mask);
    b.end();
    g.run(
        b, [&](Shadow& sh) { ref_select(sh, *s.out, *s.in, *s.mask); },
        fmt::format("case {} out {} in {} mask {}", c, describe(*s.out), describe(*s.in), describe(*s.mask)));
    if (HasFailure()) return;
    ++done;
  }
}

TEST(Select, MaskZeroRulesByHand) {
  Rig g(17);
  // Per mask dtype: mask values and which of them select (isa.md SELECT).
  struct Case {
    DType t;
    std::vector<std::uint32_t> mask;
    std::vector<bool> sel;
  };
  const std::vector<Case> cases = {
      {DType::kFp32,
       {0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x7FC00000, 0xFF800001, 0x00800000},
       {0, 0, 0, 0, 1, 1, 1}},
      {DType::kBf16, {0x0000, 0x8000, 0x0001, 0x807F, 0x7F81, 0xFFC0, 0x0080}, {0, 0, 0, 0, 1, 1, 1}},
      {DType::kFp8, {0x00, 0x80, 0x01, 0x81, 0x7F, 0xFF, 0x08}, {0, 0, 1, 1, 1, 1, 1}},  // fp8 subnormals are not zero
      {DType::kInt8, {0x00, 0x01, 0xFF, 0x80, 0x00, 0x10, 0x00}, {0, 1, 1, 1, 0, 1, 0}},
      {DType::kInt32, {0x0, 0x100, 0x80000000, 0xFFFFFF00, 0x0, 0x1, 0x0}, {0, 1, 1, 1, 0, 1, 0}},
  };
  for (const Case& c : cases) {
    poke(g.m, Space::kSbuf, 7, 0, c.t, c.mask);
    poke(g.m, Space::kSbuf, 7, 128, DType::kInt32, {10, 11, 12, 13, 14, 15, 16});
    poke(g.m, Space::kSbuf, 7, 256, DType::kFp32, std::vector<std::uint32_t>(7, 0xDEADBEEF));
    const Tap out = tap(Space::kSbuf, DType::kFp32, 7, 1, 256, {{7, 1}});
    const Tap in = tap(Space::kSbuf, DType::kInt32, 7, 1, 128, {{7, 1}});
    const Tap mask = tap(Space::kSbuf, c.t, 7, 1, 0, {{7, 1}});
    ProgramBuilder b(kCfg);
    b.select(out, in, mask);
    b.end();
    g.run(
        b, [&](Shadow& s) { ref_select(s, out, in, mask); }, fmt::format("mask {}", dtype_name(c.t)));
    const auto got = peek(g.m, Space::kSbuf, 7, 256, DType::kFp32, 7);
    for (std::size_t i = 0; i < 7; ++i) {
      const std::uint32_t want = c.sel[i] ? std::bit_cast<std::uint32_t>(static_cast<float>(10 + i)) : 0xDEADBEEFu;
      EXPECT_EQ(got[i], want) << dtype_name(c.t) << " mask element " << i;
    }
  }
}
