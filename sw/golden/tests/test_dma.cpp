// DMA against a memcpy-style reference: element byte addresses from the DAP definition of
// docs/isa.md section 3 with plain nested loops, then a byte copy of element j of the source to
// element j of the destination. Every byte of DRAM, SBUF and PSUM is compared after each program.
#include "isa_ref.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/validate.hpp"

using namespace isaref;

namespace {

// Elements of a DAP in visiting order (i0 fastest, i3 slowest). DRAM: addr + (sum i_d*s_d) * size.
// On chip: partition pstart + i_p*s_p for the partition dim p = pdim, byte addr + (sum of the
// other three i_d*s_d) * size.
std::vector<Loc> dap_locs(const Dap& d) {
  std::vector<Loc> out;
  const std::int64_t sz = size_of(d.dtype);
  const auto& n = d.dims;
  const int pd = d.space == Space::kDram ? -1 : d.pdim;
  std::int64_t i[4];
  for (i[3] = 0; i[3] < n[3].count; ++i[3]) {
    for (i[2] = 0; i[2] < n[2].count; ++i[2]) {
      for (i[1] = 0; i[1] < n[1].count; ++i[1]) {
        for (i[0] = 0; i[0] < n[0].count; ++i[0]) {
          std::int64_t e = 0, p = d.pstart;
          for (int k = 0; k < 4; ++k) (k == pd ? p : e) += i[k] * n[k].stride;
          out.push_back(Loc{d.space, d.space == Space::kDram ? 0u : static_cast<std::uint32_t>(p), d.addr + e * sz,
                            static_cast<std::uint32_t>(sz)});
        }
      }
    }
  }
  return out;
}

// The DMA casts (docs/isa.md DMA): fp32 -> bf16/fp8 after the fp32 read rule (DAZ, NaN
// canonical), int32 -> int8 saturating. Same dtype: raw bytes.
std::uint32_t ref_cast(DType from, DType to, std::uint32_t v) {
  if (from == to) return v;
  if (from == DType::kInt32)
    return static_cast<std::uint8_t>(std::clamp<std::int32_t>(static_cast<std::int32_t>(v), -128, 127));
  const std::uint32_t in = num::f32_is_nan(v) ? num::kF32CanonicalNan : num::f32_daz(v);
  return to == DType::kBf16 ? num::f32_to_bf16(in) : num::f32_to_fp8(in);
}

void ref_dma(Shadow& s, const Dma& op) {
  const auto src = dap_locs(op.src), dst = dap_locs(op.dst);
  ASSERT_EQ(src.size(), dst.size());
  for (std::size_t j = 0; j < src.size(); ++j) {
    const std::uint8_t* from = s.at(src[j]);
    std::uint32_t v = 0;
    for (std::uint32_t b = 0; b < src[j].size; ++b) v |= std::uint32_t{from[b]} << (8 * b);
    v = ref_cast(op.src.dtype, op.dst.dtype, v);
    std::uint8_t* to = s.at(dst[j]);
    for (std::uint32_t b = 0; b < dst[j].size; ++b) to[b] = static_cast<std::uint8_t>(v >> (8 * b));
  }
}

std::string describe(const Dap& d) {
  std::string dims;
  for (const Dim& x : d.dims) dims += fmt::format(" {}x{}", x.count, x.stride);
  return fmt::format("{}:{} p{} addr {:#x} [{} ]", space_name(d.space), dtype_name(d.dtype), d.pstart, d.addr, dims);
}

constexpr std::uint64_t kDram = 1u << 16;  // programs at kProgBase = 0xC000
constexpr std::uint32_t kDramHalf = 0x6000;

// Random DMA programs for one configuration.
struct Gen {
  Config cfg;
  Rng r;

  std::uint32_t half_bytes(Space s) const {
    return s == Space::kDram ? kDramHalf : (s == Space::kSbuf ? cfg.sbuf_bytes : cfg.psum_bytes) / 2;
  }

