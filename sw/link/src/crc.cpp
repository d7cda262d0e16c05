// CRC-32C (crc.hpp).
#include "systole/link/crc.hpp"

#include <array>

namespace systole::link {

namespace {

std::uint32_t bit_step(std::uint32_t c) { return (c & 1u) != 0 ? (c >> 1) ^ kCrc32cReflected : c >> 1; }

const std::array<std::uint32_t, 256>& table() {
  static const std::array<std::uint32_t, 256> t = [] {
    std::array<std::uint32_t, 256> r{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = bit_step(c);
      r[i] = c;
    }
    return r;
  }();
  return t;
}

std::uint32_t run(std::uint32_t c, std::span<const std::uint8_t> bytes) {
  const auto& t = table();
  for (std::uint8_t b : bytes) c = (c >> 8) ^ t[(c ^ b) & 0xFFu];
  return c;
}

}  // namespace

std::uint32_t crc32c(std::span<const std::uint8_t> bytes) { return run(0xFFFFFFFFu, bytes) ^ 0xFFFFFFFFu; }

std::uint32_t crc32c_raw(std::span<const std::uint8_t> bytes) { return run(0, bytes); }

std::uint32_t crc32c_bitwise(std::span<const std::uint8_t> bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = bit_step(c);
  }
  return c ^ 0xFFFFFFFFu;
}

}  // namespace systole::link
