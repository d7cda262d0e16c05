// The kernel kind's transformer blocks: the MLP block (op=mlp) and one encoder layer
// (op=encoder; kernel_case.hpp): parameters, generation, the RTL-vs-golden run, shrinking, bins.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

#include "kernel_case_util.hpp"
#include "systole/kernels/encoder.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::verif::regress {
using golden::DType;
namespace {

constexpr std::array<const char*, 6> kMlpActs = {"gelu_tanh", "gelu_erf", "silu", "relu", "identity", "tanh"};

DType float_dtype(const Params& p, const char* key) {
  const auto it = p.find(key);
  if (it != p.end() && it->second == "bf16") return DType::kBf16;
  if (it != p.end() && it->second == "fp32") return DType::kFp32;
  throw std::invalid_argument(
      fmt::format("{}={}: expected bf16 or fp32", key, it == p.end() ? std::string("(missing)") : it->second));
}

}  // namespace

kernels::MlpParams parse_mlp_case(const golden::Config& cfg, const Params& p) {
  static constexpr std::array<const char*, 8> keys = {"op", "rows", "d", "f", "act", "residual", "out", "bias"};
  for (const auto& [key, v] : p) {
    if (key.rfind("dram_", 0) == 0) continue;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw std::invalid_argument(
          fmt::format("{}={}: not a parameter of op=mlp (expected {} or dram_*)", key, v, fmt::join(keys, ", ")));
    }
  }
  if (!p.count("rows") || !p.count("d") || !p.count("f")) throw std::invalid_argument("rows, d and f are required");
  kernels::MlpParams m;
  m.tokens = param_number(p, "rows", 1, 4096, 1);
  m.d = param_number(p, "d", 1, 1024, 1);
  m.f = param_number(p, "f", 1, 4096, 1);
  const auto act = p.find("act");
  m.activation = act == p.end() ? "gelu_tanh" : act->second;
  if (std::find(kMlpActs.begin(), kMlpActs.end(), m.activation) == kMlpActs.end()) {
    throw std::invalid_argument(fmt::format("act={}: expected one of {}", m.activation, fmt::join(kMlpActs, ", ")));
  }
  m.residual = param_number(p, "residual", 0, 1, 1) != 0;
  m.out = float_dtype(p, "out");
  m.bias = float_dtype(p, "bias");
  try {
    kernels::validate_mlp(cfg, m);
  } catch (const kernels::KernelArgumentError& e) {
    throw std::invalid_argument(e.what());
  }
  return m;
}

Params generate_mlp_case(const golden::Config& cfg, std::mt19937_64& r) {
  auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
  const bool fpga = cfg.sbuf_bytes < 65536;
  Params p;
  p["op"] = "mlp";
  // Token tiles hold at most 128 tokens on fpga and 512 on default (the PSUM and NMAX), fewer
  // when H^T is wide. Streamed weights are large, so their token counts stay small on default
  // (one tile); fpga's small SBUF gives several tiles of streamed weights.
  if (pick(2)) {  // weights resident in SBUF
    p["rows"] = std::to_string(pick(2) ? 1 + pick(64) : 65 + pick(fpga ? 200 : 700));
    p["d"] = std::to_string(1 + pick(fpga ? 40 : 96));
    p["f"] = std::to_string(1 + pick(fpga ? 120 : 384));
  } else {  // weights streamed through the ring
    p["rows"] = std::to_string(1 + pick(fpga ? 300 : 96));
    p["d"] = std::to_string(fpga ? 48 + pick(40) : 100 + pick(100));
    p["f"] = std::to_string(fpga ? 160 + pick(150) : 600 + pick(500));
  }
  p["act"] = kMlpActs[pick(kMlpActs.size())];
  p["residual"] = std::to_string(pick(4) ? 1 : 0);
  p["out"] = std::string(pick(3) ? "bf16" : "fp32");
  p["bias"] = std::string(pick(2) ? "bf16" : "fp32");
  draw_dram(p, r);
  return p;
}

