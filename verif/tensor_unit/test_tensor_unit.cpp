// The tensor unit with its memories (tensor_unit + SBUF + PSUM, docs/chip.md sections 3 and 5) against
// the golden MATMUL: random programs of back-to-back MATMULs with random stationary, moving and
// out access patterns (strides of either sign, all three dims, out.pstart, start/accumulate)
// on random SBUF and PSUM contents; the whole PSUM region is compared bit for bit.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "model_config.hpp"
#include "systole/golden/machine.hpp"
#include "systole/golden/validate.hpp"
#include "systole/sim/sim_controller.hpp"
#include SYSTOLE_MODEL_HEADER

using namespace systole::golden;
using Model = SYSTOLE_MODEL;

namespace {

// The model's configuration (SYSTOLE_MODEL_CONFIG, CMakeLists.txt).
Config config() { return systole::verif::model_config(); }

// The part of SBUF and PSUM the random patterns use (loading all of SBUF through a one-word
// port would dominate the run time); the rest is never read.
const std::uint32_t kSbufRegion = std::min<std::uint32_t>(config().sbuf_bytes, 4096);
const std::uint32_t kPsumRegion = std::min<std::uint32_t>(config().psum_bytes, 4096);  // 2 banks on default

std::uint64_t seed_for(std::uint64_t salt) {
  const char* s = std::getenv("SYSTOLE_SEED");
  return (s != nullptr ? std::strtoull(s, nullptr, 0) : 0x5EED0000ull) ^ salt;
}

struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t s) : g(s) {}
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(g() % n); }
  std::int32_t range(std::int32_t lo, std::int32_t hi) { return lo + static_cast<std::int32_t>(below(hi - lo + 1)); }
  bool coin(unsigned pct = 50) { return below(100) < pct; }
};

// Splits `n` into three counts (product n), randomly.
std::array<std::uint32_t, 3> split3(Rng& r, std::uint32_t n) {
  std::array<std::uint32_t, 3> c{1, 1, 1};
  for (std::uint32_t f = 2; n > 1;) {
    if (n % f != 0) {
      ++f;
      continue;
    }
    c[r.below(3)] *= f;
    n /= f;
  }
  return c;
}

// A TAP of `size` elements inside [0, region) bytes of each partition, or nullopt if the drawn
// strides do not fit.
std::optional<Tap> rand_tap(Rng& r, Space sp, DType t, std::uint32_t pstart, std::uint32_t pcount, std::uint32_t size,
                            std::uint32_t region) {
  Tap tp;
  tp.space = sp;
  tp.dtype = t;
  tp.pstart = pstart;
  tp.pcount = pcount;
  const auto n = split3(r, size);
  std::int64_t lo = 0, hi = 0;
  for (int d = 0; d < 3; ++d) {
    std::int32_t s;
    if (r.coin(50)) {
      s = d == 0 ? 1 : static_cast<std::int32_t>(n[0] * (d == 2 ? n[1] : 1));  // dense
      if (r.coin(20)) s = -s;
    } else {
      s = r.range(-6, 6);
    }
    tp.dims[d] = Dim{n[d], s};
    const std::int64_t ext = std::int64_t{n[d] - 1} * s;
    (ext < 0 ? lo : hi) += ext;
  }
  const std::int64_t esz = dtype_size(t), slots = region / esz, used = hi - lo + 1;
  if (used > slots) return std::nullopt;
  tp.offset = static_cast<std::uint32_t>((r.below(static_cast<std::uint32_t>(slots - used + 1)) - lo) * esz);
  return tp;
}

std::vector<DType> enabled(const Config& c) {
  std::vector<DType> v;
  if (c.int8) v.push_back(DType::kInt8);
  if (c.bf16) v.push_back(DType::kBf16);
  if (c.fp8) v.push_back(DType::kFp8);
  return v;
}

std::optional<Matmul> rand_matmul(Rng& r, const Config& c, DType t, bool full) {
  const std::uint32_t K = full ? c.partitions : 1 + r.below(c.partitions);
  const std::uint32_t M = full ? c.columns : 1 + r.below(c.columns);
  const std::uint32_t N = full ? c.nmax : (r.coin(30) ? 1 + r.below(8) : 1 + r.below(c.nmax));
  const std::uint32_t ps = full ? 0 : r.below(c.partitions - K + 1);
  const std::uint32_t ops = full ? 0 : r.below(c.partitions - M + 1);
  Matmul mm;
  mm.start = r.coin(40);
  if (full) {
    const std::uint32_t esz = dtype_size(t);
    mm.stationary = Tap{Space::kSbuf, t, ps, K, 0, {Dim{M, 1}, Dim{1, 0}, Dim{1, 0}}};
    mm.moving = Tap{Space::kSbuf, t, ps, K, ((M * esz + 7) / 8) * 8, {Dim{N, 1}, Dim{1, 0}, Dim{1, 0}}};
    mm.out =
        Tap{Space::kPsum, t == DType::kInt8 ? DType::kInt32 : DType::kFp32, 0, M, 0, {Dim{N, 1}, Dim{1, 0}, Dim{1, 0}}};
    if (mm.moving.offset + N * esz > kSbufRegion) return std::nullopt;
    return mm;
  }
  auto s = rand_tap(r, Space::kSbuf, t, ps, K, M, kSbufRegion);
  auto x = rand_tap(r, Space::kSbuf, t, ps, K, N, kSbufRegion);
  auto o = rand_tap(r, Space::kPsum, t == DType::kInt8 ? DType::kInt32 : DType::kFp32, ops, M, N, kPsumRegion);
  if (!s || !x || !o) return std::nullopt;
  mm.stationary = *s;
  mm.moving = *x;
  mm.out = *o;
  return mm;
}

