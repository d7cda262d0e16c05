// The transformer MLP block (docs/kernels.md section 9):
//
//   H = act(X W1 + b1)            bf16, kept on chip (never written to DRAM)
//   Y = (H W2 + b2) [+ X]         bf16 or fp32
//
// X [T, D] row-major bf16 (tokens, model dimension), W1 [D, F] and W2 [F, D] row-major bf16, b1
// [F] and b2 [D] bf16 or fp32, `act` any activation of driver::activations() or identity. The
// program works feature-major: a tile of tokens is loaded transposed (features on partitions),
// H^T of the tile is computed chunk by chunk into SBUF through the fused epilogue (one ACTIVATE
// with b1 as the per-lane bias), then Y^T = W2^T H^T with b2 and the residual (X^T, already on
// chip) on the way out of PSUM. The weights stream through SBUF slots (or stay resident when
// they fit).
//
// Contract as every kernel (docs/kernels.md section 1): build_mlp() checks the arguments
// (KernelArgumentError) and states its DRAM bytes; mlp() runs it from host tensors;
// reference_mlp() is bit-exact with the program; check_mlp_float64() compares each GEMM stage
// with float64 (section 9.4).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "systole/driver/device.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/config.hpp"
#include "systole/kernels/gemm_epilogue.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels {

struct MlpParams {
  std::uint32_t tokens = 0, d = 0, f = 0;
  std::string activation = "gelu_tanh";
  bool residual = true;                       // Y += X
  golden::DType out = golden::DType::kBf16;   // bf16 or fp32
  golden::DType bias = golden::DType::kBf16;  // b1 and b2: bf16 or fp32
};

// DRAM addresses; `aux` holds epilogue_aux_image(activation) (unused without a table); W1 and
// W2 packed by pack_mlp_weights().
struct MlpAddrs {
  std::uint32_t x = 0, w1 = 0, b1 = 0, w2 = 0, b2 = 0, aux = 0, y = 0;
};

struct MlpPlan {
  std::uint32_t tile = 0, tiles = 0;   // token tile (the moving free size) and their number
  std::uint32_t dpass = 0, fpass = 0;  // ceil(D / P), ceil(F / P)
  std::uint32_t g1 = 0, g2 = 0;        // F-chunks per W1 block, D-chunks per W2 block
  std::uint32_t w1_blocks = 0, w2_blocks = 0, wslots = 0;
  bool resident = false;      // every weight block has its own slot: loaded once
  std::uint32_t x_slots = 2;  // X^T tiles double-buffered, or one when SBUF is short
  // SBUF (bytes per partition) and PSUM (word offsets).
  std::uint32_t table = 0, b1 = 0, b2 = 0, xt[2] = {0, 0}, h = 0, ystage[2] = {0, 0}, work = 0, wslot0 = 0;
  std::uint32_t wslot_bytes = 0, sbuf_used = 0;
  std::uint32_t ps_h[2] = {0, 0}, ps_y[2] = {0, 0};
  std::string describe() const;
};

struct MlpProgram {
  MlpPlan plan;
  std::vector<golden::Instruction> instructions;
  std::vector<golden::EncodedInstruction> encoded;
  std::uint64_t dram_rd_bytes = 0, dram_wr_bytes = 0;  // section 9.3
  std::uint64_t macs = 0;                              // 2 T D F
  double utilization(const golden::Config& cfg, std::uint64_t cycles) const {
    return cycles ? static_cast<double>(macs) / (static_cast<double>(cycles) * cfg.partitions * cfg.columns) : 0.0;
  }
};

void validate_mlp(const golden::Config& cfg, const MlpParams& p);
MlpPlan plan_mlp(const golden::Config& cfg, const MlpParams& p);
MlpProgram build_mlp(const golden::Config& cfg, const MlpParams& p, const MlpAddrs& a);

// The weights as the program reads them from DRAM (section 9.1): column-blocked, block b of W1
// (columns b g1 P .. + g1 P) stored as a row-major [D, cols] matrix after the blocks before it,
// likewise W2 with g2 (so each block is one contiguous read). mlp() packs on the host.
driver::Tensor pack_weight_columns(const driver::Tensor& w, std::uint32_t block_cols);
struct MlpPackedWeights {
  driver::Tensor w1, w2;
};
MlpPackedWeights pack_mlp_weights(const golden::Config& cfg, const MlpPlan& plan, const driver::Tensor& w1,
                                  const driver::Tensor& w2);

// Host tensors: x [T, D], w1 [D, F], w2 [F, D] bf16 (row-major); b1 [F], b2 [D] in p.bias.
struct MlpInputs {
  driver::Tensor x, w1, b1, w2, b2;
};
MlpInputs random_mlp_inputs(std::uint64_t seed, const MlpParams& p);

struct MlpHostResult {
  driver::Tensor y;
  MlpProgram program;
  driver::RunResult result;
};
MlpHostResult mlp(driver::Device& dev, const MlpParams& p, const MlpInputs& in);

// The architectural reference: Y, and the H it computes on the way (bit-exact with the chip's).
struct MlpReference {
  driver::Tensor h, y;
};
MlpReference reference_mlp(const golden::Config& cfg, const MlpParams& p, const MlpInputs& in);

// The two stages against float64 (docs/kernels.md section 9.4): H against X W1 + b1 through the
// activation in double, Y against H W2 + b2 (+ X) in double with H as the reference computed it
// (bit-exact with the chip's when Y is), each within the fused epilogue's bound (section 7.3).
struct MlpFloat64Check {
  EpilogueFloat64Check h, y;
  bool ok() const { return h.ok() && y.ok(); }
  // Both stages as one: counts added, the worst error and ratio, the first violation (H's first).
  EpilogueFloat64Check combined() const;
};
MlpFloat64Check check_mlp_float64(const MlpParams& p, const MlpInputs& in, const MlpReference& ref,
                                  const driver::Tensor& y);

}  // namespace systole::kernels