Outcome run_mlp_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config cfg = golden::Config::by_name(config);
  const kernels::MlpParams m = parse_mlp_case(cfg, p);
  const kernels::MlpInputs in = kernels::random_mlp_inputs(seed, m);
  using R = kernels::MlpHostResult;
  return run_kernel_pair<R>(
      config, seed, p, [&](driver::Device& d) { return kernels::mlp(d, m, in); },
      [&](const R& r, const R& g, std::vector<std::string>& problems) {
        if (const std::int64_t bad = kernels::first_mismatch(r.y, g.y); bad >= 0) {
          problems.push_back(fmt::format("Y element {}: RTL 0x{:x}, golden 0x{:x}", bad,
                                         r.y.raw(static_cast<std::size_t>(bad)),
                                         g.y.raw(static_cast<std::size_t>(bad))));
        }
        const kernels::MlpReference ref = kernels::reference_mlp(cfg, m, in);
        if (g.y != ref.y) problems.push_back("golden Y differs from the reference");
        if (const auto c = kernels::check_mlp_float64(m, in, ref, r.y); !c.ok()) {
          problems.push_back("float64: " + c.combined().first_violation);
        }
        check_stated_bytes(r.result.counters, r.program.dram_rd_bytes, r.program.dram_wr_bytes, problems);
      },
      [](const R& r) -> const driver::RunResult& { return r.result; });
}

std::vector<Params> shrink_mlp_case(const Params& p) {
  std::vector<Params> out;
  auto variant = [&](const char* key, const std::string& v) {
    Params q = p;
    q[key] = v;
    if (q != p) out.push_back(std::move(q));
  };
  for (const char* key : {"rows", "d", "f"}) {
    const unsigned v = parse_number(key, p.at(key), 1, 4096);
    if (v > 1) variant(key, std::to_string(v / 2));
    if (v > 1) variant(key, "1");
  }
  variant("act", "identity");
  variant("residual", "0");
  variant("out", "bf16");
  variant("bias", "bf16");
  for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
  return out;
}

std::string mlp_shape_class(const golden::Config& cfg, const kernels::MlpParams& m) {
  const kernels::MlpPlan pl = kernels::plan_mlp(cfg, m);
  return fmt::format("{}/{}", pl.tiles == 1 ? "single_tile" : "multi_tile", pl.resident ? "resident" : "streaming");
}

std::vector<std::string> mlp_bin_grid() {
  std::vector<std::string> g;
  for (const char* t : {"single_tile", "multi_tile"})
    for (const char* w : {"resident", "streaming"})
      for (const char* out : {"bf16", "fp32"}) g.push_back(fmt::format("mlp/{}/{}/bf16->{}", t, w, out));
  return g;
}

}  // namespace systole::verif::regress

// ---- op=encoder ------------------------------------------------------------------------------
namespace systole::verif::regress {

kernels::EncoderParams parse_encoder_case(const golden::Config& cfg, const Params& p) {
  static constexpr std::array<const char*, 7> keys = {"op", "rows", "d", "heads", "f", "act", "out"};
  for (const auto& [key, v] : p) {
    if (key.rfind("dram_", 0) == 0) continue;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw std::invalid_argument(
          fmt::format("{}={}: not a parameter of op=encoder (expected {} or dram_*)", key, v, fmt::join(keys, ", ")));
    }
  }
  if (!p.count("rows") || !p.count("d") || !p.count("f")) throw std::invalid_argument("rows, d and f are required");
  kernels::EncoderParams e;
  e.seq = param_number(p, "rows", 1, 1024, 1);
  e.d = param_number(p, "d", 1, 256, 1);
  e.heads = param_number(p, "heads", 1, 16, 1);
  e.f = param_number(p, "f", 1, 1024, 1);
  const auto act = p.find("act");
  e.activation = act == p.end() ? "gelu_erf" : act->second;
  e.out = float_dtype(p, "out");
  try {
    kernels::validate_encoder(cfg, e);
  } catch (const kernels::KernelArgumentError& x) {
    throw std::invalid_argument(x.what());
  }
  return e;
}

