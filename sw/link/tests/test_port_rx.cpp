// The link port flit by flit (docs/links.md sections 2 to 4): the test plays the far end by
// hand, giving the port crafted flits and reading back exactly what it sends and when. These pin
// the behaviour the RTL link controller is checked against: ACK timing and coalescing, NAK once
// per error episode, duplicates re-ACKed at once, go-back-N, the replay timer, the handshake's
// states, a peer reset, and every impossible flit as a protocol error.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <vector>

#include "link_harness.hpp"
#include "systole/link/port.hpp"

namespace systole::link {
namespace {

Params quiet_params() {
  Params p = Params::for_latency(16);
  p.keepalive = 100000;  // no keep-alive IDLEs in these traces
  p.silence_limit = 300000;
  return p;
}

// The port and a hand-played peer of epoch `epoch`.
struct Hand {
  Port port{quiet_params(), 3};
  std::uint32_t epoch = 5;
  std::vector<std::pair<std::uint64_t, Flit>> sent;  // (cycle, flit) the port sent

  void step(unsigned n = 1) {
    for (unsigned i = 0; i < n; ++i) {
      const std::uint64_t c = port.cycle();
      if (std::optional<WireFlit> w = port.step()) {
        const Unpacked u = unpack(*w);
        ASSERT_TRUE(u.crc_ok);
        sent.emplace_back(c, u.flit);
      }
    }
  }
  // Delivers `f` in the next cycle, stamped with the peer's epoch (or `as`; a TRAIN gets the full
  // epoch in its payload too).
  void give(Flit f, std::optional<std::uint32_t> as = std::nullopt) {
    const std::uint32_t e = as.value_or(epoch);
    f.epoch = static_cast<std::uint8_t>(e % kEpochMod);
    if (f.kind == FlitKind::kControl && f.payload[0] == static_cast<std::uint8_t>(ControlOp::kTrain))
      set_payload_u32(f, kTrainEpochAt, e);
    port.deliver(pack(f));
    step();
  }
  void give_wire(const WireFlit& w) {
    port.deliver(w);
    step();
  }
  static Flit train(std::uint8_t flags, std::optional<std::uint32_t> echo, std::uint16_t resume = 0) {
    Flit t;
    t.kind = FlitKind::kControl;
    t.payload[0] = static_cast<std::uint8_t>(ControlOp::kTrain);
    t.payload[1] = flags;
    t.ack_valid = echo.has_value();
    if (echo) set_payload_u32(t, kTrainEchoAt, *echo);
    t.seq = resume;
    t.credits = {35, 8};
    return t;
  }
  static Flit data(std::uint16_t seq, std::uint8_t len = 10, std::uint8_t vc = 0) {
    Flit f;
    f.kind = FlitKind::kData;
    f.seq = seq;
    f.vc = vc;
    f.len = len;
    f.dst = 9;
    for (unsigned i = 0; i < len; ++i) f.payload[i] = static_cast<std::uint8_t>(seq + i);
    return f;
  }
  static Flit idle(std::optional<std::uint16_t> ack) {
    Flit f;
    f.ack_valid = ack.has_value();
    f.ack = ack.value_or(0);
    return f;
  }
  static Flit nak(std::uint16_t expected) {
    Flit f;
    f.kind = FlitKind::kControl;
    f.payload[0] = static_cast<std::uint8_t>(ControlOp::kNak);
    f.seq = expected;
    return f;
  }
  // Brings the port up with a fresh session against this peer, confirmed (the peer's TRAIN says
  // it is done too).
  void up() {
    step(2);
    give(train(kTrainFresh | kTrainDone, port.epoch()));
    ASSERT_TRUE(port.confirmed());
    step(40);  // the TRAIN(done) goes out
    sent.clear();
  }
  // The flits sent since the last clear, of one kind.
  std::vector<std::pair<std::uint64_t, Flit>> of(FlitKind k) const {
    std::vector<std::pair<std::uint64_t, Flit>> r;
    for (const auto& s : sent)
      if (s.second.kind == k) r.push_back(s);
    return r;
  }
  bool is_nak(const Flit& f) const {
    return f.kind == FlitKind::kControl && f.payload[0] == static_cast<std::uint8_t>(ControlOp::kNak);
  }
  unsigned naks() const {
    unsigned n = 0;
    for (const auto& s : sent) n += is_nak(s.second) ? 1 : 0;
    return n;
  }
};

TEST(LinkPortRx, TheHandshakeFromResetToUp) {
  Hand h;
  h.step();
  ASSERT_EQ(h.sent.size(), 1u);
  const Flit& t0 = h.sent[0].second;
  EXPECT_EQ(t0.kind, FlitKind::kControl);
  EXPECT_EQ(t0.payload[1], kTrainFresh);  // fresh, not done
  EXPECT_FALSE(t0.ack_valid);             // nothing heard yet
  EXPECT_EQ(t0.epoch, 0u);
  EXPECT_EQ(t0.credits[0], h.port.params().rx_flits[0]);  // its RX entries per VC
  EXPECT_EQ(t0.credits[1], h.port.params().rx_flits[1]);
  // Then every TrainInterval while nothing new is heard.
  h.step(47);
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.sent[1].first, h.port.params().train_interval);
  // The peer's TRAIN without an echo: heard, echoed at once (not at the next interval), not up.
  const std::uint64_t heard_at = h.port.cycle();
  h.give(Hand::train(kTrainFresh, std::nullopt));
  EXPECT_EQ(h.port.state(), PortState::kTrain);
  EXPECT_EQ(h.sent.back().first, heard_at);
  EXPECT_TRUE(h.sent.back().second.ack_valid);
  EXPECT_EQ(payload_u32(h.sent.back().second, kTrainEchoAt), 5u);
  // The echo of the port's epoch: up; the next flit is one TRAIN(done).
  h.step(16);
  h.sent.clear();
  h.give(Hand::train(kTrainFresh, 0));
  EXPECT_EQ(h.port.state(), PortState::kUp);
  EXPECT_EQ(h.port.credits(0), 35u);
  // Up, not confirmed: the peer has not shown that it completed too, so nothing can be sent.
  EXPECT_FALSE(h.port.confirmed());
  EXPECT_FALSE(h.port.can_send(0));
  h.step(100);
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].second.payload[1], kTrainFresh | kTrainDone);
  // A TRAIN(not done) of the same pair (the peer has not heard the echo): one reply each; the
  // peer's TRAIN(done) confirms the session.
  h.give(Hand::train(kTrainFresh, 0));
  h.give(Hand::train(kTrainFresh | kTrainDone, 0));  // done: nothing to reply
  EXPECT_TRUE(h.port.confirmed());
  EXPECT_TRUE(h.port.can_send(0));
  h.step(100);
  EXPECT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.port.counters().handshakes, 1u);
  // An older epoch's TRAIN is stale: ignored.
  h.give(Hand::train(kTrainFresh, 0), 4u);
  EXPECT_EQ(h.port.state(), PortState::kUp);
  EXPECT_EQ(h.port.counters().stale_control, 1u);
}

