// GEMM kernel: C[M,N] = A[M,K] * B[K,N] on one Systole core. The plain program uses only DMA,
// MATMUL, NOP (on the TENSOR queue) and END; with a fused epilogue (gemm_epilogue.hpp) the
// accumulators leave PSUM through the vector engine (docs/kernels.md section 7).
//
// A and B share one input dtype, int8, bf16 or fp8, which the configuration's tensor engine must
// enable. C is int32 for int8 inputs, fp32 or bf16 for float inputs (bf16 through the DMA's
// fp32 -> bf16 cast as PSUM is drained). A, B and C are each row-major or column-major in DRAM,
// packed or with a leading dimension. Any M, K, N >= 1 whose operands fit in DRAM. The result is
// bit-exact with golden::reference::naive_gemm: K is contracted in passes of P rows, in order,
// accumulated in PSUM (docs/numerics.md section 3).
//
// Errors: arguments the kernel cannot take throw GemmArgumentError (what was wrong, what was
// expected), before anything is allocated or run. On a device, run_gemm() and gemm() pass on the
// driver's exceptions (driver::DeviceError for an error stop, driver::DeviceTimeout,
// driver::OutOfDeviceMemory when the host overloads cannot allocate the operands).
//
// Design (tiling, loop order, synchronization, the worked 1024^3 estimate): docs/software.md
// section 5. Usage, strides, placements and the tests: docs/software.md section 2.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "systole/driver/device.hpp"
#include "systole/driver/tensor.hpp"
#include "systole/driver/timing_model.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/kernels/gemm_epilogue.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels {

enum class Layout : std::uint8_t { kRowMajor, kColMajor };
std::string_view layout_name(Layout l);  // "row", "col"

// A matrix operand in device DRAM. `ld` (leading dimension) is the distance in elements from
// one row (row-major) or one column (col-major) to the next; 0 means packed: A row-major K,
// A col-major M, B row-major N, B col-major K, C row-major N, C col-major M. A non-zero ld must
// be at least that packed value and at most kGemmMaxLd (the DAP stride field). The gaps
// between rows/columns are never read (A, B) nor written (C).
struct GemmOperand {
  std::uint32_t addr = 0;
  Layout layout = Layout::kRowMajor;
  std::uint32_t ld = 0;
};

// Largest leading dimension a DMA access pattern can step by (signed 24-bit element stride).
inline constexpr std::uint32_t kGemmMaxLd = (std::uint32_t{1} << 23) - 1;

// The leading dimension used for an operand of `rows` x `cols` (ld, or the packed value when 0)
// and the elements from its first element to one past its last one (ld * (lines - 1) + line).
std::uint32_t effective_ld(const GemmOperand& op, std::uint32_t rows, std::uint32_t cols);
std::uint64_t strided_extent(Layout layout, std::uint32_t ld, std::uint32_t rows, std::uint32_t cols);

struct GemmSpec {
  std::uint32_t M = 0, K = 0, N = 0;
  golden::DType in = golden::DType::kBf16;   // A and B: int8, bf16 or fp8
  golden::DType out = golden::DType::kFp32;  // int32 (int8 in); fp32 or bf16 (float in)
  GemmOperand a, b, c;
  // With an epilogue (gemm_epilogue.hpp) the result leaves PSUM through the vector engine:
  // out may then be fp32, bf16, fp8 or int8 for any input (not int32).
  std::optional<GemmEpilogue> epilogue;
};

// Thrown for arguments the kernel cannot take; the message says what was wrong and what was expected.
class GemmArgumentError : public KernelArgumentError {
 public:
  using KernelArgumentError::KernelArgumentError;
};

enum class GemmMode : std::uint8_t { kResidentB, kStreaming };
std::string_view mode_name(GemmMode m);

