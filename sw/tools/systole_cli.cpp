// systole: the command-line front end (docs/software.md "CLI").
//
//   systole gemm --m M --k K --n N --dtype int8|bf16|fp8 [--out int32|fp32|bf16]
//                [--a-layout row|col] [--b-layout row|col] [--c-layout row|col]
//                [--backend golden|rtl] [--config tiny|fpga|default|large] [--seed S]
//                [--save DIR] [--json] [--trace FILE.fst [--trace-window START:END]] [--timeline FILE.json]
//                [--no-race-check]
//                [--estimate-only]
//                [--dram-latency CYCLES] [--dram-bytes-per-cycle B]
//
// Generates A and B from the seed, runs the GEMM kernel on the backend, compares C bit-exactly
// with the golden reference and with float64 within the bound of docs/numerics.md, and prints a
// summary (or one JSON object). Exit status: 0 match, 1 mismatch, 2 bad arguments, 3 the device
// or backend failed. `--backend rtl` runs the Verilated chip of --config (built when rtl/ has
// chip_top: the binary links systole_rtl and registers it) and reports its CYCLES counter;
// `--trace FILE.fst` records its waveforms; `--timeline FILE.json` its instructions, semaphore
// waits and DRAM bandwidth for ui.perfetto.dev (sim/timeline.hpp), and with --estimate-only the
// timing model's instruction spans in the same format; `--dram-latency` and
// `--dram-bytes-per-cycle` set its DRAM (default: the simulated memory's). Every run reports the
// shape's roofline bound beside its utilization.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>

#include "npy.hpp"
#include "systole/driver/device.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/sim/axi_memory.hpp"
#include "systole/sim/rtl_backend.hpp"  // sim/: the Verilated chip as the driver's "rtl" backend
#include "systole/sim/timeline.hpp"

using namespace systole;
using golden::DType;
using json = nlohmann::json;

