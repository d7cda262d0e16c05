// The MLP block (mlp.hpp) on the golden model with the race checker on: bit-exact with the
// architectural reference, each stage within its float64 bound, DRAM bytes as stated
// (docs/kernels.md section 9), and bad arguments refused.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gemm_test_util.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::kernels {
namespace {

using golden::DType;
using testing::golden_device;
using testing::seed;

MlpParams params(std::uint32_t t, std::uint32_t d, std::uint32_t f, std::string act = "gelu_tanh", bool res = true,
                 DType out = DType::kBf16, DType bias = DType::kBf16) {
  return MlpParams{t, d, f, std::move(act), res, out, bias};
}

MlpPlan run_case(const golden::Config& cfg, const MlpParams& p, std::uint64_t s) {
  SCOPED_TRACE(fmt::format("tokens {} d {} f {} {} residual {} out {} bias {} on {} (replay: SYSTOLE_SEED={})",
                           p.tokens, p.d, p.f, p.activation, p.residual, golden::dtype_name(p.out),
                           golden::dtype_name(p.bias), cfg.name, seed()));
  const MlpInputs in = random_mlp_inputs(s, p);
  auto dev = golden_device(cfg, 64u << 20);
  const MlpHostResult r = mlp(*dev, p, in);
  EXPECT_TRUE(r.result.races.empty()) << r.result.races.front();
  const MlpReference want = reference_mlp(cfg, p, in);
  const std::int64_t bad = first_mismatch(r.y, want.y);
  EXPECT_EQ(bad, -1) << "element " << bad << " " << r.program.plan.describe();
  const MlpFloat64Check f = check_mlp_float64(p, in, want, r.y);
  EXPECT_TRUE(f.h.ok()) << "H: " << f.h.first_violation;
  EXPECT_TRUE(f.y.ok()) << "Y: " << f.y.first_violation;
  EXPECT_EQ(r.result.counters.dram_rd_bytes, r.program.dram_rd_bytes);
  EXPECT_EQ(r.result.counters.dram_wr_bytes, r.program.dram_wr_bytes);
  EXPECT_EQ(r.result.counters.macs, r.program.macs);
  return r.program.plan;
}

TEST(Mlp, ShapesActivationsAndDtypes) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed();
  for (const MlpParams& p : {
           params(1, 1, 1),
           params(16, 16, 64),
           params(37, 53, 97, "gelu_erf"),
           params(20, 64, 256, "silu", false, DType::kFp32, DType::kFp32),
           params(9, 24, 40, "relu", true, DType::kFp32),
           params(33, 17, 31, "identity", false),
       }) {
    const MlpPlan pl = run_case(cfg, p, s++);
    EXPECT_TRUE(pl.resident) << pl.describe();
  }
}

TEST(Mlp, StreamingWeightsAndManyTiles) {
  std::uint64_t s = seed() + 10;
  // Weights larger than SBUF: streamed through the ring, re-read per token tile.
  const MlpPlan big = run_case(golden::Config::standard(), params(24, 200, 1030), s++);
  EXPECT_FALSE(big.resident) << big.describe();
  // fpga: token tiles of at most 128 (the PSUM), several tiles, both stages.
  const MlpPlan tiles = run_case(golden::Config::fpga(), params(300, 24, 40, "gelu_tanh", true, DType::kFp32), s++);
  EXPECT_GE(tiles.tiles, 3u) << tiles.describe();
  const MlpPlan both = run_case(golden::Config::fpga(), params(130, 72, 300), s++);
  EXPECT_FALSE(both.resident) << both.describe();
  EXPECT_GE(both.tiles, 2u) << both.describe();
  // A wide hidden layer on fpga: X^T single-buffered gives fewer, larger token tiles.
  const golden::Config fpga = golden::Config::fpga();
  std::uint32_t f = 200;
  while (f < 2000 && plan_mlp(fpga, params(200, 16, f)).x_slots != 1) f += 8;
  ASSERT_LT(f, 2000u) << "no shape with one X^T slot";
  const MlpPlan one = run_case(fpga, params(200, 16, f), s++);
  EXPECT_EQ(one.x_slots, 1u) << one.describe();
  EXPECT_GE(one.tiles, 2u) << one.describe();
}

TEST(Mlp, BadArgumentsAreRefused) {
  const golden::Config cfg = golden::Config::standard();
  auto refused = [&](const MlpParams& p, const std::string& what) {
    try {
      plan_mlp(cfg, p);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const KernelArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  refused(params(0, 4, 4), "each must be at least 1");
  refused(params(4, 4, 4, "gelu_tanh", true, DType::kInt8), "output dtype int8");
  refused(params(4, 4, 4, "gelu_tanh", true, DType::kBf16, DType::kFp8), "bias dtype fp8");
  refused(params(4, 4, 4, "swish"), "activation 'swish' is not known");
  refused(params(4, 4, 200000), "bytes of SBUF per partition");
  EXPECT_THROW(plan_mlp(golden::Config::tiny(), params(4, 4, 4)), KernelArgumentError);
  // Host tensors of the wrong shape.
  auto dev = golden_device(cfg, 1u << 20);
  const MlpParams p = params(4, 8, 8);
  MlpInputs in = random_mlp_inputs(1, p);
  in.w2 = driver::Tensor(DType::kBf16, {8, 9});
  EXPECT_THROW(mlp(*dev, p, in), KernelArgumentError);
}

}  // namespace
}  // namespace systole::kernels
