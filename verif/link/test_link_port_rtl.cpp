// rtl/link/link_port against the C++ reference port (sw/link) and against itself, through the
// C++ channel model with faults (docs/links.md sections 6 and 9; the bench: link_bench.hpp).
// Every test checks every flit the RTL sends (format conformance), the scoreboard (nothing lost
// without a reset to excuse it, duplicated, reordered or corrupted), each end's CRC-error
// counter against the flits with a bad CRC delivered to it, and that credits settle back to the
// peer's RxFlits. SYSTOLE_SEED replays a run (the failure message prints the command).
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

// Which end is the RTL: RTL vs C++ (RTL at end 0), C++ vs RTL (end 1), RTL vs RTL.
struct Pair {
  std::array<bool, 2> rtl;
  const char* name;
};
constexpr std::array<Pair, 3> kPairs{{{{true, false}, "RtlCpp"}, {{false, true}, "CppRtl"}, {{true, true}, "RtlRtl"}}};

class LinkPortRtl : public ::testing::TestWithParam<Pair> {
 protected:
  std::uint64_t seed() const { return systole::verif::test_seed(true); }
  std::string replay() const { return systole::verif::replay_command(); }
};

// Bring-up, traffic under `faults` on both directions for `cycles`, then drain, the final checks
// and credits settling on a clean wire.
void run_faults(Bench& b, const FaultConfig& faults, std::uint64_t cycles, const std::string& replay) {
  ASSERT_TRUE(b.run_until_up(2000)) << b.summary() << "\n" << replay;
  b.channel(0).set_faults(faults);
  b.channel(1).set_faults(faults);
  b.run(cycles);
  b.channel(0).set_faults(FaultConfig{});
  b.channel(1).set_faults(FaultConfig{});
  EXPECT_TRUE(b.drain(60000)) << b.summary() << "\n" << replay;
  b.finish();
  b.check_credits_settle(3000);
  EXPECT_GT(b.delivered(0) + b.delivered(1), 0u) << b.summary();
}

TEST_P(LinkPortRtl, BringUpAndCleanTraffic) {
  Bench b(GetParam().rtl, 64, seed());
  ASSERT_TRUE(b.run_until_up(1000)) << b.summary();
  b.traffic.offer = {0.1, 0.1};
  b.run(20000);
  ASSERT_TRUE(b.drain(5000)) << b.summary();
  b.finish();
  for (unsigned from = 0; from < 2; ++from) {
    EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary() << "\n" << replay();
    EXPECT_EQ(b.lost(from), 0u);
  }
  b.check_credits_settle(1000);
}

// Default parameters at the largest latency: one DATA flit every 16 cycles each way.
TEST_P(LinkPortRtl, ZeroErrorLinkRunsAtFullRateAtTheLargestLatency) {
  // Both ways on both VCs, then one way alone on VC 0 and on VC 1 (credits back on CREDIT flits).
  for (int mode = 0; mode < 3; ++mode) {
    SCOPED_TRACE(mode);
    Bench b(GetParam().rtl, 256, seed() + static_cast<unsigned>(mode));
    ASSERT_TRUE(b.run_until_up(2000)) << b.summary();
    b.traffic.offer = {1.0, mode == 0 ? 1.0 : 0.0};
    b.traffic.vc1_share = mode == 0 ? 0.25 : mode == 1 ? 0.0 : 1.0;
    b.run(4000);
    const std::array<std::uint64_t, 2> before{b.sent(0), b.sent(1)};
    constexpr std::uint64_t kWindow = 16000;
    b.run(kWindow);
    for (unsigned from = 0; from < (mode == 0 ? 2u : 1u); ++from)
      EXPECT_GE(b.sent(from) - before[from], kWindow / 16 - 1) << "end " << from << " below full rate; " << b.summary();
    ASSERT_TRUE(b.drain(5000)) << b.summary();
    b.finish();
    for (unsigned from = 0; from < 2; ++from) EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary();
  }
}

TEST_P(LinkPortRtl, BitErrors) {
  for (const double ber : {1e-9, 1e-6, 1e-5, 1e-4}) {
    SCOPED_TRACE(ber);
    Bench b(GetParam().rtl, 96, seed() + static_cast<std::uint64_t>(ber * 1e12));
    b.traffic.offer = {0.08, 0.08};
    FaultConfig f;
    f.bit_error_rate = ber;
    run_faults(b, f, 15000, replay());
    for (unsigned from = 0; from < 2; ++from) EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary();
  }
}

