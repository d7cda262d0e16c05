// The kernel kind's operations on the array: GEMM with a fused epilogue (op=gemm_fused) and
// attention (op=attention;
// kernel_case.hpp): parameters, generation, the RTL-vs-golden run, shrinking, bins.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <bit>
#include <random>
#include <stdexcept>

#include "kernel_case_util.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/attention.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"

namespace systole::verif::regress {
using namespace systole::sim;
using golden::DType;
namespace {

constexpr std::array<const char*, 7> kActs = {"identity", "relu", "gelu_tanh", "gelu_erf", "silu", "tanh", "sigmoid"};
constexpr std::array<const char*, 4> kBias = {"none", "col", "row", "both"};
constexpr std::array<const char*, 3> kAlphas = {"1", "0.25", "0.00390625"};  // 1, 1/4, 1/256

DType dtype_of(const Params& p, const char* key, std::initializer_list<DType> allowed) {
  const auto it = p.find(key);
  std::string names;
  for (DType t : allowed) {
    names += (names.empty() ? "" : ", ") + std::string(golden::dtype_name(t));
    if (it != p.end() && it->second == golden::dtype_name(t)) return t;
  }
  throw std::invalid_argument(
      fmt::format("{}={}: expected {}", key, it == p.end() ? std::string("(missing)") : it->second, names));
}

std::string one_of(const Params& p, const char* key, const auto& values) {
  const auto it = p.find(key);
  if (it != p.end() && std::find(values.begin(), values.end(), it->second) != values.end()) return it->second;
  throw std::invalid_argument(fmt::format("{}={}: expected one of {}", key,
                                          it == p.end() ? std::string("(missing)") : it->second,
                                          fmt::join(values, ", ")));
}

// The epilogue's inputs drawn from the case seed (after A and B).
kernels::EpilogueInputs inputs(const FusedCase& f, std::mt19937_64& rng) {
  kernels::EpilogueInputs e;
  e.activation = f.act;
  e.alpha = f.alpha;
  auto vec = [&](std::vector<std::uint64_t> shape) {
    driver::Tensor t(f.vec, std::move(shape));
    std::normal_distribution<float> n01(0.0f, 1.0f);
    for (std::size_t i = 0; i < t.size(); ++i) {
      const auto bits = std::bit_cast<std::uint32_t>(n01(rng));
      t.set_raw(i, f.vec == DType::kBf16 ? golden::num::f32_to_bf16(bits) : bits);
    }
    return t;
  };
  if (f.bias == "col" || f.bias == "both") e.bias_col = vec({f.N});
  if (f.bias == "row" || f.bias == "both") e.bias_row = vec({f.M});
  if (f.residual) e.residual = vec({f.M, f.N});
  return e;
}

}  // namespace

FusedCase parse_fused_case(const golden::Config& cfg, const Params& p) {
  static constexpr std::array<const char*, 11> keys = {"op",  "rows",  "k",    "cols",     "in",   "out",
                                                       "act", "alpha", "bias", "residual", "param"};
  for (const auto& [key, v] : p) {
    if (key.rfind("dram_", 0) == 0) continue;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw std::invalid_argument(fmt::format("{}={}: not a parameter of op=gemm_fused (expected {} or dram_*)", key, v,
                                              fmt::join(keys, ", ")));
    }
  }
  FusedCase f;
  if (!p.count("rows") || !p.count("k") || !p.count("cols"))
    throw std::invalid_argument("rows, k and cols are required");
  f.M = param_number(p, "rows", 1, 4096, 1);
  f.K = param_number(p, "k", 1, 4096, 1);
  f.N = param_number(p, "cols", 1, 4096, 1);
  f.in = dtype_of(p, "in", {DType::kInt8, DType::kBf16, DType::kFp8});
  f.out = dtype_of(p, "out", {DType::kFp32, DType::kBf16, DType::kFp8, DType::kInt8});
  f.vec = dtype_of(p, "param", {DType::kBf16, DType::kFp32});
  f.act = one_of(p, "act", kActs);
  const std::string alpha = one_of(p, "alpha", kAlphas);
  f.alpha = std::stof(alpha);
  f.bias = one_of(p, "bias", kBias);
  f.residual = param_number(p, "residual", 0, 1, 0) != 0;
  try {
    kernels::validate_gemm_types(cfg, f.M, f.K, f.N, f.in, f.out, true);
  } catch (const kernels::KernelArgumentError& e) {
    throw std::invalid_argument(e.what());
  }
  return f;
}

