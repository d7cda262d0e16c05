// systole-demo: what `make sim` runs. GEMMs of several shapes (odd ones included) and every
// dtype the configuration has, built by the GEMM kernel (sw/kernels) and run on the Verilated
// chip (the `rtl` backend), then checked: bit-exactly against the same program on the golden
// model and against the architectural reference loop, and against float64 within the bound of
// docs/numerics.md. Prints one table row per GEMM with the simulated cycles and the array
// utilization (useful MACs / (P x C x cycles)); then one line per vector-engine kernel family
// (demo_kernels.cpp), and the multi-chip lines on the golden system (demo_multichip.cpp); exits
// non-zero if any check fails.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "demo_kernels.hpp"
#include "demo_multichip.hpp"
#include "systole/driver/device.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/sim/chip_sim.hpp"
#include "systole/sim/rtl_device.hpp"

using namespace systole;
using golden::DType;

namespace {

struct Shape {
  std::uint32_t m, k, n;
  kernels::Layout a, b;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Systole demo: GEMMs on the simulated chip, checked bit-exactly against the golden model"};
  std::string config_name = "default", backend = "rtl";
  std::uint64_t seed = 1;
  std::optional<unsigned> dram_latency;
  std::optional<double> dram_bytes_per_cycle;
  std::string timeline;
  app.add_option("--config", config_name, "tiny, fpga or default (the configurations with a chip model)")
      ->check(CLI::IsMember({"tiny", "fpga", "default", "large"}));
  app.add_option("--backend", backend, "rtl (the Verilated chip) or golden")->check(CLI::IsMember({"rtl", "golden"}));
  app.add_option("--seed", seed, "random seed for the operands");
  app.add_option("--dram-latency", dram_latency, "rtl backend: DRAM read and write latency in cycles")
      ->check(CLI::Range(1u, 100000u));
  app.add_option("--dram-bytes-per-cycle", dram_bytes_per_cycle,
                 "rtl backend: DRAM bandwidth in bytes per cycle, R and W together (0: unlimited)")
      ->check(CLI::Range(0.0, 4096.0));
  app.add_option("--timeline", timeline,
                 "rtl backend: trace-event file (JSON, ui.perfetto.dev) of the last GEMM run (rewritten per run)");
  CLI11_PARSE(app, argc, argv);
  if ((dram_latency || dram_bytes_per_cycle || !timeline.empty()) && backend != "rtl") {
    fmt::print(stderr,
               "systole-demo: --dram-latency, --dram-bytes-per-cycle and --timeline need --backend rtl: the {} backend "
               "has no cycles\n",
               backend);
    return 2;
  }
  driver::DeviceOptions dopts;
  dopts.dram_latency = dram_latency;
  dopts.dram_bytes_per_cycle = dram_bytes_per_cycle;
  // The kernel's timing model assumes the same DRAM (it picks between plans by its estimate).
  kernels::GemmOptions gopts;
  if (dram_latency) gopts.timing.dram_latency = gopts.timing.dram_write_latency = *dram_latency;
  if (dram_bytes_per_cycle) gopts.timing.dram_bytes_per_cycle = *dram_bytes_per_cycle;

  sim::register_rtl_backend();
  std::unique_ptr<driver::Device> dev, gold;
  try {
    dev = driver::make_device(backend, config_name, dopts);
  } catch (const driver::BackendUnavailable& e) {
    // `large` has no Verilated chip (Verilator would need > 10 GB): say so, run on the golden model.
    fmt::print("systole-demo: {}\nsystole-demo: running the demo on the golden model instead.\n\n", e.what());
    dev = driver::make_device("golden", config_name);
  }
  if (!timeline.empty() && dev->backend_name() == "rtl") dev->enable_timeline(timeline);
  gold = driver::make_device("golden", config_name);
  const golden::Config& cfg = dev->config();
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  using kernels::Layout;
  const Layout R = Layout::kRowMajor, T = Layout::kColMajor;
  const std::vector<Shape> shapes = {{1, 1, 1, R, R},
                                     {7, 13, 5, R, T},
                                     {C, P, cfg.nmax, R, R},
                                     {2 * C + 3, 3 * P + 1, 37, T, R},
                                     {C + 1, 2 * P, cfg.nmax + 9, R, R},
                                     {31, 29, 23, T, T}};

