// Internals shared by the collective program builders.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "systole/collectives/collective.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/isa.hpp"

namespace systole::collectives::detail {

// SBUF tiles of the ring collectives: `width` elements per partition, `slots` receive, result
// and operand slots per direction.
struct Tiling {
  std::uint32_t width = 0;
  std::uint32_t slots = 0;
};
Tiling choose_tiling(const Spec& s, const golden::Config& cfg);

std::vector<std::vector<golden::EncodedInstruction>> ring_programs(const Spec& s, const golden::Config& cfg,
                                                                   const Layout& lay, const Tiling& t);
// The all-reduce's other algorithms (allreduce_alt.cpp).
std::vector<std::vector<golden::EncodedInstruction>> direct_allreduce_programs(const Spec& s, const golden::Config& cfg,
                                                                               const Layout& lay, const Tiling& t);
std::vector<std::vector<golden::EncodedInstruction>> recursive_doubling_programs(const Spec& s,
                                                                                 const golden::Config& cfg,
                                                                                 const Layout& lay, const Tiling& t);
// Copies n contiguous elements from `src` (this chip's DRAM) to `dst` (on chip `to`, or here when
// to == chip) on DMA queue `queue`, the first DMA waiting as `first` says, the last carrying
// `rsig` (the remote signal on chip `to`, or a local signal when to == chip).
void dram_copy(golden::ProgramBuilder& b, const Spec& s, unsigned queue, std::uint32_t chip, std::uint32_t to,
               std::uint64_t dst, std::uint64_t src, std::uint64_t n, std::optional<golden::Sem> rsig,
               golden::ProgramBuilder::Deps first = {});
// All-to-all and send/recv: DRAM to remote DRAM, no staging.
std::vector<std::vector<golden::EncodedInstruction>> direct_programs(const Spec& s, const golden::Config& cfg,
                                                                     const Layout& lay);

}  // namespace systole::collectives::detail
