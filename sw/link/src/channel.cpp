// The link channel model with its fault injection (channel.hpp).
#include "systole/link/channel.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace systole::link {

std::string to_string(FaultKind k) {
  switch (k) {
    case FaultKind::kBitErrors: return "bit errors";
    case FaultKind::kBurst: return "burst";
    case FaultKind::kDrop: return "drop";
    case FaultKind::kDuplicate: return "duplicate";
    case FaultKind::kStale: return "stale";
    case FaultKind::kForge: return "forge";
    case FaultKind::kDelay: return "delay";
    case FaultKind::kSilent: return "silent";
    case FaultKind::kTruncate: return "truncate";
  }
  return "?";
}

WireClass wire_class(const WireFlit& w) {
  switch (wire_kind(w)) {
    case FlitKind::kIdle: return WireClass::kIdle;
    case FlitKind::kData: return WireClass::kData;
    case FlitKind::kCredit: return WireClass::kCredit;
    case FlitKind::kControl: break;
  }
  return w[kHeaderBytes] == static_cast<std::uint8_t>(ControlOp::kNak) ? WireClass::kNak : WireClass::kTrain;
}

namespace {

void check_rate(const char* name, double p, double hi) {
  if (!(p >= 0 && p <= hi))
    throw std::invalid_argument(fmt::format("link FaultConfig.{} = {}: expected a probability 0..{}", name, p, hi));
}

}  // namespace

void FaultConfig::validate() const {
  check_rate("bit_error_rate", bit_error_rate, 1e-2);
  if (bit_error_rate != 0 && bit_error_rate < 1e-12)
    throw std::invalid_argument(
        fmt::format("link FaultConfig.bit_error_rate = {}: expected 0 or 1e-12..1e-2 per bit", bit_error_rate));
  check_rate("burst_rate", burst_rate, 1);
  check_rate("drop_rate", drop_rate, 1);
  check_rate("duplicate_rate", duplicate_rate, 1);
  check_rate("stale_rate", stale_rate, 1);
  check_rate("forge_rate", forge_rate, 1);
  check_rate("delay_rate", delay_rate, 1);
  if (burst_max_bits < 2 || burst_max_bits > 64)
    throw std::invalid_argument(fmt::format("link FaultConfig.burst_max_bits = {}: expected 2..64", burst_max_bits));
  if (stale_window < 1 || stale_window > 15)
    throw std::invalid_argument(
        fmt::format("link FaultConfig.stale_window = {}: expected 1..15 (a stale flit must be less than 16 epochs old)",
                    stale_window));
  if (delay_rate > 0 && delay_max == 0)
    throw std::invalid_argument("link FaultConfig.delay_max = 0 with delay_rate > 0: expected at least 1 cycle");
  for (const Window& w : silent) {
    if (w.to <= w.from)
      throw std::invalid_argument(
          fmt::format("link FaultConfig.silent window [{}, {}): expected from < to", w.from, w.to));
  }
}

void ChannelConfig::validate() const {
  if (!std::has_single_bit(flit_beats) || flit_beats > 64)
    throw std::invalid_argument(
        fmt::format("link ChannelConfig.flit_beats = {}: expected a power of two 1..64", flit_beats));
  if (latency < flit_beats || latency > (1u << 20))
    throw std::invalid_argument(
        fmt::format("link ChannelConfig.latency = {}: expected {}..{} (a flit arrives after its last beat was sent)",
                    latency, flit_beats, 1u << 20));
  faults.validate();
}

Channel::Channel(const ChannelConfig& cfg) : cfg_(cfg), rng_(cfg.seed) {
  cfg_.validate();
  restart_bit_errors();
}

void Channel::set_faults(const FaultConfig& f) {
  f.validate();
  cfg_.faults = f;
  restart_bit_errors();
  while (history_.size() > f.stale_window) history_.pop_front();
}

void Channel::restart_bit_errors() {
  const double p = cfg_.faults.bit_error_rate;
  bits_to_error_ = p > 0 ? std::geometric_distribution<std::uint64_t>(p)(rng_) : 0;
}

void Channel::note(std::uint64_t cycle, FaultKind kind, std::string detail) {
  ++counters_.faults[static_cast<std::size_t>(kind)];
  if (log_.size() < cfg_.log_limit) log_.push_back(FaultEvent{cycle, kind, std::move(detail)});
}

