// rtl/link/link_port against the C++ reference port, flit by flit: directed cases of the
// protocol (forgeries, epochs, NAK episodes, ACK timing, the handshake, impossible flits,
// escalation counts, sequence wrap). The random and fault runs are in test_link_port_rtl.cpp;
// the bench is link_bench.hpp.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "link_bench.hpp"
#include "test_seed.hpp"

namespace systole::link::rtltest {
namespace {

// ---- the RTL end against the C++ port: directed cases ------------------------------------------

// A forged ACK (a sequence number never sent, 1024 ahead) from the C++ end: a protocol error at
// the RTL end, down at once with the reason, nothing wrong delivered.
TEST(LinkPortRtlDirected, ForgedAckIsAProtocolError) {
  Bench b({true, false}, 64, systole::verif::test_seed());
  b.traffic.offer = {0.1, 0.1};
  ASSERT_TRUE(b.run_until_up(500)) << b.summary();
  b.run(3000);
  b.channel(1).forge_next(ForgeField::kAck);
  for (int i = 0; i < 2000 && !b.end(0).down(); ++i) b.step();
  ASSERT_TRUE(b.end(0).down()) << b.summary();
  EXPECT_EQ(b.end(0).reason(), static_cast<int>(LinkErrorReason::kAckNotOutstanding));
  const RtlCounters c = rtl_counters(&b.end(0));
  EXPECT_EQ(c.protocol_errors, 1u);
  EXPECT_EQ(c.link_downs, 1u);
  b.run(5000);  // the C++ end goes down too (silence); nothing wrong is delivered meanwhile
  b.finish();
}

// A forged NAK and forged credits: the same, with their reasons.
TEST(LinkPortRtlDirected, ForgedNakAndCreditsAreProtocolErrors) {
  const std::array<std::pair<ForgeField, LinkErrorReason>, 2> cases{
      {{ForgeField::kNak, LinkErrorReason::kNakNotOutstanding},
       {ForgeField::kCredits, LinkErrorReason::kCreditOverflow}}};
  for (const auto& [field, reason] : cases) {
    Bench b({true, false}, 64, systole::verif::test_seed() + static_cast<unsigned>(field));
    b.traffic.offer = {0.2, 0.2};
    ASSERT_TRUE(b.run_until_up(500)) << b.summary();
    b.run(1000);
    if (field == ForgeField::kNak) {
      FaultConfig f;
      f.bit_error_rate = 1e-4;  // errors at the C++ end, so that it NAKs
      b.channel(0).set_faults(f);
    }
    b.channel(1).forge_next(field);
    for (int i = 0; i < 20000 && !b.end(0).down(); ++i) b.step();
    ASSERT_TRUE(b.end(0).down()) << b.summary();
    EXPECT_EQ(b.end(0).reason(), static_cast<int>(reason)) << b.summary();
  }
}

// The RTL end against a hand-played peer: brought up by one TRAIN, it drops a DATA flit whose
// epoch bits are not the peer's (a stale flit of an earlier session) and accepts the same flit
// with the peer's epoch.
TEST(LinkPortRtlDirected, FlitsOfAnotherEpochAreDropped) {
  std::unique_ptr<End> rtl = make_rtl_end(0);
  std::array<std::optional<Packet>, kVcs> none;
  std::uint64_t now = 0;
  auto run = [&](std::optional<WireFlit> in, unsigned cycles) {
    for (unsigned i = 0; i < cycles; ++i) {
      UserIo io;
      io.offer = &none;
      io.stalled = true;  // keep what arrives in the RX buffer
      rtl->cycle(now++, i == 0 ? in : std::nullopt, io);
    }
  };
  run(std::nullopt, 40);
  Flit t;  // the peer's TRAIN: epoch 5, fresh, done, echoing the RTL's epoch 0
  t.kind = FlitKind::kControl;
  t.payload[0] = static_cast<std::uint8_t>(ControlOp::kTrain);
  t.payload[1] = kTrainFresh | kTrainDone;
  t.epoch = 5;
  set_payload_u32(t, kTrainEpochAt, 5);
  t.ack_valid = true;
  set_payload_u32(t, kTrainEchoAt, 0);
  t.credits = {35, 35};
  run(pack(t), 40);
  ASSERT_TRUE(rtl->up_confirmed()) << rtl->describe();
  Flit d;
  d.kind = FlitKind::kData;
  d.len = 10;
  d.dst = 7;
  d.epoch = 4;  // another session's
  run(pack(d), 40);
  EXPECT_EQ(rtl->rx_held(), 0u) << "a DATA flit of another epoch was accepted; " << rtl->describe();
  d.epoch = 5;
  run(pack(d), 40);
  EXPECT_EQ(rtl->rx_held(), 1u) << rtl->describe();
  EXPECT_FALSE(rtl->down()) << rtl->describe();
}

// NAK once per error episode, at a hand-played RTL end: a CRC error NAKs the expected sequence
// number; more errors and a gap in the same episode add nothing; the expected flit ends the
// episode, and the next error NAKs again.
TEST(LinkPortRtlDirected, NakOncePerErrorEpisode) {
  std::unique_ptr<End> rtl = make_rtl_end(0);
  std::array<std::optional<Packet>, kVcs> none;
  std::vector<Flit> sent;
  std::uint64_t now = 0;
  auto run = [&](std::optional<WireFlit> in, unsigned cycles) {
    for (unsigned i = 0; i < cycles; ++i) {
      UserIo io;
      io.offer = &none;
      io.stalled = true;  // keep what arrives in the RX buffer
      if (std::optional<WireFlit> w = rtl->cycle(now++, i == 0 ? in : std::nullopt, io))
        sent.push_back(unpack(*w).flit);
    }
  };
  auto naks = [&] {
    std::vector<unsigned> seqs;
    for (const Flit& f : sent) {
      if (f.kind == FlitKind::kControl && f.payload[0] == static_cast<std::uint8_t>(ControlOp::kNak))
        seqs.push_back(f.seq);
    }
    return seqs;
  };
  run(std::nullopt, 40);
  Flit t;
  t.kind = FlitKind::kControl;
  t.payload[0] = static_cast<std::uint8_t>(ControlOp::kTrain);
  t.payload[1] = kTrainFresh | kTrainDone;
  t.epoch = 5;
  set_payload_u32(t, kTrainEpochAt, 5);
  t.ack_valid = true;
  set_payload_u32(t, kTrainEchoAt, 0);
  t.credits = {35, 35};
  run(pack(t), 40);
  ASSERT_TRUE(rtl->up_confirmed()) << rtl->describe();
  auto data = [](unsigned seq) {
    Flit d;
    d.kind = FlitKind::kData;
    d.seq = static_cast<std::uint16_t>(seq);
    d.len = 4;
    d.epoch = 5;
    return pack(d);
  };
  WireFlit bad = data(7);
  bad[100] ^= 0x10;
  run(data(0), 40);
  EXPECT_TRUE(naks().empty());
  run(bad, 40);      // an error: NAK(1)
  run(bad, 40);      // the same episode
  run(data(2), 40);  // a gap, the same episode
  EXPECT_EQ(naks(), std::vector<unsigned>{1}) << rtl->describe();
  run(data(1), 40);  // the expected flit ends the episode
  run(bad, 80);      // a new one: NAK(2)
  EXPECT_EQ(naks(), (std::vector<unsigned>{1, 2})) << rtl->describe();
  EXPECT_EQ(rtl->rx_held(), 2u);
  EXPECT_EQ(rtl->crc_errors(), 3u);
  EXPECT_FALSE(rtl->down());
}

// ACK timing at a hand-played RTL end: an accepted flit is ACKed on an IDLE once the ACK has
// waited AckCoalesce (32) cycles, not before; a duplicate is re-ACKed at the next free slot; a
// DATA flit the RTL sends carries the ACK with it.
TEST(LinkPortRtlDirected, AckCoalescingAndReAck) {
  std::unique_ptr<End> rtl = make_rtl_end(0);
  std::array<std::optional<Packet>, kVcs> none, offer;
  std::vector<std::pair<std::uint64_t, Flit>> sent;  // {cycle of the last beat, flit}
  std::uint64_t now = 0;
  auto run = [&](std::optional<WireFlit> in, unsigned cycles, std::array<std::optional<Packet>, kVcs>* o) {
    for (unsigned i = 0; i < cycles; ++i) {
      UserIo io;
      io.offer = o;
      io.stalled = true;
      if (std::optional<WireFlit> w = rtl->cycle(now, i == 0 ? in : std::nullopt, io))
        sent.push_back({now, unpack(*w).flit});
      for (unsigned vc : io.accepted) (*o)[vc].reset();
      ++now;
    }
  };
  auto idles_after = [&](std::uint64_t from) {
    std::vector<std::pair<std::uint64_t, Flit>> r;
    for (const auto& [c, f] : sent) {
      if (c >= from && f.kind == FlitKind::kIdle) r.push_back({c, f});
    }
    return r;
  };
  run(std::nullopt, 40, &none);
  Flit t;
  t.kind = FlitKind::kControl;
  t.payload[0] = static_cast<std::uint8_t>(ControlOp::kTrain);
  t.payload[1] = kTrainFresh | kTrainDone;
  t.epoch = 5;
  set_payload_u32(t, kTrainEpochAt, 5);
  t.ack_valid = true;
  set_payload_u32(t, kTrainEchoAt, 0);
  t.credits = {35, 35};
  run(pack(t), 100, &none);
  ASSERT_TRUE(rtl->up_confirmed()) << rtl->describe();
  Flit d;
  d.kind = FlitKind::kData;
  d.len = 4;
  d.epoch = 5;
  // DATA seq 0: its beats go in at cycles s..s+15, it is processed at s+16; the IDLE is chosen
  // 32 cycles later, its first beat one cycle after that, its last beat 15 later.
  const std::uint64_t s0 = now;
  run(pack(d), 120, &none);
  auto idles = idles_after(s0);
  ASSERT_EQ(idles.size(), 1u) << rtl->describe();
  EXPECT_TRUE(idles[0].second.ack_valid);
  EXPECT_EQ(idles[0].second.ack, 0);
  EXPECT_EQ(idles[0].first, s0 + 16 + 32 + 1 + 15) << "the coalesced ACK left at another time";
  // The same flit again: a duplicate, re-ACKed at once.
  const std::uint64_t s1 = now;
  run(pack(d), 60, &none);
  idles = idles_after(s1);
  ASSERT_EQ(idles.size(), 1u) << rtl->describe();
  EXPECT_EQ(idles[0].first, s1 + 16 + 1 + 15) << "the re-ACK waited";
  // DATA seq 1, then a packet to send before the ACK coalesces: the DATA flit carries the ACK.
  d.seq = 1;
  const std::uint64_t s2 = now;
  Packet p;
  p.vc = 0;
  p.dst = 3;
  p.bytes = {1, 2, 3};
  run(pack(d), 18, &none);
  offer[0] = p;
  run(std::nullopt, 60, &offer);
  EXPECT_TRUE(idles_after(s2).empty()) << "an IDLE where the DATA flit could carry the ACK";
  bool carried = false;
  for (const auto& [c, f] : sent) {
    if (c >= s2 && f.kind == FlitKind::kData) carried = f.ack_valid && f.ack == 1 && f.len == 3 && f.dst == 3;
  }
  EXPECT_TRUE(carried) << rtl->describe();
}

// The handshake flit by flit at a hand-played RTL end: a peer's retrain (a newer epoch, not
// fresh) is joined with a new epoch and nothing flushed; its completion resumes the session; a
// peer's reset (a fresh TRAIN) flushes it; a stale TRAIN changes nothing.
TEST(LinkPortRtlDirected, PeerRetrainAndResetFlitByFlit) {
  std::unique_ptr<End> rtl = make_rtl_end(0);
  std::array<std::optional<Packet>, kVcs> none;
  std::vector<Flit> sent;
  std::uint64_t now = 0;
  auto run = [&](std::optional<WireFlit> in, unsigned cycles) {
    for (unsigned i = 0; i < cycles; ++i) {
      UserIo io;
      io.offer = &none;
      io.stalled = true;
      if (std::optional<WireFlit> w = rtl->cycle(now++, i == 0 ? in : std::nullopt, io))
        sent.push_back(unpack(*w).flit);
    }
  };
  auto train = [](std::uint32_t epoch, std::uint8_t flags, std::optional<std::uint32_t> echo, unsigned seq) {
    Flit t;
    t.kind = FlitKind::kControl;
    t.payload[0] = static_cast<std::uint8_t>(ControlOp::kTrain);
    t.payload[1] = flags;
    t.epoch = static_cast<std::uint8_t>(epoch % kEpochMod);
    set_payload_u32(t, kTrainEpochAt, epoch);
    t.ack_valid = echo.has_value();
    if (echo) set_payload_u32(t, kTrainEchoAt, *echo);
    t.seq = static_cast<std::uint16_t>(seq);
    t.credits = {35, 35};
    return pack(t);
  };
  auto last_train = [&]() -> Flit {
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
      if (it->kind == FlitKind::kControl && it->payload[0] == static_cast<std::uint8_t>(ControlOp::kTrain)) return *it;
    }
    ADD_FAILURE() << "no TRAIN sent";
    return {};
  };
  run(std::nullopt, 40);
  run(train(5, kTrainFresh | kTrainDone, 0, 0), 80);
  ASSERT_TRUE(rtl->up_confirmed()) << rtl->describe();
  Flit d;
  d.kind = FlitKind::kData;
  d.len = 4;
  d.epoch = 5;
  run(pack(d), 80);
  ASSERT_EQ(rtl->rx_held(), 1u);
  // The peer retrains (epoch 6, not fresh): joined with epoch 1, echoing 6, resuming at 1.
  run(train(6, 0, std::nullopt, 0), 80);
  EXPECT_FALSE(rtl->up_confirmed());
  Flit t = last_train();
  EXPECT_EQ(payload_u32(t, kTrainEpochAt), 1u);
  EXPECT_TRUE(t.ack_valid);
  EXPECT_EQ(payload_u32(t, kTrainEchoAt), 6u);
  EXPECT_EQ(t.payload[1], 0) << "neither fresh nor done";
  EXPECT_EQ(t.seq, 1) << "the resume point: the next sequence number expected";
  EXPECT_EQ(rtl->rx_held(), 1u) << "a retrain flushes nothing";
  // The peer completes (its TRAIN(done) echoes epoch 1): up and confirmed, the same session.
  run(train(6, kTrainDone, 1, 0), 80);
  EXPECT_TRUE(rtl->up_confirmed()) << rtl->describe();
  EXPECT_EQ(rtl->session(), 1u);
  EXPECT_EQ(last_train().payload[1], kTrainDone) << "one TRAIN(done) for the peer";
  // A stale TRAIN (epoch 5): nothing changes.
  run(train(5, kTrainDone, 0, 0), 80);
  EXPECT_TRUE(rtl->up_confirmed()) << rtl->describe();
  // The peer is reset (epoch 7, fresh): joined freshly, everything flushed.
  run(train(7, kTrainFresh, std::nullopt, 0), 80);
  EXPECT_FALSE(rtl->up_confirmed());
  EXPECT_EQ(rtl->session(), 2u);
  EXPECT_EQ(rtl->rx_held(), 0u) << "a fresh session keeps nothing of the old one";
  t = last_train();
  EXPECT_EQ(payload_u32(t, kTrainEpochAt), 2u);
  EXPECT_EQ(payload_u32(t, kTrainEchoAt), 7u);
  EXPECT_EQ(t.payload[1], kTrainFresh);
  EXPECT_EQ(t.seq, 0);
  run(train(7, kTrainFresh | kTrainDone, 2, 0), 80);
  EXPECT_TRUE(rtl->up_confirmed()) << rtl->describe();
  EXPECT_FALSE(rtl->down());
}

// Every impossible flit at a hand-played RTL end takes it down at once with its reason, as
// ImpossibleFlitsAreProtocolErrors does for the C++ port.
TEST(LinkPortRtlDirected, ImpossibleFlitsAreProtocolErrors) {
  auto train = [](std::uint32_t epoch, std::uint8_t flags, std::optional<std::uint32_t> echo, unsigned seq,
                  std::uint8_t rx0 = 35) {
    Flit t;
    t.kind = FlitKind::kControl;
    t.payload[0] = static_cast<std::uint8_t>(ControlOp::kTrain);
    t.payload[1] = flags;
    t.epoch = static_cast<std::uint8_t>(epoch % kEpochMod);
    set_payload_u32(t, kTrainEpochAt, epoch);
    t.ack_valid = echo.has_value();
    if (echo) set_payload_u32(t, kTrainEchoAt, *echo);
    t.seq = static_cast<std::uint16_t>(seq);
    t.credits = {rx0, 35};
    return t;
  };
  auto flit = [](FlitKind k) {
    Flit f;
    f.kind = k;
    f.epoch = 5;
    return f;
  };
  struct Case {
    const char* name;
    std::vector<WireFlit> flits;  // after a bring-up by a TRAIN of epoch 5 (unless the case's first is one)
    LinkErrorReason reason;
    bool bring_up = true;
  };
  std::vector<Case> cases;
  Flit f = flit(FlitKind::kControl);
  f.payload[0] = 3;
  cases.push_back({"unknown CONTROL op", {pack(f)}, LinkErrorReason::kBadFlit});
  f = flit(FlitKind::kData);
  f.len = 244;
  WireFlit w = pack(f);
  w[6] = 245;  // len (bits 48..55) beyond 244, which pack refuses
  reseal(w);
  cases.push_back({"len 245", {w}, LinkErrorReason::kBadFlit});
  f = flit(FlitKind::kIdle);
  f.credits[0] = 1;
  cases.push_back({"credits on an IDLE", {pack(f)}, LinkErrorReason::kBadFlit});
  f = train(6, 0, std::nullopt, 0);
  f.epoch = 4;
  cases.push_back({"TRAIN epoch bits not its full epoch's", {pack(f)}, LinkErrorReason::kBadFlit});
  cases.push_back({"fresh TRAIN advertising 0 RX entries",
                   {pack(train(5, kTrainFresh | kTrainDone, 0, 0, 0))},
                   LinkErrorReason::kBadFlit,
                   false});
  f = flit(FlitKind::kCredit);
  f.credits[0] = 1;
  cases.push_back({"credits never consumed", {pack(f)}, LinkErrorReason::kCreditOverflow});
  f = flit(FlitKind::kControl);
  f.payload[0] = static_cast<std::uint8_t>(ControlOp::kNak);
  f.seq = 100;
  cases.push_back({"NAK of a sequence never sent", {pack(f)}, LinkErrorReason::kNakNotOutstanding});
  f = flit(FlitKind::kIdle);
  f.ack_valid = true;
  f.ack = 100;
  cases.push_back({"ACK of a sequence never sent", {pack(f)}, LinkErrorReason::kAckNotOutstanding});
  cases.push_back({"resume point beyond what was sent",
                   {pack(train(6, 0, std::nullopt, 0)), pack(train(6, kTrainDone, 1, 5))},
                   LinkErrorReason::kBadResume});
  std::vector<WireFlit> overflow;
  for (unsigned i = 0; i <= 35; ++i) {
    f = flit(FlitKind::kData);
    f.seq = static_cast<std::uint16_t>(i);
    overflow.push_back(pack(f));
  }
  cases.push_back({"DATA for a full RX buffer", overflow, LinkErrorReason::kRxOverflow});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::unique_ptr<End> rtl = make_rtl_end(0);
    std::array<std::optional<Packet>, kVcs> none;
    std::uint64_t now = 0;
    auto run = [&](std::optional<WireFlit> in, unsigned cycles) {
      for (unsigned i = 0; i < cycles; ++i) {
        UserIo io;
        io.offer = &none;
        io.stalled = true;
        rtl->cycle(now++, i == 0 ? in : std::nullopt, io);
      }
    };
    run(std::nullopt, 40);
    if (c.bring_up) {
      run(pack(train(5, kTrainFresh | kTrainDone, 0, 0)), 80);
      ASSERT_TRUE(rtl->up_confirmed()) << rtl->describe();
    }
    for (std::size_t i = 0; i < c.flits.size(); ++i) {
      EXPECT_FALSE(rtl->down()) << "down before flit " << i << "; " << rtl->describe();
      run(c.flits[i], 40);
    }
    ASSERT_TRUE(rtl->down()) << rtl->describe();
    EXPECT_EQ(rtl->reason(), static_cast<int>(c.reason)) << rtl->describe();
    EXPECT_EQ(rtl->counters().protocol_errors, 1u);
  }
}