Params generate_encoder_case(const golden::Config& cfg, std::mt19937_64& r) {
  auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
  Params p;
  p["op"] = "encoder";
  const unsigned heads = 1 + pick(3);
  p["heads"] = std::to_string(heads);
  p["d"] = std::to_string(heads * (8 + 8 * pick(3)));
  p["rows"] = std::to_string(pick(2) ? 1 + pick(cfg.columns) : cfg.columns + 1 + pick(3 * cfg.columns));
  p["f"] = std::to_string(1 + pick(150));
  p["act"] = pick(2) ? "gelu_erf" : "gelu_tanh";
  p["out"] = std::string(pick(3) ? "bf16" : "fp32");
  draw_dram(p, r);
  return p;
}

Outcome run_encoder_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config cfg = golden::Config::by_name(config);
  const kernels::EncoderParams e = parse_encoder_case(cfg, p);
  const kernels::EncoderWeights w = kernels::random_encoder_weights(seed, e);
  const driver::Tensor x = kernels::random_encoder_input(seed, e);
  using R = kernels::EncoderResult;
  // The stages' counters summed, as one run (run_kernel_pair checks races and AXI on it).
  auto sum = [](const R& r) {
    driver::RunResult s;
    for (const auto& st : r.stages) {
      const auto& c = st.result.counters;
      s.counters.dram_rd_bytes += c.dram_rd_bytes;
      s.counters.dram_wr_bytes += c.dram_wr_bytes;
      s.counters.instructions += c.instructions;
      s.counters.macs += c.macs;  // FETCH_BYTES left out: its prefetch allowance is per run
      if (c.cycles) s.counters.cycles = s.counters.cycles.value_or(0) + *c.cycles;
      for (const std::string& race : st.result.races) s.races.push_back(st.name + ": " + race);
    }
    return s;
  };
  struct Run {
    R r;
    driver::RunResult total;
  };
  return run_kernel_pair<Run>(
      config, seed, p,
      [&](driver::Device& d) {
        Run run{kernels::encoder_layer(d, e, w, x), {}};
        run.total = sum(run.r);
        return run;
      },
      [&](const Run& r, const Run& g, std::vector<std::string>& problems) {
        if (const std::string bad = kernels::first_encoder_mismatch(r.r.t, g.r.t); !bad.empty()) {
          problems.push_back("RTL vs golden: " + bad);
        }
        if (const std::string bad = kernels::first_encoder_mismatch(g.r.t, kernels::reference_encoder(cfg, e, w, x));
            !bad.empty()) {
          problems.push_back("golden vs the reference: " + bad);
        }
        if (const auto c = kernels::check_encoder_float64(cfg, e, w, x, r.r.t); !c.ok()) {
          problems.push_back("float64: " + c.first_violation);
        }
        if (!r.r.bytes_as_stated()) problems.push_back("a stage's DRAM bytes differ from its kernel's formula");
      },
      [](const Run& r) -> const driver::RunResult& { return r.total; });
}

std::vector<Params> shrink_encoder_case(const Params& p) {
  std::vector<Params> out;
  auto variant = [&](const char* key, const std::string& v) {
    Params q = p;
    q[key] = v;
    if (q != p) out.push_back(std::move(q));
  };
  for (const char* key : {"rows", "f"}) {
    const unsigned v = parse_number(key, p.at(key), 1, 4096);
    if (v > 1) variant(key, std::to_string(v / 2));
    if (v > 1) variant(key, "1");
  }
  const unsigned heads = parse_number("heads", p.at("heads"), 1, 16);
  if (heads > 1) {  // one head of the same size
    Params q = p;
    q["heads"] = "1";
    q["d"] = std::to_string(parse_number("d", p.at("d"), 1, 256) / heads);
    out.push_back(std::move(q));
  }
  variant("act", "gelu_erf");
  variant("out", "bf16");
  for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
  return out;
}

std::string encoder_shape_class(const golden::Config& cfg, const kernels::EncoderParams& e) {
  return e.seq <= cfg.columns ? "single_tile" : "multi_tile";
}

std::vector<std::string> encoder_bin_grid() {
  std::vector<std::string> g;
  for (const char* t : {"single_tile", "multi_tile"})
    for (const char* out : {"bf16", "fp32"}) g.push_back(fmt::format("encoder/{}/bf16->{}", t, out));
  return g;
}

}  // namespace systole::verif::regress
