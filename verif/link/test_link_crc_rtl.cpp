// link_crc32c (rtl/link) against the C++ CRC-32C of sw/link: a flit's CRC on its last beat,
// every single-bit error detected, multi-bit errors and bursts up to 32 bits detected, framing
// errors flagged, gaps between beats allowed.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <span>

#include "Vlink_crc32c.h"
#include "systole/link/crc.hpp"
#include "test_seed.hpp"

namespace {

constexpr std::size_t kBeats = 16, kBeatBytes = 16, kCovered = 252;
using Flit = std::array<std::uint8_t, kBeats * kBeatBytes>;

class Dut {
 public:
  Dut() {
    m_.clk_i = 0;
    m_.rst_ni = 0;
    m_.valid_i = 0;
    m_.eval();
    m_.rst_ni = 1;
    m_.eval();
  }
  // Drives one beat (or an idle cycle) and returns the combinational outputs seen before the edge.
  struct Out {
    bool eof, ok, frame_err;
    std::uint32_t crc;
  };
  Out beat(bool valid, bool sof, const std::uint8_t* bytes) {
    m_.valid_i = valid;
    m_.sof_i = sof;
    for (unsigned w = 0; w < 4; ++w) {
      std::uint32_t v = 0;
      for (unsigned b = 0; b < 4; ++b) v |= bytes ? std::uint32_t{bytes[4 * w + b]} << (8 * b) : 0;
      m_.beat_i[w] = v;
    }
    m_.eval();
    const Out o{m_.eof_o != 0, m_.crc_ok_o != 0, m_.frame_err_o != 0, m_.crc_o};
    m_.clk_i = 1;
    m_.eval();
    m_.clk_i = 0;
    m_.eval();
    return o;
  }
  // A whole flit; returns the last beat's outputs (gap: idle cycles before each beat).
  Out flit(const Flit& f, std::mt19937_64* gaps = nullptr) {
    Out last{};
    for (std::size_t b = 0; b < kBeats; ++b) {
      while (gaps && (*gaps)() % 4 == 0) beat(false, false, nullptr);
      last = beat(true, b == 0, f.data() + b * kBeatBytes);
      EXPECT_EQ(last.eof, b == kBeats - 1);
      EXPECT_FALSE(last.frame_err);
    }
    return last;
  }

 private:
  Vlink_crc32c m_;
};

Flit random_flit(std::mt19937_64& rng) {
  Flit f{};
  for (std::size_t i = 0; i < kCovered; ++i) f[i] = static_cast<std::uint8_t>(rng());
  const std::uint32_t crc = systole::link::crc32c(std::span(f.data(), kCovered));
  for (unsigned b = 0; b < 4; ++b) f[kCovered + b] = static_cast<std::uint8_t>(crc >> (8 * b));
  return f;
}

void flip(Flit& f, std::size_t bit) { f[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8)); }

}  // namespace

TEST(LinkCrcRtl, MatchesTheReferenceOnRandomFlitsWithGaps) {
  const std::uint64_t seed = systole::verif::test_seed();
  std::mt19937_64 rng(seed);
  Dut dut;
  for (int i = 0; i < 200; ++i) {
    const Flit f = random_flit(rng);
    const Dut::Out o = dut.flit(f, i % 2 ? &rng : nullptr);
    const std::uint32_t want = systole::link::crc32c(std::span(f.data(), kCovered));
    ASSERT_EQ(o.crc, want) << "flit " << i << " seed " << seed;
    ASSERT_TRUE(o.ok);
  }
}

// Every single-bit error anywhere in the flit (CRC bits included) fails the check.
TEST(LinkCrcRtl, EverySingleBitErrorIsDetected) {
  std::mt19937_64 rng(7);
  const Flit good = random_flit(rng);
  Dut dut;
  for (std::size_t bit = 0; bit < kBeats * kBeatBytes * 8; ++bit) {
    Flit f = good;
    flip(f, bit);
    ASSERT_FALSE(dut.flit(f).ok) << "bit " << bit;
  }
  EXPECT_TRUE(dut.flit(good).ok);  // and the good flit still passes afterwards
}

// Sampled 2-, 3- and 4-bit errors and bursts of up to 32 bits: all detected (the guaranteed
// Hamming distance and burst length of CRC-32C at this length; test_link_crc proves them on the
// C++ reference exhaustively).
TEST(LinkCrcRtl, MultiBitErrorsAndBurstsAreDetected) {
  const std::uint64_t seed = systole::verif::test_seed();
  std::mt19937_64 rng(seed);
  Dut dut;
  for (int i = 0; i < 1500; ++i) {
    Flit f = random_flit(rng);
    if (i % 2 == 0) {
      const int bits = 2 + i % 3;
      std::array<std::size_t, 4> at{};
      for (int k = 0; k < bits; ++k) {
        bool again = true;
        while (again) {
          at[k] = rng() % (f.size() * 8);
          again = false;
          for (int j = 0; j < k; ++j) again = again || at[j] == at[k];
        }
        flip(f, at[k]);
      }
    } else {
      const std::size_t len = 2 + rng() % 31;  // first and last bit flipped, the rest random
      const std::size_t start = rng() % (f.size() * 8 - len + 1);
      flip(f, start);
      flip(f, start + len - 1);
      for (std::size_t k = start + 1; k + 1 < start + len; ++k) {
        if (rng() & 1) flip(f, k);
      }
    }
    ASSERT_FALSE(dut.flit(f).ok) << "case " << i << " seed " << seed;
  }
}

TEST(LinkCrcRtl, FramingErrorsAreFlaggedAndTheNextFlitChecks) {
  std::mt19937_64 rng(3);
  const Flit f = random_flit(rng);
  Dut dut;
  // A continuation beat with no flit open.
  EXPECT_TRUE(dut.beat(true, false, f.data()).frame_err);
  // A flit cut short by a new start: the new start is flagged, then that flit checks fine.
  for (std::size_t b = 0; b < 5; ++b) dut.beat(true, b == 0, f.data() + b * kBeatBytes);
  const Dut::Out cut = dut.beat(true, true, f.data());
  EXPECT_TRUE(cut.frame_err);
  Dut::Out o{};
  for (std::size_t b = 1; b < kBeats; ++b) o = dut.beat(true, false, f.data() + b * kBeatBytes);
  EXPECT_TRUE(o.eof);
  EXPECT_TRUE(o.ok);
  EXPECT_FALSE(o.frame_err);
  EXPECT_TRUE(dut.flit(f).ok);
}
