// Internal: what the kernels' host functions share to place operands on a device: allocations
// freed on every exit path, and protection windows.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include "systole/driver/device.hpp"

namespace systole::kernels::detail {

// Frees device allocations when it goes out of scope (also on exceptions), last first.
class Allocations {
 public:
  explicit Allocations(driver::Device& dev) : dev_(dev) {}
  ~Allocations() {
    for (auto it = addrs_.rbegin(); it != addrs_.rend(); ++it) dev_.free(*it);
  }
  Allocations(const Allocations&) = delete;
  Allocations& operator=(const Allocations&) = delete;
  std::uint32_t alloc(std::uint64_t bytes) {
    addrs_.push_back(dev_.alloc(bytes, 64));
    return addrs_.back();
  }

 private:
  driver::Device& dev_;
  std::vector<std::uint32_t> addrs_;
};

// Several host buffers in one allocation (so one protection window covers them), each at a
// 64-byte aligned offset, in order; an empty buffer takes no room and gets the next offset.
struct PackedRegion {
  std::uint32_t base = 0;
  std::uint64_t bytes = 0;        // the allocation's size
  std::vector<std::uint32_t> at;  // each buffer's address
};
inline PackedRegion upload_packed(driver::Device& dev, Allocations& mem,
                                  std::initializer_list<std::span<const std::uint8_t>> parts) {
  const auto aligned = [](std::uint64_t n) { return (n + 63) & ~std::uint64_t{63}; };
  PackedRegion r;
  for (const auto& p : parts) r.bytes += aligned(p.size());
  r.bytes = std::max<std::uint64_t>(r.bytes, 64);
  r.base = mem.alloc(r.bytes);
  std::uint64_t off = r.base;
  for (const auto& p : parts) {
    r.at.push_back(static_cast<std::uint32_t>(off));
    if (!p.empty()) dev.upload(static_cast<std::uint32_t>(off), p);
    off += aligned(p.size());
  }
  return r;
}
// A word image (a table, say) as bytes for upload_packed.
inline std::span<const std::uint8_t> word_bytes(const std::vector<std::uint32_t>& w) {
  return {reinterpret_cast<const std::uint8_t*>(w.data()), w.size() * sizeof(std::uint32_t)};
}

// A protection window over [base, base + bytes): read-only, or read/write.
inline golden::Window window(std::uint32_t base, std::uint64_t bytes, bool write) {
  return golden::Window{base, static_cast<std::uint32_t>(base + bytes - 1), true, !write, write};
}

}  // namespace systole::kernels::detail