TEST_P(LinkPortRtl, BurstsDropsDuplicatesStale) {
  Bench b(GetParam().rtl, 128, seed());
  b.traffic.offer = {0.08, 0.08};
  FaultConfig f;
  f.burst_rate = 0.01;
  f.drop_rate = 0.01;
  f.duplicate_rate = 0.01;
  f.stale_rate = 0.01;
  run_faults(b, f, 25000, replay());
  for (unsigned from = 0; from < 2; ++from) EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary();
}

TEST_P(LinkPortRtl, LongReceiverStallsLoseNothing) {
  Bench b(GetParam().rtl, 64, seed());
  b.traffic.offer = {0.3, 0.3};
  b.traffic.stall = {0.0005, 0.0005};
  b.traffic.stall_max = 15000;
  FaultConfig f;
  f.bit_error_rate = 1e-6;
  run_faults(b, f, 40000, replay());
  for (unsigned from = 0; from < 2; ++from) EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary();
}

// One-sided resets of either end in the middle of a flit, with stale (up to 15 flits old) and
// duplicated flits on the wire at the shortest latency, so that copies of an old session's
// flits reach the new session: only the epoch check keeps them out.
TEST_P(LinkPortRtl, OneSidedResetsMidFlit) {
  Bench b(GetParam().rtl, 48, seed());
  std::mt19937_64 rng(seed());
  b.traffic.offer = {0.1, 0.1};
  ASSERT_TRUE(b.run_until_up(2000)) << b.summary();
  FaultConfig f;
  f.stale_rate = 0.1;
  f.stale_window = 15;
  f.duplicate_rate = 0.05;
  b.channel(0).set_faults(f);
  b.channel(1).set_faults(f);
  for (int r = 0; r < 16; ++r) {
    b.run(1000 + rng() % 2000 + 7);  // odd offsets: mostly in the middle of a flit
    b.reset(rng() % 2);
  }
  b.run(5000);
  b.channel(0).set_faults(FaultConfig{});
  b.channel(1).set_faults(FaultConfig{});
  EXPECT_TRUE(b.drain(20000)) << b.summary() << "\n" << replay();
  b.finish();
  b.check_credits_settle(4000);
  EXPECT_GT(b.delivered(0) + b.delivered(1), 0u);
  for (unsigned s = 0; s < 2; ++s) EXPECT_FALSE(b.end(s).down()) << b.summary();
}

// A dead direction takes both ends down within the bound of docs/links.md section 2, never a
// hang; a reset of both brings traffic back.
TEST_P(LinkPortRtl, DeadDirectionTakesBothEndsDown) {
  for (unsigned dead = 0; dead < 2; ++dead) {
    SCOPED_TRACE(dead);
    Bench b(GetParam().rtl, 128, seed() + dead);
    b.traffic.offer = {0.1, 0.1};
    ASSERT_TRUE(b.run_until_up(2000)) << b.summary();
    b.run(2000);
    FaultConfig f;
    f.silent = {Window{b.cycle(), kForever}};
    b.channel(dead).set_faults(f);
    const Params p{};
    const std::uint64_t rt = 2 * 256 + p.ack_coalesce + p.flit_beats;
    const std::uint64_t bound = p.silence_limit + (p.replay_limit + 1) * p.replay_timeout +
                                2 * (p.retrain_limit + 1) * p.train_timeout + 4 * rt;
    const std::uint64_t start = b.cycle();
    while (b.cycle() - start < bound && !(b.end(0).down() && b.end(1).down())) b.step();
    ASSERT_TRUE(b.end(0).down() && b.end(1).down()) << "not both down after " << bound << " cycles; " << b.summary();
    for (unsigned s = 0; s < 2; ++s) EXPECT_EQ(b.end(s).reason(), static_cast<int>(LinkErrorReason::kRetrainLimit));
    b.channel(dead).set_faults(FaultConfig{});
    b.reset(0);
    b.reset(1);
    ASSERT_TRUE(b.run_until_up(3000)) << b.summary();
    const std::uint64_t sent_before = b.sent(0) + b.sent(1);
    b.run(5000);
    EXPECT_GT(b.sent(0) + b.sent(1), sent_before);
    ASSERT_TRUE(b.drain(10000)) << b.summary();
    b.finish();
  }
}

