// The vector-engine kernels (softmax, LayerNorm, RMSNorm: sw/kernels/rowwise.hpp; the GEMM's
// fused epilogue: gemm_epilogue.hpp; attention; the MLP block; conv2d; the encoder layer) on the
// Verilated chip against the golden device: the same operands and program, Y bit-exact with the
// golden device's Y and with the architectural reference, within the float64 bound of
// docs/kernels.md section 5, the DRAM byte counters equal to golden's and to the kernel's formula
// (docs/kernels.md section 4). Every run draws a new DRAM behaviour as test_chip_gemm does.
//
// Per configuration a list of cases split into shards: first named edges (one row, one column,
// P rows, P + 1 rows, a prime row length, a row longer than a TAP count where SBUF allows, masks
// with fully masked rows), then random shapes, ops and dtypes.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <tuple>

#include "dram_knobs.hpp"
#include "systole/driver/golden_device.hpp"
#include "systole/kernels/attention.hpp"
#include "systole/kernels/conv2d.hpp"
#include "systole/kernels/encoder.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/kernels/mlp.hpp"
#include "systole/kernels/rowwise.hpp"
#include "systole/sim/rtl_device.hpp"
#include "test_seed.hpp"

namespace systole::verif {
using namespace systole::sim;
namespace {

using golden::DType;
using kernels::RowOp;

struct Plan {
  const char* cfg;
  unsigned shards, per_shard;
};
constexpr std::array<Plan, 2> kPlans = {{{"fpga", 4, 12}, {"default", 4, 12}}};

kernels::RowwiseParams make_case(const golden::Config& cfg, unsigned i, std::mt19937_64& rng) {
  const std::uint32_t P = cfg.partitions;
  kernels::RowwiseParams p;
  p.op = static_cast<RowOp>(i % 3);
  const std::array<std::array<std::uint32_t, 2>, 6> named = {
      {{1, 1}, {P, 64}, {P + 1, 31}, {3, 211}, {2 * P + 3, 5}, {2, cfg.sbuf_bytes >= 65536 ? 4099u : 997u}}};
  if (i < named.size()) {
    p.rows = named[i][0];
    p.cols = named[i][1];
  } else {
    p.rows = 1 + static_cast<std::uint32_t>(rng() % (3 * P + 4));
    p.cols = 1 + static_cast<std::uint32_t>(rng() % 700);
  }
  p.in = rng() % 2 ? DType::kBf16 : DType::kFp32;
  p.out = rng() % 2 ? DType::kBf16 : DType::kFp32;
  p.param = rng() % 2 ? DType::kBf16 : DType::kFp32;
  if (p.op == RowOp::kSoftmax) {
    p.mask = i % 2 == 0;
    p.mask_dtype = rng() % 2 ? DType::kBf16 : DType::kFp32;
    p.scale = rng() % 2 ? 1.0f : 0.125f;
  }
  p.cols = std::min(p.cols, kernels::rowwise_max_cols(cfg, p));
  if (i % 4 == 1) p.chunk = 1 + static_cast<std::uint32_t>(rng() % 300);         // the online form, forced
  if (i % 8 == 3) p.cols = kernels::rowwise_max_cols(cfg, p) + 1 + rng() % 500;  // longer than SBUF: online
  return p;
}

std::string describe(const kernels::RowwiseParams& p) {
  return fmt::format("{} {}x{} {}->{}{} scale {} param {} chunk {}", kernels::row_op_name(p.op), p.rows, p.cols,
                     golden::dtype_name(p.in), golden::dtype_name(p.out),
                     p.mask ? fmt::format(" mask {}", golden::dtype_name(p.mask_dtype)) : "", p.scale,
                     golden::dtype_name(p.param), p.chunk);
}

// Each shard's chip and golden device (race checker on) and its random stream.
class ChipKernels : public ::testing::TestWithParam<std::tuple<std::string, unsigned>> {
 protected:
  struct Devices {
    RtlDevice rtl;
    driver::GoldenDevice gold;
  };
  static Devices devices(const std::string& name, std::uint64_t max_cycles) {
    RtlOptions o;
    o.sim.dram_bytes = 16u << 20;
    o.max_cycles = max_cycles;
    return Devices{RtlDevice(name, o), driver::GoldenDevice(golden::Config::by_name(name), o.sim.dram_bytes, true)};
  }
};

TEST_P(ChipKernels, RtlMatchesGolden) {
  const auto& [name, shard] = GetParam();
  const Plan plan = *std::find_if(kPlans.begin(), kPlans.end(), [&](const Plan& p) { return name == p.cfg; });
  Devices d = devices(name, 5'000'000);
  RtlDevice& rtl = d.rtl;
  driver::GoldenDevice& gold = d.gold;
  const golden::Config& cfg = rtl.config();
  std::mt19937_64 rng(test_seed(true));
  std::uint64_t cycles = 0;
  for (unsigned j = 0; j < plan.per_shard; ++j) {
    const unsigned i = shard * plan.per_shard + j;
    const kernels::RowwiseParams p = make_case(cfg, i, rng);
    const std::string dram = randomize_dram(rtl.sim().memory().config(), rng);
    const kernels::RowwiseInputs in = kernels::random_rowwise_inputs(rng(), p);
    const std::string what = fmt::format("{} case {}: {}; {}\n{}", name, i, describe(p), dram, replay_command(name));
    kernels::RowwiseHostResult got;
    try {
      got = kernels::rowwise(rtl, p, in);
    } catch (const std::exception& e) {
      FAIL() << what << "\nthe RTL run failed: " << e.what();
    }
    const kernels::RowwiseHostResult want = kernels::rowwise(gold, p, in);
    EXPECT_EQ(got.y, want.y) << what;
    EXPECT_EQ(want.y, kernels::reference_rowwise(cfg, p, in)) << what;
    EXPECT_TRUE(want.result.races.empty()) << what << "\n" << want.result.races.front();
    const kernels::RowwiseFloat64Check f = kernels::check_rowwise_float64(cfg, p, in, got.y);
    EXPECT_TRUE(f.ok()) << what << "\n" << f.first_violation;
    const auto& rc = got.result.counters;
    EXPECT_EQ(rc.dram_rd_bytes, want.result.counters.dram_rd_bytes) << what;
    EXPECT_EQ(rc.dram_wr_bytes, want.result.counters.dram_wr_bytes) << what;
    EXPECT_EQ(rc.dram_rd_bytes, got.program.dram_rd_bytes) << what;
    EXPECT_EQ(rc.dram_wr_bytes, got.program.dram_wr_bytes) << what;
    EXPECT_EQ(rc.instructions, want.result.counters.instructions) << what;
    EXPECT_TRUE(rtl.sim().memory().violations().empty()) << what;
    if (::testing::Test::HasFailure()) return;
    cycles += rc.cycles.value_or(0);
  }
  std::printf("[ %s shard %u ] %u kernels bit-exact with golden, %llu chip cycles\n", name.c_str(), shard,
              plan.per_shard, static_cast<unsigned long long>(cycles));
}

std::vector<std::tuple<std::string, unsigned>> shards() {
  std::vector<std::tuple<std::string, unsigned>> v;
  const std::vector<std::string> built = chip_configs();
  for (const Plan& p : kPlans) {
    if (std::find(built.begin(), built.end(), p.cfg) == built.end()) continue;
    for (unsigned s = 0; s < p.shards; ++s) v.emplace_back(p.cfg, s);
  }
  return v;
}

// GEMMs with a fused epilogue: random shapes, input and output dtypes, activations, biases,
// alpha and residual; Y bit-exact with the golden device and with the GEMM reference followed by
// the epilogue reference, within the float64 bound, the DRAM bytes equal to golden's.
TEST_P(ChipKernels, FusedGemmMatchesGolden) {
  const auto& [name, shard] = GetParam();
  Devices d = devices(name, 5'000'000);
  RtlDevice& rtl = d.rtl;
  driver::GoldenDevice& gold = d.gold;
  const golden::Config& cfg = rtl.config();
  std::mt19937_64 rng(test_seed(true));
  const std::vector<std::string> acts = {"identity", "relu", "gelu_tanh", "gelu_erf", "silu", "tanh", "sigmoid"};
  for (unsigned i = 0; i < 5; ++i) {
    std::vector<DType> ins;
    for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8})
      if (cfg.tensor_dtype_enabled(t)) ins.push_back(t);
    const DType in = ins[rng() % ins.size()];
    const std::array<DType, 4> outs = {DType::kFp32, DType::kBf16, DType::kFp8, DType::kInt8};
    const DType out = outs[rng() % outs.size()];
    const std::uint32_t M = 1 + rng() % (3 * cfg.columns + 5), K = 1 + rng() % (3 * cfg.partitions + 9),
                        N = 1 + rng() % (cfg.nmax + 40);
    const driver::Tensor a = kernels::random_matrix(rng, in, M, K), b = kernels::random_matrix(rng, in, K, N);
    kernels::EpilogueInputs e;
    e.activation = acts[rng() % acts.size()];
    e.alpha = in == DType::kInt8 ? 1.0f / 256 : (rng() % 2 ? 1.0f : 0.25f);
    const DType vt = rng() % 2 ? DType::kBf16 : DType::kFp32;
    auto vec = [&](std::vector<std::uint64_t> shape) {
      driver::Tensor t(vt, std::move(shape));
      const auto src = kernels::random_matrix(rng, DType::kBf16, 1, static_cast<std::uint32_t>(t.size()));
      for (std::size_t j = 0; j < t.size(); ++j) t.set_raw(j, vt == DType::kBf16 ? src.raw(j) : src.raw(j) << 16);
      return t;
    };
    if (rng() % 2) e.bias_col = vec({N});
    if (rng() % 2) e.bias_row = vec({M});
    if (rng() % 2) e.residual = vec({M, N});
    const std::string dram = randomize_dram(rtl.sim().memory().config(), rng);
    const std::string what = fmt::format(
        "{} fused case {}: {}x{}x{} {}->{} {} alpha {}{}{}{} {}; {}\n{}", name, i, M, K, N, golden::dtype_name(in),
        golden::dtype_name(out), e.activation, e.alpha, e.bias_col ? " bias_col" : "", e.bias_row ? " bias_row" : "",
        e.residual ? " residual" : "", golden::dtype_name(vt), dram, replay_command(name));
    kernels::GemmHostResult got;
    try {
      got = kernels::gemm_fused(rtl, a, b, e, out);
    } catch (const std::exception& x) {
      FAIL() << what << "\nthe RTL run failed: " << x.what();
    }
    const kernels::GemmHostResult want = kernels::gemm_fused(gold, a, b, e, out);
    const DType acc = in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
    EXPECT_EQ(kernels::first_mismatch(got.c, want.c), -1) << what;
    EXPECT_EQ(
        kernels::first_mismatch(want.c, kernels::reference_epilogue(kernels::reference_gemm(cfg, a, b, acc), e, out)),
        -1)
        << what;
    EXPECT_TRUE(want.run.result.races.empty()) << what << "\n" << want.run.result.races.front();
    const auto f = kernels::check_fused_float64(a, b, e, got.c);
    EXPECT_TRUE(f.ok()) << what << "\n" << f.first_violation;
    EXPECT_EQ(got.run.result.counters.dram_rd_bytes, want.run.result.counters.dram_rd_bytes) << what;
    EXPECT_EQ(got.run.result.counters.dram_wr_bytes, want.run.result.counters.dram_wr_bytes) << what;
    EXPECT_TRUE(rtl.sim().memory().violations().empty()) << what;
    if (::testing::Test::HasFailure()) return;
  }
}

