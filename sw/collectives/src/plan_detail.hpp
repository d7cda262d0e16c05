// Internals shared by the collective program builders.
#pragma once

#include <cstdint>
#include <vector>

#include "systole/collectives/collective.hpp"
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
// All-to-all and send/recv: DRAM to remote DRAM, no staging.
std::vector<std::vector<golden::EncodedInstruction>> direct_programs(const Spec& s, const golden::Config& cfg,
                                                                     const Layout& lay);

}  // namespace systole::collectives::detail
