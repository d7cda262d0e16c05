// GEMM with a fused epilogue (gemm_epilogue.hpp) on the golden model with the race checker on:
// bit-exact with the architectural reference (the GEMM reference, then the epilogue), within the
// float64 bound, DRAM bytes equal to the plain GEMM's plus the epilogue's inputs, the identity
// epilogue to bf16 bit-exact with the plain GEMM's DMA cast, and bad arguments refused.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <random>

#include "gemm_test_util.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/gemm.hpp"

namespace systole::kernels {
namespace {

using golden::DType;
using testing::golden_device;
using testing::seed;

driver::Tensor random_vector(std::mt19937_64& rng, DType t, std::vector<std::uint64_t> shape, float sd) {
  driver::Tensor v(t, std::move(shape));
  std::normal_distribution<float> n(0.0f, sd);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto bits = std::bit_cast<std::uint32_t>(n(rng));
    v.set_raw(i, t == DType::kBf16 ? golden::num::f32_to_bf16(bits) : bits);
  }
  return v;
}

struct FusedCase {
  std::uint32_t M, K, N;
  DType in = DType::kBf16, out = DType::kBf16;
  std::string act = "identity";
  float alpha = 1.0f;
  bool bias_col = false, bias_row = false, residual = false;
  DType vec_dtype = DType::kBf16;
  GemmOptions opts{};
  std::string describe() const {
    return fmt::format("{}x{}x{} {}->{} act {} alpha {}{}{}{} vec {} (replay: SYSTOLE_SEED={})", M, K, N,
                       golden::dtype_name(in), golden::dtype_name(out), act, alpha, bias_col ? " bias_col" : "",
                       bias_row ? " bias_row" : "", residual ? " residual" : "", golden::dtype_name(vec_dtype), seed());
  }
};

void run_fused(const golden::Config& cfg, const FusedCase& c, std::uint64_t s) {
  SCOPED_TRACE(c.describe() + " on " + cfg.name);
  std::mt19937_64 rng(s);
  const driver::Tensor a = random_matrix(rng, c.in, c.M, c.K);
  const driver::Tensor b = random_matrix(rng, c.in, c.K, c.N);
  EpilogueInputs e;
  e.activation = c.act;
  e.alpha = c.alpha;
  if (c.bias_col) e.bias_col = random_vector(rng, c.vec_dtype, {c.N}, 1.0f);
  if (c.bias_row) e.bias_row = random_vector(rng, c.vec_dtype, {c.M}, 1.0f);
  if (c.residual) e.residual = random_vector(rng, c.vec_dtype, {c.M, c.N}, 1.0f);
  auto dev = golden_device(cfg, 64u << 20);
  const GemmHostResult r = gemm_fused(*dev, a, b, e, c.out, c.opts);
  EXPECT_TRUE(r.run.result.races.empty()) << r.run.result.races.front();
  const DType acc = c.in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
  const driver::Tensor want = reference_epilogue(reference_gemm(cfg, a, b, acc), e, c.out);
  const std::int64_t bad = first_mismatch(r.c, want);
  EXPECT_EQ(bad, -1) << "element " << bad << ": got 0x" << std::hex
                     << r.c.raw(static_cast<std::size_t>(std::max<std::int64_t>(bad, 0))) << ", expected 0x"
                     << want.raw(static_cast<std::size_t>(std::max<std::int64_t>(bad, 0)));
  const EpilogueFloat64Check f = check_fused_float64(a, b, e, r.c);
  EXPECT_TRUE(f.ok()) << f.first_violation;
  EXPECT_GT(f.checked, 0u);
  // DRAM: A and B as the plain GEMM of the same plan reads them, C once, the epilogue's inputs once.
  auto plain = golden_device(cfg, 64u << 20);
  const GemmHostResult p = gemm(*plain, a, b, acc, Layout::kRowMajor, Layout::kRowMajor, Layout::kRowMajor, c.opts);
  std::uint64_t extra = epilogue_aux_image(c.act).size() * 4;
  for (const auto* t : {&e.bias_col, &e.bias_row, &e.residual}) extra += *t ? (*t)->bytes().size() : 0;
  // Never more than the plain GEMM plus the epilogue's inputs; exactly that with the same plan.
  EXPECT_LE(r.run.result.counters.dram_rd_bytes, p.run.result.counters.dram_rd_bytes + extra);
  if (p.run.program.plan.transposed == r.run.program.plan.transposed &&
      p.run.program.plan.describe() == r.run.program.plan.describe()) {
    EXPECT_EQ(r.run.result.counters.dram_rd_bytes, p.run.result.counters.dram_rd_bytes + extra);
  }
  EXPECT_EQ(r.run.result.counters.dram_wr_bytes, std::uint64_t{c.M} * c.N * golden::dtype_size(c.out));
}

TEST(GemmFused, EveryStepAndOutput) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed();
  for (const FusedCase& c : {
           FusedCase{33, 40, 50, DType::kBf16, DType::kBf16, "gelu_tanh", 1.0f, true},
           FusedCase{17, 64, 30, DType::kBf16, DType::kBf16, "gelu_erf", 0.5f, true},
           FusedCase{20, 33, 47, DType::kBf16, DType::kFp32, "silu", 1.0f, false, true},
           FusedCase{40, 20, 19, DType::kBf16, DType::kBf16, "relu", 0.25f, true, true, true},
           FusedCase{16, 50, 64, DType::kFp8, DType::kFp8, "identity", 0.125f, true, false, true, DType::kFp32},
           FusedCase{9, 70, 33, DType::kInt8, DType::kInt8, "identity", 1.0f / 64, true},
           FusedCase{25, 31, 18, DType::kInt8, DType::kBf16, "tanh", 1.0f / 512, false, true, false, DType::kFp32},
           FusedCase{5, 300, 7, DType::kBf16, DType::kBf16, "sigmoid", 0.1f, false, false, true},
           FusedCase{64, 16, 8, DType::kBf16, DType::kFp32, "softplus", 1.0f, false, true},         // transposed plan
           FusedCase{70, 16, 5, DType::kBf16, DType::kBf16, "gelu_tanh", 1.0f, true, false, true},  // transposed
       }) {
    run_fused(cfg, c, s++);
  }
}

