// systole softmax | layernorm | rmsnorm (docs/kernels.md section 1).
//
//   systole softmax   [--rows R] [--cols L] [--dtype bf16|fp32] [--out bf16|fp32] [--scale S] [--mask]
//   systole layernorm [--rows R] [--cols L] [--dtype ...] [--out ...] [--param-dtype bf16|fp32] [--eps E]
//   systole rmsnorm   (as layernorm)
//                     + the shared options of cli_common.hpp
//
// Generates the operands from the seed (rowwise.hpp random_rowwise_inputs; --mask: an additive
// mask of 0 and -inf with some rows fully masked), runs the kernel on the backend, compares Y
// bit-exactly with the architectural reference and with float64 within the bound of
// docs/kernels.md section 5, checks the DRAM byte counters against the kernel's formula and
// reports the cycles against the bound of section 3.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::cli {

using golden::DType;
using json = nlohmann::json;

namespace {

struct RowArgs {
  kernels::RowOp op = kernels::RowOp::kSoftmax;
  std::uint32_t rows = 32, cols = 256;
  std::string dtype = "bf16", out, param;
  float scale = 1.0f, eps = 1e-5f;
  bool mask = false;
  RunArgs run;
};

int run_rowwise(const RowArgs& a) {
  const std::string name(kernels::row_op_name(a.op));
  const RunSetup setup = check_run_args(a.run, false);
  kernels::RowwiseParams p;
  p.op = a.op;
  p.rows = a.rows;
  p.cols = a.cols;
  p.in = parse_dtype(a.dtype);
  p.out = a.out.empty() ? p.in : parse_dtype(a.out);
  p.scale = a.scale;
  p.mask = a.mask;
  p.mask_dtype = p.in;
  p.param = a.param.empty() ? p.in : parse_dtype(a.param);
  p.eps = a.eps;
  // Shapes and dtypes before anything else, against the configuration's real parameters.
  kernels::validate_rowwise(golden::Config::by_name(a.run.config), p);
  const std::uint64_t elems = std::uint64_t{p.rows} * p.cols;
  std::unique_ptr<driver::Device> dev = open_device(a.run, setup, elems * 12);
  const auto t0 = std::chrono::steady_clock::now();
  const kernels::RowwiseInputs in = kernels::random_rowwise_inputs(a.run.seed, p);
  const kernels::RowwiseHostResult r = kernels::rowwise(*dev, p, in);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const driver::Tensor want = kernels::reference_rowwise(dev->config(), p, in);
  std::int64_t bad = -1;
  for (std::size_t i = 0; i < want.size() && bad < 0; ++i) {
    if (r.y.raw(i) != want.raw(i)) bad = static_cast<std::int64_t>(i);
  }
  const kernels::RowwiseFloat64Check f64 = kernels::check_rowwise_float64(dev->config(), p, in, r.y);
  const auto& c = r.result.counters;
  const bool bytes_ok = c.dram_rd_bytes == r.program.dram_rd_bytes && c.dram_wr_bytes == r.program.dram_wr_bytes;
  const bool match = bad < 0 && f64.ok() && r.result.races.empty() && bytes_ok;
  const double bound = kernels::rowwise_bound_cycles(dev->config(), r.program.plan, p, r.program.dram_rd_bytes,
                                                     r.program.dram_wr_bytes, setup.dram_bpc);
  const std::optional<double> of_bound =
      c.cycles ? std::optional<double>(bound / static_cast<double>(*c.cycles)) : std::nullopt;
  const std::string saved = save_npy(a.run.save_dir, {{"X", &in.x},
                                                      {"mask", in.mask ? &*in.mask : nullptr},
                                                      {"gamma", in.gamma ? &*in.gamma : nullptr},
                                                      {"beta", in.beta ? &*in.beta : nullptr},
                                                      {"Y", &r.y}});
  if (a.run.json) {
    json j;
    add_verdict_json(j, match, bad, f64);
    j["kernel"] = name;
    j["dram_bytes_as_stated"] = bytes_ok;
    j["dram_bytes_stated"] = {{"read", r.program.dram_rd_bytes}, {"written", r.program.dram_wr_bytes}};
    j["shape"] = {{"rows", p.rows}, {"cols", p.cols}};
    j["dtype"] = golden::dtype_name(p.in);
    j["out"] = golden::dtype_name(p.out);
    if (p.op == kernels::RowOp::kSoftmax) {
      j["scale"] = p.scale;
      j["mask"] = p.mask;
    } else {
      j["param_dtype"] = golden::dtype_name(p.param);
      j["eps"] = p.eps;
    }
    j["plan"] = r.program.plan.describe();
    j["bound_cycles"] = bound;
    j["of_bound"] = opt_json(of_bound);
    add_run_json(j, a.run, setup, *dev, r.result, seconds);
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole {}: {} rows x {} columns  {} -> {}{}  (seed {})\n", name, p.rows, p.cols,
               golden::dtype_name(p.in), golden::dtype_name(p.out),
               p.op == kernels::RowOp::kSoftmax
                   ? fmt::format("  scale {}{}", p.scale, p.mask ? ", additive mask" : "")
                   : fmt::format("  gamma{} {}, eps {}", p.op == kernels::RowOp::kLayerNorm ? "/beta" : "",
                                 golden::dtype_name(p.param), p.eps),
               a.run.seed);
    print_backend_line(*dev);
    fmt::print("plan:          {}\n", r.program.plan.describe());
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n",
               bad < 0 ? "yes (architectural reference, docs/kernels.md section 2)"
                       : fmt::format("NO: element {} is 0x{:x}, expected 0x{:x}", bad,
                                     r.y.raw(static_cast<std::size_t>(bad)), want.raw(static_cast<std::size_t>(bad))));
    fmt::print("float64:       max error {:.3g}, worst error/bound {:.3g}, {} checked, {} skipped (not finite): {}\n",
               f64.max_abs_error, f64.worst_ratio, f64.checked, f64.skipped,
               f64.ok() ? "within the bound of docs/kernels.md" : "OUT OF BOUND: " + f64.first_violation);
    fmt::print("races:         {}\n", races_text(a.run, r.result));
    fmt::print("DRAM bytes:    {} (stated: {} read, {} written)\n", bytes_ok ? "as stated" : "NOT AS STATED",
               r.program.dram_rd_bytes, r.program.dram_wr_bytes);
    fmt::print("bound:         {:.0f} cycles (docs/kernels.md section 3){}\n", bound,
               of_bound ? fmt::format(", {:.1f}% of it reached", 100 * *of_bound) : std::string());
    if (!saved.empty()) fmt::print("saved:         {} in {}\n", saved, a.run.save_dir);
    print_run_summary(a.run, setup, *dev, r.result, seconds);
  }
  return match ? kExitMatch : kExitMismatch;
}

