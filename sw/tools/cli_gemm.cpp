// systole gemm (docs/software.md section 3).
//
//   systole gemm --m M --k K --n N --dtype int8|bf16|fp8 [--out int32|fp32|bf16]
//                [--a-layout row|col] [--b-layout row|col] [--c-layout row|col] [--estimate-only]
//                + the shared options of cli_common.hpp
//
// Generates A and B from the seed, runs the GEMM kernel on the backend, compares C bit-exactly
// with the golden reference and with float64 within the bound of docs/numerics.md, and prints a
// summary (or one JSON object). Every run reports the shape's roofline bound beside its
// utilization; --estimate-only prints the plan and the static timing model's estimate.
#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "npy.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/sim/timeline.hpp"

namespace systole::cli {

using golden::DType;
using json = nlohmann::json;

namespace {

struct GemmArgs {
  std::uint32_t m = 0, k = 0, n = 0;
  std::string dtype, out, a_layout = "row", b_layout = "row", c_layout = "row";
  // The fused epilogue (gemm_epilogue.hpp): on when any of these is given or out is fp8/int8.
  std::string activation, bias = "none";
  std::optional<float> alpha;
  bool residual = false;
  RunArgs run;
  bool fused() const {
    return !activation.empty() || bias != "none" || alpha || residual || out == "fp8" || out == "int8";
  }
};

// The epilogue's random inputs (bf16, N(0, 1)) drawn after A and B.
kernels::EpilogueInputs epilogue_inputs(const GemmArgs& g, std::mt19937_64& rng) {
  kernels::EpilogueInputs e;
  e.activation = g.activation.empty() ? "identity" : g.activation;
  e.alpha = g.alpha.value_or(1.0f);
  auto vec = [&](std::vector<std::uint64_t> shape) {
    driver::Tensor t(DType::kBf16, std::move(shape));
    std::normal_distribution<float> n01(0.0f, 1.0f);
    for (std::size_t i = 0; i < t.size(); ++i) {
      t.set_raw(i, golden::num::f32_to_bf16(std::bit_cast<std::uint32_t>(n01(rng))));
    }
    return t;
  };
  if (g.bias == "col" || g.bias == "both") e.bias_col = vec({g.n});
  if (g.bias == "row" || g.bias == "both") e.bias_row = vec({g.m});
  if (g.residual) e.residual = vec({g.m, g.n});
  return e;
}

kernels::Layout parse_layout(const std::string& s) {
  return s == "col" ? kernels::Layout::kColMajor : kernels::Layout::kRowMajor;
}

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
  const std::string& timeline = g.run.timeline;
  if (!timeline.empty()) {  // the model's spans, in the chip timeline's format
    const sim::Slots slots = sim::Slots::of(cfg);
    sim::write_timeline(timeline, slots, sim::estimate_spans(slots, p.instructions, e.per_insn), {}, p.instructions,
                        fmt::format("systole gemm {}x{}x{} {} (timing model)", g.m, g.k, g.n, g.dtype));
  }
  if (g.run.json) {
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
    if (!timeline.empty()) j["timeline"] = timeline;
    std::cout << j.dump() << "\n";
    return kExitMatch;
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
  if (!timeline.empty()) fmt::print("timeline:      {} (the model's; ui.perfetto.dev)\n", timeline);
  return kExitMatch;
}

// GEMM with the fused epilogue: A, B, C row-major; Y against the GEMM reference followed by the
// epilogue reference, and against float64 (docs/kernels.md section 7.3).
int run_fused(const GemmArgs& g) {
  const DType in = parse_dtype(g.dtype);
  const DType out = g.out.empty() ? DType::kBf16 : parse_dtype(g.out);
  if (g.a_layout != "row" || g.b_layout != "row" || g.c_layout != "row" || g.run.estimate_only) {
    throw UsageError("the fused epilogue (--activation, --bias, --alpha, --residual, --out fp8|int8) runs with "
                     "row-major A, B and C and without --estimate-only");
  }
  const RunSetup setup = check_run_args(g.run, true);
  const golden::Config named = golden::Config::by_name(g.run.config);
  kernels::validate_gemm_types(named, g.m, g.k, g.n, in, out, true);
  const std::uint64_t isz = golden::dtype_size(in);
  const std::uint64_t operands = (std::uint64_t{g.m} * g.k + std::uint64_t{g.k} * g.n) * isz +
                                 std::uint64_t{g.m} * g.n * (golden::dtype_size(out) + 2);
  if (operands + (1u << 20) > (std::uint64_t{1} << 32)) {
    throw kernels::GemmArgumentError(fmt::format(
        "gemm: the operands need {} bytes, more than the 4 GiB that 32-bit DRAM addresses reach", operands));
  }
  std::unique_ptr<driver::Device> dev = open_device(g.run, setup, operands);
  const auto t0 = std::chrono::steady_clock::now();
  const golden::Config& cfg = dev->config();
  std::mt19937_64 rng(g.run.seed);
  const driver::Tensor a = kernels::random_matrix(rng, in, g.m, g.k);
  const driver::Tensor b = kernels::random_matrix(rng, in, g.k, g.n);
  const kernels::EpilogueInputs e = epilogue_inputs(g, rng);
  kernels::GemmOptions gopts;
  gopts.timing = setup.timing;
  const kernels::GemmHostResult r = kernels::gemm_fused(*dev, a, b, e, out, gopts);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const DType acc = in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
  const driver::Tensor want = kernels::reference_epilogue(kernels::reference_gemm(cfg, a, b, acc), e, out);
  const std::int64_t bad = kernels::first_mismatch(r.c, want);
  const kernels::EpilogueFloat64Check f64 = kernels::check_fused_float64(a, b, e, r.c);
  const bool match = bad < 0 && f64.ok() && r.run.result.races.empty();
  const std::optional<double> util = r.run.result.counters.utilization(cfg);
  const std::string saved = save_npy(g.run.save_dir, {{"A", &a},
                                                      {"B", &b},
                                                      {"bias_col", e.bias_col ? &*e.bias_col : nullptr},
                                                      {"bias_row", e.bias_row ? &*e.bias_row : nullptr},
                                                      {"residual", e.residual ? &*e.residual : nullptr},
                                                      {"C", &r.c}});
  const std::string epi =
      fmt::format("{}(alpha {} * acc{}{}){}", e.activation, e.alpha, e.bias_col ? " + bias_col" : "",
                  e.bias_row ? " + bias_row" : "", e.residual ? " + residual" : "");
  if (g.run.json) {
    json j;
    add_verdict_json(j, match, bad, f64);
    j["shape"] = {{"m", g.m}, {"k", g.k}, {"n", g.n}};
    j["dtype"] = g.dtype;
    j["out"] = golden::dtype_name(out);
    j["epilogue"] = epi;
    j["plan"] = r.run.program.plan.describe();
    j["utilization"] = opt_json(util);
    j["estimated_cycles"] = r.run.program.estimate.cycles;
    add_run_json(j, g.run, setup, *dev, r.run.result, seconds);
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole gemm (fused epilogue): M={} K={} N={}  {} -> {}  C = {}  (seed {})\n", g.m, g.k, g.n, g.dtype,
               golden::dtype_name(out), epi, g.run.seed);
    print_backend_line(*dev);
    fmt::print("plan:          {}\n", r.run.program.plan.describe());
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n",
               bad < 0 ? "yes (GEMM reference, then the epilogue's, docs/kernels.md section 7)"
                       : fmt::format("NO: element {} is 0x{:x}, expected 0x{:x}", bad,
                                     r.c.raw(static_cast<std::size_t>(bad)), want.raw(static_cast<std::size_t>(bad))));
    fmt::print("float64:       max error {:.3g}, worst error/bound {:.3g}, {} checked, {} skipped (not finite): {}\n",
               f64.max_abs_error, f64.worst_ratio, f64.checked, f64.skipped,
               f64.ok() ? "within the bound of docs/kernels.md" : "OUT OF BOUND: " + f64.first_violation);
    fmt::print("races:         {}\n", races_text(g.run, r.run.result));
    fmt::print("utilization:   {}\n", util ? fmt::format("{:.1f}%", 100 * *util) : "n/a");
    fmt::print("MACs:          {}\n", r.run.result.counters.macs);
    if (!saved.empty()) fmt::print("saved:         {} in {}\n", saved, g.run.save_dir);
    print_run_summary(g.run, setup, *dev, r.run.result, seconds);
  }
  return match ? kExitMatch : kExitMismatch;
}