bool Channel::chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

void Channel::drop_next(unsigned n, std::uint8_t classes) {
  drop_next_ = n;
  drop_next_classes_ = classes;
}

void Channel::forge_next(ForgeField field) { forge_next_ = field; }

void Channel::delay_next(unsigned cycles, std::uint8_t classes) {
  delay_next_ = cycles;
  delay_next_classes_ = classes;
}

void Channel::hold_until(std::uint64_t cycle) { hold_until_ = cycle; }

// Rewrites one field so that a correct port must reject the flit as a protocol error, and reseals
// the CRC. False when the field does not fit this flit.
bool Channel::forge(std::uint64_t cycle, WireFlit& w, ForgeField field) {
  const WireClass c = wire_class(w);
  Flit f = unpack(w).flit;
  std::string what;
  switch (field) {
    case ForgeField::kAck: {
      if (c != WireClass::kIdle && c != WireClass::kData && c != WireClass::kCredit) return false;
      const unsigned base = f.ack_valid ? f.ack : kSeqMod - 1;
      f.ack_valid = true;
      f.ack = static_cast<std::uint16_t>((base + 1024) % kSeqMod);
      what = fmt::format("ACK {} -> {}", base, f.ack);
      break;
    }
    case ForgeField::kNak:
      if (c != WireClass::kNak) return false;
      what = fmt::format("NAK {} -> {}", f.seq, (f.seq + 1024) % kSeqMod);
      f.seq = static_cast<std::uint16_t>((f.seq + 1024) % kSeqMod);
      break;
    case ForgeField::kCredits:
      if (c != WireClass::kData && c != WireClass::kCredit) return false;
      what = fmt::format("credits vc0 {} -> {}", f.credits[0], std::min(255, f.credits[0] + 128));
      f.credits[0] = static_cast<std::uint8_t>(std::min(255, f.credits[0] + 128));
      break;
  }
  const WireFlit before = w;
  w = pack(f);
  note(cycle, FaultKind::kForge, fmt::format("{} on {}", what, describe(unpack(before).flit)));
  return true;
}

void Channel::push(std::uint64_t cycle, const WireFlit& w) {
  ++counters_.flits_in;
  const FaultConfig& fc = cfg_.faults;
  const std::uint8_t bit = class_bit(wire_class(w));
  const bool faulty = (fc.classes & bit) != 0;
  // A stale copy is one of the stale_window flits sent before this one, lost or not: every epoch
  // of the sender starts with a TRAIN sent, so a stale flit is less than 16 epochs old.
  std::optional<std::size_t> stale_age;
  if (faulty && !history_.empty() && chance(fc.stale_rate))
    stale_age = std::uniform_int_distribution<std::size_t>(1, history_.size())(rng_);
  const std::optional<WireFlit> stale =
      stale_age ? std::optional(history_[history_.size() - *stale_age]) : std::nullopt;
  history_.push_back(w);
  while (history_.size() > fc.stale_window) history_.pop_front();

  for (const Window& s : fc.silent) {
    if (cycle >= s.from && cycle < s.to) {
      note(cycle, FaultKind::kSilent, describe(unpack(w).flit));
      return;
    }
  }
  if (drop_next_ > 0 && (drop_next_classes_ & bit) != 0) {
    --drop_next_;
    note(cycle, FaultKind::kDrop, describe(unpack(w).flit));
    return;
  }
  if (faulty && chance(fc.drop_rate)) {
    note(cycle, FaultKind::kDrop, describe(unpack(w).flit));
    return;
  }
  WireFlit x = w;
  bool forged = false;
  if (forge_next_ && forge(cycle, x, *forge_next_)) {
    forge_next_.reset();
    forged = true;
  } else if (faulty && fc.forge_rate > 0 && wire_class(w) != WireClass::kTrain && chance(fc.forge_rate)) {
    forged = forge(cycle, x, wire_class(w) == WireClass::kNak ? ForgeField::kNak : ForgeField::kAck);
  }
  enqueue(cycle, x, forged, faulty);
  if (faulty && chance(fc.duplicate_rate)) {
    note(cycle, FaultKind::kDuplicate, describe(unpack(x).flit));
    enqueue(cycle, x, forged, faulty);
  }
  if (stale) {
    note(cycle, FaultKind::kStale, fmt::format("{} flits old: {}", *stale_age, describe(unpack(*stale).flit)));
    enqueue(cycle, *stale, false, faulty);
  }
}

