// A data-parallel gradient all-reduce (docs/kernels.md section 13): the weight gradient of a
// linear layer, dW = X^T dY, over a batch split across N chips. Chip j computes its shard's
// dW_j = X_j^T dY_j with the GEMM kernel (fp32 out), then a ring all-reduce (collectives/) in
// place on dW_j leaves dW = sum_j dW_j on every chip, as data-parallel training does before the
// optimizer step. The reference composes the GEMM reference per shard with the all-reduce
// reference in its documented order: every chip's dW is bit-exact with it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "systole/driver/multi_device.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/config.hpp"

namespace systole::kernels {

struct DpGradParams {
  std::uint32_t chips = 2;
  std::uint32_t batch = 0;  // rows of X and dY in all, divisible by chips
  std::uint32_t d_in = 0, d_out = 0;
};

// X [batch, d_in] and dY [batch, d_out], bf16 row-major; chip j holds rows
// [j batch/N, (j+1) batch/N).
struct DpGradInputs {
  driver::Tensor x, dy;
};
DpGradInputs random_dp_inputs(std::uint64_t seed, const DpGradParams& p);

// Throws KernelArgumentError (bad chip count, a batch not divisible by it, a shard GEMM the
// configuration cannot take).
void validate_dp_gradient(const golden::Config& cfg, const DpGradParams& p);

struct DpGradResult {
  std::vector<driver::Tensor> dw;  // per chip, fp32 [d_in, d_out]
  std::vector<std::string> races;
  std::uint64_t link_tx_bytes = 0;
};
DpGradResult dp_gradient(driver::MultiDevice& dev, const DpGradParams& p, const DpGradInputs& in);

driver::Tensor reference_dp_gradient(const golden::Config& cfg, const DpGradParams& p, const DpGradInputs& in);

}  // namespace systole::kernels