int run_gemm(const GemmArgs& g) {
  if (g.fused()) return run_fused(g);
  const DType in = parse_dtype(g.dtype);
  const DType out = g.out.empty() ? (in == DType::kInt8 ? DType::kInt32 : DType::kFp32) : parse_dtype(g.out);
  const kernels::Layout la = parse_layout(g.a_layout), lb = parse_layout(g.b_layout), lc = parse_layout(g.c_layout);
  const RunSetup setup = check_run_args(g.run, true);
  // Shapes and dtypes before anything else, against the configuration's real parameters.
  const golden::Config named = golden::Config::by_name(g.run.config);
  kernels::validate_gemm_types(named, g.m, g.k, g.n, in, out);
  const std::uint64_t isz = golden::dtype_size(in), osz = golden::dtype_size(out);
  const std::uint64_t operands =
      std::uint64_t{g.m} * g.k * isz + std::uint64_t{g.k} * g.n * isz + std::uint64_t{g.m} * g.n * osz;
  if (operands + (1u << 20) > (std::uint64_t{1} << 32)) {
    throw kernels::GemmArgumentError(fmt::format(
        "gemm: A, B and C need {} bytes together, more than the 4 GiB that 32-bit DRAM addresses reach", operands));
  }
  const double roof = kernels::gemm_roofline(named, g.m, g.k, g.n, in, out, setup.dram_bpc);
  if (g.run.estimate_only) return estimate_gemm(g, named, in, out, la, lb, lc, setup.timing);
  std::unique_ptr<driver::Device> dev = open_device(g.run, setup, operands);
  const auto t0 = std::chrono::steady_clock::now();
  const golden::Config& cfg = dev->config();

  std::mt19937_64 rng(g.run.seed);
  const driver::Tensor a = kernels::random_matrix(rng, in, g.m, g.k);
  const driver::Tensor b = kernels::random_matrix(rng, in, g.k, g.n);
  kernels::GemmOptions gopts;
  gopts.timing = setup.timing;
  const kernels::GemmHostResult r = kernels::gemm(*dev, a, b, out, la, lb, lc, gopts);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const driver::Tensor want = kernels::reference_gemm(cfg, a, b, out);
  const std::int64_t bad = kernels::first_mismatch(r.c, want);
  const kernels::Float64Check f64 = kernels::check_against_float64(a, b, r.c);
  const auto& counters = r.run.result.counters;
  const bool match = bad < 0 && f64.ok() && r.run.result.races.empty();
  const std::optional<double> util = counters.utilization(cfg);
  const auto& est = r.run.program.estimate;
  const std::string saved = save_npy(g.run.save_dir, {{"A", &a}, {"B", &b}, {"C", &r.c}});

  if (g.run.json) {
    json j;
    add_verdict_json(j, match, bad, f64);
    j["shape"] = {{"m", g.m}, {"k", g.k}, {"n", g.n}};
    j["dtype"] = g.dtype;
    j["out"] = golden::dtype_name(out);
    j["layouts"] = {{"a", g.a_layout}, {"b", g.b_layout}, {"c", g.c_layout}};
    j["plan"] = r.run.program.plan.describe();
    j["utilization"] = opt_json(util);
    j["roofline"] = roof;
    j["of_roofline"] = util ? json(*util / roof) : json(nullptr);
    j["estimated_cycles"] = est.cycles;
    j["estimated_utilization"] = est.utilization;
    add_run_json(j, g.run, setup, *dev, r.run.result, seconds);
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole gemm: M={} K={} N={}  {} -> {}  A {}, B {}, C {}  (seed {})\n", g.m, g.k, g.n, g.dtype,
               golden::dtype_name(out), g.a_layout, g.b_layout, g.c_layout, g.run.seed);
    print_backend_line(*dev);
    fmt::print("plan:          {}\n", r.run.program.plan.describe());
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n",
               bad < 0 ? "yes (golden reference, architectural accumulation order)"
                       : fmt::format("NO: element {} is 0x{:x}, expected 0x{:x}", bad,
                                     r.c.raw(static_cast<std::size_t>(bad)), want.raw(static_cast<std::size_t>(bad))));
    fmt::print("float64:       max error {:.3g}, worst error/bound {:.3g}, {} checked, {} skipped (not finite): {}\n",
               f64.max_abs_error, f64.worst_ratio, f64.checked, f64.skipped,
               f64.ok() ? "within the bound of docs/numerics.md" : "OUT OF BOUND: " + f64.first_violation);
    fmt::print("races:         {}\n", races_text(g.run, r.run.result));
    fmt::print("utilization:   {}\n", util ? fmt::format("{:.1f}%", 100 * *util) : "n/a");
    fmt::print("roofline:      {:.1f}% of peak{}\n", 100 * roof,
               util ? fmt::format(" ({:.1f}% of it reached)", 100 * *util / roof) : std::string());
    fmt::print("model:         {} cycles, {:.1f}% utilization (static estimate for the RTL, driver/timing_model.hpp)\n",
               est.cycles, 100 * est.utilization);
    fmt::print("MACs:          {}\n", counters.macs);
    if (!saved.empty()) fmt::print("saved:         {} in {}\n", saved, g.run.save_dir);
    print_run_summary(g.run, setup, *dev, r.run.result, seconds);
  }
  return match ? kExitMatch : kExitMismatch;
}

}  // namespace