std::uint32_t rand_word(Rng& r, bool wild) {
  if (wild) return static_cast<std::uint32_t>(r.g());
  // Moderate fp32 / bf16 / fp8 / int patterns: random sign and mantissa, exponent near 1.0.
  const std::uint32_t v = static_cast<std::uint32_t>(r.g());
  return (v & 0x807FFFFFu) | ((124u + r.below(8)) << 23);
}

class Bench {
 public:
  Bench() : cfg_(config()) {
    m().insn_valid_i = 0;
    m().sb_we_i = 0;
    m().ps_en_i = 0;
    sim_.reset();
  }

  Model& m() { return *sim_; }

  void load_sbuf(Machine& g) {
    for (std::uint32_t p = 0; p < cfg_.partitions; ++p) {
      const auto part = g.sbuf_partition(p);
      for (std::uint32_t w = 0; w < kSbufRegion / 8; ++w) {
        std::uint64_t v = 0;
        for (int b = 0; b < 8; ++b) v |= std::uint64_t{part[8 * w + b]} << (8 * b);
        m().sb_we_i = 1;
        m().sb_part_i = p;
        m().sb_addr_i = w;
        m().sb_wdata_i = v;
        sim_.tick();
      }
    }
    m().sb_we_i = 0;
  }

  void load_psum(Machine& g) {
    for (std::uint32_t p = 0; p < cfg_.partitions; ++p) {
      const auto part = g.psum_partition(p);
      for (std::uint32_t w = 0; w < kPsumRegion / 4; ++w) {
        m().ps_en_i = 1;
        m().ps_we_i = 1;
        m().ps_part_i = p;
        m().ps_addr_i = w;
        m().ps_wdata_i = part[4 * w] | (part[4 * w + 1] << 8) | (part[4 * w + 2] << 16) |
                         (static_cast<std::uint32_t>(part[4 * w + 3]) << 24);
        sim_.eval();
        EXPECT_TRUE(m().ps_gnt_o) << "PSUM DMA port refused while the PE is idle";
        sim_.tick();
      }
    }
    m().ps_en_i = 0;
  }

  std::uint32_t read_psum(std::uint32_t p, std::uint32_t w) {
    m().ps_en_i = 1;
    m().ps_we_i = 0;
    m().ps_part_i = p;
    m().ps_addr_i = w;
    sim_.tick();
    m().ps_en_i = 0;
    sim_.eval();
    return m().ps_rdata_o;
  }

  // Feeds the instructions (random gaps when gaps_pct > 0), waits for every completion.
  // Returns {first issue cycle, last completion cycle}.
  std::pair<std::uint64_t, std::uint64_t> run(const std::vector<EncodedInstruction>& prog, Rng& r, unsigned gaps_pct,
                                              std::uint64_t& macs) {
    std::size_t next = 0, done = 0;
    std::uint64_t first = 0, last = 0, guard = 0;
    macs = 0;
    while (done < prog.size()) {
      if (++guard > 2'000'000) throw std::runtime_error("PE unit hang: completions stopped");
      const bool offer = next < prog.size() && !(gaps_pct > 0 && r.coin(gaps_pct));
      m().insn_valid_i = offer;
      if (offer) {
        for (std::size_t i = 0; i < 16; ++i) m().insn_i[i] = prog[next][i];
      }
      sim_.eval();
      if (offer && m().insn_ready_o) {
        if (debug_) std::printf("issue %zu @%llu\n", next, static_cast<unsigned long long>(sim_.cycle()));
        if (next == 0) first = sim_.cycle();
        ++next;
      }
      if (m().done_o) {
        ++done;
        if (debug_) std::printf("done @%llu\n", static_cast<unsigned long long>(sim_.cycle()));
        macs += m().done_macs_o;
        last = sim_.cycle();
      }
      sim_.tick();
    }
    m().insn_valid_i = 0;
    sim_.eval();
    EXPECT_FALSE(m().busy_o);
    return {first, last};
  }

 private:
  Config cfg_;
  systole::sim::SimController<Model> sim_;
  // SYSTOLE_TU_DEBUG=1 prints the cycle of every issue and completion.
  const bool debug_ = std::getenv("SYSTOLE_TU_DEBUG") != nullptr;
};

struct Outcome {
  std::uint64_t cycles = 0;  // first issue to last completion
  std::uint64_t beats = 0;   // moving beats (sum of N)
};

