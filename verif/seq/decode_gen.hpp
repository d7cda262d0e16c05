// Random instruction generators for the decode_check tests (verif/seq/test_decode_check.cpp).
//   valid_looking(): NOP / END / MATMUL / DMA and vector instructions (decode_gen_vec.hpp) built
//                    with the golden builder helpers and encoder, their fields pushed around the
//                    configuration's limits: K, M, N at and beyond P, C, NMAX; offsets at, and one
//                    element past, the partition ends; negative and zero strides; DRAM ranges at 0
//                    and 2^32; disabled dtypes; PSUM with 1- and 2-byte dtypes; DMA dtype pairs;
//                    queues at and beyond DMA_QUEUES; windows that just cover or miss by one byte.
//                    A third of them are vector instructions when the vector engine is present,
//                    4% when it is absent (then all are ILLEGAL_INSTRUCTION).
//   vector_looking(): the vector instructions of valid_looking() alone.
//   bit_flip():      one of those with one bit flipped, the word chosen round-robin.
//   random_words():  random words under a plausible opcode.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <fmt/format.h>
#include <optional>
#include <random>
#include <vector>

#include "decode_bench.hpp"
#include "decode_gen_base.hpp"
#include "decode_gen_vec.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::verif::seq {

class InsnGen : public GenBase {
 public:
  InsnGen(const golden::Config& cfg, Rng& rng) : GenBase(cfg, rng), vec_(cfg, rng) {}

  // ---- (a) valid-looking instructions --------------------------------------------------------
  Item valid_looking() {
    for (;;) {
      Instruction insn;
      const unsigned roll = static_cast<unsigned>(u(0, 99));
      const unsigned vec = c_.vector_engine ? 33 : 4;
      if (roll < 8) {
        insn = nop();
      } else if (roll < 13) {
        insn = end();
      } else if (roll < 13 + vec) {
        insn = vec_.vector();
      } else if (roll < 13 + vec + (87 - vec) * 4 / 9) {
        insn = matmul();
      } else {
        insn = dma();
      }
      if (auto it = item_of(insn)) return *it;
    }
  }

  // (a) restricted to vector instructions.
  Item vector_looking() {
    for (;;) {
      if (auto it = item_of(vec_.vector())) return *it;
    }
  }

  // ---- (b) one bit flipped -------------------------------------------------------------------
  Item bit_flip() {
    Item it = valid_looking();
    const unsigned word = flip_word_++ % 16;
    const unsigned bit = static_cast<unsigned>(u(0, 31));
    it.words[word] ^= 1u << bit;
    it.origin += fmt::format(", w{} bit {} flipped", word, bit);
    return it;
  }

  // ---- (c) random words under a plausible opcode ---------------------------------------------
  Item random_words() {
    Item it;
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    std::uint32_t op;
    if (roll < 70) {
      op = pick<std::uint32_t>({0x00, 0x01, 0x10, 0x30});
    } else if (roll < 85) {
      op = static_cast<std::uint32_t>(u(0x20, 0x27));
    } else {
      op = static_cast<std::uint32_t>(u(0, 255));
    }
    std::uint32_t w0 = op | static_cast<std::uint32_t>(u(0, 15)) << 8;
    if (pct(50)) w0 |= u32() & 0xFFFFF000u;
    it.words[0] = w0;
    for (std::size_t i = 1; i < 16; ++i) {
      const unsigned k = static_cast<unsigned>(u(0, 9));
      it.words[i] = k < 4 ? 0u : k < 8 ? u32() : static_cast<std::uint32_t>(u(0, 255)) << u(0, 24);
    }
    const bool clean = pct(50);
    if (clean) sanitize(it.words);
    it.windows = random_windows();
    it.origin = fmt::format("random words{}, opcode 0x{:02x}", clean ? " (reserved bits cleared)" : "", op);
    return it;
  }