std::function<int()> add_gemm_command(CLI::App& app) {
  auto g = std::make_shared<GemmArgs>();
  CLI::App* gemm = app.add_subcommand("gemm", "C[M,N] = A[M,K] * B[K,N] with random operands from the seed");
  gemm->add_option("--m", g->m, "rows of A and C (>= 1)")->required();
  gemm->add_option("--k", g->k, "columns of A, rows of B (>= 1)")->required();
  gemm->add_option("--n", g->n, "columns of B and C (>= 1)")->required();
  gemm->add_option("--dtype", g->dtype, "input dtype")->required()->check(CLI::IsMember({"int8", "bf16", "fp8"}));
  gemm->add_option("--out", g->out,
                   "output dtype (default: int32 for int8, fp32 for bf16/fp8; bf16 with an epilogue; fp8 and int8 "
                   "only with the fused epilogue)")
      ->check(CLI::IsMember({"int32", "fp32", "bf16", "fp8", "int8"}));
  gemm->add_option("--activation", g->activation,
                   "fused epilogue: activation applied as C leaves PSUM (identity, relu, gelu_tanh, gelu_erf, silu, "
                   "sigmoid, tanh, softplus, exp, log, sqrt)");
  gemm->add_option("--alpha", g->alpha, "fused epilogue: scale of the accumulator (requantization for int8/fp8)");
  gemm->add_option("--bias", g->bias, "fused epilogue: random bias per column, per row, or both")
      ->check(CLI::IsMember({"none", "col", "row", "both"}));
  gemm->add_flag("--residual", g->residual, "fused epilogue: add a random residual [M, N] after the activation");
  gemm->add_option("--a-layout", g->a_layout, "A in DRAM: row or col (major)")->check(CLI::IsMember({"row", "col"}));
  gemm->add_option("--b-layout", g->b_layout, "B in DRAM: row or col (major)")->check(CLI::IsMember({"row", "col"}));
  gemm->add_option("--c-layout", g->c_layout, "C in DRAM: row or col (major)")->check(CLI::IsMember({"row", "col"}));
  add_run_options(gemm, g->run, true);
  return [gemm, g]() { return gemm->parsed() ? run_gemm(*g) : -1; };
}

}  // namespace systole::cli
