// The GEMM kernel's fused epilogue (docs/kernels.md section 7): what happens to each accumulator
// element on its way from PSUM to DRAM, on the vector engine, instead of the plain drain:
//
//   z = alpha * acc + bias_col[n] + bias_row[m]       (in this order: ((alpha acc) + bc) + br)
//   y = act(z) + residual[m][n]                        converted to the output dtype
//
// every step optional; acc is the fp32 (or int32, converted RNE) accumulator. Outputs: fp32,
// bf16, fp8 or int8 (requantization: RNE and saturation to [-128, 127] after alpha). The
// activation is any of driver::activations() (relu, gelu_tanh, gelu_erf, silu, sigmoid, tanh,
// softplus, exp, log, sqrt) or "identity". DRAM traffic: that of the plain GEMM plus the bias
// vectors and the residual read once and the activation table's image.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "systole/driver/tensor.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"

namespace systole::kernels {

enum class Layout : std::uint8_t;

// A vector of the epilogue in DRAM (bias_col: N elements, bias_row: M), bf16 or fp32.
struct EpilogueVector {
  std::uint32_t addr = 0;
  golden::DType dtype = golden::DType::kBf16;
};
// The residual [M, N] in DRAM, bf16 or fp32, row- or column-major, packed (ld 0) or with a
// leading dimension as GemmOperand.
struct EpilogueMatrix {
  std::uint32_t addr = 0;
  golden::DType dtype = golden::DType::kBf16;
  Layout layout{};
  std::uint32_t ld = 0;
};

struct GemmEpilogue {
  float alpha = 1.0f;  // finite
  std::optional<EpilogueVector> bias_col, bias_row;
  std::string activation = "identity";
  std::optional<EpilogueMatrix> residual;
  // DRAM address of epilogue_aux_image(activation) (the table's image; unused without one).
  std::uint32_t aux = 0;
};

// The words the program reads at GemmEpilogue::aux: the activation's TABLE image (8 + 4 nseg
// words), empty for built-in functions and identity. Throws KernelArgumentError for an unknown
// activation name.
std::vector<std::uint32_t> epilogue_aux_image(const std::string& activation);

// The epilogue as host tensors (gemm_fused()): bias_col [N], bias_row [M], residual [M, N].
struct EpilogueInputs {
  float alpha = 1.0f;
  std::optional<driver::Tensor> bias_col, bias_row, residual;
  std::string activation = "identity";
};

// The architectural epilogue applied to accumulators `acc` [M, N] (fp32 or int32 bits, as the
// GEMM reference gives them): bit-exact with the kernel.
driver::Tensor reference_epilogue(const driver::Tensor& acc, const EpilogueInputs& e, golden::DType out);

// Y against float64: the product in double, then the formula above in double; the bound is
// the GEMM's (docs/numerics.md section 3) carried through alpha and the activation, plus the
// activation's own error, the fp32 roundings of the steps and the output rounding
// (docs/kernels.md section 7.3). Elements whose reference is not finite are skipped.
struct EpilogueFloat64Check {
  std::uint64_t checked = 0, skipped = 0, violations = 0;
  double max_abs_error = 0, worst_ratio = 0;
  std::string first_violation;
  bool ok() const { return violations == 0; }
};
EpilogueFloat64Check check_fused_float64(const driver::Tensor& a, const driver::Tensor& b, const EpilogueInputs& e,
                                         const driver::Tensor& y);

}  // namespace systole::kernels