Params generate_fused_case(const golden::Config& cfg, std::mt19937_64& r) {
  auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
  std::vector<const char*> ins;
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8})
    if (cfg.tensor_dtype_enabled(t)) ins.push_back(golden::dtype_name(t).data());
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  Params p;
  p["op"] = "gemm_fused";
  const unsigned shape = pick(3);  // single tile, multi-tile, tall (N < M: the transposed plan)
  const std::uint32_t M = shape == 0 ? 1 + pick(C) : (shape == 2 ? C + 2 + pick(4 * C) : 1 + pick(4 * C + 9));
  p["rows"] = std::to_string(M);
  p["k"] = std::to_string(shape == 0 ? 1 + pick(P) : 1 + pick(6 * P + 13));
  p["cols"] = std::to_string(shape == 0 ? 1 + pick(64) : (shape == 2 ? 1 + pick(M - 1) : 1 + pick(2 * cfg.nmax + 30)));
  p["in"] = ins[pick(static_cast<unsigned>(ins.size()))];
  p["out"] = std::string(std::array{"fp32", "bf16", "fp8", "int8"}[pick(4)]);
  p["param"] = std::string(pick(2) ? "bf16" : "fp32");
  p["act"] = std::string(kActs[pick(kActs.size())]);
  p["alpha"] = std::string(p["in"] == "int8" ? kAlphas[2] : kAlphas[pick(2)]);
  p["bias"] = std::string(kBias[pick(4)]);
  p["residual"] = std::to_string(pick(2));
  draw_dram(p, r);
  return p;
}

Outcome run_fused_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config cfg = golden::Config::by_name(config);
  const FusedCase f = parse_fused_case(cfg, p);
  std::mt19937_64 rng(seed);
  const driver::Tensor a = kernels::random_matrix(rng, f.in, f.M, f.K), b = kernels::random_matrix(rng, f.in, f.K, f.N);
  const kernels::EpilogueInputs e = inputs(f, rng);
  using R = kernels::GemmHostResult;
  return run_kernel_pair<R>(
      config, seed, p, [&](driver::Device& d) { return kernels::gemm_fused(d, a, b, e, f.out); },
      [&](const R& r, const R& g, std::vector<std::string>& problems) {
        if (const std::int64_t bad = kernels::first_mismatch(r.c, g.c); bad >= 0) {
          problems.push_back(fmt::format("C element {} (row {}, column {}): RTL 0x{:x}, golden 0x{:x}", bad, bad / f.N,
                                         bad % f.N, r.c.raw(static_cast<std::size_t>(bad)),
                                         g.c.raw(static_cast<std::size_t>(bad))));
        }
        const DType acc = f.in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
        if (kernels::first_mismatch(
                g.c, kernels::reference_epilogue(kernels::reference_gemm(cfg, a, b, acc), e, f.out)) >= 0) {
          problems.push_back("golden C differs from the GEMM reference followed by the epilogue reference");
        }
        if (const auto c = kernels::check_fused_float64(a, b, e, r.c); !c.ok()) {
          problems.push_back("float64: " + c.first_violation);
        }
      },
      [](const R& r) -> const driver::RunResult& { return r.run.result; });
}

std::vector<Params> shrink_fused_case(const Params& p) {
  std::vector<Params> out;
  auto variant = [&](const char* key, const std::string& v) {
    Params q = p;
    q[key] = v;
    if (q != p) out.push_back(std::move(q));
  };
  for (const char* key : {"rows", "k", "cols"}) {
    const unsigned v = parse_number(key, p.at(key), 1, 4096);
    if (v > 1) variant(key, std::to_string(v / 2));
    if (v > 1) variant(key, "1");
  }
  variant("bias", "none");
  variant("residual", "0");
  variant("act", "identity");
  variant("out", "fp32");
  variant("param", "bf16");
  for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
  return out;
}

std::string fused_shape_class(const golden::Config& cfg, const FusedCase& f) {
  if (f.M <= cfg.columns && f.K <= cfg.partitions) return "single_tile";
  return f.N < f.M ? "tall" : "multi_tile";
}

std::vector<std::string> fused_bin_grid() {
  std::vector<std::string> g;
  for (const char* s : {"single_tile", "multi_tile", "tall"})
    for (const char* in : {"int8", "bf16", "fp8"})
      for (const char* out : {"fp32", "bf16", "fp8", "int8"})
        g.push_back(fmt::format("gemm_fused/{}/{}->{}", s, in, out));
  return g;
}

}  // namespace systole::verif::regress

