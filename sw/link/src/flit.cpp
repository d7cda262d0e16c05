// The flit's wire format (flit.hpp).
#include "systole/link/flit.hpp"

#include <fmt/format.h>

#include <span>
#include <stdexcept>

#include "systole/link/crc.hpp"

namespace systole::link {

namespace {

// Header bit positions (flit.hpp's table).
constexpr unsigned kKindAt = 0, kVcAt = 2, kSeqAt = 3, kAckValidAt = 15, kAckAt = 16, kCredit0At = 28, kCredit1At = 36,
                   kEpochAt = 44, kLenAt = 48, kDstAt = 56;

std::uint64_t field(std::uint64_t h, unsigned at, unsigned bits) { return (h >> at) & ((1ull << bits) - 1); }

void check_width(const char* name, unsigned value, unsigned limit) {
  if (value > limit)
    throw std::invalid_argument(fmt::format("flit field {} = {}: expected at most {}", name, value, limit));
}

}  // namespace

WireFlit pack(const Flit& f) {
  check_width("vc", f.vc, kVcs - 1);
  check_width("seq", f.seq, kSeqMod - 1);
  check_width("ack", f.ack, kSeqMod - 1);
  check_width("epoch", f.epoch, kEpochMod - 1);
  check_width("len", f.len, kPayloadBytes);
  const std::uint64_t h = std::uint64_t{static_cast<std::uint8_t>(f.kind)} << kKindAt | std::uint64_t{f.vc} << kVcAt |
                          std::uint64_t{f.seq} << kSeqAt | std::uint64_t{f.ack_valid} << kAckValidAt |
                          std::uint64_t{f.ack} << kAckAt | std::uint64_t{f.credits[0]} << kCredit0At |
                          std::uint64_t{f.credits[1]} << kCredit1At | std::uint64_t{f.epoch} << kEpochAt |
                          std::uint64_t{f.len} << kLenAt | std::uint64_t{f.dst} << kDstAt;
  WireFlit w{};
  for (std::size_t i = 0; i < kHeaderBytes; ++i) w[i] = static_cast<std::uint8_t>(h >> (8 * i));
  for (std::size_t i = 0; i < kPayloadBytes; ++i) w[kHeaderBytes + i] = f.payload[i];
  reseal(w);
  return w;
}

Unpacked unpack(const WireFlit& w) {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < kHeaderBytes; ++i) h |= std::uint64_t{w[i]} << (8 * i);
  Unpacked u;
  Flit& f = u.flit;
  f.kind = static_cast<FlitKind>(field(h, kKindAt, 2));
  f.vc = static_cast<std::uint8_t>(field(h, kVcAt, 1));
  f.seq = static_cast<std::uint16_t>(field(h, kSeqAt, kSeqBits));
  f.ack_valid = field(h, kAckValidAt, 1) != 0;
  f.ack = static_cast<std::uint16_t>(field(h, kAckAt, kSeqBits));
  f.credits[0] = static_cast<std::uint8_t>(field(h, kCredit0At, 8));
  f.credits[1] = static_cast<std::uint8_t>(field(h, kCredit1At, 8));
  f.epoch = static_cast<std::uint8_t>(field(h, kEpochAt, 4));
  f.len = static_cast<std::uint8_t>(field(h, kLenAt, 8));
  f.dst = static_cast<std::uint8_t>(field(h, kDstAt, 8));
  for (std::size_t i = 0; i < kPayloadBytes; ++i) f.payload[i] = w[kHeaderBytes + i];
  u.crc = stored_crc(w);
  u.crc_ok = u.crc == flit_crc(w);
  return u;
}

std::uint32_t flit_crc(const WireFlit& w) { return crc32c(std::span<const std::uint8_t>(w.data(), kCrcCoveredBytes)); }

std::uint32_t stored_crc(const WireFlit& w) {
  std::uint32_t c = 0;
  for (std::size_t i = 0; i < 4; ++i) c |= std::uint32_t{w[kCrcCoveredBytes + i]} << (8 * i);
  return c;
}

bool crc_ok(const WireFlit& w) { return stored_crc(w) == flit_crc(w); }

void reseal(WireFlit& w) {
  const std::uint32_t c = flit_crc(w);
  for (std::size_t i = 0; i < 4; ++i) w[kCrcCoveredBytes + i] = static_cast<std::uint8_t>(c >> (8 * i));
}

std::uint32_t payload_u32(const Flit& f, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v |= std::uint32_t{f.payload.at(at + i)} << (8 * i);
  return v;
}

void set_payload_u32(Flit& f, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) f.payload.at(at + i) = static_cast<std::uint8_t>(v >> (8 * i));
}

FlitKind wire_kind(const WireFlit& w) { return static_cast<FlitKind>(w[0] & 3u); }

std::string to_string(FlitKind k) {
  switch (k) {
    case FlitKind::kIdle: return "IDLE";
    case FlitKind::kData: return "DATA";
    case FlitKind::kControl: return "CONTROL";
    case FlitKind::kCredit: return "CREDIT";
  }
  return "?";
}

std::string describe(const Flit& f) {
  std::string s = fmt::format("{} epoch {} seq {} ack {} credits {}/{}", to_string(f.kind), f.epoch, f.seq,
                              f.ack_valid ? fmt::format("{}", f.ack) : std::string("-"), f.credits[0], f.credits[1]);
  if (f.kind == FlitKind::kData) s += fmt::format(" vc {} len {} dst {}", f.vc, f.len, f.dst);
  if (f.kind == FlitKind::kControl)
    s += f.payload[0] == static_cast<std::uint8_t>(ControlOp::kNak)
             ? std::string(" NAK")
             : fmt::format(" TRAIN flags {} epoch {} echo {}", f.payload[1], payload_u32(f, kTrainEpochAt),
                           f.ack_valid ? fmt::format("{}", payload_u32(f, kTrainEchoAt)) : std::string("-"));
  return s;
}

}  // namespace systole::link
