// The link tests' user above the link layer: random packets both ways on both VCs, random
// receiver stalls, and a scoreboard that checks every delivery (docs/links.md section 6).
//
// Scoreboard rules, per direction and VC (the link keeps order within a VC):
//  - a delivered packet is the oldest one sent and not yet delivered, byte for byte; packets
//    before it may be skipped (lost) only if the sender or the receiver started a fresh session
//    (a reset of either end) after they were sent;
//  - a packet is never delivered by a receiver that started a fresh session after it was sent
//    (nothing from before a reset is delivered after it);
//  - at the end, after draining, every packet not delivered was sent before a fresh session or
//    the link went down.
// Seeds: SYSTOLE_SEED fixes the run's base seed (otherwise a random one); each test mixes in its
// name; every failure prints the command that replays it. SYSTOLE_LINK_VERBOSE=1 prints each
// run's counters at finish().
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <random>
#include <string>

#include "systole/link/link.hpp"

namespace systole::link::test {

std::uint64_t base_seed();
std::uint64_t test_seed();     // the base seed mixed with the current test's name
std::string replay_command();  // "replay: SYSTOLE_SEED=<base> <binary> --gtest_filter=<test>"

// A channel without faults of `latency` cycles.
ChannelConfig clean_channel(unsigned latency, std::uint64_t seed);

struct Traffic {
  std::array<double, 2> offer{0.05, 0.05};  // per side and cycle: probability of a new packet
  double vc1_share = 0.25;                  // of the packets, on the control VC
  std::array<double, 2> stall{0.0, 0.0};    // per side and cycle: probability a receiver stall starts
  unsigned stall_max = 200;                 // a stall lasts 1..stall_max cycles
};

class Harness {
 public:
  Harness(Link& link, std::uint64_t seed) : link_(link), rng_(seed) {}

  Traffic traffic;
  bool offering = true;  // false: no new packets (drain)

  // One cycle: the link steps, then each side's user sends and receives, and the invariants are
  // checked (replay buffer, RX buffers and credits within their bounds).
  void step();
  void run(std::uint64_t cycles);
  // Stops new packets and runs until everything sent is delivered or accounted for (a fresh
  // session or the link down), at most `max_cycles`. True when nothing is left in flight.
  bool drain(std::uint64_t max_cycles);
  // The final checks: undelivered packets all excused, CRC errors counted exactly.
  void finish();
  void check_crc_accounting() const;
  // Clears the channels' faults, runs `cycles` idle cycles and checks both ports are up and every
  // credit came back (each holds exactly the peer's RxFlits per VC): credits stayed in sync.
  void check_credits_settle(std::uint64_t cycles);

  std::uint64_t sent(unsigned from) const { return sent_[from]; }
  std::uint64_t delivered(unsigned from) const { return delivered_[from]; }
  std::uint64_t sent_bytes(unsigned from) const { return sent_bytes_[from]; }
  std::uint64_t delivered_bytes(unsigned from) const { return delivered_bytes_[from]; }
  std::uint64_t lost(unsigned from) const { return lost_[from]; }  // excused losses
  std::uint64_t in_flight() const;
  std::string summary() const;

 private:
  struct Sent {
    Packet p;
    std::uint64_t cycle = 0;
    std::uint64_t tx_session = 0, rx_session = 0;
  };
  bool excused(unsigned from, const Sent& s) const;
  void purge(unsigned from);
  void offer(unsigned side);
  void consume(unsigned side);
  void check_delivery(unsigned to, const Packet& p);

  Link& link_;
  std::mt19937_64 rng_;
  std::array<std::array<std::deque<Sent>, kVcs>, 2> flight_;  // [from][vc]
  std::array<std::array<std::optional<Packet>, kVcs>, 2> next_;
  std::array<std::uint64_t, 2> stall_until_{};
  std::array<std::uint64_t, 2> sent_{}, delivered_{}, sent_bytes_{}, delivered_bytes_{}, lost_{};
  std::uint32_t id_ = 0;
};

// Steps `h` until `done()` or `limit` cycles; true if done.
template <typename F>
bool run_until(Harness& h, std::uint64_t limit, F done) {
  for (std::uint64_t i = 0; i < limit; ++i) {
    if (done()) return true;
    h.step();
  }
  return done();
}

}  // namespace systole::link::test
