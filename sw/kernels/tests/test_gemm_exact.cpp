// GEMM kernel on the golden device: bit-exact against golden::reference::naive_gemm (the
// architectural accumulation order) for many shapes, every enabled dtype, all layouts and
// special values, on every configuration, with the race checker attached to every run.
#include <gtest/gtest.h>

#include <array>

#include "gemm_test_util.hpp"

using namespace systole;
using namespace systole::kernels;
using namespace systole::kernels::testing;
using golden::DType;

namespace {

std::vector<DType> input_dtypes(const golden::Config& cfg) {
  std::vector<DType> v;
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8}) {
    if (cfg.tensor_dtype_enabled(t)) v.push_back(t);
  }
  return v;
}

constexpr std::array<std::pair<Layout, Layout>, 4> kLayouts = {
    std::pair{Layout::kRowMajor, Layout::kRowMajor}, std::pair{Layout::kRowMajor, Layout::kColMajor},
    std::pair{Layout::kColMajor, Layout::kRowMajor}, std::pair{Layout::kColMajor, Layout::kColMajor}};

// Named shapes for a configuration: the corners of the tiling.
std::vector<std::array<std::uint32_t, 3>> named_shapes(const golden::Config& cfg) {
  const std::uint32_t P = cfg.partitions, C = cfg.columns, NX = cfg.nmax;
  if (P > 32) {  // large: few, still crossing every tile boundary
    return {{1, 1, 1}, {C + 3, P + 5, 37}, {7, 2 * P + 1, NX + 9}};
  }
  return {
      {1, 1, 1},                    // the smallest GEMM
      {1, 1, NX + 1},               // N > NMAX with K = M = 1
      {C, P, NX},                   // exactly one tile
      {C + 1, P + 1, NX + 1},       // one past every tile size
      {2 * C + 3, 3 * P + 1, 37},   // M > C, K > P with a short last pass
      {7, 13, 29},                  // primes
      {31, 2 * P - 1, 2 * NX + 3},  // N over two NMAX
      {5, 4 * P, 3},                // K a multiple of P, tiny N
      {3 * C, 1, 17},               // K = 1
  };
}

class GemmExact : public ::testing::TestWithParam<std::string> {};

}  // namespace

