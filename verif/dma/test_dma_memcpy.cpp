// The DMA queue against a plain C++ copy (no golden model): contiguous copies of any length and
// alignment, strided gathers and scatters, 2-D tiles with row pitches, and round trips through
// SBUF and PSUM (including a transposing load with the partition dim innermost), each checked
// against a loop over the bytes of a copy of the initial DRAM image.
#include "dma_gen.hpp"

using namespace systole::verif;
using namespace systole::verif::dmab;

namespace {

// The reference: element j of a list of byte addresses to element j of another.
struct Ref {
  std::vector<std::uint8_t> dram;
  void copy(const std::vector<std::uint32_t>& dst, const std::vector<std::uint32_t>& src, std::uint32_t size) {
    for (std::size_t j = 0; j < src.size(); ++j) {
      for (std::uint32_t b = 0; b < size; ++b) dram[dst[j] + b] = dram[src[j] + b];
    }
  }
};

// Byte addresses of a 2-D pattern: rows x cols elements, `pitch` elements between rows,
// `step` elements between columns.
std::vector<std::uint32_t> addrs2d(std::uint32_t base, std::uint32_t rows, std::uint32_t cols, std::int32_t pitch,
                                   std::int32_t step, std::uint32_t size) {
  std::vector<std::uint32_t> a;
  for (std::uint32_t r = 0; r < rows; ++r) {
    for (std::uint32_t c = 0; c < cols; ++c) {
      a.push_back(
          static_cast<std::uint32_t>(base + (static_cast<std::int64_t>(r) * pitch + std::int64_t{c} * step) * size));
    }
  }
  return a;
}

DType type_of_size(std::uint32_t size) { return size == 1 ? DType::kInt8 : size == 2 ? DType::kBf16 : DType::kFp32; }

void check(Bench& b, const Ref& ref, const std::string& what) {
  const auto got = b.mem().read(0, kDram);
  int bad = 0;
  for (std::uint32_t a = 0; a < kDram && bad < 8; ++a) {
    if (got[a] != ref.dram[a]) {
      ++bad;
      ADD_FAILURE() << fmt::format("DRAM byte {:#07x}: RTL {:#04x}, expected {:#04x}\n{}", a, got[a], ref.dram[a],
                                   what);
    }
  }
}

}  // namespace

// DRAM -> DRAM copies of random lengths (1 byte to 5 KiB) at random alignments, many crossing
// 4 KiB boundaries, with 1-, 2- and 4-byte elements.
TEST(DmaMemcpy, Contiguous) {
  Rng r(test_seed());
  const auto image = random_bytes(r, kDram, 0);
  Ref ref{image};
  Bench b(random_axi(r, false));
  b.mem().write(0, image);
  std::vector<Instruction> insns;
  std::string what;
  for (int i = 0; i < 48; ++i) {
    const std::uint32_t size = 1u << r.below(3);
    const std::uint32_t n = r.coin(30) ? 1 + r.below(8) : 1 + r.below(5000 / size);
    const std::uint32_t src = size * r.below((0x8000 - n * size) / size);
    const std::uint32_t dst = 0x8000 + size * r.below((0x8000 - n * size) / size);
    insns.push_back(dma_insn(Dma{dram(type_of_size(size), dst, {{n, 1}}), dram(type_of_size(size), src, {{n, 1}})}));
    ref.copy(addrs2d(dst, 1, n, 0, 1, size), addrs2d(src, 1, n, 0, 1, size), size);
    what += fmt::format("\n  memcpy({:#x}, {:#x}, {} x {} B)", dst, src, n, size);
  }
  const Outcome o = b.run(encode_all(insns), &r, 20);
  EXPECT_TRUE(o.errors.empty());
  check(b, ref, what + "\n" + replay_command("dma"));
}

