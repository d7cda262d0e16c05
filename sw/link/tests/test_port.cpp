// The link port (port.hpp, docs/links.md sections 2 to 4) in directed cases: parameters and their
// validation, bring-up, full rate at the largest latency and the buffer sizing rule, receiver
// stalls, the replay timer racing an ACK, replay limit -> retrain, retrain during a replay, and
// forged ACK / NAK / credit fields ending in a protocol error.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <stdexcept>

#include "link_harness.hpp"
#include "systole/link/link.hpp"

namespace systole::link {
namespace {

using test::Harness;
using test::replay_command;
using test::test_seed;

Link make_link(unsigned latency, const Params& p, std::uint64_t seed) {
  return Link(p, p, test::clean_channel(latency, seed), test::clean_channel(latency, seed + 1));
}

bool both_up(const Link& l) { return l.port(0).confirmed() && l.port(1).confirmed(); }

void bring_up(Link& l) {
  for (int i = 0; i < 100000 && !both_up(l); ++i) l.step();
  ASSERT_TRUE(both_up(l));
}

template <typename F>
void expect_invalid(F make, const std::string& name) {
  try {
    make();
    ADD_FAILURE() << name << ": accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
  }
}

TEST(LinkParams, DefaultsAreSizedForTheLargestLatency) {
  EXPECT_EQ(Params{}, Params::for_latency(kMaxLatency));
  EXPECT_EQ(round_trip_cycles(256, 16, 32), 2u * 256 + 32 + 16);
  EXPECT_EQ(min_replay_flits(256, 16, 32), 35u);
  EXPECT_EQ(min_replay_flits(16, 16, 32), 5u);  // (32 + 32 + 16) / 16
  EXPECT_EQ(min_replay_flits(17, 16, 32), 6u);  // rounds up
  EXPECT_EQ(min_rx_flits(100, 16, 0), 14u);     // 216 / 16 rounded up
  EXPECT_NO_THROW(Params{}.validate());
  for (unsigned l : {16u, 17u, 100u, 256u, 900u}) EXPECT_NO_THROW(Params::for_latency(l).validate()) << l;
  // Beyond ~1000 cycles the rule asks for more RX entries than an 8-bit credit field allows.
  expect_invalid([] { Params::for_latency(1000).validate(); }, "rx_flits[0]");
}

TEST(LinkParams, BadParametersAreRejectedByName) {
  auto with = [](auto edit) {
    return [edit] {
      Params p;
      edit(p);
      Port port(p);
    };
  };
  expect_invalid(with([](Params& p) { p.flit_beats = 12; }), "flit_beats");
  expect_invalid(with([](Params& p) { p.flit_beats = 128; }), "flit_beats");
  expect_invalid(with([](Params& p) { p.replay_flits = 0; }), "replay_flits");
  expect_invalid(with([](Params& p) { p.replay_flits = 1024; }), "replay_flits");
  expect_invalid(with([](Params& p) { p.rx_flits[0] = 0; }), "rx_flits[0]");
  expect_invalid(with([](Params& p) { p.rx_flits[1] = 128; }), "rx_flits[1]");
  expect_invalid(with([](Params& p) { p.replay_limit = 0; }), "replay_limit");
  expect_invalid(with([](Params& p) { p.replay_timeout = 31; }), "replay_timeout");
  expect_invalid(with([](Params& p) { p.train_timeout = 10; }), "train_timeout");
  expect_invalid(with([](Params& p) { p.train_interval = 8; }), "train_interval");
  expect_invalid(with([](Params& p) { p.train_interval = p.train_timeout; }), "train_interval");
  expect_invalid(with([](Params& p) { p.keepalive = 1; }), "keepalive");
  expect_invalid(with([](Params& p) { p.silence_limit = p.keepalive; }), "silence_limit");
  expect_invalid([] { min_replay_flits(10, 0, 0); }, "flit_beats");

  auto channel = [](auto edit) {
    return [edit] {
      ChannelConfig c;
      edit(c);
      Channel ch(c);
    };
  };
  expect_invalid(channel([](ChannelConfig& c) { c.latency = 15; }), "latency");
  expect_invalid(channel([](ChannelConfig& c) { c.flit_beats = 3; }), "flit_beats");
  expect_invalid(channel([](ChannelConfig& c) { c.faults.bit_error_rate = 0.5; }), "bit_error_rate");
  expect_invalid(channel([](ChannelConfig& c) { c.faults.bit_error_rate = 1e-15; }), "bit_error_rate");
  expect_invalid(channel([](ChannelConfig& c) { c.faults.drop_rate = -0.1; }), "drop_rate");
  expect_invalid(channel([](ChannelConfig& c) { c.faults.burst_max_bits = 65; }), "burst_max_bits");
  expect_invalid(channel([](ChannelConfig& c) { c.faults.stale_window = 16; }), "stale_window");
  expect_invalid(channel([](ChannelConfig& c) { c.faults.delay_rate = 0.1; }), "delay_max");
  expect_invalid(channel([](ChannelConfig& c) { c.faults.silent = {{10, 10}}; }), "silent");
  ChannelConfig c16 = test::clean_channel(16, 1);
  Params p8;
  p8.flit_beats = 8;
  expect_invalid([&] { Link l(p8, p8, c16, c16); }, "flit_beats");
}

TEST(LinkPort, SendRejectsBadPacketsAndSendingWhenNotReady) {
  Link l = make_link(20, Params::for_latency(20), 1);
  EXPECT_FALSE(l.port(0).can_send(0));  // training
  EXPECT_THROW(l.port(0).send(Packet{0, 0, {1}}), std::logic_error);
  bring_up(l);
  EXPECT_THROW(l.port(0).send(Packet{2, 0, {1}}), std::invalid_argument);
  EXPECT_THROW(l.port(0).send(Packet{0, 0, std::vector<std::uint8_t>(245)}), std::invalid_argument);
  EXPECT_FALSE(l.port(0).can_send(2));
  l.port(0).send(Packet{0, 0, {1}});
  EXPECT_FALSE(l.port(0).can_send(0));  // one packet per VC waits for the wire
  EXPECT_THROW(l.port(0).send(Packet{0, 0, {2}}), std::logic_error);
  EXPECT_TRUE(l.port(0).can_send(1));
}

TEST(LinkPort, BringUpHandshakeTakesOneRoundTrip) {
  for (unsigned latency : {16u, 40u, 256u}) {
    Link l = make_link(latency, Params::for_latency(latency), 1);
    while (l.port(0).state() != PortState::kUp || l.port(1).state() != PortState::kUp) l.step();
    // Both send TRAIN at cycle 0; each hears the other's at `latency` and echoes it in its next
    // flit slot; the echo arrives one latency later, when both complete.
    const unsigned slot = (latency + 15) / 16 * 16;
    EXPECT_EQ(l.cycle(), slot + latency + 1) << latency;
    // Each then sends TRAIN(done) in a free slot (within two: one may carry a TRAIN); when it
    // arrives the other confirms and may send.
    EXPECT_FALSE(l.port(0).can_send(0));
    const std::uint64_t up = l.cycle();
    bring_up(l);
    EXPECT_LE(l.cycle(), up + latency + 2 * 16) << latency;
    for (unsigned s = 0; s < 2; ++s) {
      const Port& p = l.port(s);
      EXPECT_EQ(p.epoch(), 0u);
      EXPECT_EQ(p.counters().handshakes, 1u);
      EXPECT_EQ(p.counters().sessions, 1u);
      EXPECT_EQ(p.next_seq(), 0u);
      EXPECT_EQ(p.credits(0), p.params().rx_flits[0]);
      EXPECT_EQ(p.credits(1), p.params().rx_flits[1]);
    }
    for (int i = 0; i < 5000; ++i) l.step();
    EXPECT_TRUE(both_up(l));
    EXPECT_EQ(l.port(0).counters().retrains + l.port(1).counters().retrains, 0u);
  }
}

// Saturates `vc` from side 0 (and side 1 when `both`), pops everything at once, checks the order
// of the payloads, and returns the DATA flits each side sent in the last `window` cycles.
std::array<std::uint64_t, 2> saturate(Link& l, bool both, std::uint64_t warmup, std::uint64_t window, unsigned vc = 0) {
  std::array<std::uint64_t, 2> next{}, expect{}, at_start{};
  for (std::uint64_t c = 0; c < warmup + window; ++c) {
    if (c == warmup)
      for (unsigned s = 0; s < 2; ++s) at_start[s] = l.port(s).counters().data_flits_tx;
    l.step();
    for (unsigned s = 0; s < 2; ++s) {
      Port& p = l.port(s);
      if ((s == 0 || both) && p.can_send(vc)) {
        Packet pk{static_cast<std::uint8_t>(vc), 7, std::vector<std::uint8_t>(kPayloadBytes)};
        for (int b = 0; b < 8; ++b) pk.bytes[b] = static_cast<std::uint8_t>(next[s] >> (8 * b));
        ++next[s];
        p.send(std::move(pk));
      }
      while (std::optional<Packet> r = p.receive(vc)) {
        std::uint64_t v = 0;
        for (int b = 0; b < 8; ++b) v |= std::uint64_t{r->bytes[b]} << (8 * b);
        EXPECT_EQ(v, expect[s]++) << "port " << s << " cycle " << l.cycle();
      }
    }
  }
  return {l.port(0).counters().data_flits_tx - at_start[0], l.port(1).counters().data_flits_tx - at_start[1]};
}

TEST(LinkPort, ZeroErrorLinkRunsAtFullRateAtTheLargestLatency) {
  // Default parameters, 256 cycles one way: one DATA flit every FlitBeats cycles each way, and
  // one way alone (ACKs on IDLE flits, credits on CREDIT flits): 244 payload bytes per 256.
  const Params p;
  const std::uint64_t window = 64000;
  {
    Link l = make_link(kMaxLatency, p, 1);
    const auto sent = saturate(l, true, 4000, window);
    EXPECT_EQ(sent[0], window / p.flit_beats);
    EXPECT_EQ(sent[1], window / p.flit_beats);
    for (unsigned s = 0; s < 2; ++s) {
      EXPECT_EQ(l.port(s).counters().replay_full_stalls, 0u);
      EXPECT_EQ(l.port(s).counters().credit_stalls, 0u);
      EXPECT_EQ(l.port(s).counters().replays, 0u);
    }
  }
  for (unsigned vc : {0u, 1u}) {  // one way, each VC alone (on a dateline link all is on VC 1)
    Link l = make_link(kMaxLatency, p, 1);
    const auto sent = saturate(l, false, 4000, window, vc);
    EXPECT_EQ(sent[0], window / p.flit_beats) << "vc " << vc;
    EXPECT_EQ(l.port(0).counters().replay_full_stalls + l.port(0).counters().credit_stalls, 0u);
    EXPECT_GT(l.port(1).counters().flits_tx, 0u);
  }
}

TEST(LinkPort, MinimumBuffersKeepFullRateAndOneFewerDoesNot) {
  // The sizing rule (min_replay_flits, min_rx_flits) at several latencies, one way (the slower
  // case for ACKs and credits). Measured: one RX entry fewer stalls on credits; the replay buffer
  // has one flit of margin (the +FlitBeats of the rule covers slot alignment that one-way traffic
  // does not hit), two fewer stall on it.
  for (unsigned latency : {16u, 23u, 64u, 129u, 200u, 256u}) {
    SCOPED_TRACE(fmt::format("latency {}", latency));
    const Params p = Params::for_latency(latency);
    const std::uint64_t window = 16000;
    {
      Link l = make_link(latency, p, 1);
      EXPECT_EQ(saturate(l, false, 3000, window)[0], window / p.flit_beats);
    }
    Params fewer_rx = p;
    --fewer_rx.rx_flits[0];
    {
      Link l = make_link(latency, fewer_rx, 1);
      EXPECT_LT(saturate(l, false, 3000, window)[0], window / p.flit_beats);
      EXPECT_GT(l.port(0).counters().credit_stalls, 0u);
    }
    Params fewer_replay = p;
    fewer_replay.replay_flits -= 2;
    {
      Link l = make_link(latency, fewer_replay, 1);
      EXPECT_LT(saturate(l, false, 3000, window)[0], window / p.flit_beats);
      EXPECT_GT(l.port(0).counters().replay_full_stalls, 0u);
    }
  }
}

TEST(LinkPort, AStalledReceiverHoldsTheSenderAndLosesNothing) {
  SCOPED_TRACE(replay_command());
  Link l = make_link(64, Params::for_latency(64), test_seed());
  bring_up(l);
  Harness h(l, test_seed());
  h.traffic.offer = {1.0, 0.0};
  h.traffic.vc1_share = 0.3;
  // Port 1 never pops for 20000 cycles (a new 1-cycle stall every cycle): its RX buffers fill,
  // no credits go back, port 0 stops.
  h.traffic.stall = {0.0, 1.0};
  h.traffic.stall_max = 1;
  h.run(20000);
  const Port& rx = l.port(1);
  EXPECT_EQ(rx.rx_count(0), rx.params().rx_flits[0]);
  EXPECT_EQ(rx.rx_count(1), rx.params().rx_flits[1]);
  EXPECT_EQ(l.port(0).credits(0), 0u);
  EXPECT_EQ(l.port(0).credits(1), 0u);
  EXPECT_FALSE(l.port(0).can_send(0));
  EXPECT_GT(l.port(0).counters().credit_stalls, 10000u);
  EXPECT_EQ(l.port(0).counters().retrains + l.port(1).counters().retrains, 0u);  // keep-alives flow
  EXPECT_TRUE(h.drain(20000)) << h.summary();
  h.finish();
  EXPECT_EQ(h.lost(0), 0u);
  EXPECT_EQ(h.delivered_bytes(0), h.sent_bytes(0));
  EXPECT_TRUE(both_up(l));
}

// Port 0 sends one flit; the ACK of it is held on the wire and arrives at the replay deadline
// plus `offset` cycles.
void ack_at_deadline_plus(unsigned offset, Link& l) {
  bring_up(l);
  for (int i = 0; i < 3000; ++i) l.step();  // quiet: nothing in flight
  ASSERT_EQ(l.channel(1).in_flight(), 0u);
  l.port(0).send(Packet{0, 1, {1, 2, 3}});
  while (l.port(0).outstanding() == 0) l.step();
  const std::uint64_t deadline = *l.port(0).replay_deadline();
  l.channel(1).hold_until(deadline + offset);
  while (l.cycle() <= deadline + offset) l.step();
}

TEST(LinkPort, AnAckInTheCycleTheReplayTimerExpiresWins) {
  Params p = Params::for_latency(32);
  p.keepalive = 20000;  // no keep-alive IDLE ahead of the ACK on the held wire
  p.silence_limit = 50000;
  {
    Link l = make_link(32, p, 1);
    ack_at_deadline_plus(0, l);
    EXPECT_EQ(l.port(0).outstanding(), 0u);
    EXPECT_EQ(l.port(0).counters().timeouts, 0u);
    EXPECT_EQ(l.port(0).counters().replays, 0u);
    EXPECT_FALSE(l.port(0).replay_deadline());  // cleared: nothing outstanding
  }
  {
    // Control: one cycle later the timer fires first and the flit is sent again (a duplicate).
    Link l = make_link(32, p, 1);
    ack_at_deadline_plus(1, l);
    EXPECT_EQ(l.port(0).counters().timeouts, 1u);
    EXPECT_EQ(l.port(0).counters().replays, 1u);
    for (int i = 0; i < 3000; ++i) l.step();
    EXPECT_EQ(l.port(0).outstanding(), 0u);
    EXPECT_EQ(l.port(1).counters().duplicates, 1u);
    EXPECT_EQ(l.port(1).rx_count(0), 1u);
  }
}

TEST(LinkPort, ReplayLimitReplaysWithoutProgressStartARetrain) {
  Params p = Params::for_latency(32);
  p.silence_limit = 1000000;  // only the replay path escalates here
  Link l = make_link(32, p, 1);
  bring_up(l);
  FaultConfig ack_loss;
  ack_loss.drop_rate = 1.0;
  ack_loss.classes = class_bit(WireClass::kIdle) | class_bit(WireClass::kData) | class_bit(WireClass::kCredit) |
                     class_bit(WireClass::kNak);
  l.channel(1).set_faults(ack_loss);  // every ACK back to port 0 is lost; TRAIN flits pass
  l.port(0).send(Packet{0, 1, {9}});
  for (int i = 0; i < 6 * static_cast<int>(p.replay_timeout) && l.port(0).counters().handshakes < 2; ++i) l.step();
  const Counters& c = l.port(0).counters();
  EXPECT_EQ(c.timeouts, p.replay_limit + 1);
  EXPECT_EQ(c.replays, p.replay_limit);
  EXPECT_EQ(c.retrains, 1u);
  EXPECT_EQ(c.handshakes, 2u);
  EXPECT_EQ(l.port(1).counters().retrain_joins, 1u);
  EXPECT_EQ(l.port(1).counters().duplicates, p.replay_limit);
  EXPECT_EQ(l.port(0).outstanding(), 0u);  // the resume point acknowledged it
  EXPECT_EQ(l.port(1).rx_count(0), 1u);
  EXPECT_EQ(l.port(0).epoch(), 1u);
}

TEST(LinkPort, RetrainDuringAReplayLosesAndDuplicatesNothing) {
  SCOPED_TRACE(replay_command());
  for (unsigned who : {0u, 1u}) {
    SCOPED_TRACE(fmt::format("retrain requested by port {}", who));
    Link l = make_link(64, Params::for_latency(64), test_seed());
    bring_up(l);
    Harness h(l, test_seed() + who);
    h.traffic.offer = {0.9, 0.3};
    h.run(3000);
    l.channel(0).drop_next(1, class_bit(WireClass::kData));  // a NAK and a go-back-N replay follow
    ASSERT_TRUE(test::run_until(h, 5000, [&] {
      return l.port(0).replaying() && l.port(0).counters().replayed_flits >= 3;
    })) << h.summary();
    l.port(who).request_retrain();
    h.run(3000);
    EXPECT_EQ(l.port(0).counters().handshakes + l.port(1).counters().handshakes, 4u);
    EXPECT_TRUE(h.drain(20000)) << h.summary();
    h.finish();
    EXPECT_EQ(h.lost(0) + h.lost(1), 0u);
    EXPECT_EQ(h.delivered_bytes(0), h.sent_bytes(0));
    EXPECT_EQ(h.delivered_bytes(1), h.sent_bytes(1));
  }
}

TEST(LinkPort, APortResetManyTimesUnheardIsStillJoined) {
  // Port 0 is reset 12 times while its wire to port 1 is silent: port 1, still up, has not heard
  // 12 of its epochs (in 4 bits: 12 ahead looks older than the one it knows). TRAINs compare the
  // full epochs, so port 1 joins the new session as soon as the wire heals.
  Params p0 = Params::for_latency(32), p1 = p0;
  p1.silence_limit = 1000000;  // port 1 stays up, unaware, meanwhile
  Link l(p0, p1, test::clean_channel(32, 1), test::clean_channel(32, 2));
  bring_up(l);
  FaultConfig dead;
  dead.silent = {{l.cycle(), kForever}};
  l.channel(0).set_faults(dead);
  for (int i = 0; i < 12; ++i) {
    l.reset(0);
    for (int c = 0; c < 300; ++c) l.step();
  }
  EXPECT_EQ(l.port(1).state(), PortState::kUp);
  l.channel(0).set_faults(FaultConfig{});
  for (int c = 0; c < 2000 && !both_up(l); ++c) l.step();
  ASSERT_TRUE(both_up(l));
  EXPECT_EQ(l.port(0).epoch(), 12u + l.port(0).counters().retrains);  // + handshake timeouts
  EXPECT_EQ(l.port(1).counters().retrain_joins, 1u);
  EXPECT_EQ(l.port(1).session(), 2u);
  l.port(0).send(Packet{1, 2, {3, 4}});
  for (int c = 0; c < 500; ++c) l.step();
  ASSERT_EQ(l.port(1).rx_count(1), 1u);
  EXPECT_EQ(l.port(1).receive(1)->bytes, (std::vector<std::uint8_t>{3, 4}));
}

// Runs traffic, forges one field on the wire from `from`, and expects the receiving port down
// with `reason` and nothing wrong delivered.
void expect_forgery_caught(ForgeField field, unsigned from, LinkErrorReason reason) {
  Link l = make_link(48, Params::for_latency(48), test_seed());
  bring_up(l);
  Harness h(l, test_seed());
  h.traffic.offer = {0.5, 0.5};
  h.run(4000);
  if (field == ForgeField::kNak) l.channel(1 - from).drop_next(1, class_bit(WireClass::kData));
  l.channel(from).forge_next(field);
  const unsigned victim = 1 - from;
  ASSERT_TRUE(test::run_until(h, 10000, [&] { return l.port(victim).state() == PortState::kDown; })) << h.summary();
  ASSERT_TRUE(l.port(victim).error());
  const LinkError& e = *l.port(victim).error();
  EXPECT_EQ(e.reason, reason) << e.detail;
  EXPECT_EQ(e.port, static_cast<int>(victim));
  EXPECT_TRUE(is_protocol_error(e.reason));
  EXPECT_EQ(l.port(victim).counters().protocol_errors, 1u);
  EXPECT_EQ(l.channel(from).counters().forged_out, 1u);
  // The other end hears nothing more and goes down too, in bounded time (never a hang).
  ASSERT_TRUE(test::run_until(h, 40000, [&] { return l.port(from).state() == PortState::kDown; })) << h.summary();
  EXPECT_EQ(l.port(from).error()->reason, LinkErrorReason::kRetrainLimit);
  h.drain(2000);
  h.finish();
}

TEST(LinkPort, AForgedAckOfASequenceNeverSentTakesTheLinkDown) {
  SCOPED_TRACE(replay_command());
  expect_forgery_caught(ForgeField::kAck, 0, LinkErrorReason::kAckNotOutstanding);
  expect_forgery_caught(ForgeField::kAck, 1, LinkErrorReason::kAckNotOutstanding);
}

TEST(LinkPort, AForgedNakTakesTheLinkDown) {
  SCOPED_TRACE(replay_command());
  expect_forgery_caught(ForgeField::kNak, 1, LinkErrorReason::kNakNotOutstanding);
}

TEST(LinkPort, ForgedCreditsTakeTheLinkDown) {
  SCOPED_TRACE(replay_command());
  expect_forgery_caught(ForgeField::kCredits, 0, LinkErrorReason::kCreditOverflow);
}

}  // namespace
}  // namespace systole::link