// Every DATA flit from the RTL end lost: exactly ReplayLimit (4) replays, the fifth timeout
// starts a retrain; after RetrainLimit (3) retrains without progress the next takes the end down
// with `retrain limit`: 16 replays, 20 timeouts, 3 retrains in all.
TEST(LinkPortRtlDirected, EscalationCountsAreExact) {
  Bench b({true, false}, 64, systole::verif::test_seed());
  b.traffic.offer = {0.05, 0.0};
  ASSERT_TRUE(b.run_until_up(1000)) << b.summary();
  FaultConfig f;
  f.drop_rate = 1.0;
  f.classes = class_bit(WireClass::kData);
  b.channel(0).set_faults(f);
  while (rtl_counters(&b.end(0)).retrains == 0 && b.cycle() < 20000) b.step();
  RtlCounters c = rtl_counters(&b.end(0));
  EXPECT_EQ(c.retrains, 1u);
  EXPECT_EQ(c.replays, 4u);
  EXPECT_EQ(c.timeouts, 5u);
  while (!b.end(0).down() && b.cycle() < 100000) b.step();
  c = rtl_counters(&b.end(0));
  ASSERT_TRUE(c.down) << b.summary();
  EXPECT_EQ(c.reason, static_cast<int>(LinkErrorReason::kRetrainLimit));
  EXPECT_EQ(c.retrains, 3u);
  EXPECT_EQ(c.replays, 16u);
  EXPECT_EQ(c.timeouts, 20u);
  EXPECT_EQ(c.link_downs, 1u);
  EXPECT_EQ(c.protocol_errors, 0u);
}