  // n as up to four counts; on chip, dim 3 (partitions) stays <= P.
  std::array<std::uint32_t, 4> split4(std::uint32_t n, bool onchip) {
    std::array<std::uint32_t, 4> c{1, 1, 1, 1};
    const std::uint32_t used = 1 + r.below(4);
    std::array<std::uint32_t, 4> dims{0, 1, 2, 3};
    std::shuffle(dims.begin(), dims.end(), r.g);
    for (std::uint32_t f = 2; n > 1;) {
      if (n % f != 0) {
        ++f;
        continue;
      }
      std::uint32_t d = dims[r.below(used)];
      if (onchip && d == 3 && c[3] * f > cfg.partitions) d = dims[0] == 3 ? dims[1] : dims[0];
      if (onchip && d == 3 && c[3] * f > cfg.partitions) d = 0;
      c[d] *= f;
      n /= f;
    }
    return c;
  }

  // A DAP with these counts inside half `h` of its space; injective ones never revisit a byte.
  std::optional<Dap> dap(Space sp, DType t, const std::array<std::uint32_t, 4>& n, unsigned h, bool injective) {
    Dap d;
    d.space = sp;
    d.dtype = t;
    const bool dram = sp == Space::kDram;
    std::array<std::int32_t, 4> s{};
    if (dram) {
      s = rand_strides<4>(r, n, injective);
    } else {
      const auto f = rand_strides<3>(r, {n[0], n[1], n[2]}, injective);
      std::copy(f.begin(), f.end(), s.begin());
      const std::int32_t max_step = n[3] > 1 ? static_cast<std::int32_t>((cfg.partitions - 1) / (n[3] - 1)) : 3;
      if (max_step == 0) return std::nullopt;
      const std::int32_t mag =
          injective || n[3] == 1 ? r.range(1, std::min(max_step, 3)) : r.range(0, std::min(max_step, 3));
      s[3] = r.coin(40) ? -mag : mag;
      const std::int64_t ext = std::int64_t{n[3] - 1} * s[3];
      const std::int64_t lo = std::max<std::int64_t>(0, -ext), hi = cfg.partitions - 1 - std::max<std::int64_t>(0, ext);
      d.pstart = static_cast<std::uint32_t>(lo + r.below(static_cast<std::uint64_t>(hi - lo + 1)));
    }
    std::int64_t lo = 0, hi = 0;
    for (int k = 0; k < (dram ? 4 : 3); ++k) {
      const std::int64_t ext = std::int64_t{n[k] - 1} * s[k];
      (ext < 0 ? lo : hi) += ext;
    }
    const std::int64_t sz = size_of(t), slots = half_bytes(sp) / sz, used = hi - lo + 1;
    if (used > slots) return std::nullopt;
    const std::int64_t first = r.below(static_cast<std::uint64_t>(slots - used + 1));
    d.addr = static_cast<std::uint32_t>(h * half_bytes(sp) + (first - lo) * sz);
    for (int k = 0; k < 4; ++k) d.dims[k] = Dim{n[k], s[k]};
    // On chip, move the partition walk to a random dim half of the time (a permutation of the
    // dims keeps the pattern in range and injective; only the visiting order changes).
    if (!dram && r.coin(50)) {
      d.pdim = static_cast<std::uint8_t>(r.below(4));
      std::swap(d.dims[3], d.dims[d.pdim]);
    }
    return d;
  }

