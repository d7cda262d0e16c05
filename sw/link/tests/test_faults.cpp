// The link under channel faults (docs/links.md section 6), one test per fault class, each with
// random packets both ways on both VCs and random receiver stalls, scoreboarded above the link
// (link_harness.hpp): nothing lost, duplicated, reordered or corrupted unless a reset or a link
// down excuses it, and the receiver's CRC-error counter equal to the corrupted flits its channel
// delivered whose CRC fails.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "link_harness.hpp"
#include "systole/link/link.hpp"

namespace systole::link {
namespace {

using test::Harness;
using test::replay_command;
using test::test_seed;

struct Scenario {
  unsigned latency = 64;
  FaultConfig faults01, faults10;  // on the wire from port 0 to port 1, and back
  std::uint64_t cycles = 100000;
  test::Traffic traffic;
  Params params = Params::for_latency(64);
};

std::unique_ptr<Link> make_link(const Scenario& s, std::uint64_t seed) {
  ChannelConfig c01 = test::clean_channel(s.latency, seed + 1), c10 = test::clean_channel(s.latency, seed + 2);
  c01.faults = s.faults01;
  c10.faults = s.faults10;
  return std::make_unique<Link>(s.params, s.params, c01, c10);
}

// Random traffic for s.cycles, drain, every scoreboard and accounting check. With `no_loss`, the
// link must stay up and deliver every byte.
void run_clean_end(const Scenario& s, bool no_loss, std::uint64_t seed) {
  auto link = make_link(s, seed);
  Harness h(*link, seed);
  h.traffic = s.traffic;
  h.run(s.cycles);
  EXPECT_TRUE(h.drain(400000)) << h.summary();
  h.finish();
  if (no_loss) {
    for (unsigned side = 0; side < 2; ++side) {
      EXPECT_EQ(h.lost(side), 0u) << h.summary();
      EXPECT_EQ(h.delivered_bytes(side), h.sent_bytes(side)) << h.summary();
      EXPECT_GT(h.delivered(side), 100u) << h.summary();
    }
    // A port may be retraining right now (the faults are still on): clear them, then both must
    // be up with every credit back.
    h.check_credits_settle(4000);
  }
}

FaultConfig faults(auto edit) {
  FaultConfig f;
  edit(f);
  return f;
}

TEST(LinkFaults, CleanLinkDeliversEverything) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.traffic.stall = {0.002, 0.002};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, RandomBitErrorsFrom1e9To1e4PerBitLoseNothing) {
  SCOPED_TRACE(replay_command());
  for (double ber : {1e-9, 1e-7, 1e-6, 1e-5, 1e-4}) {
    SCOPED_TRACE(fmt::format("bit error rate {}", ber));
    Scenario s;
    s.faults01 = s.faults10 = faults([&](FaultConfig& f) { f.bit_error_rate = ber; });
    s.traffic.offer = {0.04, 0.04};
    s.traffic.stall = {0.001, 0.001};
    run_clean_end(s, true, test_seed() + static_cast<std::uint64_t>(ber * 1e9));
  }
}

TEST(LinkFaults, BitErrorsAt1e3PerBitDeliverNothingWrongThroughDownsAndResets) {
  // 87% of 2048-bit flits are hit at 1e-3: the link crawls and escalates to down (bounded: no
  // endless resend). Each time both ends are reset and traffic goes on; nothing wrong is ever
  // delivered and every CRC error is counted. At the end the wire is cleaned and all drains.
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.latency = 16;
  s.params = Params::for_latency(16);
  s.faults01 = s.faults10 = faults([](FaultConfig& f) { f.bit_error_rate = 1e-3; });
  auto link = make_link(s, test_seed());
  Harness h(*link, test_seed());
  h.traffic.offer = {0.01, 0.01};
  std::uint64_t downs = 0;
  while (link->cycle() < 300000) {
    h.run(1000);
    if (link->port(0).state() == PortState::kDown || link->port(1).state() == PortState::kDown) {
      test::run_until(h, 100000, [&] {
        return link->port(0).state() == PortState::kDown && link->port(1).state() == PortState::kDown;
      });
      ++downs;
      link->reset(0);
      link->reset(1);
    }
  }
  for (unsigned side = 0; side < 2; ++side) {
    link->channel(side).set_faults(FaultConfig{});
    link->reset(side);  // a port still training may be about to give up: start both afresh
  }
  ASSERT_TRUE(test::run_until(h, 20000, [&] {
    return link->port(0).state() == PortState::kUp && link->port(1).state() == PortState::kUp;
  })) << h.summary();
  const std::uint64_t delivered = h.delivered(0) + h.delivered(1);
  h.run(20000);
  EXPECT_TRUE(h.drain(100000)) << h.summary();
  h.finish();
  EXPECT_GT(h.delivered(0) + h.delivered(1), delivered + 200) << h.summary();
  EXPECT_GT(link->port(0).counters().crc_errors, 1000u);
  for (unsigned side = 0; side < 2; ++side) {
    EXPECT_EQ(link->port(side).counters().protocol_errors, 0u) << h.summary();
    EXPECT_EQ(link->port(side).counters().link_downs, downs) << h.summary();
  }
}

TEST(LinkFaults, BurstErrorsUpTo64BitsLoseNothing) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.faults01 = s.faults10 = faults([](FaultConfig& f) {
    f.burst_rate = 0.03;
    f.burst_max_bits = 64;
  });
  s.traffic.stall = {0.001, 0.001};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, DroppedFlitsLoseNothing) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.faults01 = s.faults10 = faults([](FaultConfig& f) { f.drop_rate = 0.01; });
  s.traffic.stall = {0.001, 0.001};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, DuplicatedFlitsAreDeliveredOnce) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.faults01 = s.faults10 = faults([](FaultConfig& f) { f.duplicate_rate = 0.02; });
  s.traffic.stall = {0.001, 0.001};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, StaleFlitsAreNeverDelivered) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.faults01 = s.faults10 = faults([](FaultConfig& f) {
    f.stale_rate = 0.02;
    f.stale_window = 15;
  });
  s.traffic.stall = {0.001, 0.001};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, CorruptedAndLostAcksNaksAndCreditsAreRecovered) {
  // Mostly one-way traffic, so ACKs and credits ride on IDLE and CREDIT flits; those and the NAKs
  // are corrupted and dropped, and data flits are dropped to cause NAKs.
  SCOPED_TRACE(replay_command());
  Scenario s;
  const std::uint8_t control = class_bit(WireClass::kIdle) | class_bit(WireClass::kNak) | class_bit(WireClass::kCredit);
  s.faults01 = faults([](FaultConfig& f) {
    f.drop_rate = 0.01;
    f.classes = class_bit(WireClass::kData);
  });
  s.faults10 = faults([&](FaultConfig& f) {
    f.bit_error_rate = 1e-4;
    f.burst_rate = 0.05;
    f.drop_rate = 0.05;
    f.classes = control;
  });
  s.traffic.offer = {0.05, 0.002};
  s.traffic.stall = {0.0, 0.002};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, DelayedAcksNaksAndCreditsAreRecovered) {
  // ACKs, NAKs and credits held back up to ~2 replay timeouts: the timer fires, the replays
  // arrive as duplicates, nothing is lost or delivered twice.
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.params.silence_limit = 20000;  // a held-back IDLE must not look like a dead link here
  s.faults01 = faults([](FaultConfig& f) {
    f.drop_rate = 0.005;
    f.classes = class_bit(WireClass::kData);
  });
  s.faults10 = faults([&](FaultConfig& f) {
    f.delay_rate = 0.02;
    f.delay_max = 2 * Params::for_latency(64).replay_timeout;
    f.classes = class_bit(WireClass::kIdle) | class_bit(WireClass::kNak) | class_bit(WireClass::kCredit);
  });
  s.traffic.offer = {0.05, 0.002};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, ForgedAcksAndNaksAtRandomEndInAProtocolError) {
  SCOPED_TRACE(replay_command());
  for (unsigned victim : {0u, 1u}) {
    Scenario s;
    (victim == 1 ? s.faults01 : s.faults10) = faults([](FaultConfig& f) {
      f.forge_rate = 0.002;
      f.drop_rate = 0.002;
    });
    auto link = make_link(s, test_seed() + victim);
    Harness h(*link, test_seed() + victim);
    ASSERT_TRUE(test::run_until(h, 400000, [&] { return link->port(victim).state() == PortState::kDown; }))
        << h.summary();
    const LinkError& e = *link->port(victim).error();
    EXPECT_TRUE(is_protocol_error(e.reason)) << to_string(e.reason) << ": " << e.detail;
    EXPECT_EQ(e.port, static_cast<int>(victim));
    h.drain(100000);
    h.finish();
  }
}

