// GEMM with strided and offset operands (GemmOperand::ld, GemmPlacement) on the golden device:
// bit-exact with the architectural reference for named shapes x layouts x leading dimensions x
// offsets x dtypes; C's canaries intact on correct runs and reported when something writes
// outside C's elements (a device that tampers with DRAM after the run); the ld checks of
// validate_gemm with their messages; the Layout overload unchanged.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <initializer_list>

#include "gemm_test_util.hpp"
#include "systole/golden/machine.hpp"

using namespace systole;
using namespace systole::kernels;
using namespace systole::kernels::testing;
using golden::DType;
using i64 = std::int64_t;

namespace {

constexpr std::array<std::pair<DType, DType>, 4> kDtypes = {
    std::pair{DType::kInt8, DType::kInt32}, std::pair{DType::kBf16, DType::kFp32},
    std::pair{DType::kBf16, DType::kBf16}, std::pair{DType::kFp8, DType::kFp32}};

// Leading dimension variants: packed (0), one more than packed, packed plus a large odd gap.
std::uint32_t ld_variant(int v, std::uint32_t packed) { return v == 0 ? 0 : v == 1 ? packed + 1 : packed + 37; }
std::uint32_t offset_variant(int v) { return v == 0 ? 0 : v == 1 ? 1 : 13; }

GemmPlacement placement(Layout l, std::uint32_t rows, std::uint32_t cols, int ld_v, int off_v) {
  return GemmPlacement{l, ld_variant(ld_v, l == Layout::kRowMajor ? cols : rows), offset_variant(off_v)};
}

std::string describe(const GemmPlacement& p) {
  return fmt::format("{} ld {} offset {}", layout_name(p.layout), p.ld, p.offset);
}

// Runs one strided case and checks it completely; returns the result.
GemmHostResult run_strided(driver::Device& dev, std::mt19937_64& rng, std::uint32_t M, std::uint32_t K, std::uint32_t N,
                           DType in, DType out, const GemmPlacement& pa, const GemmPlacement& pb,
                           const GemmPlacement& pc, const GemmOptions& opts = {}) {
  const driver::Tensor a = random_matrix(rng, in, M, K), b = random_matrix(rng, in, K, N);
  const GemmHostResult r = gemm(dev, a, b, out, pa, pb, pc, opts);
  const driver::Tensor want = reference_gemm(dev.config(), a, b, out);
  const std::string what =
      fmt::format("M={} K={} N={} {}->{} A {} B {} C {} (replay: SYSTOLE_SEED={})", M, K, N, golden::dtype_name(in),
                  golden::dtype_name(out), describe(pa), describe(pb), describe(pc), seed());
  const auto& run = r.run.result;
  EXPECT_TRUE(run.races.empty()) << what << "\n" << (run.races.empty() ? "" : run.races.front());
  EXPECT_EQ(run.counters.macs, std::uint64_t{M} * K * N) << what;
  EXPECT_EQ(run.counters.dram_rd_bytes, r.run.program.estimate.dram_rd_bytes) << what;
  EXPECT_EQ(run.counters.dram_wr_bytes, std::uint64_t{M} * N * golden::dtype_size(out)) << what;
  EXPECT_GT(r.run.program.estimate.cycles, 0u) << what;
  EXPECT_EQ(r.c_canary_damage, -1) << what;
  const std::int64_t bad = first_mismatch(r.c, want);
  EXPECT_EQ(bad, -1) << what << ": element " << bad;
  return r;
}

// Shapes x layouts x (ld, offset) variants, rotated over the operands so that each operand
// meets every ld with every offset, for every dtype pair.
TEST(GemmStrided, BitExactAcrossShapesLayoutsStridesOffsets) {
  const golden::Config cfg = golden::Config::standard();
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed());
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  const std::vector<std::array<std::uint32_t, 3>> shapes = {
      {1, 1, 1},                  // every line one element: ld alone separates them
      {C + 1, P + 1, 19},         // one past the tile sizes
      {2 * C + 3, 3 * P + 1, 5},  // several m-tiles and passes, a short last pass
  };
  int runs = 0;
  for (const auto& [in, out] : kDtypes) {
    for (const auto& [M, K, N] : shapes) {
      for (int lay = 0; lay < 8; ++lay) {
        const Layout la = (lay & 1) ? Layout::kColMajor : Layout::kRowMajor;
        const Layout lb = (lay & 2) ? Layout::kColMajor : Layout::kRowMajor;
        const Layout lc = (lay & 4) ? Layout::kColMajor : Layout::kRowMajor;
        for (int v = 0; v < 9; ++v) {
          const int ld_v = v / 3, off_v = v % 3;
          run_strided(*dev, rng, M, K, N, in, out, placement(la, M, K, ld_v, off_v),
                      placement(lb, K, N, (ld_v + 1) % 3, (off_v + 1) % 3),
                      placement(lc, M, N, (ld_v + 2) % 3, (off_v + 2) % 3));
          ++runs;
          if (::testing::Test::HasFailure()) return;  // one report, not hundreds
        }
      }
    }
  }
  EXPECT_EQ(runs, 4 * 3 * 8 * 9);
}