std::function<int()> add_one(CLI::App& app, kernels::RowOp op, const char* help) {
  auto a = std::make_shared<RowArgs>();
  a->op = op;
  CLI::App* sub = app.add_subcommand(std::string(kernels::row_op_name(op)), help);
  sub->add_option("--rows", a->rows, "rows of X and Y (>= 1)")->capture_default_str();
  sub->add_option("--cols", a->cols, "row length L (>= 1; at most what fits in SBUF)")->capture_default_str();
  sub->add_option("--dtype", a->dtype, "X dtype")->capture_default_str()->check(CLI::IsMember({"bf16", "fp32"}));
  sub->add_option("--out", a->out, "Y dtype (default: the X dtype)")->check(CLI::IsMember({"bf16", "fp32"}));
  if (op == kernels::RowOp::kSoftmax) {
    sub->add_option("--scale", a->scale, "y = softmax(scale * x + mask); > 0")->capture_default_str();
    sub->add_flag("--mask", a->mask, "add a random additive mask (0 and -inf; some rows fully masked)");
  } else {
    sub->add_option("--param-dtype", a->param, "gamma/beta dtype (default: the X dtype)")
        ->check(CLI::IsMember({"bf16", "fp32"}));
    sub->add_option("--eps", a->eps, "added to the variance; > 0")->capture_default_str();
  }
  add_run_options(sub, a->run, false);
  return [sub, a]() { return sub->parsed() ? run_rowwise(*a) : -1; };
}

}  // namespace

std::vector<std::function<int()>> add_rowwise_commands(CLI::App& app) {
  return {add_one(app, kernels::RowOp::kSoftmax, "Y = softmax(scale * X + mask) over the rows of X [R, L]"),
          add_one(app, kernels::RowOp::kLayerNorm, "Y = (X - mean) / sqrt(var + eps) * gamma + beta over each row"),
          add_one(app, kernels::RowOp::kRmsNorm, "Y = X / sqrt(mean(X^2) + eps) * gamma over each row")};
}

}  // namespace systole::cli
