// Random DMA patterns (dma_patterns.hpp) and DMA footprints (dma_program_gen.hpp).
#include "dma_patterns.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <optional>
#include <vector>

namespace systole::verif::regress {

using golden::Dap;
using golden::Dim;
using golden::Dma;
using golden::DType;
using golden::Space;

namespace {

// The words of verif/dma's bench, which were picked for the cast corners.
constexpr std::array<std::uint32_t, 30> kSpecial = {
    0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x00400000, 0x7F800000, 0xFF800000, 0x7FC00000,
    0x7FA00001, 0xFFFFFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F808000, 0x3F818000, 0x3F807FFF, 0x3F880000,
    0x3F980000, 0x43E00000, 0x43E80000, 0x43F00000, 0xC3F00000, 0x3C000000, 0x3A800000, 0x3AC00000,
    0x3B100000, 0x7FFFFFFF, 0x0000007F, 0x00000080, 0xFFFFFF80, 0xFFFFFF7F};

constexpr std::array<DType, 5> kAllTypes = {DType::kInt8, DType::kBf16, DType::kFp8, DType::kFp32, DType::kInt32};
constexpr std::array<Space, 3> kSpaces = {Space::kDram, Space::kSbuf, Space::kPsum};

unsigned space_index(Space s) { return s == Space::kDram ? 0 : s == Space::kSbuf ? 1 : 2; }

struct Rand {
  std::mt19937_64& g;
  std::uint64_t below(std::uint64_t n) { return g() % n; }
  bool pct(unsigned p) { return g() % 100 < p; }
  std::int32_t range(std::int32_t lo, std::int32_t hi) {
    return static_cast<std::int32_t>(lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1)));
  }
};

// A region of a space: DRAM bytes [base, base + bytes), or bytes [base, base + bytes) of every partition.
struct Region {
  Space space;
  std::uint32_t base, bytes;
};

// n as four counts: its prime factors spread over a random subset of the dims; on chip, the
// partition dim `pd` stays <= P.
std::array<std::uint32_t, 4> split4(Rand& r, std::uint32_t n, int pd, std::uint32_t P) {
  std::array<std::uint32_t, 4> c{1, 1, 1, 1};
  std::array<int, 4> dims{0, 1, 2, 3};
  std::shuffle(dims.begin(), dims.end(), r.g);
  const unsigned used = 1 + static_cast<unsigned>(r.below(4));
  for (std::uint32_t f = 2; n > 1;) {
    if (n % f != 0) {
      f = f * f > n ? n : f + 1;
      continue;
    }
    int d = dims[r.below(used)];
    for (unsigned k = 0; d == pd && c[d] * f > P && k < 4; ++k) d = dims[k];
    if (d == pd && c[d] * f > P) d = pd == 0 ? 1 : 0;
    c[d] *= f;
    n /= f;
  }
  return c;
}

// Strides (elements) for the byte-walking dims `free`: injective ones step past the span of the
// dims placed before them (in a random order: a transposing walk when a larger stride lands on
// dim 0); others are small, zero included, so elements repeat or overlap.
void free_strides(Rand& r, const std::array<std::uint32_t, 4>& c, const std::vector<int>& free, bool injective,
                  std::array<std::int32_t, 4>& s) {
  std::vector<int> order = free;
  std::shuffle(order.begin(), order.end(), r.g);
  std::int64_t span = 0;
  for (int d : order) {
    if (c[d] == 1) {
      s[d] = r.range(-5, 5);
      continue;
    }
    const std::int64_t mag =
        injective ? span + 1 + static_cast<std::int64_t>(r.below(span == 0 ? 3 : 2)) : r.range(0, 3);
    s[d] = static_cast<std::int32_t>(r.pct(30) ? -mag : mag);
    span += (c[d] - 1) * mag;
  }
}

// Lowest and highest element offset of the free dims.
std::pair<std::int64_t, std::int64_t> extent(const std::array<std::uint32_t, 4>& c,
                                             const std::array<std::int32_t, 4>& s, const std::vector<int>& free) {
  std::int64_t lo = 0, hi = 0;
  for (int d : free) {
    const std::int64_t e = std::int64_t{c[d] - 1} * s[d];
    (e < 0 ? lo : hi) += e;
  }
  return {lo, hi};
}

