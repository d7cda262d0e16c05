// The bench of the RTL link port (rtl/link/link_port.sv) against the C++ reference model
// (sw/link): two ends, each the Verilated RTL port or a C++ systole::link::Port, joined by two
// systole::link::Channels with faults, a random user above each end and a scoreboard with the
// rules of sw/link/tests/link_harness.hpp (docs/links.md sections 6 and 9):
//  - per direction and VC a delivered packet is the oldest one not yet delivered, byte for byte;
//    packets before it may be skipped only if either end started a fresh session after they were
//    sent (or an end went down);
//  - nothing is delivered by a receiver that started a fresh session after it was sent;
//  - after draining, every packet not delivered is so excused.
// Every flit the RTL sends is checked for format conformance (systole::link::unpack: CRC good,
// fields within their ranges, unused fields zero); each end's CRC-error counter must equal the
// flits with a failing CRC delivered to it.
// The RTL end's wire: a flit the channel delivers at cycle c is driven as beats c..c+15; a flit
// the RTL sends is pushed into its channel in the cycle of its last beat. So an RTL end adds 16
// cycles to each direction's latency (the benches give its channels 16 cycles less).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "systole/link/channel.hpp"
#include "systole/link/port.hpp"

class Vlink_port;

namespace systole::link::rtltest {

// What the user of one end does in a cycle, and what happened.
struct UserIo {
  std::array<std::optional<Packet>, kVcs>* offer = nullptr;  // packets waiting to be sent
  bool stalled = false;                                      // the receiver pops nothing
  std::vector<unsigned> accepted;                            // VCs whose offer was taken
  std::vector<Packet> popped;
};

// The RTL end's counters, for the tests that need them.
struct RtlCounters {
  std::uint64_t flits_tx, flits_rx, bytes_tx, bytes_rx, crc_errors, replays, retrains, timeouts, link_downs,
      protocol_errors, sessions, epoch;
  bool down;
  int reason;
};

// One end of the link.
class End {
 public:
  virtual ~End() = default;
  // One cycle: the flit the RX channel delivers now (if any), the user's actions; returns the flit
  // to push into the TX channel this cycle.
  virtual std::optional<WireFlit> cycle(std::uint64_t now, const std::optional<WireFlit>& in, UserIo& io) = 0;
  virtual void reset() = 0;            // C++ reset() / the RTL's reset_i for one cycle, before the next cycle
  virtual void request_retrain() = 0;  // C++ request_retrain() / the RTL's retrain_i, likewise
  virtual std::uint64_t session() const = 0;
  virtual bool down() const = 0;
  virtual int reason() const = 0;  // LinkErrorReason as an int, when down
  virtual bool up_confirmed() const = 0;
  virtual unsigned credits(unsigned vc) const = 0;
  virtual std::uint64_t crc_errors() const = 0;
  // Flits with a bad CRC delivered to this end and not yet processed (the RTL's deserializer).
  virtual std::uint64_t bad_crc_pending() const { return 0; }
  virtual std::uint64_t flits_tx() const = 0;
  virtual std::uint64_t rx_held() const = 0;  // packets in the RX buffers
  virtual std::string describe() const = 0;
  virtual RtlCounters counters() const = 0;  // the RTL end's (not for a C++ end)
  bool is_rtl = false;
};

// The Verilated models of link_port: its default parameters (Params{}, sized for latency 256),
// and those of Params::for_latency(32) (7 replay and RX entries, 336-cycle timeouts).
enum class RtlModel { kDefault, kLatency32 };
Params model_params(RtlModel m);

std::unique_ptr<End> make_cpp_end(const Params& p, int id);
std::unique_ptr<End> make_rtl_end(int id, RtlModel m = RtlModel::kDefault);
RtlCounters rtl_counters(End* e);

struct Traffic {
  std::array<double, 2> offer{0.05, 0.05};
  double vc1_share = 0.25;
  std::array<double, 2> stall{0.0, 0.0};
  unsigned stall_max = 200;
};

class Bench {
 public:
  // rtl[s]: end s is the RTL port `model` (else the C++ port with the model's Params). latency:
  // each direction's total latency (an RTL end's channels get 16 cycles less).
  Bench(std::array<bool, 2> rtl, unsigned latency, std::uint64_t seed, RtlModel model = RtlModel::kDefault);
  ~Bench();

  Traffic traffic;
  bool offering = true;

  End& end(unsigned s) { return *ends_[s]; }
  Channel& channel(unsigned from) { return *channels_[from]; }
  std::uint64_t cycle() const { return now_; }

  void step();
  void run(std::uint64_t cycles);
  bool run_until_up(std::uint64_t limit);
  bool drain(std::uint64_t max_cycles);
  void finish();
  void check_credits_settle(std::uint64_t cycles);
  void reset(unsigned side);  // between cycles; the flit on the wire is cut

  std::uint64_t sent(unsigned from) const { return sent_[from]; }
  std::uint64_t delivered(unsigned from) const { return delivered_[from]; }
  std::uint64_t sent_bytes(unsigned from) const { return sent_bytes_[from]; }
  std::uint64_t delivered_bytes(unsigned from) const { return delivered_bytes_[from]; }
  std::uint64_t lost(unsigned from) const { return lost_[from]; }
  std::uint64_t bad_crc_delivered(unsigned to) const { return bad_crc_[to]; }
  std::string summary() const;

 private:
  struct Sent {
    Packet p;
    std::uint64_t cycle = 0, tx_session = 0, rx_session = 0;
  };
  bool excused(unsigned from, const Sent& s) const;
  void check_delivery(unsigned to, const Packet& p);
  void new_offers(unsigned side);

  Params params_;  // of every end
  std::array<std::unique_ptr<End>, 2> ends_;
  std::array<std::unique_ptr<Channel>, 2> channels_;
  std::mt19937_64 rng_;
  std::uint64_t now_ = 0;
  std::array<std::array<std::deque<Sent>, kVcs>, 2> flight_;
  std::array<std::array<std::optional<Packet>, kVcs>, 2> next_;
  std::array<std::uint64_t, 2> stall_until_{}, sent_{}, delivered_{}, sent_bytes_{}, delivered_bytes_{}, lost_{},
      bad_crc_{};
  std::uint32_t id_ = 0;
};

}  // namespace systole::link::rtltest