TEST(LinkPortRx, APeerManyEpochsAheadIsJoinedAndAnOldOneIgnored) {
  // The peer can go through any number of epochs unheard (failed handshakes, resets): TRAINs
  // compare full 32-bit epochs, so 40 ahead (8 ahead in the 4 header bits) is still newer.
  Hand h;
  h.up();
  h.give(Hand::train(0, std::nullopt), h.epoch - 1000);
  EXPECT_EQ(h.port.state(), PortState::kUp);
  EXPECT_EQ(h.port.counters().stale_control, 1u);
  h.epoch += 40;
  h.give(Hand::train(kTrainFresh, std::nullopt));
  EXPECT_EQ(h.port.state(), PortState::kTrain);
  EXPECT_EQ(h.port.counters().retrain_joins, 1u);
  EXPECT_EQ(h.port.peer_epoch(), 45u);
  h.give(Hand::train(kTrainFresh, h.port.epoch()));
  EXPECT_EQ(h.port.state(), PortState::kUp);
}

TEST(LinkPortRx, InOrderDataIsDeliveredAndAckedAfterAckCoalesce) {
  Hand h;
  h.up();
  const std::uint64_t first = h.port.cycle();
  h.give(Hand::data(0));
  h.give(Hand::data(1, 244));
  h.give(Hand::data(2, 0, 1));
  EXPECT_EQ(h.port.rx_count(0), 2u);
  EXPECT_EQ(h.port.rx_count(1), 1u);
  EXPECT_EQ(h.port.rx_expected(), 3u);
  h.step(100);
  const auto idles = h.of(FlitKind::kIdle);
  ASSERT_EQ(idles.size(), 1u);
  EXPECT_EQ(idles[0].first, first + h.port.params().ack_coalesce);  // since the first unacked flit
  EXPECT_TRUE(idles[0].second.ack_valid);
  EXPECT_EQ(idles[0].second.ack, 2u);
  EXPECT_EQ(idles[0].second.credits[0] + idles[0].second.credits[1], 0);  // IDLE never carries credits
  std::optional<Packet> p = h.port.receive(0);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->bytes.size(), 10u);
  EXPECT_EQ(p->dst, 9u);
  EXPECT_EQ(p->bytes[3], 3u);
  // The freed entry goes back as a credit on a CREDIT flit (sequenced) after AckCoalesce.
  const std::uint64_t popped = h.port.cycle();
  h.step(100);
  const auto credits = h.of(FlitKind::kCredit);
  ASSERT_EQ(credits.size(), 1u);
  EXPECT_EQ(credits[0].first, popped + h.port.params().ack_coalesce);
  EXPECT_EQ(credits[0].second.seq, 0u);
  EXPECT_EQ(credits[0].second.credits[0], 1u);
  EXPECT_EQ(h.port.outstanding(), 1u);
}