// The streaming mode (stages of two passes, n-blocks of 16) and several n-blocks in resident
// mode read B and A through the strided patterns piecewise.
TEST(GemmStrided, StreamingAndNarrowBlocks) {
  const golden::Config cfg = golden::Config::standard();
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() + 1);
  const GemmOptions stream = small_stages(cfg, DType::kBf16);
  GemmOptions blocks;
  blocks.max_block_n = 16;
  for (const GemmOptions& o : {stream, blocks}) {
    for (int lay = 0; lay < 8; ++lay) {
      const Layout la = (lay & 1) ? Layout::kColMajor : Layout::kRowMajor;
      const Layout lb = (lay & 2) ? Layout::kColMajor : Layout::kRowMajor;
      const Layout lc = (lay & 4) ? Layout::kColMajor : Layout::kRowMajor;
      run_strided(*dev, rng, 37, 5 * cfg.partitions + 3, 41, DType::kBf16, DType::kFp32, placement(la, 37, 83, 2, 1),
                  placement(lb, 83, 41, 1, 2), placement(lc, 37, 41, 2, 2), o);
    }
  }
}

// An A column-major ld with P * ld beyond the 24-bit DAP stride: the pass loop is split into
// several DMAs, still bit-exact; and the largest encodable ld works.
TEST(GemmStrided, HugeLeadingDimensions) {
  const golden::Config cfg = golden::Config::standard();
  auto dev = golden_device(cfg, 64u << 20);
  std::mt19937_64 rng(seed() + 2);
  const std::uint32_t big = (kGemmMaxLd / cfg.partitions) + 3;
  const GemmHostResult r = run_strided(*dev, rng, 3, cfg.partitions + 4, 5, DType::kInt8, DType::kInt32,
                                       GemmPlacement{Layout::kColMajor, big, 1}, GemmPlacement{}, GemmPlacement{});
  EXPECT_GT(r.run.program.instructions.size(), 0u);
  run_strided(*dev, rng, 2, 3, 2, DType::kInt8, DType::kInt32, GemmPlacement{Layout::kRowMajor, kGemmMaxLd, 0},
              GemmPlacement{Layout::kColMajor, 5, 3}, GemmPlacement{Layout::kColMajor, 3, 7});
}

// A golden-model device that lets a test change DRAM after each run, as a DMA writing where it
// should not would. The hook sees the run's windows (window 2 is C's strided extent).
class TamperingDevice final : public driver::Device {
 public:
  using Hook = std::function<void(golden::Machine&, const golden::Windows&)>;
  TamperingDevice(golden::Config cfg, std::uint64_t dram) : m_(std::move(cfg), dram) {}
  Hook hook;
  std::string backend_name() const override { return "tampering-golden"; }