  // Clears the reserved bits of the opcode's format, makes the header consistent and most
  // operands present with a defined dtype, so that random field values reach the later checks.
  void sanitize(golden::EncodedInstruction& w) {
    std::uint32_t& h = w[0];
    h &= ~0xE0E0C000u;  // reserved bits; semaphore ids < 32
    if ((h & 0x1000u) == 0) {
      h &= ~0x00FF0000u;
      w[1] = 0;
    }
    if ((h & 0x2000u) == 0) h &= ~0xFF000000u;
    const std::uint32_t op = h & 0xFFu;
    auto engine = [&](std::uint32_t e) {
      if (pct(70)) h = (h & ~0xF00u) | e << 8;
    };
    if (op == 0x00 || op == 0x01) {
      for (std::size_t i = 2; i < 16; ++i) w[i] = 0;
      if (op == 0x01) {
        h &= ~0xFF002000u;
        engine(0);
      }
    } else if (op == 0x10) {
      engine(1);
      w[2] &= 1u;
      w[3] = 0;
      for (std::size_t b : {4u, 8u, 12u}) {
        w[b + 2] &= ~0xF000u;
        if (pct(80)) w[b] = (w[b] & ~0x00FC0000u) | static_cast<std::uint32_t>(u(1, 3) << 22 | u(1, 5) << 18);
      }
    } else if (op >= 0x20 && op <= 0x27) {
      vec_.sanitize(w);
    } else if (op == 0x30) {
      engine(4 + static_cast<std::uint32_t>(u(0, c_.dma_queues - 1)));
      for (std::size_t b : {2u, 9u}) {
        w[b + 5] &= 0x00FFFFFFu;
        w[b + 6] &= 0x00FFFFFFu;
        if (pct(80)) w[b + 3] = (w[b + 3] & ~0x3F000000u) | static_cast<std::uint32_t>(u(1, 3) << 28 | u(1, 5) << 24);
        if (((w[b + 3] >> 28) & 3u) == 3u && pct(80)) {
          w[b + 3] &= 0x3FFFFFFFu;
          w[b + 4] &= 0x00FFFFFFu;
        }
      }
    }
  }

  golden::Windows random_windows() {
    golden::Windows w{};
    for (golden::Window& x : w) {
      if (pct(60)) {
        x.base = u32();
        x.limit =
            pct(50) ? u32() : static_cast<std::uint32_t>(std::min<std::uint64_t>(x.base + u(0, 1u << 20), 0xFFFFFFFFu));
        x.enable = pct(80);
        x.read = pct(60);
        x.write = pct(60);
      }
    }
    if (pct(10)) w[u(0, 3)] = golden::Window{0, 0xFFFFFFFFu, true, true, true};
    return w;
  }

 private:
  // The encoded instruction with its windows, or nothing when the generator pushed a field past
  // its encoding.
  std::optional<Item> item_of(const Instruction& insn) {
    Item it;
    try {
      it.words = golden::encode(insn);
    } catch (const golden::EncodeError&) {
      return std::nullopt;
    }
    const bool tweaked = vec_.tweak(it.words);
    it.windows = windows_for(insn);
    it.origin =
        fmt::format("valid-looking {}{}", golden::opcode_name(insn.opcode()), tweaked ? ", scalar words edited" : "");
    return it;
  }

  std::uint8_t dma_engine() {
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    if (roll < 85) return golden::engine::dma(static_cast<unsigned>(u(0, c_.dma_queues - 1)));
    if (roll < 95) return static_cast<std::uint8_t>(u(4 + c_.dma_queues - 1, 11));  // last queue or missing ones
    return static_cast<std::uint8_t>(u(0, 15));
  }

  Instruction nop() {
    Instruction i;
    const unsigned roll = static_cast<unsigned>(u(0, 9));
    i.engine = roll < 3   ? golden::engine::kSeq
               : roll < 5 ? golden::engine::kTensor
               : roll < 7 ? dma_engine()
               : roll < 8 ? golden::engine::kVec
                          : static_cast<std::uint8_t>(u(0, 15));
    i.sync = sync();
    i.op = golden::Nop{};
    return i;
  }

