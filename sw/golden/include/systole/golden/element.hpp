// The element arithmetic of the vector engine and the DMA (docs/numerics.md sections 4 and 5):
// a stored element as the fp32 or int32 an engine computes on, a result back as a stored
// element, and the ALU operations of TENSOR_TENSOR / TENSOR_SCALAR. Public so that the RTL
// benches compare with the very functions the golden executor uses (verif/vector).
#pragma once

#include <cstdint>
#include <stdexcept>

#include "systole/golden/isa.hpp"
#include "systole/golden/numerics.hpp"

namespace systole::golden::elem {

// A raw element (zero-extended bits) as fp32 ("Into fp32"): int8 exact, int32 RNE, bf16 exact
// then DAZ, fp8 exact, fp32 DAZ with the canonical NaN.
inline num::f32_bits to_f32(DType t, std::uint32_t raw) {
  switch (t) {
    case DType::kInt8: return num::int8_to_f32(static_cast<std::int8_t>(raw));
    case DType::kInt32: return num::int32_to_f32(static_cast<std::int32_t>(raw));
    case DType::kBf16: return num::bf16_to_f32(static_cast<num::bf16_bits>(raw));
    case DType::kFp8: return num::fp8_to_f32(static_cast<num::fp8_bits>(raw));
    case DType::kFp32: return num::f32_is_nan(raw) ? num::kF32CanonicalNan : num::f32_daz(raw);
  }
  return 0;
}

// fp32 bits as a raw element ("Out of fp32").
inline std::uint32_t from_f32(DType t, num::f32_bits v) {
  switch (t) {
    case DType::kInt8: return static_cast<std::uint8_t>(num::f32_to_int8(v));
    case DType::kInt32: return static_cast<std::uint32_t>(num::f32_to_int32(v));
    case DType::kBf16: return num::f32_to_bf16(v);
    case DType::kFp8: return num::f32_to_fp8(v);
    case DType::kFp32: return num::f32_is_nan(v) ? num::kF32CanonicalNan : num::f32_daz(v);
  }
  return 0;
}

// Integer path: int8 sign-extends; int32 as is; back: int8 saturates.
inline std::int32_t to_int(DType t, std::uint32_t raw) {
  return t == DType::kInt8 ? static_cast<std::int8_t>(raw) : static_cast<std::int32_t>(raw);
}
inline std::uint32_t from_int(DType t, std::int32_t v) {
  return t == DType::kInt8 ? static_cast<std::uint8_t>(num::int32_to_int8_sat(v)) : static_cast<std::uint32_t>(v);
}

// `a op b` on the float path (numerics.md section 5): comparisons give 1.0 or +0, BYPASS a.
// Throws std::logic_error for an integer op.
inline num::f32_bits alu_f32(AluOp op, num::f32_bits a, num::f32_bits b) {
  const auto boolean = [](bool v) { return v ? num::kF32One : num::f32_bits{0}; };
  switch (op) {
    case AluOp::kAdd: return num::f32_add(a, b);
    case AluOp::kSub: return num::f32_sub(a, b);
    case AluOp::kMul: return num::f32_mul(a, b);
    case AluOp::kMax: return num::f32_max(a, b);
    case AluOp::kMin: return num::f32_min(a, b);
    case AluOp::kEq: return boolean(num::f32_eq(a, b));
    case AluOp::kNe: return boolean(!num::f32_eq(a, b));
    case AluOp::kLt: return boolean(num::f32_lt(a, b));
    case AluOp::kLe: return boolean(num::f32_le(a, b));
    case AluOp::kGt: return boolean(num::f32_lt(b, a));
    case AluOp::kGe: return boolean(num::f32_le(b, a));
    case AluOp::kBypass: return a;
    default: break;
  }
  throw std::logic_error("internal: integer op on the float path");
}

// `a op b` on the integer path (AND, OR, XOR on int32; BYPASS a). Throws for a float op.
inline std::int32_t alu_int(AluOp op, std::int32_t a, std::int32_t b) {
  switch (op) {
    case AluOp::kAnd: return a & b;
    case AluOp::kOr: return a | b;
    case AluOp::kXor: return a ^ b;
    case AluOp::kBypass: return a;
    default: break;
  }
  throw std::logic_error("internal: float op on the integer path");
}

}  // namespace systole::golden::elem
