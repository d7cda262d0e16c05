// The link port: construction, the user interface, the cycle step, and the state changes of
// bring-up, retrain, flush and link down (port.hpp; docs/links.md sections 2 and 4).
#include "systole/link/port.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace systole::link {

std::string to_string(LinkErrorReason r) {
  switch (r) {
    case LinkErrorReason::kRetrainLimit: return "retrain limit";
    case LinkErrorReason::kAckNotOutstanding: return "ACK not outstanding";
    case LinkErrorReason::kNakNotOutstanding: return "NAK not outstanding";
    case LinkErrorReason::kCreditOverflow: return "credit overflow";
    case LinkErrorReason::kRxOverflow: return "RX overflow";
    case LinkErrorReason::kBadResume: return "bad resume point";
    case LinkErrorReason::kBadFlit: return "impossible flit";
  }
  return "?";
}

std::string to_string(PortState s) {
  switch (s) {
    case PortState::kTrain: return "TRAIN";
    case PortState::kUp: return "UP";
    case PortState::kDown: return "DOWN";
  }
  return "?";
}

Port::Port(const Params& params, int port_id) : params_(params), port_id_(port_id) {
  params_.validate();
  start_train(true);
  flush();
}

// ---- the user ------------------------------------------------------------------------------------

bool Port::can_send(unsigned vc) const { return vc < kVcs && state_ == PortState::kUp && peer_up_ && !staged_[vc]; }

void Port::send(Packet p) {
  if (p.vc >= kVcs) throw std::invalid_argument(fmt::format("link send: vc {}, expected 0 or 1", p.vc));
  if (p.bytes.size() > kPayloadBytes)
    throw std::invalid_argument(
        fmt::format("link send: a packet of {} bytes, expected at most {}", p.bytes.size(), kPayloadBytes));
  if (!can_send(p.vc))
    throw std::logic_error(fmt::format("link send on port {} vc {}: not ready (state {}, register {}); call can_send",
                                       port_id_, p.vc, to_string(state_), staged_[p.vc] ? "full" : "free"));
  staged_[p.vc] = std::move(p);
}

std::size_t Port::rx_count(unsigned vc) const { return rx_queue_.at(vc).size(); }

std::optional<Packet> Port::receive(unsigned vc) {
  auto& q = rx_queue_.at(vc);
  if (q.empty()) return std::nullopt;
  Packet p = std::move(q.front());
  q.pop_front();
  if (pending_credits_[0] == 0 && pending_credits_[1] == 0) credit_since_ = now_;
  ++pending_credits_[vc];
  return p;
}

void Port::reset() {
  ++counters_.resets;
  error_.reset();
  rx_in_.reset();
  peer_known_ = false;
  retrain_num_ = 0;
  tx_free_at_ = now_;  // a flit cut off on the wire is the channel's (Link::reset truncates it)
  start_train(true);   // the epoch register survives the reset and counts it
  flush();
}

void Port::request_retrain() {
  if (state_ != PortState::kUp) return;
  ++counters_.retrains;
  start_train(false);
}

std::optional<std::uint64_t> Port::replay_deadline() const {
  if (!timer_running_) return std::nullopt;
  return timer_start_ + params_.replay_timeout;
}

// ---- the cycle -----------------------------------------------------------------------------------

void Port::deliver(const WireFlit& w) {
  if (rx_in_) throw std::logic_error(fmt::format("link port {}: two flits delivered in cycle {}", port_id_, now_));
  rx_in_ = w;
}

std::optional<WireFlit> Port::step() {
  if (rx_in_) {
    const WireFlit w = *rx_in_;
    rx_in_.reset();
    on_rx(w);
  }
  // Timers run after the RX path: an ACK arriving in the cycle the replay timer expires counts first.
  if (state_ == PortState::kUp && timer_running_ && now_ - timer_start_ >= params_.replay_timeout) {
    ++counters_.timeouts;
    trigger_replay();
  }
  if (state_ == PortState::kUp && now_ - last_rx_valid_ >= params_.silence_limit) {
    ++counters_.silences;
    start_retrain();
  }
  if (state_ == PortState::kTrain && now_ - train_since_ >= params_.train_timeout) start_retrain();

  std::optional<WireFlit> out;
  if (state_ != PortState::kDown && now_ >= tx_free_at_) {
    if (std::optional<Flit> f = choose_flit()) {
      out = pack(*f);
      ++counters_.flits_tx;
      tx_free_at_ = now_ + params_.flit_beats;
      last_tx_ = now_;
    }
  }
  ++now_;
  return out;
}

// ---- state changes -------------------------------------------------------------------------------

// Enters the handshake with a new epoch. A fresh one starts a new session (the caller flushes).
void Port::start_train(bool fresh) {
  state_ = PortState::kTrain;
  ++epoch_;
  epoch_fresh_ = fresh;
  heard_ = false;
  train_since_ = now_;
  train_reply_ = true;     // the first TRAIN of the handshake at once
  timer_running_ = false;  // the replay timer holds while training
  nak_pending_ = false;
  nak_episode_ = false;
  ack_pending_ = ack_force_ = false;
}

