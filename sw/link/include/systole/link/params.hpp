// The link port's parameters (docs/links.md sections 2 and 3): buffer depths, limits and timers,
// their defaults, the sizing rule that keeps a zero-error link at full rate, and validation.
#pragma once

#include <array>

#include "systole/link/flit.hpp"

namespace systole::link {

// The largest one-way channel latency (cycles) the defaults are sized for.
inline constexpr unsigned kMaxLatency = 256;

// Cycles from a port emitting a flit to the latest cycle at which the ACK (or the credit) it
// causes is processed back at that port, for a channel of one-way `latency` cycles (latency
// counts everything between the two ports' flit decisions: serialization, wire, pipelines):
// latency + AckCoalesce + one flit slot of alignment + latency = 2L + C + FlitBeats.
unsigned round_trip_cycles(unsigned latency, unsigned flit_beats, unsigned ack_coalesce);

// The replay buffer depth (flits) that never stalls a zero-error link sending a flit every
// FlitBeats cycles: ceil(round trip / FlitBeats). Credits have the same loop, so the same number
// of RX entries per VC keeps a VC at full rate (min_rx_flits).
unsigned min_replay_flits(unsigned latency, unsigned flit_beats, unsigned ack_coalesce);
unsigned min_rx_flits(unsigned latency, unsigned flit_beats, unsigned ack_coalesce);

struct Params {
  unsigned flit_beats = 16;                     // cycles a flit occupies the wire (256 bytes / LinkBits)
  unsigned ack_coalesce = 32;                   // cycles an ACK or a credit may wait for a flit to ride on
  unsigned replay_flits = 35;                   // replay buffer depth: min_replay_flits(kMaxLatency, 16, 32)
  std::array<unsigned, kVcs> rx_flits{35, 35};  // RX buffer per VC, each at full rate (dateline VCs)
  unsigned replay_limit = 4;                    // consecutive replays without forward progress before a retrain
  unsigned retrain_limit = 3;                   // retrains without forward progress before the link goes down
  unsigned replay_timeout = 1680;               // 3 x round trip (560 cycles at latency 256)
  unsigned train_timeout = 1680;                // a handshake not done by then has failed (3 x round trip)
  unsigned train_interval = 32;                 // TRAIN repeat while training, unless news (2 flit slots)
  unsigned keepalive = 560;                     // an IDLE when nothing was sent for this long (1 x round trip)
  unsigned silence_limit = 1680;                // no valid flit received for this long: retrain (3 x round trip)

  // The parameters for a channel of one-way `latency` cycles: buffers at their minimum for full
  // rate, timers from the round trip as above. Params{} == for_latency(kMaxLatency).
  static Params for_latency(unsigned latency, unsigned flit_beats = 16, unsigned ack_coalesce = 32);

  // Throws std::invalid_argument naming the parameter, its value and the range expected.
  void validate() const;

  bool operator==(const Params&) const = default;
};

}  // namespace systole::link
