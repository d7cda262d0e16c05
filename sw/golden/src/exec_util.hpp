// Shared helpers for the engine implementations: element addressing and typed loads/stores
// that also report every access to the race checker.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "systole/golden/machine.hpp"
#include "systole/golden/numerics.hpp"

namespace systole::golden::detail {

// Byte offsets (inside a partition) of every element of a TAP, in iteration order.
inline std::vector<std::int64_t> tap_offsets(const Tap& t) {
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(t.free_size()));
  const std::int64_t sz = dtype_size(t.dtype);
  for (std::uint32_t i2 = 0; i2 < t.dims[2].count; ++i2) {
    for (std::uint32_t i1 = 0; i1 < t.dims[1].count; ++i1) {
      for (std::uint32_t i0 = 0; i0 < t.dims[0].count; ++i0) {
        const std::int64_t e = std::int64_t{i0} * t.dims[0].stride + std::int64_t{i1} * t.dims[1].stride +
                               std::int64_t{i2} * t.dims[2].stride;
        out.push_back(t.offset + e * sz);
      }
    }
  }
  return out;
}

// Raw little-endian load/store of one element, recorded for the race checker.
inline std::uint32_t load_raw(Machine& m, Space s, std::uint32_t p, std::uint64_t byte, DType t, std::uint8_t operand) {
  const std::uint32_t sz = dtype_size(t);
  const std::uint8_t* src = m.locate(s, p, byte, sz);
  std::uint32_t v = 0;
  for (std::uint32_t b = 0; b < sz; ++b) v |= std::uint32_t{src[b]} << (8 * b);
  m.record(Access{s, p, byte, byte + sz, false, operand});
  return v;
}

inline void store_raw(Machine& m, Space s, std::uint32_t p, std::uint64_t byte, DType t, std::uint32_t v,
                      std::uint8_t operand) {
  const std::uint32_t sz = dtype_size(t);
  std::uint8_t* dst = m.locate(s, p, byte, sz);
  for (std::uint32_t b = 0; b < sz; ++b) dst[b] = static_cast<std::uint8_t>(v >> (8 * b));
  m.record(Access{s, p, byte, byte + sz, true, operand});
}

// Conversion of a raw element to fp32 bits (numerics.md section 4, "Into fp32").
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

// Conversion of fp32 bits to a raw element ("Out of fp32").
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

// Integer path: int8 sign-extends; int32 as is.
inline std::int32_t to_int(DType t, std::uint32_t raw) {
  return t == DType::kInt8 ? static_cast<std::int8_t>(raw) : static_cast<std::int32_t>(raw);
}
inline std::uint32_t from_int(DType t, std::int32_t v) {
  return t == DType::kInt8 ? static_cast<std::uint8_t>(num::int32_to_int8_sat(v)) : static_cast<std::uint32_t>(v);
}

}  // namespace systole::golden::detail
