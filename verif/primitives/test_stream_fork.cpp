// stream_fork (rtl/common/stream_fork.sv) with 1, 2 and 3 downstream ports (one Verilated model
// each; dma_rd and dma_wr use 2) against the reference model of stream_fork_bench.hpp: every cycle
// each out_valid_o bit and in_ready_o equal the model's, and at the end the log shows each
// transfer delivered exactly once to each selected port, never to another, in order, and nothing
// of a transfer dropped by clr_i after that cycle.
// Random cases: random select masks, random back-pressure on every port, random gaps, random clr_i.
// Corner cases, by name: NoPortSelected, AllReadyAtOnce, OnePortStallsLong, ClrMidTransfer.
// Every test runs once per port count: Ports/StreamFork.<test>/Out<n>.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "Vstream_fork_n1.h"
#include "Vstream_fork_n2.h"
#include "Vstream_fork_n3.h"
#include "stream_fork_bench.hpp"
#include "test_seed.hpp"

namespace systole::verif::fork {
namespace {

// The bench and its end checks on the model with N ports; the first error (empty if none).
template <class Model, unsigned N>
std::string run_model(std::uint64_t cycles, const Driver& drive, Stats& stats) {
  Bench<Model, N> b;
  std::string err = b.run(cycles, drive);
  if (err.empty()) err = b.finish();
  stats = b.stats();
  return err;
}

std::string run_ports(unsigned n, std::uint64_t cycles, const Driver& drive, Stats& stats) {
  switch (n) {
    case 1: return run_model<Vstream_fork_n1, 1>(cycles, drive, stats);
    case 2: return run_model<Vstream_fork_n2, 2>(cycles, drive, stats);
    case 3: return run_model<Vstream_fork_n3, 3>(cycles, drive, stats);
    default: throw std::invalid_argument(fmt::format("no stream_fork model with {} ports", n));
  }
}

// Probabilities per cycle for the random driver.
struct Knobs {
  double p_offer = 0.7;  // a new transfer is presented (when none is)
  double p_sel = 0.7;    // per port, in a new transfer's select
  double p_ready = 0.6;  // per port, out_ready_i high (whether or not it is offered valid)
  double p_clr = 0.01;   // clr_i
};

class StreamFork : public ::testing::TestWithParam<unsigned> {
 protected:
  StreamFork() : n_(GetParam()), all_((1u << n_) - 1), last_(1u << (n_ - 1)), rng_(test_seed()) {}

  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::uint32_t mask(double p) {
    std::uint32_t m = 0;
    for (unsigned i = 0; i < n_; ++i) m |= chance(p) ? 1u << i : 0u;
    return m;
  }
  Driver random_driver(const Knobs& k) {
    return [this, k](const View&) {
      return Inputs{.offer = chance(k.p_offer), .sel = mask(k.p_sel), .ready = mask(k.p_ready), .clr = chance(k.p_clr)};
    };
  }

  // Runs the bench and prints the statistics. A failure prints the replay command; the tests
  // then return at once (a failed run's statistics say nothing).
  Stats run(std::uint64_t cycles, const Driver& drive) {
    Stats s;
    const std::string err = run_ports(n_, cycles, drive, s);
    EXPECT_EQ(err, "") << replay_command(fmt::format("stream_fork NumOut={}", n_));
    fmt::print("[stream_fork NumOut={}] {} cycles: {} transfers completed ({} selecting no port), {} dropped by "
               "clr_i ({} after a port took them), {} port handshakes, longest wait {}\n",
               n_, s.cycles, s.completed, s.none_selected, s.dropped, s.dropped_partial, s.port_takes, s.max_wait);
    return s;
  }