  std::optional<Dma> dma() {
    static const std::array<Space, 3> spaces = {Space::kDram, Space::kSbuf, Space::kPsum};
    const Space ss = spaces[r.below(3)], ds = spaces[r.below(3)];
    const bool psum = ss == Space::kPsum || ds == Space::kPsum;
    const DType t = psum ? (r.coin() ? DType::kFp32 : DType::kInt32) : kAllTypes[r.below(kAllTypes.size())];
    // A quarter of the DMAs with a 4-byte source and a destination outside PSUM cast.
    DType td = t;
    if (ds != Space::kPsum && (t == DType::kFp32 || t == DType::kInt32) && r.coin(25)) {
      td = t == DType::kInt32 ? DType::kInt8 : (r.coin() ? DType::kBf16 : DType::kFp8);
    }
    const std::uint32_t n = 1 + r.below(r.coin(70) ? 64 : 256);
    const unsigned sh = r.below(2), dh = ss == ds ? 1 - sh : r.below(2);  // same space: other half
    const auto src = dap(ss, t, split4(n, ss != Space::kDram), sh, r.coin(50));
    const auto dst = dap(ds, td, split4(n, ds != Space::kDram), dh, true);
    if (!src || !dst) return std::nullopt;
    return Dma{*dst, *src};
  }
};

struct Stats {
  int programs = 0, dmas = 0, tries = 0, rejected = 0, casts = 0, pdims = 0;
  std::array<std::array<int, 4>, 4> pairs{};  // [src space][dst space]
};

// Runs `count` random programs of 1..3 DMAs on random queues, each waiting for the previous one.
void random_programs(const Config& cfg, int count, std::uint64_t salt, Stats& st) {
  Machine m(cfg, kDram);
  open_dram(m);
  Gen g{cfg, Rng(seed(salt))};
  while (st.programs < count) {
    scramble(m, g.r);
    for (std::size_t i = 0; i < kProgBase; i += 8) {
      const std::uint64_t v = g.r.bits();
      for (std::size_t k = 0; k < 8; ++k) m.dram()[i + k] = static_cast<std::uint8_t>(v >> (8 * k));
    }
    std::vector<Instruction> prog;
    const std::uint32_t ndma = 1 + g.r.below(3);
    while (prog.size() < ndma) {
      ++st.tries;
      const auto op = g.dma();
      if (!op) continue;
      Instruction insn;
      insn.engine = engine::dma(g.r.below(cfg.dma_queues));
      insn.op = *op;
      const auto k = static_cast<std::uint32_t>(prog.size());
      insn.sync = Sync{k > 0, 0, k, true, 0};
      if (validate(insn, cfg, m.windows())) {
        ++st.rejected;
        continue;
      }
      prog.push_back(insn);
    }
    Instruction end;
    end.op = End{};
    end.sync = Sync{true, 0, ndma, false, 0};
    prog.push_back(end);
    std::vector<EncodedInstruction> words;
    std::uint64_t rd = 0, wr = 0;
    std::string what = fmt::format("program {} ({}):", st.programs, cfg.name);
    for (const auto& i : prog) {
      words.push_back(encode(i));
      if (const auto* d = std::get_if<Dma>(&i.op)) {
        rd += d->src.space == Space::kDram ? d->src.size() * size_of(d->src.dtype) : 0;
        wr += d->dst.space == Space::kDram ? d->dst.size() * size_of(d->dst.dtype) : 0;
        ++st.pairs[static_cast<int>(d->src.space)][static_cast<int>(d->dst.space)];
        st.casts += d->src.dtype != d->dst.dtype ? 1 : 0;
        st.pdims +=
            (d->src.space != Space::kDram && d->src.pdim != 3) || (d->dst.space != Space::kDram && d->dst.pdim != 3);
        what += fmt::format("\n  DMA{} dst {} src {}", i.engine - engine::kDma0, describe(d->dst), describe(d->src));
      }
    }
    m.set_semaphore(0, 0);
    const RunResult res = run_compare(
        m, words,
        [&](Shadow& s) {
          for (const auto& i : prog) {
            if (const auto* d = std::get_if<Dma>(&i.op)) ref_dma(s, *d);
          }
        },
        what);
    EXPECT_EQ(res.counters.dram_rd_bytes, rd) << what;
    EXPECT_EQ(res.counters.dram_wr_bytes, wr) << what;
    EXPECT_EQ(m.semaphore(0), ndma) << what;
    if (::testing::Test::HasFailure()) return;
    ++st.programs;
    st.dmas += static_cast<int>(ndma);
  }
}

}  // namespace

TEST(Dma, RandomProgramsEverySpacePair) {
  Stats st;
  random_programs(Config::fpga(), 360, 41, st);
  Stats tiny;
  random_programs(Config::tiny(), 120, 42, tiny);
  Stats standard;
  random_programs(Config::standard(), 120, 43, standard);
  for (const Stats* s : {&st, &tiny, &standard}) {
    EXPECT_EQ(s->rejected, 0) << "draws are valid by construction";
    EXPECT_LT(s->tries, 3 * s->dmas) << "too many draws did not fit";
    EXPECT_GE(s->casts, s->dmas / 20) << "casting DMAs";
    EXPECT_GE(s->pdims, s->dmas / 5) << "DMAs with a partition dim other than 3";
  }
  for (int a = 1; a < 4; ++a) {
    for (int b = 1; b < 4; ++b) EXPECT_GE(st.pairs[a][b], 10) << "space pair " << a << " -> " << b;
  }
}