// Attention (flash form): random heads, lengths (one query tile or several, key blocks partial
// or several), head dims and causal masks; O bit-exact with the golden device and the reference,
// within the float64 bound, DRAM bytes as stated.
TEST_P(ChipKernels, AttentionMatchesGolden) {
  const auto& [name, shard] = GetParam();
  Devices d = devices(name, 20'000'000);
  RtlDevice& rtl = d.rtl;
  driver::GoldenDevice& gold = d.gold;
  const golden::Config& cfg = rtl.config();
  std::mt19937_64 rng(test_seed(true));
  for (unsigned i = 0; i < 3; ++i) {
    kernels::AttentionParams p;
    p.heads = 1 + static_cast<std::uint32_t>(rng() % 3);
    p.sq = 1 + static_cast<std::uint32_t>(rng() % (3 * cfg.columns + 7));
    p.sk = rng() % 2 ? p.sq : 1 + static_cast<std::uint32_t>(rng() % 700);
    const std::array<std::uint32_t, 5> dims = {8, 16, 24, 64, 128};
    p.d = dims[rng() % dims.size()];
    p.causal = rng() % 2 == 0;
    p.out = rng() % 3 ? DType::kBf16 : DType::kFp32;
    const std::string dram = randomize_dram(rtl.sim().memory().config(), rng);
    const kernels::AttentionInputs in = kernels::random_attention_inputs(rng(), p);
    const std::string what =
        fmt::format("{} attention case {}: heads {} sq {} sk {} d {} causal {} out {}; {}\n{}", name, i, p.heads, p.sq,
                    p.sk, p.d, p.causal, golden::dtype_name(p.out), dram, replay_command(name));
    kernels::AttentionHostResult got;
    try {
      got = kernels::attention(rtl, p, in);
    } catch (const std::exception& x) {
      FAIL() << what << "\nthe RTL run failed: " << x.what();
    }
    const kernels::AttentionHostResult want = kernels::attention(gold, p, in);
    EXPECT_EQ(got.o, want.o) << what;
    EXPECT_EQ(want.o, kernels::reference_attention(cfg, p, in)) << what;
    EXPECT_TRUE(want.result.races.empty()) << what << "\n" << want.result.races.front();
    const auto f = kernels::check_attention_float64(cfg, p, in, got.o);
    EXPECT_TRUE(f.ok()) << what << "\n" << f.first_violation;
    EXPECT_EQ(got.result.counters.dram_rd_bytes, got.program.dram_rd_bytes) << what;
    EXPECT_EQ(got.result.counters.dram_wr_bytes, got.program.dram_wr_bytes) << what;
    EXPECT_TRUE(rtl.sim().memory().violations().empty()) << what;
    if (::testing::Test::HasFailure()) return;
  }
}

