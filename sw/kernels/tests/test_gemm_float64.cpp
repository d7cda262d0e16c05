// GEMM kernel against a float64 reference: every element within the bound of docs/numerics.md
// section 3 ((K + 1) 2^-24 sum|a b| + K 2^-126, plus 2^-8 (|c| + sum|a b|) for a bf16 C);
// int32 C exact (modulo 2^32). Also shows the check can fail.
#include <gtest/gtest.h>

#include "gemm_test_util.hpp"

using namespace systole;
using namespace systole::kernels;
using namespace systole::kernels::testing;
using golden::DType;

namespace {
class GemmFloat64 : public ::testing::TestWithParam<std::string> {};
}  // namespace

TEST_P(GemmFloat64, WithinTheNumericsBound) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() + 17);
  const bool large = cfg.partitions > 32;
  for (int it = 0; it < (large ? 2 : 6); ++it) {
    for (DType in : {DType::kInt8, DType::kBf16, DType::kFp8}) {
      if (!cfg.tensor_dtype_enabled(in)) continue;
      const DType out = (in != DType::kInt8 && it % 2) ? DType::kBf16 : accumulator(in);
      const auto M = 1 + static_cast<std::uint32_t>(rng() % (2 * cfg.columns + 3));
      const auto K = 1 + static_cast<std::uint32_t>(rng() % (large ? 300 : 6 * cfg.partitions + 7));
      const auto N = 1 + static_cast<std::uint32_t>(rng() % 90);
      const Case k{M, K, N, in, out, it % 2 ? Layout::kColMajor : Layout::kRowMajor, Layout::kRowMajor};
      const Outcome o = run_and_check(*dev, k, rng);
      const Float64Check c = check_against_float64(o.a, o.b, o.c);
      EXPECT_TRUE(c.ok()) << k.describe(cfg) << ": " << c.first_violation;
      EXPECT_EQ(c.checked, std::uint64_t{M} * N);
      EXPECT_LE(c.worst_ratio, 1.0);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, GemmFloat64, ::testing::Values("tiny", "fpga", "default", "large"),
                         [](const auto& info) { return info.param; });

// The check is not vacuous: one flipped low mantissa bit of one element is inside the bound, a
// flipped exponent bit is not; an int32 off by one is caught.
TEST(GemmFloat64Check, DetectsWrongResults) {
  std::mt19937_64 rng(5);
  const golden::Config cfg = golden::Config::standard();
  const auto a = random_matrix(rng, DType::kBf16, 8, 40);
  const auto b = random_matrix(rng, DType::kBf16, 40, 8);
  driver::Tensor c = reference_gemm(cfg, a, b, DType::kFp32);
  EXPECT_TRUE(check_against_float64(a, b, c).ok());
  c.set_raw(13, c.raw(13) ^ 1u);
  EXPECT_TRUE(check_against_float64(a, b, c).ok());
  c.set_raw(13, c.raw(13) ^ (1u << 24));
  const Float64Check bad = check_against_float64(a, b, c);
  EXPECT_EQ(bad.violations, 1u);
  EXPECT_NE(bad.first_violation.find("C[1][5]"), std::string::npos) << bad.first_violation;

  const auto ai = random_matrix(rng, DType::kInt8, 3, 5);
  const auto bi = random_matrix(rng, DType::kInt8, 5, 2);
  driver::Tensor ci = reference_gemm(cfg, ai, bi, DType::kInt32);
  EXPECT_TRUE(check_against_float64(ai, bi, ci).ok());
  ci.set_raw(4, ci.raw(4) + 1);
  EXPECT_FALSE(check_against_float64(ai, bi, ci).ok());
}

// Non-finite references (a NaN or infinity in the inputs) are skipped, not counted as passing.
TEST(GemmFloat64Check, SkipsNonFiniteReferences) {
  driver::Tensor a(DType::kBf16, {1, 2}), b(DType::kBf16, {2, 2});
  a.set_raw(0, 0x7F80);  // +inf
  a.set_raw(1, 0x3F80);  // 1
  b.set_raw(0, 0x3F80);  // column 0: inf * 1 + 1 * 0 = inf
  b.set_raw(3, 0x3F80);  // column 1: inf * 0 -> NaN
  const driver::Tensor c = reference_gemm(golden::Config::standard(), a, b, DType::kFp32);
  const Float64Check r = check_against_float64(a, b, c);
  EXPECT_EQ(r.skipped, 2u);
  EXPECT_EQ(r.checked, 0u);
}
