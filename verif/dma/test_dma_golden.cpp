// The DMA queue against the golden model: random sequences of valid DMA instructions (every
// space pair, every dtype pair including the three casts over special values, random partition
// dims, negative and zero strides, odd counts and offsets, 4 KiB crossings) run on the RTL with
// a random AxiMemory and on the golden machine; SBUF and PSUM are filled from DRAM first and
// dumped to DRAM last by DMAs on both sides, then the whole DRAM image is compared byte for
// byte, and the DRAM_RD/WR byte counts with the golden counters.
#include "dma_gen.hpp"

using namespace systole::verif;
using namespace systole::verif::dmab;

namespace {

struct Program {
  std::vector<Instruction> insns;
  Layout lay;
};

// Setup, `count` random DMAs over all nine space pairs, dump.
Program random_program(Rng& r, int count, Coverage& cov) {
  const Config cfg = config();
  Program p;
  p.lay = layout(cfg, r.coin());
  Gen g{cfg, p.lay, r};
  p.insns = fill_program(cfg, p.lay);
  static const std::array<Space, 3> spaces = {Space::kDram, Space::kSbuf, Space::kPsum};
  for (int i = 0; i < count; ++i) {
    const Space ss = spaces[r.below(3)], ds = spaces[r.below(3)];
    const Dma d = g.valid_dma(ss, ds);
    tally(cov, d);
    p.insns.push_back(dma_insn(d));
  }
  for (const auto& i : dump_program(cfg, p.lay)) p.insns.push_back(i);
  return p;
}

// Runs one program on both sides and compares. Returns the RTL outcome.
Outcome run_and_compare(const Program& p, Rng& r, const AxiMemoryConfig& mc, double p_block, unsigned gap_pct,
                        const std::string& tag) {
  const auto image = random_bytes(r, kDram, 30);
  Bench b(mc);
  b.set_block(p_block);
  b.mem().write(0, image);
  const Outcome o = b.run(encode_all(p.insns), &r, gap_pct);

  auto g = golden_machine(image);
  const RunResult res = golden_run(*g, p.insns);
  EXPECT_TRUE(res.done) << error_name(res.code) << " " << res.detail;

  const std::string what = fmt::format("{} ({}, {} instructions, read latency {}, write latency {}, {} B/cycle, "
                                       "block {:.2f}):{}\n{}",
                                       tag, SYSTOLE_MODEL_CONFIG, p.insns.size(), mc.read_latency, mc.write_latency,
                                       mc.bytes_per_cycle, p_block, describe(p.insns), replay_command("dma"));
  EXPECT_EQ(o.done, p.insns.size()) << what;
  EXPECT_TRUE(o.errors.empty()) << "err_o without an AXI error\n" << what;
  EXPECT_EQ(o.rd_bytes, res.counters.dram_rd_bytes) << "DRAM_RD_BYTES\n" << what;
  EXPECT_EQ(o.wr_bytes, res.counters.dram_wr_bytes) << "DRAM_WR_BYTES\n" << what;
  EXPECT_EQ(b.mem().stats().r_stall_cycles, 0u) << "R was back-pressured";
  expect_dram_equal(b.mem(), *g, what);
  return o;
}

void expect_coverage(const Coverage& c, bool all_pairs) {
  EXPECT_GE(c.casts, c.dmas / 20) << "casting DMAs";
  EXPECT_GE(c.pdims, c.dmas / 6) << "DMAs with a partition dim other than 3";
  EXPECT_GT(c.dst_repeats, 0) << "destinations naming an element twice";
  EXPECT_GT(c.src_repeats, 0) << "sources naming an element twice";
  EXPECT_GE(c.negative, c.dmas / 6) << "negative strides";
  EXPECT_GE(c.page_crossings, c.dmas / 10) << "DRAM patterns across a 4 KiB boundary";
  if (all_pairs) {
    for (int a = 1; a < 4; ++a) {
      for (int b = 1; b < 4; ++b) EXPECT_GE(c.pairs[a][b], 2) << "space pair " << a << " -> " << b;
    }
    for (int k = 0; k < 4; ++k) EXPECT_GE(c.cast_kinds[k], 1) << "cast kind " << k;
  }
}

}  // namespace

