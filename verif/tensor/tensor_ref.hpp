// Reference MATMUL for the tensor-engine bench: the golden numerics (systole::golden::num) in
// the order of exec_tensor.cpp, applied to a PSUM image, producing the expected PSUM writes.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "systole/golden/numerics.hpp"

namespace systole::verif::tensor {

namespace num = systole::golden::num;

enum class DType : std::uint32_t { kInt8 = 0, kBf16 = 1, kFp8 = 2 };

inline const char* dtype_name(DType d) { return d == DType::kInt8 ? "int8" : d == DType::kBf16 ? "bf16" : "fp8"; }

struct Config {
  const char* name;
  unsigned P, C, nmax, psum_bytes;
  bool int8, bf16, fp8;
  unsigned lane_bits() const { return bf16 ? 16 : 8; }
  unsigned words() const { return psum_bytes / 4; }
  std::vector<DType> dtypes() const {
    std::vector<DType> d;
    if (int8) d.push_back(DType::kInt8);
    if (bf16) d.push_back(DType::kBf16);
    if (fp8) d.push_back(DType::kFp8);
    return d;
  }
};

struct Cmd {
  DType dtype = DType::kInt8;
  bool start = true;
  unsigned pstart = 0, k = 1, m = 1, n = 1, addr = 0;
  // tensor_pkg::cmd_t packed: {dtype[60:59], start[58], pstart[57:50], k[49:41], m[40:32],
  // n[31:16], addr[15:0]}.
  std::uint64_t pack() const {
    return (std::uint64_t{static_cast<std::uint32_t>(dtype)} << 59) | (std::uint64_t{start} << 58) |
           (std::uint64_t{pstart} << 50) | (std::uint64_t{k} << 41) | (std::uint64_t{m} << 32) |
           (std::uint64_t{n} << 16) | addr;
  }
  std::string str() const {
    return std::string(dtype_name(dtype)) + (start ? " start" : " acc") + " pstart=" + std::to_string(pstart) +
           " K=" + std::to_string(k) + " M=" + std::to_string(m) + " N=" + std::to_string(n) +
           " addr=" + std::to_string(addr);
  }
};

// One MATMUL with its beats: stat[m][p] and mov[n][p] are the raw lane values (P lanes each,
// LaneBits wide; lanes outside [pstart, pstart+K) and bits above the dtype's width are junk the
// engine must ignore).
struct Matmul {
  Cmd cmd;
  std::vector<std::vector<std::uint32_t>> stat, mov;
};

struct Write {
  unsigned addr = 0;
  std::uint32_t mask = 0;
  std::vector<std::uint32_t> data;  // C words; only lanes in mask are meaningful
  std::string what;                 // "matmul #i element n"
};

class RefPsum {
 public:
  explicit RefPsum(const Config& cfg)
      : cfg_(cfg), words_(std::size_t{cfg.C} * cfg.words(), 0), written_(words_.size(), false) {}

  // True when every word the command reads (accumulate) holds a value written before.
  bool initialized(const Cmd& c) const {
    for (unsigned i = 0; i < c.m; ++i)
      for (unsigned n = 0; n < c.n; ++n)
        if (!written_[idx(i, c.addr + n)]) return false;
    return true;
  }

