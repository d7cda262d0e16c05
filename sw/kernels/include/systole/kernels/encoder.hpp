// One transformer encoder layer, BERT-style (post-LayerNorm), composed from the kernels
// (docs/kernels.md section 10):
//
//   Q = X Wq + bq,  K = X Wk + bk,  V = X Wv + bv      GEMM with a fused bias
//   A = attention(Q, K, V)                             flash attention, H heads of D / H
//   P = A Wo + bo + X                                  GEMM with a fused bias and residual
//   H1 = LayerNorm(P; gamma1, beta1)
//   M = gelu_erf(H1 W1 + b1) W2 + b2 + H1              the MLP block (H never in DRAM)
//   Y = LayerNorm(M; gamma2, beta2)
//
// X [S, D] bf16, every weight and intermediate bf16, Y bf16 or fp32. The stages run one after
// the other on the device, their tensors staying in device DRAM between them; each stage's DRAM
// bytes are its kernel's formula and each intermediate is downloaded and compared bit-exactly
// with the architectural reference's, so a mismatch names the stage that produced it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "systole/driver/device.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/config.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels {

struct EncoderParams {
  std::uint32_t seq = 64, d = 64, heads = 2, f = 256;
  float eps = 1e-12f;                        // LayerNorm's (BERT's)
  golden::DType out = golden::DType::kBf16;  // Y: bf16 or fp32
  std::string activation = "gelu_erf";       // the MLP's
  std::uint64_t macs() const;                // 4 S D^2 + 2 S^2 D + 2 S D F
};

// BERT-base's layer: S 128, D 768, 12 heads, F 3072.
EncoderParams bert_base_layer();

void validate_encoder(const golden::Config& cfg, const EncoderParams& p);

struct EncoderWeights {
  driver::Tensor wq, wk, wv, wo;                            // [D, D]
  driver::Tensor bq, bk, bv, bo;                            // [D]
  driver::Tensor w1, b1, w2, b2;                            // [D, F], [F], [F, D], [D]
  driver::Tensor ln1_gamma, ln1_beta, ln2_gamma, ln2_beta;  // [D]
};
// Weights scaled as an initialization would (1 / sqrt(fan-in)), biases ~ N(0, 1/4), gammas ~
// N(1, 1/16), betas ~ N(0, 1/16); X ~ N(0, 1).
EncoderWeights random_encoder_weights(std::uint64_t seed, const EncoderParams& p);
driver::Tensor random_encoder_input(std::uint64_t seed, const EncoderParams& p);

// The intermediates, in stage order (q, k, v, a, p, h1, m) and Y.
struct EncoderTensors {
  driver::Tensor q, k, v, a, p, h1, m, y;
};

struct EncoderStage {
  std::string name;  // "q", "k", "v", "attention", "wo", "layernorm1", "mlp", "layernorm2"
  driver::RunResult result;
  std::uint64_t dram_rd_bytes = 0, dram_wr_bytes = 0;  // the kernel's formula
  std::uint64_t macs = 0;
  std::uint64_t instructions = 0;
};

struct EncoderResult {
  EncoderTensors t;
  std::vector<EncoderStage> stages;
  std::uint64_t cycles() const;  // the stages' (0 on backends without cycles)
  bool bytes_as_stated() const;
  bool race_free() const;
};

EncoderResult encoder_layer(driver::Device& dev, const EncoderParams& p, const EncoderWeights& w,
                            const driver::Tensor& x);

// Every stage's architectural reference on the previous reference stage's output.
EncoderTensors reference_encoder(const golden::Config& cfg, const EncoderParams& p, const EncoderWeights& w,
                                 const driver::Tensor& x);

// The first stage whose tensor differs from the reference's ("" when none), with its element.
std::string first_encoder_mismatch(const EncoderTensors& got, const EncoderTensors& want);

// Each stage against float64 on its inputs as the chip gave them (the bound of its kernel:
// sections 5, 7.3, 8.4 and 9.4), and, for information, Y against a float64 evaluation of the
// whole layer on X.
struct EncoderFloat64Check {
  std::uint64_t checked = 0, violations = 0;
  double worst_ratio = 0;  // over the stages' bounds
  std::string first_violation;
  double end_to_end_max_abs_error = 0;  // Y against the float64 layer (no bound: information)
  bool ok() const { return violations == 0; }
};
EncoderFloat64Check check_encoder_float64(const golden::Config& cfg, const EncoderParams& p, const EncoderWeights& w,
                                          const driver::Tensor& x, const EncoderTensors& got);

}  // namespace systole::kernels