TEST(GemmFused, StreamingAndSmallConfigs) {
  std::uint64_t s = seed() + 50;
  FusedCase c{40, 70, 90, DType::kBf16, DType::kBf16, "gelu_tanh", 1.0f, true, false, true};
  c.opts = testing::small_stages(golden::Config::standard(), DType::kBf16);
  run_fused(golden::Config::standard(), c, s++);
  for (const FusedCase& f : {FusedCase{19, 37, 41, DType::kBf16, DType::kBf16, "silu", 1.0f, true, true, true},
                             FusedCase{8, 9, 300, DType::kInt8, DType::kInt8, "relu", 0.01f, true}}) {
    run_fused(golden::Config::fpga(), f, s++);
  }
}

TEST(GemmFused, IdentityToBf16EqualsThePlainCast) {
  const golden::Config cfg = golden::Config::standard();
  std::mt19937_64 rng(seed());
  const driver::Tensor a = random_matrix(rng, DType::kBf16, 37, 45, Fill::kSpecial);
  const driver::Tensor b = random_matrix(rng, DType::kBf16, 45, 29, Fill::kSpecial);
  auto d1 = golden_device(cfg), d2 = golden_device(cfg);
  const GemmHostResult f = gemm_fused(*d1, a, b, EpilogueInputs{}, DType::kBf16);
  const GemmHostResult p = gemm(*d2, a, b, DType::kBf16);
  EXPECT_EQ(first_mismatch(f.c, p.c), -1);
}

TEST(GemmFused, BadArgumentsAreRefused) {
  const golden::Config cfg = golden::Config::standard();
  std::mt19937_64 rng(seed());
  const driver::Tensor a = random_matrix(rng, DType::kBf16, 4, 8);
  const driver::Tensor b = random_matrix(rng, DType::kBf16, 8, 6);
  auto refused = [&](const EpilogueInputs& e, DType out, const std::string& what) {
    auto dev = golden_device(cfg);
    try {
      gemm_fused(*dev, a, b, e, out);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const KernelArgumentError& x) {
      EXPECT_NE(std::string(x.what()).find(what), std::string::npos) << x.what();
    }
  };
  EpilogueInputs e;
  e.activation = "swish2";
  refused(e, DType::kBf16, "activation 'swish2' is not known");
  e = EpilogueInputs{};
  e.bias_col = random_vector(rng, DType::kBf16, {5}, 1);
  refused(e, DType::kBf16, "bias_col is bf16[5]: expected shape [6]");
  e = EpilogueInputs{};
  e.alpha = std::numeric_limits<float>::quiet_NaN();
  refused(e, DType::kBf16, "alpha");
  refused(EpilogueInputs{}, DType::kInt32, "expected fp32, bf16, fp8 or int8");
  try {
    validate_gemm_types(golden::Config::tiny(), 4, 8, 6, DType::kInt8, DType::kInt8, true);
    ADD_FAILURE() << "a fused epilogue accepted on tiny";
  } catch (const KernelArgumentError& x) {
    EXPECT_NE(std::string(x.what()).find("needs the vector engine"), std::string::npos) << x.what();
  }
}

}  // namespace
}  // namespace systole::kernels
