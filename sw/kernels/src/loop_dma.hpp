// Internal: DMA transfers described as one loop nest shared by source and destination, split
// across DMA queues and, where a count or a stride does not fit its DAP field, into several
// instructions. Kernels describe what to move; this decides how many instructions it takes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"

namespace systole::kernels::detail {

// One loop of the nest: `count` iterations, advancing the source and the destination by their
// strides (elements; partitions for the loop that walks partitions on chip).
struct LoopDim {
  std::uint32_t count = 1;
  std::int64_t src = 0;
  std::int64_t dst = 0;
};

struct Side {
  golden::Space space = golden::Space::kDram;
  golden::DType dtype = golden::DType::kInt8;
  std::uint64_t addr = 0;    // DRAM byte address, or byte offset inside each partition
  std::uint32_t pstart = 0;  // on chip
  int pdim = -1;             // on chip: the loop that walks partitions
};

struct LoopDma {
  Side src, dst;
  std::array<LoopDim, 4> dims{};  // innermost first
  std::uint64_t elements() const {
    std::uint64_t n = 1;
    for (const auto& d : dims) n *= d.count;
    return n;
  }
};

class DmaEmitter {
 public:
  DmaEmitter(golden::ProgramBuilder& b, const golden::Config& cfg) : b_(b), cfg_(cfg) {}

  // Splits `t` along loop `split_dim` into up to one piece per DMA queue (pieces of at least
  // kMinPiece elements), on consecutive queues (continuing round-robin from the last call),
  // each piece with the same deps (wait and signal).
  void emit(const LoopDma& t, int split_dim, const golden::Deps& deps);
  // Later emit() calls use queues [first, first + count) only (by default all of them): a kernel
  // keeps its loads and its stores on different queues, so that a store waiting for its data
  // does not hold up a load behind it in the same in-order queue.
  void use_queues(unsigned first, unsigned count);
  // The usual split: loads on the first half of the queues, stores on the second half (all of
  // them share the single queue of a one-queue configuration).
  void use_load_queues() { use_queues(0, std::max(1u, cfg_.dma_queues / 2)); }
  void use_store_queues() {
    const unsigned half = cfg_.dma_queues / 2;
    use_queues(half, cfg_.dma_queues - half);
  }

  static constexpr std::uint64_t kMinPiece = 64;

 private:
  void emit_fitting(unsigned queue, const LoopDma& t, const golden::Deps& deps);

  golden::ProgramBuilder& b_;
  const golden::Config& cfg_;
  unsigned next_queue_ = 0;
  unsigned first_queue_ = 0, queue_count_ = 0;  // 0: every queue
};

}  // namespace systole::kernels::detail