// A DAP of n elements inside `rg`, or nothing if this draw does not fit.
std::optional<Dap> make_dap(Rand& r, const PatternSpace& ps, const DmaGenParams& gp, const Region& rg, DType t,
                            std::uint32_t n, bool injective) {
  const std::uint32_t P = ps.cfg.partitions;
  const bool dram = rg.space == Space::kDram;
  const int pd = dram ? -1 : (r.pct(gp.pdim) ? static_cast<int>(r.below(3)) : 3);
  const auto c = split4(r, n, pd, P);
  std::vector<int> free;
  for (int d = 0; d < 4; ++d) {
    if (d != pd) free.push_back(d);
  }
  std::array<std::int32_t, 4> s{};
  free_strides(r, c, free, injective, s);
  const std::int64_t sz = golden::dtype_size(t), slots = rg.bytes / sz;
  auto [lo, hi] = extent(c, s, free);
  if (hi - lo + 1 > slots) {  // too spread out: contiguous, in dim order
    std::int64_t step = 1;
    for (int d : free) {
      s[d] = static_cast<std::int32_t>(step);
      step *= c[d];
    }
    std::tie(lo, hi) = extent(c, s, free);
    if (hi - lo + 1 > slots) return std::nullopt;
  }
  const std::int64_t room = slots - (hi - lo + 1);
  const unsigned edge = static_cast<unsigned>(r.below(100));
  const std::int64_t first = edge < 15 ? 0 : edge < 30 ? room : static_cast<std::int64_t>(r.below(room + 1));
  Dap d;
  d.space = rg.space;
  d.dtype = t;
  d.addr = static_cast<std::uint32_t>(rg.base + (first - lo) * sz);
  if (!dram) {
    d.pdim = static_cast<std::uint8_t>(pd);
    const std::uint32_t cp = c[pd];
    if (cp == 1) {
      s[pd] = r.range(-2, 2);
      d.pstart = static_cast<std::uint32_t>(r.below(P));
    } else {
      const std::int32_t maxs = std::min<std::int32_t>(3, static_cast<std::int32_t>((P - 1) / (cp - 1)));
      const std::int32_t mag = r.range(injective ? 1 : 0, maxs);
      s[pd] = r.pct(40) ? -mag : mag;
      const std::int64_t ext = std::int64_t{cp - 1} * s[pd];
      const std::int64_t plo = std::max<std::int64_t>(0, -ext), phi = P - 1 - std::max<std::int64_t>(0, ext);
      d.pstart = static_cast<std::uint32_t>(
          plo + static_cast<std::int64_t>(r.below(static_cast<std::uint64_t>(phi - plo + 1))));
    }
  }
  for (int k = 0; k < 4; ++k) d.dims[k] = Dim{c[k], s[k]};
  return d;
}

// Elements of a region at most: on chip every partition holds bytes / size.
std::uint64_t capacity(const PatternSpace& ps, const Region& rg, DType t) {
  const std::uint64_t per = rg.bytes / golden::dtype_size(t);
  return rg.space == Space::kDram ? per : per * ps.cfg.partitions;
}

template <class F>
void walk(const Dap& d, F f) {
  const std::int64_t sz = golden::dtype_size(d.dtype);
  const bool dram = d.space == Space::kDram;
  for (std::uint32_t i3 = 0; i3 < d.dims[3].count; ++i3) {
    for (std::uint32_t i2 = 0; i2 < d.dims[2].count; ++i2) {
      for (std::uint32_t i1 = 0; i1 < d.dims[1].count; ++i1) {
        for (std::uint32_t i0 = 0; i0 < d.dims[0].count; ++i0) {
          const std::array<std::uint32_t, 4> i{i0, i1, i2, i3};
          std::int64_t e = 0, part = 0;
          for (std::size_t k = 0; k < 4; ++k) {
            const std::int64_t step = std::int64_t{i[k]} * d.dims[k].stride;
            if (!dram && k == d.pdim) {
              part = d.pstart + step;
            } else {
              e += step;
            }
          }
          f(static_cast<std::uint32_t>(part), static_cast<std::uint64_t>(d.addr + e * sz),
            static_cast<std::uint64_t>(sz));
        }
      }
    }
  }
}

