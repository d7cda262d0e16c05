// systole-bench: what `make bench` runs (a benchmark, not a test). GEMMs C = A x B drawn from
// named shape classes (and the user's own shapes) on the Verilated chip with a DRAM of fixed
// latency and bandwidth, for each input dtype: simulated cycles, the array utilization (useful
// MACs / (P x C x cycles)), the roofline bound of the shape (kernels::gemm_roofline), the bound
// with the array's feed added (kernels::gemm_feed_bound: lower only when M < C), the ratio of the
// utilization to that bound, and the kernel's static timing-model estimate next to the RTL's. Every
// result is also checked bit-exactly against the architectural reference (a wrong answer is not a
// benchmark). Simulated cycles are deterministic; the wall-clock columns only say how long the
// simulation took on this machine. --csv writes the rows for plotting (scripts/bench_plot.gp).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/sim/rtl_device.hpp"

using namespace systole;

namespace {

struct Shape {
  std::string cls;
  std::uint32_t m = 0, k = 0, n = 0;
};

// The named classes (docs/performance.md): square; skinny (few rows of A against large weights,
// decode-time batches); tall (few columns of C); short-k (a short contraction); quick (a smoke
// set of one shape per class that finishes in seconds).
const std::map<std::string, std::vector<Shape>>& classes() {
  static const std::map<std::string, std::vector<Shape>> c = [] {
    std::map<std::string, std::vector<Shape>> m;
    for (std::uint32_t s : {64u, 128u, 256u, 512u, 1024u, 2048u}) m["square"].push_back({"square", s, s, s});
    for (std::uint32_t kn : {1024u, 4096u})
      for (std::uint32_t rows : {1u, 4u, 16u, 64u}) m["skinny"].push_back({"skinny", rows, kn, kn});
    for (std::uint32_t n : {16u, 64u}) m["tall"].push_back({"tall", 1024, 1024, n});
    for (std::uint32_t k : {16u, 64u}) m["short-k"].push_back({"short-k", 1024, k, 1024});
    m["quick"] = {
        {"quick", 256, 256, 256}, {"quick", 16, 1024, 1024}, {"quick", 512, 512, 64}, {"quick", 512, 64, 512}};
    return m;
  }();
  return c;
}

Shape parse_shape(const std::string& s) {
  Shape r{"user", 0, 0, 0};
  if (std::sscanf(s.c_str(), "%ux%ux%u", &r.m, &r.k, &r.n) != 3 || r.m == 0 || r.k == 0 || r.n == 0 || r.m > 8192 ||
      r.k > 8192 || r.n > 8192) {
    throw CLI::ValidationError("--shape", "'" + s + "': expected MxKxN with each size in 1..8192, e.g. 16x1024x1024");
  }
  return r;
}

golden::DType parse_dtype(const std::string& s) {
  if (s == "int8") return golden::DType::kInt8;
  if (s == "fp8") return golden::DType::kFp8;
  return golden::DType::kBf16;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Systole benchmark: GEMM utilization against the roofline on the simulated chip"};
  std::string config = "default";
  std::vector<std::string> cls{"square", "skinny", "tall", "short-k"};
  std::vector<std::string> shapes_arg, dtypes{"bf16", "fp8", "int8"};
  std::vector<std::uint32_t> sizes;
  unsigned latency = 100;
  double bytes_per_cycle = 64;
  std::uint64_t seed = 1;
  std::string csv, timeline;
  app.add_option("--config", config, "tiny, fpga or default")->check(CLI::IsMember({"tiny", "fpga", "default"}));
  std::string names;
  for (const auto& [k, v] : classes()) names += (names.empty() ? "" : ", ") + k;
  app.add_option("--class", cls, "shape classes to run (" + names + "; none: only --shape/--sizes)")
      ->delimiter(',')
      ->check(CLI::IsMember([] {
        std::vector<std::string> v{"none"};
        for (const auto& [k, s] : classes()) v.push_back(k);
        return v;
      }()));
  app.add_option("--shape", shapes_arg, "extra shapes MxKxN (class 'user')")->delimiter(',');
  app.add_option("--sizes", sizes, "extra cubic sizes M = K = N (class 'user')")
      ->delimiter(',')
      ->check(CLI::Range(1u, 4096u));
  app.add_option("--dtypes", dtypes, "input dtypes")->delimiter(',')->check(CLI::IsMember({"bf16", "fp8", "int8"}));
  app.add_option("--dram-latency,--latency", latency, "DRAM read and write latency in cycles")
      ->check(CLI::Range(1u, 100000u));
  app.add_option("--dram-bytes-per-cycle,--bytes-per-cycle", bytes_per_cycle,
                 "DRAM bandwidth in bytes per cycle, R and W together")
      ->check(CLI::Range(1.0, 4096.0));
  app.add_option("--seed", seed, "operand seed");
  app.add_option("--csv", csv, "also write the rows to this CSV file");
  app.add_option("--timeline", timeline,
                 "trace-event file (JSON, ui.perfetto.dev) of the last GEMM (rewritten per run)");
  CLI11_PARSE(app, argc, argv);

  std::vector<Shape> shapes;
  for (const std::string& c : cls) {
    if (c == "none") continue;
    for (const Shape& s : classes().at(c)) shapes.push_back(s);
  }
  try {
    for (const std::string& s : shapes_arg) shapes.push_back(parse_shape(s));
  } catch (const CLI::ValidationError& e) {
    return app.exit(e);
  }
  for (std::uint32_t n : sizes) shapes.push_back({"user", n, n, n});

  sim::RtlOptions opts;
  opts.sim.axi.read_latency = latency;
  opts.sim.axi.write_latency = latency;
  opts.sim.axi.bytes_per_cycle = bytes_per_cycle;
  sim::RtlDevice dev(config, opts);
  if (!timeline.empty()) dev.enable_timeline(timeline);
  const golden::Config& cfg = dev.config();
  kernels::GemmOptions gopts;
  gopts.timing.dram_latency = latency;
  gopts.timing.dram_write_latency = latency;
  gopts.timing.dram_bytes_per_cycle = bytes_per_cycle;
  gopts.run_timeout = std::chrono::hours(6);  // 2048^3 simulates for over 10 minutes

  std::FILE* out_csv = csv.empty() ? nullptr : std::fopen(csv.c_str(), "w");
  if (!csv.empty() && out_csv == nullptr) {
    fmt::print(stderr, "systole-bench: cannot write '{}'\n", csv);
    return 2;
  }
  if (out_csv) {
    fmt::print(out_csv, "class,m,k,n,dtype,cycles,utilization,roofline,bound,of_bound,model_cycles,bit_exact\n");
  }
  fmt::print("Systole bench on '{}' (P={}, C={}), DRAM latency {} cycles, {} bytes/cycle; C is fp32 (bf16, fp8 "
             "in) or int32 (int8 in)\n\n",
             cfg.name, cfg.partitions, cfg.columns, latency, bytes_per_cycle);
  fmt::print(
      "| class | M | K | N | dtype | cycles | utilization | roofline | feed bound | of bound | model | model/RTL "
      "| result | wall s | sim cycles/s |\n");
  fmt::print("|:---|---:|---:|---:|:---|---:|---:|---:|---:|---:|---:|---:|:---|---:|---:|\n");
  std::mt19937_64 rng(seed);
  bool all_ok = true;
  for (const Shape& s : shapes) {
    for (const std::string& dt : dtypes) {
      const golden::DType in = parse_dtype(dt);
      if (!cfg.tensor_dtype_enabled(in)) continue;
      const golden::DType out = in == golden::DType::kInt8 ? golden::DType::kInt32 : golden::DType::kFp32;
      const driver::Tensor a = kernels::random_matrix(rng, in, s.m, s.k);
      const driver::Tensor b = kernels::random_matrix(rng, in, s.k, s.n);
      const auto t0 = std::chrono::steady_clock::now();
      const kernels::GemmHostResult r = kernels::gemm(dev, a, b, out, kernels::Layout::kRowMajor,
                                                      kernels::Layout::kRowMajor, kernels::Layout::kRowMajor, gopts);
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const bool ok = kernels::first_mismatch(r.c, kernels::reference_gemm(cfg, a, b, out)) < 0;
      all_ok = all_ok && ok;
      const driver::Counters& k = r.run.result.counters;
      const std::uint64_t cycles = k.cycles.value_or(0);
      const double util = k.utilization(cfg).value_or(0);
      const double roof = kernels::gemm_roofline(cfg, s.m, s.k, s.n, in, out, bytes_per_cycle);
      const double bound = kernels::gemm_feed_bound(cfg, s.m, s.k, s.n, in, out, bytes_per_cycle);
      const std::uint64_t model = r.run.program.estimate.cycles;
      const double model_ratio = cycles ? static_cast<double>(model) / static_cast<double>(cycles) : 0.0;
      fmt::print("| {} | {} | {} | {} | {} | {} | {:.1f}% | {:.1f}% | {:.1f}% | {:.1f}% | {} | {:.3f} | {} | {:.0f} | "
                 "{:.0f} |\n",
                 s.cls, s.m, s.k, s.n, dt, cycles, 100 * util, 100 * roof, 100 * bound, 100 * util / bound, model,
                 model_ratio, ok ? "bit-exact" : "MISMATCH", wall, wall > 0 ? static_cast<double>(cycles) / wall : 0.0);
      std::fflush(stdout);
      if (out_csv) {
        fmt::print(out_csv, "{},{},{},{},{},{},{:.5f},{:.5f},{:.5f},{:.5f},{},{}\n", s.cls, s.m, s.k, s.n, dt, cycles,
                   util, roof, bound, util / bound, model, ok ? 1 : 0);
        std::fflush(out_csv);
      }
    }
  }
  if (out_csv) std::fclose(out_csv);
  return all_ok ? 0 : 1;
}