struct GemmOptions {
  // Bytes of DRAM the operands must fit in (Device::dram_size() when run on a device).
  std::uint64_t dram_bytes = std::uint64_t{1} << 32;
  // Testing knobs: use at most this much SBUF per partition; force the streaming mode; cap the
  // n-block width. The defaults give the fastest plan.
  std::optional<std::uint32_t> sbuf_bytes;
  bool force_streaming = false;
  std::optional<std::uint32_t> max_block_n;
  bool uniform_blocks = false;  // no narrower first n-block
  bool no_transpose = false;    // never swap the operands' roles (GemmPlan::transposed)
  // Streaming mode: at most this many passes per SBUF stage (build_gemm tries smaller stages
  // than fit: with few m-tiles B is not reused, and a smaller stage exposes less of the first
  // load and the last MATMULs).
  std::optional<std::uint32_t> max_stage_passes;
  // The DRAM the static estimate (and so the choice between plans) assumes; a caller that knows
  // the device's memory (the CLI's --dram-latency, --dram-bytes-per-cycle) says so here.
  driver::TimingModel timing;
  // Wall-clock limit of the run on the device (a 2048^3 GEMM simulates for more than the
  // driver's default 10 minutes).
  std::chrono::milliseconds run_timeout{std::chrono::minutes(10)};
};

// The tiling chosen for a GEMM on a configuration.
struct GemmPlan {
  GemmMode mode = GemmMode::kResidentB;
  // The program computes C^T = B^T A^T (the operands' roles swapped: B's columns stationary, A
  // streamed) because the timing model finds it faster (few columns of C, many rows). The
  // sizes below are then those of the transposed problem (M' = N, N' = M). Bit-exact either
  // way: K is contracted in the same passes of P rows, in the same order.
  bool transposed = false;
  std::uint32_t npass = 0;          // ceil(K / P): passes of P rows
  std::uint32_t last_kt = 0;        // rows in the last pass
  std::uint32_t m_tiles = 0;        // ceil(M / C)
  std::uint32_t block_n = 0;        // Nb: columns per n-block (the last may be narrower)
  std::uint32_t first_block_n = 0;  // n-block 0 (narrower when that lets the array start sooner)
  std::uint32_t n_blocks = 0;
  std::uint32_t chunk_n = 0;       // MATMUL N (the last chunk of a block may be narrower)
  std::uint32_t stage_passes = 0;  // passes per SBUF stage (= npass in resident mode)
  std::uint32_t k_stages = 0;      // stages per m-tile (1 in resident mode)
  std::uint32_t psum_slots = 0;
  std::uint32_t psum_slot_words = 0;
  // SBUF layout, bytes per partition.
  std::uint32_t a_slot_bytes = 0, b_slot_bytes = 0;
  std::uint32_t a_off[2] = {0, 0}, b_off[2] = {0, 0};
  // The fused epilogue's part of SBUF (above the A and B slots; bytes per partition), in the
  // program's view (transposed: lanes are C's columns).
  struct Epilogue {
    bool on = false;
    std::uint32_t width = 0;   // elements per lane of the widest group
    std::uint32_t passes = 0;  // vector instructions over a group (1 to 4)
    std::uint32_t table_off = 0, lane_bias_off = 0, free_bias_off = 0, work_off = 0;
    std::uint32_t stage_off[2] = {0, 0}, res_off[2] = {0, 0};
    std::uint32_t bytes = 0;
  } epi;
  std::string describe() const;
  // Columns [block_start(nb), block_start(nb) + block_width(nb, N)) form n-block nb.
  std::uint32_t block_start(std::uint32_t nb) const { return nb == 0 ? 0 : first_block_n + (nb - 1) * block_n; }
  std::uint32_t block_width(std::uint32_t nb, std::uint32_t N) const {
    return std::min(nb == 0 ? first_block_n : block_n, N - block_start(nb));
  }
};

struct GemmProgram {
  GemmPlan plan;
  std::vector<golden::Instruction> instructions;
  std::vector<golden::EncodedInstruction> encoded;
  driver::ProgramEstimate estimate;  // static timing model (driver/timing_model.hpp)
};

