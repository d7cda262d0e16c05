// systole encoder-layer (docs/kernels.md section 10).
//
//   systole encoder-layer [--preset bert-base-layer] [--seq S] [--d D] [--heads H] [--f F]
//                         [--activation gelu_erf|gelu_tanh] [--out bf16|fp32] + the shared options
//
// X ~ N(0, 1) and the weights from the seed (encoder.hpp); every stage's tensor checked bit-exactly
// against the architectural reference (a mismatch names the stage), each stage against float64
// within its kernel's bound, every stage's DRAM bytes against its kernel's formula; cycles per
// stage and in all, utilization against the array's peak.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "systole/kernels/encoder.hpp"

namespace systole::cli {

using json = nlohmann::json;

namespace {

struct EncoderArgs {
  std::string preset;
  std::uint32_t seq = 64, d = 64, heads = 2, f = 256;
  std::string activation = "gelu_erf", out = "bf16";
  RunArgs run;
  CLI::App* sub = nullptr;
};

kernels::EncoderParams params_of(const EncoderArgs& a) {
  kernels::EncoderParams p;
  if (a.preset == "bert-base-layer") p = kernels::bert_base_layer();
  // Explicit shape flags override the preset's.
  auto given = [&](const char* flag) { return a.sub->count(flag) > 0 || a.preset.empty(); };
  if (given("--seq")) p.seq = a.seq;
  if (given("--d")) p.d = a.d;
  if (given("--heads")) p.heads = a.heads;
  if (given("--f")) p.f = a.f;
  p.activation = a.activation;
  p.out = parse_dtype(a.out);
  return p;
}

int run_encoder(const EncoderArgs& a) {
  const RunSetup setup = check_run_args(a.run, false);
  const kernels::EncoderParams p = params_of(a);
  kernels::validate_encoder(golden::Config::by_name(a.run.config), p);
  const std::uint64_t S = p.seq, D = p.d, F = p.f;
  const std::uint64_t bytes = (4 * D * D + 2 * D * F + 12 * S * D + 16 * D + F) * 2 + (1u << 20);
  std::unique_ptr<driver::Device> dev = open_device(a.run, setup, bytes);
  const golden::Config& cfg = dev->config();
  const auto t0 = std::chrono::steady_clock::now();
  const kernels::EncoderWeights w = kernels::random_encoder_weights(a.run.seed, p);
  const driver::Tensor x = kernels::random_encoder_input(a.run.seed, p);
  const kernels::EncoderResult r = kernels::encoder_layer(*dev, p, w, x);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const kernels::EncoderTensors want = kernels::reference_encoder(cfg, p, w, x);
  const std::string bad = kernels::first_encoder_mismatch(r.t, want);
  const kernels::EncoderFloat64Check f64 = kernels::check_encoder_float64(cfg, p, w, x, r.t);
  const bool match = bad.empty() && f64.ok() && r.race_free() && r.bytes_as_stated();
  const std::uint64_t cycles = r.cycles();
  const double peak = static_cast<double>(cfg.partitions) * cfg.columns;
  const std::optional<double> util =
      cycles ? std::optional<double>(static_cast<double>(p.macs()) / (static_cast<double>(cycles) * peak))
             : std::nullopt;
  const std::string saved = save_npy(a.run.save_dir, {{"X", &x},
                                                      {"Q", &r.t.q},
                                                      {"K", &r.t.k},
                                                      {"V", &r.t.v},
                                                      {"A", &r.t.a},
                                                      {"P", &r.t.p},
                                                      {"H1", &r.t.h1},
                                                      {"M", &r.t.m},
                                                      {"Y", &r.t.y}});
  std::uint64_t rd = 0, wr = 0;
  for (const auto& s : r.stages) {
    rd += s.result.counters.dram_rd_bytes;
    wr += s.result.counters.dram_wr_bytes;
  }
  if (a.run.json) {
    json j;
    j["status"] = match ? "match" : "mismatch";
    j["bit_exact"] = bad.empty();
    j["first_mismatch"] = bad.empty() ? json(nullptr) : json(bad);
    j["within_bound"] = f64.ok();
    j["worst_error_over_bound"] = f64.worst_ratio;
    j["end_to_end_max_abs_error"] = f64.end_to_end_max_abs_error;
    j["kernel"] = "encoder-layer";
    j["shape"] = {{"seq", p.seq}, {"d", p.d}, {"heads", p.heads}, {"f", p.f}};
    j["activation"] = p.activation;
    j["out"] = golden::dtype_name(p.out);
    j["dram_bytes_as_stated"] = r.bytes_as_stated();
    j["races"] = r.race_free() ? json::array() : json::array({"a stage reported races"});
    j["backend"] = a.run.backend;
    j["config"] = cfg.name;
    j["seed"] = a.run.seed;
    j["cycles"] = cycles ? json(cycles) : json(nullptr);
    j["macs"] = p.macs();
    j["utilization"] = opt_json(util);
    j["dram_bytes_read"] = rd;
    j["dram_bytes_written"] = wr;
    json st = json::array();
    for (const auto& s : r.stages) {
      st.push_back({{"stage", s.name},
                    {"cycles", opt_json(s.result.counters.cycles)},
                    {"dram_bytes_read", s.result.counters.dram_rd_bytes},
                    {"dram_bytes_written", s.result.counters.dram_wr_bytes},
                    {"instructions", s.instructions}});
    }
    j["stages"] = st;
    j["seconds"] = seconds;
    if (!saved.empty()) j["saved"] = a.run.save_dir;
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole encoder-layer: S={} D={} heads={} F={} ({}), post-LayerNorm, bf16 -> {}  (seed {})\n", p.seq,
               p.d, p.heads, p.f, p.activation, golden::dtype_name(p.out), a.run.seed);
    print_backend_line(*dev);
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n", bad.empty() ? "yes, every stage (architectural references, docs/kernels.md "
                                                    "section 10)"
                                                  : "NO: " + bad);
    fmt::print("float64:       worst error/bound {:.3g} over {} stage outputs: {}; Y against the float64 layer: max "
               "error {:.3g}\n",
               f64.worst_ratio, f64.checked,
               f64.ok() ? "every stage within its bound" : "OUT OF BOUND: " + f64.first_violation,
               f64.end_to_end_max_abs_error);
    fmt::print("races:         {}\n",
               r.race_free() ? (a.run.backend == "golden" && !a.run.no_race_check ? "none (race checker on)"
                                                                                  : "not checked on this backend")
                             : "RACES");
    fmt::print("DRAM bytes:    {} (every stage against its kernel's formula)\n",
               r.bytes_as_stated() ? "as stated" : "NOT AS STATED");
    fmt::print("\n{:<11} {:>10} {:>12} {:>12} {:>7}\n", "stage", "cycles", "DRAM read", "DRAM written", "instr");
    for (const auto& s : r.stages) {
      fmt::print("{:<11} {:>10} {:>12} {:>12} {:>7}\n", s.name,
                 s.result.counters.cycles ? fmt::format("{}", *s.result.counters.cycles) : "n/a",
                 s.result.counters.dram_rd_bytes, s.result.counters.dram_wr_bytes, s.instructions);
    }
    fmt::print("{:<11} {:>10} {:>12} {:>12}\n\n", "total", cycles ? fmt::format("{}", cycles) : "n/a", rd, wr);
    fmt::print("utilization:   {} ({} MACs over the array's peak)\n",
               util ? fmt::format("{:.1f}%", 100 * *util) : "n/a", p.macs());
    if (!saved.empty()) fmt::print("saved:         {} in {}\n", saved, a.run.save_dir);
    fmt::print("wall time:     {:.2f} s\n", seconds);
  }
  return match ? kExitMatch : kExitMismatch;
}

}  // namespace

