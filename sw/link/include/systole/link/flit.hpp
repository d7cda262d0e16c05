// The link layer's flit (docs/links.md section 1): its fields, and pack/unpack to and from the
// 256 bytes (2048 bits) that go on the wire, bit for bit as the RTL link controller sends them.
//
// Bit order: flit bit i is bit (i % 8) of byte (i / 8); every field is stored LSB first from its
// lowest bit. The header is the first 64 bits (bytes 0..7, a little-endian 64-bit word), the
// payload bytes 8..251, the CRC-32C of bytes 0..251 (flit bits 0..2015, consumed in bit order)
// in bytes 252..255 (its bit k at flit bit 2016 + k).
//
//   bits     field      meaning
//   0..1     kind       FlitKind
//   2        vc         virtual channel of a DATA flit's packet
//   3..14    seq        DATA/CREDIT: sequence number; NAK: the expected (NAKed) sequence number;
//                       TRAIN: the sender's next expected sequence number (resume point)
//   15       ack_valid  DATA/CREDIT/IDLE: ack holds an ACK; TRAIN: the echo (payload) is valid
//   16..27   ack        cumulative ACK (last sequence number received in order)
//   28..35   credits0   credits returned for VC 0 (DATA/CREDIT); TRAIN: the sender's RxFlits[0]
//   36..43   credits1   the same for VC 1
//   44..47   epoch      the sender's link epoch (low 4 bits)
//   48..55   len        payload bytes used by a DATA flit's packet, 0..244
//   56..63   dst        destination chip id of a DATA flit's packet
//   64..2015 payload    244 bytes; CONTROL: byte 0 the ControlOp; TRAIN: byte 1 the flags,
//                       bytes 2..5 the full epoch, bytes 6..9 the echo of the peer's
//   2016..   crc        CRC-32C
// Fields a kind does not use are sent as zero and ignored on receipt.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace systole::link {

inline constexpr std::size_t kFlitBytes = 256;
inline constexpr std::size_t kFlitBits = kFlitBytes * 8;
inline constexpr std::size_t kHeaderBytes = 8;
inline constexpr std::size_t kPayloadBytes = 244;
inline constexpr std::size_t kCrcCoveredBytes = kHeaderBytes + kPayloadBytes;  // 252: bits 0..2015
inline constexpr unsigned kSeqBits = 12;
inline constexpr unsigned kSeqMod = 1u << kSeqBits;  // 4096
inline constexpr unsigned kEpochMod = 16;
inline constexpr unsigned kVcs = 2;

enum class FlitKind : std::uint8_t {
  kIdle = 0,     // unsequenced: an ACK only (keep-alive, coalesced ACK)
  kData = 1,     // sequenced: a packet (and credits)
  kControl = 2,  // unsequenced: NAK or TRAIN (payload byte 0)
  kCredit = 3,   // sequenced: credits only, when no packet carries them
};

enum class ControlOp : std::uint8_t { kNak = 1, kTrain = 2 };

// TRAIN flags (payload byte 1).
inline constexpr std::uint8_t kTrainFresh = 1;  // the sender's session of this epoch starts new
inline constexpr std::uint8_t kTrainDone = 2;   // the sender has completed the handshake
// A TRAIN's payload bytes 2..5 hold the sender's full 32-bit epoch (the header's epoch field is
// its low 4 bits), bytes 6..9 the echo of the peer's full epoch (valid when ack_valid).
inline constexpr std::size_t kTrainEpochAt = 2;
inline constexpr std::size_t kTrainEchoAt = 6;

struct Flit {
  FlitKind kind = FlitKind::kIdle;
  std::uint8_t vc = 0;    // 0..1
  std::uint16_t seq = 0;  // 0..4095
  bool ack_valid = false;
  std::uint16_t ack = 0;  // 0..4095
  std::array<std::uint8_t, kVcs> credits{};
  std::uint8_t epoch = 0;  // 0..15
  std::uint8_t len = 0;    // a DATA flit's packet bytes, 0..244 (unpack keeps any 8-bit value)
  std::uint8_t dst = 0;
  std::array<std::uint8_t, kPayloadBytes> payload{};

  bool operator==(const Flit&) const = default;
};

// The 256 bytes on the wire.
using WireFlit = std::array<std::uint8_t, kFlitBytes>;

// The flit on the wire with its CRC. Throws std::invalid_argument when a field does not fit its
// width (vc > 1, seq or ack > 4095, epoch > 15, len > 244).
WireFlit pack(const Flit& f);

struct Unpacked {
  Flit flit;
  std::uint32_t crc = 0;  // as received
  bool crc_ok = false;    // crc == the CRC-32C of bytes 0..251
};

// The fields of any 256 bytes, and whether the CRC matches (a failing flit's fields mean nothing).
Unpacked unpack(const WireFlit& w);

// The CRC-32C of bytes 0..251, the CRC stored in bytes 252..255, and whether they agree.
std::uint32_t flit_crc(const WireFlit& w);
std::uint32_t stored_crc(const WireFlit& w);
bool crc_ok(const WireFlit& w);

// Rewrites bytes 252..255 with the CRC of bytes 0..251 (a flit edited on the wire and resealed:
// the channel model's forged flits).
void reseal(WireFlit& w);

// A little-endian 32-bit value in the payload at byte `at` (the TRAIN's epochs).
std::uint32_t payload_u32(const Flit& f, std::size_t at);
void set_payload_u32(Flit& f, std::size_t at, std::uint32_t v);

// The header fields read straight from the wire (no CRC check): what a channel fault model sees.
FlitKind wire_kind(const WireFlit& w);

std::string to_string(FlitKind k);
std::string describe(const Flit& f);  // one line: kind, seq, ack, credits, epoch, len

}  // namespace systole::link