 protected:
  golden::Config read_config() override { return m_.config(); }
  std::uint64_t dram_bytes() override { return m_.dram().size(); }
  void write_dram(std::uint32_t addr, std::span<const std::uint8_t> bytes) override { m_.write_dram(addr, bytes); }
  void read_dram(std::uint32_t addr, std::span<std::uint8_t> out) override { m_.read_dram(addr, out); }
  void write_windows(const golden::Windows& w) override { m_.windows() = w; }
  void write_semaphore(unsigned i, std::uint32_t v) override { m_.set_semaphore(i, v); }
  std::uint32_t read_semaphore(unsigned i) override { return m_.semaphore(i); }
  void start(std::uint32_t base, std::uint32_t len) override {
    done_ = m_.run(base, len).done;
    if (hook) hook(m_, m_.windows());
  }
  driver::Completion wait(std::chrono::milliseconds) override {
    driver::Completion c;
    if (!done_) c.status = driver::Completion::Status::kError;
    return c;
  }
  driver::Counters read_counters() override { return {}; }
  void soft_reset() override { m_.soft_reset(); }

 private:
  golden::Machine m_;
  bool done_ = false;
};

struct TamperCase {
  const char* name;
  GemmPlacement pc;
  // Byte to flip, relative to C's first element; or none for the shifted rewrite.
  std::function<std::int64_t(std::uint32_t M, std::uint32_t N, std::uint32_t osz)> at;
  // The expected c_canary_damage: byte offset in C's allocation.
  std::function<std::int64_t(std::uint32_t M, std::uint32_t N, std::uint32_t osz)> want;
};

TEST(GemmStrided, CanaryCheckCatchesWritesOutsideElements) {
  const std::uint32_t M = 5, K = 7, N = 6;
  const DType in = DType::kBf16, out = DType::kFp32;
  const std::vector<TamperCase> cases = {
      {"offset head", GemmPlacement{Layout::kRowMajor, 0, 3}, [](auto, auto, auto osz) { return -2 * i64(osz); },
       [](auto, auto, auto osz) { return i64(osz); }},
      {"gap after row 0", GemmPlacement{Layout::kRowMajor, N + 2, 1},
       [](auto, auto n, auto osz) { return i64(n) * osz + 1; },
       [](auto, auto n, auto osz) { return (1 + n) * i64(osz) + 1; }},
      {"gap of the last column", GemmPlacement{Layout::kColMajor, M + 3, 0},
       [](auto m, auto n, auto osz) { return (i64(n - 1) * (m + 3) + m) * osz; },
       [](auto m, auto n, auto osz) { return (i64(n - 1) * (m + 3) + m) * osz; }},
      {"tail (last row's gap)", GemmPlacement{Layout::kRowMajor, N + 1, 13},
       [](auto m, auto n, auto osz) { return (i64(m - 1) * (n + 1) + n) * osz + 3; },
       [](auto m, auto n, auto osz) { return (13 + i64(m - 1) * (n + 1) + n) * osz + 3; }},
  };
  for (const TamperCase& tc : cases) {
    TamperingDevice dev(golden::Config::standard(), 16u << 20);
    std::mt19937_64 rng(seed() + 3);
    const driver::Tensor a = random_matrix(rng, in, M, K), b = random_matrix(rng, in, K, N);
    const GemmHostResult clean = gemm(dev, a, b, out, GemmPlacement{}, GemmPlacement{}, tc.pc);
    EXPECT_EQ(clean.c_canary_damage, -1) << tc.name;
    EXPECT_EQ(first_mismatch(clean.c, reference_gemm(dev.config(), a, b, out)), -1) << tc.name;
    const std::uint32_t osz = golden::dtype_size(out);
    dev.hook = [&](golden::Machine& m, const golden::Windows& w) {
      const std::int64_t addr = std::int64_t{w[2].base} + tc.at(M, N, osz);
      m.dram()[static_cast<std::size_t>(addr)] ^= 0x5A;
    };
    const GemmHostResult r = gemm(dev, a, b, out, GemmPlacement{}, GemmPlacement{}, tc.pc);
    EXPECT_EQ(r.c_canary_damage, tc.want(M, N, osz)) << tc.name;
    EXPECT_EQ(first_mismatch(r.c, clean.c), -1) << tc.name << ": only a non-element byte was changed";
  }
}