  std::vector<Write> apply(const Matmul& mm, std::size_t index) {
    const Cmd& c = mm.cmd;
    std::vector<Write> out;
    for (unsigned n = 0; n < c.n; ++n) {
      Write w;
      w.addr = c.addr + n;
      w.mask = static_cast<std::uint32_t>((std::uint64_t{1} << c.m) - 1);
      w.data.assign(cfg_.C, 0);
      w.what = "matmul #" + std::to_string(index) + " (" + c.str() + ") element " + std::to_string(n);
      for (unsigned i = 0; i < c.m; ++i) {
        std::uint32_t result;
        const std::uint32_t old = words_[idx(i, w.addr)];
        if (c.dtype == DType::kInt8) {
          std::int32_t colsum = 0;
          for (unsigned k = c.pstart; k < c.pstart + c.k; ++k) {
            colsum = num::int8_mac(colsum, static_cast<std::int8_t>(mm.stat[i][k] & 0xFF),
                                   static_cast<std::int8_t>(mm.mov[n][k] & 0xFF));
          }
          result = static_cast<std::uint32_t>(colsum);
          if (!c.start) result += old;  // wraps
        } else {
          num::f32_bits colsum = 0;
          for (unsigned k = c.pstart; k < c.pstart + c.k; ++k) {
            const num::f32_bits p = c.dtype == DType::kBf16
                                        ? num::bf16_mul(static_cast<num::bf16_bits>(mm.stat[i][k]),
                                                        static_cast<num::bf16_bits>(mm.mov[n][k]))
                                        : num::fp8_mul(static_cast<num::fp8_bits>(mm.stat[i][k] & 0xFF),
                                                       static_cast<num::fp8_bits>(mm.mov[n][k] & 0xFF));
            colsum = num::f32_add(colsum, p);
          }
          result = c.start ? colsum : num::f32_add(old, colsum);
        }
        words_[idx(i, w.addr)] = result;
        written_[idx(i, w.addr)] = true;
        w.data[i] = result;
      }
      out.push_back(std::move(w));
    }
    return out;
  }

  bool written(unsigned lane, unsigned addr) const { return written_[idx(lane, addr)]; }
  std::uint32_t word(unsigned lane, unsigned addr) const { return words_[idx(lane, addr)]; }

 private:
  std::size_t idx(unsigned lane, unsigned addr) const { return std::size_t{lane} * cfg_.words() + addr; }
  Config cfg_;
  std::vector<std::uint32_t> words_;
  std::vector<bool> written_;
};

// ---- stimulus values ---------------------------------------------------------------------------
using Rng = std::mt19937_64;

// A random element of dtype d; `special` is the probability of a corner value (zeros, infinities,
// NaN, denormals, extremes). Bits above the dtype's width are random junk.
inline std::uint32_t random_element(Rng& rng, DType d, double special, unsigned lane_bits) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const std::uint32_t junk = static_cast<std::uint32_t>(rng()) & ((1u << lane_bits) - 1);
  const bool sp = u(rng) < special;
  std::uint32_t v;
  switch (d) {
    case DType::kInt8: {
      static constexpr std::uint32_t kInt8Special[] = {0x00, 0x80, 0x7F, 0xFF, 0x01, 0x81};
      v = sp ? kInt8Special[rng() % 6] : static_cast<std::uint32_t>(rng() & 0xFF);
      return (junk & ~0xFFu) | v;
    }
    case DType::kFp8: {
      // +-0, NaN, max 448, min subnormal, min normal, 1.0.
      static constexpr std::uint32_t kFp8Special[] = {0x00, 0x80, 0x7F, 0xFF, 0x7E, 0xFE, 0x01, 0x81, 0x08, 0x38};
      if (sp) {
        v = kFp8Special[rng() % 10];
      } else {
        do v = static_cast<std::uint32_t>(rng() & 0xFF);
        while ((v & 0x7F) == 0x7F);  // NaN only as a corner value
      }
      return (junk & ~0xFFu) | v;
    }
    case DType::kBf16:
    default: {
      // +-0, +-inf, NaNs, denormals, max finite, min normal, 1.0.
      static constexpr std::uint32_t kBf16Special[] = {0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0xFFFF, 0x7F81,
                                                       0x0001, 0x807F, 0x7F7F, 0xFF7F, 0x0080, 0x3F80};
      if (sp) return kBf16Special[rng() % 13];
      // Exponents near 1.0 so that sums cancel and round in interesting ways.
      const std::uint32_t e = 127 - 12 + static_cast<std::uint32_t>(rng() % 24);
      return static_cast<std::uint32_t>(((rng() & 1) << 15) | (e << 7) | (rng() & 0x7F));
    }
  }
}

}  // namespace systole::verif::tensor
