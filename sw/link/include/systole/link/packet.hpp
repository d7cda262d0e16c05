// Remote-operation packets inside DATA flits (docs/links.md section 10): the 8-byte header, the
// codec, and the packetizer that cuts a DMA's destination writes into packets. The reference the
// RTL packetizer and remote unit will be checked against.
//
//   byte 0    type (1 write, 2 increment); bit 7: the last packet of its instruction to this chip
//   byte 1    semaphore of an increment; on a write, bit 7 set: increment it after this write
//   bytes 2-3 space (bits 1:0: 1 SBUF, 2 PSUM, 3 DRAM), partition (bits 15:8)
//   bytes 4-7 byte address (DRAM, or inside the partition), little endian
//   bytes 8.. data (writes: 1..236 bytes, contiguous at the address)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "systole/link/port.hpp"

namespace systole::link {

inline constexpr std::size_t kPacketHeaderBytes = 8;
inline constexpr std::size_t kPacketDataBytes = kPayloadBytes - kPacketHeaderBytes;  // 236
inline constexpr std::uint64_t kDramPageBytes = 4096;  // a DRAM write never crosses a page

enum class PacketType : std::uint8_t { kWrite = 1, kIncrement = 2 };

struct RemoteOp {
  PacketType type = PacketType::kWrite;
  bool last = false;
  bool signal = false;   // writes: increment `sem` after this write
  std::uint8_t sem = 0;  // 0..31
  std::uint8_t space = 1;
  std::uint8_t partition = 0;
  std::uint32_t addr = 0;
  std::vector<std::uint8_t> data;
  bool operator==(const RemoteOp&) const = default;
};

// To a link packet for chip `dst` on virtual channel `vc`; throws std::invalid_argument for a
// field out of range (data 1..236 bytes for a write, none for an increment; sem < 32; space 1..3).
Packet encode(const RemoteOp& op, std::uint8_t dst, std::uint8_t vc = 0);
// From a received packet; the reason when it is malformed (the remote unit's protocol check).
struct DecodedOp {
  std::optional<RemoteOp> op;
  std::string error;
};
DecodedOp decode(const Packet& p);

// One destination element write of a DMA: where, and its bytes (in element order).
struct ElementWrite {
  std::uint8_t space = 1;
  std::uint8_t partition = 0;
  std::uint32_t addr = 0;
  std::vector<std::uint8_t> bytes;
};
// The packets of one remote DMA (or remote NOP when `writes` is empty and `signal`): consecutive
// elements that continue each other in the same partition merge into one write, cut at 236 bytes,
// at a partition change and at every 4 KiB DRAM page boundary; the last packet carries `last`
// and, with `signal`, the increment of `sem` (a NOP's is an increment packet).
std::vector<RemoteOp> packetize(const std::vector<ElementWrite>& writes, bool signal, std::uint8_t sem);

}  // namespace systole::link
