// Shared helpers of the GEMM kernel tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>
#include <string>

#include "systole/driver/golden_device.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"

namespace systole::kernels::testing {

inline std::uint64_t seed() {
  const char* s = std::getenv("SYSTOLE_SEED");
  return s ? std::strtoull(s, nullptr, 0) : 0x5EEDull;
}

// A golden device with the configuration and the race checker on.
inline std::unique_ptr<driver::GoldenDevice> golden_device(golden::Config cfg, std::uint64_t dram = 16u << 20) {
  return std::make_unique<driver::GoldenDevice>(std::move(cfg), dram, true);
}

inline golden::DType accumulator(golden::DType in) {
  return in == golden::DType::kInt8 ? golden::DType::kInt32 : golden::DType::kFp32;
}

// Options that force the streaming mode with stages of about two passes of 16 columns.
inline GemmOptions small_stages(const golden::Config& cfg, golden::DType in) {
  const std::uint32_t isz = golden::dtype_size(in);
  auto align = [](std::uint32_t x) { return (x + 63) & ~63u; };
  GemmOptions o;
  o.force_streaming = true;
  o.max_block_n = 16;
  o.sbuf_bytes = 2 * align(2 * cfg.columns * isz) + 2 * align(2 * 16 * isz);
  return o;
}

struct Case {
  std::uint32_t M, K, N;
  golden::DType in, out;
  Layout a = Layout::kRowMajor, b = Layout::kRowMajor, c = Layout::kRowMajor;
  Fill fill = Fill::kNormal;
  GemmOptions opts{};

  std::string describe(const golden::Config& cfg) const {
    return "config " + cfg.name + " M=" + std::to_string(M) + " K=" + std::to_string(K) + " N=" + std::to_string(N) +
           " " + std::string(golden::dtype_name(in)) + "->" + std::string(golden::dtype_name(out)) + " A " +
           std::string(layout_name(a)) + " B " + std::string(layout_name(b)) + " C " + std::string(layout_name(c)) +
           " fill " + std::to_string(static_cast<int>(fill)) + " (replay: SYSTOLE_SEED=" + std::to_string(seed()) + ")";
  }
};

struct Outcome {
  driver::Tensor a, b, c, want;
  GemmHostResult result;
};

// Runs one case on `dev` and checks everything that must hold for every GEMM: bit-exact with
// the architectural reference, no race, MACs and DRAM bytes as expected.
inline Outcome run_and_check(driver::Device& dev, const Case& k, std::mt19937_64& rng) {
  const golden::Config& cfg = dev.config();
  Outcome o{random_matrix(rng, k.in, k.M, k.K, k.fill), random_matrix(rng, k.in, k.K, k.N, k.fill), {}, {}, {}};
  o.result = gemm(dev, o.a, o.b, k.out, k.a, k.b, k.c, k.opts);
  o.c = o.result.c;
  o.want = reference_gemm(cfg, o.a, o.b, k.out);
  const std::string what = k.describe(cfg) + " plan: " + o.result.run.program.plan.describe();
  const auto& run = o.result.run.result;
  EXPECT_TRUE(run.races.empty()) << what << "\n" << run.races.front();
  EXPECT_EQ(run.counters.macs, std::uint64_t{k.M} * k.K * k.N) << what;
  EXPECT_EQ(run.counters.dram_rd_bytes, o.result.run.program.estimate.dram_rd_bytes) << what;
  EXPECT_EQ(run.counters.dram_wr_bytes, std::uint64_t{k.M} * k.N * golden::dtype_size(k.out)) << what;
  const std::int64_t bad = first_mismatch(o.c, o.want);
  EXPECT_EQ(bad, -1) << what << ": element " << bad << " is 0x" << std::hex << (bad >= 0 ? o.c.raw(bad) : 0)
                     << ", expected 0x" << (bad >= 0 ? o.want.raw(bad) : 0);
  return o;
}

}  // namespace systole::kernels::testing
