// Row-wise kernels on the vector engine: softmax (scale, additive mask), LayerNorm and RMSNorm
// over the rows of X [R, L] (docs/kernels.md section 2). Each row goes to one lane (partition)
// of the vector engine; tiles of P rows are loaded, computed and stored in a pipeline.
//
// Contract (docs/kernels.md section 1): build_rowwise() checks the arguments
// (KernelArgumentError: what was wrong, what was expected) and returns the program with the
// DRAM bytes it moves; rowwise() runs it on a device from host tensors; reference_rowwise() is
// the architectural reference, bit-exact with the program on every backend;
// check_rowwise_float64() compares with float64 within the bounds of docs/kernels.md section 5.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "systole/driver/device.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/golden/activation.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels {

enum class RowOp : std::uint8_t { kSoftmax, kLayerNorm, kRmsNorm };
std::string_view row_op_name(RowOp op);  // "softmax", "layernorm", "rmsnorm"

// What to compute, independent of where the operands live.
struct RowwiseParams {
  RowOp op = RowOp::kSoftmax;
  std::uint32_t rows = 0, cols = 0;          // R, L
  golden::DType in = golden::DType::kBf16;   // X: bf16 or fp32
  golden::DType out = golden::DType::kBf16;  // Y: bf16 or fp32
  // softmax: y = softmax(scale * x + mask) per row; scale finite and > 0 (an fp32 value).
  float scale = 1.0f;
  bool mask = false;
  golden::DType mask_dtype = golden::DType::kBf16;  // bf16 or fp32
  // layernorm / rmsnorm: gamma (and beta for layernorm) of L elements; eps finite and > 0.
  golden::DType param = golden::DType::kBf16;  // bf16 or fp32
  float eps = 1e-5f;
  // Rows longer than SBUF holds take the online form (docs/kernels.md section 2.4): the row in
  // chunks, statistics merged chunk by chunk, then a second read for the output. 0: that form
  // only when the row does not fit, with the longest chunk that fits; n > 0: always, with chunks
  // of n elements (1..4095; a testing knob, and how a caller trades DRAM traffic for SBUF).
  std::uint32_t chunk = 0;
};

// Where the operands live in DRAM (byte addresses; every tensor row-major and packed).
struct RowwiseAddrs {
  std::uint32_t x = 0, y = 0, mask = 0, gamma = 0, beta = 0;
  // LayerNorm / RMSNorm: 64 bytes holding rowwise_aux_image() (the square table).
  std::uint32_t aux = 0;
};

// The 32-bit words the program expects at RowwiseAddrs::aux (empty for softmax).
std::vector<std::uint32_t> rowwise_aux_image(const RowwiseParams& p);
// The square table: T(t) = mul(t, t) for every fp32 t (docs/kernels.md section 2.2).
const golden::act::Table& square_table();

struct RowwisePlan {
  bool online = false;      // the chunked two-read form (section 2.4)
  std::uint32_t chunk = 0;  // online: elements per chunk (the last may be shorter)
  std::uint32_t chunks = 0;
  std::uint32_t tiles = 0;   // ceil(R / P)
  std::uint32_t nbuf = 0;    // I/O slots (2 or 3)
  std::uint32_t passes = 0;  // full passes of the vector engine over each row (docs/kernels.md)
  // A row is walked as n0 x n1 elements plus a tail of `tail` elements (0: none).
  std::uint32_t n0 = 0, n1 = 0, tail = 0;
  // SBUF layout, byte offsets in every partition.
  // Online: output chunks have a ring of their own (nout slots at out_off), so that an input slot
  // is free as soon as the vector engine has read it, while its output is being stored.
  std::uint32_t nout = 0;
  std::uint32_t out_off[3] = {0, 0, 0};
  std::uint32_t io_off[3] = {0, 0, 0}, mask_off[3] = {0, 0, 0}, param_off[3] = {0, 0, 0};
  std::uint32_t work_off = 0, gamma_off = 0, beta_off = 0, stats_off = 0, table_off = 0;
  std::uint32_t sbuf_used = 0;
  // Softmax over fp32 rows without a mask into fp32: the exponentials overwrite the row in its
  // I/O slot (in place) instead of a work row, which leaves room for a third slot.
  bool work_in_io = false;
  // Online norms: gamma (and beta) of the whole row broadcast once at gamma_off / beta_off (when
  // they fit beside the chunk slots), instead of each chunk's per tile into the slot's param_off.
  bool params_resident = false;
  // Online norms without resident parameters: read B runs chunk-major (chunk c of every tile,
  // then chunk c + 1), so that each chunk's parameters are broadcast once into one of two
  // parameter slots; every tile keeps its statistics, `stats_stride` bytes apart (0: one set).
  bool chunk_major = false;
  std::uint32_t stats_stride = 0;
  std::string describe() const;
};