TEST(LinkPortRx, AGapIsNakedOncePerErrorEpisode) {
  Hand h;
  h.up();
  h.give(Hand::data(0));
  h.give(Hand::data(2));  // 1 missing: NAK(1)
  h.give(Hand::data(3));  // same episode: no second NAK
  WireFlit bad = pack(Hand::data(1));
  bad[100] ^= 4;
  h.give_wire(bad);  // a CRC error in the same episode: still one NAK
  h.step(40);
  ASSERT_EQ(h.naks(), 1u);
  const auto nak_at = std::find_if(h.sent.begin(), h.sent.end(), [&](const auto& s) { return h.is_nak(s.second); });
  EXPECT_EQ(nak_at->second.seq, 1u);
  EXPECT_EQ(h.port.counters().out_of_order, 2u);
  EXPECT_EQ(h.port.counters().crc_errors, 1u);
  h.give(Hand::data(1));  // the episode ends
  h.give(Hand::data(2));
  h.give(Hand::data(4));  // a new gap: a new NAK(3)
  h.step(40);
  EXPECT_EQ(h.naks(), 2u);
  EXPECT_EQ(h.port.counters().naks_sent, 2u);
  EXPECT_EQ(h.port.rx_count(0), 3u);
  WireFlit bad2 = pack(Hand::idle(std::nullopt));
  bad2[3] ^= 1;
  h.give(Hand::data(3));
  h.give(Hand::data(4));
  h.give_wire(bad2);  // a CRC error after the episode ended: NAK(5)
  h.step(40);
  EXPECT_EQ(h.naks(), 3u);
  EXPECT_EQ(h.sent.back().second.kind, FlitKind::kIdle);
}

TEST(LinkPortRx, DuplicatesAreDroppedAndReackedAtTheNextSlot) {
  Hand h;
  h.up();
  h.give(Hand::data(0));
  h.give(Hand::data(1));
  h.step(100);
  h.sent.clear();
  const std::uint64_t at = h.port.cycle();
  h.give(Hand::data(0));  // a replayed flit already received
  h.step(30);
  EXPECT_EQ(h.port.counters().duplicates, 1u);
  EXPECT_EQ(h.port.rx_count(0), 2u);
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].first, at);  // in the same cycle, not after AckCoalesce
  EXPECT_EQ(h.sent[0].second.ack, 1u);
}

TEST(LinkPortRx, FlitsOfAnotherEpochAreDropped) {
  Hand h;
  h.up();
  h.give(Hand::data(0), 4u);
  EXPECT_EQ(h.port.rx_count(0), 0u);
  EXPECT_EQ(h.port.counters().epoch_drops, 1u);
  h.step(100);
  EXPECT_TRUE(h.sent.empty());  // nothing to acknowledge
}

TEST(LinkPortRx, CumulativeAcksFreeTheReplayBufferAndRestartTheTimer) {
  Hand h;
  h.up();
  for (int i = 0; i < 3; ++i) {
    h.port.send(Packet{0, 1, {static_cast<std::uint8_t>(i)}});
    h.step(16);
  }
  EXPECT_EQ(h.port.next_seq(), 3u);
  EXPECT_EQ(h.port.outstanding(), 3u);
  EXPECT_EQ(h.port.credits(0), 32u);
  const std::uint64_t started = *h.port.replay_deadline() - h.port.params().replay_timeout;
  EXPECT_EQ(started, h.of(FlitKind::kData)[0].first);  // runs from the first flit sent
  h.give(Hand::idle(1));
  EXPECT_EQ(h.port.outstanding(), 1u);
  EXPECT_EQ(h.port.acked_seq(), 1u);
  EXPECT_EQ(*h.port.replay_deadline(), h.port.cycle() - 1 + h.port.params().replay_timeout);  // restarted
  h.give(Hand::idle(1));  // no progress: the timer keeps running
  EXPECT_EQ(*h.port.replay_deadline(), h.port.cycle() - 2 + h.port.params().replay_timeout);
  h.give(Hand::idle(4000));  // far behind: an old ACK, ignored
  EXPECT_EQ(h.port.counters().stale_control, 1u);
  h.give(Hand::idle(2));
  EXPECT_EQ(h.port.outstanding(), 0u);
  EXPECT_FALSE(h.port.replay_deadline());  // cleared: nothing outstanding
  EXPECT_EQ(h.port.state(), PortState::kUp);
}

