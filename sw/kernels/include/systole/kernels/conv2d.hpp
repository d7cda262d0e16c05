// conv2d, NHWC, as an implicit GEMM (docs/kernels.md section 11):
//
//   Y[n, oh, ow, co] = act( sum_{kh, kw, ci} X[n, oh sh - pt + kh dh, ow sw - pl + kw dw, g cin_g + ci]
//                                           * W[kh, kw, ci, co]  + bias[co] )
//
// X [N, H, W, Cin] bf16, W [KH, KW, Cin / groups, Cout] bf16 (HWIO), bias [Cout] bf16 or fp32
// (optional), Y [N, OH, OW, Cout] bf16 or fp32; any kernel size, stride, zero padding, dilation
// and groups (group g: input channels g cin_g .., output channels g cout_g ..; depthwise when
// cin_g = 1). No im2col copy is ever made: a tile of input rows (with its halo) is loaded once,
// channels on partitions, and every kernel tap is a MATMUL whose moving operand is a strided
// window of that tile (an SBUF access pattern).
//
// Contract as every kernel (docs/kernels.md section 1): build_conv2d() checks the arguments
// (KernelArgumentError) and states its DRAM bytes; conv2d() runs it from host tensors;
// reference_conv2d() is bit-exact with the program; check_conv2d_float64() compares with float64.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "systole/driver/device.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/config.hpp"
#include "systole/kernels/gemm_epilogue.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels {

struct Conv2dParams {
  std::uint32_t n = 1, h = 0, w = 0, cin = 0, cout = 0, kh = 1, kw = 1;
  std::uint32_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1, groups = 1;
  std::uint32_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  bool bias = false;
  golden::DType bias_dtype = golden::DType::kBf16;  // bf16 or fp32
  std::string activation = "identity";              // identity or any of driver::activations()
  golden::DType out = golden::DType::kBf16;         // bf16 or fp32
  std::uint32_t oh() const;                         // 0 when the kernel does not fit in the padded input
  std::uint32_t ow() const;
  std::uint64_t macs() const;  // N OH OW KH KW (Cin / groups) Cout
  std::string describe() const;
};

struct Conv2dAddrs {
  std::uint32_t x = 0, w = 0, bias = 0, aux = 0, y = 0;  // W packed by pack_conv2d_weights()
};

struct Conv2dPlan {
  std::uint32_t cin_g = 0, cout_g = 0, cpass = 0, opass = 0;  // per group; passes of P, chunks of C
  // Output tiles: `imgs` images x `rows` output rows x OW (npix pixels, the MATMUL's N).
  std::uint32_t imgs = 0, rows = 0, npix = 0, tiles = 0, row_tiles = 0, img_tiles = 0;
  std::uint32_t halo_rows = 0, halo_cols = 0;    // (rows - 1) sh + (KH - 1) dh + 1, (OW - 1) sw + (KW - 1) dw + 1
  std::uint32_t gj = 0, blocks = 0, wslots = 0;  // output chunks per weight block, blocks per group
  bool resident = false;                         // a group's weight blocks loaded once for all its tiles
  // SBUF (bytes per partition) and PSUM (word offsets).
  std::uint32_t table = 0, bias = 0, halo[2] = {0, 0}, stage[2] = {0, 0}, wslot0 = 0, wslot_bytes = 0, sbuf_used = 0;
  std::uint32_t ps[2] = {0, 0};
  std::string describe() const;
};

struct Conv2dProgram {
  Conv2dPlan plan;
  std::vector<golden::Instruction> instructions;
  std::vector<golden::EncodedInstruction> encoded;
  std::uint64_t dram_rd_bytes = 0, dram_wr_bytes = 0;  // section 11.3
  std::uint64_t macs = 0;
  double utilization(const golden::Config& cfg, std::uint64_t cycles) const {
    return cycles ? static_cast<double>(macs) / (static_cast<double>(cycles) * cfg.partitions * cfg.columns) : 0.0;
  }
};

void validate_conv2d(const golden::Config& cfg, const Conv2dParams& p);
Conv2dPlan plan_conv2d(const golden::Config& cfg, const Conv2dParams& p);
Conv2dProgram build_conv2d(const golden::Config& cfg, const Conv2dParams& p, const Conv2dAddrs& a);

// The roofline in cycles: max(MACs / (P C), (X + W + bias + Y bytes, each once) / DRAM bytes per
// cycle) (a dram_bytes_per_cycle of 0: the compute term alone).
double conv2d_roofline_cycles(const golden::Config& cfg, const Conv2dParams& p, double dram_bytes_per_cycle);

// W [KH, KW, cin_g, Cout] as the program reads it: per group, per block of gj output chunks, the
// [KH KW cin_g, block columns] row-major matrix (one contiguous read per block).
driver::Tensor pack_conv2d_weights(const golden::Config& cfg, const Conv2dParams& p, const driver::Tensor& w);

struct Conv2dInputs {
  driver::Tensor x, w;
  std::optional<driver::Tensor> bias;
};
Conv2dInputs random_conv2d_inputs(std::uint64_t seed, const Conv2dParams& p);

struct Conv2dHostResult {
  driver::Tensor y;
  Conv2dProgram program;
  driver::RunResult result;
};
Conv2dHostResult conv2d(driver::Device& dev, const Conv2dParams& p, const Conv2dInputs& in);

driver::Tensor reference_conv2d(const golden::Config& cfg, const Conv2dParams& p, const Conv2dInputs& in);

// Per group, Y against the float64 convolution through the epilogue: the fused epilogue's bound
// (section 7.3) with K = KH KW cin_g.
EpilogueFloat64Check check_conv2d_float64(const Conv2dParams& p, const Conv2dInputs& in, const driver::Tensor& y);

}  // namespace systole::kernels