// Strided DRAM -> DRAM: 2-D tiles with row pitches (either sign), gathers with a column step,
// scatters, and a copy whose rows run backwards.
TEST(DmaMemcpy, Strided) {
  Rng r(test_seed());
  const auto image = random_bytes(r, kDram, 0);
  Ref ref{image};
  Bench b(random_axi(r, true));
  b.mem().write(0, image);
  std::vector<Instruction> insns;
  std::string what;
  for (int i = 0; i < 40; ++i) {
    const std::uint32_t size = 1u << r.below(3);
    const std::uint32_t rows = 1 + r.below(12), cols = 1 + r.below(40);
    const std::int32_t sstep = r.range(1, 3), dstep = r.range(1, 3);
    const std::int32_t spitch = (r.coin(30) ? -1 : 1) * static_cast<std::int32_t>(cols * sstep + r.below(20));
    const std::int32_t dpitch = static_cast<std::int32_t>(cols * dstep + r.below(20));
    const std::uint32_t sspan = (rows * std::abs(spitch) + cols * sstep) * size;
    const std::uint32_t dspan = (rows * dpitch + cols * dstep) * size;
    std::uint32_t src = size * r.below((0x8000 - sspan) / size);
    if (spitch < 0) src += (rows - 1) * static_cast<std::uint32_t>(-spitch) * size;
    const std::uint32_t dst = 0x8000 + size * r.below((0x8000 - dspan) / size);
    const DType t = type_of_size(size);
    insns.push_back(
        dma_insn(Dma{dram(t, dst, {{cols, dstep}, {rows, dpitch}}), dram(t, src, {{cols, sstep}, {rows, spitch}})}));
    ref.copy(addrs2d(dst, rows, cols, dpitch, dstep, size), addrs2d(src, rows, cols, spitch, sstep, size), size);
    what += fmt::format("\n  tile {}x{} of {} B: dst {:#x} pitch {} step {}, src {:#x} pitch {} step {}", rows, cols,
                        size, dst, dpitch, dstep, src, spitch, sstep);
  }
  const Outcome o = b.run(encode_all(insns), &r, 0);
  EXPECT_TRUE(o.errors.empty());
  check(b, ref, what + "\n" + replay_command("dma"));
}