  const unsigned n_;
  const std::uint32_t all_, last_;  // every port; the last port
  std::mt19937_64 rng_;
};

// Everything random at once: the stimulus must reach the interesting states, checked below.
TEST_P(StreamFork, RandomTraffic) {
  const Stats s = run(100000, random_driver({}));
  if (HasFailure()) return;
  EXPECT_GT(s.completed, 10000u);
  EXPECT_GT(s.none_selected, 50u);
  EXPECT_GT(s.dropped, 100u);
  EXPECT_GT(s.clr_with_handshake, 50u);
  if (n_ > 1) {
    EXPECT_GT(s.partial_cycles, 1000u);  // some ports served, the others still waiting
    EXPECT_GT(s.dropped_partial, 20u);
  }
}

// Rarely ready, every port almost always selected: transfers wait long, taken one port at a time.
TEST_P(StreamFork, HeavyBackPressure) {
  const Stats s = run(100000, random_driver({.p_offer = 0.9, .p_sel = 0.9, .p_ready = 0.15, .p_clr = 0.003}));
  if (HasFailure()) return;
  EXPECT_GT(s.completed, 3000u);
  EXPECT_GT(s.max_wait, 20u);
}

// clr_i in one cycle of ten: most transfers are dropped, many after a port took them.
TEST_P(StreamFork, FrequentClr) {
  const Stats s = run(50000, random_driver({.p_offer = 0.8, .p_sel = 0.8, .p_ready = 0.3, .p_clr = 0.1}));
  if (HasFailure()) return;
  EXPECT_GT(s.dropped, 2000u);
  EXPECT_GT(s.completed, 5000u);
  if (n_ > 1) {
    EXPECT_GT(s.dropped_partial, 500u);
  }
}

// A transfer that selects no port is taken upstream in its first cycle, whatever the ports' ready,
// and no port sees a valid (the per-cycle check).
TEST_P(StreamFork, NoPortSelected) {
  const Stats s = run(
      5000, [this](const View&) { return Inputs{.offer = chance(0.8), .sel = 0, .ready = mask(0.5), .clr = false}; });
  if (HasFailure()) return;
  EXPECT_GT(s.completed, 3000u);
  EXPECT_EQ(s.none_selected, s.completed);
  EXPECT_EQ(s.port_takes, 0u);
  EXPECT_EQ(s.max_wait, 0u);
}

// Every port ready every cycle and a transfer offered every cycle: one transfer per cycle, each
// selected port takes it in that same cycle.
TEST_P(StreamFork, AllReadyAtOnce) {
  const Stats s =
      run(5000, [this](const View&) { return Inputs{.offer = true, .sel = mask(0.7), .ready = all_, .clr = false}; });
  if (HasFailure()) return;
  EXPECT_EQ(s.completed, 5000u);
  EXPECT_EQ(s.max_wait, 0u);
  EXPECT_EQ(s.partial_cycles, 0u);
}

// The last port is held not ready for 300 cycles of each transfer while the others are always
// ready: they take it in its first cycle and are not offered it again (per-cycle check), the
// upstream waits 300 cycles.
TEST_P(StreamFork, OnePortStallsLong) {
  constexpr std::uint64_t kStall = 300;
  const Stats s = run(20 * (kStall + 1), [this](const View& v) {
    const bool stalled = !v.presenting || v.age < kStall;  // !presenting: a transfer starts now
    return Inputs{.offer = true, .sel = all_, .ready = stalled ? all_ & ~last_ : all_, .clr = false};
  });
  if (HasFailure()) return;
  EXPECT_EQ(s.completed, 20u);
  EXPECT_EQ(s.max_wait, kStall);
  EXPECT_EQ(s.port_takes, 20u * n_);
  if (n_ > 1) {
    EXPECT_EQ(s.partial_cycles, 20u * kStall);
  }
}

// Transfers alternate: the first of each pair selects every port, all but the last take it in
// its first cycle, and clr_i drops it 1..8 cycles later while the last port still waits; the
// second (offered in the next cycle) goes to every port again and completes, and nothing of the
// dropped one reaches a port after its clr_i cycle (end checks).
TEST_P(StreamFork, ClrMidTransfer) {
  bool drop = false;
  std::uint64_t clr_age = 0;
  const Stats s = run(4000, [&, this](const View& v) {
    Inputs in{.offer = true, .sel = all_, .ready = all_ & ~last_, .clr = false};
    if (!v.presenting) {  // a new transfer starts in this cycle
      drop = !drop;
      clr_age = 1 + rng_() % 8;
    } else if (drop) {
      in.clr = v.age == clr_age;
    } else {
      in.ready = all_;
    }
    return in;
  });
  if (HasFailure()) return;
  EXPECT_GT(s.dropped, 300u);
  EXPECT_GE(s.completed + 1, s.dropped);
  EXPECT_EQ(s.clr_with_handshake, 0u);
  if (n_ > 1) {
    EXPECT_EQ(s.dropped_partial, s.dropped);
  }
}

INSTANTIATE_TEST_SUITE_P(Ports, StreamFork, ::testing::Values(1u, 2u, 3u),
                         [](const ::testing::TestParamInfo<unsigned>& p) { return "Out" + std::to_string(p.param); });

}  // namespace
}  // namespace systole::verif::fork
