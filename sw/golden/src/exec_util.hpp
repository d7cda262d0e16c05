// Shared helpers for the engine implementations: element addressing and typed loads/stores
// that also report every access to the race checker.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "systole/golden/element.hpp"
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

// Element conversions (numerics.md section 4), public in element.hpp.
using elem::from_f32;
using elem::from_int;
using elem::to_f32;
using elem::to_int;

}  // namespace systole::golden::detail
