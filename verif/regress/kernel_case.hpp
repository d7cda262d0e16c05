// The "kernel" case kind of the regression (kernel_kind(), case_kind.hpp): a random call of one
// of the kernels of sw/kernels built on the vector engine (softmax, layernorm, rmsnorm today;
// docs/kernels.md) on the configuration's Verilated chip and on the golden device, compared
// bit-exactly with each other and with the architectural reference, within the float64 bound,
// with the DRAM byte counters equal to the kernel's formula.
//
// Parameters: op ("softmax", "layernorm", "rmsnorm"); rows (1..4096), cols (1..8192, at most what
// fits in SBUF); in, out, param ("bf16" or "fp32"); mask (0/1, softmax only); scale ("1" or
// "0.125", softmax only); the dram_* keys of dram_knobs.hpp. Operand values come from the case seed.
//
// Coverage bins (kernel_bin_grid): op x shape class x in->out dtypes, the shape classes
// "one_row" (rows = 1), "partial_tile" (rows < P), "multi_tile" (rows >= P), "long_row" (cols >
// 4095, more than one TAP dimension; only where SBUF holds such rows: default, and not for
// LayerNorm with an fp32 input or output, whose rows stop at 3264 elements there).
#pragma once

#include <string>
#include <vector>

#include "case_kind.hpp"
#include "systole/golden/config.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::verif::regress {

const CaseKind& kernel_kind();

// Every bin the kernel kind can hit, in display order ("softmax/multi_tile/bf16->fp32").
std::vector<std::string> kernel_bin_grid();

// The parameters as the kernel's, checked (std::invalid_argument naming the key and what was
// expected), and the shape class of docs above.
kernels::RowwiseParams parse_kernel_case(const golden::Config& cfg, const Params& p);
std::string kernel_shape_class(const golden::Config& cfg, const kernels::RowwiseParams& k);

}  // namespace systole::verif::regress
