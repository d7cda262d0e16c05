// Remote-operation packets (docs/links.md section 10): the header round-trips, malformed packets
// are refused with the reason, and the packetizer merges contiguous element writes, cuts at 236
// bytes, partitions and DRAM pages, and puts `last` and the remote signal on the last packet.
#include <gtest/gtest.h>

#include <numeric>

#include "systole/link/packet.hpp"

using namespace systole::link;

TEST(RemotePacket, HeaderRoundTrips) {
  RemoteOp w;
  w.type = PacketType::kWrite;
  w.last = true;
  w.signal = true;
  w.sem = 17;
  w.space = 2;
  w.partition = 127;
  w.addr = 0x12345678;
  w.data.assign(236, 0xAB);
  const Packet p = encode(w, 9, 1);
  EXPECT_EQ(p.dst, 9);
  EXPECT_EQ(p.vc, 1);
  EXPECT_EQ(p.bytes.size(), 244u);
  EXPECT_EQ(p.bytes[0], 0x81);
  EXPECT_EQ(p.bytes[1], 0x80 | 17);
  EXPECT_EQ(p.bytes[4], 0x78);
  const DecodedOp d = decode(p);
  ASSERT_TRUE(d.op) << d.error;
  EXPECT_EQ(*d.op, w);
  RemoteOp inc;
  inc.type = PacketType::kIncrement;
  inc.sem = 3;
  inc.last = true;
  EXPECT_EQ(*decode(encode(inc, 0)).op, inc);
}

TEST(RemotePacket, MalformedPacketsAreRefused) {
  RemoteOp w;
  w.data.assign(237, 0);
  EXPECT_THROW(encode(w, 0), std::invalid_argument);
  w.data.clear();
  EXPECT_THROW(encode(w, 0), std::invalid_argument);
  auto reason = [](std::vector<std::uint8_t> bytes) { return decode(Packet{0, 0, std::move(bytes)}).error; };
  EXPECT_NE(reason({1, 0, 1, 0}).find("shorter than"), std::string::npos);
  EXPECT_NE(reason({3, 0, 1, 0, 0, 0, 0, 0, 9}).find("type 3"), std::string::npos);
  EXPECT_NE(reason({1, 40, 1, 0, 0, 0, 0, 0, 9}).find("semaphore 40"), std::string::npos);
  EXPECT_NE(reason({1, 0, 0, 0, 0, 0, 0, 0, 9}).find("space 0"), std::string::npos);
  EXPECT_NE(reason({1, 0, 1, 0, 0, 0, 0, 0}).find("without data"), std::string::npos);
  EXPECT_NE(reason({2, 0, 1, 0, 0, 0, 0, 0, 9}).find("increment with data"), std::string::npos);
  EXPECT_NE(reason({1, 0, 3, 0, 0xFF, 0x0F, 0, 0, 1, 2}).find("cross a 4 KiB page"), std::string::npos);
}

TEST(RemotePacket, PacketizerMergesAndCuts) {
  // 4-byte elements: 100 contiguous in partition 0 (400 bytes: 236 + 164), then 3 in partition 1.
  std::vector<ElementWrite> w;
  for (std::uint32_t i = 0; i < 100; ++i) w.push_back({1, 0, 0x100 + 4 * i, {1, 2, 3, static_cast<std::uint8_t>(i)}});
  for (std::uint32_t i = 0; i < 3; ++i) w.push_back({1, 1, 0x100 + 4 * i, {9, 9, 9, 9}});
  const std::vector<RemoteOp> p = packetize(w, true, 5);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].data.size(), 236u);
  EXPECT_EQ(p[1].addr, 0x100u + 236);
  EXPECT_EQ(p[1].data.size(), 164u);
  EXPECT_EQ(p[2].partition, 1);
  EXPECT_EQ(p[2].data.size(), 12u);
  EXPECT_FALSE(p[0].last || p[1].last || p[0].signal || p[1].signal);
  EXPECT_TRUE(p[2].last && p[2].signal);
  EXPECT_EQ(p[2].sem, 5);
  // DRAM: a run across a 4 KiB page is cut at the page.
  std::vector<ElementWrite> d;
  for (std::uint32_t i = 0; i < 8; ++i) d.push_back({3, 0, 4096 - 16 + 4 * i, {0, 0, 0, 0}});
  const std::vector<RemoteOp> q = packetize(d, false, 0);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].data.size(), 16u);
  EXPECT_EQ(q[1].addr, 4096u);
  EXPECT_TRUE(q[1].last && !q[1].signal);
  for (const RemoteOp& op : q) EXPECT_TRUE(decode(encode(op, 1)).op.has_value());
  // A stride: elements that do not continue each other are separate packets.
  const std::vector<RemoteOp> s = packetize({{1, 0, 0, {1, 2}}, {1, 0, 4, {3, 4}}}, false, 0);
  EXPECT_EQ(s.size(), 2u);
  // A remote NOP: one increment packet.
  const std::vector<RemoteOp> n = packetize({}, true, 7);
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].type, PacketType::kIncrement);
  EXPECT_EQ(n[0].sem, 7);
  EXPECT_TRUE(packetize({}, false, 0).empty());
}
