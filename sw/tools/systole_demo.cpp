// systole-demo: what `make sim` runs. GEMMs of several shapes and every enabled dtype are built
// as Systole programs, executed on the golden model with the race checker on, and checked
// bit-exactly against the architectural reference loop and against float64 within the bound of
// docs/numerics.md. Prints one table row per GEMM; exits non-zero if any check fails.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "systole/golden/machine.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/reference_gemm.hpp"

using namespace systole::golden;

namespace {

std::uint32_t random_element(std::mt19937_64& rng, DType t) {
  std::normal_distribution<float> n(0.0f, 1.0f);
  switch (t) {
    case DType::kInt8: return static_cast<std::uint8_t>(rng());
    case DType::kBf16: return num::f32_to_bf16(std::bit_cast<std::uint32_t>(n(rng)));
    case DType::kFp8: return num::f32_to_fp8(std::bit_cast<std::uint32_t>(4.0f * n(rng)));
    default: return 0;
  }
}

double value(DType t, std::uint32_t raw) {
  switch (t) {
    case DType::kInt8: return static_cast<std::int8_t>(raw);
    case DType::kInt32: return static_cast<std::int32_t>(raw);
    case DType::kBf16: return num::bf16_to_double(static_cast<num::bf16_bits>(raw));
    case DType::kFp8: return num::fp8_to_double(static_cast<num::fp8_bits>(raw));
    case DType::kFp32: return num::f32_to_double(raw);
  }
  return 0;
}

struct Row {
  bool ok;
  std::string line;
};

Row run_one(const Config& cfg, std::uint32_t M, std::uint32_t K, std::uint32_t N, DType in, DType out,
            std::mt19937_64& rng) {
  reference::GemmLayout g{M, K, N, in, out, 0x1000, 0, 0, 0};
  const std::uint32_t isz = dtype_size(in), osz = dtype_size(out);
  auto align = [](std::uint64_t x) { return static_cast<std::uint32_t>((x + 4095) & ~std::uint64_t{4095}); };
  g.b_addr = align(g.a_addr + std::uint64_t{M} * K * isz);
  g.c_addr = align(g.b_addr + std::uint64_t{K} * N * isz);
  g.prog_addr = align(g.c_addr + std::uint64_t{M} * N * osz);
  std::vector<std::uint32_t> a(std::size_t{M} * K), b(std::size_t{K} * N);
  for (auto& v : a) v = random_element(rng, in);
  for (auto& v : b) v = random_element(rng, in);

  const auto prog = reference::build_gemm(cfg, g);
  Machine m(cfg, g.prog_addr + prog.size() * kInstructionBytes + 4096);
  m.windows()[0] = Window{0, 0xFFFFFFFFu, true, true, true};
  RaceChecker rc(cfg);
  m.set_race_checker(&rc);
  for (std::size_t i = 0; i < a.size(); ++i) std::memcpy(&m.dram()[g.a_addr + i * isz], &a[i], isz);
  for (std::size_t i = 0; i < b.size(); ++i) std::memcpy(&m.dram()[g.b_addr + i * isz], &b[i], isz);
  const RunResult r = m.run_program(prog, g.prog_addr);

  const std::string shape = fmt::format("{:>5} {:>5} {:>5}  {:<5} {:<5}", M, K, N, dtype_name(in), dtype_name(out));
  if (!r.done) {
    return {false, fmt::format("{}  ERROR {} at instruction {}: {}", shape, error_name(r.code), r.index, r.detail)};
  }
  std::vector<std::uint32_t> c(std::size_t{M} * N);
  for (std::size_t i = 0; i < c.size(); ++i) std::memcpy(&c[i], &m.dram()[g.c_addr + i * osz], osz);
  const bool exact = c == reference::naive_gemm(cfg, g, a, b);

  // float64 reference and the bound of docs/numerics.md section 3 (worst ratio err/bound).
  double worst = 0;
  for (std::uint32_t i = 0; i < M; ++i) {
    for (std::uint32_t n = 0; n < N; ++n) {
      double ref = 0, mag = 0;
      for (std::uint32_t k = 0; k < K; ++k) {
        const double p = value(in, a[std::size_t{i} * K + k]) * value(in, b[std::size_t{k} * N + n]);
        ref += p;
        mag += std::fabs(p);
      }
      double bound = in == DType::kInt8 ? 0.0 : (K + 1) * std::ldexp(mag, -24) + K * std::ldexp(1.0, -126);
      if (out == DType::kBf16) bound += std::ldexp(std::fabs(ref) + mag, -8);
      const double err = std::fabs(value(out, c[std::size_t{i} * N + n]) - ref);
      worst = std::max(worst, bound > 0 ? err / bound : (err > 0 ? INFINITY : 0.0));
    }
  }
  const bool ok = exact && worst <= 1.0 && rc.clean();
  return {ok, fmt::format("{}  {:<8} {:>6} {:>12} {:>10}/{:<10} {:>8.3f}  {}", shape, exact ? "match" : "MISMATCH",
                          r.counters.instructions, r.counters.macs, r.counters.dram_rd_bytes, r.counters.dram_wr_bytes,
                          worst, rc.clean() ? "none" : rc.races().front().describe())};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Systole demo: GEMM programs on the golden model, checked bit-exactly"};
  std::string config_name = "default";
  std::uint64_t seed = 1;
  app.add_option("--config", config_name, "tiny, fpga, default or large")->check(CLI::IsMember({"tiny", "fpga", "default", "large"}));
  app.add_option("--seed", seed, "random seed for the operands");
  CLI11_PARSE(app, argc, argv);

  const Config cfg = Config::by_name(config_name);
  std::mt19937_64 rng(seed);
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  const std::vector<std::array<std::uint32_t, 3>> shapes = {
      {1, 1, 1}, {7, 13, 5}, {C, P, cfg.nmax}, {2 * C + 3, 3 * P + 1, 37}, {C + 1, 2 * P, cfg.nmax + 9}, {31, 29, 23}};

  fmt::print("Systole demo on the golden model: configuration '{}' (P={}, C={}, NMAX={}), seed {}\n", cfg.name, P, C,
             cfg.nmax, seed);
  fmt::print("Each GEMM is a Systole program (DMA, MATMUL, COPY, semaphores) run with the race checker on.\n");
  fmt::print("status: bit-exact vs the architectural reference loop; err/bound: worst error vs float64 over the\n");
  fmt::print("bound of docs/numerics.md (<= 1 passes). Cycle counts come with the RTL (tensor engine, full chip).\n\n");
  fmt::print("{:>5} {:>5} {:>5}  {:<5} {:<5}  {:<8} {:>6} {:>12} {:>21} {:>8}  {}\n", "M", "K", "N", "in", "out", "status",
             "instr", "MACs", "DRAM rd/wr bytes", "err/bnd", "races");
  int failed = 0, total = 0;
  for (const auto& s : shapes) {
    for (DType in : {DType::kInt8, DType::kBf16, DType::kFp8}) {
      if (!cfg.tensor_dtype_enabled(in)) continue;
      const DType acc = in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
      for (DType out : {acc, DType::kBf16}) {
        if (out == DType::kBf16 && in == DType::kInt8) continue;
        const Row row = run_one(cfg, s[0], s[1], s[2], in, out, rng);
        fmt::print("{}\n", row.line);
        ++total;
        failed += row.ok ? 0 : 1;
      }
    }
  }
  fmt::print("\n{} of {} GEMMs passed\n", total - failed, total);
  return failed == 0 ? 0 : 1;
}
