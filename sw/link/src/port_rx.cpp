// The link port's RX path: CRC, epoch and sequence checks, ACKs, NAKs, credits, replay triggers
// (port.hpp; docs/links.md sections 2 and 3).
#include "systole/link/port.hpp"

#include <fmt/format.h>

namespace systole::link {

namespace {

// (a - b) mod 4096: how far sequence number a is ahead of b.
unsigned seq_ahead(unsigned a, unsigned b) { return (a + kSeqMod - b) % kSeqMod; }

}  // namespace

void Port::on_rx(const WireFlit& w) {
  ++counters_.flits_rx;
  const Unpacked u = unpack(w);
  if (!u.crc_ok) {
    ++counters_.crc_errors;
    if (state_ == PortState::kUp && !nak_episode_) nak_episode_ = nak_pending_ = true;
    return;
  }
  if (state_ == PortState::kDown) return;
  const Flit& f = u.flit;
  if (f.kind == FlitKind::kControl && f.payload[0] == static_cast<std::uint8_t>(ControlOp::kTrain)) {
    on_train(f);
    return;
  }
  if (state_ != PortState::kUp || f.epoch != peer_epoch_ % kEpochMod) {
    ++counters_.epoch_drops;  // before this handshake, or of another session
    return;
  }
  last_rx_valid_ = now_;
  peer_up_ = true;  // a flit of the peer's epoch: it completed the handshake
  switch (f.kind) {
    case FlitKind::kControl:
      if (f.payload[0] != static_cast<std::uint8_t>(ControlOp::kNak)) {
        protocol_error(LinkErrorReason::kBadFlit, fmt::format("CONTROL flit with op {}", f.payload[0]));
        return;
      }
      ++counters_.naks_rx;
      on_nak(f.seq);
      return;
    case FlitKind::kIdle:
      if (f.credits[0] != 0 || f.credits[1] != 0) {
        protocol_error(LinkErrorReason::kBadFlit,
                       fmt::format("IDLE flit returns credits {}/{} (credits ride on sequenced flits only)",
                                   f.credits[0], f.credits[1]));
        return;
      }
      if (f.ack_valid) on_ack(f.ack, LinkErrorReason::kAckNotOutstanding);
      return;
    case FlitKind::kData:
    case FlitKind::kCredit:
      if (f.ack_valid && !on_ack(f.ack, LinkErrorReason::kAckNotOutstanding)) return;
      on_sequenced(f);
      return;
  }
}

// A cumulative ACK of sequence number `ack`. Up to what is outstanding: forward progress. In the
// half of the sequence space behind the last ACK: an old ACK (a duplicate or stale flit), ignored.
// In the half ahead but beyond what was sent: a protocol error. False when the link went down.
bool Port::on_ack(std::uint16_t ack, LinkErrorReason reason) {
  const unsigned fwd = seq_ahead(ack, acked_);
  if (fwd == 0) return true;
  if (fwd <= replay_.size()) {
    replay_.erase(replay_.begin(), replay_.begin() + fwd);
    resend_ = resend_ > fwd ? resend_ - fwd : 0;
    acked_ = ack;
    replay_num_ = 0;
    retrain_num_ = 0;
    timer_running_ = !replay_.empty();  // restarts on forward progress, cleared when nothing is left
    timer_start_ = now_;
    return true;
  }
  if (fwd < kSeqMod / 2)
    return protocol_error(reason, fmt::format("{} of sequence {}: sent up to {}, acknowledged up to {}",
                                              reason == LinkErrorReason::kNakNotOutstanding ? "NAK" : "ACK",
                                              reason == LinkErrorReason::kNakNotOutstanding ? (ack + 1) % kSeqMod : ack,
                                              (next_seq_ + kSeqMod - 1) % kSeqMod, acked_));
  ++counters_.stale_control;
  return true;
}

// NAK(e): everything before e arrived, resend from e (go-back-N).
void Port::on_nak(std::uint16_t expected) {
  const auto ack = static_cast<std::uint16_t>((expected + kSeqMod - 1) % kSeqMod);
  if (seq_ahead(ack, acked_) >= kSeqMod / 2) {
    ++counters_.stale_control;  // an old NAK
    return;
  }
  if (!on_ack(ack, LinkErrorReason::kNakNotOutstanding)) return;
  // With nothing of the current pass sent yet, a replay is already scheduled (a duplicate NAK).
  if (!replay_.empty() && resend_ > 0) trigger_replay();
}

void Port::trigger_replay() {
  if (replay_num_ >= params_.replay_limit) {
    replay_num_ = 0;
    start_retrain();
    return;
  }
  ++replay_num_;
  ++counters_.replays;
  resend_ = 0;
  timer_running_ = false;  // starts again with the first flit sent again
}

void Port::note_ack_pending(bool force) {
  if (!ack_pending_) ack_since_ = now_;
  ack_pending_ = true;
  ack_force_ = ack_force_ || force;
}

// A valid DATA or CREDIT flit of the current session.
void Port::on_sequenced(const Flit& f) {
  const unsigned d = seq_ahead(f.seq, rx_expected_);
  if (d != 0) {
    if (d < kSeqMod / 2) {
      ++counters_.out_of_order;  // a flit is missing before it
      if (!nak_episode_) nak_episode_ = nak_pending_ = true;
    } else {
      ++counters_.duplicates;  // received before: the ACK may have been lost, send it again
      note_ack_pending(true);
    }
    return;
  }
  if (f.kind == FlitKind::kData) {
    if (f.len > kPayloadBytes)
      return void(protocol_error(
          LinkErrorReason::kBadFlit,
          fmt::format("DATA flit seq {} with len {}, expected at most {}", f.seq, f.len, kPayloadBytes)));
    if (rx_queue_[f.vc].size() >= params_.rx_flits[f.vc])
      return void(protocol_error(LinkErrorReason::kRxOverflow,
                                 fmt::format("DATA flit seq {} for vc {} whose {} RX entries are all full", f.seq, f.vc,
                                             params_.rx_flits[f.vc])));
  }
  for (unsigned vc = 0; vc < kVcs; ++vc) {
    if (f.credits[vc] > max_credits_[vc] - credits_[vc])
      return void(protocol_error(LinkErrorReason::kCreditOverflow,
                                 fmt::format("flit seq {} returns {} credits for vc {}: {} of {} consumed", f.seq,
                                             f.credits[vc], vc, max_credits_[vc] - credits_[vc], max_credits_[vc])));
  }
  for (unsigned vc = 0; vc < kVcs; ++vc) credits_[vc] += f.credits[vc];
  if (f.kind == FlitKind::kData) {
    rx_queue_[f.vc].push_back(Packet{f.vc, f.dst, {f.payload.begin(), f.payload.begin() + f.len}});
    ++counters_.data_flits_rx;
    counters_.payload_bytes_rx += f.len;
  }
  rx_expected_ = static_cast<std::uint16_t>((rx_expected_ + 1) % kSeqMod);
  rx_any_ = true;
  nak_episode_ = nak_pending_ = false;  // the episode ends; a NAK not yet sent would ask for the wrong flit
  note_ack_pending(false);
}

}  // namespace systole::link