TEST(Dma, PartitionWalkByHand) {
  const Config cfg = Config::fpga();
  Machine m(cfg, kDram);
  open_dram(m);
  std::vector<std::uint8_t> src(24);
  for (std::size_t i = 0; i < src.size(); ++i) src[i] = static_cast<std::uint8_t>(i + 1);
  m.write_dram(0x100, src);
  // bf16 elements j = i0 + 3*i3 of DRAM; partitions 7, 5, 3, 1 (s3 = -2), bytes 20 - 2*i0 (s0 = -1).
  Dap dst = onchip(Space::kSbuf, DType::kBf16, 7, 4, 20, {{3, -1}});
  dst.dims[3].stride = -2;
  ProgramBuilder b(cfg);
  b.dma(2, dst, dram(DType::kBf16, 0x100, {{3, 1}, {1, 0}, {1, 0}, {4, 3}}));
  b.end();
  const RunResult r = m.run_program(b.finish(), kProgBase);
  ASSERT_TRUE(r.done) << r.detail;
  for (std::uint32_t i3 = 0; i3 < 4; ++i3) {
    const auto part = m.sbuf_partition(7 - 2 * i3);
    for (std::uint32_t i0 = 0; i0 < 3; ++i0) {
      const std::uint32_t j = i0 + 3 * i3;
      EXPECT_EQ(part[20 - 2 * i0], src[2 * j]) << "p" << 7 - 2 * i3 << " i0 " << i0;
      EXPECT_EQ(part[21 - 2 * i0], src[2 * j + 1]);
    }
  }
  for (std::uint32_t p : {0u, 2u, 4u, 6u}) {
    const auto part = m.sbuf_partition(p);
    EXPECT_TRUE(std::all_of(part.begin(), part.end(), [](std::uint8_t v) { return v == 0; })) << "partition " << p;
  }
  EXPECT_EQ(r.counters.dram_rd_bytes, 24u);
  EXPECT_EQ(r.counters.dram_wr_bytes, 0u);
  // In place (destination identical to the source) leaves every byte as it was.
  ProgramBuilder same(cfg);
  same.dma(1, dst, dst);
  same.dma(0, dram(DType::kBf16, 0x100, {{12, 1}}), dram(DType::kBf16, 0x100, {{12, 1}}));
  same.end();
  const RunResult s = run_compare(
      m, same.finish(), [](Shadow&) {}, "in-place DMAs");
  EXPECT_EQ(s.counters.dram_rd_bytes, 24u);
  EXPECT_EQ(s.counters.dram_wr_bytes, 24u);
}

