// Independent references for the instruction tests (test_vector_*.cpp, test_dma.cpp), written
// from docs/isa.md and docs/numerics.md: a shadow copy of DRAM/SBUF/PSUM, TAP element addressing
// (isa.md section 3), the conversions of numerics.md section 4, random stimulus and a runner that
// compares every byte of the machine with the shadow. Arithmetic uses only the scalar functions of
// numerics.hpp; nothing here calls the golden model's executor.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "systole/golden/builder.hpp"
#include "systole/golden/machine.hpp"
#include "systole/golden/numerics.hpp"

namespace isaref {

using namespace systole::golden;
using num::f32_bits;

inline constexpr f32_bits kNaN = 0x7FC00000u;
inline constexpr f32_bits kSign = 0x80000000u;
inline constexpr f32_bits kOne = 0x3F800000u;

// ---- numerics.md section 4 ----------------------------------------------------------------------
inline bool is_nan(f32_bits x) { return (x & 0x7F800000u) == 0x7F800000u && (x & 0x007FFFFFu) != 0; }
// Denormals (and zeros) become a zero of the same sign.
inline f32_bits daz(f32_bits x) { return (x & 0x7F800000u) == 0 ? (x & kSign) : x; }
inline float host(f32_bits x) { return std::bit_cast<float>(x); }

// "Into fp32" table.
inline f32_bits to_f32(DType t, std::uint32_t raw) {
  switch (t) {
    case DType::kInt8: return num::int8_to_f32(static_cast<std::int8_t>(raw & 0xFFu));
    case DType::kInt32: return num::int32_to_f32(static_cast<std::int32_t>(raw));
    case DType::kBf16: return num::bf16_to_f32(static_cast<num::bf16_bits>(raw & 0xFFFFu));
    case DType::kFp8: return num::fp8_to_f32(static_cast<num::fp8_bits>(raw & 0xFFu));
    case DType::kFp32: return is_nan(raw) ? kNaN : daz(raw);
  }
  throw std::logic_error("bad dtype");
}
// "Out of fp32" table.
inline std::uint32_t from_f32(DType t, f32_bits v) {
  switch (t) {
    case DType::kInt8: return static_cast<std::uint8_t>(num::f32_to_int8(v));
    case DType::kInt32: return static_cast<std::uint32_t>(num::f32_to_int32(v));
    case DType::kBf16: return num::f32_to_bf16(v);
    case DType::kFp8: return num::f32_to_fp8(v);
    case DType::kFp32: return is_nan(v) ? kNaN : daz(v);
  }
  throw std::logic_error("bad dtype");
}
inline bool is_int(DType t) { return t == DType::kInt8 || t == DType::kInt32; }
inline std::uint32_t size_of(DType t) {
  return t == DType::kFp32 || t == DType::kInt32 ? 4u : (t == DType::kBf16 ? 2u : 1u);
}
// Integer reads: int8 sign-extends. Integer writes: int8 saturates.
inline std::int32_t to_int(DType t, std::uint32_t raw) {
  return t == DType::kInt8 ? static_cast<std::int8_t>(raw & 0xFFu) : static_cast<std::int32_t>(raw);
}
inline std::uint32_t from_int(DType t, std::int32_t v) {
  if (t != DType::kInt8) return static_cast<std::uint32_t>(v);
  return static_cast<std::uint8_t>(static_cast<std::int8_t>(std::clamp(v, -128, 127)));
}
// COPY/SELECT conversion: integer to integer without fp32, anything else through fp32.
inline std::uint32_t convert(DType to, DType from, std::uint32_t raw) {
  if (is_int(to) && is_int(from)) return from_int(to, to_int(from, raw));
  return from_f32(to, to_f32(from, raw));
}

inline constexpr std::array<DType, 5> kAllTypes = {DType::kInt8, DType::kBf16, DType::kFp8, DType::kFp32,
                                                   DType::kInt32};

// ---- shadow memories ------------------------------------------------------------------------------
struct Loc {
  Space space;
  std::uint32_t part;
  std::int64_t byte;
  std::uint32_t size;
};

struct Shadow {
  std::uint32_t parts, sbuf_bytes, psum_bytes;
  std::vector<std::uint8_t> dram, sbuf, psum;  // on chip: partition-major