// Checks the arguments (throws GemmArgumentError): sizes >= 1; `in` enabled on the tensor
// engine of `cfg`; `out` allowed for `in`; each ld 0 or in [packed, kGemmMaxLd]; every operand's
// strided extent inside [0, dram_bytes) and aligned to its element size; the extents of A, B and
// C not overlapping (gaps included: ranges, not element sets, are compared).
void validate_gemm(const golden::Config& cfg, const GemmSpec& spec, const GemmOptions& opts = {});
// The part of validate_gemm() that does not look at addresses: sizes and dtypes (`fused`: with
// an epilogue, which allows other output dtypes and needs the vector engine).
void validate_gemm_types(const golden::Config& cfg, std::uint32_t M, std::uint32_t K, std::uint32_t N, golden::DType in,
                         golden::DType out, bool fused = false);
GemmPlan plan_gemm(const golden::Config& cfg, const GemmSpec& spec, const GemmOptions& opts = {});
GemmProgram build_gemm(const golden::Config& cfg, const GemmSpec& spec, const GemmOptions& opts = {});

// ---- on a device --------------------------------------------------------------------------
// Runs a GEMM whose operands are already in device DRAM, with protection windows A and B
// read-only and C read/write (nothing else is reachable by the DMA).
struct GemmRun {
  GemmProgram program;
  driver::RunResult result;
};
GemmRun run_gemm(driver::Device& dev, const GemmSpec& spec, GemmOptions opts = {});

// Host tensors in, host tensor out: allocates A, B, C on the device, uploads A [M,K] and
// B [K,N] (given row-major on the host) in the requested DRAM layouts, runs, downloads C
// (returned as [M,N] row-major whatever its DRAM layout) and frees everything.
struct GemmHostResult {
  driver::Tensor c;
  GemmRun run;
  // -1: every byte of C's allocation that is not an element of C (offset head, gaps, tail)
  // still holds its canary; else the byte offset within C's allocation of the first changed one.
  // (The Layout overload packs C at offset 0: no canary bytes, always -1.)
  std::int64_t c_canary_damage = -1;
};
GemmHostResult gemm(driver::Device& dev, const driver::Tensor& a, const driver::Tensor& b, golden::DType out,
                    Layout a_layout = Layout::kRowMajor, Layout b_layout = Layout::kRowMajor,
                    Layout c_layout = Layout::kRowMajor, const GemmOptions& opts = {});

// Where an operand lives inside its own DRAM allocation: layout, leading dimension (0 = packed,
// as GemmOperand::ld) and offset = elements from the start of the allocation to element (0, 0)
// (any value; the allocation stays aligned to the element size).
struct GemmPlacement {
  Layout layout = Layout::kRowMajor;
  std::uint32_t ld = 0;
  std::uint32_t offset = 0;
};

// As above with placements: each operand gets an allocation of offset + strided extent elements
// (plus, when ld is not packed, a tail of up to 64 bytes of the last line's gap) whose
// non-element bytes are filled with a canary (gemm_canary_byte(), derived from the byte's
// offset in the allocation and the operand, so a shifted write shows); after the run C's
// allocation is read back whole and its canaries checked (GemmHostResult::c_canary_damage).
GemmHostResult gemm(driver::Device& dev, const driver::Tensor& a, const driver::Tensor& b, golden::DType out,
                    const GemmPlacement& pa, const GemmPlacement& pb, const GemmPlacement& pc,
                    const GemmOptions& opts = {});

// GEMM with a fused epilogue (gemm_epilogue.hpp) on host tensors, all row-major: allocates A, B,
// C and one read-only allocation for the epilogue's inputs (biases, residual, table image), runs
// and returns C [M, N] in the output dtype.
GemmHostResult gemm_fused(driver::Device& dev, const driver::Tensor& a, const driver::Tensor& b,
                          const EpilogueInputs& e, golden::DType out, const GemmOptions& opts = {});

// The canary at byte `i` of operand `which`'s allocation (0 = A, 1 = B, 2 = C).
std::uint8_t gemm_canary_byte(unsigned which, std::uint64_t i);

}  // namespace systole::kernels
