// A simple first-fit allocator for device DRAM: address ranges only, no bytes behind them.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

namespace systole::driver {

// Thrown when an allocation cannot be satisfied; the message says how much was asked for and how
// much is free (in total and as the largest contiguous block).
class OutOfDeviceMemory : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Manages the byte range [base, limit) of a 32-bit address space. Blocks are carved first-fit
// from the lowest free address; freeing coalesces neighbours. Addresses are device addresses,
// so 0 is never handed out when base > 0 (the driver starts at 4 KiB to keep 0 an invalid
// address).
class DramAllocator {
 public:
  struct Block {
    std::uint32_t addr;
    std::uint64_t bytes;
  };

  DramAllocator(std::uint64_t base, std::uint64_t limit);

  // `bytes` >= 1, `align` a power of two. Throws OutOfDeviceMemory or std::invalid_argument.
  std::uint32_t alloc(std::uint64_t bytes, std::uint64_t align = 64);
  // `addr` must be the address of a live allocation (std::invalid_argument otherwise, which
  // also catches double frees).
  void free(std::uint32_t addr);

  bool is_allocated(std::uint32_t addr) const { return used_.count(addr) != 0; }
  std::uint64_t size_of(std::uint32_t addr) const;  // std::invalid_argument if not allocated
  std::uint64_t base() const { return base_; }
  std::uint64_t limit() const { return limit_; }
  std::uint64_t bytes_in_use() const;
  std::uint64_t bytes_free() const;
  std::uint64_t largest_free_block() const;
  std::vector<Block> allocations() const;  // live blocks, by address

 private:
  std::uint64_t base_, limit_;
  std::map<std::uint64_t, std::uint64_t> free_;  // start -> bytes
  std::map<std::uint64_t, std::uint64_t> used_;  // start -> bytes
};

}  // namespace systole::driver
