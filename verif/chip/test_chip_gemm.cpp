// GEMMs on the Verilated chip (RtlDevice) against the golden device: the same operands, the same
// program (both devices allocate identically), C bit-exact with the golden device's C and with
// the architectural reference, and the counters the architecture defines (MACS, DRAM_RD_BYTES,
// DRAM_WR_BYTES, INSTRUCTIONS) equal to golden's; FETCH_BYTES at most fetch_slots - 1 instructions more
// (prefetch, docs/chip.md section 4). Every run draws a new DRAM behaviour: latency, jitter,
// back-pressure on every channel, bandwidth, reordering and interleaving across IDs.
//
// Per configuration a list of cases, split into shards (one ctest test each, so they run in
// parallel): first the named edge shapes, each enabled dtype and all A/B/C layouts in turn, then
// random shapes (half small, half up to several tiles in every dimension and N up to 2 NMAX);
// every fifth case with special values or extremes. Named shapes (P partitions, C columns, NX = NMAX): 1x1x1, primes 7x13x11, K > P
// (P+1 and 2P+3, a short last pass), N > NMAX (NX+1), M > C (C+1, 2C+1), exactly one tile
// (C x P x min(NX, 64)), K = 1, and a bf16 output through the DMA cast where the configuration
// has floats.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <tuple>

#include "dram_knobs.hpp"
#include "systole/driver/golden_device.hpp"
#include "systole/driver/timing_model.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/sim/rtl_device.hpp"
#include "test_seed.hpp"

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

using golden::DType;
using kernels::Layout;

struct GemmCase {
  std::uint32_t M = 1, K = 1, N = 1;
  DType in = DType::kInt8, out = DType::kInt32;
  Layout a = Layout::kRowMajor, b = Layout::kRowMajor, c = Layout::kRowMajor;
  kernels::Fill fill = kernels::Fill::kNormal;
  std::string describe() const {
    return fmt::format("M={} K={} N={} {}->{} A {} B {} C {} fill {}", M, K, N, golden::dtype_name(in),
                       golden::dtype_name(out), kernels::layout_name(a), kernels::layout_name(b),
                       kernels::layout_name(c), static_cast<int>(fill));
  }
};

// Shards per configuration and GEMMs per shard: 300 GEMMs in all (sized for the CPU budget of
// the suite, docs/software.md).
struct Plan {
  const char* cfg;
  unsigned shards, per_shard;
};
constexpr std::array<Plan, 3> kPlans = {{{"tiny", 12, 10}, {"fpga", 10, 10}, {"default", 8, 10}}};

std::vector<DType> input_dtypes(const golden::Config& cfg) {
  std::vector<DType> v;
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8}) {
    if (cfg.tensor_dtype_enabled(t)) v.push_back(t);
  }
  return v;
}

DType accumulator(DType in) { return in == DType::kInt8 ? DType::kInt32 : DType::kFp32; }

// Case i of the configuration's list (the same list for every shard and every seed, except the
// random shapes, which come from `rng`).
GemmCase make_case(const golden::Config& cfg, unsigned i, std::mt19937_64& rng) {
  const std::uint32_t P = cfg.partitions, C = cfg.columns, NX = cfg.nmax;
  const std::array<std::array<std::uint32_t, 3>, 10> named = {{
      {1, 1, 1},
      {7, 13, 11},
      {3, P + 1, 20},
      {C + 1, 2 * P + 3, 9},
      {2, 3, NX + 1},
      {2 * C + 1, 5, 6},
      {C, P, std::min<std::uint32_t>(NX, 64)},
      {5, 1, 17},
      {17, 19, 23},
      {C + 3, P + 2, 2 * C + 5},
  }};
  const auto dts = input_dtypes(cfg);
  GemmCase k;
  if (i < named.size() * dts.size()) {
    const auto& s = named[i % named.size()];
    k.M = s[0];
    k.K = s[1];
    k.N = s[2];
    k.in = dts[(i / named.size()) % dts.size()];
  } else if (rng() % 2) {  // small
    k.M = 1 + static_cast<std::uint32_t>(rng() % (2 * C + 3));
    k.K = 1 + static_cast<std::uint32_t>(rng() % (3 * P + 2));
    k.N = 1 + static_cast<std::uint32_t>(rng() % std::min<std::uint32_t>(NX + 20, 3 * C + 40));
    k.in = dts[rng() % dts.size()];
  } else {  // up to several tiles in every dimension, N up to two NMAX
    k.M = 1 + static_cast<std::uint32_t>(rng() % (3 * C + 5));
    k.K = 1 + static_cast<std::uint32_t>(rng() % (5 * P + 7));
    k.N = 1 + static_cast<std::uint32_t>(rng() % (2 * NX + 50));
    k.in = dts[rng() % dts.size()];
  }
  // Every fifth case: special values (NaN, infinities, denormals, every bit pattern) or the
  // extremes of the dtype (int8 -128 x -128 included).
  k.fill = i % 5 == 3 ? kernels::Fill::kSpecial : i % 5 == 4 ? kernels::Fill::kExtremes : kernels::Fill::kNormal;
  k.a = (i & 1) ? Layout::kColMajor : Layout::kRowMajor;
  k.b = (i & 2) ? Layout::kColMajor : Layout::kRowMajor;
  k.c = (i & 4) ? Layout::kColMajor : Layout::kRowMajor;
  k.out = (k.in != DType::kInt8 && i % 3 == 2) ? DType::kBf16 : accumulator(k.in);
  return k;
}

