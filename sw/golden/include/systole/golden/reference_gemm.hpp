// A straightforward tiled GEMM program for the golden model's tests and the demo: C = A * B with A [M,K] and
// B [K,N] row-major in DRAM and C [M,N] row-major (fp32/int32, or bf16 through a vector COPY).
// Single-buffered and fully synchronized with semaphores; the GEMM kernel of the driver is a
// separate, faster implementation. Here K is split into passes of at most P rows, accumulated in
// PSUM in pass order: that is the architectural accumulation order the naive reference follows.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "systole/golden/builder.hpp"
#include "systole/golden/numerics.hpp"

namespace systole::golden::reference {

struct GemmLayout {
  std::uint32_t M, K, N;
  DType in;   // int8, bf16 or fp8
  DType out;  // int32/fp32 (the accumulator) or bf16
  std::uint32_t a_addr, b_addr, c_addr;
  std::uint32_t prog_addr;
};

inline std::vector<EncodedInstruction> build_gemm(const Config& cfg, const GemmLayout& g) {
  ProgramBuilder b(cfg);
  const auto loaded = b.semaphore("loaded");
  const auto computed = b.semaphore("computed");
  const auto copied = b.semaphore("copied");
  const auto stored = b.semaphore("stored");
  const DType acc = g.in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
  const std::uint32_t isz = dtype_size(g.in), osz = dtype_size(g.out), asz = 4;
  const std::uint32_t n_tile = std::min(cfg.nmax, cfg.psum_bytes / asz);
  const std::uint32_t m_tile = std::min(cfg.columns, cfg.partitions);
  const std::uint32_t k_tile = cfg.partitions;
  // SBUF layout per partition: stationary tile at 0, moving tile after it, output staging after.
  const std::uint32_t stat_off = 0;
  const std::uint32_t mov_off = ((m_tile * isz + 63) / 64) * 64;
  const std::uint32_t stage_off = mov_off + ((n_tile * isz + 63) / 64) * 64;

  for (std::uint32_t m0 = 0; m0 < g.M; m0 += m_tile) {
    const std::uint32_t mt = std::min(m_tile, g.M - m0);
    for (std::uint32_t n0 = 0; n0 < g.N; n0 += n_tile) {
      const std::uint32_t nt = std::min(n_tile, g.N - n0);
      for (std::uint32_t k0 = 0; k0 < g.K; k0 += k_tile) {
        const std::uint32_t kt = std::min(k_tile, g.K - k0);
        // The previous MATMUL must have consumed SBUF before it is overwritten.
        const auto prev = b.after(computed);
        // Stationary S[k][m] = A[m0+m][k0+k]: partition k, element m; DRAM walks m with stride K.
        b.dma(0, onchip(Space::kSbuf, g.in, 0, kt, stat_off, {{mt, 1}}),
              dram(g.in, g.a_addr + (m0 * g.K + k0) * isz, {{mt, static_cast<std::int32_t>(g.K)}, {kt, 1}}),
              prev.and_signal(loaded));
        // Moving X[k][n] = B[k0+k][n0+n].
        b.dma(1 % cfg.dma_queues, onchip(Space::kSbuf, g.in, 0, kt, mov_off, {{nt, 1}}),
              dram(g.in, g.b_addr + (k0 * g.N + n0) * isz, {{nt, 1}, {kt, static_cast<std::int32_t>(g.N)}}),
              prev.and_signal(loaded));
        b.matmul(tap(Space::kPsum, acc, 0, mt, 0, {{nt, 1}}), tap(Space::kSbuf, g.in, 0, kt, stat_off, {{mt, 1}}),
                 tap(Space::kSbuf, g.in, 0, kt, mov_off, {{nt, 1}}), k0 == 0, b.after(loaded).and_signal(computed));
      }
      // Drain PSUM to DRAM (through an SBUF staging COPY when the output is narrower).
      if (g.out == acc) {
        b.dma(0, dram(acc, g.c_addr + (m0 * g.N + n0) * osz, {{nt, 1}, {mt, static_cast<std::int32_t>(g.N)}}),
              onchip(Space::kPsum, acc, 0, mt, 0, {{nt, 1}}), b.after(computed).and_signal(stored));
      } else {
        b.copy(tap(Space::kSbuf, g.out, 0, mt, stage_off, {{nt, 1}}), tap(Space::kPsum, acc, 0, mt, 0, {{nt, 1}}),
               b.after(computed).and_signal(copied));
        b.dma(0, dram(g.out, g.c_addr + (m0 * g.N + n0) * osz, {{nt, 1}, {mt, static_cast<std::int32_t>(g.N)}}),
              onchip(Space::kSbuf, g.out, 0, mt, stage_off, {{nt, 1}}), b.after(copied).and_signal(stored));
      }
      // Next tile's first MATMUL overwrites PSUM: wait for the drain on the TENSOR queue.
      b.nop(engine::kTensor, b.after(stored));
    }
  }
  b.end(b.after(stored));
  return b.finish();
}

// The naive loop with the architectural accumulation order (docs/isa.md MATMUL): K in passes of
// P rows; each pass ((0 + p0) + p1) + ...; the passes accumulated in order; then the output cast.
// a, b, and the result hold raw elements (int8/bf16/fp8 in; int32/fp32/bf16 out).
inline std::vector<std::uint32_t> naive_gemm(const Config& cfg, const GemmLayout& g,
                                             const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  auto product = [&](std::uint32_t x, std::uint32_t y) {
    return g.in == DType::kBf16 ? num::bf16_mul(static_cast<num::bf16_bits>(x), static_cast<num::bf16_bits>(y))
                                : num::fp8_mul(static_cast<num::fp8_bits>(x), static_cast<num::fp8_bits>(y));
  };
  std::vector<std::uint32_t> c(std::size_t{g.M} * g.N);
  for (std::uint32_t m = 0; m < g.M; ++m) {
    for (std::uint32_t n = 0; n < g.N; ++n) {
      std::uint32_t acc = 0;
      for (std::uint32_t k0 = 0; k0 < g.K; k0 += cfg.partitions) {
        const std::uint32_t kend = std::min(g.K, k0 + cfg.partitions);
        if (g.in == DType::kInt8) {
          std::int32_t colsum = 0;
          for (std::uint32_t k = k0; k < kend; ++k) {
            colsum = num::int8_mac(colsum, static_cast<std::int8_t>(a[std::size_t{m} * g.K + k]),
                                   static_cast<std::int8_t>(b[std::size_t{k} * g.N + n]));
          }
          acc = k0 == 0 ? static_cast<std::uint32_t>(colsum) : acc + static_cast<std::uint32_t>(colsum);
        } else {
          num::f32_bits colsum = 0;
          for (std::uint32_t k = k0; k < kend; ++k) {
            colsum = num::f32_add(colsum, product(a[std::size_t{m} * g.K + k], b[std::size_t{k} * g.N + n]));
          }
          acc = k0 == 0 ? colsum : num::f32_add(acc, colsum);
        }
      }
      c[std::size_t{m} * g.N + n] = g.out == DType::kBf16 ? num::f32_to_bf16(acc) : acc;
    }
  }
  return c;
}

}  // namespace systole::golden::reference
