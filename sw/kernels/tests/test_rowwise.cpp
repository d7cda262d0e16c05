// Row-wise kernels (softmax, LayerNorm, RMSNorm) on the golden model with the race checker on:
// bit-exact with the architectural reference, within the float64 bound, the DRAM byte counters
// equal to docs/kernels.md section 4, and bad arguments refused with a clear error.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>

#include "gemm_test_util.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {
namespace {

using golden::DType;
using testing::golden_device;
using testing::seed;

struct RowCase {
  RowOp op;
  std::uint32_t rows, cols;
  DType in = DType::kBf16, out = DType::kBf16;
  bool mask = false;
  float scale = 1.0f;
  DType param = DType::kBf16;
  std::uint32_t chunk = 0;
  std::string describe() const {
    return fmt::format("{} {}x{} {}->{}{} scale {} param {} chunk {} (replay: SYSTOLE_SEED={})", row_op_name(op), rows,
                       cols, golden::dtype_name(in), golden::dtype_name(out), mask ? " masked" : "", scale,
                       golden::dtype_name(param), chunk, seed());
  }
  RowwiseParams params() const {
    RowwiseParams p;
    p.op = op;
    p.rows = rows;
    p.cols = cols;
    p.in = in;
    p.out = out;
    p.mask = mask;
    p.mask_dtype = in;
    p.scale = scale;
    p.param = param;
    p.chunk = chunk;
    return p;
  }
};

// Runs one case on a golden device of `cfg` and checks everything the contract promises.
void run_case(const golden::Config& cfg, const RowCase& c, std::uint64_t s) {
  SCOPED_TRACE(c.describe() + " on " + cfg.name);
  const RowwiseParams p = c.params();
  const RowwiseInputs in = random_rowwise_inputs(s, p);
  auto dev = golden_device(cfg, 32u << 20);
  const RowwiseHostResult r = rowwise(*dev, p, in);
  EXPECT_TRUE(r.result.races.empty()) << r.result.races.front();
  const driver::Tensor want = reference_rowwise(cfg, p, in);
  const std::int64_t bad = first_mismatch(r.y, want);
  EXPECT_EQ(bad, -1) << "first mismatch at element " << bad << ": got 0x" << std::hex
                     << r.y.raw(static_cast<std::size_t>(std::max<std::int64_t>(bad, 0))) << ", expected 0x"
                     << want.raw(static_cast<std::size_t>(std::max<std::int64_t>(bad, 0)));
  const RowwiseFloat64Check f = check_rowwise_float64(cfg, p, in, r.y);
  EXPECT_TRUE(f.ok()) << f.first_violation;
  EXPECT_GT(f.checked, 0u);
  EXPECT_EQ(r.result.counters.dram_rd_bytes, r.program.dram_rd_bytes);
  EXPECT_EQ(r.result.counters.dram_wr_bytes, r.program.dram_wr_bytes);
}

TEST(Rowwise, SoftmaxShapesAndDtypes) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed();
  for (const RowCase& c : {
           RowCase{RowOp::kSoftmax, 1, 1},
           RowCase{RowOp::kSoftmax, 16, 64},
           RowCase{RowOp::kSoftmax, 17, 37, DType::kFp32, DType::kFp32},
           RowCase{RowOp::kSoftmax, 50, 129, DType::kBf16, DType::kFp32, false, 0.125f},
           RowCase{RowOp::kSoftmax, 5, 4099, DType::kFp32, DType::kBf16},  // a prime longer than a TAP count
           RowCase{RowOp::kSoftmax, 33, 100, DType::kBf16, DType::kBf16, true},
           RowCase{RowOp::kSoftmax, 20, 77, DType::kFp32, DType::kBf16, true, 0.7f},
       }) {
    run_case(cfg, c, s++);
  }
}

TEST(Rowwise, NormShapesAndDtypes) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed() + 100;
  for (RowOp op : {RowOp::kLayerNorm, RowOp::kRmsNorm}) {
    for (const RowCase& c : {
             RowCase{op, 1, 1}, RowCase{op, 16, 256},
             RowCase{op, 19, 97, DType::kFp32, DType::kFp32, false, 1.0f, DType::kFp32},
             RowCase{op, 40, 768, DType::kBf16, DType::kFp32}, RowCase{op, 3, 4099},  // a prime longer than a TAP count
         }) {
      run_case(cfg, c, s++);
    }
  }
}

