// CRC-32C (Castagnoli), the link layer's flit check (docs/links.md section 1): polynomial
// 0x1EDC6F41, reflected (0x82F63B78 in LSB-first form), initial value and final XOR 0xFFFFFFFF,
// check value 0xE3069283 for the ASCII bytes "123456789". The golden reference the link
// controller's RTL CRC is tested against.
#pragma once

#include <cstdint>
#include <span>

namespace systole::link {

inline constexpr std::uint32_t kCrc32cReflected = 0x82F63B78u;
inline constexpr std::uint32_t kCrc32cCheck = 0xE3069283u;  // of "123456789"

// The standard CRC-32C of `bytes` (table-driven, a byte per step).
std::uint32_t crc32c(std::span<const std::uint8_t> bytes);

// The same, a bit per step from the polynomial (an independent implementation, for the tests).
std::uint32_t crc32c_bitwise(std::span<const std::uint8_t> bytes);

// The CRC's linear part: zero initial value, no final XOR. For two messages of the same length,
// crc32c(a) ^ crc32c(b) == crc32c_raw(a ^ b): an error pattern e goes undetected exactly when
// crc32c_raw(e) == 0.
std::uint32_t crc32c_raw(std::span<const std::uint8_t> bytes);

}  // namespace systole::link
