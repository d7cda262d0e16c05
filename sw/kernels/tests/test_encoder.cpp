// One encoder layer (encoder.hpp) on the golden model with the race checker on: every stage's
// tensor bit-exact with the architectural reference, each stage within its float64 bound, every
// stage's DRAM bytes as its kernel states (docs/kernels.md section 10), bad arguments refused.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gemm_test_util.hpp"
#include "systole/kernels/encoder.hpp"

namespace systole::kernels {
namespace {

using golden::DType;
using testing::golden_device;
using testing::seed;

EncoderParams params(std::uint32_t s, std::uint32_t d, std::uint32_t h, std::uint32_t f, DType out = DType::kBf16) {
  EncoderParams p;
  p.seq = s;
  p.d = d;
  p.heads = h;
  p.f = f;
  p.out = out;
  return p;
}

void run_case(const golden::Config& cfg, const EncoderParams& p, std::uint64_t s) {
  SCOPED_TRACE(fmt::format("seq {} d {} heads {} f {} out {} on {} (replay: SYSTOLE_SEED={})", p.seq, p.d, p.heads, p.f,
                           golden::dtype_name(p.out), cfg.name, seed()));
  const EncoderWeights w = random_encoder_weights(s, p);
  const driver::Tensor x = random_encoder_input(s, p);
  auto dev = golden_device(cfg, 64u << 20);
  const EncoderResult r = encoder_layer(*dev, p, w, x);
  EXPECT_EQ(r.stages.size(), 8u);
  EXPECT_TRUE(r.race_free());
  EXPECT_TRUE(r.bytes_as_stated());
  const EncoderTensors want = reference_encoder(cfg, p, w, x);
  EXPECT_EQ(first_encoder_mismatch(r.t, want), "");
  const EncoderFloat64Check f = check_encoder_float64(cfg, p, w, x, r.t);
  EXPECT_TRUE(f.ok()) << f.first_violation;
  EXPECT_GT(f.checked, 0u);
  // bf16 intermediates through two LayerNorms: a few bf16 ulps of an O(1) output.
  EXPECT_LT(f.end_to_end_max_abs_error, 0.25);
  // A corrupted stage is named.
  EncoderTensors bad = r.t;
  bad.h1.set_raw(5 % bad.h1.size(), bad.h1.raw(5 % bad.h1.size()) ^ 1);
  EXPECT_NE(first_encoder_mismatch(bad, want).find("LayerNorm 1"), std::string::npos);
}

TEST(Encoder, SmallLayers) {
  std::uint64_t s = seed();
  run_case(golden::Config::standard(), params(20, 32, 2, 64), s++);
  run_case(golden::Config::standard(), params(37, 48, 3, 100, DType::kFp32), s++);
  run_case(golden::Config::fpga(), params(30, 24, 3, 40), s++);
}

TEST(Encoder, BadArgumentsAreRefused) {
  const golden::Config cfg = golden::Config::standard();
  auto refused = [&](const EncoderParams& p, const std::string& what) {
    try {
      validate_encoder(cfg, p);
      ADD_FAILURE() << "accepted: " << what;
    } catch (const KernelArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  refused(params(0, 32, 2, 64), "each must be at least 1");
  refused(params(8, 30, 4, 64), "d = 30 is not a multiple of heads = 4");
  refused(params(8, 32, 2, 64, DType::kInt8), "output dtype int8");
  refused(params(8, 32 * 10, 1, 64), "the attention stage: attention: head dimension d = 320");
  EncoderParams p = params(8, 32, 2, 64);
  p.activation = "relu";
  refused(p, "activation 'relu': expected gelu_erf or gelu_tanh");
  // Host tensors of the wrong shape.
  auto dev = golden_device(cfg, 4u << 20);
  p = params(8, 32, 2, 64);
  EncoderWeights w = random_encoder_weights(1, p);
  w.w2 = driver::Tensor(DType::kBf16, {64, 31});
  EXPECT_THROW(encoder_layer(*dev, p, w, random_encoder_input(1, p)), KernelArgumentError);
}

}  // namespace
}  // namespace systole::kernels