TEST(LinkPortRx, TheReplayTimerExpiresDespiteAcksWithoutProgress) {
  Hand h;
  h.up();
  h.port.send(Packet{0, 1, {7}});
  h.step();
  const std::uint64_t deadline = *h.port.replay_deadline();
  // Valid ACKs that acknowledge nothing new (4095: nothing of this session), one per cycle.
  while (h.port.cycle() < deadline) h.give(Hand::idle(kSeqMod - 1));
  EXPECT_EQ(h.port.counters().replays, 0u);
  h.sent.clear();
  h.step();  // the deadline's cycle: the flit goes again
  EXPECT_EQ(h.port.counters().timeouts, 1u);
  EXPECT_EQ(h.port.counters().replays, 1u);
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].second.seq, 0u);
  EXPECT_EQ(h.sent[0].second.kind, FlitKind::kData);
}

TEST(LinkPortRx, ANakReplaysEverythingFromTheNakedFlit) {
  Hand h;
  h.up();
  for (int i = 0; i < 4; ++i) {
    h.port.send(Packet{0, 1, {static_cast<std::uint8_t>(i)}});
    h.step(16);
  }
  h.sent.clear();
  h.give(Hand::nak(1));  // 0 arrived, resend from 1
  h.step(60);
  EXPECT_EQ(h.port.outstanding(), 3u);
  EXPECT_EQ(h.port.counters().replays, 1u);
  const auto again = h.of(FlitKind::kData);
  ASSERT_EQ(again.size(), 3u);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(again[i].second.seq, i + 1);
    EXPECT_EQ(again[i].second.payload[0], i + 1);
  }
  h.give(Hand::nak(1));  // the same NAK after the pass was resent: a second replay
  EXPECT_EQ(h.port.counters().replays, 2u);
  h.give(Hand::nak(0));  // behind what is acknowledged: stale, ignored
  EXPECT_EQ(h.port.counters().replays, 2u);
  EXPECT_EQ(h.port.state(), PortState::kUp);
}

TEST(LinkPortRx, APeerResetEndsTheSession) {
  Hand h;
  h.up();
  h.give(Hand::data(0));
  h.give(Hand::data(1));
  h.port.send(Packet{0, 1, {5}});
  h.step(20);
  const std::uint32_t epoch = h.port.epoch();
  h.epoch = 6;
  h.give(Hand::train(kTrainFresh, std::nullopt));  // the peer was reset
  EXPECT_EQ(h.port.state(), PortState::kTrain);
  EXPECT_EQ(h.port.epoch(), epoch + 1);
  EXPECT_EQ(h.port.rx_count(0), 0u);  // nothing of before is delivered after
  EXPECT_EQ(h.port.outstanding(), 0u);
  EXPECT_EQ(h.port.next_seq(), 0u);
  EXPECT_EQ(h.port.counters().sessions, 2u);
  EXPECT_EQ(h.port.counters().flushed_packets, 3u);
  h.step(16);
  EXPECT_EQ(h.sent.back().second.payload[1], kTrainFresh);
  EXPECT_EQ(payload_u32(h.sent.back().second, kTrainEchoAt), 6u);
}

