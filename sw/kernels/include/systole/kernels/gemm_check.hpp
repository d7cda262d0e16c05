// Host-side references for the GEMM kernel: operand generators, the bit-exact architectural
// reference (golden::reference::naive_gemm) and the float64 reference with the accuracy bound
// of docs/numerics.md section 3. Used by the tests and by the `systole gemm` CLI.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "systole/driver/tensor.hpp"
#include "systole/golden/config.hpp"

namespace systole::kernels {

enum class Fill : std::uint8_t {
  kNormal,    // int8 uniform over all values; bf16 ~ N(0, 1); fp8 uniform in (-8, 8)
  kSpecial,   // every bit pattern (floats: NaN, inf, denormals, signed zeros included)
  kExtremes,  // int8 -128/127/-1/0/1; floats: max, min normal, denormal, +-0, +-inf, NaN, 1
};
driver::Tensor random_matrix(std::mt19937_64& rng, golden::DType dtype, std::uint32_t rows, std::uint32_t cols,
                             Fill fill = Fill::kNormal);

// C = A * B with the architectural accumulation order (bit-exact with the kernel on `cfg`:
// passes of P rows). A [M,K], B [K,N] and the result [M,N] are row-major host tensors.
driver::Tensor reference_gemm(const golden::Config& cfg, const driver::Tensor& a, const driver::Tensor& b,
                              golden::DType out);

// The roofline bound of a GEMM on `cfg` as a fraction of the array's peak (issue 13):
// compute / max(compute, R / A, W / A, (R + W) / dram_bytes_per_cycle), compute = MACs / (P x C)
// cycles, R the bytes of A and B read once, W those of C written once, A the AXI data width in
// bytes per direction; a dram_bytes_per_cycle of 0 is an unlimited DRAM.
double gemm_roofline(const golden::Config& cfg, std::uint64_t m, std::uint64_t k, std::uint64_t n, golden::DType in,
                     golden::DType out, double dram_bytes_per_cycle);
// The same bound with the array's feed added: the moving operand enters the array P elements
// per cycle, ceil(M / C) x ceil(K / P) x N cycles in all (whichever operand the kernel streams,
// each of its elements enters once per tile of the other). When M < C (decode-time shapes) this
// is above MACs / (P x C): with int8 or fp8 inputs the array then takes 16 bytes of B per cycle
// on `default`, half the AXI width, so the roofline cannot be reached there.
double gemm_feed_bound(const golden::Config& cfg, std::uint64_t m, std::uint64_t k, std::uint64_t n, golden::DType in,
                       golden::DType out, double dram_bytes_per_cycle);

// The first differing element of two tensors of the same shape and dtype, or -1.
std::int64_t first_mismatch(const driver::Tensor& x, const driver::Tensor& y);

// C against the float64 product: every element within (K + 1) 2^-24 sum|a b| + K 2^-126
// (+ 2^-8 (|c| + sum|a b|) for a bf16 C); int32 C exact modulo 2^32. Elements whose reference
// is not finite (an input NaN/inf, or an overflow) are skipped.
struct Float64Check {
  std::uint64_t checked = 0, skipped = 0, violations = 0;
  double max_abs_error = 0;  // over the checked elements
  double worst_ratio = 0;    // max error / bound (<= 1 passes; 0 when every bound is 0 and met)
  std::string first_violation;
  bool ok() const { return violations == 0; }
};
Float64Check check_against_float64(const driver::Tensor& a, const driver::Tensor& b, const driver::Tensor& c);

}  // namespace systole::kernels