std::function<int()> add_encoder_command(CLI::App& app) {
  auto a = std::make_shared<EncoderArgs>();
  CLI::App* sub = app.add_subcommand(
      "encoder-layer", "one BERT-style encoder layer: attention, residual, LayerNorm, MLP, residual, LayerNorm");
  a->sub = sub;
  sub->add_option("--preset", a->preset, "bert-base-layer: S 128, D 768, 12 heads, F 3072 (shape flags override it)")
      ->check(CLI::IsMember({"bert-base-layer"}));
  sub->add_option("--seq", a->seq, "sequence length S")->capture_default_str();
  sub->add_option("--d", a->d, "model dimension D")->capture_default_str();
  sub->add_option("--heads", a->heads, "attention heads H (D / H per head)")->capture_default_str();
  sub->add_option("--f", a->f, "MLP hidden dimension F")->capture_default_str();
  sub->add_option("--activation", a->activation, "the MLP's activation")
      ->capture_default_str()
      ->check(CLI::IsMember({"gelu_erf", "gelu_tanh"}));
  sub->add_option("--out", a->out, "Y dtype")->capture_default_str()->check(CLI::IsMember({"bf16", "fp32"}));
  add_run_options(sub, a->run, false);
  return [sub, a]() { return sub->parsed() ? run_encoder(*a) : -1; };
}

}  // namespace systole::cli
