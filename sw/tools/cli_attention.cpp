// systole attention (docs/kernels.md section 8).
//
//   systole attention [--heads H] [--seq S | --sq SQ --sk SK] [--head-dim D] [--causal] [--scale S]
//                     [--out bf16|fp32] + the shared options of cli_common.hpp
//
// Q, K and V bf16 ~ N(0, 1) from the seed; O checked bit-exactly against the architectural
// reference and against float64 within the bound of section 8.4; the DRAM bytes against the
// kernel's formula; cycles against the array's bound with each engine's busy share.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "systole/kernels/attention.hpp"

namespace systole::cli {

using golden::DType;
using json = nlohmann::json;

namespace {

struct AttnArgs {
  std::uint32_t heads = 2, seq = 64, sq = 0, sk = 0, d = 32;
  bool causal = false;
  float scale = 0.0f;
  std::string out = "bf16";
  RunArgs run;
};

int run_attention(const AttnArgs& a) {
  const RunSetup setup = check_run_args(a.run, false);
  kernels::AttentionParams p;
  p.heads = a.heads;
  p.sq = a.sq ? a.sq : a.seq;
  p.sk = a.sk ? a.sk : a.seq;
  p.d = a.d;
  p.causal = a.causal;
  p.scale = a.scale;
  p.out = parse_dtype(a.out);
  kernels::validate_attention(golden::Config::by_name(a.run.config), p);
  const std::uint64_t bytes = (std::uint64_t{p.sq} * 2 + std::uint64_t{p.sk} * 4) * p.heads * p.d * 2;
  std::unique_ptr<driver::Device> dev = open_device(a.run, setup, bytes);
  const golden::Config& cfg = dev->config();
  const auto t0 = std::chrono::steady_clock::now();
  const kernels::AttentionInputs in = kernels::random_attention_inputs(a.run.seed, p);
  const kernels::AttentionHostResult r = kernels::attention(*dev, p, in);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const driver::Tensor want = kernels::reference_attention(cfg, p, in);
  std::int64_t bad = -1;
  for (std::size_t i = 0; i < want.size() && bad < 0; ++i)
    if (r.o.raw(i) != want.raw(i)) bad = static_cast<std::int64_t>(i);
  const kernels::AttentionFloat64Check f64 = kernels::check_attention_float64(cfg, p, in, r.o);
  const auto& c = r.result.counters;
  const bool bytes_ok = c.dram_rd_bytes == r.program.dram_rd_bytes && c.dram_wr_bytes == r.program.dram_wr_bytes;
  const bool match = bad < 0 && f64.ok() && r.result.races.empty() && bytes_ok;
  const std::optional<double> util =
      c.cycles ? std::optional<double>(r.program.utilization(cfg, *c.cycles)) : std::nullopt;
  const std::string saved = save_npy(a.run.save_dir, {{"Q", &in.q}, {"K", &in.k}, {"V", &in.v}, {"O", &r.o}});
  if (a.run.json) {
    json j;
    add_verdict_json(j, match, bad, f64);
    j["kernel"] = "attention";
    j["dram_bytes_as_stated"] = bytes_ok;
    j["dram_bytes_stated"] = {{"read", r.program.dram_rd_bytes}, {"written", r.program.dram_wr_bytes}};
    j["shape"] = {{"heads", p.heads}, {"sq", p.sq}, {"sk", p.sk}, {"d", p.d}};
    j["causal"] = p.causal;
    j["scale"] = p.effective_scale();
    j["out"] = golden::dtype_name(p.out);
    j["plan"] = r.program.plan.describe();
    j["utilization"] = opt_json(util);
    add_run_json(j, a.run, setup, *dev, r.result, seconds);
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole attention: {} head(s), Sq={} Sk={} d={}{}  scale {}  bf16 -> {}  (seed {})\n", p.heads, p.sq,
               p.sk, p.d, p.causal ? ", causal" : "", p.effective_scale(), golden::dtype_name(p.out), a.run.seed);
    print_backend_line(*dev);
    fmt::print("plan:          {}\n", r.program.plan.describe());
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n",
               bad < 0 ? "yes (architectural reference, docs/kernels.md section 8)"
                       : fmt::format("NO: element {} is 0x{:x}, expected 0x{:x}", bad,
                                     r.o.raw(static_cast<std::size_t>(bad)), want.raw(static_cast<std::size_t>(bad))));
    fmt::print("float64:       max error {:.3g}, worst error/bound {:.3g}, {} checked: {}\n", f64.max_abs_error,
               f64.worst_ratio, f64.checked,
               f64.ok() ? "within the bound of docs/kernels.md" : "OUT OF BOUND: " + f64.first_violation);
    fmt::print("races:         {}\n", races_text(a.run, r.result));
    fmt::print("DRAM bytes:    {} (stated: {} read, {} written)\n", bytes_ok ? "as stated" : "NOT AS STATED",
               r.program.dram_rd_bytes, r.program.dram_wr_bytes);
    fmt::print("utilization:   {} (the MACs of Q K^T and P V, not the transposes', over the array's peak)\n",
               util ? fmt::format("{:.1f}%", 100 * *util) : "n/a");
    if (!saved.empty()) fmt::print("saved:         {} in {}\n", saved, a.run.save_dir);
    print_run_summary(a.run, setup, *dev, r.result, seconds);
  }
  return match ? kExitMatch : kExitMismatch;
}

}  // namespace

std::function<int()> add_attention_command(CLI::App& app) {
  auto a = std::make_shared<AttnArgs>();
  CLI::App* sub = app.add_subcommand("attention", "O = softmax(scale Q K^T [+ causal mask]) V per head, flash form");
  sub->add_option("--heads", a->heads, "heads H (Q, K, V, O are [tokens, H d])")->capture_default_str();
  sub->add_option("--seq", a->seq, "sequence length of queries and keys")->capture_default_str();
  sub->add_option("--sq", a->sq, "query length (default --seq)");
  sub->add_option("--sk", a->sk, "key length (default --seq)");
  sub->add_option("--head-dim", a->d, "head dimension d (at most 256 and NMAX)")->capture_default_str();
  sub->add_flag("--causal", a->causal, "mask key j > query i (key blocks after a query tile are skipped)");
  sub->add_option("--scale", a->scale, "logit scale (default 1/sqrt(d))");
  sub->add_option("--out", a->out, "O dtype")->capture_default_str()->check(CLI::IsMember({"bf16", "fp32"}));
  add_run_options(sub, a->run, false);
  return [sub, a]() { return sub->parsed() ? run_attention(*a) : -1; };
}

}  // namespace systole::cli
