#include "systole/link/packet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace systole::link {

Packet encode(const RemoteOp& op, std::uint8_t dst, std::uint8_t vc) {
  const bool write = op.type == PacketType::kWrite;
  if (op.type != PacketType::kWrite && op.type != PacketType::kIncrement) {
    throw std::invalid_argument("remote packet: type must be write (1) or increment (2)");
  }
  if (write && (op.data.empty() || op.data.size() > kPacketDataBytes)) {
    throw std::invalid_argument(
        fmt::format("remote packet: a write carries 1..{} data bytes, not {}", kPacketDataBytes, op.data.size()));
  }
  if (!write && !op.data.empty()) throw std::invalid_argument("remote packet: an increment carries no data");
  if (op.sem >= 32) throw std::invalid_argument(fmt::format("remote packet: semaphore {} (0..31)", op.sem));
  if (op.space < 1 || op.space > 3)
    throw std::invalid_argument(fmt::format("remote packet: space {} (1..3)", op.space));
  Packet p;
  p.vc = vc;
  p.dst = dst;
  p.bytes.resize(kPacketHeaderBytes + op.data.size());
  p.bytes[0] = static_cast<std::uint8_t>(static_cast<unsigned>(op.type) | (op.last ? 0x80u : 0u));
  p.bytes[1] = static_cast<std::uint8_t>(op.sem | (write && op.signal ? 0x80u : 0u));
  p.bytes[2] = op.space;
  p.bytes[3] = op.partition;
  for (unsigned b = 0; b < 4; ++b) p.bytes[4 + b] = static_cast<std::uint8_t>(op.addr >> (8 * b));
  std::copy(op.data.begin(), op.data.end(), p.bytes.begin() + kPacketHeaderBytes);
  return p;
}

DecodedOp decode(const Packet& p) {
  DecodedOp d;
  if (p.bytes.size() < kPacketHeaderBytes) {
    d.error = fmt::format("{} bytes: shorter than the {}-byte header", p.bytes.size(), kPacketHeaderBytes);
    return d;
  }
  RemoteOp op;
  const unsigned type = p.bytes[0] & 0x7Fu;
  if (type != 1 && type != 2) {
    d.error = fmt::format("type {}: expected write (1) or increment (2)", type);
    return d;
  }
  op.type = static_cast<PacketType>(type);
  op.last = (p.bytes[0] & 0x80u) != 0;
  op.sem = p.bytes[1] & 0x7Fu;
  op.signal = op.type == PacketType::kWrite && (p.bytes[1] & 0x80u) != 0;
  op.space = p.bytes[2];
  op.partition = p.bytes[3];
  for (unsigned b = 0; b < 4; ++b) op.addr |= std::uint32_t{p.bytes[4 + b]} << (8 * b);
  op.data.assign(p.bytes.begin() + kPacketHeaderBytes, p.bytes.end());
  if (op.sem >= 32) d.error = fmt::format("semaphore {}: expected 0..31", op.sem);
  if (op.space < 1 || op.space > 3) d.error = fmt::format("space {}: expected 1..3", op.space);
  if (op.type == PacketType::kWrite && op.data.empty()) d.error = "a write without data";
  if (op.type == PacketType::kIncrement && !op.data.empty()) d.error = "an increment with data";
  if (op.type == PacketType::kIncrement && (p.bytes[1] & 0x80u) != 0) d.error = "an increment with the signal bit";
  if (op.space == 3 && op.addr / kDramPageBytes != (op.addr + op.data.size() - 1) / kDramPageBytes &&
      !op.data.empty()) {
    d.error = fmt::format("DRAM bytes 0x{:x}.. cross a 4 KiB page", op.addr);
  }
  if (d.error.empty()) d.op = std::move(op);
  return d;
}

std::vector<RemoteOp> packetize(const std::vector<ElementWrite>& writes, bool signal, std::uint8_t sem) {
  std::vector<RemoteOp> out;
  for (const ElementWrite& w : writes) {
    for (std::size_t i = 0; i < w.bytes.size(); ++i) {
      const std::uint32_t a = w.addr + static_cast<std::uint32_t>(i);
      RemoteOp* cur = out.empty() ? nullptr : &out.back();
      const bool joins = cur && cur->space == w.space && cur->partition == w.partition &&
                         cur->addr + cur->data.size() == a && cur->data.size() < kPacketDataBytes &&
                         !(w.space == 3 && a % kDramPageBytes == 0);
      if (!joins) {
        RemoteOp op;
        op.space = w.space;
        op.partition = w.partition;
        op.addr = a;
        out.push_back(std::move(op));
        cur = &out.back();
      }
      cur->data.push_back(w.bytes[i]);
    }
  }
  if (out.empty()) {
    if (!signal) return out;
    RemoteOp inc;
    inc.type = PacketType::kIncrement;
    out.push_back(inc);
  }
  out.back().last = true;
  if (signal) {
    out.back().sem = sem;
    out.back().signal = out.back().type == PacketType::kWrite;
  }
  return out;
}

}  // namespace systole::link
