// DMA against a memcpy-style reference: element byte addresses from the DAP definition of
// docs/isa.md section 3 with plain nested loops, then a byte copy of element j of the source to
// element j of the destination. Every byte of DRAM, SBUF and PSUM is compared after each program.
#include "isa_ref.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/validate.hpp"

using namespace isaref;

namespace {

// Elements of a DAP in visiting order (i0 fastest, i3 slowest). DRAM: addr + (sum i_d*s_d) * size.
// On chip: partition pstart + i3*s3, byte addr + (i0*s0 + i1*s1 + i2*s2) * size.
std::vector<Loc> dap_locs(const Dap& d) {
  std::vector<Loc> out;
  const std::int64_t sz = size_of(d.dtype);
  const auto& n = d.dims;
  for (std::int64_t i3 = 0; i3 < n[3].count; ++i3) {
    for (std::int64_t i2 = 0; i2 < n[2].count; ++i2) {
      for (std::int64_t i1 = 0; i1 < n[1].count; ++i1) {
        for (std::int64_t i0 = 0; i0 < n[0].count; ++i0) {
          const std::int64_t e = i0 * n[0].stride + i1 * n[1].stride + i2 * n[2].stride;
          if (d.space == Space::kDram) {
            out.push_back(Loc{Space::kDram, 0, d.addr + (e + i3 * n[3].stride) * sz, static_cast<std::uint32_t>(sz)});
          } else {
            const std::int64_t p = d.pstart + i3 * n[3].stride;
            out.push_back(Loc{d.space, static_cast<std::uint32_t>(p), d.addr + e * sz, static_cast<std::uint32_t>(sz)});
          }
        }
      }
    }
  }
  return out;
}

void ref_dma(Shadow& s, const Dma& op) {
  const auto src = dap_locs(op.src), dst = dap_locs(op.dst);
  ASSERT_EQ(src.size(), dst.size());
  for (std::size_t j = 0; j < src.size(); ++j) {
    const std::uint8_t* from = s.at(src[j]);
    std::copy(from, from + src[j].size, s.at(dst[j]));
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
      const std::int32_t mag = injective || n[3] == 1 ? r.range(1, std::min(max_step, 3)) : r.range(0, std::min(max_step, 3));
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
    return d;
  }

  std::optional<Dma> dma() {
    static const std::array<Space, 3> spaces = {Space::kDram, Space::kSbuf, Space::kPsum};
    const Space ss = spaces[r.below(3)], ds = spaces[r.below(3)];
    const bool psum = ss == Space::kPsum || ds == Space::kPsum;
    const DType t = psum ? (r.coin() ? DType::kFp32 : DType::kInt32) : kAllTypes[r.below(kAllTypes.size())];
    const std::uint32_t n = 1 + r.below(r.coin(70) ? 64 : 256);
    const unsigned sh = r.below(2), dh = ss == ds ? 1 - sh : r.below(2);  // same space: other half
    const auto src = dap(ss, t, split4(n, ss != Space::kDram), sh, r.coin(50));
    const auto dst = dap(ds, t, split4(n, ds != Space::kDram), dh, true);
    if (!src || !dst) return std::nullopt;
    return Dma{*dst, *src};
  }
};

struct Stats {
  int programs = 0, dmas = 0, tries = 0, rejected = 0;
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
        const std::uint64_t bytes = d->src.size() * size_of(d->src.dtype);
        rd += d->src.space == Space::kDram ? bytes : 0;
        wr += d->dst.space == Space::kDram ? bytes : 0;
        ++st.pairs[static_cast<int>(d->src.space)][static_cast<int>(d->dst.space)];
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
  const RunResult s = run_compare(m, same.finish(), [](Shadow&) {}, "in-place DMAs");
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
  p[0] = Instruction{engine::dma(2), Sync{true, 6, 1, true, 7}, Dma{bt, y}};                          // PSUM -> DRAM, transposed
  p[1] = Instruction{engine::dma(0), Sync{false, 0, 0, true, 5}, Dma{x, a}};                          // DRAM -> SBUF
  p[2] = Instruction{engine::dma(1), Sync{true, 5, 11, true, 6}, Dma{y, x}};                          // SBUF -> PSUM
  p[3] = Instruction{engine::dma(3), Sync{false, 0, 0, true, 7},
                     Dma{dram(DType::kInt8, 0x9000, {{100, 1}}), dram(DType::kInt8, 0x3000, {{100, 1}})}};  // DRAM -> DRAM
  p[4] = Instruction{engine::dma(1), Sync{true, 7, 2, false, 0},
                     Dma{dram(DType::kFp32, 0xA000, {{64, 1}, {8, 64}}), x}};                         // SBUF -> DRAM
  p[5] = Instruction{engine::dma(0), Sync{true, 6, 1, true, 5}, Dma{onchip(Space::kSbuf, DType::kFp32, 0, 8, 0x800, {{64, 1}}), y}};
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