struct RowwiseProgram {
  RowwisePlan plan;
  std::vector<golden::Instruction> instructions;
  std::vector<golden::EncodedInstruction> encoded;
  // What the program reads from and writes to DRAM (docs/kernels.md section 4).
  std::uint64_t dram_rd_bytes = 0, dram_wr_bytes = 0;
};

// Sizes and dtypes (no addresses): throws KernelArgumentError.
void validate_rowwise(const golden::Config& cfg, const RowwiseParams& p);
// The longest row that fits in SBUF for these dtypes on cfg (0 if none): longer rows take the
// online form.
std::uint32_t rowwise_max_cols(const golden::Config& cfg, const RowwiseParams& p);
RowwisePlan plan_rowwise(const golden::Config& cfg, const RowwiseParams& p);
RowwiseProgram build_rowwise(const golden::Config& cfg, const RowwiseParams& p, const RowwiseAddrs& a);

// The bound of docs/kernels.md section 3, in cycles: the slowest of the vector engine (`passes`
// over R x L elements, P lanes, one element per lane per cycle), the DRAM (read + written bytes
// at dram_bytes_per_cycle; 0 = unlimited) and each AXI direction (axi_data_bits / 8 per cycle).
double rowwise_bound_cycles(const golden::Config& cfg, const RowwisePlan& plan, const RowwiseParams& p,
                            std::uint64_t rd_bytes, std::uint64_t wr_bytes, double dram_bytes_per_cycle);

// ---- host side ----------------------------------------------------------------------------------
// The operands as host tensors: x [R, L]; mask [R, L] (softmax with a mask); gamma [L], beta
// [L] (layernorm: both; rmsnorm: gamma).
struct RowwiseInputs {
  driver::Tensor x;
  std::optional<driver::Tensor> mask, gamma, beta;
};
// The params that go with the tensors' shapes and dtypes (op, out, scale and eps as given).
RowwiseParams rowwise_params(RowOp op, const RowwiseInputs& in, golden::DType out, float scale = 1.0f,
                             float eps = 1e-5f);

struct RowwiseHostResult {
  driver::Tensor y;
  RowwiseProgram program;
  driver::RunResult result;
};
// Allocates, uploads, runs (X, mask, gamma, beta, aux read-only; Y read/write), downloads, frees.
RowwiseHostResult rowwise(driver::Device& dev, const RowwiseParams& p, const RowwiseInputs& in);

// The architectural reference: every fp32 operation of the program, in its order (the plan on
// cfg decides the form: in SBUF, or online with its chunks).
driver::Tensor reference_rowwise(const golden::Config& cfg, const RowwiseParams& p, const RowwiseInputs& in);

// Random operands for p (x ~ N(0, 2) with an offset per row; a mask of zeros and -inf with
// some rows fully masked; gamma ~ N(1, 0.25), beta ~ N(0, 0.5)).
RowwiseInputs random_rowwise_inputs(std::uint64_t seed, const RowwiseParams& p);

// Y against float64 (docs/kernels.md section 5). Elements whose reference is not finite are
// skipped; a fully masked softmax row must be exactly +0.
struct RowwiseFloat64Check {
  std::uint64_t checked = 0, skipped = 0, violations = 0;
  double max_abs_error = 0, worst_ratio = 0;
  std::string first_violation;
  bool ok() const { return violations == 0; }
};
// The plan on cfg decides the bound's form (the online form's terms are larger).
RowwiseFloat64Check check_rowwise_float64(const golden::Config& cfg, const RowwiseParams& p, const RowwiseInputs& in,
                                          const driver::Tensor& y);

}  // namespace systole::kernels
