// Random DMA instructions for the DMA queue bench, built like sw/golden/tests/test_dma.cpp
// builds its random programs (counts split over the four dims, strides of either sign and zero,
// a random partition dim on chip, casts), inside the bench layout of dma_bench.hpp, and kept
// only when the golden model's static checks (validate) accept them.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "dma_bench.hpp"

namespace systole::verif::dmab {

inline constexpr std::array<DType, 5> kAllTypes = {DType::kInt8, DType::kBf16, DType::kFp8, DType::kFp32,
                                                   DType::kInt32};

// What a set of generated instructions covered.
struct Coverage {
  int dmas = 0, casts = 0, pdims = 0, dst_repeats = 0, src_repeats = 0, negative = 0, page_crossings = 0;
  std::array<std::array<int, 4>, 4> pairs{};  // [src space][dst space]
  std::array<int, 4> cast_kinds{};            // none, bf16, fp8, int8
};

struct Gen {
  Config cfg;
  Layout lay;
  Rng& r;

  std::uint32_t half_bytes(Space s) const {
    return s == Space::kDram ? kWork / 2 : (s == Space::kSbuf ? lay.sb_bytes : lay.ps_bytes) / 2;
  }
  std::uint32_t half_base(Space s, unsigned h) const {
    const std::uint32_t b = s == Space::kDram ? 0 : (s == Space::kSbuf ? lay.sb_base : lay.ps_base);
    return b + h * half_bytes(s);
  }

  // n as up to four counts; on chip, dim 3 (the partition walk before any permutation) stays <= P.
  std::array<std::uint32_t, 4> split4(std::uint32_t n, bool onchip) {
    std::array<std::uint32_t, 4> c{1, 1, 1, 1};
    const std::uint32_t used = 1 + r.below(4);
    std::array<std::uint32_t, 4> dims{0, 1, 2, 3};
    std::shuffle(dims.begin(), dims.end(), r.g);
    for (std::uint32_t f = 2; n > 1;) {
      if (n % f != 0) {
        ++f;
        continue;
      }
      std::uint32_t d = dims[r.below(used)];
      if (onchip && d == 3 && c[3] * f > cfg.partitions) d = dims[0] == 3 ? dims[1] : dims[0];
      if (onchip && d == 3 && c[3] * f > cfg.partitions) d = 0;
      c[d] *= f;
      n /= f;
    }
    return c;
  }

  // Strides for `counts`: injective ones never revisit an element (each dim steps past the span
  // of the dims placed before it); others may be zero or overlap.
  template <std::size_t N>
  std::array<std::int32_t, N> strides(const std::array<std::uint32_t, N>& counts, bool injective) {
    std::array<std::int32_t, N> s{};
    std::array<std::size_t, N> order{};
    for (std::size_t i = 0; i < N; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), r.g);
    std::int64_t span = 0;
    for (std::size_t d : order) {
      if (counts[d] == 1) {
        s[d] = r.range(-5, 5);
        continue;
      }
      const std::int64_t mag = injective ? span + 1 + r.below(span == 0 ? 3 : 2) : r.range(0, 3);
      s[d] = static_cast<std::int32_t>(r.coin(30) ? -mag : mag);
      span += (counts[d] - 1) * mag;
    }
    return s;
  }

  // A DAP with these counts inside half `h` of its space. DRAM patterns are placed across a
  // 4 KiB boundary a third of the time.
  std::optional<Dap> dap(Space sp, DType t, const std::array<std::uint32_t, 4>& n, unsigned h, bool injective) {
    Dap d;
    d.space = sp;
    d.dtype = t;
    const bool dram = sp == Space::kDram;
    std::array<std::int32_t, 4> s{};
    if (dram) {
      s = strides<4>(n, injective);
    } else {
      const auto f = strides<3>({n[0], n[1], n[2]}, injective);
      std::copy(f.begin(), f.end(), s.begin());
      const std::int32_t max_step = n[3] > 1 ? static_cast<std::int32_t>((cfg.partitions - 1) / (n[3] - 1)) : 3;
      if (max_step == 0) return std::nullopt;
      const std::int32_t mag =
          injective || n[3] == 1 ? r.range(1, std::min(max_step, 3)) : r.range(0, std::min(max_step, 3));
      s[3] = r.coin(40) ? -mag : mag;
      const std::int64_t ext = std::int64_t{n[3] - 1} * s[3];
      const std::int64_t lo = std::max<std::int64_t>(0, -ext), hi = cfg.partitions - 1 - std::max<std::int64_t>(0, ext);
      d.pstart = static_cast<std::uint32_t>(lo + r.below(static_cast<std::uint64_t>(hi - lo + 1)));
    }
    std::int64_t lo = 0, hi = 0;
    for (int k = 0; k < (dram ? 4 : 3); ++k) {
      const std::int64_t ext = std::int64_t{n[k] - 1} * s[k];
      (ext < 0 ? lo : hi) += ext;
    }
    const std::int64_t sz = dtype_size(t), slots = half_bytes(sp) / sz, used = hi - lo + 1;
    if (used > slots) return std::nullopt;
    std::int64_t first = r.below(static_cast<std::uint64_t>(slots - used + 1));
    if (dram && r.coin(33)) {
      // Straddle a page boundary inside the half: the lowest element a little below it.
      const std::int64_t pages = half_bytes(sp) / 4096;
      const std::int64_t boundary = (1 + r.below(static_cast<std::uint64_t>(pages - 1))) * 4096 / sz;
      first = std::clamp<std::int64_t>(boundary - 1 - r.below(static_cast<std::uint64_t>(used)), 0, slots - used);
    }
    d.addr = static_cast<std::uint32_t>(half_base(sp, h) + (first - lo) * sz);
    for (int k = 0; k < 4; ++k) d.dims[k] = Dim{n[k], s[k]};
    // On chip, move the partition walk to a random dim half of the time.
    if (!dram && r.coin(50)) {
      d.pdim = static_cast<std::uint8_t>(r.below(4));
      std::swap(d.dims[3], d.dims[d.pdim]);
    }
    return d;
  }

