// Random TAP-shaped patterns for the vector engine's operand benches (verif/vector): lanes,
// element size, three dims with signed strides, and a base that keeps every element inside a
// partition of `bytes` bytes, aligned to its size. The element offsets are the golden model's
// (docs/isa.md section 3: i0 fastest).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <vector>

namespace systole::verif::vec {

struct Pattern {
  unsigned pstart = 0, np = 1, lg = 2;  // lanes pstart .. pstart + np - 1; 2^lg bytes per element
  std::uint32_t base = 0;
  std::array<std::uint32_t, 3> n{1, 1, 1};
  std::array<std::int32_t, 3> s{1, 0, 0};  // in elements
  std::size_t size() const { return std::size_t{n[0]} * n[1] * n[2]; }
  // Byte offset of every element, in iteration order.
  std::vector<std::int64_t> offsets() const {
    std::vector<std::int64_t> o;
    for (std::uint32_t i2 = 0; i2 < n[2]; ++i2)
      for (std::uint32_t i1 = 0; i1 < n[1]; ++i1)
        for (std::uint32_t i0 = 0; i0 < n[0]; ++i0)
          o.push_back(base + ((std::int64_t{i0} * s[0] + std::int64_t{i1} * s[1] + std::int64_t{i2} * s[2]) << lg));
    return o;
  }
  // at_end of dims 0..2 at element j.
  unsigned at_end(std::size_t j) const {
    const std::uint32_t i0 = static_cast<std::uint32_t>(j % n[0]), i1 = static_cast<std::uint32_t>(j / n[0] % n[1]),
                        i2 = static_cast<std::uint32_t>(j / (std::size_t{n[0]} * n[1]));
    return (i0 == n[0] - 1 ? 1u : 0u) | (i1 == n[1] - 1 ? 2u : 0u) | (i2 == n[2] - 1 ? 4u : 0u);
  }
  // The strides as the walkers take them: bytes, two's complement in `bits` bits.
  std::uint64_t stride_field(int d, unsigned bits) const {
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(s[d]) << lg) & ((std::uint64_t{1} << bits) - 1);
  }
};

// Drives a walker job's ports (vec_reader, vec_writer: job_pstart_i .. job_s_i) with `p`; the
// strides are `off_bits`-bit byte offsets.
template <class Model>
void present_job(Model& m, const Pattern& p, unsigned off_bits) {
  m.job_pstart_i = p.pstart;
  m.job_np_i = p.np;
  m.job_lg_i = p.lg;
  m.job_base_i = p.base;
  m.job_n_i = std::uint64_t{p.n[0]} | (std::uint64_t{p.n[1]} << 12) | (std::uint64_t{p.n[2]} << 24);
  m.job_s_i = p.stride_field(0, off_bits) | (p.stride_field(1, off_bits) << off_bits) |
              (p.stride_field(2, off_bits) << (2 * off_bits));
}

// Contiguous runs (s0 = +-1), strided, zero and negative strides; up to `max_elems` elements.
inline Pattern random_pattern(std::mt19937& g, unsigned partitions, std::uint32_t bytes, std::size_t max_elems = 300) {
  auto u = [&](std::uint32_t k) { return static_cast<std::uint32_t>(g() % k); };
  for (;;) {
    Pattern p;
    p.pstart = u(partitions);
    p.np = 1 + u(partitions - p.pstart);
    p.lg = u(3);
    const unsigned kind = u(4);
    p.n[0] = 1 + u(kind == 0 ? 64 : 12);
    p.n[1] = 1 + u(kind == 3 ? 1 : 6);
    p.n[2] = 1 + u(kind >= 2 ? 1 : 4);
    auto stride = [&](int range) { return static_cast<std::int32_t>(u(2 * range + 1)) - range; };
    p.s[0] = kind <= 1 ? (u(4) == 0 ? -1 : 1) : stride(5);
    p.s[1] = u(3) == 0 ? stride(40) : static_cast<std::int32_t>(p.n[0]) * (p.s[0] < 0 ? -1 : 1) * (1 + u(2));
    p.s[2] = stride(300);
    if (p.size() > max_elems) continue;
    std::int64_t lo = 0, hi = 0;
    p.base = 0;
    for (std::int64_t o : p.offsets()) {
      lo = std::min(lo, o);
      hi = std::max(hi, o);
    }
    const std::int64_t span = hi - lo + (std::int64_t{1} << p.lg);
    if (span > bytes) continue;
    const std::int64_t slack = (bytes - span) >> p.lg;
    p.base = static_cast<std::uint32_t>(-lo + ((static_cast<std::int64_t>(g() % (slack + 1))) << p.lg));
    return p;
  }
}

}  // namespace systole::verif::vec
