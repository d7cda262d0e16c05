// The tensor-parallel MLP on the golden multi-chip system: every chip's Y bit-exact with the
// composed reference (shard MLPs, then the all-reduce in ring order), equal to the single-chip
// result on one chip, within the float64 bound of the whole MLP, and race-free across chips.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "systole/kernels/tp_mlp.hpp"

using namespace systole;
using namespace systole::kernels;

namespace {

TpMlpParams params(std::uint32_t chips, std::uint32_t tokens, std::uint32_t d, std::uint32_t f) {
  TpMlpParams p;
  p.chips = chips;
  p.mlp.tokens = tokens;
  p.mlp.d = d;
  p.mlp.f = f;
  return p;
}

}  // namespace

TEST(TpMlp, BitExactWithTheComposedReferenceOnEveryChip) {
  const golden::Config cfg = golden::Config::fpga();
  for (std::uint32_t n : {1u, 2u, 4u, 8u}) {
    SCOPED_TRACE(fmt::format("{} chips", n));
    TpMlpParams p = params(n, 20, 24, 64);
    p.mlp.bias = n == 4 ? golden::DType::kFp32 : golden::DType::kBf16;
    const MlpInputs in = random_mlp_inputs(40 + n, p.mlp);
    auto dev = driver::make_multi_device("golden", cfg.name, n);
    const TpMlpResult r = tp_mlp(*dev, p, in);
    ASSERT_TRUE(r.races.empty()) << r.races.front();
    const driver::Tensor want = reference_tp_mlp(cfg, p, in);
    for (std::uint32_t j = 0; j < n; ++j) EXPECT_EQ(r.y[j], want) << "chip " << j;
    // Against the whole MLP in float64 (the H stage is the single-chip one: same columns).
    MlpParams full = p.mlp;
    full.out = golden::DType::kFp32;
    const MlpReference ref = reference_mlp(cfg, full, in);
    const MlpFloat64Check c = check_mlp_float64(full, in, ref, r.y[0]);
    EXPECT_TRUE(c.ok()) << "worst error / bound " << c.combined().worst_ratio;
    if (n == 1) {
      EXPECT_EQ(r.y[0], ref.y);  // one chip is the single-chip MLP, bit for bit
    } else {
      // Y is small here (<= 4 KiB): the all-reduce is recursive doubling on 2^k chips, log2 N
      // exchanges of the whole Y per chip.
      const std::uint64_t y_bytes = std::uint64_t{p.mlp.tokens} * p.mlp.d * 4;
      std::uint64_t steps = 0;
      while ((1u << steps) < n) ++steps;
      EXPECT_EQ(r.link_tx_bytes, n * steps * y_bytes);
    }
  }
}

TEST(TpMlp, ArgumentsAreChecked) {
  const golden::Config cfg = golden::Config::fpga();
  EXPECT_THROW(validate_tp_mlp(cfg, params(3, 8, 16, 64)), KernelArgumentError);  // 64 % 3
  EXPECT_THROW(validate_tp_mlp(cfg, params(0, 8, 16, 64)), KernelArgumentError);
  EXPECT_THROW(validate_tp_mlp(cfg, params(17, 8, 16, 68)), KernelArgumentError);
  EXPECT_NO_THROW(validate_tp_mlp(cfg, params(4, 8, 16, 64)));
}
