// systole-bench: what `make bench` runs (a benchmark, not a test). bf16 GEMMs C = A x B of
// the given cubic sizes on the Verilated chip with a DRAM of fixed latency and bandwidth,
// reporting simulated cycles and the array utilization, useful MACs / (P x C x cycles), next to
// the kernel's static timing-model estimate. Every result is also checked bit-exactly against
// the architectural reference (a wrong answer is not a benchmark). Simulated cycles are
// deterministic; the wall-clock column only says how long the simulation took on this machine.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/sim/rtl_device.hpp"

using namespace systole;

int main(int argc, char** argv) {
  CLI::App app{"Systole benchmark: bf16 GEMM utilization on the simulated chip"};
  std::string config = "default";
  std::vector<std::uint32_t> sizes{256, 512, 1024};
  unsigned latency = 100;
  double bytes_per_cycle = 64;
  std::uint64_t seed = 1;
  std::string out = "fp32";
  app.add_option("--config", config, "tiny, fpga or default")->check(CLI::IsMember({"tiny", "fpga", "default"}));
  app.add_option("--sizes", sizes, "cubic GEMM sizes M = K = N")->delimiter(',')->check(CLI::Range(1u, 4096u));
  app.add_option("--latency", latency, "DRAM read and write latency in cycles")->check(CLI::Range(1u, 100000u));
  app.add_option("--bytes-per-cycle", bytes_per_cycle, "DRAM bandwidth (R and W beats together)")
      ->check(CLI::Range(1.0, 4096.0));
  app.add_option("--out", out, "output dtype: fp32 or bf16")->check(CLI::IsMember({"fp32", "bf16"}));
  app.add_option("--seed", seed, "operand seed");
  CLI11_PARSE(app, argc, argv);

  sim::RtlOptions opts;
  opts.sim.axi.read_latency = latency;
  opts.sim.axi.write_latency = latency;
  opts.sim.axi.bytes_per_cycle = bytes_per_cycle;
  sim::RtlDevice dev(config, opts);
  const golden::Config& cfg = dev.config();
  const golden::DType out_t = out == "bf16" ? golden::DType::kBf16 : golden::DType::kFp32;

  fmt::print("Systole bench: bf16 GEMM -> {} on '{}' (P={}, C={}), DRAM latency {} cycles, {} bytes/cycle\n\n", out,
             cfg.name, cfg.partitions, cfg.columns, latency, bytes_per_cycle);
  fmt::print("| M=K=N | cycles | utilization | model estimate | DRAM read | DRAM written | instructions | result | "
             "wall s | sim cycles/s |\n");
  fmt::print("|---:|---:|---:|---:|---:|---:|---:|:---|---:|---:|\n");
  std::mt19937_64 rng(seed);
  bool all_ok = true;
  for (const std::uint32_t n : sizes) {
    const driver::Tensor a = kernels::random_matrix(rng, golden::DType::kBf16, n, n);
    const driver::Tensor b = kernels::random_matrix(rng, golden::DType::kBf16, n, n);
    const auto t0 = std::chrono::steady_clock::now();
    const kernels::GemmHostResult r = kernels::gemm(dev, a, b, out_t);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool ok = kernels::first_mismatch(r.c, kernels::reference_gemm(cfg, a, b, out_t)) < 0;
    all_ok = all_ok && ok;
    const driver::Counters& k = r.run.result.counters;
    const std::uint64_t cycles = k.cycles.value_or(0);
    const double util = k.utilization(cfg).value_or(0);
    const auto& est = r.run.program.estimate;
    fmt::print("| {} | {} | {:.1f}% | {:.1f}% | {} | {} | {} | {} | {:.0f} | {:.0f} |\n", n, cycles, 100 * util,
               100 * est.utilization, k.dram_rd_bytes, k.dram_wr_bytes, k.instructions, ok ? "bit-exact" : "MISMATCH",
               wall, wall > 0 ? static_cast<double>(cycles) / wall : 0.0);
    std::fflush(stdout);
  }
  return all_ok ? 0 : 1;
}