TEST(LinkPortRx, APeerRetrainResumesWhereTheReceiverIs) {
  Hand h;
  h.up();
  for (int i = 0; i < 3; ++i) {
    h.port.send(Packet{0, 1, {static_cast<std::uint8_t>(i)}});
    h.step(16);
  }
  h.give(Hand::data(0));
  h.epoch = 6;
  h.give(Hand::train(0, std::nullopt, 1));  // the peer retrains: it has our 0, wants 1
  EXPECT_EQ(h.port.state(), PortState::kTrain);
  EXPECT_EQ(h.port.rx_count(0), 1u);  // a retrain keeps everything
  h.sent.clear();
  h.give(Hand::train(0, h.port.epoch(), 1));
  EXPECT_EQ(h.port.state(), PortState::kUp);
  EXPECT_EQ(h.port.outstanding(), 2u);  // 0 acknowledged by the resume point
  h.step(60);
  EXPECT_TRUE(h.of(FlitKind::kData).empty());  // not before the peer confirms
  h.give(Hand::train(kTrainDone, h.port.epoch(), 1));
  h.step(60);
  const auto again = h.of(FlitKind::kData);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].second.seq, 1u);
  EXPECT_EQ(again[0].second.epoch, h.port.epoch());  // resent in the new epoch
  EXPECT_EQ(again[1].second.seq, 2u);
  EXPECT_EQ(h.port.counters().retrain_joins, 1u);
}

// Each impossible flit takes a fresh, up port down at once with its reason.
TEST(LinkPortRx, ImpossibleFlitsAreProtocolErrors) {
  struct Case {
    const char* what;
    LinkErrorReason reason;
    std::function<void(Hand&)> run;
  };
  const std::vector<Case> cases = {
      {"IDLE with credits", LinkErrorReason::kBadFlit,
       [](Hand& h) {
         Flit f = Hand::idle(std::nullopt);
         f.credits[1] = 1;
         h.give(f);
       }},
      {"CONTROL op 7", LinkErrorReason::kBadFlit,
       [](Hand& h) {
         Flit f = Hand::nak(0);
         f.payload[0] = 7;
         h.give(f);
       }},
      {"DATA len 250", LinkErrorReason::kBadFlit,
       [](Hand& h) {
         WireFlit w = pack(Hand::data(0));
         w[6] = 250;
         w[5] = static_cast<std::uint8_t>((w[5] & 0x0F) | ((h.epoch % kEpochMod) << 4));
         reseal(w);
         h.give_wire(w);
       }},
      {"DATA for a full RX buffer", LinkErrorReason::kRxOverflow,
       [](Hand& h) {
         for (std::uint16_t s = 0; s <= 8; ++s) h.give(Hand::data(s, 1, 1));
       }},
      {"ACK of a sequence never sent", LinkErrorReason::kAckNotOutstanding, [](Hand& h) { h.give(Hand::idle(3)); }},
      {"ACK on a DATA flit beyond what was sent", LinkErrorReason::kAckNotOutstanding,
       [](Hand& h) {
         Flit f = Hand::data(0);
         f.ack_valid = true;
         f.ack = 0;
         h.give(f);
       }},
      {"NAK of a sequence never sent", LinkErrorReason::kNakNotOutstanding, [](Hand& h) { h.give(Hand::nak(5)); }},
      {"credits never consumed", LinkErrorReason::kCreditOverflow,
       [](Hand& h) {
         Flit f = Hand::data(0);
         f.credits[1] = 1;
         h.give(f);
       }},
      {"TRAIN whose header epoch is not its full epoch's low bits", LinkErrorReason::kBadFlit,
       [](Hand& h) {
         Flit t = Hand::train(0, std::nullopt);
         set_payload_u32(t, kTrainEpochAt, 22);
         t.epoch = 5;
         h.port.deliver(pack(t));
         h.step();
       }},
      {"a retrain resuming beyond what was sent", LinkErrorReason::kBadResume,
       [](Hand& h) {
         h.epoch = 6;
         h.give(Hand::train(0, std::nullopt, 0));
         h.give(Hand::train(0, h.port.epoch(), 2));
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Hand h;
    h.up();
    c.run(h);
    ASSERT_EQ(h.port.state(), PortState::kDown);
    ASSERT_TRUE(h.port.error());
    EXPECT_EQ(h.port.error()->reason, c.reason) << h.port.error()->detail;
    EXPECT_EQ(h.port.error()->port, 3);
    EXPECT_EQ(h.port.counters().protocol_errors, 1u);
    EXPECT_FALSE(h.port.can_send(0));
    h.sent.clear();
    h.step(5000);
    EXPECT_TRUE(h.sent.empty());  // down is silent
  }
  // A fresh handshake advertising no RX entries.
  Hand h;
  h.step(2);
  Flit t = Hand::train(kTrainFresh, 0);
  t.credits[0] = 0;
  h.give(t);
  ASSERT_EQ(h.port.state(), PortState::kDown);
  EXPECT_EQ(h.port.error()->reason, LinkErrorReason::kBadFlit);
}

}  // namespace
}  // namespace systole::link
