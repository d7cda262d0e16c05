// The link port's parameters (params.hpp).
#include "systole/link/params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace systole::link {

namespace {

void check_range(const char* name, unsigned v, unsigned lo, unsigned hi, const char* why) {
  if (v < lo || v > hi)
    throw std::invalid_argument(fmt::format("link Params.{} = {}: expected {}..{} ({})", name, v, lo, hi, why));
}

}  // namespace

unsigned round_trip_cycles(unsigned latency, unsigned flit_beats, unsigned ack_coalesce) {
  return 2 * latency + ack_coalesce + flit_beats;
}

unsigned min_replay_flits(unsigned latency, unsigned flit_beats, unsigned ack_coalesce) {
  if (flit_beats == 0) throw std::invalid_argument("min_replay_flits: flit_beats = 0, expected at least 1");
  const unsigned rt = round_trip_cycles(latency, flit_beats, ack_coalesce);
  return (rt + flit_beats - 1) / flit_beats;
}

unsigned min_rx_flits(unsigned latency, unsigned flit_beats, unsigned ack_coalesce) {
  return min_replay_flits(latency, flit_beats, ack_coalesce);
}

Params Params::for_latency(unsigned latency, unsigned flit_beats, unsigned ack_coalesce) {
  Params p;
  p.flit_beats = flit_beats;
  p.ack_coalesce = ack_coalesce;
  p.replay_flits = min_replay_flits(latency, flit_beats, ack_coalesce);
  // Both VCs at full rate: on a ring's dateline link all traffic rides VC 1 (docs/links.md 5).
  p.rx_flits = {min_rx_flits(latency, flit_beats, ack_coalesce), min_rx_flits(latency, flit_beats, ack_coalesce)};
  const unsigned rt = round_trip_cycles(latency, flit_beats, ack_coalesce);
  p.replay_timeout = 3 * rt;
  p.train_timeout = 3 * rt;
  p.train_interval = 2 * flit_beats;
  p.keepalive = rt;
  p.silence_limit = 3 * rt;
  return p;
}

void Params::validate() const {
  if (!std::has_single_bit(flit_beats) || flit_beats > 64)
    throw std::invalid_argument(fmt::format(
        "link Params.flit_beats = {}: expected a power of two 1..64 (the 2048-bit flit in beats of LinkBits)",
        flit_beats));
  check_range("ack_coalesce", ack_coalesce, 0, 1u << 16, "cycles");
  check_range("replay_flits", replay_flits, 1, 1023,
              "a window of at most 1023 flits keeps every ACK of the 4096 sequence numbers unambiguous");
  for (unsigned vc = 0; vc < kVcs; ++vc) {
    const auto name = fmt::format("rx_flits[{}]", vc);
    check_range(name.c_str(), rx_flits[vc], 1, 127, "an 8-bit credit field must exceed any legal credit return");
  }
  check_range("replay_limit", replay_limit, 1, 255, "replays before a retrain");
  check_range("retrain_limit", retrain_limit, 0, 255, "retrains before the link goes down");
  check_range("replay_timeout", replay_timeout, 2 * flit_beats, 1u << 24, "cycles, at least two flit slots");
  check_range("train_timeout", train_timeout, 4 * flit_beats, 1u << 24, "cycles, at least four flit slots");
  check_range("train_interval", train_interval, flit_beats, std::max(flit_beats, train_timeout / 2),
              "cycles, one flit slot to half the train timeout");
  check_range("keepalive", keepalive, flit_beats, 1u << 24, "cycles, at least one flit slot");
  if (silence_limit < 2 * keepalive + 2 * flit_beats || silence_limit > (1u << 25))
    throw std::invalid_argument(
        fmt::format("link Params.silence_limit = {}: expected {}..{} (at least two keep-alive periods and two flit "
                    "slots, or a live idle peer would look silent)",
                    silence_limit, 2 * keepalive + 2 * flit_beats, 1u << 25));
}

}  // namespace systole::link