// Random programs over all nine space pairs with a moderately random memory.
TEST(DmaGolden, RandomPrograms) {
  Rng r(test_seed());
  Coverage cov;
  for (int i = 0; i < 40 && !HasFailure(); ++i) {
    const Program p = random_program(r, 40, cov);
    run_and_compare(p, r, random_axi(r, false), 0.0, 10, fmt::format("program {}", i));
  }
  expect_coverage(cov, true);
  std::string pairs;
  for (int a = 1; a < 4; ++a) {
    for (int b = 1; b < 4; ++b)
      pairs += fmt::format(" {}->{}:{}", space_name(static_cast<Space>(a)), space_name(static_cast<Space>(b)),
                           cov.pairs[a][b]);
  }
  std::printf("[ DmaGolden ] %s: %d DMAs:%s; casts bf16 %d fp8 %d int8 %d; pdim != 3: %d; repeated dst %d src %d; "
              "negative strides %d; 4 KiB crossings %d\n",
              SYSTOLE_MODEL_CONFIG, cov.dmas, pairs.c_str(), cov.cast_kinds[1], cov.cast_kinds[2], cov.cast_kinds[3],
              cov.pdims, cov.dst_repeats, cov.src_repeats, cov.negative, cov.page_crossings);
}

// Harsh memory: long and jittery latencies, heavy back-pressure, a bandwidth limit, few
// outstanding bursts; SBUF/PSUM ports refused at random; gaps between instructions.
TEST(DmaGolden, RandomProgramsHarshBackPressure) {
  Rng r(test_seed());
  Coverage cov;
  for (int i = 0; i < 24 && !HasFailure(); ++i) {
    const Program p = random_program(r, 30, cov);
    run_and_compare(p, r, random_axi(r, true), 0.3, 30, fmt::format("program {}", i));
  }
  expect_coverage(cov, false);
}

// Chains of back-to-back instructions, each reading exactly the elements the previous one
// wrote (its source is the previous destination pattern) and writing elsewhere: the queue must
// not let an instruction's reads overtake the previous instruction's writes.
TEST(DmaGolden, DependentChains) {
  const Config cfg = config();
  Rng r(test_seed());
  Coverage cov;
  static const std::array<Space, 3> spaces = {Space::kDram, Space::kSbuf, Space::kPsum};
  for (int i = 0; i < 16 && !HasFailure(); ++i) {
    Program p;
    p.lay = layout(cfg, r.coin());
    Gen g{cfg, p.lay, r};
    p.insns = fill_program(cfg, p.lay);
    Dma d = g.valid_dma(spaces[r.below(3)], spaces[r.below(3)]);
    p.insns.push_back(dma_insn(d));
    for (int k = 1; k < 30; ++k) {
      std::optional<Dma> next;
      for (int tries = 0; tries < 200 && !next; ++tries) {
        const Dap src = d.dst;
        const bool wide = dtype_size(src.dtype) == 4;
        DType td = src.dtype;
        if (wide && r.coin(25))
          td = src.dtype == DType::kInt32 ? DType::kInt8 : (r.coin() ? DType::kBf16 : DType::kFp8);
        const Space ds = dtype_size(td) == 4 ? spaces[r.below(3)] : spaces[r.below(2)];
        // The half the source lies in (all its elements share the half of its first one).
        const std::uint32_t base = src.space == Space::kDram   ? 0
                                   : src.space == Space::kSbuf ? p.lay.sb_base
                                                               : p.lay.ps_base;
        const unsigned sh = (src.addr - base) / g.half_bytes(src.space);
        const unsigned dh = ds == src.space ? 1 - sh : r.below(2);
        const auto dst =
            g.dap(ds, td, g.split4(static_cast<std::uint32_t>(src.size()), ds != Space::kDram), dh, !r.coin(20));
        if (!dst) continue;
        const Dma c{*dst, src};
        if (validate(dma_insn(c), cfg, open_windows())) continue;
        next = c;
      }
      d = next ? *next : g.valid_dma(spaces[r.below(3)], spaces[r.below(3)]);  // a new chain
      tally(cov, d);
      p.insns.push_back(dma_insn(d));
    }
    for (const auto& x : dump_program(cfg, p.lay)) p.insns.push_back(x);
    run_and_compare(p, r, random_axi(r, i % 3 == 2), i % 3 == 1 ? 0.2 : 0.0, 0, fmt::format("chain {}", i));
  }
  for (int a = 1; a < 4; ++a) EXPECT_GT(cov.pairs[a][a] + cov.pairs[a][1 + a % 3] + cov.pairs[a][1 + (a + 1) % 3], 0);
}

