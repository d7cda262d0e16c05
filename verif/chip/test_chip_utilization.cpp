// The utilization floor of named GEMM shapes on the Verilated `default` chip (issue 13): a few
// shapes of each class of `make bench` (square, skinny, tall, short-k), run with the bench's DRAM
// (100-cycle latency, 64 bytes per cycle). Simulated cycles are deterministic, so this is not a
// timed test: each shape must reach its floor as a fraction of its bound (the roofline,
// kernels::gemm_roofline, with the array's feed: kernels::gemm_feed_bound, lower than the roofline
// only when M < C), its result must be bit-exact, and the static timing model must stay
// within its stated distance of the RTL (docs/software.md section 1.2).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "bench_chip.hpp"
#include "systole/driver/timing_model.hpp"
#include "systole/golden/builder.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"

namespace systole::verif {
namespace {

using golden::DType;

struct Floor {
  const char* cls;
  std::uint32_t m, k, n;
  DType in;
  double of_bound;  // the floor: utilization / bound
};

// Floors: the targets where they apply (>= 90% for M, N, K >= 256; >= 85% for M <= 64
// with K, N >= 1024), else a little under what the tree reaches (docs/performance.md).
constexpr Floor kFloors[] = {
    {"square", 256, 256, 256, DType::kBf16, 0.90},
    {"square", 256, 256, 256, DType::kInt8, 0.90},
    {"skinny", 16, 1024, 1024, DType::kBf16, 0.85},
    {"skinny", 1, 1024, 1024, DType::kBf16, 0.85},
    {"skinny", 1, 1024, 1024, DType::kFp8, 0.85},
    {"skinny", 64, 1024, 1024, DType::kInt8, 0.85},
    {"tall", 512, 512, 64, DType::kBf16, 0.88},
    {"tall", 1024, 1024, 16, DType::kBf16, 0.85},
    {"short-k", 512, 64, 512, DType::kBf16, 0.88},
    // The start-up shapes, where the model was furthest from the RTL (the first loads, instruction
    // fetch, the stores' round robin on W, the array drained at each m-tile's NOP).
    {"square", 64, 64, 64, DType::kFp8, 0.48},
    {"square", 128, 128, 128, DType::kFp8, 0.80},
};

// How far the timing model may be from the RTL on these shapes. Every row of `make bench` is
// within issue 13's 3% (docs/performance.md); here 3.5%, because a GEMM's start-up depends on
// the round-robin pointers earlier runs in the same process left in the arbiters (which queue's
// first loads finish last): 16 x 1024 x 1024 bf16 takes 76669 cycles as a process's first run
// and 75174-75917 after others, a 2% spread the static model cannot see.
constexpr double kModelTolerance = 0.035;

class ChipUtilization : public ::testing::TestWithParam<Floor> {};

TEST_P(ChipUtilization, ReachesItsFloor) {
  const auto chip = bench_default_chip();
  if (!chip) GTEST_SKIP() << "no default chip model built";
  const Floor& f = GetParam();
  sim::RtlDevice& dev = *chip;
  const golden::Config& cfg = dev.config();
  kernels::GemmOptions g;  // its timing model assumes the same DRAM by default (100, 64)
  const DType out = f.in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
  std::mt19937_64 rng(f.m * 1000003ull + f.k * 1009ull + f.n);
  const driver::Tensor a = kernels::random_matrix(rng, f.in, f.m, f.k);
  const driver::Tensor b = kernels::random_matrix(rng, f.in, f.k, f.n);
  const kernels::GemmHostResult r = kernels::gemm(dev, a, b, out, kernels::Layout::kRowMajor,
                                                  kernels::Layout::kRowMajor, kernels::Layout::kRowMajor, g);
  EXPECT_LT(kernels::first_mismatch(r.c, kernels::reference_gemm(cfg, a, b, out)), 0) << "not bit-exact";
  const driver::Counters& k = r.run.result.counters;
  ASSERT_TRUE(k.cycles.has_value());
  const double util = k.utilization(cfg).value_or(0);
  const double roof = kernels::gemm_roofline(cfg, f.m, f.k, f.n, f.in, out, 64);
  const double bound = kernels::gemm_feed_bound(cfg, f.m, f.k, f.n, f.in, out, 64);
  const double model = static_cast<double>(r.run.program.estimate.cycles);
  const double rtl = static_cast<double>(*k.cycles);
  std::printf(
      "%s %ux%ux%u %s: %llu cycles, utilization %.1f%%, roofline %.1f%%, bound %.1f%%, %.1f%% of it; model %.0f "
      "(%+.1f%%)\n",
      f.cls, f.m, f.k, f.n, golden::dtype_name(f.in).data(), static_cast<unsigned long long>(*k.cycles), 100 * util,
      100 * roof, 100 * bound, 100 * util / bound, model, 100 * (model / rtl - 1));
  EXPECT_GE(util / bound, f.of_bound) << "plan: " << r.run.program.plan.describe();
  EXPECT_NEAR(model / rtl, 1.0, kModelTolerance) << "the static model against the RTL";
}

INSTANTIATE_TEST_SUITE_P(Named, ChipUtilization, ::testing::ValuesIn(kFloors), [](const auto& info) {
  const Floor& f = info.param;
  std::string cls = f.cls;
  std::replace(cls.begin(), cls.end(), '-', '_');
  return cls + "_" + std::to_string(f.m) + "x" + std::to_string(f.k) + "x" + std::to_string(f.n) + "_" +
         std::string(golden::dtype_name(f.in));
});

// Instruction fetch keeps a chain of short MATMULs fed at a 100-cycle DRAM: 256 MATMULs of N = 4
// want one instruction every ~20 cycles, which four fetch slots (4 instructions per ~110 cycles)
// cannot give and `default`'s eight can (chip_top's FetchSlots, driver::fetch_slots).
TEST(ChipFetch, ShortMatmulsStayFed) {
  const auto chip = bench_default_chip();
  if (!chip) GTEST_SKIP() << "no default chip model built";
  sim::RtlDevice& dev = *chip;
  const golden::Config& cfg = dev.config();
  golden::ProgramBuilder b(cfg);
  const golden::Tap out = golden::tap(golden::Space::kPsum, DType::kFp32, 0, 1, 0, {{4, 1}});
  const golden::Tap st = golden::tap(golden::Space::kSbuf, DType::kBf16, 0, 16, 0, {{1, 1}});
  const golden::Tap mv = golden::tap(golden::Space::kSbuf, DType::kBf16, 0, 16, 64, {{4, 1}});
  constexpr int kMatmuls = 256;
  for (int i = 0; i < kMatmuls; ++i) b.matmul(out, st, mv, i == 0);
  b.end();
  const driver::RunResult r = dev.run(b);
  ASSERT_TRUE(r.counters.cycles.has_value());
  const double rtl = static_cast<double>(*r.counters.cycles);
  driver::TimingModel tm;  // the bench's DRAM: 100 cycles
  const double model = static_cast<double>(driver::estimate_program(cfg, b.instructions(), tm).cycles);
  tm.fetch_slots = 4;
  const double four = static_cast<double>(driver::estimate_program(cfg, b.instructions(), tm).cycles);
  std::printf("%d MATMULs of N = 4: %.0f cycles, model %.0f, model with 4 fetch slots %.0f\n", kMatmuls, rtl, model,
              four);
  EXPECT_EQ(driver::fetch_slots(cfg), 8u);
  EXPECT_LT(rtl, 0.85 * four) << "the fetch does not run 8 instructions ahead";
  EXPECT_NEAR(model / rtl, 1.0, kModelTolerance) << "the static model against the RTL";
}

}  // namespace
}  // namespace systole::verif
