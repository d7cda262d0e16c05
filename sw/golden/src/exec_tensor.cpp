// MATMUL on the golden model (docs/isa.md MATMUL, numerics.md section 3).
#include <vector>

#include "exec_util.hpp"

namespace systole::golden {

void exec_matmul(Machine& m, const Matmul& op) {
  using namespace detail;
  const std::uint32_t K = op.moving.pcount;
  const auto M = static_cast<std::uint32_t>(op.stationary.free_size());
  const auto N = static_cast<std::uint32_t>(op.moving.free_size());
  const DType dt = op.moving.dtype;
  const auto s_off = tap_offsets(op.stationary);
  const auto x_off = tap_offsets(op.moving);
  const auto o_off = tap_offsets(op.out);

  // Operands as raw bit patterns: S[k][m], X[k][n].
  std::vector<std::uint32_t> S(std::size_t{K} * M), X(std::size_t{K} * N);
  for (std::uint32_t k = 0; k < K; ++k) {
    for (std::uint32_t i = 0; i < M; ++i) {
      S[std::size_t{k} * M + i] = load_raw(m, Space::kSbuf, op.stationary.pstart + k, s_off[i], dt, 1);
    }
    for (std::uint32_t n = 0; n < N; ++n) {
      X[std::size_t{k} * N + n] = load_raw(m, Space::kSbuf, op.moving.pstart + k, x_off[n], dt, 2);
    }
  }

  for (std::uint32_t i = 0; i < M; ++i) {
    const std::uint32_t part = op.out.pstart + i;
    for (std::uint32_t n = 0; n < N; ++n) {
      std::uint32_t result;
      if (dt == DType::kInt8) {
        std::int32_t colsum = 0;
        for (std::uint32_t k = 0; k < K; ++k) {
          colsum = num::int8_mac(colsum, static_cast<std::int8_t>(S[std::size_t{k} * M + i]),
                                 static_cast<std::int8_t>(X[std::size_t{k} * N + n]));
        }
        std::uint32_t acc = static_cast<std::uint32_t>(colsum);
        if (!op.start) acc += load_raw(m, Space::kPsum, part, o_off[n], DType::kInt32, 0);  // wraps
        result = acc;
      } else {
        num::f32_bits colsum = 0;  // +0.0
        for (std::uint32_t k = 0; k < K; ++k) {
          const std::uint32_t s = S[std::size_t{k} * M + i], x = X[std::size_t{k} * N + n];
          const num::f32_bits p = dt == DType::kBf16
                                      ? num::bf16_mul(static_cast<num::bf16_bits>(s), static_cast<num::bf16_bits>(x))
                                      : num::fp8_mul(static_cast<num::fp8_bits>(s), static_cast<num::fp8_bits>(x));
          colsum = num::f32_add(colsum, p);
        }
        result = op.start ? colsum : num::f32_add(load_raw(m, Space::kPsum, part, o_off[n], DType::kFp32, 0), colsum);
      }
      store_raw(m, Space::kPsum, part, o_off[n], op.out.dtype, result, 0);
    }
  }
  m.counters().macs += std::uint64_t{K} * M * N;
}

}  // namespace systole::golden