// Dropped DATA flits one way, ACKs, NAKs and credits held back up to 1000 cycles the other way,
// and both directions silent for 100..1000 cycles every 4000..8000 (a flapping link): no loss.
TEST_P(LinkPortRtl, DelaysAndFlappingLoseNothing) {
  Bench b(GetParam().rtl, 64, seed());
  std::mt19937_64 rng(seed());
  b.traffic.offer = {0.08, 0.03};
  b.traffic.stall = {0.001, 0.001};
  ASSERT_TRUE(b.run_until_up(2000)) << b.summary();
  std::array<FaultConfig, 2> f;
  f[0].drop_rate = 0.005;
  f[0].classes = class_bit(WireClass::kData);
  f[1].delay_rate = 0.02;
  f[1].delay_max = 1000;  // below SilenceLimit - KeepAlive: no retrain for silence
  f[1].classes = class_bit(WireClass::kIdle) | class_bit(WireClass::kNak) | class_bit(WireClass::kCredit);
  for (std::uint64_t t = b.cycle() + 3000; t < b.cycle() + 40000; t += 4000 + rng() % 4000) {
    const std::uint64_t len = 100 + rng() % 900;
    const unsigned ways = rng() % 3;
    if (ways != 1) f[0].silent.push_back({t, t + len});
    if (ways != 0) f[1].silent.push_back({t, t + len});
  }
  b.channel(0).set_faults(f[0]);
  b.channel(1).set_faults(f[1]);
  b.run(40000);
  b.channel(0).set_faults(FaultConfig{});
  b.channel(1).set_faults(FaultConfig{});
  EXPECT_TRUE(b.drain(60000)) << b.summary() << "\n" << replay();
  b.finish();
  b.check_credits_settle(3000);
  for (unsigned from = 0; from < 2; ++from) EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary();
}

// 1e-3 per bit (87% of flits hit): the link escalates to down, both ends are reset, again; nothing
// wrong is ever delivered, no protocol error; on a clean wire it recovers.
TEST_P(LinkPortRtl, BitErrorsAt1e3DeliverNothingWrongThroughDownsAndResets) {
  Bench b(GetParam().rtl, 48, seed());
  b.traffic.offer = {0.01, 0.01};
  FaultConfig f;
  f.bit_error_rate = 1e-3;
  b.channel(0).set_faults(f);
  b.channel(1).set_faults(f);
  unsigned downs = 0;
  while (b.cycle() < 150000 && !::testing::Test::HasFailure()) {
    b.run(1000);
    if (b.end(0).down() || b.end(1).down()) {
      for (int i = 0; i < 100000 && !(b.end(0).down() && b.end(1).down()); ++i) b.step();
      ++downs;
      b.reset(0);
      b.reset(1);
    }
  }
  b.channel(0).set_faults(FaultConfig{});
  b.channel(1).set_faults(FaultConfig{});
  b.reset(0);
  b.reset(1);
  ASSERT_TRUE(b.run_until_up(20000)) << b.summary();
  const std::uint64_t delivered = b.delivered(0) + b.delivered(1);
  b.traffic.offer = {0.05, 0.05};
  b.run(10000);
  EXPECT_TRUE(b.drain(50000)) << b.summary();
  b.finish();
  EXPECT_GT(b.delivered(0) + b.delivered(1), delivered + 100) << b.summary();
  EXPECT_GT(downs, 0u) << b.summary();
  for (unsigned s = 0; s < 2; ++s) {
    if (b.end(s).is_rtl) {
      EXPECT_EQ(rtl_counters(&b.end(s)).protocol_errors, 0u) << b.summary();
    }
  }
}

// Forged ACKs and NAKs at random towards the RTL end: it goes down with a protocol error, and
// nothing wrong is delivered on the way.
TEST_P(LinkPortRtl, RandomForgeriesEndInAProtocolError) {
  const unsigned victim = GetParam().rtl[0] ? 0 : 1;
  Bench b(GetParam().rtl, 64, seed());
  b.traffic.offer = {0.05, 0.05};
  ASSERT_TRUE(b.run_until_up(2000)) << b.summary();
  FaultConfig f;
  f.forge_rate = 0.002;
  f.drop_rate = 0.002;
  b.channel(1 - victim).set_faults(f);
  for (int i = 0; i < 400000 && !b.end(victim).down() && !::testing::Test::HasFailure(); ++i) b.step();
  ASSERT_TRUE(b.end(victim).down()) << b.summary();
  EXPECT_TRUE(is_protocol_error(static_cast<LinkErrorReason>(b.end(victim).reason()))) << b.summary();
  EXPECT_EQ(rtl_counters(&b.end(victim)).protocol_errors, 1u);
  b.channel(1 - victim).set_faults(FaultConfig{});
  b.drain(20000);
  b.finish();
}

