// One direction of the wire between two link ports, with seeded fault injection
// (docs/links.md section 6): latency, bit errors at a per-bit rate, bursts up to 64 bits, dropped,
// duplicated, stale, forged and delayed flits, silent windows (a dead direction, flapping) and
// flits cut off by a reset of the sender. Every fault is counted and logged; every delivered flit
// whose bits differ from what was sent is classified as detectable (its CRC fails, so the
// receiving port must count it) or not.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "systole/link/flit.hpp"

namespace systole::link {

enum class FaultKind : std::uint8_t {
  kBitErrors,  // a flit with random bit errors (one event per flit)
  kBurst,      // a burst error
  kDrop,       // a flit lost
  kDuplicate,  // a flit delivered twice
  kStale,      // an earlier flit delivered again
  kForge,      // an ACK, NAK or credit field rewritten and the CRC resealed (a misbehaving peer)
  kDelay,      // a flit held back (the flits behind it wait: the wire keeps order)
  kSilent,     // a flit lost in a silent window
  kTruncate,   // a flit cut off on the wire by a reset of its sender
};
inline constexpr std::size_t kFaultKinds = 9;
std::string to_string(FaultKind k);

// What a flit is, read from the wire: which faults a FaultConfig applies to it.
enum class WireClass : std::uint8_t { kIdle, kData, kCredit, kNak, kTrain };
inline constexpr std::uint8_t class_bit(WireClass c) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(c));
}
inline constexpr std::uint8_t kAllClasses = 0x1F;
WireClass wire_class(const WireFlit& w);

enum class ForgeField : std::uint8_t {
  kAck,      // IDLE/DATA/CREDIT: ACK valid, 1024 ahead of the true one (never sent: ReplayFlits <= 1023)
  kNak,      // NAK: the NAKed sequence number 1024 ahead
  kCredits,  // DATA/CREDIT: 128 more credits for VC 0 (beyond any RxFlits <= 127)
};

struct Window {
  std::uint64_t from = 0, to = 0;  // cycles [from, to) at the sending end
};
inline constexpr std::uint64_t kForever = std::numeric_limits<std::uint64_t>::max();

struct FaultConfig {
  double bit_error_rate = 0;  // per bit on the wire, 0 or 1e-12..1e-2
  double burst_rate = 0;      // per flit: a burst of 2..burst_max_bits bits (ends flipped, inside random)
  unsigned burst_max_bits = 64;
  double drop_rate = 0;       // per flit
  double duplicate_rate = 0;  // per flit: delivered again right after
  double stale_rate = 0;      // per flit: followed by a copy of one of the stale_window flits sent before it
  unsigned stale_window = 8;  // at most 15: a stale flit is less than 16 epochs old
  double forge_rate = 0;      // per IDLE/DATA/CREDIT/NAK flit: a forged ACK (IDLE/DATA/CREDIT) or NAK
  double delay_rate = 0;      // per flit: held back 1..delay_max cycles
  unsigned delay_max = 0;
  std::uint8_t classes = kAllClasses;  // the flits all of the above apply to (class_bit)
  std::vector<Window> silent;          // flits sent in these windows are lost ({from, kForever}: dead)

  // Throws std::invalid_argument naming the field, its value and the range expected.
  void validate() const;
};

struct ChannelConfig {
  unsigned latency = 16;     // cycles from a flit's start at the sender to its delivery, >= flit_beats
  unsigned flit_beats = 16;  // the ports' FlitBeats (truncation cuts at a beat boundary)
  FaultConfig faults;
  std::uint64_t seed = 1;
  std::size_t log_limit = 100000;  // events kept in log() (the counters count them all)

  void validate() const;
};

struct FaultEvent {
  std::uint64_t cycle = 0;  // when the flit was sent (or cut off)
  FaultKind kind = FaultKind::kDrop;
  std::string detail;
};

struct ChannelCounters {
  std::uint64_t flits_in = 0, flits_out = 0;
  std::array<std::uint64_t, kFaultKinds> faults{};  // by FaultKind
  std::uint64_t corrupted_out = 0;                  // delivered with bits other than sent
  std::uint64_t detectable_out = 0;                 // of those, with a failing CRC: the receiver's CRC errors
  std::uint64_t undetectable_out = 0;               // of those, with a good CRC (2^-32 per corrupted flit)
  std::uint64_t forged_out = 0;                     // forged flits delivered uncorrupted

  std::uint64_t count(FaultKind k) const { return faults[static_cast<std::size_t>(k)]; }
};

class Channel {
 public:
  explicit Channel(const ChannelConfig& cfg);

  // The flit a port starts sending at `cycle` (at most one per cycle, cycles increasing).
  void push(std::uint64_t cycle, const WireFlit& w);
  // The flit delivered to the far port at `cycle`, if any: in order, at most one per FlitBeats
  // cycles, none before its latency has passed.
  std::optional<WireFlit> pop(std::uint64_t cycle);
  // The sender is reset before cycle `cycle` runs: the flit it started less than FlitBeats cycles
  // earlier is cut off after its (cycle - start) beats; the rest of the flit arrives as zeros.
  void truncate(std::uint64_t cycle);

  // One-shot faults for directed tests.
  void drop_next(unsigned n, std::uint8_t classes = kAllClasses);  // the next n flits of those classes
  void forge_next(ForgeField field);                               // the next flit the field fits
  void delay_next(unsigned cycles, std::uint8_t classes = kAllClasses);
  void hold_until(std::uint64_t cycle);  // nothing delivered before `cycle`: a stalled wire

  void set_faults(const FaultConfig& f);  // from now on
  const FaultConfig& faults() const { return cfg_.faults; }
  const ChannelCounters& counters() const { return counters_; }
  const std::vector<FaultEvent>& log() const { return log_; }
  std::size_t in_flight() const { return queue_.size(); }

 private:
  struct Item {
    std::uint64_t sent_at = 0, due = 0;
    WireFlit bytes{}, sent{};  // as delivered, and as sent (after a forgery)
    bool forged = false;
  };

  void note(std::uint64_t cycle, FaultKind kind, std::string detail);
  bool chance(double p);
  void enqueue(std::uint64_t cycle, const WireFlit& w, bool forged, bool faulty);
  bool forge(std::uint64_t cycle, WireFlit& w, ForgeField field);
  void restart_bit_errors();

  ChannelConfig cfg_;
  std::mt19937_64 rng_;
  std::deque<Item> queue_;
  std::deque<WireFlit> history_;  // the last stale_window flits sent, lost or not (stale copies)
  std::uint64_t bits_to_error_ = 0;
  std::uint64_t last_out_ = 0;
  bool any_out_ = false;
  std::uint64_t hold_until_ = 0;
  unsigned drop_next_ = 0;
  std::uint8_t drop_next_classes_ = kAllClasses;
  std::optional<ForgeField> forge_next_;
  unsigned delay_next_ = 0;
  std::uint8_t delay_next_classes_ = kAllClasses;
  ChannelCounters counters_;
  std::vector<FaultEvent> log_;
};

}  // namespace systole::link
