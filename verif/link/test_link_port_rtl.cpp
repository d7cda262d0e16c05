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

}  // namespace
}  // namespace systole::link::rtltest
