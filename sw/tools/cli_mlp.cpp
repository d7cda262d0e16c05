// systole mlp (docs/kernels.md section 9).
//
//   systole mlp [--tokens T] [--d D] [--f F] [--activation NAME] [--no-residual] [--bias-dtype bf16|fp32]
//               [--out bf16|fp32] + the shared options of cli_common.hpp
//
// X ~ N(0, 1), W1 ~ N(0, 1/D), W2 ~ N(0, 1/F), biases ~ N(0, 1/4) from the seed; Y checked
// bit-exactly against the architectural reference, each stage against float64 within the fused
// epilogue's bound; the DRAM bytes against the kernel's formula (H never leaves the chip); cycles
// against the array's peak.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::cli {

using json = nlohmann::json;

namespace {

struct MlpArgs {
  std::uint32_t tokens = 64, d = 64, f = 256;
  std::string activation = "gelu_tanh", bias = "bf16", out = "bf16";
  bool no_residual = false;
  RunArgs run;
};

int run_mlp(const MlpArgs& a) {
  const RunSetup setup = check_run_args(a.run, false);
  kernels::MlpParams p;
  p.tokens = a.tokens;
  p.d = a.d;
  p.f = a.f;
  p.activation = a.activation;
  p.residual = !a.no_residual;
  p.bias = parse_dtype(a.bias);
  p.out = parse_dtype(a.out);
  kernels::validate_mlp(golden::Config::by_name(a.run.config), p);
  const std::uint64_t bytes = (std::uint64_t{p.tokens} * p.d * 2 + std::uint64_t{p.d} * p.f * 2) * 3;
  std::unique_ptr<driver::Device> dev = open_device(a.run, setup, bytes);
  const golden::Config& cfg = dev->config();
  const auto t0 = std::chrono::steady_clock::now();
  const kernels::MlpInputs in = kernels::random_mlp_inputs(a.run.seed, p);
  const kernels::MlpHostResult r = kernels::mlp(*dev, p, in);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const kernels::MlpReference want = kernels::reference_mlp(cfg, p, in);
  const std::int64_t bad = kernels::first_mismatch(r.y, want.y);
  const kernels::EpilogueFloat64Check f64 = kernels::check_mlp_float64(p, in, want, r.y).combined();
  const auto& c = r.result.counters;
  const bool bytes_ok = c.dram_rd_bytes == r.program.dram_rd_bytes && c.dram_wr_bytes == r.program.dram_wr_bytes;
  const bool match = bad < 0 && f64.ok() && r.result.races.empty() && bytes_ok;
  const std::optional<double> util =
      c.cycles ? std::optional<double>(r.program.utilization(cfg, *c.cycles)) : std::nullopt;
  const std::string saved = save_npy(
      a.run.save_dir, {{"X", &in.x}, {"W1", &in.w1}, {"b1", &in.b1}, {"W2", &in.w2}, {"b2", &in.b2}, {"Y", &r.y}});
  const std::string formula = fmt::format("Y = {}(X W1 + b1) W2 + b2{}", p.activation, p.residual ? " + X" : "");
  if (a.run.json) {
    json j;
    add_verdict_json(j, match, bad, f64);
    j["kernel"] = "mlp";
    j["formula"] = formula;
    j["dram_bytes_as_stated"] = bytes_ok;
    j["dram_bytes_stated"] = {{"read", r.program.dram_rd_bytes}, {"written", r.program.dram_wr_bytes}};
    j["shape"] = {{"tokens", p.tokens}, {"d", p.d}, {"f", p.f}};
    j["activation"] = p.activation;
    j["residual"] = p.residual;
    j["bias"] = golden::dtype_name(p.bias);
    j["out"] = golden::dtype_name(p.out);
    j["plan"] = r.program.plan.describe();
    j["utilization"] = opt_json(util);
    add_run_json(j, a.run, setup, *dev, r.result, seconds);
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole mlp: {} tokens, D={} F={}  {}  bf16 -> {}  (seed {})\n", p.tokens, p.d, p.f, formula,
               golden::dtype_name(p.out), a.run.seed);
    print_backend_line(*dev);
    fmt::print("plan:          {}\n", r.program.plan.describe());
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n", bad < 0 ? "yes (architectural reference, docs/kernels.md section 9)"
                                              : fmt::format("NO: element {} is 0x{:x}, expected 0x{:x}", bad,
                                                            r.y.raw(static_cast<std::size_t>(bad)),
                                                            want.y.raw(static_cast<std::size_t>(bad))));
    fmt::print("float64:       max error {:.3g}, worst error/bound {:.3g}, {} checked (H and Y): {}\n",
               f64.max_abs_error, f64.worst_ratio, f64.checked,
               f64.ok() ? "within the bound of docs/kernels.md" : "OUT OF BOUND: " + f64.first_violation);
    fmt::print("races:         {}\n", races_text(a.run, r.result));
    fmt::print("DRAM bytes:    {} (stated: {} read, {} written; H never leaves the chip)\n",
               bytes_ok ? "as stated" : "NOT AS STATED", r.program.dram_rd_bytes, r.program.dram_wr_bytes);
    fmt::print("utilization:   {} (2 T D F MACs over the array's peak)\n",
               util ? fmt::format("{:.1f}%", 100 * *util) : "n/a");
    if (!saved.empty()) fmt::print("saved:         {} in {}\n", saved, a.run.save_dir);
    print_run_summary(a.run, setup, *dev, r.result, seconds);
  }
  return match ? kExitMatch : kExitMismatch;
}

}  // namespace

std::function<int()> add_mlp_command(CLI::App& app) {
  auto a = std::make_shared<MlpArgs>();
  CLI::App* sub = app.add_subcommand("mlp", "Y = act(X W1 + b1) W2 + b2 + X, the intermediate kept on chip");
  sub->add_option("--tokens", a->tokens, "tokens T (rows of X and Y)")->capture_default_str();
  sub->add_option("--d", a->d, "model dimension D")->capture_default_str();
  sub->add_option("--f", a->f, "hidden dimension F")->capture_default_str();
  sub->add_option("--activation", a->activation, "activation of the first layer (identity or a table/built-in)")
      ->capture_default_str();
  sub->add_flag("--no-residual", a->no_residual, "leave out the residual X");
  sub->add_option("--bias-dtype", a->bias, "b1 and b2 dtype")
      ->capture_default_str()
      ->check(CLI::IsMember({"bf16", "fp32"}));
  sub->add_option("--out", a->out, "Y dtype")->capture_default_str()->check(CLI::IsMember({"bf16", "fp32"}));
  add_run_options(sub, a->run, false);
  return [sub, a]() { return sub->parsed() ? run_mlp(*a) : -1; };
}

}  // namespace systole::cli