namespace {

constexpr int kExitMismatch = 1, kExitUsage = 2, kExitDevice = 3;

struct GemmArgs {
  std::uint32_t m = 0, k = 0, n = 0;
  std::string dtype, out, a_layout = "row", b_layout = "row", c_layout = "row";
  std::string backend = "golden", config = "default";
  std::uint64_t seed = 1;
  std::string save_dir, trace, timeline, trace_window;
  bool json = false, no_race_check = false, estimate_only = false;
  std::optional<unsigned> dram_latency;        // rtl: DRAM read and write latency (cycles)
  std::optional<double> dram_bytes_per_cycle;  // rtl: DRAM bandwidth, R and W together (0: unlimited)
};

// The roofline bound of a GEMM on a configuration (issue 13): the fraction of the array's peak
// that the slowest of compute, the AXI read and write channels (one beat of `axi_data_bits` per
// cycle each way) and the DRAM (`bytes_per_cycle`, 0 = unlimited) allows, with A and B read once
// and C written once.
DType parse_dtype(const std::string& s) {
  if (s == "int8") return DType::kInt8;
  if (s == "bf16") return DType::kBf16;
  if (s == "fp8") return DType::kFp8;
  if (s == "int32") return DType::kInt32;
  if (s == "fp32") return DType::kFp32;
  throw std::invalid_argument("unknown dtype " + s);
}

kernels::Layout parse_layout(const std::string& s) {
  return s == "col" ? kernels::Layout::kColMajor : kernels::Layout::kRowMajor;
}

json opt_json(const std::optional<std::uint64_t>& v) { return v ? json(*v) : json(nullptr); }
json opt_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// --estimate-only: the plan and the static timing model, without running anything.
int estimate_gemm(const GemmArgs& g, const golden::Config& cfg, DType in, DType out, kernels::Layout la,
                  kernels::Layout lb, kernels::Layout lc, const driver::TimingModel& timing) {
  kernels::GemmSpec s;
  s.M = g.m;
  s.K = g.k;
  s.N = g.n;
  s.in = in;
  s.out = out;
  const std::uint64_t isz = golden::dtype_size(in);
  auto align = [](std::uint64_t x) { return (x + 4095) & ~std::uint64_t{4095}; };
  s.a = {4096, la};
  s.b = {static_cast<std::uint32_t>(align(4096 + std::uint64_t{g.m} * g.k * isz)), lb};
  s.c = {static_cast<std::uint32_t>(align(s.b.addr + std::uint64_t{g.k} * g.n * isz)), lc};
  kernels::GemmOptions opts;
  opts.timing = timing;
  const kernels::GemmProgram p = kernels::build_gemm(cfg, s, opts);
  const auto& e = p.estimate;
  if (!g.timeline.empty()) {  // the model's spans, in the chip timeline's format
    const sim::Slots slots = sim::Slots::of(cfg);
    sim::write_timeline(g.timeline, slots, sim::estimate_spans(slots, p.instructions, e.per_insn), {}, p.instructions,
                        fmt::format("systole gemm {}x{}x{} {} (timing model)", g.m, g.k, g.n, g.dtype));
  }
  if (g.json) {
    json j;
    j["status"] = "not run";
    j["config"] = cfg.name;
    j["shape"] = {{"m", g.m}, {"k", g.k}, {"n", g.n}};
    j["dtype"] = g.dtype;
    j["out"] = golden::dtype_name(out);
    j["plan"] = p.plan.describe();
    j["instructions"] = p.encoded.size();
    j["estimated_cycles"] = e.cycles;
    j["estimated_utilization"] = e.utilization;
    j["dram_latency"] = {{"read", timing.dram_latency}, {"write", timing.dram_write_latency}};
    j["dram_bytes_per_cycle"] = timing.dram_bytes_per_cycle;
    j["dram_bytes_read"] = e.dram_rd_bytes;
    j["dram_bytes_written"] = e.dram_wr_bytes;
    if (!g.timeline.empty()) j["timeline"] = g.timeline;
    std::cout << j.dump() << "\n";
    return 0;
  }
  fmt::print("systole gemm (estimate only): M={} K={} N={}  {} -> {}  A {}, B {}, C {}, configuration {}\n", g.m, g.k,
             g.n, g.dtype, golden::dtype_name(out), g.a_layout, g.b_layout, g.c_layout, cfg.name);
  fmt::print("plan:          {}\n", p.plan.describe());
  fmt::print("instructions:  {}\n", p.encoded.size());
  fmt::print("model:         {} cycles, {:.1f}% utilization (ideal {} cycles)\n", e.cycles, 100 * e.utilization,
             e.macs / (std::uint64_t{cfg.partitions} * cfg.columns));
  fmt::print("DRAM model:    {}-cycle read latency, {}-cycle write latency, {} bytes per cycle\n", timing.dram_latency,
             timing.dram_write_latency,
             timing.dram_bytes_per_cycle > 0 ? fmt::format("{:g}", timing.dram_bytes_per_cycle) : "unlimited");
  fmt::print("DRAM read:     {} bytes\n", e.dram_rd_bytes);
  fmt::print("DRAM written:  {} bytes\n", e.dram_wr_bytes);
  if (!g.timeline.empty()) fmt::print("timeline:      {} (the model's; ui.perfetto.dev)\n", g.timeline);
  return 0;
}

int run_gemm(const GemmArgs& g) {
  const DType in = parse_dtype(g.dtype);
  const DType out = g.out.empty() ? (in == DType::kInt8 ? DType::kInt32 : DType::kFp32) : parse_dtype(g.out);
  const kernels::Layout la = parse_layout(g.a_layout), lb = parse_layout(g.b_layout), lc = parse_layout(g.c_layout);
  if (!g.timeline.empty() && g.backend != "rtl" && !g.estimate_only) {
    fmt::print(stderr, "error: --timeline {} needs --backend rtl or --estimate-only: the {} backend has no cycles\n",
               g.timeline, g.backend);
    return kExitUsage;
  }
  std::uint64_t win_begin = 0, win_end = 0;
  if (!g.trace_window.empty()) {
    unsigned long long b = 0, e = 0;
    char tail = 0;
    if (g.trace.empty()) {
      fmt::print(stderr, "error: --trace-window {} needs --trace FILE.fst\n", g.trace_window);
      return kExitUsage;
    }
    if (std::sscanf(g.trace_window.c_str(), "%llu:%llu%c", &b, &e, &tail) != 2 || e <= b) {
      fmt::print(stderr,
                 "error: --trace-window '{}': expected START:END, cycles from the program's start with START < END "
                 "(e.g. 1000:3000)\n",
                 g.trace_window);
      return kExitUsage;
    }
    win_begin = b;
    win_end = e;
  }
  if (!g.trace.empty() && g.backend != "rtl") {
    fmt::print(stderr, "error: --trace {} needs --backend rtl: the {} backend has no waveforms\n", g.trace, g.backend);
    return kExitUsage;
  }
  if ((g.dram_latency || g.dram_bytes_per_cycle) && g.backend != "rtl" && !g.estimate_only) {
    fmt::print(stderr,
               "error: --dram-latency and --dram-bytes-per-cycle need --backend rtl or --estimate-only: the {} "
               "backend has no cycles\n",
               g.backend);
    return kExitUsage;
  }
  // Shapes and dtypes before anything else, against the configuration's real parameters.
  const golden::Config named = golden::Config::by_name(g.config);
  kernels::validate_gemm_types(named, g.m, g.k, g.n, in, out);

  driver::DeviceOptions dopts;
  const std::uint64_t isz = golden::dtype_size(in), osz = golden::dtype_size(out);
  const std::uint64_t operands =
      std::uint64_t{g.m} * g.k * isz + std::uint64_t{g.k} * g.n * isz + std::uint64_t{g.m} * g.n * osz;
  if (operands + (1u << 20) > (std::uint64_t{1} << 32)) {
    throw kernels::GemmArgumentError(fmt::format(
        "gemm: A, B and C need {} bytes together, more than the 4 GiB that 32-bit DRAM addresses reach", operands));
  }
  dopts.dram_bytes = std::min<std::uint64_t>(std::uint64_t{1} << 32,
                                             std::max<std::uint64_t>(dopts.dram_bytes, operands * 5 / 4 + (64u << 20)));
  dopts.race_check = !g.no_race_check;
  dopts.dram_latency = g.dram_latency;
  dopts.dram_bytes_per_cycle = g.dram_bytes_per_cycle;
  // The DRAM the run sees: the options given, else the simulated memory's defaults.
  const sim::AxiMemoryConfig mem_defaults{};
  const unsigned rd_latency = g.dram_latency.value_or(mem_defaults.read_latency);
  const unsigned wr_latency = g.dram_latency.value_or(mem_defaults.write_latency);
  const double dram_bpc = g.dram_bytes_per_cycle.value_or(mem_defaults.bytes_per_cycle);
  const double roof = kernels::gemm_roofline(named, g.m, g.k, g.n, in, out, dram_bpc);
  // The static estimate assumes the same DRAM.
  driver::TimingModel timing;
  timing.dram_latency = rd_latency;
  timing.dram_write_latency = wr_latency;
  timing.dram_bytes_per_cycle = dram_bpc;
  if (g.estimate_only) return estimate_gemm(g, named, in, out, la, lb, lc, timing);
  std::unique_ptr<driver::Device> dev = driver::make_device(g.backend, g.config, dopts);
  if (!g.trace.empty()) dev->enable_trace(g.trace);
  if (win_end != 0) dev->set_trace_window(win_begin, win_end);
  if (!g.timeline.empty()) dev->enable_timeline(g.timeline);
  const auto t0 = std::chrono::steady_clock::now();
  const golden::Config& cfg = dev->config();

  std::mt19937_64 rng(g.seed);
  const driver::Tensor a = kernels::random_matrix(rng, in, g.m, g.k);
  const driver::Tensor b = kernels::random_matrix(rng, in, g.k, g.n);
  kernels::GemmOptions gopts;
  gopts.timing = timing;
  const kernels::GemmHostResult r = kernels::gemm(*dev, a, b, out, la, lb, lc, gopts);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const driver::Tensor want = kernels::reference_gemm(cfg, a, b, out);
  const std::int64_t bad = kernels::first_mismatch(r.c, want);
  const kernels::Float64Check f64 = kernels::check_against_float64(a, b, r.c);
  const auto& counters = r.run.result.counters;
  const auto& races = r.run.result.races;
  const bool match = bad < 0 && f64.ok() && races.empty();
  const std::optional<double> util = counters.utilization(cfg);
  const auto& est = r.run.program.estimate;

  if (!g.save_dir.empty()) {
    std::filesystem::create_directories(g.save_dir);
    tools::write_npy(std::filesystem::path(g.save_dir) / "A.npy", tools::to_npy(a));
    tools::write_npy(std::filesystem::path(g.save_dir) / "B.npy", tools::to_npy(b));
    tools::write_npy(std::filesystem::path(g.save_dir) / "C.npy", tools::to_npy(r.c));
  }

  if (g.json) {
    json j;
    j["status"] = match ? "match" : "mismatch";
    j["bit_exact"] = bad < 0;
    j["first_mismatch"] = bad < 0 ? json(nullptr) : json(bad);
    j["within_bound"] = f64.ok();
    j["max_abs_error"] = f64.max_abs_error;
    j["worst_error_over_bound"] = f64.worst_ratio;
    j["races"] = races;
    j["shape"] = {{"m", g.m}, {"k", g.k}, {"n", g.n}};
    j["dtype"] = g.dtype;
    j["out"] = golden::dtype_name(out);
    j["layouts"] = {{"a", g.a_layout}, {"b", g.b_layout}, {"c", g.c_layout}};
    j["backend"] = dev->backend_name();
    j["config"] = cfg.name;
    j["seed"] = g.seed;
    j["plan"] = r.run.program.plan.describe();
    j["instructions"] = r.run.program.encoded.size();
    j["cycles"] = opt_json(counters.cycles);
    j["utilization"] = opt_json(util);
    j["roofline"] = roof;
    j["of_roofline"] = util ? json(*util / roof) : json(nullptr);
    if (dev->backend_name() == "rtl") {
      j["dram_latency"] = {{"read", rd_latency}, {"write", wr_latency}};
      j["dram_bytes_per_cycle"] = dram_bpc;
    }
    j["macs"] = counters.macs;
    j["dram_bytes_read"] = counters.dram_rd_bytes;
    j["dram_bytes_written"] = counters.dram_wr_bytes;
    j["estimated_cycles"] = est.cycles;
    j["estimated_utilization"] = est.utilization;
    if (!g.save_dir.empty()) j["saved"] = g.save_dir;
    if (!g.trace.empty()) j["trace"] = g.trace;
    if (!g.timeline.empty()) j["timeline"] = g.timeline;
    j["seconds"] = seconds;
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole gemm: M={} K={} N={}  {} -> {}  A {}, B {}, C {}  (seed {})\n", g.m, g.k, g.n, g.dtype,
               golden::dtype_name(out), g.a_layout, g.b_layout, g.c_layout, g.seed);
    fmt::print("backend {}, configuration {} (P={}, C={}, NMAX={}, {} DMA queues, queue depth {})\n",
               dev->backend_name(), cfg.name, cfg.partitions, cfg.columns, cfg.nmax, cfg.dma_queues, cfg.queue_depth);
    fmt::print("plan:          {}\n", r.run.program.plan.describe());
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n",
               bad < 0 ? "yes (golden reference, architectural accumulation order)"
                       : fmt::format("NO: element {} is 0x{:x}, expected 0x{:x}", bad,
                                     r.c.raw(static_cast<std::size_t>(bad)), want.raw(static_cast<std::size_t>(bad))));
    fmt::print("float64:       max error {:.3g}, worst error/bound {:.3g}, {} checked, {} skipped (not finite): {}\n",
               f64.max_abs_error, f64.worst_ratio, f64.checked, f64.skipped,
               f64.ok() ? "within the bound of docs/numerics.md" : "OUT OF BOUND: " + f64.first_violation);
    fmt::print("races:         {}\n", g.backend != "golden"
                                          ? fmt::format("not checked (the {} backend has no race checker)", g.backend)
                                      : g.no_race_check ? std::string("not checked")
                                      : races.empty()   ? std::string("none (race checker on)")
                                                        : races.front());
    fmt::print("cycles:        {}\n", counters.cycles
                                          ? fmt::format("{}", *counters.cycles)
                                          : fmt::format("n/a (the {} backend has no cycles)", dev->backend_name()));
    fmt::print("utilization:   {}\n", util ? fmt::format("{:.1f}%", 100 * *util) : "n/a");
    fmt::print("roofline:      {:.1f}% of peak{}\n", 100 * roof,
               util ? fmt::format(" ({:.1f}% of it reached)", 100 * *util / roof) : std::string());
    if (dev->backend_name() == "rtl") {
      fmt::print("DRAM:          latency {} read / {} write cycles, {}\n", rd_latency, wr_latency,
                 dram_bpc > 0 ? fmt::format("{} bytes per cycle", dram_bpc) : std::string("unlimited bandwidth"));
    }
    fmt::print("model:         {} cycles, {:.1f}% utilization (static estimate for the RTL, driver/timing_model.hpp)\n",
               est.cycles, 100 * est.utilization);
    fmt::print("instructions:  {} in the program, {} retired\n", r.run.program.encoded.size(), counters.instructions);
    fmt::print("MACs:          {}\n", counters.macs);
    fmt::print("DRAM read:     {} bytes\n", counters.dram_rd_bytes);
    fmt::print("DRAM written:  {} bytes\n", counters.dram_wr_bytes);
    if (!g.save_dir.empty()) fmt::print("saved:         A.npy, B.npy, C.npy in {}\n", g.save_dir);
    if (!g.trace.empty()) {
      fmt::print("trace:         {} (FST{})\n", g.trace,
                 win_end != 0 ? fmt::format(", cycles {} to {} from START", win_begin, win_end) : std::string());
    }
    if (!g.timeline.empty()) fmt::print("timeline:      {} (ui.perfetto.dev, chrome://tracing)\n", g.timeline);
    if (counters.cycles) {
      fmt::print("simulated:     {:.2f} s wall clock for the whole run ({:.0f} chip cycles/s)\n", seconds,
                 static_cast<double>(*counters.cycles) / seconds);
    }
  }
  return match ? 0 : kExitMismatch;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"systole: run Systole kernels on a backend and check them against the golden model"};
  app.require_subcommand(1);
  GemmArgs g;
  CLI::App* gemm = app.add_subcommand("gemm", "C[M,N] = A[M,K] * B[K,N] with random operands from the seed");
  gemm->add_option("--m", g.m, "rows of A and C (>= 1)")->required();
  gemm->add_option("--k", g.k, "columns of A, rows of B (>= 1)")->required();
  gemm->add_option("--n", g.n, "columns of B and C (>= 1)")->required();
  gemm->add_option("--dtype", g.dtype, "input dtype")->required()->check(CLI::IsMember({"int8", "bf16", "fp8"}));
  gemm->add_option("--out", g.out, "output dtype (default: int32 for int8, fp32 for bf16/fp8)")
      ->check(CLI::IsMember({"int32", "fp32", "bf16"}));
  gemm->add_option("--a-layout", g.a_layout, "A in DRAM: row or col (major)")->check(CLI::IsMember({"row", "col"}));
  gemm->add_option("--b-layout", g.b_layout, "B in DRAM: row or col (major)")->check(CLI::IsMember({"row", "col"}));
  gemm->add_option("--c-layout", g.c_layout, "C in DRAM: row or col (major)")->check(CLI::IsMember({"row", "col"}));
  gemm->add_option("--backend", g.backend, "golden or rtl")->check(CLI::IsMember({"golden", "rtl"}));
  gemm->add_option("--config", g.config, "hardware configuration")
      ->check(CLI::IsMember({"tiny", "fpga", "default", "large"}));
  gemm->add_option("--seed", g.seed, "seed of the random operands");
  gemm->add_option("--save", g.save_dir, "write A.npy, B.npy and C.npy (NumPy 1.0) into this directory");
  gemm->add_flag("--json", g.json, "print one JSON object instead of the summary");
  gemm->add_option("--trace", g.trace, "waveform file (FST) of the simulated chip, rtl backend only");
  gemm->add_option("--trace-window", g.trace_window,
                   "START:END: trace only these cycles, counted from the program's start (keeps files small)");
  gemm->add_option("--timeline", g.timeline,
                   "trace-event file (JSON: ui.perfetto.dev, chrome://tracing) of the run (rtl backend), or of the "
                   "timing model's estimate (--estimate-only)");
  gemm->add_flag("--no-race-check", g.no_race_check, "golden backend: run without the race checker (faster)");
  gemm->add_option("--dram-latency", g.dram_latency,
                   "rtl backend (and --estimate-only): DRAM read and write latency in cycles")
      ->check(CLI::Range(1u, 100000u));
  gemm->add_option(
          "--dram-bytes-per-cycle", g.dram_bytes_per_cycle,
          "rtl backend (and --estimate-only): DRAM bandwidth in bytes per cycle, R and W together (0: unlimited)")
      ->check(CLI::Range(0.0, 4096.0));
  gemm->add_flag("--estimate-only", g.estimate_only,
                 "print the plan and the static cycle estimate (driver/timing_model.hpp) without running");

  systole::sim::register_rtl_backend();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  try {
    if (gemm->parsed()) return run_gemm(g);
  } catch (const kernels::GemmArgumentError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  } catch (const driver::OutOfDeviceMemory& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  } catch (const driver::BackendUnavailable& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitDevice;
  } catch (const driver::DeviceError& e) {
    fmt::print(stderr, "error: the device stopped: {}\n", e.what());
    return kExitDevice;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitDevice;
  }
  return 0;
}
