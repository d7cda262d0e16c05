// Shared helpers of the decode_check generators (decode_gen.hpp, decode_gen_vec.hpp): random
// draws, headers, counts and strides around limits, offsets at the edges of a space, TAPs built
// from them.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <vector>

#include "decode_bench.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::verif::seq {

using golden::Dap;
using golden::Dim;
using golden::DType;
using golden::Instruction;
using golden::Space;
using golden::Tap;

class GenBase {
 public:
  GenBase(const golden::Config& cfg, Rng& rng) : c_(cfg), r_(rng) {}

  // ---- random helpers ------------------------------------------------------------------------
  std::uint64_t u(std::uint64_t lo, std::uint64_t hi) {
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(r_);
  }
  std::int64_t s(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(r_); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(r_()); }
  bool pct(unsigned p) { return u(0, 99) < p; }
  template <class T>
  T pick(std::initializer_list<T> v) {
    return *(v.begin() + u(0, v.size() - 1));
  }

 protected:
  // ---- headers -------------------------------------------------------------------------------
  std::uint8_t sem() {
    return static_cast<std::uint8_t>(pct(95) ? u(0, 31) : pick<unsigned>({31, 32, 33, 63, 128, 255}));
  }

  golden::Sync sync() {
    golden::Sync s;
    if (pct(35)) {
      s.wait_en = true;
      s.wait_sem = sem();
      s.wait_value = pick<std::uint32_t>({0u, 1u, u32(), 0xFFFFFFFFu});
    } else if (pct(3)) {
      if (pct(50)) {
        s.wait_sem = static_cast<std::uint8_t>(u(1, 255));
      } else {
        s.wait_value = u32() | 1u;
      }
    }
    if (pct(35)) {
      s.signal_en = true;
      s.signal_sem = sem();
    } else if (pct(3)) {
      s.signal_sem = static_cast<std::uint8_t>(u(1, 255));
    }
    return s;
  }

  // ---- counts, strides and placement ---------------------------------------------------------
  // A count at or around `lim`.
  std::uint32_t near(std::uint32_t lim, std::uint32_t field_max) {
    std::uint32_t v;
    switch (u(0, 9)) {
      case 0: v = 1; break;
      case 1:
      case 2: v = lim; break;
      case 3: v = lim + 1; break;
      case 4: v = lim > 1 ? lim - 1 : 1; break;
      default: v = static_cast<std::uint32_t>(u(1, lim)); break;
    }
    return std::min(v, field_max);
  }

  // n as a product of k factors <= maxf (random order; a factor of 1 is likely).
  template <std::size_t K>
  std::array<std::uint32_t, K> split(std::uint64_t n, std::uint32_t maxf) {
    std::array<std::uint32_t, K> out{};
    out.fill(1);
    std::uint64_t rem = n;
    for (std::size_t i = 0; i + 1 < K && rem > 1; ++i) {
      if (pct(40)) continue;
      std::vector<std::uint64_t> divs;
      for (std::uint64_t d = 1; d * d <= rem; ++d) {
        if (rem % d != 0) continue;
        if (d <= maxf) divs.push_back(d);
        if (rem / d <= maxf) divs.push_back(rem / d);
      }
      const std::uint64_t d = divs[u(0, divs.size() - 1)];
      out[i] = static_cast<std::uint32_t>(d);
      rem /= d;
    }
    out[K - 1] = static_cast<std::uint32_t>(std::min<std::uint64_t>(rem, maxf));
    std::shuffle(out.begin(), out.end(), r_);
    return out;
  }

  // Strides (elements) for counts n in a `bits`-bit signed field: mostly row-major, sometimes
  // negative, zero, small, extreme or random.
  template <std::size_t K>
  std::array<std::int32_t, K> strides(const std::array<std::uint32_t, K>& n, unsigned bits) {
    const std::int64_t lo = -(std::int64_t{1} << (bits - 1));
    const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1;
    const unsigned mode = static_cast<unsigned>(u(0, 9));
    std::array<std::int32_t, K> out{};
    std::int64_t run = 1;
    for (std::size_t i = 0; i < K; ++i) {
      std::int64_t v;
      switch (mode) {
        case 5: v = 0; break;
        case 6: v = s(-4, 4); break;
        case 7: v = s(lo, hi); break;
        case 8: v = pick<std::int64_t>({lo, hi, -1, 1, lo / 2, hi / 3}); break;
        case 9: v = -run; break;
        default: v = run; break;
      }
      run *= std::max<std::uint32_t>(n[i], 1);
      if (pct(10)) v = -v;
      out[i] = static_cast<std::int32_t>(std::clamp(v, lo, hi));
    }
    return out;
  }

  // An offset for a pattern whose bytes relative to it are [lo_rel, hi_rel], in a space of `limit`
  // bytes, aligned to sz and at most field_max: mostly at or one element beyond the edges.
  std::uint64_t place(std::int64_t lo_rel, std::int64_t hi_rel, std::uint64_t limit, std::uint32_t sz,
                      std::uint64_t field_max) {
    const std::int64_t z = sz;
    const std::int64_t a = -lo_rel;                                        // lowest offset that fits
    const std::int64_t b = static_cast<std::int64_t>(limit) - 1 - hi_rel;  // highest
    auto down = [&](std::int64_t x) { return x - (((x % z) + z) % z); };
    auto up = [&](std::int64_t x) { return down(x + z - 1); };
    std::int64_t v;
    switch (u(0, 11)) {
      case 0:
      case 1: v = up(a); break;
      case 2:
      case 3: v = down(b); break;
      case 4: v = up(a) - z; break;
      case 5: v = down(b) + z; break;
      case 6: v = down(b) + 1; break;
      case 7: v = static_cast<std::int64_t>(u(0, field_max)); break;
      default: v = a <= b ? down(s(a, b)) : static_cast<std::int64_t>(u(0, field_max)); break;
    }
    if (v < 0 || static_cast<std::uint64_t>(v) > field_max) {
      v = down(static_cast<std::int64_t>(u(0, std::min<std::uint64_t>(field_max, limit))));
      if (v < 0) v = 0;
    }
    return static_cast<std::uint64_t>(v);
  }

  static std::uint32_t size_of(DType t) {
    const auto v = static_cast<unsigned>(t);
    return v >= 1 && v <= 5 ? golden::dtype_size(t) : 1;
  }

  DType any_dtype() { return static_cast<DType>(u(1, 5)); }

  Tap make_tap(Space sp, DType dt, std::uint32_t pcount, const std::array<std::uint32_t, 3>& n) {
    const auto st = strides<3>(n, 16);
    const std::array<Dim, 3> dims{Dim{n[0], st[0]}, Dim{n[1], st[1]}, Dim{n[2], st[2]}};
    const std::uint32_t sz = size_of(dt);
    const golden::ByteRange e = golden::element_span(dims);
    const std::uint64_t limit = sp == Space::kPsum ? c_.psum_bytes : c_.sbuf_bytes;
    std::uint64_t offset = place(e.lo * sz, (e.hi + 1) * sz - 1, limit, sz, (1u << 18) - 1);
    if (pct(3)) offset |= 1;
    const std::uint32_t pstart = static_cast<std::uint32_t>(place(0, std::int64_t{pcount} - 1, c_.partitions, 1, 255));
    return golden::tap(sp, dt, pstart, pcount, static_cast<std::uint32_t>(offset), {dims[0], dims[1], dims[2]});
  }

  const golden::Config& c_;
  Rng& r_;
};

}  // namespace systole::verif::seq