TEST(LinkFaults, SequenceNumbersWrapThreeTimesUnderFaults) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.latency = 32;
  s.params = Params::for_latency(32);
  s.faults01 = s.faults10 = faults([](FaultConfig& f) {
    f.drop_rate = 0.002;
    f.duplicate_rate = 0.002;
    f.stale_rate = 0.002;
    f.bit_error_rate = 1e-6;
  });
  s.traffic.offer = {0.5, 0.3};
  s.cycles = 16 * 3 * kSeqMod + 40000;
  auto link = make_link(s, test_seed());
  Harness h(*link, test_seed());
  h.traffic = s.traffic;
  h.run(s.cycles);
  EXPECT_TRUE(h.drain(100000)) << h.summary();
  h.finish();
  EXPECT_GT(link->port(0).counters().data_flits_tx, 3u * kSeqMod);
  EXPECT_GT(link->port(0).counters().replays, 0u);
  EXPECT_EQ(h.lost(0) + h.lost(1), 0u) << h.summary();
  EXPECT_EQ(h.delivered_bytes(0), h.sent_bytes(0));
  h.check_credits_settle(4000);
}

// The worst-case cycles from a direction going dead to both ports down (docs/links.md section 2).
std::uint64_t down_bound(const Params& p, unsigned latency) {
  const std::uint64_t rt = round_trip_cycles(latency, p.flit_beats, p.ack_coalesce);
  return p.silence_limit + std::uint64_t{p.replay_limit + 1} * p.replay_timeout +
         2ull * (p.retrain_limit + 1) * p.train_timeout + 4 * rt;
}

