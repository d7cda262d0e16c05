// Golden GEMM (MATMUL chains through DMA, PSUM and COPY) against
//  (1) a naive loop with the architectural accumulation order: bit-exact, specials included;
//  (2) a float64 reference: within the bound stated in docs/numerics.md section 3.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>

#include "systole/golden/machine.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/reference_gemm.hpp"

using namespace systole::golden;
using reference::GemmLayout;

namespace {

std::uint64_t seed() {
  const char* s = std::getenv("SYSTOLE_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 0x6E44ull;
}

std::uint32_t align(std::uint32_t x) { return (x + 255u) & ~255u; }

struct Gemm {
  GemmLayout g;
  std::vector<std::uint32_t> a, b;  // raw elements
};

// Raw element generators. `special` allows every bit pattern (NaN, inf, denormals).
std::uint32_t random_element(std::mt19937_64& rng, DType t, bool special) {
  switch (t) {
    case DType::kInt8: return static_cast<std::uint8_t>(rng());
    case DType::kBf16: {
      if (special) return static_cast<std::uint16_t>(rng());
      std::normal_distribution<float> n(0.0f, 1.0f);
      return num::f32_to_bf16(std::bit_cast<std::uint32_t>(n(rng)));
    }
    case DType::kFp8: {
      if (special) return static_cast<std::uint8_t>(rng());
      std::uniform_real_distribution<float> u(-8.0f, 8.0f);
      return num::f32_to_fp8(std::bit_cast<std::uint32_t>(u(rng)));
    }
    default: return 0;
  }
}

double value(DType t, std::uint32_t raw) {
  switch (t) {
    case DType::kInt8: return static_cast<std::int8_t>(raw);
    case DType::kBf16: return num::f32_to_double(num::bf16_to_f32(static_cast<num::bf16_bits>(raw)));
    case DType::kFp8: return num::fp8_to_double(static_cast<num::fp8_bits>(raw));
    default: return 0;
  }
}

struct Outcome {
  RunResult run;
  std::vector<std::uint32_t> c;
  std::vector<Race> races;
};

Outcome run_golden(const Config& cfg, Gemm& x) {
  auto& g = x.g;
  const std::uint32_t isz = dtype_size(g.in), osz = dtype_size(g.out);
  g.a_addr = 0x1000;
  g.b_addr = align(g.a_addr + g.M * g.K * isz);
  g.c_addr = align(g.b_addr + g.K * g.N * isz);
  g.prog_addr = align(g.c_addr + g.M * g.N * osz);
  const auto prog = reference::build_gemm(cfg, g);
  Machine m(cfg, g.prog_addr + prog.size() * kInstructionBytes + 4096);
  m.windows()[0] = Window{0, 0xFFFFFFFFu, true, true, true};
  RaceChecker rc(cfg);
  m.set_race_checker(&rc);
  auto put = [&](std::uint32_t base, const std::vector<std::uint32_t>& v) {
    for (std::size_t i = 0; i < v.size(); ++i) std::memcpy(&m.dram()[base + i * isz], &v[i], isz);
  };
  put(g.a_addr, x.a);
  put(g.b_addr, x.b);
  Outcome o;
  o.run = m.run_program(prog, g.prog_addr);
  o.c.resize(std::size_t{g.M} * g.N);
  for (std::size_t i = 0; i < o.c.size(); ++i) std::memcpy(&o.c[i], &m.dram()[g.c_addr + i * osz], osz);
  o.races = rc.races();
  return o;
}

Gemm make(std::mt19937_64& rng, std::uint32_t M, std::uint32_t K, std::uint32_t N, DType in, DType out, bool special) {
  Gemm x;
  x.g = GemmLayout{M, K, N, in, out, 0, 0, 0, 0};
  x.a.resize(std::size_t{M} * K);
  x.b.resize(std::size_t{K} * N);
  for (auto& v : x.a) v = random_element(rng, in, special);
  for (auto& v : x.b) v = random_element(rng, in, special);
  return x;
}

std::vector<DType> dtypes(const Config& cfg) {
  std::vector<DType> v;
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8}) {
    if (cfg.tensor_dtype_enabled(t)) v.push_back(t);
  }
  return v;
}

