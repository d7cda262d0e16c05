// One end of a chip-to-chip link, cycle by cycle: the link layer's C++ reference model
// (docs/links.md sections 2 to 4), which the RTL link controller is checked against.
//
// Each cycle the owner hands the port the flit its RX wire delivers this cycle (deliver(), at most
// one) and calls step(), which processes it, runs the timers and returns the flit the port starts
// on its TX wire this cycle (at most one per FlitBeats cycles). Above it, the user sends packets
// (can_send / send) and pops received ones (receive); not popping holds the RX buffer, so no
// credits go back and the far end's sender stops.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "systole/link/flit.hpp"
#include "systole/link/params.hpp"

namespace systole::link {

// A packet of the layer above: up to 244 bytes for chip `dst` on virtual channel `vc`.
struct Packet {
  std::uint8_t vc = 0;
  std::uint8_t dst = 0;
  std::vector<std::uint8_t> bytes;

  bool operator==(const Packet&) const = default;
};

enum class PortState : std::uint8_t {
  kTrain,  // handshaking (after reset, or a retrain): only TRAIN flits
  kUp,     // exchanging DATA, CREDIT, IDLE and NAK flits
  kDown,   // stopped after an error: silent until reset()
};

enum class LinkErrorReason : std::uint8_t {
  kRetrainLimit,       // RetrainLimit retrains without forward progress (not a protocol error)
  kAckNotOutstanding,  // an ACK of a sequence number never sent
  kNakNotOutstanding,  // a NAK of a sequence number never sent
  kCreditOverflow,     // credits returned beyond those consumed
  kRxOverflow,         // a DATA flit for a full RX buffer (sent without a credit)
  kBadResume,          // a retrain's resume point outside what was sent
  kBadFlit,            // an impossible flit: unknown control op, len > 244, credits on an IDLE, ...
};

std::string to_string(LinkErrorReason r);
std::string to_string(PortState s);
inline bool is_protocol_error(LinkErrorReason r) { return r != LinkErrorReason::kRetrainLimit; }

// What the user sees when the link goes down (the RTL's LINK_ERROR with the port number).
struct LinkError {
  int port = 0;
  LinkErrorReason reason = LinkErrorReason::kRetrainLimit;
  std::uint64_t cycle = 0;
  std::string detail;
};

// Statistics, cumulative over the port's life (reset() does not clear them).
struct Counters {
  std::uint64_t flits_tx = 0, flits_rx = 0;                  // every flit sent / delivered to the port
  std::uint64_t data_flits_tx = 0, data_flits_rx = 0;        // DATA flits sent first time / accepted
  std::uint64_t payload_bytes_tx = 0, payload_bytes_rx = 0;  // packet bytes sent first time / accepted
  std::uint64_t crc_errors = 0;                              // flits whose CRC failed, in any state
  std::uint64_t replays = 0;                                 // go-back-N replays started (NAK or timeout)
  std::uint64_t replayed_flits = 0;                          // flits sent again
  std::uint64_t timeouts = 0;                                // replay timer expiries
  std::uint64_t retrains = 0;                                // handshakes this port started after bring-up
  std::uint64_t retrain_joins = 0;                           // handshakes the peer started that this port joined
  std::uint64_t handshakes = 0;                              // handshakes completed
  std::uint64_t silences = 0;                                // retrains because nothing valid arrived for silence_limit
  std::uint64_t link_downs = 0;                              // times the port went down
  std::uint64_t protocol_errors = 0;                         // of those, for a protocol error
  std::uint64_t naks_sent = 0, naks_rx = 0;
  std::uint64_t duplicates = 0;          // sequenced flits dropped as already received (re-ACKed)
  std::uint64_t out_of_order = 0;        // sequenced flits dropped as after a gap
  std::uint64_t epoch_drops = 0;         // valid flits of another epoch, or non-TRAIN while training
  std::uint64_t stale_control = 0;       // ACKs, NAKs and TRAINs older than the state (ignored)
  std::uint64_t resets = 0;              // reset() calls
  std::uint64_t sessions = 0;            // fresh sessions (reset of this end or of the peer)
  std::uint64_t flushed_packets = 0;     // packets discarded by a fresh session (TX and RX)
  std::uint64_t replay_full_stalls = 0;  // slots with a packet and a credit but a full replay buffer
  std::uint64_t credit_stalls = 0;       // slots with a packet but no credit for its VC
};

class Port {
 public:
  // Validates `params` (std::invalid_argument) and starts as after a reset, at epoch 0.
  explicit Port(const Params& params, int port_id = 0);

  // ---- the wire ----
  // The flit the RX wire delivers this cycle; processed by the next step(). At most one per cycle.
  void deliver(const WireFlit& w);
  // Runs one cycle and returns the flit started on the TX wire this cycle, if any.
  std::optional<WireFlit> step();

