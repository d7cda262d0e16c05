#include "systole/kernels/gemm_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "systole/golden/numerics.hpp"
#include "systole/golden/reference_gemm.hpp"

namespace systole::kernels {

using driver::Tensor;
using golden::DType;
namespace num = golden::num;

namespace {

std::uint32_t normal_element(std::mt19937_64& rng, DType t) {
  switch (t) {
    case DType::kInt8: return static_cast<std::uint8_t>(rng());
    case DType::kBf16: {
      std::normal_distribution<float> n(0.0f, 1.0f);
      return num::f32_to_bf16(std::bit_cast<std::uint32_t>(n(rng)));
    }
    case DType::kFp8: {
      std::uniform_real_distribution<float> u(-8.0f, 8.0f);
      return num::f32_to_fp8(std::bit_cast<std::uint32_t>(u(rng)));
    }
    default: throw std::invalid_argument(fmt::format("random_matrix: {} is not a GEMM input", golden::dtype_name(t)));
  }
}

std::uint32_t extreme_element(std::mt19937_64& rng, DType t) {
  static constexpr std::uint32_t kInt8[] = {0x80, 0x7F, 0xFF, 0x00, 0x01};
  // max, -max, min normal, denormal, -denormal, +0, -0, +inf, -inf, NaN, 1, -1
  static constexpr std::uint32_t kBf16[] = {0x7F7F, 0xFF7F, 0x0080, 0x0001, 0x8040, 0x0000,
                                            0x8000, 0x7F80, 0xFF80, 0x7FC1, 0x3F80, 0xBF80};
  // 448, -448, min normal 2^-6, min subnormal 2^-9, -subnormal, +0, -0, NaN, 1, -1
  static constexpr std::uint32_t kFp8[] = {0x7E, 0xFE, 0x08, 0x01, 0x81, 0x00, 0x80, 0x7F, 0x38, 0xB8};
  switch (t) {
    case DType::kInt8: return kInt8[rng() % std::size(kInt8)];
    case DType::kBf16: return kBf16[rng() % std::size(kBf16)];
    case DType::kFp8: return kFp8[rng() % std::size(kFp8)];
    default: throw std::invalid_argument(fmt::format("random_matrix: {} is not a GEMM input", golden::dtype_name(t)));
  }
}

}  // namespace

Tensor random_matrix(std::mt19937_64& rng, DType t, std::uint32_t rows, std::uint32_t cols, Fill fill) {
  Tensor m(t, {rows, cols});
  const std::uint32_t mask = t == DType::kBf16 ? 0xFFFF : 0xFF;
  for (std::size_t i = 0; i < m.size(); ++i) {
    switch (fill) {
      case Fill::kNormal: m.set_raw(i, normal_element(rng, t)); break;
      case Fill::kSpecial: m.set_raw(i, static_cast<std::uint32_t>(rng()) & mask); break;
      case Fill::kExtremes: m.set_raw(i, extreme_element(rng, t)); break;
    }
  }
  return m;
}

Tensor reference_gemm(const golden::Config& cfg, const Tensor& a, const Tensor& b, DType out) {
  if (a.shape().size() != 2 || b.shape().size() != 2 || a.shape()[1] != b.shape()[0]) {
    throw std::invalid_argument(
        fmt::format("reference_gemm: shapes {} and {} do not chain", a.describe(), b.describe()));
  }
  golden::reference::GemmLayout g{};
  g.M = static_cast<std::uint32_t>(a.shape()[0]);
  g.K = static_cast<std::uint32_t>(a.shape()[1]);
  g.N = static_cast<std::uint32_t>(b.shape()[1]);
  g.in = a.dtype();
  g.out = out;
  std::vector<std::uint32_t> av(a.size()), bv(b.size());
  for (std::size_t i = 0; i < av.size(); ++i) av[i] = a.raw(i);
  for (std::size_t i = 0; i < bv.size(); ++i) bv[i] = b.raw(i);
  const auto cv = golden::reference::naive_gemm(cfg, g, av, bv);
  Tensor c(out, {g.M, g.N});
  for (std::size_t i = 0; i < cv.size(); ++i) c.set_raw(i, cv[i]);
  return c;
}

std::int64_t first_mismatch(const Tensor& x, const Tensor& y) {
  if (x.dtype() != y.dtype() || x.shape() != y.shape()) return 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x.raw(i) != y.raw(i)) return static_cast<std::int64_t>(i);
  }
  return -1;
}