// A new session: sequence numbers from 0, credits from the handshake, nothing of before kept.
void Port::flush() {
  ++counters_.sessions;
  std::uint64_t lost = 0;
  for (const Flit& f : replay_) lost += f.kind == FlitKind::kData ? 1 : 0;
  for (unsigned vc = 0; vc < kVcs; ++vc) lost += (staged_[vc] ? 1 : 0) + rx_queue_[vc].size();
  counters_.flushed_packets += lost;
  replay_.clear();
  resend_ = 0;
  next_seq_ = 0;
  acked_ = kSeqMod - 1;
  timer_running_ = false;
  replay_num_ = 0;
  for (unsigned vc = 0; vc < kVcs; ++vc) {
    staged_[vc].reset();
    rx_queue_[vc].clear();
    credits_[vc] = max_credits_[vc] = pending_credits_[vc] = 0;
  }
  rx_expected_ = 0;
  rx_any_ = false;
  epoch_fresh_ = true;
}

// A retrain this port starts (replay limit, silence, or a handshake that timed out), or the link
// going down when RetrainLimit retrains in a row made no forward progress.
void Port::start_retrain() {
  if (retrain_num_ >= params_.retrain_limit) {
    go_down(LinkErrorReason::kRetrainLimit,
            fmt::format("{} retrains without forward progress (RetrainLimit {})", retrain_num_, params_.retrain_limit));
    return;
  }
  ++retrain_num_;
  ++counters_.retrains;
  // A handshake that never completed keeps its freshness: that session has not started yet.
  start_train(state_ == PortState::kTrain && epoch_fresh_);
}

void Port::go_down(LinkErrorReason reason, std::string detail) {
  state_ = PortState::kDown;
  ++counters_.link_downs;
  if (is_protocol_error(reason)) ++counters_.protocol_errors;
  error_ = LinkError{port_id_, reason, now_, std::move(detail)};
  timer_running_ = false;
}

bool Port::protocol_error(LinkErrorReason reason, std::string detail) {
  go_down(reason, std::move(detail));
  return false;
}

namespace {

// Epoch a is newer than b: ahead by less than half of the 32-bit space (older ones are stale).
bool newer(std::uint32_t a, std::uint32_t b) { return a != b && a - b < 0x80000000u; }

}  // namespace

// A valid TRAIN flit (CRC good), in any state but down.
void Port::on_train(const Flit& t) {
  const bool fresh = (t.payload[1] & kTrainFresh) != 0, done = (t.payload[1] & kTrainDone) != 0;
  const std::uint32_t te = payload_u32(t, kTrainEpochAt);
  if (te % kEpochMod != t.epoch)
    return void(protocol_error(LinkErrorReason::kBadFlit,
                               fmt::format("TRAIN with epoch {} whose low bits are not its header's {}", te, t.epoch)));
  if (state_ == PortState::kUp) {
    if (te == peer_epoch_) {
      if (done) peer_up_ = true;  // the peer completed too: the session is confirmed
      else train_reply_ = true;   // the peer still trains: tell it we are done
      return;
    }
    if (!newer(te, peer_epoch_)) {
      ++counters_.stale_control;  // an old TRAIN
      return;
    }
    // The peer started a handshake (its reset or its retrain): join it with a new epoch.
    ++counters_.retrain_joins;
    start_train(fresh);
    if (fresh) flush();
  }
  if (peer_known_ && te != peer_epoch_ && !newer(te, peer_epoch_)) {
    ++counters_.stale_control;
    return;
  }
  if (!heard_ || te != peer_epoch_) train_reply_ = true;  // news: echo it at once
  peer_epoch_ = te;
  peer_known_ = true;
  heard_ = true;
  if (fresh && !epoch_fresh_) {
    flush();  // the peer was reset: this session ends here too
    train_reply_ = true;
  }
  if (t.ack_valid && payload_u32(t, kTrainEchoAt) == epoch_) complete_handshake(t);
}

// The peer's TRAIN echoes this port's epoch: both know the pair; resume or start the session.
void Port::complete_handshake(const Flit& t) {
  if (epoch_fresh_) {
    for (unsigned vc = 0; vc < kVcs; ++vc) {
      if (t.credits[vc] == 0 || t.credits[vc] > 127)
        return void(protocol_error(
            LinkErrorReason::kBadFlit,
            fmt::format("TRAIN advertises {} RX entries for vc {}, expected 1..127", t.credits[vc], vc)));
      max_credits_[vc] = credits_[vc] = t.credits[vc];
    }
  } else {
    // The peer's resume point acknowledges everything before it; the rest is sent again.
    const unsigned fwd = (t.seq + kSeqMod - 1 - acked_) % kSeqMod;
    if (fwd > replay_.size())
      return void(protocol_error(
          LinkErrorReason::kBadResume,
          fmt::format("peer resumes at sequence {}, expected {}..{}", t.seq, (acked_ + 1) % kSeqMod, next_seq_)));
    if (!on_ack(static_cast<std::uint16_t>((t.seq + kSeqMod - 1) % kSeqMod), LinkErrorReason::kBadResume)) return;
    resend_ = 0;
  }
  if (replay_.empty()) retrain_num_ = 0;  // nothing left to prove: the retrain succeeded
  state_ = PortState::kUp;
  ++counters_.handshakes;
  train_reply_ = true;  // one TRAIN(done) so the peer completes too
  // Until the peer shows it completed too (its TRAIN(done) or any flit of its epoch), nothing but
  // TRAIN(done) goes out: should its handshake time out and start afresh, nothing was sent.
  peer_up_ = (t.payload[1] & kTrainDone) != 0;
  last_rx_valid_ = now_;
  last_tx_ = now_;
}

}  // namespace systole::link