// Every named shape, every enabled dtype and output, the four A/B layouts (C alternating).
TEST_P(GemmExact, NamedShapesAllDtypesAllLayouts) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() ^ std::hash<std::string>{}(cfg.name));
  int i = 0;
  for (const auto& s : named_shapes(cfg)) {
    for (DType in : input_dtypes(cfg)) {
      for (const auto& [la, lb] : kLayouts) {
        const DType out = (in != DType::kInt8 && i % 3 == 1) ? DType::kBf16 : accumulator(in);
        const Layout lc = i % 2 ? Layout::kColMajor : Layout::kRowMajor;
        ++i;
        run_and_check(*dev, Case{s[0], s[1], s[2], in, out, la, lb, lc}, rng);
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

// Random shapes that are multiples of nothing in particular.
TEST_P(GemmExact, RandomShapes) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() + 1);
  const bool large = cfg.partitions > 32;
  const int iters = large ? 2 : 10;
  const auto dt = input_dtypes(cfg);
  for (int it = 0; it < iters; ++it) {
    const DType in = dt[it % dt.size()];
    const auto M = 1 + static_cast<std::uint32_t>(rng() % (3 * cfg.columns + 5));
    const auto K = 1 + static_cast<std::uint32_t>(rng() % (large ? cfg.partitions + 40 : 5 * cfg.partitions + 7));
    const auto N = 1 + static_cast<std::uint32_t>(rng() % (large ? 600 : 2 * cfg.nmax + 50));
    const DType out = (in != DType::kInt8 && it % 2) ? DType::kBf16 : accumulator(in);
    const auto [la, lb] = kLayouts[rng() % 4];
    run_and_check(*dev, Case{M, K, N, in, out, la, lb, rng() % 2 ? Layout::kColMajor : Layout::kRowMajor}, rng);
    if (::testing::Test::HasFailure()) return;
  }
}

// NaN, infinities, denormals, signed zeros (every bit pattern) and the extreme values of each
// dtype, int8 -128 x -128 included.
TEST_P(GemmExact, SpecialValues) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() + 2);
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  for (DType in : input_dtypes(cfg)) {
    for (Fill fill : {Fill::kSpecial, Fill::kExtremes}) {
      for (DType out : {accumulator(in), DType::kBf16}) {
        if (out == DType::kBf16 && in == DType::kInt8) continue;
        run_and_check(
            *dev, Case{C + 1, 2 * P + 3, 45, in, out, Layout::kRowMajor, Layout::kColMajor, Layout::kRowMajor, fill},
            rng);
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

// The streaming mode (stages of a few passes, B re-read per m-tile) and the resident mode with
// many narrow n-blocks (B blocks double-buffered in pieces), forced on shapes that would not
// choose them.
TEST_P(GemmExact, BothModesForced) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  if (cfg.partitions > 32) GTEST_SKIP() << "covered on the smaller configurations (same code, slow here)";
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() + 3);
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  const DType in = input_dtypes(cfg).back();
  for (const auto& [la, lb] : kLayouts) {
    Case streaming{3 * C + 1, 7 * P + 2, cfg.nmax + 5, in, accumulator(in), la, lb};
    streaming.opts = small_stages(cfg, in);  // stages of two to four passes only
    const Outcome o = run_and_check(*dev, streaming, rng);
    EXPECT_EQ(o.result.run.program.plan.mode, GemmMode::kStreaming);
    EXPECT_GT(o.result.run.program.plan.k_stages, 1u) << o.result.run.program.plan.describe();

    Case blocks{4 * C + 1, 3 * P + 1, 61, in, accumulator(in), la, lb, Layout::kColMajor};
    blocks.opts.max_block_n = 7;      // 9 n-blocks of 7 columns, 5 m-tiles each
    blocks.opts.no_transpose = true;  // (N < M: the transposed plan could be chosen)
    const Outcome r = run_and_check(*dev, blocks, rng);
    EXPECT_EQ(r.result.run.program.plan.mode, GemmMode::kResidentB);
    EXPECT_EQ(r.result.run.program.plan.n_blocks, 9u);
    if (::testing::Test::HasFailure()) return;
  }
}

// Few columns of C and many rows: the kernel computes C^T = B^T A^T (B's columns stationary,
// A streamed), which the timing model finds faster; the result is bit-exact in every layout.
TEST_P(GemmExact, TallShapesRunTransposed) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  if (cfg.partitions > 32) GTEST_SKIP() << "covered on the smaller configurations (same code, slow here)";
  auto dev = golden_device(cfg);
  std::mt19937_64 rng(seed() + 7);
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  const DType in = input_dtypes(cfg).back();
  for (const auto& [la, lb] : kLayouts) {
    for (const Layout lc : {Layout::kRowMajor, Layout::kColMajor}) {
      Case tall{16 * C + 3, 2 * P + 1, 2, in, accumulator(in), la, lb, lc};
      const Outcome o = run_and_check(*dev, tall, rng);
      EXPECT_TRUE(o.result.run.program.plan.transposed) << o.result.run.program.plan.describe();
      if (::testing::Test::HasFailure()) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, GemmExact, ::testing::Values("tiny", "fpga", "default", "large"),
                         [](const auto& info) { return info.param; });

// int8 with K large enough that the int32 accumulator wraps (K * 2^14 > 2^31): still bit-exact
// with the architectural order, on the smallest configuration (streaming, thousands of passes).
TEST(GemmExactEdge, Int8AccumulatorWrapsWithHugeK) {
  const golden::Config cfg = golden::Config::tiny();
  auto dev = golden_device(cfg, 4u << 20);
  std::mt19937_64 rng(seed() + 4);
  const Outcome o = run_and_check(*dev,
                                  Case{2, 140000, 3, DType::kInt8, DType::kInt32, Layout::kRowMajor, Layout::kColMajor,
                                       Layout::kRowMajor, Fill::kExtremes},
                                  rng);
  EXPECT_EQ(o.result.run.program.plan.mode, GemmMode::kStreaming);
}

// A narrower first n-block (chosen by build_gemm when the timing model finds it faster): shapes
// where it is chosen, every layout.
TEST(GemmExactEdge, NarrowFirstBlock) {
  struct Shape {
    const char* cfg;
    std::uint32_t M, K, N;
    DType in;
    bool all_layouts;  // else A, B, C all row-major (the default shape is slow on the golden model)
  };
  for (const Shape& s : {Shape{"fpga", 65, 40, 700, DType::kInt8, true}, Shape{"fpga", 65, 32, 775, DType::kBf16, true},
                         Shape{"default", 128, 128, 1000, DType::kBf16, false}}) {
    const golden::Config cfg = golden::Config::by_name(s.cfg);
    auto dev = golden_device(cfg);
    std::mt19937_64 rng(seed() + s.N);
    int narrow = 0;
    for (const auto& [la, lb] : kLayouts) {
      for (const Layout lc : {Layout::kRowMajor, Layout::kColMajor}) {
        if (!s.all_layouts && (la != Layout::kRowMajor || lb != Layout::kRowMajor || lc != Layout::kRowMajor)) continue;
        const Outcome o = run_and_check(*dev, Case{s.M, s.K, s.N, s.in, accumulator(s.in), la, lb, lc}, rng);
        const GemmPlan& p = o.result.run.program.plan;
        narrow += p.first_block_n < p.block_n ? 1 : 0;
        if (::testing::Test::HasFailure()) return;
      }
    }
    // The choice depends on the layouts (the model's DMA costs differ); the shapes were picked
    // so that some layouts choose the narrow first block.
    EXPECT_GE(narrow, 1) << s.cfg << " " << s.M << "x" << s.K << "x" << s.N;
  }
}