  explicit Shadow(Machine& m)
      : parts(m.config().partitions),
        sbuf_bytes(m.config().sbuf_bytes),
        psum_bytes(m.config().psum_bytes),
        dram(m.dram().begin(), m.dram().end()) {
    for (std::uint32_t p = 0; p < parts; ++p) {
      auto s = m.sbuf_partition(p);
      auto q = m.psum_partition(p);
      sbuf.insert(sbuf.end(), s.begin(), s.end());
      psum.insert(psum.end(), q.begin(), q.end());
    }
  }
  std::uint8_t* at(const Loc& l) {
    const std::uint64_t per = l.space == Space::kSbuf ? sbuf_bytes : psum_bytes;
    if (l.space == Space::kDram) {
      if (l.part != 0 || l.byte < 0 || static_cast<std::uint64_t>(l.byte) + l.size > dram.size()) {
        throw std::out_of_range(fmt::format("reference: DRAM byte {}", l.byte));
      }
      return dram.data() + l.byte;
    }
    if (l.space == Space::kNone || l.part >= parts || l.byte < 0 || static_cast<std::uint64_t>(l.byte) + l.size > per) {
      throw std::out_of_range(fmt::format("reference: {} p{} byte {}", space_name(l.space), l.part, l.byte));
    }
    return (l.space == Space::kSbuf ? sbuf.data() : psum.data()) + l.part * per + l.byte;
  }
  std::uint32_t load(const Loc& l) {
    const std::uint8_t* p = at(l);
    std::uint32_t v = 0;
    for (std::uint32_t b = 0; b < l.size; ++b) v |= std::uint32_t{p[b]} << (8 * b);
    return v;
  }
  void store(const Loc& l, std::uint32_t v) {
    std::uint8_t* p = at(l);
    for (std::uint32_t b = 0; b < l.size; ++b) p[b] = static_cast<std::uint8_t>(v >> (8 * b));
  }
};

// Every byte of the machine against the shadow; empty when equal, else the first mismatches.
inline std::string diff(const Shadow& want, Machine& m) {
  std::string out;
  int n = 0;
  auto cmp = [&](const char* name, std::uint32_t part, const std::uint8_t* w, std::span<const std::uint8_t> got) {
    if (std::equal(got.begin(), got.end(), w)) return;
    for (std::size_t i = 0; i < got.size() && n < 6; ++i) {
      if (w[i] != got[i]) {
        out += fmt::format("  {} p{} byte {:#x}: expected {:02x} got {:02x}\n", name, part, i, w[i], got[i]);
        ++n;
      }
    }
  };
  cmp("DRAM", 0, want.dram.data(), m.dram());
  for (std::uint32_t p = 0; p < want.parts; ++p) {
    cmp("SBUF", p, want.sbuf.data() + std::size_t{p} * want.sbuf_bytes, m.sbuf_partition(p));
    cmp("PSUM", p, want.psum.data() + std::size_t{p} * want.psum_bytes, m.psum_partition(p));
  }
  return out;
}

// ---- TAP / CAP addressing (isa.md section 3) ------------------------------------------------------
// Element j of lane l: j = i0 + n0*(i1 + n1*i2), byte offset + (i0*s0 + i1*s1 + i2*s2) * size.
inline Loc tap_loc(const Tap& t, std::uint32_t lane, std::uint64_t j) {
  const std::uint64_t n0 = t.dims[0].count, n1 = t.dims[1].count;
  const auto i0 = static_cast<std::int64_t>(j % n0);
  const auto i1 = static_cast<std::int64_t>((j / n0) % n1);
  const auto i2 = static_cast<std::int64_t>(j / (n0 * n1));
  const std::int64_t e = i0 * t.dims[0].stride + i1 * t.dims[1].stride + i2 * t.dims[2].stride;
  const std::uint32_t sz = size_of(t.dtype);
  return Loc{t.space, t.pstart + lane, std::int64_t{t.offset} + e * sz, sz};
}
inline std::uint64_t free_size(const Tap& t) {
  return std::uint64_t{t.dims[0].count} * t.dims[1].count * t.dims[2].count;
}
inline Loc cap_loc(const Cap& c, std::uint32_t lane) {
  return Loc{c.space, c.pstart + lane, c.offset, size_of(c.dtype)};
}

// ---- random stimulus ------------------------------------------------------------------------------
inline std::uint64_t seed(std::uint64_t salt) {
  const char* s = std::getenv("SYSTOLE_SEED");
  return (s ? std::strtoull(s, nullptr, 0) : 0x15A5EEDull) ^ salt;
}

// splitmix64: fast enough to refill the memories for every case.
struct SplitMix {
  using result_type = std::uint64_t;
  std::uint64_t state;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

struct Rng {
  SplitMix g;
  explicit Rng(std::uint64_t s) : g{s} {}
  std::uint64_t bits() { return g(); }
  std::uint32_t below(std::uint64_t n) { return static_cast<std::uint32_t>(g() % n); }
  std::int32_t range(std::int32_t lo, std::int32_t hi) {  // inclusive
    return static_cast<std::int32_t>(lo + static_cast<std::int64_t>(g() % (static_cast<std::uint64_t>(hi - lo) + 1)));
  }
  bool coin(unsigned percent = 50) { return g() % 100 < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

// fp32 with plenty of specials: zeros, infinities, NaNs, denormals, range edges, small integers.
inline f32_bits rand_f32(Rng& r) {
  const f32_bits sign = r.coin() ? kSign : 0u;
  const auto frac = static_cast<f32_bits>(r.bits()) & 0x007FFFFFu;
  switch (r.below(16)) {
    case 0: return sign;
    case 1: return sign | 0x7F800000u;
    case 2: return sign | 0x7F800000u | (frac ? frac : 1u);
    case 3: return sign | (frac ? frac : 1u);
    case 4: return sign | ((1u + r.below(2)) << 23) | frac;
    case 5: return sign | ((253u + r.below(2)) << 23) | frac;
    case 6: return std::bit_cast<f32_bits>(static_cast<float>(r.range(-8, 8)));
    default: return sign | ((110u + r.below(31)) << 23) | frac;
  }
}
inline std::uint32_t rand_elem(Rng& r, DType t) {
  switch (t) {
    case DType::kFp32: return rand_f32(r);
    case DType::kBf16: return r.coin(80) ? rand_f32(r) >> 16 : static_cast<std::uint16_t>(r.bits());
    case DType::kFp8:
    case DType::kInt8: return static_cast<std::uint8_t>(r.bits());
    case DType::kInt32: {
      static const std::vector<std::uint32_t> edges = {
          0x80000000u, 0x7FFFFFFFu, 0xFFFFFFFFu, 0, 1, 0x01000001u, 0xFEFFFFFFu, 127, 128, 0xFFFFFF80u, 0xFFFFFF7Fu};
      switch (r.below(4)) {
        case 0: return r.pick(edges);
        case 1: return static_cast<std::uint32_t>(r.range(-300, 300));
        default: return static_cast<std::uint32_t>(r.bits());
      }
    }
  }
  return 0;
}

// Random bytes over all of SBUF and PSUM, so any stray write shows.
inline void scramble(Machine& m, Rng& r) {
  for (std::uint32_t p = 0; p < m.config().partitions; ++p) {
    for (auto span : {m.sbuf_partition(p), m.psum_partition(p)}) {
      for (std::size_t i = 0; i < span.size(); i += 8) {
        const std::uint64_t v = r.bits();
        for (std::size_t k = 0; k < 8 && i + k < span.size(); ++k)
          span[i + k] = static_cast<std::uint8_t>(v >> (8 * k));
      }
    }
  }
}

// A byte range inside every partition of one on-chip space.
struct Region {
  Space space;
  std::uint32_t base;
  std::uint32_t bytes;
};
// Typed values from `gen()` over a region of every partition.
template <class Gen>
void fill_with(Machine& m, const Region& g, DType t, Gen&& gen) {
  const std::uint32_t sz = size_of(t);
  for (std::uint32_t p = 0; p < m.config().partitions; ++p) {
    auto mem = g.space == Space::kSbuf ? m.sbuf_partition(p) : m.psum_partition(p);
    for (std::uint32_t b = g.base; b + sz <= g.base + g.bytes; b += sz) {
      const std::uint32_t v = gen();
      for (std::uint32_t k = 0; k < sz; ++k) mem[b + k] = static_cast<std::uint8_t>(v >> (8 * k));
    }
  }
}
inline void fill(Machine& m, const Region& g, DType t, Rng& r) {
  fill_with(m, g, t, [&] { return rand_elem(r, t); });
}

// n as n0*n1*n2, each prime factor going to a random dim.
inline std::array<std::uint32_t, 3> split3(Rng& r, std::uint32_t n) {
  std::array<std::uint32_t, 3> c{1, 1, 1};
  for (std::uint32_t f = 2; n > 1;) {
    if (n % f == 0) {
      c[r.below(3)] *= f;
      n /= f;
    } else {
      ++f;
    }
  }
  return c;
}

// Strides for `counts`: injective ones are mixed-radix in a random dim order with random signs and
// gaps (no two elements share a byte); the others are small and may be 0 or overlap (broadcasts).
template <std::size_t N>
std::array<std::int32_t, N> rand_strides(Rng& r, const std::array<std::uint32_t, N>& counts, bool injective) {
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

// A random TAP with these counts inside `g`, or nullopt if it does not fit.
inline std::optional<Tap> rand_tap(Rng& r, const Region& g, DType t, std::uint32_t pstart, std::uint32_t pcount,
                                   const std::array<std::uint32_t, 3>& counts, bool injective) {
  const auto s = rand_strides<3>(r, counts, injective);
  std::int64_t lo = 0, hi = 0;
  for (int d = 0; d < 3; ++d) {
    const std::int64_t ext = std::int64_t{counts[d] - 1} * s[d];
    (ext < 0 ? lo : hi) += ext;
  }
  const std::uint32_t sz = size_of(t);
  const std::int64_t slots = g.bytes / sz, used = hi - lo + 1;
  if (used > slots) return std::nullopt;
  const std::int64_t first = r.below(static_cast<std::uint64_t>(slots - used + 1));
  Tap tp = tap(g.space, t, pstart, pcount, static_cast<std::uint32_t>(g.base + (first - lo) * sz), {});
  for (int d = 0; d < 3; ++d) tp.dims[d] = Dim{counts[d], s[d]};
  return tp;
}

// ---- running ----------------------------------------------------------------------------------------
inline constexpr std::uint64_t kDramBytes = 1u << 16;
inline constexpr std::uint32_t kProgBase = 0xC000;  // room for 256 instructions

inline void place(Machine& m, const std::vector<EncodedInstruction>& words, std::uint32_t base) {
  std::vector<std::uint8_t> bytes;
  for (const auto& w : words) {
    for (std::uint32_t v : w) {
      for (int b = 0; b < 4; ++b) bytes.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
    }
  }
  m.write_dram(base, bytes);
}

inline void open_dram(Machine& m) {
  m.windows()[0] = Window{0, static_cast<std::uint32_t>(m.dram().size() - 1), true, true, true};
}

// Places the program, snapshots every memory, lets `ref` apply the documented semantics to the
// snapshot, runs, and expects a clean END with every byte as the reference says.
template <class Ref>
RunResult run_compare(Machine& m, const std::vector<EncodedInstruction>& words, Ref&& ref, const std::string& what,
                      std::uint32_t base = kProgBase) {
  place(m, words, base);
  Shadow want(m);
  ref(want);
  const RunResult res = m.run(base, static_cast<std::uint32_t>(words.size()));
  EXPECT_TRUE(res.done) << what << ": " << error_name(res.code) << " " << res.detail;
  const std::string d = diff(want, m);
  EXPECT_TRUE(d.empty()) << what << "\n" << d;
  return res;
}

inline std::string describe(const Tap& t) {
  return fmt::format("{}:{} p{}+{} off {} dims [{}x{} {}x{} {}x{}]", space_name(t.space), dtype_name(t.dtype), t.pstart,
                     t.pcount, t.offset, t.dims[0].count, t.dims[0].stride, t.dims[1].count, t.dims[1].stride,
                     t.dims[2].count, t.dims[2].stride);
}

}  // namespace isaref