TEST(Rowwise, RandomShapesOnFpga) {
  // fpga: P = 8, 16 KiB of SBUF; random shapes and every op.
  const golden::Config cfg = golden::Config::fpga();
  std::mt19937_64 rng(seed());
  for (int i = 0; i < 12; ++i) {
    RowCase c{static_cast<RowOp>(i % 3), 1 + static_cast<std::uint32_t>(rng() % 40),
              1 + static_cast<std::uint32_t>(rng() % 600)};
    c.in = rng() % 2 ? DType::kBf16 : DType::kFp32;
    c.out = rng() % 2 ? DType::kBf16 : DType::kFp32;
    c.param = rng() % 2 ? DType::kBf16 : DType::kFp32;
    if (c.op == RowOp::kSoftmax) {
      c.mask = rng() % 2 == 0;
      c.scale = rng() % 2 ? 1.0f : 0.3f;
    }
    run_case(cfg, c, rng());
  }
}

TEST(Rowwise, OnlineFormEveryOp) {
  // Rows in chunks read twice (docs/kernels.md section 2.4), forced with small chunks so that a
  // row has several, the last one shorter; masks with fully masked rows; every dtype.
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed() + 200;
  for (RowOp op : {RowOp::kSoftmax, RowOp::kLayerNorm, RowOp::kRmsNorm}) {
    for (const RowCase& c : {
             RowCase{op, 1, 1, DType::kBf16, DType::kBf16, false, 1.0f, DType::kBf16, 1},
             RowCase{op, 17, 100, DType::kBf16, DType::kBf16, false, 1.0f, DType::kBf16, 37},
             RowCase{op, 16, 257, DType::kFp32, DType::kBf16, false, 0.5f, DType::kFp32, 64},
             RowCase{op, 5, 300, DType::kBf16, DType::kFp32, op == RowOp::kSoftmax, 1.0f, DType::kBf16, 100},
             RowCase{op, 33, 90, DType::kFp32, DType::kFp32, op == RowOp::kSoftmax, 0.25f, DType::kBf16, 89},
         }) {
      run_case(cfg, c, s++);
    }
  }
}

TEST(Rowwise, RowsLongerThanSbufTakeTheOnlineForm) {
  const golden::Config cfg = golden::Config::fpga();  // 16 KiB of SBUF per partition
  std::uint64_t s = seed() + 300;
  for (RowOp op : {RowOp::kSoftmax, RowOp::kLayerNorm, RowOp::kRmsNorm}) {
    RowCase c{op, 9, 0, DType::kBf16, DType::kBf16};
    c.cols = rowwise_max_cols(cfg, c.params()) + 1000;
    const RowwisePlan plan = plan_rowwise(cfg, c.params());
    EXPECT_TRUE(plan.online) << c.describe();
    EXPECT_GE(plan.chunks, 2u) << c.describe();
    run_case(cfg, c, s++);
  }
}

TEST(Rowwise, OnlineNormParametersResidentOrPerTile) {
  // The whole row's gamma and beta stay resident when they fit beside three chunk slots (read
  // once); otherwise read B runs chunk-major with each chunk's broadcast once, or, when the
  // tiles' statistics take too much SBUF, tile by tile with each chunk's again per tile
  // (docs/kernels.md section 2.4).
  const golden::Config cfg = golden::Config::fpga();
  std::uint64_t s = seed() + 400;
  for (RowOp op : {RowOp::kLayerNorm, RowOp::kRmsNorm}) {
    RowCase resident{op, 19, 0, DType::kBf16, DType::kBf16};
    resident.cols = rowwise_max_cols(cfg, resident.params()) + 500;
    RowCase chunk_major{op, 19, 3000, DType::kFp32, DType::kFp32, false, 1.0f, DType::kFp32};
    RowCase per_tile = chunk_major;
    per_tile.rows = 8 * 40 + 3;  // 41 tiles of 8 rows: 2,624 bytes of statistics, over 16 KiB / 8
    EXPECT_TRUE(plan_rowwise(cfg, resident.params()).params_resident) << resident.describe();
    const RowwisePlan cm = plan_rowwise(cfg, chunk_major.params()), pt = plan_rowwise(cfg, per_tile.params());
    EXPECT_TRUE(cm.online && !cm.params_resident && cm.chunk_major) << cm.describe();
    EXPECT_TRUE(pt.online && !pt.params_resident && !pt.chunk_major) << pt.describe();
    run_case(cfg, resident, s++);
    run_case(cfg, chunk_major, s++);
    run_case(cfg, per_tile, s++);
  }
  // Softmax over fp32 rows into fp32 keeps its exponentials in the I/O slot: three slots where a
  // work row would leave two.
  const golden::Config def = golden::Config::standard();
  RowCase sm{RowOp::kSoftmax, 20, 4096, DType::kFp32, DType::kFp32};
  const RowwisePlan plan = plan_rowwise(def, sm.params());
  EXPECT_TRUE(plan.work_in_io && plan.nbuf == 3 && !plan.online) << plan.describe();
  run_case(def, sm, s++);
}