// The MLP block: random token counts (one tile or several), model and hidden dimensions (resident
// or streamed weights), activations, residual or not, dtypes; Y bit-exact with the golden device
// and the reference, each stage within its float64 bound, DRAM bytes as stated.
TEST_P(ChipKernels, MlpMatchesGolden) {
  const auto& [name, shard] = GetParam();
  Devices d = devices(name, 20'000'000);
  RtlDevice& rtl = d.rtl;
  driver::GoldenDevice& gold = d.gold;
  const golden::Config& cfg = rtl.config();
  std::mt19937_64 rng(test_seed(true) + 7);
  const std::array<const char*, 4> acts = {"gelu_tanh", "gelu_erf", "silu", "relu"};
  for (unsigned i = 0; i < 2; ++i) {
    kernels::MlpParams p;
    p.tokens = 1 + static_cast<std::uint32_t>(rng() % (shard % 2 ? 300 : 40));
    p.d = 1 + static_cast<std::uint32_t>(rng() % 80);
    p.f = 1 + static_cast<std::uint32_t>(rng() % (shard == 3 ? 700 : 200));
    p.activation = acts[rng() % acts.size()];
    p.residual = rng() % 4 != 0;
    p.out = rng() % 3 ? DType::kBf16 : DType::kFp32;
    p.bias = rng() % 2 ? DType::kBf16 : DType::kFp32;
    const std::string dram = randomize_dram(rtl.sim().memory().config(), rng);
    const kernels::MlpInputs in = kernels::random_mlp_inputs(rng(), p);
    const std::string what = fmt::format(
        "{} mlp case {}: tokens {} d {} f {} {} residual {} out {} bias {}; {}\n{}", name, i, p.tokens, p.d, p.f,
        p.activation, p.residual, golden::dtype_name(p.out), golden::dtype_name(p.bias), dram, replay_command(name));
    kernels::MlpHostResult got;
    try {
      got = kernels::mlp(rtl, p, in);
    } catch (const std::exception& x) {
      FAIL() << what << "\nthe RTL run failed: " << x.what();
    }
    const kernels::MlpHostResult want = kernels::mlp(gold, p, in);
    const kernels::MlpReference ref = kernels::reference_mlp(cfg, p, in);
    EXPECT_EQ(got.y, want.y) << what;
    EXPECT_EQ(want.y, ref.y) << what;
    EXPECT_TRUE(want.result.races.empty()) << what << "\n" << want.result.races.front();
    const auto f = kernels::check_mlp_float64(p, in, ref, got.y);
    EXPECT_TRUE(f.ok()) << what << "\n" << f.combined().first_violation;
    EXPECT_EQ(got.result.counters.dram_rd_bytes, got.program.dram_rd_bytes) << what;
    EXPECT_EQ(got.result.counters.dram_wr_bytes, got.program.dram_wr_bytes) << what;
    EXPECT_TRUE(rtl.sim().memory().violations().empty()) << what;
    if (::testing::Test::HasFailure()) return;
  }
}