  fmt::print("Systole demo: configuration '{}' (P={}, C={}, NMAX={}) on the {} backend, seed {}\n", cfg.name, P, C,
             cfg.nmax, dev->backend_name(), seed);
  if (dram_latency || dram_bytes_per_cycle) {
    fmt::print("DRAM: latency {} cycles, {} bytes per cycle\n",
               dram_latency ? fmt::format("{}", *dram_latency) : std::string("default"),
               dram_bytes_per_cycle ? fmt::format("{}", *dram_bytes_per_cycle) : std::string("default"));
  }
  fmt::print("Each GEMM is one Systole program (DMA, MATMUL, semaphores) built by sw/kernels. status: C bit-exact\n");
  fmt::print("with the same program on the golden model and with the reference loop; err/bnd: worst error vs\n");
  fmt::print("float64 over the bound of docs/numerics.md (<= 1 passes); util: useful MACs / (P x C x cycles).\n\n");
  fmt::print("{:>5} {:>5} {:>5}  {:<5} {:<5} {:<7}  {:<8} {:>9} {:>7} {:>6} {:>8}\n", "M", "K", "N", "in", "out", "A,B",
             "status", "cycles", "util", "instr", "err/bnd");
  std::mt19937_64 rng(seed);
  int failed = 0, total = 0;
  for (const Shape& s : shapes) {
    for (DType in : {DType::kInt8, DType::kBf16, DType::kFp8}) {
      if (!cfg.tensor_dtype_enabled(in)) continue;
      const DType acc = in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
      for (DType out : {acc, DType::kBf16}) {
        if (out == DType::kBf16 && in == DType::kInt8) continue;
        ++total;
        const driver::Tensor a = kernels::random_matrix(rng, in, s.m, s.k);
        const driver::Tensor b = kernels::random_matrix(rng, in, s.k, s.n);
        const std::string head = fmt::format(
            "{:>5} {:>5} {:>5}  {:<5} {:<5} {:<7}", s.m, s.k, s.n, golden::dtype_name(in), golden::dtype_name(out),
            fmt::format("{},{}", kernels::layout_name(s.a), kernels::layout_name(s.b)));
        try {
          const kernels::GemmHostResult r = kernels::gemm(*dev, a, b, out, s.a, s.b, Layout::kRowMajor, gopts);
          const kernels::GemmHostResult g = kernels::gemm(*gold, a, b, out, s.a, s.b, Layout::kRowMajor, gopts);
          const bool vs_golden = kernels::first_mismatch(r.c, g.c) < 0;
          const bool vs_ref = kernels::first_mismatch(r.c, kernels::reference_gemm(cfg, a, b, out)) < 0;
          const kernels::Float64Check f = kernels::check_against_float64(a, b, r.c);
          const driver::Counters& k = r.run.result.counters;
          const bool ok = vs_golden && vs_ref && f.ok() && k.macs == g.run.result.counters.macs;
          const auto util = k.utilization(cfg);
          fmt::print("{}  {:<8} {:>9} {:>7} {:>6} {:>8.3f}\n", head, ok ? "match" : "MISMATCH",
                     k.cycles ? fmt::format("{}", *k.cycles) : "n/a",
                     util ? fmt::format("{:.1f}%", 100 * *util) : "n/a", k.instructions, f.worst_ratio);
          failed += ok ? 0 : 1;
        } catch (const std::exception& e) {
          fmt::print("{}  ERROR    {}\n", head, e.what());
          ++failed;
        }
        std::fflush(stdout);
      }
    }
  }
  fmt::print("\n{} of {} GEMMs passed\n", total - failed, total);
  failed += tools::run_kernel_demo(*dev, *gold, seed);
  failed += tools::run_multichip_demo(cfg, seed);
  return failed == 0 ? 0 : 1;
}
