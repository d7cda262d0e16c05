// Attention (attention.hpp) on the golden model with the race checker on: bit-exact with the
// architectural reference, within the float64 bound, DRAM bytes as stated (docs/kernels.md
// section 8), and bad arguments refused.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gemm_test_util.hpp"
#include "systole/kernels/attention.hpp"

namespace systole::kernels {
namespace {

using golden::DType;
using testing::golden_device;
using testing::seed;

void run_case(const golden::Config& cfg, const AttentionParams& p, std::uint64_t s) {
  SCOPED_TRACE(fmt::format("heads {} sq {} sk {} d {} causal {} out {} on {} (replay: SYSTOLE_SEED={})", p.heads, p.sq,
                           p.sk, p.d, p.causal, golden::dtype_name(p.out), cfg.name, seed()));
  const AttentionInputs in = random_attention_inputs(s, p);
  auto dev = golden_device(cfg, 64u << 20);
  const AttentionHostResult r = attention(*dev, p, in);
  EXPECT_TRUE(r.result.races.empty()) << r.result.races.front();
  const driver::Tensor want = reference_attention(cfg, p, in);
  const std::int64_t bad = first_mismatch(r.o, want);
  EXPECT_EQ(bad, -1) << "element " << bad;
  const AttentionFloat64Check f = check_attention_float64(cfg, p, in, r.o);
  EXPECT_TRUE(f.ok()) << f.first_violation;
  EXPECT_EQ(r.result.counters.dram_rd_bytes, r.program.dram_rd_bytes);
  EXPECT_EQ(r.result.counters.dram_wr_bytes, r.program.dram_wr_bytes);
}

TEST(Attention, ShapesHeadsAndMasks) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed();
  for (const AttentionParams& p : {
           AttentionParams{1, 1, 1, 1},
           AttentionParams{1, 16, 16, 16},
           AttentionParams{1, 37, 53, 64},
           AttentionParams{2, 20, 600, 64, DType::kFp32},
           AttentionParams{1, 33, 33, 24, DType::kBf16, 0.0f, true},
           AttentionParams{3, 50, 700, 32, DType::kBf16, 0.2f, true},
           AttentionParams{1, 17, 9, 128},
       }) {
    run_case(cfg, p, s++);
  }
}

TEST(Attention, FpgaAndHeadDims) {
  const golden::Config cfg = golden::Config::fpga();
  std::uint64_t s = seed() + 10;
  for (const AttentionParams& p : {AttentionParams{2, 19, 300, 64, DType::kBf16, 0.0f, true},
                                   AttentionParams{1, 9, 40, 100}, AttentionParams{1, 8, 17, 256}}) {
    run_case(cfg, p, s++);
  }
}

TEST(Attention, BadArgumentsAreRefused) {
  const golden::Config cfg = golden::Config::standard();
  auto refused = [&](AttentionParams p, const std::string& what) {
    try {
      plan_attention(cfg, p);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const KernelArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  refused(AttentionParams{1, 0, 4, 4}, "each must be at least 1");
  refused(AttentionParams{1, 4, 4, 300}, "head dimension d = 300");
  refused(AttentionParams{1, 4, 4, 4, DType::kInt8}, "output dtype int8");
  refused(AttentionParams{1, 4, 4, 4, DType::kBf16, -1.0f}, "scale = -1");
  EXPECT_THROW(plan_attention(golden::Config::tiny(), AttentionParams{1, 4, 4, 4}), KernelArgumentError);
}

}  // namespace
}  // namespace systole::kernels