// The three casts over every special value, from DRAM and from SBUF/PSUM, to DRAM and SBUF.
TEST(DmaGolden, CastsOverSpecialValues) {
  const Config cfg = config();
  Rng r(test_seed());
  const Layout lay = layout(cfg, false);
  Program p;
  p.lay = lay;
  p.insns = fill_program(cfg, lay);
  // A table of special words at DRAM 0x4000 (the bench image is random; this overwrites it).
  const auto contig = [](Space sp, DType t, std::uint32_t addr, std::uint32_t n) {
    Dap d;
    d.space = sp;
    d.dtype = t;
    d.addr = addr;
    d.dims = {Dim{n, 1}, Dim{1, 0}, Dim{1, 0}, Dim{1, 0}};
    return d;
  };
  constexpr std::uint32_t kN = 64;
  struct Cast {
    DType from, to;
  };
  const std::vector<Cast> casts = {{DType::kFp32, DType::kBf16},
                                   {DType::kFp32, DType::kFp8},
                                   {DType::kInt32, DType::kInt8},
                                   {DType::kFp32, DType::kFp32}};
  std::uint32_t out = 0x6000;
  for (std::uint32_t ci = 0; ci < casts.size(); ++ci) {
    const Cast& c = casts[ci];
    // DRAM -> DRAM, DRAM -> SBUF, SBUF -> DRAM, PSUM -> DRAM.
    p.insns.push_back(dma_insn(Dma{contig(Space::kDram, c.to, out, kN), contig(Space::kDram, c.from, 0x4000, kN)}));
    p.insns.push_back(
        dma_insn(Dma{contig(Space::kSbuf, c.to, lay.sb_base + 4 * ci, kN), contig(Space::kDram, c.from, 0x4000, kN)}));
    p.insns.push_back(dma_insn(Dma{contig(Space::kSbuf, DType::kInt32, lay.sb_base + 512, kN),
                                   contig(Space::kDram, DType::kInt32, 0x4000, kN)}));
    p.insns.push_back(dma_insn(
        Dma{contig(Space::kDram, c.to, out + 0x400, kN), contig(Space::kSbuf, c.from, lay.sb_base + 512, kN)}));
    p.insns.push_back(dma_insn(
        Dma{contig(Space::kPsum, DType::kInt32, lay.ps_base, kN), contig(Space::kDram, DType::kInt32, 0x4000, kN)}));
    p.insns.push_back(
        dma_insn(Dma{contig(Space::kDram, c.to, out + 0x800, kN), contig(Space::kPsum, c.from, lay.ps_base, kN)}));
    out += 0x1000;
  }
  for (const auto& i : dump_program(cfg, lay)) p.insns.push_back(i);
  for (const auto& i : p.insns) ASSERT_FALSE(validate(i, cfg, open_windows())) << describe(p.insns);

  auto image = random_bytes(r, kDram, 0);
  for (std::uint32_t k = 0; k < kN; ++k) {
    // Every special word once (the table has 30), then random specials with random signs.
    const std::uint32_t w = k < kSpecial.size() ? kSpecial[k] : (special_word(r) ^ (r.coin() ? 0x80000000u : 0u));
    for (int b = 0; b < 4; ++b) image[0x4000 + 4 * k + b] = static_cast<std::uint8_t>(w >> (8 * b));
  }
  Bench b(random_axi(r, false));
  b.mem().write(0, image);
  const Outcome o = b.run(encode_all(p.insns), &r, 0);
  auto g = golden_machine(image);
  const RunResult res = golden_run(*g, p.insns);
  ASSERT_TRUE(res.done) << res.detail;
  EXPECT_EQ(o.rd_bytes, res.counters.dram_rd_bytes);
  EXPECT_EQ(o.wr_bytes, res.counters.dram_wr_bytes);
  expect_dram_equal(b.mem(), *g, "casts" + describe(p.insns) + "\n" + replay_command("dma"));
}