std::vector<ByteSpan> spans_of(const Dap& d) {
  std::vector<ByteSpan> v;
  walk(d, [&](std::uint32_t p, std::uint64_t b, std::uint64_t sz) { v.push_back(ByteSpan{d.space, p, b, b + sz}); });
  return merge_spans(std::move(v));
}

}  // namespace

std::uint32_t special_word(std::mt19937_64& r) { return kSpecial[r() % kSpecial.size()]; }

unsigned pair_index(const Dma& d) { return space_index(d.src.space) * 3 + space_index(d.dst.space); }

Footprint dma_footprint(const Dma& d) { return Footprint{spans_of(d.src), spans_of(d.dst)}; }

Dma random_dma(const PatternSpace& ps, const DmaGenParams& gp, std::mt19937_64& g) {
  Rand r{g};
  const DmaLayout& l = ps.layout;
  unsigned total = 0;
  for (unsigned w : gp.mix) total += w;
  for (int attempt = 0; attempt < 64; ++attempt) {
    unsigned pick = static_cast<unsigned>(r.below(total)), pair = 0;
    while (pick >= gp.mix[pair]) pick -= gp.mix[pair++];
    const Space ss = kSpaces[pair / 3], ds = kSpaces[pair % 3];
    auto region = [&](Space sp, bool src) {
      if (sp == Space::kSbuf) return Region{sp, l.sb_base, l.sb_bytes};
      if (sp == Space::kPsum) return Region{sp, l.ps_base, l.ps_bytes};
      if (src) return r.pct(50) ? Region{sp, l.ro, l.ro_bytes} : Region{sp, l.rw, l.rw_bytes};
      return r.pct(60) ? Region{sp, l.rw, l.rw_bytes} : Region{sp, l.wo, l.wo_bytes};
    };
    const Region sr = region(ss, true), dr = region(ds, false);

    // dtype pair: a copy, or a cast (never into PSUM, which holds 32-bit words only). Every draw
    // is made whatever the parameters, so that "casts=none" changes only the dtypes.
    const unsigned cast_roll = static_cast<unsigned>(r.below(100)), cast_kind = static_cast<unsigned>(r.below(3));
    const DType any = kAllTypes[r.below(kAllTypes.size())], word = r.pct(50) ? DType::kFp32 : DType::kInt32;
    DType st = any, dt = any;
    if (ds != Space::kPsum && gp.casts != "none" && cast_roll < (gp.casts == "all" ? 35u : 50u)) {
      const std::string c =
          gp.casts == "all" ? std::array{"fp32->bf16", "fp32->fp8", "int32->int8"}[cast_kind] : gp.casts;
      st = c == "int32->int8" ? DType::kInt32 : DType::kFp32;
      dt = c == "fp32->bf16" ? DType::kBf16 : c == "fp32->fp8" ? DType::kFp8 : DType::kInt8;
    } else if (ss == Space::kPsum || ds == Space::kPsum) {
      st = dt = word;
    }

    const std::uint64_t cap = std::min({std::uint64_t{gp.max_elems}, capacity(ps, sr, st), capacity(ps, dr, dt)});
    const unsigned k = static_cast<unsigned>(r.below(std::bit_width(cap) + 1));
    std::uint64_t n = r.pct(30) ? 1 + r.below(std::min<std::uint64_t>(cap, 8))
                                : 1 + r.below(std::min<std::uint64_t>(cap, std::uint64_t{1} << k));
    for (int shrink = 0; shrink < 8; ++shrink, n = std::max<std::uint64_t>(1, n / 2)) {
      const auto src = make_dap(r, ps, gp, sr, st, static_cast<std::uint32_t>(n), r.pct(50));
      const auto dst = make_dap(r, ps, gp, dr, dt, static_cast<std::uint32_t>(n), !r.pct(20));
      if (!src || !dst) continue;
      const Dma d{*dst, *src};
      const Footprint fp = dma_footprint(d);
      if (overlaps(fp.reads, fp.writes)) continue;  // its own source: undefined (isa.md)
      return d;
    }
  }
  // Every draw failed (tiny regions, or a mix with only crowded pairs): one element, RO -> SBUF.
  Dap src;
  src.space = Space::kDram;
  src.dtype = DType::kInt32;
  src.addr = l.ro;
  Dap dst;
  dst.space = Space::kSbuf;
  dst.dtype = DType::kInt32;
  dst.addr = l.sb_base;
  return Dma{dst, src};
}

}  // namespace systole::verif::regress