  std::optional<Dma> dma(Space ss, Space ds) {
    const bool psum = ss == Space::kPsum || ds == Space::kPsum;
    const DType t = psum ? (r.coin() ? DType::kFp32 : DType::kInt32) : kAllTypes[r.below(kAllTypes.size())];
    DType td = t;
    if (ds != Space::kPsum && (t == DType::kFp32 || t == DType::kInt32) && r.coin(35)) {
      td = t == DType::kInt32 ? DType::kInt8 : (r.coin() ? DType::kBf16 : DType::kFp8);
    }
    const std::uint32_t n = 1 + r.below(r.coin(70) ? 64 : 600);
    const unsigned sh = r.below(2), dh = ss == ds ? 1 - sh : r.below(2);  // same space: other half
    const auto src = dap(ss, t, split4(n, ss != Space::kDram), sh, r.coin(50));
    const auto dst = dap(ds, td, split4(n, ds != Space::kDram), dh, !r.coin(20));
    if (!src || !dst) return std::nullopt;
    return Dma{*dst, *src};
  }

  // A valid random DMA between the given spaces (drawn again until the static checks pass).
  Dma valid_dma(Space ss, Space ds) {
    const Windows w = open_windows();
    for (int tries = 0;; ++tries) {
      if (tries > 10000) throw std::runtime_error("dma_gen: no valid DMA drawn");
      const auto d = dma(ss, ds);
      if (!d) continue;
      if (validate(dma_insn(*d), cfg, w)) continue;
      return *d;
    }
  }
};

inline bool repeats(const Dap& d) {
  // A stride of 0 on a dim that counts more than 1 names an element twice.
  for (int k = 0; k < 4; ++k) {
    if (d.dims[k].count > 1 && d.dims[k].stride == 0) return true;
  }
  return false;
}

inline void tally(Coverage& c, const Dma& d) {
  ++c.dmas;
  ++c.pairs[static_cast<int>(d.src.space)][static_cast<int>(d.dst.space)];
  const int kind = d.src.dtype == d.dst.dtype    ? 0
                   : d.dst.dtype == DType::kBf16 ? 1
                   : d.dst.dtype == DType::kFp8  ? 2
                                                 : 3;
  ++c.cast_kinds[kind];
  c.casts += kind != 0;
  c.pdims += (d.src.space != Space::kDram && d.src.pdim != 3) || (d.dst.space != Space::kDram && d.dst.pdim != 3);
  c.dst_repeats += repeats(d.dst);
  c.src_repeats += repeats(d.src);
  bool neg = false;
  for (const Dap* p : {&d.src, &d.dst}) {
    for (const Dim& x : p->dims) neg = neg || (x.count > 1 && x.stride < 0);
    if (p->space == Space::kDram) {
      const ByteRange e = element_span(p->dims);
      const std::int64_t sz = dtype_size(p->dtype);
      const std::int64_t lo = p->addr + e.lo * sz, hi = p->addr + (e.hi + 1) * sz - 1;
      c.page_crossings += (lo >> 12) != (hi >> 12);
    }
  }
  c.negative += neg;
}

// The bench's fill and dump DMAs: DRAM -> the SBUF/PSUM regions of every partition (fp32 words),
// and the regions -> DRAM at kSbufDump / kPsumDump.
inline Dap region_dap(const Config& cfg, Space sp, std::uint32_t base, std::uint32_t bytes) {
  Dap d;
  d.space = sp;
  d.dtype = DType::kInt32;
  d.addr = base;
  d.dims = {Dim{bytes / 4, 1}, Dim{1, 0}, Dim{1, 0}, Dim{cfg.partitions, 1}};
  return d;
}
inline Dap dram_rows(std::uint32_t addr, std::uint32_t rows, std::uint32_t bytes) {
  Dap d;
  d.space = Space::kDram;
  d.dtype = DType::kInt32;
  d.addr = addr;
  d.dims = {Dim{bytes / 4, 1}, Dim{1, 0}, Dim{1, 0}, Dim{rows, static_cast<std::int32_t>(bytes / 4)}};
  return d;
}
inline std::vector<Instruction> fill_program(const Config& cfg, const Layout& l) {
  return {dma_insn(Dma{region_dap(cfg, Space::kSbuf, l.sb_base, l.sb_bytes), dram_rows(0, cfg.partitions, l.sb_bytes)}),
          dma_insn(Dma{region_dap(cfg, Space::kPsum, l.ps_base, l.ps_bytes),
                       dram_rows(kWork / 2, cfg.partitions, l.ps_bytes)})};
}
inline std::vector<Instruction> dump_program(const Config& cfg, const Layout& l) {
  return {dma_insn(Dma{dram_rows(kSbufDump, cfg.partitions, l.sb_bytes),
                       region_dap(cfg, Space::kSbuf, l.sb_base, l.sb_bytes)}),
          dma_insn(Dma{dram_rows(kPsumDump, cfg.partitions, l.ps_bytes),
                       region_dap(cfg, Space::kPsum, l.ps_base, l.ps_bytes)})};
}

}  // namespace systole::verif::dmab