  // ---- the user ----
  // True when the port is up, the peer has confirmed the handshake (confirmed()), and the VC's
  // one-packet TX register is free.
  bool can_send(unsigned vc) const;
  // Queues a packet (std::logic_error unless can_send(p.vc); std::invalid_argument for a VC > 1 or
  // more than 244 bytes). It goes out when the VC has a credit and the replay buffer has room.
  void send(Packet p);
  std::size_t rx_count(unsigned vc) const;
  // Pops the oldest received packet of `vc`, which frees its RX entry and returns its credit.
  std::optional<Packet> receive(unsigned vc);
  // Resets this end: everything but the counters and the epoch (incremented) is cleared; packets
  // queued, unacknowledged or received and not popped are lost; a new bring-up handshake starts.
  void reset();
  // Starts a retrain now if the port is up (a management request, like PCIe's Retrain Link bit):
  // counted in retrains, not against RetrainLimit; unacknowledged flits are resent after it.
  void request_retrain();

  // ---- observation ----
  PortState state() const { return state_; }
  bool confirmed() const { return state_ == PortState::kUp && peer_up_; }
  const std::optional<LinkError>& error() const { return error_; }
  const Counters& counters() const { return counters_; }
  const Params& params() const { return params_; }
  int port_id() const { return port_id_; }
  std::uint64_t cycle() const { return now_; }    // the cycle the next step() runs
  std::uint32_t epoch() const { return epoch_; }  // full; flits carry its low 4 bits
  std::uint32_t peer_epoch() const { return peer_epoch_; }
  std::uint16_t next_seq() const { return next_seq_; }
  std::uint16_t acked_seq() const { return acked_; }  // the last sequence number acknowledged
  std::uint16_t rx_expected() const { return rx_expected_; }
  unsigned outstanding() const { return static_cast<unsigned>(replay_.size()); }
  bool replaying() const { return resend_ < replay_.size(); }  // a go-back-N pass not yet complete
  unsigned credits(unsigned vc) const { return credits_.at(vc); }
  unsigned pending_credits(unsigned vc) const { return pending_credits_.at(vc); }
  // The cycle at which the running replay timer expires (its step replays), if it runs.
  std::optional<std::uint64_t> replay_deadline() const;
  std::uint64_t session() const { return counters_.sessions; }

 private:
  // port.cpp: state changes
  void start_train(bool fresh);
  void flush();
  void start_retrain();
  void go_down(LinkErrorReason reason, std::string detail);
  bool protocol_error(LinkErrorReason reason, std::string detail);
  void complete_handshake(const Flit& t);
  void on_train(const Flit& t);
  // port_rx.cpp: the RX path
  void on_rx(const WireFlit& w);
  bool on_ack(std::uint16_t ack, LinkErrorReason reason);
  void on_nak(std::uint16_t expected);
  void on_sequenced(const Flit& f);
  void trigger_replay();
  void note_ack_pending(bool force);
  // port_tx.cpp: the TX path
  std::optional<Flit> choose_flit();
  std::optional<Flit> take_data();
  Flit train_flit(bool done) const;
  void stamp(Flit& f);

  Params params_;
  int port_id_;
  std::uint64_t now_ = 0;
  PortState state_ = PortState::kTrain;
  std::optional<LinkError> error_;
  Counters counters_;
  std::optional<WireFlit> rx_in_;

  // Handshake and epochs (section 4).
  std::uint32_t epoch_ = ~0u;  // the first handshake's is 0
  bool epoch_fresh_ = true;    // this epoch's session starts new (sequence 0, full credits)
  std::uint32_t peer_epoch_ = 0;
  bool peer_known_ = false;  // peer_epoch_ is the peer's epoch as last heard
  bool heard_ = false;       // the peer's TRAIN heard in this handshake (echoed in ours)
  std::uint64_t train_since_ = 0;
  bool train_reply_ = false;  // send a TRAIN at the next slot (news while training; done when up)
  bool peer_up_ = false;      // up and confirmed: the peer completed the handshake too
  std::uint64_t last_train_ = 0;

  // TX: sequence numbers, replay buffer, timer, escalation (section 2).
  std::uint16_t next_seq_ = 0;
  std::uint16_t acked_ = kSeqMod - 1;
  std::deque<Flit> replay_;  // unacknowledged DATA/CREDIT flits, oldest first
  std::size_t resend_ = 0;   // replay_[0, resend_) sent in the current pass
  bool timer_running_ = false;
  std::uint64_t timer_start_ = 0;
  unsigned replay_num_ = 0;
  unsigned retrain_num_ = 0;
  std::array<std::optional<Packet>, kVcs> staged_;
  unsigned last_vc_ = 1;
  std::uint64_t tx_free_at_ = 0;
  std::uint64_t last_tx_ = 0;

  // Credits (section 3).
  std::array<unsigned, kVcs> credits_{};          // the peer's RX entries this port may still use
  std::array<unsigned, kVcs> max_credits_{};      // the peer's RxFlits, from its TRAIN
  std::array<unsigned, kVcs> pending_credits_{};  // entries popped here, not yet returned
  std::uint64_t credit_since_ = 0;

  // RX (section 2).
  std::uint16_t rx_expected_ = 0;
  bool rx_any_ = false;       // a sequenced flit accepted this session: ACKs are valid
  bool nak_episode_ = false;  // a NAK was scheduled since the expected flit last arrived
  bool nak_pending_ = false;
  bool ack_pending_ = false, ack_force_ = false;
  std::uint64_t ack_since_ = 0;
  std::uint64_t last_rx_valid_ = 0;
  std::array<std::deque<Packet>, kVcs> rx_queue_;
};

}  // namespace systole::link