// Management retrains (retrain_i) of the RTL ends in the middle of traffic and replays: nothing
// lost, nothing duplicated.
TEST_P(LinkPortRtl, RetrainRequestsLoseNothing) {
  Bench b(GetParam().rtl, 64, seed());
  std::mt19937_64 rng(seed());
  b.traffic.offer = {0.1, 0.1};
  FaultConfig f;
  f.bit_error_rate = 1e-5;
  ASSERT_TRUE(b.run_until_up(2000)) << b.summary();
  b.channel(0).set_faults(f);
  b.channel(1).set_faults(f);
  unsigned requests = 0;
  for (int r = 0; r < 8; ++r) {
    b.run(1500 + rng() % 1500);
    const unsigned side = GetParam().rtl[0] && (!GetParam().rtl[1] || rng() % 2 == 0) ? 0 : 1;
    if (b.end(side).up_confirmed()) ++requests;
    b.end(side).request_retrain();
  }
  b.run(3000);
  b.channel(0).set_faults(FaultConfig{});
  b.channel(1).set_faults(FaultConfig{});
  EXPECT_TRUE(b.drain(30000)) << b.summary() << "\n" << replay();
  b.finish();
  b.check_credits_settle(3000);
  for (unsigned from = 0; from < 2; ++from) EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary();
  std::uint64_t retrains = 0;
  for (unsigned s = 0; s < 2; ++s) {
    if (b.end(s).is_rtl) retrains += rtl_counters(&b.end(s)).retrains;
  }
  EXPECT_GE(retrains, requests) << b.summary();
}

// The model with the parameters of Params::for_latency(32) (7 replay and 7 RX entries per VC,
// 336-cycle timeouts) against the C++ port with the same, at latency 48 (credit and replay-buffer
// stalls all the time), under bit errors, drops, duplicates, stale flits, receiver stalls and
// resets of either end.
TEST_P(LinkPortRtl, SmallParametersUnderFaults) {
  Bench b(GetParam().rtl, 48, seed(), RtlModel::kLatency32);
  std::mt19937_64 rng(seed());
  b.traffic.offer = {0.3, 0.3};
  b.traffic.stall = {0.002, 0.002};
  b.traffic.stall_max = 2000;
  ASSERT_TRUE(b.run_until_up(1000)) << b.summary();
  b.run(5000);
  FaultConfig f;
  f.bit_error_rate = 1e-5;
  f.drop_rate = 0.005;
  f.duplicate_rate = 0.005;
  f.stale_rate = 0.005;
  b.channel(0).set_faults(f);
  b.channel(1).set_faults(f);
  b.run(20000);
  for (int r = 0; r < 3; ++r) {
    b.reset(rng() % 2);
    b.run(3000 + rng() % 1000);
  }
  b.channel(0).set_faults(FaultConfig{});
  b.channel(1).set_faults(FaultConfig{});
  EXPECT_TRUE(b.drain(30000)) << b.summary() << "\n" << replay();
  b.finish();
  b.check_credits_settle(2000);
  EXPECT_GT(b.delivered(0) + b.delivered(1), 1000u) << b.summary();
}

// Every fault class at once, at random latencies from 48 to 256: nothing lost.
TEST_P(LinkPortRtl, EveryFaultAtOnceAtRandomLatencies) {
  std::mt19937_64 rng(seed());
  for (int run = 0; run < 3; ++run) {
    const unsigned latency = 48 + static_cast<unsigned>(rng() % 209);
    SCOPED_TRACE(latency);
    Bench b(GetParam().rtl, latency, seed() + static_cast<unsigned>(run));
    b.traffic.offer = {0.1, 0.1};
    b.traffic.stall = {0.001, 0.001};
    FaultConfig f;
    f.bit_error_rate = 1e-6;
    f.burst_rate = 0.002;
    f.drop_rate = 0.002;
    f.duplicate_rate = 0.002;
    f.stale_rate = 0.002;
    f.delay_rate = 0.002;
    f.delay_max = 500;
    run_faults(b, f, 20000, replay());
    for (unsigned from = 0; from < 2; ++from) EXPECT_EQ(b.delivered_bytes(from), b.sent_bytes(from)) << b.summary();
  }
}

INSTANTIATE_TEST_SUITE_P(Pairs, LinkPortRtl, ::testing::ValuesIn(kPairs),
                         [](const ::testing::TestParamInfo<Pair>& i) { return std::string(i.param.name); });

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
