#include "chunks.hpp"

namespace systole::collectives::detail {

std::vector<Flow> ring_flows(const Spec& s) {
  const std::uint32_t n = s.chips;
  std::vector<Flow> flows;
  // A chunk [lo, hi) becomes one flow per direction: the first half clockwise (+1), the second
  // counter-clockwise (-1), each starting at `first` (which the caller gives per direction).
  auto add = [&](std::uint64_t in_lo, std::uint64_t out_lo, std::uint64_t len, std::uint32_t visits,
                 auto first_of_dir) {
    const std::uint64_t half = s.both_directions && n > 1 ? len / 2 + len % 2 : len;
    if (half > 0) flows.push_back(Flow{1, first_of_dir(1), visits, in_lo, out_lo, half});
    if (len > half) flows.push_back(Flow{-1, first_of_dir(-1), visits, in_lo + half, out_lo + half, len - half});
  };
  switch (s.kind) {
    case Kind::kAllReduce:
      // Chunk c starts at chip c, is reduced over N chips and then passed on N-1 more.
      for (std::uint32_t c = 0; c < n; ++c) {
        const std::uint64_t lo = split_point(s.count, n, c), hi = split_point(s.count, n, c + 1);
        add(lo, lo, hi - lo, 2 * n - 1, [&](int) { return c; });
      }
      break;
    case Kind::kReduceScatter:
      // Chunk c (input elements [c*count, (c+1)*count)) ends, reduced, on chip c.
      // In place, chip c's result lies in its own input block c (NCCL's convention).
      for (std::uint32_t c = 0; c < n; ++c) {
        add(std::uint64_t{c} * s.count, s.in_place ? std::uint64_t{c} * s.count : 0, s.count, n,
            [&](int dir) { return ring_step(c, -dir, n - 1, n); });
      }
      break;
    case Kind::kAllGather:
      // Chip c's input becomes output block c everywhere; in place, that input is block c.
      for (std::uint32_t c = 0; c < n; ++c) {
        const std::uint64_t block = std::uint64_t{c} * s.count;
        add(s.in_place ? block : 0, block, s.count, n, [&](int) { return c; });
      }
      break;
    case Kind::kBroadcast: add(0, 0, s.count, n, [&](int) { return s.root; }); break;
    default: break;
  }
  return flows;
}

}  // namespace systole::collectives::detail
