// The GEMM case kind of the regression (gemm_kind(), case_kind.hpp): a constrained-random
// C = A x B through kernels::gemm on the configuration's Verilated chip and on the golden device
// with the same placement (layouts, leading dimensions, offsets), compared bit-exactly.
//
// Parameters: M K N (1..2048); in ("int8", "bf16", "fp8": enabled on the configuration), out
// ("int32" for int8, "fp32" or "bf16" for floats); a b c (layouts "row" or "col"); lda ldb ldc
// (0 = packed, else the elements between rows or columns, >= the packed value); a_off b_off c_off
// (elements from the start of the operand's allocation to its first element); fill ("normal",
// "special", "extremes", kernels::Fill); the dram_* keys of dram_knobs.hpp. Operand values come
// from the case seed, the shape, dtype and fill.
//
// Cost: M*K*N is at most the configuration's MAC budget (gemm_max_macs) and each operand holds
// at most gemm_max_elements() elements (their DMA traffic scales with the same budget), so a
// case costs about the same simulation time whatever its shape.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "case_kind.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"

namespace systole::verif::regress {

// The MAC budget of a configuration: the --max-macs override when set, else the calibrated
// default (gemm_default_max_macs). Throws std::invalid_argument for a configuration without one.
std::uint64_t gemm_default_max_macs(std::string_view config);
std::uint64_t gemm_max_macs(std::string_view config);
// 0 restores the per-configuration defaults. The budget changes what generate() draws, so a
// replay of a run with --max-macs must pass the same value (the runner's replay commands do).
void set_gemm_max_macs(std::uint64_t macs);
std::uint64_t gemm_max_macs_override();
// Elements per operand: enough DMA traffic to take about as long as the MACs at peak.
std::uint64_t gemm_max_elements(const golden::Config& cfg, std::uint64_t max_macs);

// The parameters of a GEMM case, checked (parse_gemm_case) and printed back (gemm_params).
struct GemmCase {
  std::uint32_t M = 1, K = 1, N = 1;
  golden::DType in = golden::DType::kInt8, out = golden::DType::kInt32;
  kernels::GemmPlacement a, b, c;
  kernels::Fill fill = kernels::Fill::kNormal;
};
std::string_view fill_name(kernels::Fill f);
// Every non-dram_* key is required; unknown keys, malformed values, dtypes the configuration does
// not enable, leading dimensions below the packed value and operands that do not fit in the
// case's DRAM throw std::invalid_argument naming the key and what was expected.
GemmCase parse_gemm_case(const golden::Config& cfg, const Params& p);
// Writes the GEMM keys of g into p (the dram_* keys are left as they are).
void set_gemm_params(Params& p, const GemmCase& g);
// Bytes of an operand's allocation: offset + strided extent, in elements of `dtype`.
std::uint64_t operand_bytes(const kernels::GemmPlacement& pl, std::uint32_t rows, std::uint32_t cols,
                            golden::DType dtype);

// gemm_kind().run(): both devices, every check (gemm_case_run.cpp).
Outcome run_gemm_case(const std::string& config, std::uint64_t seed, const Params& p);

// DRAM of the simulated chip and golden device of a GEMM case.
inline constexpr std::uint64_t kGemmDramBytes = std::uint64_t{64} << 20;

}  // namespace systole::verif::regress