class GemmPerConfig : public ::testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(GemmPerConfig, BitExactAgainstNaiveLoopIncludingSpecials) {
  const Config cfg = Config::by_name(GetParam());
  std::mt19937_64 rng(seed() ^ std::hash<std::string>{}(cfg.name));
  const std::uint32_t max_dim = cfg.partitions * 3 + 5;
  const int iters = cfg.partitions > 32 ? 3 : 12;  // `large` shapes are big: fewer, still K > P
  for (int iter = 0; iter < iters; ++iter) {
    for (DType in : dtypes(cfg)) {
      const DType acc = in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
      const DType out = (in != DType::kInt8 && iter % 3 == 2) ? DType::kBf16 : acc;
      const auto M = 1 + static_cast<std::uint32_t>(rng() % max_dim);
      const auto K = 1 + static_cast<std::uint32_t>(rng() % max_dim);
      const auto N = 1 + static_cast<std::uint32_t>(rng() % (iter % 4 == 0 ? cfg.nmax + 40 : 40));
      Gemm x = make(rng, M, K, N, in, out, iter % 2 == 1);
      const Outcome o = run_golden(cfg, x);
      ASSERT_TRUE(o.run.done) << error_name(o.run.code) << " at " << o.run.index << ": " << o.run.detail;
      EXPECT_TRUE(o.races.empty()) << o.races.front().describe();
      EXPECT_EQ(o.run.counters.macs, std::uint64_t{M} * K * N);
      const auto want = reference::naive_gemm(cfg, x.g, x.a, x.b);
      for (std::size_t i = 0; i < want.size(); ++i) {
        ASSERT_EQ(o.c[i], want[i]) << cfg.name << " " << dtype_name(in) << " M=" << M << " K=" << K << " N=" << N
                                   << " element " << i << " (replay: SYSTOLE_SEED=" << seed() << ")";
      }
    }
  }
}

// Error bound (docs/numerics.md section 3, "GEMM accuracy"): with exact products and K
// rounded fp32 additions, |c - ref| <= (K + 1) * 2^-24 * sum_k |a_k b_k| + K * 2^-126;
// a bf16 output adds half an ulp of bf16: 2^-8 * |ref|.
TEST_P(GemmPerConfig, WithinBoundOfFloat64Reference) {
  const Config cfg = Config::by_name(GetParam());
  std::mt19937_64 rng(seed() + 17);
  for (int iter = 0; iter < 6; ++iter) {
    for (DType in : dtypes(cfg)) {
      const DType acc = in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
      const DType out = (in != DType::kInt8 && iter % 2) ? DType::kBf16 : acc;
      const auto M = 1 + static_cast<std::uint32_t>(rng() % (2 * cfg.columns + 3));
      const auto K = 1 + static_cast<std::uint32_t>(rng() % (4 * cfg.partitions + 7));
      const auto N = 1 + static_cast<std::uint32_t>(rng() % 70);
      Gemm x = make(rng, M, K, N, in, out, false);
      const Outcome o = run_golden(cfg, x);
      ASSERT_TRUE(o.run.done) << o.run.detail;
      for (std::uint32_t m = 0; m < M; ++m) {
        for (std::uint32_t n = 0; n < N; ++n) {
          double ref = 0, mag = 0;
          for (std::uint32_t k = 0; k < K; ++k) {
            const double p = value(in, x.a[m * K + k]) * value(in, x.b[k * N + n]);
            ref += p;
            mag += std::fabs(p);
          }
          const std::uint32_t raw = o.c[std::size_t{m} * N + n];
          double got;
          if (out == DType::kInt32) {
            ASSERT_EQ(static_cast<std::int32_t>(raw), static_cast<std::int64_t>(ref));  // exact for these K
            continue;
          }
          got = out == DType::kBf16 ? value(DType::kBf16, raw) : num::f32_to_double(raw);
          double bound = (K + 1) * std::ldexp(mag, -24) + K * std::ldexp(1.0, -126);
          if (out == DType::kBf16) bound += std::ldexp(std::fabs(ref), -8) + std::ldexp(mag, -8);
          ASSERT_LE(std::fabs(got - ref), bound) << dtype_name(in) << " M=" << M << " K=" << K << " N=" << N;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, GemmPerConfig, ::testing::Values("tiny", "fpga", "default", "large"),
                         [](const auto& info) { return info.param; });