  Instruction end() {
    Instruction i;
    i.engine = pct(90) ? golden::engine::kSeq : static_cast<std::uint8_t>(u(0, 15));
    i.sync = sync();
    if (pct(70)) i.sync.signal_en = false, i.sync.signal_sem = 0;
    i.op = golden::End{};
    return i;
  }

  // ---- MATMUL --------------------------------------------------------------------------------
  DType mm_dtype() {
    if (pct(75)) {  // mostly a dtype this configuration enables
      std::vector<DType> on;
      for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8}) {
        if (c_.tensor_dtype_enabled(t)) on.push_back(t);
      }
      return on[u(0, on.size() - 1)];
    }
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    return roll < 30   ? DType::kInt8
           : roll < 55 ? DType::kBf16
           : roll < 80 ? DType::kFp8
           : roll < 90 ? DType::kFp32
                       : DType::kInt32;
  }

  Instruction matmul() {
    const std::uint32_t P = c_.partitions, C = c_.columns, N = c_.nmax;
    const DType dt = mm_dtype();
    const std::uint32_t k = pct(2) ? 0 : near(P, 255);
    const std::uint32_t m = near(C, 4095);
    const std::uint32_t n = near(N, 4095);
    auto sn = split<3>(m, 4095);
    auto mn = split<3>(n, 4095);
    const std::uint64_t nout = pct(92) ? n : pick<std::uint64_t>({n + 1ull, n > 1 ? n - 1ull : 2ull, 2ull * n});
    auto on = split<3>(nout, 4095);
    const std::uint32_t out_pc = pct(92) ? m : std::min<std::uint32_t>(255, pick<std::uint32_t>({m + 1, m - 1, 2 * m}));
    if (pct(3)) sn[u(0, 2)] = 0;
    if (pct(3)) mn[u(0, 2)] = 0;
    if (pct(3)) on[u(0, 2)] = 0;
    const Space ss = pct(95) ? Space::kSbuf : pick({Space::kPsum, Space::kDram});
    const Space ms = pct(95) ? Space::kSbuf : pick({Space::kPsum, Space::kDram});
    const Space os = pct(95) ? Space::kPsum : pick({Space::kSbuf, Space::kDram});
    const DType mdt = pct(92) ? dt : mm_dtype();
    const DType want = dt == DType::kInt8 ? DType::kInt32 : DType::kFp32;
    const DType odt = pct(90) ? want : pick({DType::kInt8, DType::kBf16, DType::kFp8, DType::kFp32, DType::kInt32});

    golden::Matmul op;
    op.stationary = make_tap(ss, dt, k, sn);
    op.moving = make_tap(ms, mdt, pct(93) ? k : near(P, 255), mn);
    if (pct(90)) op.moving.pstart = op.stationary.pstart;
    op.out = make_tap(os, odt, out_pc, on);
    op.start = pct(50);
    Instruction i;
    i.engine = pct(95) ? golden::engine::kTensor : static_cast<std::uint8_t>(u(0, 15));
    i.sync = sync();
    i.op = op;
    return i;
  }

  // ---- DMA -----------------------------------------------------------------------------------
  std::uint32_t dap_count() {
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    if (roll < 35) return 1;
    if (roll < 55) return static_cast<std::uint32_t>(u(2, 4));
    if (roll < 70) return static_cast<std::uint32_t>(u(1, c_.partitions + 1));
    if (roll < 85) return static_cast<std::uint32_t>(u(1, 64));
    if (roll < 95) return static_cast<std::uint32_t>(u(1, 1024));
    if (roll < 98) return pick<std::uint32_t>({4096, 65535, 32768, 65534});
    return static_cast<std::uint32_t>(u(1, 65535));
  }

  static std::uint32_t smallest_factor(std::uint32_t v) {
    for (std::uint32_t f = 2; f * f <= v; ++f) {
      if (v % f == 0) return f;
    }
    return v;
  }

  // The same element count as `c`, arranged differently: permuted, factors moved between dims.
  std::array<std::uint32_t, 4> rearrange(std::array<std::uint32_t, 4> c) {
    std::shuffle(c.begin(), c.end(), r_);
    for (int moves = static_cast<int>(u(0, 2)); moves > 0; --moves) {
      const std::size_t i = u(0, 3), j = u(0, 3);
      if (i == j || c[i] <= 1) continue;
      const std::uint32_t f = smallest_factor(c[i]);
      if (std::uint64_t{c[j]} * f > 65535) continue;
      c[i] /= f;
      c[j] *= f;
    }
    return c;
  }

  Dap make_dap(Space sp, DType dt, std::array<std::uint32_t, 4> n) {
    const std::uint32_t sz = size_of(dt);
    if (sp == Space::kDram) {
      const auto st = strides<4>(n, 24);
      const std::array<Dim, 4> dims{Dim{n[0], st[0]}, Dim{n[1], st[1]}, Dim{n[2], st[2]}, Dim{n[3], st[3]}};
      const golden::ByteRange e = golden::element_span(dims);
      const std::uint64_t addr = place(e.lo * sz, (e.hi + 1) * sz - 1, 1ull << 32, sz, 0xFFFFFFFFull);
      Dap d = golden::dram(dt, static_cast<std::uint32_t>(addr), {dims[0], dims[1], dims[2], dims[3]});
      if (pct(2)) d.pstart = static_cast<std::uint32_t>(u(1, 255));
      if (pct(2)) d.pdim = static_cast<std::uint8_t>(u(0, 2));
      if (pct(3)) d.addr |= 1;
      return d;
    }
    const std::uint8_t pdim = static_cast<std::uint8_t>(pct(50) ? 3 : u(0, 3));
    if (pct(70)) {  // the smallest count walks partitions
      const auto it = std::min_element(n.begin(), n.end());
      std::swap(n[pdim], *it);
    }
    std::array<std::uint32_t, 3> fn{};
    for (std::size_t i = 0, k = 0; i < 4; ++i) {
      if (i != pdim) fn[k++] = n[i];
    }
    const auto fs = strides<3>(fn, 24);
    std::array<Dim, 4> dims{};
    for (std::size_t i = 0, k = 0; i < 4; ++i) {
      if (i != pdim) {
        dims[i] = Dim{n[i], fs[k]};
        ++k;
      }
    }
    const std::int32_t ps =
        pct(70) ? 1 : pick<std::int32_t>({-1, 0, 2, -2, 3, static_cast<std::int32_t>(s(-8388608, 8388607))});
    dims[pdim] = Dim{n[pdim], ps};
    const std::int64_t pext = (std::int64_t{n[pdim]} - 1) * ps;
    const std::uint32_t pstart = static_cast<std::uint32_t>(
        place(std::min<std::int64_t>(0, pext), std::max<std::int64_t>(0, pext), c_.partitions, 1, 255));
    const std::array<Dim, 3> free{dims[pdim == 0 ? 1 : 0], dims[pdim <= 1 ? 2 : 1], dims[pdim <= 2 ? 3 : 2]};
    const golden::ByteRange e = golden::element_span(free);
    const std::uint64_t limit = sp == Space::kPsum ? c_.psum_bytes : c_.sbuf_bytes;
    std::uint64_t addr = place(e.lo * sz, (e.hi + 1) * sz - 1, limit, sz, 0xFFFFFFFFull);
    if (pct(3)) addr |= 1;
    return golden::onchip_pdim(sp, dt, pstart, static_cast<std::uint32_t>(addr), dims, pdim);
  }

  Space dma_space() {
    const unsigned roll = static_cast<unsigned>(u(0, 99));
    return roll < 45 ? Space::kDram : roll < 85 ? Space::kSbuf : Space::kPsum;
  }

  Instruction dma() {
    DType sdt, ddt;
    switch (u(0, 11)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: sdt = ddt = any_dtype(); break;
      case 6: sdt = DType::kFp32, ddt = DType::kBf16; break;
      case 7: sdt = DType::kFp32, ddt = DType::kFp8; break;
      case 8: sdt = DType::kInt32, ddt = DType::kInt8; break;
      default: sdt = any_dtype(), ddt = any_dtype(); break;
    }
    Space dsp = dma_space(), ssp = dma_space();
    if (dsp == Space::kPsum && golden::dtype_size(ddt) != 4 && pct(70)) dsp = Space::kSbuf;
    if (ssp == Space::kPsum && golden::dtype_size(sdt) != 4 && pct(70)) ssp = Space::kSbuf;
    std::array<std::uint32_t, 4> base{dap_count(), dap_count(), dap_count(), dap_count()};
    auto dc = rearrange(base);
    auto sc = rearrange(base);
    if (pct(8)) {
      std::uint32_t& x = sc[u(0, 3)];
      x = (x < 65535 && pct(50)) ? x + 1 : (x > 1 ? x - 1 : 2);
    }
    if (pct(2)) dc[u(0, 3)] = 0;
    if (pct(2)) sc[u(0, 3)] = 0;
    golden::Dma op;
    op.dst = make_dap(dsp, ddt, dc);
    op.src = make_dap(ssp, sdt, sc);
    Instruction i;
    i.engine = dma_engine();
    i.sync = sync();
    i.op = op;
    return i;
  }

  // ---- windows -------------------------------------------------------------------------------
  // The DRAM byte range of a DAP as validate() computes it, if it lies inside [0, 2^32).
  static bool dram_range(const Dap& d, std::uint32_t& lo, std::uint32_t& hi) {
    if (d.space != Space::kDram) return false;
    const std::int64_t sz = size_of(d.dtype);
    const golden::ByteRange e = golden::element_span(d.dims);
    const std::int64_t l = std::int64_t{d.addr} + e.lo * sz, h = std::int64_t{d.addr} + (e.hi + 1) * sz - 1;
    if (l < 0 || h > 0xFFFFFFFFll) return false;
    lo = static_cast<std::uint32_t>(l);
    hi = static_cast<std::uint32_t>(h);
    return true;
  }

  void cover(golden::Windows& w, std::uint32_t lo, std::uint32_t hi, bool write) {
    golden::Window& x = w[u(0, 3)];
    x = golden::Window{lo, hi, true, !write || pct(30), write || pct(30)};
    switch (u(0, 9)) {
      case 4:  // a larger window
        x.base = lo - static_cast<std::uint32_t>(std::min<std::uint64_t>(lo, u(0, 100)));
        x.limit = hi + static_cast<std::uint32_t>(std::min<std::uint64_t>(0xFFFFFFFFu - hi, u(0, 100)));
        break;
      case 5: x.base = lo + 1; break;   // misses the lowest byte
      case 6: x.limit = hi - 1; break;  // misses the highest byte
      case 7:                           // only the other permission
        x.read = write;
        x.write = !write;
        break;
      case 8: x.enable = false; break;
      case 9: x = golden::Window{}; break;
      default: break;  // exactly the range
    }
  }

  golden::Windows windows_for(const Instruction& insn) {
    golden::Windows w = random_windows();
    if (const auto* d = std::get_if<golden::Dma>(&insn.op)) {
      std::uint32_t lo = 0, hi = 0;
      if (dram_range(d->dst, lo, hi)) cover(w, lo, hi, true);
      if (dram_range(d->src, lo, hi)) cover(w, lo, hi, false);
    }
    return w;
  }

  VecGen vec_;
  unsigned flip_word_ = 0;
};

}  // namespace systole::verif::seq
