// conv2d (conv2d.hpp) on the golden model with the race checker on: bit-exact with the
// architectural reference, within the float64 bound, DRAM bytes as stated (docs/kernels.md
// section 11), and bad arguments refused.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gemm_test_util.hpp"
#include "systole/kernels/conv2d.hpp"

namespace systole::kernels {
namespace {

using golden::DType;
using testing::golden_device;
using testing::seed;

// n, h, w, cin, cout, kernel kh x kw, stride, pad (all sides), dilation, groups.
Conv2dParams conv(std::uint32_t n, std::uint32_t h, std::uint32_t w, std::uint32_t cin, std::uint32_t cout,
                  std::uint32_t k, std::uint32_t stride = 1, std::uint32_t pad = 0, std::uint32_t dil = 1,
                  std::uint32_t groups = 1) {
  Conv2dParams p;
  p.n = n;
  p.h = h;
  p.w = w;
  p.cin = cin;
  p.cout = cout;
  p.kh = p.kw = k;
  p.stride_h = p.stride_w = stride;
  p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = pad;
  p.dil_h = p.dil_w = dil;
  p.groups = groups;
  return p;
}

Conv2dPlan run_case(const golden::Config& cfg, const Conv2dParams& p, std::uint64_t s) {
  SCOPED_TRACE(fmt::format("{} bias {} {} out {} on {} (replay: SYSTOLE_SEED={})", p.describe(), p.bias, p.activation,
                           golden::dtype_name(p.out), cfg.name, seed()));
  const Conv2dInputs in = random_conv2d_inputs(s, p);
  auto dev = golden_device(cfg, 64u << 20);
  const Conv2dHostResult r = conv2d(*dev, p, in);
  EXPECT_TRUE(r.result.races.empty()) << r.result.races.front();
  const driver::Tensor want = reference_conv2d(cfg, p, in);
  const std::int64_t bad = first_mismatch(r.y, want);
  EXPECT_EQ(bad, -1) << "element " << bad << "; " << r.program.plan.describe();
  const EpilogueFloat64Check f = check_conv2d_float64(p, in, r.y);
  EXPECT_TRUE(f.ok()) << f.first_violation;
  EXPECT_GT(f.checked, 0u);
  EXPECT_EQ(r.result.counters.dram_rd_bytes, r.program.dram_rd_bytes);
  EXPECT_EQ(r.result.counters.dram_wr_bytes, r.program.dram_wr_bytes);
  EXPECT_EQ(r.result.counters.macs, r.program.macs);
  return r.program.plan;
}

TEST(Conv2d, KernelsStridesPaddingDilation) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed();
  run_case(cfg, conv(2, 5, 7, 16, 16, 1), s++);
  Conv2dParams p = conv(1, 9, 11, 20, 24, 3, 1, 1);
  p.bias = true;
  p.activation = "relu";
  run_case(cfg, p, s++);
  p = conv(2, 13, 10, 8, 40, 3, 2, 1);
  p.bias = true;
  p.bias_dtype = p.out = DType::kFp32;
  run_case(cfg, p, s++);
  run_case(cfg, conv(1, 12, 12, 5, 7, 3, 1, 2, 2), s++);
  p = conv(1, 11, 9, 3, 17, 5, 1, 0);  // 5x3 kernel, stride 3x1, asymmetric padding
  p.kw = 3;
  p.stride_h = 3;
  p.pad_top = 2;
  p.pad_right = 1;
  p.activation = "gelu_tanh";
  p.bias = true;
  run_case(cfg, p, s++);
  // A 1x1 kernel with stride 2 and a kernel bigger than the input with padding.
  run_case(cfg, conv(1, 8, 8, 32, 24, 1, 2), s++);
  run_case(cfg, conv(1, 2, 2, 4, 4, 3, 1, 1), s++);
}

TEST(Conv2d, GroupsAndDepthwise) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed() + 20;
  run_case(cfg, conv(1, 6, 6, 32, 16, 3, 1, 1, 1, 4), s++);
  Conv2dParams p = conv(2, 7, 5, 12, 12, 3, 1, 1, 1, 12);  // depthwise
  p.bias = true;
  run_case(cfg, p, s++);
  run_case(cfg, conv(1, 5, 5, 40, 80, 1, 1, 0, 1, 2), s++);  // cout_g 40: chunks of 16 and 8
}

TEST(Conv2d, TilesAndWeightStreaming) {
  const golden::Config cfg = golden::Config::standard();
  std::uint64_t s = seed() + 40;
  const Conv2dPlan rows = run_case(cfg, conv(1, 40, 40, 16, 16, 3, 1, 1), s++);
  EXPECT_GE(rows.row_tiles, 3u) << rows.describe();
  const Conv2dPlan imgs = run_case(cfg, conv(5, 6, 6, 16, 16, 3, 1, 1), s++);
  EXPECT_GE(imgs.imgs, 2u) << imgs.describe();
  const Conv2dPlan big = run_case(cfg, conv(1, 4, 4, 256, 400, 3, 1, 1), s++);
  EXPECT_FALSE(big.resident) << big.describe();
  const Conv2dPlan fpga = run_case(golden::Config::fpga(), conv(2, 30, 30, 24, 20, 3, 1, 1), s++);
  EXPECT_GE(fpga.tiles, 2u) << fpga.describe();
}

TEST(Conv2d, BadArgumentsAreRefused) {
  const golden::Config cfg = golden::Config::standard();
  auto refused = [&](const Conv2dParams& p, const std::string& what) {
    try {
      plan_conv2d(cfg, p);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const KernelArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  refused(conv(1, 0, 4, 4, 4, 1), "each must be at least 1");
  refused(conv(1, 4, 4, 6, 4, 1, 1, 0, 1, 4), "groups = 4 must divide Cin = 6 and Cout = 4");
  refused(conv(1, 4, 4, 4, 4, 7), "spans more than the padded 4x4 input");
  refused(conv(1, 4, 600, 4, 4, 1), "output width OW = 600: expected at most 512");
  Conv2dParams p = conv(1, 4, 4, 4, 4, 1);
  p.out = DType::kInt8;
  refused(p, "output dtype int8");
  p = conv(1, 4, 4, 4, 4, 1);
  p.activation = "swish";
  refused(p, "activation 'swish' is not known");
  p = conv(1, 4, 4, 4, 4, 1, 0);
  refused(p, "stride 0x0");
  EXPECT_THROW(plan_conv2d(golden::Config::tiny(), conv(1, 4, 4, 4, 4, 1)), KernelArgumentError);
  auto dev = golden_device(cfg, 1u << 20);
  p = conv(1, 4, 4, 4, 4, 1);
  Conv2dInputs in = random_conv2d_inputs(1, p);
  in.w = driver::Tensor(DType::kBf16, {1, 1, 4, 5});
  EXPECT_THROW(conv2d(*dev, p, in), KernelArgumentError);
}

}  // namespace
}  // namespace systole::kernels