// Four queues in one program, ordered only by semaphores; some wait for instructions that come
// later in program order. The race checker confirms the program is well defined.
TEST(Dma, SeveralQueuesSynchronizedBySemaphores) {
  const Config cfg = Config::fpga();
  Machine m(cfg, kDram);
  open_dram(m);
  RaceChecker rc(cfg);
  m.set_race_checker(&rc);
  Rng r(seed(44));
  for (std::size_t i = 0; i < 0x6000; ++i) m.dram()[i] = static_cast<std::uint8_t>(r.bits());
  m.set_semaphore(5, 10);  // a host-set base: waits count from it
  const Dap a = dram(DType::kFp32, 0x1000, {{64, 1}, {8, 64}});
  const Dap x = onchip(Space::kSbuf, DType::kFp32, 0, 8, 0x400, {{64, 1}});
  const Dap y = onchip(Space::kPsum, DType::kFp32, 0, 8, 0x100, {{64, 1}});
  const Dap bt = dram(DType::kFp32, 0x7000, {{8, 64}, {64, 1}});  // transposed
  std::vector<Instruction> p(7);
  p[0] = Instruction{engine::dma(2), Sync{true, 6, 1, true, 7}, Dma{bt, y}};  // PSUM -> DRAM, transposed
  p[1] = Instruction{engine::dma(0), Sync{false, 0, 0, true, 5}, Dma{x, a}};  // DRAM -> SBUF
  p[2] = Instruction{engine::dma(1), Sync{true, 5, 11, true, 6}, Dma{y, x}};  // SBUF -> PSUM
  p[3] =
      Instruction{engine::dma(3), Sync{false, 0, 0, true, 7},
                  Dma{dram(DType::kInt8, 0x9000, {{100, 1}}), dram(DType::kInt8, 0x3000, {{100, 1}})}};  // DRAM -> DRAM
  p[4] = Instruction{engine::dma(1), Sync{true, 7, 2, false, 0},
                     Dma{dram(DType::kFp32, 0xA000, {{64, 1}, {8, 64}}), x}};  // SBUF -> DRAM
  p[5] = Instruction{engine::dma(0), Sync{true, 6, 1, true, 5},
                     Dma{onchip(Space::kSbuf, DType::kFp32, 0, 8, 0x800, {{64, 1}}), y}};
  p[6] = Instruction{engine::kSeq, Sync{true, 5, 12, false, 0}, End{}};
  std::vector<EncodedInstruction> words;
  for (const auto& i : p) words.push_back(encode(i));
  const RunResult res = run_compare(
      m, words,
      [&](Shadow& s) {
        for (int i : {1, 2, 0, 3, 4, 5}) ref_dma(s, std::get<Dma>(p[i].op));
      },
      "four queues");
  EXPECT_TRUE(rc.clean()) << rc.races().front().describe();
  EXPECT_EQ(res.counters.dram_rd_bytes, 2048u + 100);
  EXPECT_EQ(res.counters.dram_wr_bytes, 2048u + 100 + 2048);
  EXPECT_EQ(res.counters.instructions, 7u);
  EXPECT_EQ(m.semaphore(5), 12u);
  EXPECT_EQ(m.semaphore(6), 1u);
  EXPECT_EQ(m.semaphore(7), 2u);
  for (unsigned q = 0; q < 4; ++q) EXPECT_EQ(res.counters.per_engine[engine::dma(q)], q < 2 ? 2u : 1u);
}

// A transposing load (pdim 0): a row-major 3 x 5 bf16 matrix in DRAM, read row by row, lands
// with element (r, c) in partition 2 + c at byte 10 + 2*r. Checked against hand-computed bytes.
TEST(Dma, TransposingLoadPdim0ByHand) {
  const Config cfg = Config::fpga();
  Machine m(cfg, kDram);
  open_dram(m);
  std::vector<std::uint8_t> a(30);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::uint8_t>(0x40 + i);
  m.write_dram(0x200, a);
  ProgramBuilder b(cfg);
  // Source: i0 = column (stride 1), i1 = row (stride 5). Destination: i0 walks partitions, i1
  // walks bytes of a partition (stride 1 element).
  b.dma(1, onchip_pdim(Space::kSbuf, DType::kBf16, 2, 10, {{{5, 1}, {3, 1}, {1, 0}, {1, 0}}}, 0),
        dram(DType::kBf16, 0x200, {{5, 1}, {3, 5}}));
  b.end();
  const RunResult r = m.run_program(b.finish(), kProgBase);
  ASSERT_TRUE(r.done) << r.detail;
  for (std::uint32_t row = 0; row < 3; ++row) {
    for (std::uint32_t col = 0; col < 5; ++col) {
      const auto part = m.sbuf_partition(2 + col);
      const std::size_t src = 2 * (5 * row + col);
      EXPECT_EQ(part[10 + 2 * row], a[src]) << "r" << row << " c" << col;
      EXPECT_EQ(part[11 + 2 * row], a[src + 1]) << "r" << row << " c" << col;
    }
  }
  EXPECT_EQ(r.counters.dram_rd_bytes, 30u);
  // The partition dim out of range is caught statically: 5 partitions from pstart 4 on 8.
  ProgramBuilder bad(cfg);
  const Dap dst = onchip_pdim(Space::kSbuf, DType::kBf16, 4, 10, {{{5, 1}, {3, 1}, {1, 0}, {1, 0}}}, 0);
  EXPECT_EQ(
      validate(Instruction{engine::dma(0), {}, Dma{dst, dram(DType::kBf16, 0x200, {{5, 1}, {3, 5}})}}, cfg, m.windows())
          .code,
      ErrorCode::kPatternOutOfRange);
}