// One flit onto the wire: bit errors and bursts flip its bits, a delay holds it back.
void Channel::enqueue(std::uint64_t cycle, const WireFlit& w, bool forged, bool faulty) {
  const FaultConfig& fc = cfg_.faults;
  Item it;
  it.sent_at = cycle;
  it.due = cycle + cfg_.latency;
  it.bytes = it.sent = w;
  it.forged = forged;
  if (faulty && fc.bit_error_rate > 0) {
    std::geometric_distribution<std::uint64_t> gap(fc.bit_error_rate);
    std::uint64_t pos = bits_to_error_;
    unsigned flips = 0;
    std::string where;
    for (; pos < kFlitBits; pos += 1 + gap(rng_)) {
      it.bytes[pos / 8] ^= static_cast<std::uint8_t>(1u << (pos % 8));
      if (++flips <= 8) where += fmt::format(" {}", pos);
    }
    bits_to_error_ = pos - kFlitBits;
    if (flips > 0)
      note(cycle, FaultKind::kBitErrors, fmt::format("{} bits:{}{}", flips, where, flips > 8 ? " ..." : ""));
  }
  if (faulty && chance(fc.burst_rate)) {
    const unsigned len = std::uniform_int_distribution<unsigned>(2, fc.burst_max_bits)(rng_);
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, kFlitBits - len)(rng_);
    for (unsigned b = 0; b < len; ++b) {
      if (b == 0 || b + 1 == len || (rng_() & 1u) != 0)
        it.bytes[(at + b) / 8] ^= static_cast<std::uint8_t>(1u << ((at + b) % 8));
    }
    note(cycle, FaultKind::kBurst, fmt::format("{} bits from bit {}", len, at));
  }
  const std::uint8_t bit = class_bit(wire_class(w));
  if (delay_next_ > 0 && (delay_next_classes_ & bit) != 0) {
    it.due += delay_next_;
    note(cycle, FaultKind::kDelay, fmt::format("{} cycles: {}", delay_next_, describe(unpack(w).flit)));
    delay_next_ = 0;
  } else if (faulty && chance(fc.delay_rate)) {
    const unsigned d = std::uniform_int_distribution<unsigned>(1, fc.delay_max)(rng_);
    it.due += d;
    note(cycle, FaultKind::kDelay, fmt::format("{} cycles: {}", d, describe(unpack(w).flit)));
  }
  queue_.push_back(it);
}

std::optional<WireFlit> Channel::pop(std::uint64_t cycle) {
  if (queue_.empty() || cycle < hold_until_) return std::nullopt;
  const Item& it = queue_.front();
  if (cycle < it.due || (any_out_ && cycle < last_out_ + cfg_.flit_beats)) return std::nullopt;
  const WireFlit out = it.bytes;
  ++counters_.flits_out;
  if (out != it.sent) {
    ++counters_.corrupted_out;
    if (crc_ok(out)) {
      ++counters_.undetectable_out;
      if (log_.size() < cfg_.log_limit)
        log_.push_back(FaultEvent{it.sent_at, FaultKind::kBitErrors, "UNDETECTABLE: delivered corrupted, CRC good"});
    } else {
      ++counters_.detectable_out;
    }
  } else if (it.forged) {
    ++counters_.forged_out;
  }
  queue_.pop_front();
  last_out_ = cycle;
  any_out_ = true;
  return out;
}

void Channel::truncate(std::uint64_t cycle) {
  for (Item& it : queue_) {
    if (it.sent_at >= cycle || cycle - it.sent_at >= cfg_.flit_beats) continue;
    const std::uint64_t beats = cycle - it.sent_at;
    const std::size_t from = static_cast<std::size_t>(beats * kFlitBytes / cfg_.flit_beats);
    std::fill(it.bytes.begin() + static_cast<std::ptrdiff_t>(from), it.bytes.end(), std::uint8_t{0});
    note(cycle, FaultKind::kTruncate, fmt::format("cut after {} of {} beats", beats, cfg_.flit_beats));
  }
}

}  // namespace systole::link