class ChipGemm : public ::testing::TestWithParam<std::tuple<std::string, unsigned>> {};

TEST_P(ChipGemm, RtlMatchesGolden) {
  const auto& [name, shard] = GetParam();
  const Plan plan = *std::find_if(kPlans.begin(), kPlans.end(), [&](const Plan& p) { return name == p.cfg; });
  RtlOptions o;
  o.sim.dram_bytes = 16u << 20;
  o.max_cycles = 5'000'000;
  RtlDevice rtl(name, o);
  driver::GoldenDevice gold(golden::Config::by_name(name), o.sim.dram_bytes, false);
  const golden::Config& cfg = rtl.config();

  std::mt19937_64 rng(test_seed(true));
  std::uint64_t cycles = 0, macs = 0;
  for (unsigned j = 0; j < plan.per_shard; ++j) {
    const unsigned i = shard * plan.per_shard + j;
    const GemmCase k = make_case(cfg, i, rng);
    const std::string dram = randomize_dram(rtl.sim().memory().config(), rng);
    const driver::Tensor a = kernels::random_matrix(rng, k.in, k.M, k.K, k.fill);
    const driver::Tensor b = kernels::random_matrix(rng, k.in, k.K, k.N, k.fill);
    const std::string what = fmt::format("{} case {}: {}; {}\n{}", name, i, k.describe(), dram, replay_command(name));

    kernels::GemmHostResult got;
    try {
      got = kernels::gemm(rtl, a, b, k.out, k.a, k.b, k.c);
    } catch (const std::exception& e) {
      FAIL() << what << "\nthe RTL run failed: " << e.what();
    }
    const kernels::GemmHostResult want = kernels::gemm(gold, a, b, k.out, k.a, k.b, k.c);
    const auto& rc = got.run.result.counters;
    const auto& gc = want.run.result.counters;

    const std::int64_t bad = kernels::first_mismatch(got.c, want.c);
    EXPECT_EQ(bad, -1) << what << "\nelement " << bad << " is 0x" << std::hex << (bad >= 0 ? got.c.raw(bad) : 0)
                       << ", golden 0x" << (bad >= 0 ? want.c.raw(bad) : 0);
    EXPECT_EQ(kernels::first_mismatch(want.c, kernels::reference_gemm(cfg, a, b, k.out)), -1) << what;
    EXPECT_EQ(rc.macs, gc.macs) << what;
    EXPECT_EQ(rc.macs, std::uint64_t{k.M} * k.K * k.N) << what;
    EXPECT_EQ(rc.dram_rd_bytes, gc.dram_rd_bytes) << what;
    EXPECT_EQ(rc.dram_wr_bytes, gc.dram_wr_bytes) << what;
    EXPECT_EQ(rc.instructions, gc.instructions) << what;
    EXPECT_GE(rc.fetch_bytes, gc.fetch_bytes) << what;
    EXPECT_LE(rc.fetch_bytes, gc.fetch_bytes + (driver::fetch_slots(cfg) - 1) * golden::kInstructionBytes) << what;
    ASSERT_TRUE(rc.cycles.has_value()) << what;
    EXPECT_TRUE(rtl.sim().memory().violations().empty()) << what;
    if (::testing::Test::HasFailure()) return;
    cycles += *rc.cycles;
    macs += rc.macs;
  }
  std::printf("[ %s shard %u ] %u GEMMs bit-exact with golden, %llu chip cycles, utilization %.1f%%\n", name.c_str(),
              shard, plan.per_shard, static_cast<unsigned long long>(cycles),
              100.0 * static_cast<double>(macs) / (static_cast<double>(cycles) * cfg.partitions * cfg.columns));
}

std::vector<std::tuple<std::string, unsigned>> shards() {
  std::vector<std::tuple<std::string, unsigned>> v;
  const std::vector<std::string> built = chip_configs();  // SYSTOLE_CHIP_CONFIGS
  for (const Plan& p : kPlans) {
    if (std::find(built.begin(), built.end(), p.cfg) == built.end()) continue;
    for (unsigned s = 0; s < p.shards; ++s) v.emplace_back(p.cfg, s);
  }
  return v;
}

INSTANTIATE_TEST_SUITE_P(Shards, ChipGemm, ::testing::ValuesIn(shards()), [](const auto& info) {
  return std::get<0>(info.param) + "_" + std::to_string(std::get<1>(info.param));
});

}  // namespace
}  // namespace systole::verif
