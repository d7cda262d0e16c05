// The link port's TX path: which flit goes out in a free slot (port.hpp; docs/links.md
// sections 2 to 4). Priority in the UP state: TRAIN(done) reply, NAK, replay, a new packet
// (round-robin between the VCs), a CREDIT flit, an IDLE (coalesced ACK or keep-alive). While
// training: TRAIN flits only.
#include "systole/link/port.hpp"

#include <algorithm>

namespace systole::link {

// Epoch and the current cumulative ACK on a flit about to be sent (every transmission, replays
// too: a replayed flit keeps its sequence number, packet and credits, and carries the ACK of now).
void Port::stamp(Flit& f) {
  f.epoch = static_cast<std::uint8_t>(epoch_ % kEpochMod);
  if (f.kind == FlitKind::kData || f.kind == FlitKind::kCredit || f.kind == FlitKind::kIdle) {
    f.ack_valid = rx_any_;
    f.ack = rx_any_ ? static_cast<std::uint16_t>((rx_expected_ + kSeqMod - 1) % kSeqMod) : 0;
    ack_pending_ = ack_force_ = false;
  }
  if (f.kind == FlitKind::kData || f.kind == FlitKind::kCredit) {
    if (!timer_running_) {
      timer_running_ = true;  // runs while something is outstanding
      timer_start_ = now_;
    }
  }
}

Flit Port::train_flit(bool done) const {
  Flit t;
  t.kind = FlitKind::kControl;
  t.payload[0] = static_cast<std::uint8_t>(ControlOp::kTrain);
  t.payload[1] = static_cast<std::uint8_t>((epoch_fresh_ ? kTrainFresh : 0) | (done ? kTrainDone : 0));
  t.epoch = static_cast<std::uint8_t>(epoch_ % kEpochMod);
  set_payload_u32(t, kTrainEpochAt, epoch_);
  t.seq = rx_expected_;  // where this end resumes receiving
  t.ack_valid = heard_;
  if (heard_) set_payload_u32(t, kTrainEchoAt, peer_epoch_);  // the echo of the peer's epoch
  for (unsigned vc = 0; vc < kVcs; ++vc) t.credits[vc] = static_cast<std::uint8_t>(params_.rx_flits[vc]);
  return t;
}

std::optional<Flit> Port::take_data() {
  bool credit_stall = false, replay_stall = false;
  for (unsigned k = 0; k < kVcs; ++k) {
    const unsigned vc = (last_vc_ + 1 + k) % kVcs;
    if (!staged_[vc]) continue;
    if (credits_[vc] == 0) {
      credit_stall = true;
      continue;
    }
    if (replay_.size() >= params_.replay_flits) {
      replay_stall = true;
      continue;
    }
    Packet& p = *staged_[vc];
    Flit f;
    f.kind = FlitKind::kData;
    f.vc = static_cast<std::uint8_t>(vc);
    f.dst = p.dst;
    f.len = static_cast<std::uint8_t>(p.bytes.size());
    std::copy(p.bytes.begin(), p.bytes.end(), f.payload.begin());
    f.seq = next_seq_;
    for (unsigned c = 0; c < kVcs; ++c) {
      f.credits[c] = static_cast<std::uint8_t>(pending_credits_[c]);
      pending_credits_[c] = 0;
    }
    replay_.push_back(f);
    resend_ = replay_.size();
    next_seq_ = static_cast<std::uint16_t>((next_seq_ + 1) % kSeqMod);
    --credits_[vc];
    last_vc_ = vc;
    staged_[vc].reset();
    ++counters_.data_flits_tx;
    counters_.payload_bytes_tx += f.len;
    stamp(f);
    return f;
  }
  if (credit_stall) ++counters_.credit_stalls;
  if (replay_stall) ++counters_.replay_full_stalls;
  return std::nullopt;
}

std::optional<Flit> Port::choose_flit() {
  if (state_ == PortState::kTrain) {
    // At once when there is news, else every TrainInterval: the wire stays partly idle, so a
    // channel that fell behind (a delay on a busy wire) drains while the ends retrain.
    if (!train_reply_ && now_ - last_train_ < params_.train_interval) return std::nullopt;
    train_reply_ = false;
    last_train_ = now_;
    return train_flit(false);
  }
  if (train_reply_) {
    train_reply_ = false;
    return train_flit(true);
  }
  if (!peer_up_) return std::nullopt;  // not confirmed yet: TRAIN(done) replies only
  Flit f;
  if (nak_pending_) {
    nak_pending_ = false;
    ++counters_.naks_sent;
    f.kind = FlitKind::kControl;
    f.payload[0] = static_cast<std::uint8_t>(ControlOp::kNak);
    f.seq = rx_expected_;
    stamp(f);
    return f;
  }
  if (resend_ < replay_.size()) {
    f = replay_[resend_++];
    ++counters_.replayed_flits;
    stamp(f);
    return f;
  }
  if (std::optional<Flit> d = take_data()) return d;
  const bool credits_waiting = pending_credits_[0] != 0 || pending_credits_[1] != 0;
  if (credits_waiting && now_ - credit_since_ >= params_.ack_coalesce && replay_.size() < params_.replay_flits) {
    f.kind = FlitKind::kCredit;
    f.seq = next_seq_;
    for (unsigned c = 0; c < kVcs; ++c) {
      f.credits[c] = static_cast<std::uint8_t>(pending_credits_[c]);
      pending_credits_[c] = 0;
    }
    replay_.push_back(f);
    resend_ = replay_.size();
    next_seq_ = static_cast<std::uint16_t>((next_seq_ + 1) % kSeqMod);
    stamp(f);
    return f;
  }
  if ((ack_pending_ && (ack_force_ || now_ - ack_since_ >= params_.ack_coalesce)) ||
      now_ - last_tx_ >= params_.keepalive) {
    f.kind = FlitKind::kIdle;
    stamp(f);
    return f;
  }
  return std::nullopt;
}

}  // namespace systole::link