// A drain one element off (C's rows rewritten one element later, as a wrong ldc or address
// would): the first gap gets the row's last element and the check reports it.
TEST(GemmStrided, CanaryCheckCatchesShiftedRows) {
  const std::uint32_t M = 4, K = 9, N = 8, ldc = N + 3;
  TamperingDevice dev(golden::Config::standard(), 16u << 20);
  std::mt19937_64 rng(seed() + 4);
  const driver::Tensor a = random_matrix(rng, DType::kInt8, M, K), b = random_matrix(rng, DType::kInt8, K, N);
  dev.hook = [&](golden::Machine& m, const golden::Windows& w) {
    auto dram = m.dram();
    for (std::uint32_t r = M; r-- > 0;) {  // from the end: rows move up in memory
      const std::size_t row = w[2].base + std::size_t{r} * ldc * 4;
      std::copy_backward(dram.begin() + row, dram.begin() + row + N * 4, dram.begin() + row + N * 4 + 4);
    }
  };
  const GemmHostResult r =
      gemm(dev, a, b, DType::kInt32, GemmPlacement{}, GemmPlacement{}, GemmPlacement{Layout::kRowMajor, ldc, 1});
  EXPECT_GE(r.c_canary_damage, std::int64_t{(1 + N) * 4});
  EXPECT_LT(r.c_canary_damage, std::int64_t{(1 + N + 1) * 4});
  EXPECT_GE(first_mismatch(r.c, reference_gemm(dev.config(), a, b, DType::kInt32)), 0);
}

// ---- validation ------------------------------------------------------------------------------
GemmSpec spec(Layout la, std::uint32_t lda, Layout lb, std::uint32_t ldb, Layout lc, std::uint32_t ldc) {
  GemmSpec s;
  s.M = 10, s.K = 20, s.N = 30;
  s.in = DType::kBf16, s.out = DType::kFp32;
  s.a = GemmOperand{0x1000, la, lda};
  s.b = GemmOperand{0x100000, lb, ldb};
  s.c = GemmOperand{0x200000, lc, ldc};
  return s;
}