// Casting DMAs on special values, expected bits written by hand from numerics.md section 4.
TEST(Dma, CastsByHand) {
  const Config cfg = Config::fpga();
  Machine m(cfg, kDram);
  open_dram(m);
  const std::vector<std::uint32_t> f32 = {
      0x3F800000,  // 1.0        -> bf16 3F80, fp8 0x38
      0x3F808000,  // 1 + 2^-8   -> bf16 tie, even: 3F80; fp8 0x38
      0x3F818000,  // 1 + 3*2^-8 -> bf16 tie, odd: rounds up to 3F82; fp8 0x38
      0x00400000,  // denormal   -> DAZ: +0 in both
      0x80000001,  // -denormal  -> -0: 8000, 0x80
      0x7F7FFFFF,  // max finite -> bf16 overflows to inf 7F80; fp8 saturates to 448 = 0x7E
      0xFF800000,  // -inf       -> bf16 FF80; fp8 -448 = 0xFE
      0x7FA00001,  // sNaN       -> bf16 7FC0; fp8 7F
  };
  std::vector<std::uint8_t> bytes;
  for (std::uint32_t v : f32) {
    for (int k = 0; k < 4; ++k) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
  }
  m.write_dram(0x400, bytes);
  const std::vector<std::int32_t> i32 = {0, 127, 128, -128, -129, 0x7FFFFFFF, INT32_MIN, -5};
  std::vector<std::uint8_t> ib;
  for (std::int32_t v : i32) {
    for (int k = 0; k < 4; ++k) ib.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> (8 * k)));
  }
  m.write_dram(0x500, ib);
  ProgramBuilder b(cfg);
  b.dma(0, dram(DType::kBf16, 0x600, {{8, 1}}), dram(DType::kFp32, 0x400, {{8, 1}}));
  // fp8 through SBUF: DRAM fp32 -> SBUF fp32, then SBUF fp32 -> DRAM fp8 (an on-chip source).
  const auto staged = b.semaphore("staged");
  b.dma(1, onchip(Space::kSbuf, DType::kFp32, 3, 1, 64, {{8, 1}}), dram(DType::kFp32, 0x400, {{8, 1}}),
        b.signal(staged));
  b.dma(2, dram(DType::kFp8, 0x700, {{8, 1}}), onchip(Space::kSbuf, DType::kFp32, 3, 1, 64, {{8, 1}}), b.after(staged));
  b.dma(3, dram(DType::kInt8, 0x780, {{8, 1}}), dram(DType::kInt32, 0x500, {{8, 1}}));
  b.end();
  const RunResult r = m.run_program(b.finish(), kProgBase);
  ASSERT_TRUE(r.done) << r.detail;
  const std::vector<std::uint16_t> want_bf16 = {0x3F80, 0x3F80, 0x3F82, 0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0};
  const std::vector<std::uint8_t> want_fp8 = {0x38, 0x38, 0x38, 0x00, 0x80, 0x7E, 0xFE, 0x7F};
  const std::vector<std::uint8_t> want_i8 = {0x00, 0x7F, 0x7F, 0x80, 0x80, 0x7F, 0x80, 0xFB};
  std::vector<std::uint8_t> got(16);
  m.read_dram(0x600, got);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(got[2 * i] | (got[2 * i + 1] << 8), want_bf16[i]) << "bf16 element " << i;
  }
  got.resize(8);
  m.read_dram(0x700, got);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(got[i], want_fp8[i]) << "fp8 element " << i;
  m.read_dram(0x780, got);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_EQ(got[i], want_i8[i]) << "int8 element " << i;
  // Bytes: 32 + 32 + 32 read (the staged load, the direct bf16 and int8 sources); written 16 + 8 + 8.
  EXPECT_EQ(r.counters.dram_rd_bytes, 96u);
  EXPECT_EQ(r.counters.dram_wr_bytes, 32u);
}