// One random program of `count` MATMULs; compares PSUM with the golden model.
Outcome one_program(std::uint64_t seed, int count, bool full, unsigned gaps_pct, bool wild) {
  const Config cfg = config();
  Rng r(seed);
  Machine g(cfg, 1 << 16);
  for (std::uint32_t p = 0; p < cfg.partitions; ++p) {
    auto sb = g.sbuf_partition(p);
    for (std::uint32_t i = 0; i < kSbufRegion; i += 4) {
      const std::uint32_t v = rand_word(r, wild && r.coin(30));
      for (int b = 0; b < 4; ++b) sb[i + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
    auto ps = g.psum_partition(p);
    for (std::uint32_t i = 0; i < kPsumRegion; i += 4) {
      const std::uint32_t v = rand_word(r, wild && r.coin(30));
      for (int b = 0; b < 4; ++b) ps[i + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
  }
  Bench b;
  b.load_sbuf(g);
  b.load_psum(g);

  const auto dts = enabled(cfg);
  std::vector<EncodedInstruction> prog;
  std::vector<Instruction> insns;
  std::uint64_t useful = 0, nsum = 0;
  while (static_cast<int>(insns.size()) < count) {
    const auto mm = rand_matmul(r, cfg, dts[r.below(static_cast<std::uint32_t>(dts.size()))], full);
    if (!mm) continue;
    Instruction i;
    i.engine = engine::kTensor;
    i.op = *mm;
    if (Fault f = validate(i, cfg, g.windows())) continue;  // drawn out of range: draw again
    insns.push_back(i);
    prog.push_back(encode(i));
    useful += std::uint64_t{mm->moving.pcount} * mm->stationary.free_size() * mm->moving.free_size();
    nsum += mm->moving.free_size();
  }
  std::uint64_t macs = 0;
  const auto [first, last] = b.run(prog, r, gaps_pct, macs);
  EXPECT_EQ(macs, useful) << "useful MACs reported at completion";

  // Golden: the same MATMULs in order (run as a program so the model's checks apply too).
  std::vector<EncodedInstruction> gp = prog;
  Instruction end;
  end.op = End{};
  gp.push_back(encode(end));
  const RunResult res = g.run_program(gp, 0x8000);
  EXPECT_TRUE(res.done) << res.detail;

  int bad = 0;
  for (std::uint32_t p = 0; p < cfg.partitions && bad < 10; ++p) {
    const auto ps = g.psum_partition(p);
    for (std::uint32_t w = 0; w < kPsumRegion / 4 && bad < 10; ++w) {
      const std::uint32_t want =
          ps[4 * w] | (ps[4 * w + 1] << 8) | (ps[4 * w + 2] << 16) | (static_cast<std::uint32_t>(ps[4 * w + 3]) << 24);
      const std::uint32_t got = b.read_psum(p, w);
      if (got != want) {
        ++bad;
        ADD_FAILURE() << fmt::format("PSUM partition {} word {}: RTL 0x{:08x}, golden 0x{:08x}", p, w, got, want);
      }
    }
  }
  if (::testing::Test::HasFailure()) {
    std::string what;
    for (std::size_t k = 0; k < insns.size(); ++k) {
      const auto& mm = std::get<Matmul>(insns[k].op);
      what += fmt::format("\n  #{} {} K={} M={} N={} stat off {} moving off {} out p{} off {}", k,
                          mm.start ? "start" : "acc", mm.moving.pcount, mm.stationary.free_size(),
                          mm.moving.free_size(), mm.stationary.offset, mm.moving.offset, mm.out.pstart, mm.out.offset);
    }
    ADD_FAILURE() << fmt::format("program with seed 0x{:x} (replay: SYSTOLE_SEED=0x{:x} "
                                 "verif/tensor_unit/test_tensor_unit_{} --gtest_filter='TensorUnit.{}'):{}",
                                 seed, seed_for(0), config().name,
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name(), what);
  }
  return Outcome{last - first + 1, nsum};
}

}  // namespace

TEST(TensorUnit, RandomPrograms) {
  for (int i = 0; i < 6; ++i) one_program(seed_for(100 + i), 12, false, 0, false);
}

TEST(TensorUnit, RandomProgramsWithGaps) {
  for (int i = 0; i < 4; ++i) one_program(seed_for(200 + i), 10, false, 40, false);
}

TEST(TensorUnit, RandomProgramsSpecialValues) {
  for (int i = 0; i < 4; ++i) one_program(seed_for(300 + i), 10, false, 10, true);
}

// Back-to-back K = P, M = C, N = Nmax MATMULs with dense patterns: the moving reader uses SBUF
// port A in a fraction of the cycles, so the stationary loads overlap and the array streams.
TEST(TensorUnit, ThroughputBackToBackNmax) {
  const Outcome o = one_program(seed_for(400), 8, true, 0, false);
  const double util = static_cast<double>(o.beats) / static_cast<double>(o.cycles);
  std::printf("[ TensorUnit ] %s: %llu moving beats in %llu cycles from first issue to last completion: %.1f%%\n",
              config().name.c_str(), static_cast<unsigned long long>(o.beats),
              static_cast<unsigned long long>(o.cycles), 100.0 * util);
  EXPECT_GE(util, 0.95);
}
