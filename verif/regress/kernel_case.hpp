// The "kernel" case kind of the regression (kernel_kind(), case_kind.hpp): a random call of one
// of the kernels of sw/kernels built on the vector engine (softmax, layernorm, rmsnorm, gemm_fused,
// attention, mlp, conv2d, encoder; docs/kernels.md) on the configuration's Verilated chip and on the golden device, compared
// bit-exactly with each other and with the architectural reference, within the float64 bound,
// with the DRAM byte counters equal to the kernel's formula.
//
// Parameters: op ("softmax", "layernorm", "rmsnorm"); rows (1..4096), cols (1..65536; longer than
// SBUF holds takes the online form); in, out, param ("bf16" or "fp32"); mask (0/1, softmax only);
// scale ("1" or "0.125", softmax only); chunk (0..4095: > 0 forces the online form with chunks of
// that many elements, RowwiseParams::chunk); the dram_* keys of dram_knobs.hpp. Operand values come from the case seed.
// op=gemm_fused (kernel_case_matmul.cpp): a GEMM with a fused epilogue (gemm_epilogue.hpp), rows =
// M, k = K, cols = N (1..4096); in (int8, bf16, fp8: enabled on the configuration), out (fp32,
// bf16, fp8, int8); act (identity, relu, gelu_tanh, gelu_erf, silu, tanh, sigmoid); alpha (1,
// 0.25, 0.00390625); bias (none, col, row, both); residual (0/1); param (the biases' and
// residual's dtype, bf16 or fp32); bins gemm_fused x {single_tile, multi_tile, tall} x in->out.
//
// Coverage bins (kernel_bin_grid): op x shape class x in->out dtypes, the shape classes
// "online" (the chunked form, docs/kernels.md section 2.4), else "one_row" (rows = 1),
// "partial_tile" (rows < P), "multi_tile" (rows >= P), "long_row" (cols > 4095, more than one TAP
// dimension; only where SBUF holds such rows: default, and not for
// LayerNorm with an fp32 input or output, whose rows stop at 3264 elements there).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "case_kind.hpp"
#include "systole/golden/config.hpp"
#include "systole/kernels/attention.hpp"
#include "systole/kernels/conv2d.hpp"
#include "systole/kernels/encoder.hpp"
#include "systole/kernels/mlp.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::verif::regress {

const CaseKind& kernel_kind();

// Every bin the kernel kind can hit, in display order ("softmax/multi_tile/bf16->fp32").
std::vector<std::string> kernel_bin_grid();

// The parameters as the kernel's, checked (std::invalid_argument naming the key and what was
// expected), and the shape class of docs above.
kernels::RowwiseParams parse_kernel_case(const golden::Config& cfg, const Params& p);
std::string kernel_shape_class(const golden::Config& cfg, const kernels::RowwiseParams& k);

// op=gemm_fused (kernel_case_matmul.cpp).
struct FusedCase {
  std::uint32_t M = 1, K = 1, N = 1;
  golden::DType in = golden::DType::kBf16, out = golden::DType::kBf16, vec = golden::DType::kBf16;
  std::string act = "identity", bias = "none";
  float alpha = 1.0f;
  bool residual = false;
};
FusedCase parse_fused_case(const golden::Config& cfg, const Params& p);
Params generate_fused_case(const golden::Config& cfg, std::mt19937_64& rng);
Outcome run_fused_case(const std::string& config, std::uint64_t seed, const Params& p);
std::vector<Params> shrink_fused_case(const Params& p);
std::string fused_shape_class(const golden::Config& cfg, const FusedCase& f);
std::vector<std::string> fused_bin_grid();

// op=attention (kernel_case_matmul.cpp): heads (1..16), rows = Sq, cols = Sk (1..4096), d (1..256),
// causal (0/1), out (bf16, fp32); bins attention x {single_tile, multi_tile, multi_block} x
// {full, causal} x bf16->out.
kernels::AttentionParams parse_attention_case(const golden::Config& cfg, const Params& p);
Params generate_attention_case(const golden::Config& cfg, std::mt19937_64& rng);
Outcome run_attention_case(const std::string& config, std::uint64_t seed, const Params& p);
std::vector<Params> shrink_attention_case(const Params& p);
std::string attention_shape_class(const golden::Config& cfg, const kernels::AttentionParams& a);
std::vector<std::string> attention_bin_grid();

// op=mlp (kernel_case_block.cpp): rows = tokens (1..4096), d (1..1024), f (1..4096), act (gelu_tanh,
// gelu_erf, silu, relu, identity, tanh), residual (0/1), out and bias (bf16, fp32); bins mlp x
// {single_tile, multi_tile} x {resident, streaming} (the weights) x bf16->out.
kernels::MlpParams parse_mlp_case(const golden::Config& cfg, const Params& p);
Params generate_mlp_case(const golden::Config& cfg, std::mt19937_64& rng);
Outcome run_mlp_case(const std::string& config, std::uint64_t seed, const Params& p);
std::vector<Params> shrink_mlp_case(const Params& p);
std::string mlp_shape_class(const golden::Config& cfg, const kernels::MlpParams& m);
std::vector<std::string> mlp_bin_grid();

// op=conv2d (kernel_case_conv.cpp): n (1..64), h, w (1..512), cin, cout (1..4096), kh, kw (1..11),
// sh, sw, dh, dw (1..4), pad (0..8, every side), groups, bias (none, bf16, fp32), act (identity,
// relu, gelu_tanh, silu, sigmoid), out (bf16, fp32); bins conv2d x {pointwise, spatial, strided,
// grouped, depthwise} x bf16->out.
kernels::Conv2dParams parse_conv2d_case(const golden::Config& cfg, const Params& p);
Params generate_conv2d_case(const golden::Config& cfg, std::mt19937_64& rng);
Outcome run_conv2d_case(const std::string& config, std::uint64_t seed, const Params& p);
std::vector<Params> shrink_conv2d_case(const golden::Config& cfg, const Params& p);
std::string conv2d_shape_class(const kernels::Conv2dParams& c);
std::vector<std::string> conv2d_bin_grid();

// op=encoder (kernel_case_block.cpp): one encoder layer (encoder.hpp): rows = S (1..1024), d
// (1..256), heads (1..16, dividing d), f (1..1024), act (gelu_erf, gelu_tanh), out (bf16, fp32);
// bins encoder x {single_tile (S <= C), multi_tile} x bf16->out.
kernels::EncoderParams parse_encoder_case(const golden::Config& cfg, const Params& p);
Params generate_encoder_case(const golden::Config& cfg, std::mt19937_64& rng);
Outcome run_encoder_case(const std::string& config, std::uint64_t seed, const Params& p);
std::vector<Params> shrink_encoder_case(const Params& p);
std::string encoder_shape_class(const golden::Config& cfg, const kernels::EncoderParams& e);
std::vector<std::string> encoder_bin_grid();

}  // namespace systole::verif::regress
