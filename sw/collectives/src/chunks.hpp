// How a collective divides its elements (docs/collectives.md section 2), shared by the program
// builder and the host reference: both follow the same documented split.
#pragma once

#include <cstdint>
#include <vector>

#include "systole/collectives/collective.hpp"

namespace systole::collectives::detail {

// One ring flow: elements [lo, hi) of the input (and out_lo.. of the output) travelling in
// direction `dir` (+1 or -1) through `visits` chips starting at `first`.
struct Flow {
  int dir = 1;
  std::uint32_t first = 0;
  std::uint32_t visits = 0;
  std::uint64_t in_lo = 0, out_lo = 0, n = 0;
};

// Chunk c of `count` elements split over `parts` chunks as evenly as possible:
// [floor(c*count/parts), floor((c+1)*count/parts)).
inline std::uint64_t split_point(std::uint64_t count, std::uint64_t parts, std::uint64_t c) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(count) * c) / parts);
}

inline std::uint32_t ring_step(std::uint32_t chip, int dir, std::uint64_t k, std::uint32_t n) {
  const std::uint64_t step = k % n;
  return static_cast<std::uint32_t>(dir > 0 ? (chip + step) % n : (chip + n - step) % n);
}

// log2 of a power of two (0 for 1).
inline std::uint32_t log2_exact(std::uint32_t n) {
  std::uint32_t k = 0;
  while ((1u << k) < n) ++k;
  return k;
}

// The ring flows of a ring collective (all-reduce, reduce-scatter, all-gather, broadcast).
std::vector<Flow> ring_flows(const Spec& s);

}  // namespace systole::collectives::detail