void expect_refused(const GemmSpec& s, std::initializer_list<std::string> fragments, const GemmOptions& o = {}) {
  try {
    validate_gemm(golden::Config::standard(), s, o);
    ADD_FAILURE() << "accepted; expected a GemmArgumentError containing " << *fragments.begin();
  } catch (const GemmArgumentError& e) {
    for (const std::string& f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

constexpr Layout kRow = Layout::kRowMajor, kCol = Layout::kColMajor;

TEST(GemmStrided, LeadingDimensionTooSmall) {
  expect_refused(spec(kRow, 19, kRow, 0, kRow, 0),
                 {"A (10 x 20 bf16, row): ld = 19 is less than the 20 elements of one row", "at least 20"});
  expect_refused(spec(kCol, 9, kRow, 0, kRow, 0), {"A (10 x 20 bf16, col)", "ld = 9", "at least 10"});
  expect_refused(spec(kRow, 0, kRow, 29, kRow, 0), {"B (20 x 30 bf16, row)", "ld = 29", "at least 30"});
  expect_refused(spec(kRow, 0, kCol, 1, kRow, 0),
                 {"B (20 x 30 bf16, col): ld = 1 is less than the 20 elements of one column", "at least 20"});
  expect_refused(spec(kRow, 0, kRow, 0, kRow, 10), {"C (10 x 30 fp32, row)", "ld = 10", "at least 30"});
  expect_refused(spec(kRow, 0, kRow, 0, kCol, 7), {"C (10 x 30 fp32, col)", "ld = 7", "at least 10"});
  // The packed values themselves and ld = 0 are fine.
  EXPECT_NO_THROW(validate_gemm(golden::Config::standard(), spec(kRow, 20, kCol, 20, kCol, 10)));
  EXPECT_NO_THROW(validate_gemm(golden::Config::standard(), spec(kCol, 10, kRow, 30, kRow, 30)));
}

TEST(GemmStrided, LeadingDimensionNotEncodable) {
  expect_refused(spec(kRow, kGemmMaxLd + 1, kRow, 0, kRow, 0),
                 {"A (10 x 20 bf16, row)", fmt::format("ld = {}", kGemmMaxLd + 1), "cannot be encoded",
                  "maximum stride is 8388607 elements"});
  expect_refused(spec(kRow, 0, kRow, 0, kCol, 0xFFFFFFFFu), {"C (10 x 30 fp32, col)", "ld = 4294967295", "8388607"});
  GemmSpec s = spec(kRow, 0, kRow, 0, kRow, 0);
  s.M = 1, s.c.ld = kGemmMaxLd;  // the largest ld is fine (one row: it is not even used)
  EXPECT_NO_THROW(validate_gemm(golden::Config::standard(), s));
}

TEST(GemmStrided, StridedExtentPastDram) {
  GemmOptions o;
  o.dram_bytes = 0x200000 + 10 * 30 * 4 + 16;
  EXPECT_NO_THROW(validate_gemm(golden::Config::standard(), spec(kRow, 0, kRow, 0, kRow, 0), o));
  // ld 64 instead of 30: 9 * 64 + 30 elements of 4 bytes from 0x200000.
  expect_refused(
      spec(kRow, 0, kRow, 0, kRow, 64),
      {"C (10 x 30 fp32, row) with ld = 64", "0x200000..0x200978", "2424 bytes", "do not fit in the 2098368-byte DRAM"},
      o);
}

TEST(GemmStrided, OverlapThroughStrides) {
  // A packed: 400 bytes from 0x1000, well before B; with ld 60000 its rows reach past 0x100000.
  EXPECT_NO_THROW(validate_gemm(golden::Config::standard(), spec(kRow, 0, kRow, 0, kRow, 0)));
  expect_refused(spec(kRow, 60000, kRow, 0, kRow, 0),
                 {"A [0x1000, 0x108ae8) and B [0x100000", "overlap", "gaps of their strides", "must be disjoint"});
  // B column-major with ld 30000: 29 * 30000 + 20 elements reach into C.
  expect_refused(spec(kRow, 0, kCol, 30000, kRow, 0), {"B [0x100000, 0x2a8d08) and C [0x200000", "overlap"});
  expect_refused(spec(kRow, 0, kCol, 20000, kRow, 0), {"B [0x100000, 0x21b368) and C [0x200000", "overlap"});
}

// Through the host overload a bad ld is reported as such before anything is allocated.
TEST(GemmStrided, HostOverloadReportsBadLd) {
  auto dev = golden_device(golden::Config::standard());
  std::mt19937_64 rng(seed() + 5);
  const driver::Tensor a = random_matrix(rng, DType::kInt8, 4, 6), b = random_matrix(rng, DType::kInt8, 6, 5);
  try {
    gemm(*dev, a, b, DType::kInt32, GemmPlacement{}, GemmPlacement{kCol, 5, 0}, GemmPlacement{});
    ADD_FAILURE() << "accepted B col-major with ld 5 < K = 6";
  } catch (const GemmArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("B (6 x 5 int8, col): ld = 5"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(dev->allocator().allocations().empty());
}

// The Layout overload is the placement overload with packed operands at offset 0: same program,
// same result, no canaries. An explicit packed ld gives the very same program as ld = 0.
TEST(GemmStrided, LayoutOverloadUnchanged) {
  const golden::Config cfg = golden::Config::standard();
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() + 6);
  const driver::Tensor a = random_matrix(rng, DType::kBf16, 21, 35), b = random_matrix(rng, DType::kBf16, 35, 18);
  const GemmHostResult old = gemm(*dev, a, b, DType::kFp32, kCol, kRow, kCol);
  const GemmHostResult neu =
      gemm(*dev, a, b, DType::kFp32, GemmPlacement{kCol, 0, 0}, GemmPlacement{kRow, 0, 0}, GemmPlacement{kCol, 0, 0});
  EXPECT_EQ(old.c_canary_damage, -1);
  EXPECT_EQ(first_mismatch(old.c, reference_gemm(cfg, a, b, DType::kFp32)), -1);
  EXPECT_EQ(old.c, neu.c);
  EXPECT_EQ(old.run.program.encoded, neu.run.program.encoded);
  GemmSpec s = spec(kCol, 0, kRow, 0, kCol, 0);
  GemmSpec t = spec(kCol, 10, kRow, 30, kCol, 10);
  EXPECT_EQ(build_gemm(cfg, s).encoded, build_gemm(cfg, t).encoded);
  t.c.ld = 11;
  EXPECT_NE(build_gemm(cfg, s).encoded, build_gemm(cfg, t).encoded);
}

}  // namespace
