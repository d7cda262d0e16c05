#include "systole/driver/allocator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace systole::driver {

DramAllocator::DramAllocator(std::uint64_t base, std::uint64_t limit) : base_(base), limit_(limit) {
  if (limit > (std::uint64_t{1} << 32)) {
    throw std::invalid_argument(fmt::format("DramAllocator: limit 0x{:x} is beyond the 32-bit address space", limit));
  }
  if (base < limit) free_.emplace(base, limit - base);
}

std::uint32_t DramAllocator::alloc(std::uint64_t bytes, std::uint64_t align) {
  if (bytes == 0) throw std::invalid_argument("alloc: a size of 0 bytes was requested; expected at least 1");
  if (align == 0 || (align & (align - 1)) != 0) {
    throw std::invalid_argument(fmt::format("alloc: alignment {} is not a power of two", align));
  }
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    const std::uint64_t start = it->first, size = it->second;
    const std::uint64_t aligned = (start + align - 1) & ~(align - 1);
    if (aligned < start || aligned - start > size || size - (aligned - start) < bytes) continue;
    const std::uint64_t end = aligned + bytes, block_end = start + size;
    free_.erase(it);
    if (aligned > start) free_.emplace(start, aligned - start);
    if (block_end > end) free_.emplace(end, block_end - end);
    used_.emplace(aligned, bytes);
    return static_cast<std::uint32_t>(aligned);
  }
  throw OutOfDeviceMemory(fmt::format(
      "out of device DRAM: requested {} bytes (alignment {}); {} of {} bytes are free, the largest free block is {} "
      "bytes",
      bytes, align, bytes_free(), limit_ - base_, largest_free_block()));
}

void DramAllocator::free(std::uint32_t addr) {
  const auto it = used_.find(addr);
  if (it == used_.end()) {
    throw std::invalid_argument(
        fmt::format("free: 0x{:x} is not the address of a live allocation (never allocated or already freed)", addr));
  }
  std::uint64_t start = it->first, size = it->second;
  used_.erase(it);
  // Coalesce with the following and the preceding free block.
  auto next = free_.lower_bound(start);
  if (next != free_.end() && next->first == start + size) {
    size += next->second;
    next = free_.erase(next);
  }
  if (next != free_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second == start) {
      start = prev->first;
      size += prev->second;
      free_.erase(prev);
    }
  }
  free_.emplace(start, size);
}

std::uint64_t DramAllocator::size_of(std::uint32_t addr) const {
  const auto it = used_.find(addr);
  if (it == used_.end())
    throw std::invalid_argument(fmt::format("0x{:x} is not the address of a live allocation", addr));
  return it->second;
}

std::uint64_t DramAllocator::bytes_in_use() const {
  std::uint64_t n = 0;
  for (const auto& [a, s] : used_) n += s;
  return n;
}

std::uint64_t DramAllocator::bytes_free() const {
  std::uint64_t n = 0;
  for (const auto& [a, s] : free_) n += s;
  return n;
}

std::uint64_t DramAllocator::largest_free_block() const {
  std::uint64_t n = 0;
  for (const auto& [a, s] : free_) n = std::max(n, s);
  return n;
}

std::vector<DramAllocator::Block> DramAllocator::allocations() const {
  std::vector<Block> out;
  for (const auto& [a, s] : used_) out.push_back(Block{static_cast<std::uint32_t>(a), s});
  return out;
}

}  // namespace systole::driver
