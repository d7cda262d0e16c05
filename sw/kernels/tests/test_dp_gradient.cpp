// The data-parallel gradient all-reduce on the golden multi-chip system: every chip's dW
// bit-exact with the composed reference (shard GEMMs, then the ring all-reduce order), equal to
// the single-chip GEMM on one chip, within a float64 bound of the whole batch's X^T dY, race-free.
#include <gtest/gtest.h>

#include <cmath>

#include "systole/kernels/dp_gradient.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/kernels/kernel_error.hpp"

using namespace systole;
using namespace systole::kernels;

TEST(DpGradient, EveryChipHoldsTheSumOfTheShardGradients) {
  const golden::Config cfg = golden::Config::fpga();
  for (std::uint32_t n : {1u, 2u, 3u, 4u}) {
    SCOPED_TRACE(testing::Message() << n << " chips");
    DpGradParams p;
    p.chips = n;
    p.batch = 24 * n;
    p.d_in = 20;
    p.d_out = 36;
    const DpGradInputs in = random_dp_inputs(70 + n, p);
    auto dev = driver::make_multi_device("golden", cfg.name, n);
    const DpGradResult r = dp_gradient(*dev, p, in);
    ASSERT_TRUE(r.races.empty()) << r.races.front();
    const driver::Tensor want = reference_dp_gradient(cfg, p, in);
    for (std::uint32_t j = 0; j < n; ++j) EXPECT_EQ(r.dw[j], want) << "chip " << j;
    if (n == 1) {
      EXPECT_EQ(r.dw[0], reference_gemm(cfg, driver::transpose(in.x), in.dy, golden::DType::kFp32));
    }
    // float64: dW = X^T dY over the whole batch; bf16 products are exact in fp32, each chip's
    // GEMM and the all-reduce round at most (batch + 2N) times at 2^-24 of sum |x dy|.
    double worst = 0;
    for (std::uint32_t a = 0; a < p.d_in; ++a) {
      for (std::uint32_t b = 0; b < p.d_out; ++b) {
        double exact = 0, mag = 0;
        for (std::uint32_t k = 0; k < p.batch; ++k) {
          const double t = in.x.value(std::size_t{k} * p.d_in + a) * in.dy.value(std::size_t{k} * p.d_out + b);
          exact += t;
          mag += std::fabs(t);
        }
        const double err = std::fabs(r.dw[0].value(std::size_t{a} * p.d_out + b) - exact);
        const double bound = (p.batch + 2.0 * n) * std::ldexp(1.0, -24) * mag;
        worst = std::max(worst, bound > 0 ? err / bound : err);
      }
    }
    EXPECT_LE(worst, 1.0);
  }
}

TEST(DpGradient, ArgumentsAreChecked) {
  const golden::Config cfg = golden::Config::fpga();
  DpGradParams p;
  p.chips = 3;
  p.batch = 10;  // not a multiple of 3
  p.d_in = p.d_out = 8;
  EXPECT_THROW(validate_dp_gradient(cfg, p), KernelArgumentError);
  p.batch = 0;
  EXPECT_THROW(validate_dp_gradient(cfg, p), KernelArgumentError);
  p.batch = 12;
  EXPECT_NO_THROW(validate_dp_gradient(cfg, p));
}