Float64Check check_against_float64(const Tensor& a, const Tensor& b, const Tensor& c) {
  const std::uint64_t M = a.shape().at(0), K = a.shape().at(1), N = b.shape().at(1);
  if (b.shape().at(0) != K || c.shape().at(0) != M || c.shape().at(1) != N) {
    throw std::invalid_argument(fmt::format("check_against_float64: shapes {} x {} -> {} do not match", a.describe(),
                                            b.describe(), c.describe()));
  }
  Float64Check r;
  std::vector<double> av(a.size()), bv(b.size());
  for (std::size_t i = 0; i < av.size(); ++i) av[i] = a.value(i);
  for (std::size_t i = 0; i < bv.size(); ++i) bv[i] = b.value(i);
  const bool integer = c.dtype() == DType::kInt32;
  for (std::uint64_t m = 0; m < M; ++m) {
    for (std::uint64_t n = 0; n < N; ++n) {
      const std::size_t ci = static_cast<std::size_t>(m * N + n);
      if (integer) {
        std::int64_t exact = 0;
        for (std::uint64_t k = 0; k < K; ++k) {
          exact += static_cast<std::int64_t>(av[m * K + k]) * static_cast<std::int64_t>(bv[k * N + n]);
        }
        const auto want = static_cast<std::uint32_t>(static_cast<std::uint64_t>(exact));  // modulo 2^32
        const std::uint32_t got = c.raw(ci);
        ++r.checked;
        const double err = std::fabs(static_cast<double>(static_cast<std::int32_t>(got)) - static_cast<double>(exact));
        r.max_abs_error = std::max(r.max_abs_error, err);
        if (got != want) {
          if (r.violations++ == 0) {
            r.first_violation = fmt::format("C[{}][{}] = {} but the exact sum is {} ({} modulo 2^32)", m, n,
                                            static_cast<std::int32_t>(got), exact, static_cast<std::int32_t>(want));
          }
          r.worst_ratio = INFINITY;
        }
        continue;
      }
      double ref = 0, mag = 0;
      for (std::uint64_t k = 0; k < K; ++k) {
        const double p = av[m * K + k] * bv[k * N + n];
        ref += p;
        mag += std::fabs(p);
      }
      if (!std::isfinite(ref) || !std::isfinite(mag) || std::fabs(ref) >= 0x1p128 || mag >= 0x1p128) {
        ++r.skipped;
        continue;
      }
      const double got = c.value(ci);
      double bound =
          (static_cast<double>(K) + 1) * std::ldexp(mag, -24) + static_cast<double>(K) * std::ldexp(1.0, -126);
      if (c.dtype() == DType::kBf16) bound += std::ldexp(std::fabs(ref) + mag, -8);
      const double err = std::isnan(got) ? INFINITY : std::fabs(got - ref);
      ++r.checked;
      r.max_abs_error = std::max(r.max_abs_error, err);
      const double ratio = bound > 0 ? err / bound : (err > 0 ? INFINITY : 0.0);
      r.worst_ratio = std::max(r.worst_ratio, ratio);
      if (!(err <= bound)) {
        if (r.violations++ == 0) {
          r.first_violation =
              fmt::format("C[{}][{}] = {} but the float64 reference is {} (error {:.3g} > bound {:.3g})", m, n, got,
                          ref, err, bound);
        }
      }
    }
  }
  return r;
}

double gemm_roofline(const golden::Config& cfg, std::uint64_t m, std::uint64_t k, std::uint64_t n, golden::DType in,
                     golden::DType out, double dram_bytes_per_cycle) {
  const double compute = static_cast<double>(m * k * n) / (cfg.partitions * cfg.columns);
  const double rd = static_cast<double>((m * k + k * n) * golden::dtype_size(in));
  const double wr = static_cast<double>(m * n * golden::dtype_size(out));
  const double beat = cfg.axi_data_bits / 8.0;
  double bound = std::max({compute, rd / beat, wr / beat});
  if (dram_bytes_per_cycle > 0) bound = std::max(bound, (rd + wr) / dram_bytes_per_cycle);
  return compute / bound;
}

double gemm_feed_bound(const golden::Config& cfg, std::uint64_t m, std::uint64_t k, std::uint64_t n, golden::DType in,
                       golden::DType out, double dram_bytes_per_cycle) {
  const double compute = static_cast<double>(m * k * n) / (cfg.partitions * cfg.columns);
  const auto ceil_div = [](std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; };
  const double feed = static_cast<double>(ceil_div(m, cfg.columns) * ceil_div(k, cfg.partitions) * n);
  const double roof = gemm_roofline(cfg, m, k, n, in, out, dram_bytes_per_cycle);
  return std::min(roof, compute / feed);
}

}  // namespace systole::kernels