TEST(LinkFaults, ADeadDirectionTakesTheLinkDownInBoundedTimeThenResetRecovers) {
  SCOPED_TRACE(replay_command());
  for (unsigned dead : {0u, 1u}) {
    SCOPED_TRACE(fmt::format("dead from port {}", dead));
    Scenario s;
    auto link = make_link(s, test_seed() + dead);
    Harness h(*link, test_seed() + dead);
    h.traffic.offer = {0.05, 0.05};
    h.run(20000);
    const std::uint64_t t_dead = link->cycle();
    link->channel(dead).set_faults(faults([&](FaultConfig& f) { f.silent = {{t_dead, kForever}}; }));
    const std::uint64_t bound = down_bound(s.params, s.latency);
    ASSERT_TRUE(test::run_until(
        h, bound,
        [&] { return link->port(0).state() == PortState::kDown && link->port(1).state() == PortState::kDown; }))
        << "not both down " << bound << " cycles after the direction died; " << h.summary();
    for (unsigned side = 0; side < 2; ++side) {
      EXPECT_EQ(link->port(side).error()->reason, LinkErrorReason::kRetrainLimit);
      EXPECT_EQ(link->port(side).counters().link_downs, 1u);
    }
    h.run(5000);  // down stays down and silent
    EXPECT_EQ(link->channel(0).in_flight() + link->channel(1).in_flight(), 0u);
    // Heal the wire, reset both ends: a new session, traffic flows again, nothing old delivered.
    link->channel(dead).set_faults(FaultConfig{});
    link->reset(0);
    link->reset(1);
    h.run(30000);
    EXPECT_TRUE(h.drain(40000)) << h.summary();
    h.finish();
    EXPECT_EQ(link->port(0).state(), PortState::kUp);
    EXPECT_EQ(link->port(1).state(), PortState::kUp);
    h.check_credits_settle(4000);
  }
}

