// The instruction helpers every collective program builder shares: waits on several semaphores,
// a tile of n elements as (up to) two partition blocks, and DRAM <-> SBUF moves of a tile.
#pragma once

#include <cstdint>
#include <vector>

#include "plan_detail.hpp"
#include "systole/golden/builder.hpp"

namespace systole::collectives::detail {

// A wait condition: semaphore >= value (value 0 is always true).
struct Cond {
  golden::Sem sem;
  std::uint32_t value;
};

class TileOps {
 protected:
  using Deps = golden::ProgramBuilder::Deps;

  TileOps(const Spec& s, const golden::Config& cfg, const Tiling& t, std::uint32_t chip)
      : s_(s), t_(t), b_(cfg, golden::ChipIdentity{chip, s.chips}), size_(golden::dtype_size(s.dtype)) {}

  // Emits `conds` as waits in front of an instruction on `eng`: all but the last as NOPs; the
  // last is returned for the instruction itself.
  Deps waits(std::uint8_t eng, std::vector<Cond> conds) {
    std::erase_if(conds, [](const Cond& c) { return c.value == 0; });
    for (std::size_t i = 0; i + 1 < conds.size(); ++i) b_.nop(eng, b_.wait(conds[i].sem, conds[i].value));
    if (conds.empty()) return {};
    return b_.wait(conds.back().sem, conds.back().value);
  }
  // The (up to) two parts of a tile of n elements: `rows` full partitions of W, then the rest;
  // emit(first partition, partitions, width, element offset, first part, last part).
  template <typename F>
  void parts(std::uint64_t n, F&& emit) {
    const auto rows = static_cast<std::uint32_t>(n / t_.width);
    const auto rem = static_cast<std::uint32_t>(n % t_.width);
    const bool two = rows > 0 && rem > 0;
    if (rows > 0) emit(0u, rows, t_.width, std::uint64_t{0}, true, !two);
    if (rem > 0) emit(rows, 1u, rem, std::uint64_t{rows} * t_.width, !two, true);
  }
  golden::Dap sbuf(std::uint32_t offset, std::uint32_t p0, std::uint32_t pc, std::uint32_t w) const {
    return golden::onchip(golden::Space::kSbuf, s_.dtype, p0, pc, offset, {{w, 1}});
  }
  golden::Dap dram_rows(std::uint64_t elem, std::uint32_t pc, std::uint32_t w) const {
    return golden::dram(s_.dtype, static_cast<std::uint32_t>(elem * size_),
                        {{w, 1}, {pc, static_cast<std::int32_t>(w)}});
  }
  golden::Tap sbuf_tap(std::uint32_t offset, std::uint32_t p0, std::uint32_t pc, std::uint32_t w) const {
    return golden::tap(golden::Space::kSbuf, s_.dtype, p0, pc, offset, {{w, 1}});
  }
  // DRAM <-> SBUF slot for a tile: the first part waits `d`, the last signals `sig`.
  void move(unsigned q, bool to_sbuf, std::uint32_t slot_off, std::uint64_t dram_byte_base, std::uint64_t elem0,
            std::uint64_t n, Deps d, golden::Sem sig) {
    parts(n, [&](std::uint32_t p0, std::uint32_t pc, std::uint32_t w, std::uint64_t off, bool first, bool last) {
      Deps dd = first ? d : Deps{};
      if (last) dd = dd.and_signal(sig);
      const golden::Dap mem = dram_rows(dram_byte_base / size_ + elem0 + off, pc, w);
      const golden::Dap on = sbuf(slot_off, p0, pc, w);
      if (to_sbuf) {
        b_.dma(q, on, mem, dd);
      } else {
        b_.dma(q, mem, on, dd);
      }
    });
  }
  golden::AluOp alu() const {
    return s_.op == RedOp::kSum   ? golden::AluOp::kAdd
           : s_.op == RedOp::kMax ? golden::AluOp::kMax
                                  : golden::AluOp::kMin;
  }

  const Spec& s_;
  const Tiling& t_;
  golden::ProgramBuilder b_;
  std::uint32_t size_;
};

}  // namespace systole::collectives::detail