// Round trips through the on-chip memories: a row-major R x C matrix loaded into SBUF with the
// partition dim innermost (element (r, c) to partition c, byte 2r) and stored back partition by
// partition is its transpose; a PSUM round trip of fp32 rows, an SBUF -> PSUM -> DRAM chain and a
// round trip of words spread over every PSUM bank are plain copies.
TEST(DmaMemcpy, OnChipRoundTrips) {
  const Config cfg = config();
  Rng r(test_seed());
  const auto image = random_bytes(r, kDram, 0);
  Ref ref{image};
  Bench b(random_axi(r, false));
  b.mem().write(0, image);
  std::vector<Instruction> insns;
  std::string what;
  const std::uint32_t P = cfg.partitions;
  for (int i = 0; i < 4; ++i) {
    // Transpose of an R x C bf16 matrix (C <= P partitions).
    const std::uint32_t R = 1 + r.below(48), C = 1 + r.below(P);
    const std::uint32_t a = 2 * r.below(0x2000), bt = 0x8000 + 2 * r.below(0x2000);
    insns.push_back(dma_insn(Dma{onchip_pdim(Space::kSbuf, DType::kBf16, 0, 64, {{{C, 1}, {R, 1}, {1, 0}, {1, 0}}}, 0),
                                 dram(DType::kBf16, a, {{C, 1}, {R, static_cast<std::int32_t>(C)}})}));
    insns.push_back(dma_insn(Dma{dram(DType::kBf16, bt, {{R, 1}, {C, static_cast<std::int32_t>(R)}}),
                                 onchip(Space::kSbuf, DType::kBf16, 0, C, 64, {{R, 1}})}));
    std::vector<std::uint32_t> s, d;
    for (std::uint32_t c = 0; c < C; ++c) {
      for (std::uint32_t row = 0; row < R; ++row) {
        s.push_back(a + 2 * (row * C + c));
        d.push_back(bt + 2 * (c * R + row));
      }
    }
    ref.copy(d, s, 2);
    what += fmt::format("\n  transpose {}x{} bf16 {:#x} -> {:#x}", R, C, a, bt);
  }
  {
    // PSUM round trip: P rows of 32 fp32 from DRAM, back to DRAM in reverse partition order.
    const std::uint32_t src = 0x4000, dst = 0xA000, n = 32;
    Dap ps = onchip(Space::kPsum, DType::kFp32, 0, P, 0, {{n, 1}});
    insns.push_back(
        dma_insn(Dma{ps, dram(DType::kFp32, src, {{n, 1}, {1, 0}, {1, 0}, {P, static_cast<std::int32_t>(n)}})}));
    Dap rev = ps;
    rev.pstart = P - 1;
    rev.dims[3].stride = -1;
    insns.push_back(
        dma_insn(Dma{dram(DType::kFp32, dst, {{n, 1}, {1, 0}, {1, 0}, {P, static_cast<std::int32_t>(n)}}), rev}));
    std::vector<std::uint32_t> s, d;
    for (std::uint32_t p = 0; p < P; ++p) {
      for (std::uint32_t k = 0; k < n; ++k) {
        s.push_back(src + 4 * ((P - 1 - p) * n + k));
        d.push_back(dst + 4 * (p * n + k));
      }
    }
    ref.copy(d, s, 4);
    what += "\n  PSUM round trip";
  }
  {
    // DRAM -> SBUF -> PSUM -> DRAM, int32.
    const std::uint32_t src = 0x5000, dst = 0xC000, n = 20;
    const Dap sb = onchip(Space::kSbuf, DType::kInt32, 0, P, 256, {{n, 1}});
    const Dap ps = onchip(Space::kPsum, DType::kInt32, 0, P, 64, {{n, 1}});
    const Dap rows = dram(DType::kInt32, src, {{n, 1}, {1, 0}, {1, 0}, {P, static_cast<std::int32_t>(n)}});
    insns.push_back(dma_insn(Dma{sb, rows}));
    insns.push_back(dma_insn(Dma{ps, sb}));
    Dap out = rows;
    out.addr = dst;
    insns.push_back(dma_insn(Dma{out, ps}));
    ref.copy(addrs2d(dst, 1, n * P, 0, 1, 4), addrs2d(src, 1, n * P, 0, 1, 4), 4);
    what += "\n  SBUF -> PSUM chain";
  }
  {
    // PSUM across every bank: 32 fp32 words per partition spread evenly over the whole partition,
    // so words with the same offset in different banks (default: 4 banks of 512 words) must keep
    // their own values (the regions of the random tests fit in one bank).
    const std::uint32_t n = 32, stride = cfg.psum_bytes / 4 / n, src = 0x6000, dst = 0xE000;
    const Dap ps = onchip(Space::kPsum, DType::kFp32, 0, P, 0, {{n, static_cast<std::int32_t>(stride)}});
    const Dap rows = dram(DType::kFp32, src, {{n, 1}, {1, 0}, {1, 0}, {P, static_cast<std::int32_t>(n)}});
    insns.push_back(dma_insn(Dma{ps, rows}));
    Dap out = rows;
    out.addr = dst;
    insns.push_back(dma_insn(Dma{out, ps}));
    ref.copy(addrs2d(dst, 1, n * P, 0, 1, 4), addrs2d(src, 1, n * P, 0, 1, 4), 4);
    what += fmt::format("\n  PSUM across every bank (stride {} words)", stride);
  }
  for (const auto& i : insns) ASSERT_FALSE(validate(i, cfg, open_windows())) << what;
  const Outcome o = b.run(encode_all(insns), &r, 10);
  EXPECT_TRUE(o.errors.empty());
  check(b, ref, what + "\n" + replay_command("dma"));
}