TEST(LinkFaults, AFlappingLinkRecoversWithoutLoss) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  std::mt19937_64 rng(test_seed());
  for (std::uint64_t t = 5000; t < s.cycles; t += 4000 + rng() % 4000) {
    const std::uint64_t len = 100 + rng() % 900;
    const unsigned ways = rng() % 3;  // 0->1, 1->0 or both
    if (ways != 1) s.faults01.silent.push_back({t, t + len});
    if (ways != 0) s.faults10.silent.push_back({t, t + len});
  }
  s.traffic.stall = {0.001, 0.001};
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, OneSidedResetsMidFlitDeliverNothingFromBefore) {
  // With stale and duplicated flits on the wire, copies of flits from before a reset arrive
  // after the new session started: only the epoch check keeps them out.
  SCOPED_TRACE(replay_command());
  for (unsigned side : {0u, 1u}) {
    SCOPED_TRACE(fmt::format("resetting port {}", side));
    Scenario s;
    s.faults01 = s.faults10 = faults([](FaultConfig& f) {
      f.stale_rate = 0.03;
      f.stale_window = 15;
      f.duplicate_rate = 0.01;
    });
    auto link = make_link(s, test_seed() + side);
    Harness h(*link, test_seed() + side);
    h.traffic.offer = {0.3, 0.3};
    h.traffic.stall = {0.002, 0.002};
    std::mt19937_64 rng(test_seed() + 10 + side);
    for (int r = 0; r < 6; ++r) {
      h.run(3000 + rng() % 8000);
      // Reset while the port is sending: 1..FlitBeats-1 beats of its flit are on the wire.
      const std::uint64_t before = link->port(side).counters().flits_tx;
      ASSERT_TRUE(test::run_until(h, 20000, [&] { return link->port(side).counters().flits_tx != before; }));
      h.run(rng() % (s.params.flit_beats - 1));
      link->reset(side);
    }
    h.run(20000);
    EXPECT_TRUE(h.drain(100000)) << h.summary();
    h.finish();
    EXPECT_EQ(link->port(side).counters().resets, 6u);
    EXPECT_GE(link->channel(side).counters().count(FaultKind::kTruncate), 6u);  // a copy in the same slot too
    EXPECT_GE(link->port(1 - side).counters().sessions, 7u);                    // each reset ended the peer's session
    EXPECT_EQ(link->port(0).state(), PortState::kUp);
    EXPECT_EQ(link->port(1).state(), PortState::kUp);
    h.check_credits_settle(4000);
  }
}

TEST(LinkFaults, LongReceiverStallsHoldTheSenderAndLoseNothing) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.faults01 = s.faults10 = faults([](FaultConfig& f) { f.drop_rate = 0.002; });
  s.traffic.offer = {0.3, 0.3};
  s.traffic.stall = {0.0005, 0.0005};
  s.traffic.stall_max = 15000;
  s.cycles = 200000;
  run_clean_end(s, true, test_seed());
}

TEST(LinkFaults, EveryFaultAtOnceAtRandomLatencies) {
  SCOPED_TRACE(replay_command());
  std::mt19937_64 rng(test_seed());
  for (int run = 0; run < 4; ++run) {
    Scenario s;
    s.latency = 16 + static_cast<unsigned>(rng() % (kMaxLatency - 15));
    s.params = Params::for_latency(s.latency);
    SCOPED_TRACE(fmt::format("latency {}", s.latency));
    s.faults01 = s.faults10 = faults([](FaultConfig& f) {
      f.bit_error_rate = 1e-6;
      f.burst_rate = 0.005;
      f.drop_rate = 0.003;
      f.duplicate_rate = 0.003;
      f.stale_rate = 0.003;
      f.stale_window = 15;
      f.delay_rate = 0.003;
      f.delay_max = 300;
    });
    s.traffic.offer = {0.05, 0.05};
    s.traffic.stall = {0.001, 0.001};
    run_clean_end(s, true, rng());
  }
}

// Everything is a function of the seeds: the same run twice gives the same faults at the same
// cycles, the same counters and the same deliveries (what a multi-process simulation relies on).
TEST(LinkFaults, TheSameSeedsGiveTheSameRun) {
  SCOPED_TRACE(replay_command());
  Scenario s;
  s.faults01 = s.faults10 = faults([](FaultConfig& f) {
    f.bit_error_rate = 1e-5;
    f.drop_rate = 0.005;
    f.stale_rate = 0.005;
    f.delay_rate = 0.005;
    f.delay_max = 200;
  });
  s.cycles = 30000;
  auto trace = [&](std::uint64_t seed) {
    auto link = make_link(s, seed);
    Harness h(*link, seed);
    h.traffic.stall = {0.002, 0.002};
    h.run(s.cycles);
    std::string t = h.summary();
    for (unsigned side = 0; side < 2; ++side) {
      for (const FaultEvent& e : link->channel(side).log())
        t += fmt::format("\n{} {} {} {}", side, e.cycle, to_string(e.kind), e.detail);
      t += fmt::format("\n{} {} {}", link->port(side).next_seq(), link->port(side).rx_expected(),
                       link->port(side).counters().payload_bytes_rx);
    }
    return t;
  };
  const std::string a = trace(test_seed()), b = trace(test_seed());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, trace(test_seed() + 1));
}

}  // namespace
}  // namespace systole::link
