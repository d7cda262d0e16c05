// CRC-32C (crc.hpp): the standard check value, two independent implementations agreeing, and
// over a whole flit's covered bytes (docs/links.md section 1: 2016 bits) every error of 1 to 4
// bits detected, exhaustively, plus sampled bursts.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "systole/link/crc.hpp"

namespace systole::link {
namespace {

constexpr std::size_t kFlitBytes = 252;  // a 256-byte flit less its 4-byte CRC
constexpr std::size_t kBits = kFlitBytes * 8;

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// The syndrome of a single-bit error at each bit of the flit.
std::vector<std::uint32_t> single_bit_syndromes() {
  std::vector<std::uint32_t> s(kBits);
  std::vector<std::uint8_t> e(kFlitBytes, 0);
  for (std::size_t i = 0; i < kBits; ++i) {
    e[i / 8] = static_cast<std::uint8_t>(1u << (i % 8));
    s[i] = crc32c_raw(e);
    e[i / 8] = 0;
  }
  return s;
}

TEST(Crc32c, CheckValueAndTwoImplementations) {
  EXPECT_EQ(crc32c(bytes_of("123456789")), kCrc32cCheck);
  EXPECT_EQ(crc32c_bitwise(bytes_of("123456789")), kCrc32cCheck);
  EXPECT_EQ(crc32c({}), 0u);
  std::mt19937_64 rng(7);
  for (int n = 0; n < 300; ++n) {
    std::vector<std::uint8_t> m(rng() % 300);
    for (auto& b : m) b = static_cast<std::uint8_t>(rng());
    ASSERT_EQ(crc32c(m), crc32c_bitwise(m)) << "length " << m.size();
    // Linearity, which the exhaustive tests below rely on.
    std::vector<std::uint8_t> e(m.size()), me(m.size());
    for (std::size_t i = 0; i < m.size(); ++i) {
      e[i] = static_cast<std::uint8_t>(rng());
      me[i] = m[i] ^ e[i];
    }
    ASSERT_EQ(crc32c(m) ^ crc32c(me), crc32c_raw(e));
  }
}

TEST(Crc32c, EveryErrorOfUpToFourBitsInAFlitIsDetected) {
  const std::vector<std::uint32_t> s = single_bit_syndromes();
  // 1 bit: no syndrome is 0. 2 bits: all syndromes differ.
  std::unordered_map<std::uint32_t, std::size_t> at;
  for (std::size_t i = 0; i < kBits; ++i) {
    ASSERT_NE(s[i], 0u) << "bit " << i;
    ASSERT_TRUE(at.emplace(s[i], i).second) << "bits " << at[s[i]] << " and " << i;
  }
  // 3 bits: s_i ^ s_j is never a third bit's syndrome. 4 bits: no two disjoint pairs share
  // s_i ^ s_j (sorted pair syndromes, equal neighbours checked for disjointness).
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;  // (s_i ^ s_j, i * kBits + j)
  pairs.reserve(kBits * (kBits - 1) / 2);
  for (std::size_t i = 0; i < kBits; ++i) {
    for (std::size_t j = i + 1; j < kBits; ++j) {
      const std::uint32_t x = s[i] ^ s[j];
      const auto k = at.find(x);
      ASSERT_TRUE(k == at.end()) << "3-bit error at " << i << ", " << j << ", " << k->second << " undetected";
      pairs.emplace_back(x, static_cast<std::uint32_t>(i * kBits + j));
    }
  }
  std::sort(pairs.begin(), pairs.end());
  std::size_t collisions = 0;
  for (std::size_t a = 0; a + 1 < pairs.size(); ++a) {
    for (std::size_t b = a + 1; b < pairs.size() && pairs[b].first == pairs[a].first; ++b) {
      const std::uint32_t i1 = pairs[a].second / kBits, j1 = pairs[a].second % kBits;
      const std::uint32_t i2 = pairs[b].second / kBits, j2 = pairs[b].second % kBits;
      if (i1 != i2 && i1 != j2 && j1 != i2 && j1 != j2) ++collisions;
    }
  }
  EXPECT_EQ(collisions, 0u) << "4-bit errors that go undetected";
}

TEST(Crc32c, BurstsUpTo32BitsAreDetected) {
  // A burst of length L <= 32 (first and last bit set) anywhere in the flit: detected always
  // (the polynomial has an x^0 term); sampled, 200,000 of them, and as many of 33..64 bits,
  // which a 32-bit CRC misses with probability 2^-32 each (none expected here).
  std::mt19937_64 rng(11);
  std::vector<std::uint8_t> e(kFlitBytes);
  for (int n = 0; n < 400000; ++n) {
    const std::size_t len = n < 200000 ? 1 + rng() % 32 : 33 + rng() % 32;
    const std::size_t pos = rng() % (kBits - len + 1);
    std::fill(e.begin(), e.end(), 0);
    for (std::size_t b = 0; b < len; ++b) {
      if (b == 0 || b + 1 == len || (rng() & 1u) != 0)
        e[(pos + b) / 8] ^= static_cast<std::uint8_t>(1u << ((pos + b) % 8));
    }
    ASSERT_NE(crc32c_raw(e), 0u) << "burst of " << len << " bits at bit " << pos;
  }
}

}  // namespace
}  // namespace systole::link