// Sequence numbers wrap more than 3 times (3 x 4096 DATA flits one way) under bit errors.
TEST(LinkPortRtlDirected, SequenceNumbersWrapThreeTimes) {
  Bench b({true, false}, 64, systole::verif::test_seed());
  b.traffic.offer = {1.0, 0.02};
  ASSERT_TRUE(b.run_until_up(500)) << b.summary();
  FaultConfig f;
  f.bit_error_rate = 1e-6;
  b.channel(0).set_faults(f);
  b.channel(1).set_faults(f);
  while (b.sent(0) < 3 * 4096 + 100 && !::testing::Test::HasFailure() && b.cycle() < 400000) b.run(1000);
  EXPECT_GE(b.sent(0), 3u * 4096 + 100) << b.summary();
  b.channel(0).set_faults(FaultConfig{});
  b.channel(1).set_faults(FaultConfig{});
  ASSERT_TRUE(b.drain(20000)) << b.summary();
  b.finish();
  EXPECT_EQ(b.delivered_bytes(0), b.sent_bytes(0)) << b.summary();
  EXPECT_EQ(b.delivered_bytes(1), b.sent_bytes(1)) << b.summary();
  const RtlCounters c = rtl_counters(&b.end(0));
  EXPECT_EQ(c.bytes_tx, b.sent_bytes(0) & 0xFFFFFFFFu);
  EXPECT_EQ(c.bytes_rx, b.delivered_bytes(1) & 0xFFFFFFFFu);
}

}  // namespace
}  // namespace systole::link::rtltest
