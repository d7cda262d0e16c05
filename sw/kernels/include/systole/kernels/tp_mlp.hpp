// The tensor-parallel transformer MLP over N chips (docs/kernels.md section 12):
//
//   chip j:  H_j = act(X W1[:, F_j] + b1[F_j])            column-parallel W1 (F split in N)
//            Y_j = H_j W2[F_j, :] (+ b2 + X on chip 0)     row-parallel W2, fp32 partial
//   all:     Y = all-reduce-sum(Y_0, ..., Y_{N-1})         ring all-reduce, in place on Y_j
//
// Every chip runs the single-chip MLP program of kernels/mlp.hpp on its shard, then the ring
// all-reduce of collectives/ on the partial results, on a multi-chip device (the golden system
// today, one race checker across the chips). The reference composes the same pieces on the host: the MLP
// reference per shard, then the all-reduce reference in its documented order, so the result is
// bit-exact with the single-chip golden model in the order the chips add; a float64 check holds
// it against the whole MLP. Compute and communication run one after the other here (two
// runs); overlapping them comes with the RTL system, where it can be measured.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "systole/driver/multi_device.hpp"
#include "systole/golden/config.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::kernels {

struct TpMlpParams {
  MlpParams mlp;  // the whole MLP; `out` is forced to fp32 (the partials and Y)
  std::uint32_t chips = 2;
};

// Checks the arguments (KernelArgumentError): F divisible by the chip count, a shard per chip of
// at least one feature, the shard MLP valid on `cfg`.
void validate_tp_mlp(const golden::Config& cfg, const TpMlpParams& p);

// Chip j's shard: its MLP parameters and inputs.
struct TpShard {
  MlpParams params;
  MlpInputs inputs;
};
TpShard tp_shard(const TpMlpParams& p, const MlpInputs& in, std::uint32_t chip);

struct TpMlpResult {
  std::vector<driver::Tensor> y;  // per chip, fp32 [T, D]: all equal when correct
  std::vector<std::string> races;
  std::uint64_t link_tx_bytes = 0;
  std::uint64_t mlp_instructions = 0, allreduce_instructions = 0;  // chip 0's
};
// Runs it on a multi-chip device of p.chips chips (make_multi_device).
TpMlpResult tp_mlp(driver::MultiDevice& dev, const TpMlpParams& p, const MlpInputs& in);

// The reference: per-shard reference_mlp, then the all-reduce in ring order.
driver::Tensor reference_tp_mlp(const golden::Config& cfg, const TpMlpParams& p, const MlpInputs& in);

}  // namespace systole::kernels
