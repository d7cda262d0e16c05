// Internal: what the kernels' host functions share to place operands on a device: allocations
// freed on every exit path, and protection windows.
#pragma once

#include <cstdint>
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

// A protection window over [base, base + bytes): read-only, or read/write.
inline golden::Window window(std::uint32_t base, std::uint64_t bytes, bool write) {
  return golden::Window{base, static_cast<std::uint32_t>(base + bytes - 1), true, !write, write};
}

}  // namespace systole::kernels::detail
