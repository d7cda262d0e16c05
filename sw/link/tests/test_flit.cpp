// The flit's wire format (flit.hpp, docs/links.md section 1): every field at its documented bit
// position (checked against an independent bit-by-bit construction), pack/unpack round trips,
// every single-bit error caught by the CRC, out-of-range fields rejected.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "link_harness.hpp"
#include "systole/link/crc.hpp"
#include "systole/link/flit.hpp"

namespace systole::link {
namespace {

Flit random_flit(std::mt19937_64& rng) {
  Flit f;
  f.kind = static_cast<FlitKind>(rng() % 4);
  f.vc = static_cast<std::uint8_t>(rng() % 2);
  f.seq = static_cast<std::uint16_t>(rng() % kSeqMod);
  f.ack_valid = (rng() & 1u) != 0;
  f.ack = static_cast<std::uint16_t>(rng() % kSeqMod);
  f.credits = {static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng())};
  f.epoch = static_cast<std::uint8_t>(rng() % kEpochMod);
  f.len = static_cast<std::uint8_t>(rng() % (kPayloadBytes + 1));
  f.dst = static_cast<std::uint8_t>(rng());
  for (auto& b : f.payload) b = static_cast<std::uint8_t>(rng());
  return f;
}

// The flit built bit by bit from docs/links.md's table, independently of pack().
WireFlit by_table(const Flit& f) {
  WireFlit w{};
  unsigned at = 0;
  auto put = [&](std::uint64_t v, unsigned bits) {
    for (unsigned b = 0; b < bits; ++b, ++at) {
      if ((v >> b) & 1u) w[at / 8] |= static_cast<std::uint8_t>(1u << (at % 8));
    }
  };
  put(static_cast<unsigned>(f.kind), 2);       // bits 0..1
  put(f.vc, 1);                                // 2
  put(f.seq, 12);                              // 3..14
  put(f.ack_valid, 1);                         // 15
  put(f.ack, 12);                              // 16..27
  put(f.credits[0], 8);                        // 28..35
  put(f.credits[1], 8);                        // 36..43
  put(f.epoch, 4);                             // 44..47
  put(f.len, 8);                               // 48..55
  put(f.dst, 8);                               // 56..63
  for (std::uint8_t b : f.payload) put(b, 8);  // 64..2015
  EXPECT_EQ(at, 2016u);
  put(crc32c_bitwise(std::span<const std::uint8_t>(w.data(), 252)), 32);  // 2016..2047
  EXPECT_EQ(at, kFlitBits);
  return w;
}

TEST(LinkFlit, EveryFieldAtItsDocumentedBits) {
  SCOPED_TRACE(test::replay_command());
  std::mt19937_64 rng(test::test_seed());
  for (int n = 0; n < 2000; ++n) {
    const Flit f = random_flit(rng);
    ASSERT_EQ(pack(f), by_table(f)) << describe(f);
  }
  // One field at a time, each at its lowest bit.
  Flit f;
  f.seq = 1;
  EXPECT_EQ(pack(f)[0], 1u << 3);
  f = Flit{};
  f.ack_valid = true;
  EXPECT_EQ(pack(f)[1], 0x80u);
  f = Flit{};
  f.epoch = 0xF;
  EXPECT_EQ(pack(f)[5], 0xF0u);
  f = Flit{};
  f.dst = 0xA5;
  EXPECT_EQ(pack(f)[7], 0xA5u);
}

TEST(LinkFlit, PackUnpackRoundTrip) {
  SCOPED_TRACE(test::replay_command());
  std::mt19937_64 rng(test::test_seed());
  for (int n = 0; n < 2000; ++n) {
    const Flit f = random_flit(rng);
    const WireFlit w = pack(f);
    const Unpacked u = unpack(w);
    ASSERT_TRUE(u.crc_ok);
    ASSERT_EQ(u.flit, f) << describe(f);
    ASSERT_EQ(u.crc, flit_crc(w));
    ASSERT_EQ(wire_kind(w), f.kind);
  }
  // unpack keeps what the wire says, even a len no sender makes (the port rejects it).
  WireFlit w = pack(Flit{});
  w[6] = 250;
  reseal(w);
  EXPECT_TRUE(crc_ok(w));
  EXPECT_EQ(unpack(w).flit.len, 250);
}

TEST(LinkFlit, EverySingleBitErrorFailsTheCrc) {
  SCOPED_TRACE(test::replay_command());
  std::mt19937_64 rng(test::test_seed());
  const WireFlit w = pack(random_flit(rng));
  for (std::size_t bit = 0; bit < kFlitBits; ++bit) {
    WireFlit x = w;
    x[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    ASSERT_FALSE(unpack(x).crc_ok) << "bit " << bit;
  }
}

TEST(LinkFlit, OutOfRangeFieldsAreRejected) {
  auto bad = [](auto edit, const char* field) {
    Flit f;
    edit(f);
    try {
      pack(f);
      ADD_FAILURE() << field << ": accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  bad([](Flit& f) { f.vc = 2; }, "vc");
  bad([](Flit& f) { f.seq = 4096; }, "seq");
  bad([](Flit& f) { f.ack = 4096; }, "ack");
  bad([](Flit& f) { f.epoch = 16; }, "epoch");
  bad([](Flit& f) { f.len = 245; }, "len");
}

}  // namespace
}  // namespace systole::link