TEST(Rowwise, FullyMaskedRowsAreZero) {
  RowCase c{RowOp::kSoftmax, 16, 50, DType::kBf16, DType::kBf16, true, 0.5f};
  const RowwiseParams p = c.params();
  RowwiseInputs in = random_rowwise_inputs(seed(), p);
  for (std::uint32_t j = 0; j < p.cols; ++j) in.mask->set_raw(3 * p.cols + j, 0xFF80);  // row 3: all -inf
  auto dev = golden_device(golden::Config::standard());
  const RowwiseHostResult r = rowwise(*dev, p, in);
  for (std::uint32_t j = 0; j < p.cols; ++j) ASSERT_EQ(r.y.raw(3 * p.cols + j), 0u) << "column " << j;
  EXPECT_TRUE(check_rowwise_float64(golden::Config::standard(), p, in, r.y).ok());
}

TEST(Rowwise, LargeOffsetsStayAccurate) {
  // LayerNorm of rows with a large common offset (1000) and a unit spread: in fp32,
  // E[x^2] - E[x]^2 would subtract two values near 10^6 whose rounding errors are about 30 times
  // the variance; the two-pass form stays within the bound and within a few percent.
  RowCase c{RowOp::kLayerNorm, 16, 512, DType::kFp32, DType::kFp32, false, 1.0f, DType::kFp32};
  const RowwiseParams p = c.params();
  RowwiseInputs in = random_rowwise_inputs(seed(), p);
  std::mt19937_64 rng(seed());
  std::normal_distribution<float> n(0.0f, 1.0f);
  for (std::size_t i = 0; i < in.x.size(); ++i) in.x.set_raw(i, std::bit_cast<std::uint32_t>(1000.0f + n(rng)));
  auto dev = golden_device(golden::Config::standard());
  const RowwiseHostResult r = rowwise(*dev, p, in);
  const RowwiseFloat64Check f = check_rowwise_float64(golden::Config::standard(), p, in, r.y);
  EXPECT_TRUE(f.ok()) << f.first_violation;
  EXPECT_LT(f.max_abs_error, 0.05) << "normalized values are O(1): the variance must not have cancelled";
}

TEST(Rowwise, BadArgumentsAreRefused) {
  const golden::Config cfg = golden::Config::standard();
  auto refused = [&](RowwiseParams p, const std::string& what) {
    try {
      plan_rowwise(cfg, p);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const KernelArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  RowwiseParams p;
  p.rows = 4;
  p.cols = 8;
  auto q = p;
  q.rows = 0;
  refused(q, "at least 1");
  q = p;
  q.in = DType::kInt8;
  refused(q, "expected bf16 or fp32");
  q = p;
  q.scale = 0.0f;
  refused(q, "greater than 0");
  q = p;
  q.scale = std::numeric_limits<float>::infinity();
  refused(q, "finite");
  q = p;
  q.op = RowOp::kLayerNorm;
  q.eps = -1.0f;
  refused(q, "eps");
  q = p;
  q.chunk = 4096;
  refused(q, "expected 0 (automatic) or 1..4095");
  q = p;
  q.op = RowOp::kRmsNorm;
  q.mask = true;
  refused(q, "only for softmax");
  EXPECT_THROW(plan_rowwise(golden::Config::tiny(), p), KernelArgumentError);
}

TEST(Rowwise, SquareTableIsMulEverywhere) {
  const auto& t = square_table();
  ASSERT_FALSE(t.invalid_reason());
  std::mt19937_64 rng(seed());
  for (int i = 0; i < 200000; ++i) {
    const auto x = static_cast<std::uint32_t>(rng());
    const auto dx = golden::num::f32_daz(x);
    const auto got = golden::act::apply(golden::ActFunc::kTable, &t, x);
    const auto want = golden::num::f32_mul(x, x);
    if (golden::num::f32_is_nan(want)) {
      ASSERT_TRUE(golden::num::f32_is_nan(got)) << std::hex << x;
    } else if ((dx & 0x7FFFFFFFu) == 0) {
      ASSERT_EQ(got & 0x7FFFFFFFu, 0u) << std::hex << x;  // +-0: a zero (its sign is the table's)
    } else {
      ASSERT_EQ(got, want) << std::hex << x;
    }
  }
}

}  // namespace
}  // namespace systole::kernels