// conv2d: random shapes, kernels (1x1 to 5x5), strides, padding, dilation, groups (depthwise
// included), bias and activation, dtypes; Y bit-exact with the golden device and the reference,
// within the float64 bound, DRAM bytes as stated.
TEST_P(ChipKernels, Conv2dMatchesGolden) {
  const auto& [name, shard] = GetParam();
  Devices d = devices(name, 20'000'000);
  RtlDevice& rtl = d.rtl;
  const golden::Config& cfg = rtl.config();
  std::mt19937_64 rng(test_seed(true) + 13);
  for (unsigned i = 0; i < 2; ++i) {
    kernels::Conv2dParams p;
    auto pick = [&](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
    p.groups = std::array<std::uint32_t, 4>{1, 1, 2, 4}[pick(4)];
    p.n = 1 + pick(3);
    p.h = 1 + pick(20);
    p.w = 1 + pick(20);
    p.cin = p.groups * (1 + pick(shard == 3 ? 40 : 20));
    p.cout = p.groups * (1 + pick(24));
    if (i == 1 && shard % 2 == 0) p.cout = p.cin = p.groups = 1 + pick(20);  // depthwise
    p.kh = 1 + pick(5);
    p.kw = 1 + pick(3);
    p.stride_h = 1 + pick(2);
    p.stride_w = 1 + pick(2);
    p.dil_h = 1 + pick(2);
    p.pad_top = pick(3);
    p.pad_bottom = pick(3);
    p.pad_left = pick(2);
    p.pad_right = pick(2);
    p.h = std::max(p.h, (p.kh - 1) * p.dil_h + 1);  // the kernel fits the padded input
    p.w = std::max(p.w, p.kw);
    p.bias = pick(2) == 0;
    p.bias_dtype = pick(2) ? DType::kBf16 : DType::kFp32;
    p.activation = std::array<const char*, 4>{"identity", "relu", "gelu_tanh", "silu"}[pick(4)];
    p.out = pick(3) ? DType::kBf16 : DType::kFp32;
    const std::string dram = randomize_dram(rtl.sim().memory().config(), rng);
    const kernels::Conv2dInputs in = kernels::random_conv2d_inputs(rng(), p);
    const std::string what = fmt::format("{} conv2d case {}: {} bias {} {} out {}; {}\n{}", name, i, p.describe(),
                                         p.bias, p.activation, golden::dtype_name(p.out), dram, replay_command(name));
    kernels::Conv2dHostResult got;
    try {
      got = kernels::conv2d(rtl, p, in);
    } catch (const std::exception& e) {
      FAIL() << what << "\nthe RTL run failed: " << e.what();
    }
    const kernels::Conv2dHostResult want = kernels::conv2d(d.gold, p, in);
    EXPECT_EQ(got.y, want.y) << what;
    EXPECT_EQ(want.y, kernels::reference_conv2d(cfg, p, in)) << what;
    EXPECT_TRUE(want.result.races.empty()) << what << "\n" << want.result.races.front();
    const auto f = kernels::check_conv2d_float64(p, in, got.y);
    EXPECT_TRUE(f.ok()) << what << "\n" << f.first_violation;
    EXPECT_EQ(got.result.counters.dram_rd_bytes, got.program.dram_rd_bytes) << what;
    EXPECT_EQ(got.result.counters.dram_wr_bytes, got.program.dram_wr_bytes) << what;
    EXPECT_TRUE(rtl.sim().memory().violations().empty()) << what;
    if (::testing::Test::HasFailure()) return;
  }
}

// One encoder layer per shard (random small shapes): every stage's tensor bit-exact with the
// golden device's and the reference's, each stage within its float64 bound and its DRAM bytes.
TEST_P(ChipKernels, EncoderLayerMatchesGolden) {
  const auto& [name, shard] = GetParam();
  Devices d = devices(name, 20'000'000);
  RtlDevice& rtl = d.rtl;
  const golden::Config& cfg = rtl.config();
  std::mt19937_64 rng(test_seed(true) + 11);
  kernels::EncoderParams p;
  p.heads = 1 + static_cast<std::uint32_t>(rng() % 3);
  p.d = p.heads * (8 + 8 * static_cast<std::uint32_t>(rng() % 3));
  p.seq = 1 + static_cast<std::uint32_t>(rng() % (3 * cfg.columns + 5));
  p.f = 1 + static_cast<std::uint32_t>(rng() % 150);
  p.activation = rng() % 2 ? "gelu_erf" : "gelu_tanh";
  p.out = rng() % 3 ? DType::kBf16 : DType::kFp32;
  const std::string dram = randomize_dram(rtl.sim().memory().config(), rng);
  const kernels::EncoderWeights w = kernels::random_encoder_weights(rng(), p);
  const driver::Tensor x = kernels::random_encoder_input(rng(), p);
  const std::string what =
      fmt::format("{} encoder layer: seq {} d {} heads {} f {} {} out {}; {}\n{}", name, p.seq, p.d, p.heads, p.f,
                  p.activation, golden::dtype_name(p.out), dram, replay_command(name));
  kernels::EncoderResult got;
  try {
    got = kernels::encoder_layer(rtl, p, w, x);
  } catch (const std::exception& e) {
    FAIL() << what << "\nthe RTL run failed: " << e.what();
  }
  const kernels::EncoderResult want = kernels::encoder_layer(d.gold, p, w, x);
  EXPECT_EQ(kernels::first_encoder_mismatch(got.t, want.t), "") << what;
  EXPECT_EQ(kernels::first_encoder_mismatch(want.t, kernels::reference_encoder(cfg, p, w, x)), "") << what;
  EXPECT_TRUE(want.race_free()) << what;
  EXPECT_TRUE(got.bytes_as_stated()) << what;
  const auto f = kernels::check_encoder_float64(cfg, p, w, x, got.t);
  EXPECT_TRUE(f.ok()) << what << "\n" << f.first_violation;
  EXPECT_TRUE(rtl.sim().memory().violations().empty()) << what;
}

INSTANTIATE_TEST_SUITE_P(Shards, ChipKernels, ::testing::ValuesIn(shards()), [](const auto& info) {
  return std::get<0>(info.param) + "_" + std::to_string(std::get<1>(info.param));
});

}  // namespace
}  // namespace systole::verif