// ---- op=attention -----------------------------------------------------------------------------
namespace systole::verif::regress {

kernels::AttentionParams parse_attention_case(const golden::Config& cfg, const Params& p) {
  static constexpr std::array<const char*, 7> keys = {"op", "heads", "rows", "cols", "d", "causal", "out"};
  for (const auto& [key, v] : p) {
    if (key.rfind("dram_", 0) == 0) continue;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw std::invalid_argument(
          fmt::format("{}={}: not a parameter of op=attention (expected {} or dram_*)", key, v, fmt::join(keys, ", ")));
    }
  }
  if (!p.count("rows") || !p.count("cols") || !p.count("d"))
    throw std::invalid_argument("rows, cols and d are required");
  kernels::AttentionParams a;
  a.heads = param_number(p, "heads", 1, 16, 1);
  a.sq = param_number(p, "rows", 1, 4096, 1);
  a.sk = param_number(p, "cols", 1, 4096, 1);
  a.d = param_number(p, "d", 1, 256, 1);
  a.causal = param_number(p, "causal", 0, 1, 0) != 0;
  a.out = dtype_of(p, "out", {DType::kBf16, DType::kFp32});
  try {
    kernels::validate_attention(cfg, a);
  } catch (const kernels::KernelArgumentError& e) {
    throw std::invalid_argument(e.what());
  }
  return a;
}

Params generate_attention_case(const golden::Config& cfg, std::mt19937_64& r) {
  auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
  const std::uint32_t C = cfg.columns;
  Params p;
  p["op"] = "attention";
  p["heads"] = std::to_string(1 + pick(3));
  const unsigned shape = pick(3);  // one query tile; several tiles, one key block; several key blocks
  const std::uint32_t sq = shape == 0 ? 1 + pick(C) : 1 + pick(4 * C + 5);
  p["rows"] = std::to_string(sq);
  p["cols"] = std::to_string(shape == 2 ? 200 + pick(700) : (pick(2) ? sq : 1 + pick(100)));
  p["d"] = std::to_string(std::array{8u, 16u, 24u, 40u, 64u, 128u}[pick(6)]);
  p["causal"] = std::to_string(pick(2));
  p["out"] = std::string(pick(3) ? "bf16" : "fp32");
  draw_dram(p, r);
  return p;
}

Outcome run_attention_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config cfg = golden::Config::by_name(config);
  const kernels::AttentionParams a = parse_attention_case(cfg, p);
  const kernels::AttentionInputs in = kernels::random_attention_inputs(seed, a);
  using R = kernels::AttentionHostResult;
  return run_kernel_pair<R>(
      config, seed, p, [&](driver::Device& d) { return kernels::attention(d, a, in); },
      [&](const R& r, const R& g, std::vector<std::string>& problems) {
        if (const std::int64_t bad = kernels::first_mismatch(r.o, g.o); bad >= 0) {
          problems.push_back(fmt::format("O element {}: RTL 0x{:x}, golden 0x{:x}", bad,
                                         r.o.raw(static_cast<std::size_t>(bad)),
                                         g.o.raw(static_cast<std::size_t>(bad))));
        }
        if (g.o != kernels::reference_attention(cfg, a, in)) problems.push_back("golden O differs from the reference");
        if (const auto c = kernels::check_attention_float64(cfg, a, in, r.o); !c.ok()) {
          problems.push_back("float64: " + c.first_violation);
        }
        check_stated_bytes(r.result.counters, r.program.dram_rd_bytes, r.program.dram_wr_bytes, problems);
      },
      [](const R& r) -> const driver::RunResult& { return r.result; });
}

std::vector<Params> shrink_attention_case(const Params& p) {
  std::vector<Params> out;
  auto variant = [&](const char* key, const std::string& v) {
    Params q = p;
    q[key] = v;
    if (q != p) out.push_back(std::move(q));
  };
  for (const char* key : {"rows", "cols", "heads"}) {
    const unsigned v = parse_number(key, p.at(key), 1, 4096);
    if (v > 1) variant(key, std::to_string(v / 2));
    if (v > 1) variant(key, "1");
  }
  variant("causal", "0");
  variant("out", "bf16");
  variant("d", "16");
  for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
  return out;
}

std::string attention_shape_class(const golden::Config& cfg, const kernels::AttentionParams& a) {
  const kernels::AttentionPlan pl = kernels::plan_attention(cfg, a);
  if (pl.q_tiles == 1 && pl.k_blocks == 1) return "single_tile";
  return pl.k_blocks == 1 ? "multi_tile" : "multi_block";
}

std::vector<std::string> attention_bin_grid() {
  std::vector<std::string> g;
  for (const char* s : {"single_tile", "multi_tile", "multi_block"})
    for (const char* m : {"full", "causal"})
      for (const char* out : {"bf16", "fp32"}) g.push_back(fmt::format("attention/{}/{}/bf16->{}", s, m, out));
  return g;
}

}  // namespace systole::verif::regress
