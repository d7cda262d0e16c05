// Static checks of docs/isa.md section 6: what the sequencer checks at decode.
#pragma once

#include <array>
#include <cstdint>

#include "systole/golden/config.hpp"
#include "systole/golden/errors.hpp"
#include "systole/golden/isa.hpp"

namespace systole::golden {

// A DRAM protection window (csr.md WIN_*): [base, limit] inclusive.
struct Window {
  std::uint32_t base = 0;
  std::uint32_t limit = 0;
  bool enable = false;
  bool read = false;
  bool write = false;
};
inline constexpr std::size_t kNumWindows = 4;
using Windows = std::array<Window, kNumWindows>;

// Byte range [lo, hi] (inclusive) that a pattern may touch, per partition for on-chip spaces.
struct ByteRange {
  std::int64_t lo = 0;
  std::int64_t hi = -1;
};
// Lowest/highest element offsets (in elements) of a set of dims.
ByteRange element_span(std::span<const Dim> dims);

// Where a chip sits in a multi-chip system (csr.md CHIP_ID, CHIP_COUNT): a remote operation
// must name another chip of the system.
struct ChipIdentity {
  std::uint32_t id = 0;
  std::uint32_t count = 1;
};

// Runs every static check on a decoded instruction. Returns an empty Fault when it passes.
Fault validate(const Instruction& insn, const Config& cfg, const Windows& windows, const ChipIdentity& chip = {});

}  // namespace systole::golden
