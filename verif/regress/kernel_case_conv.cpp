// The kernel kind's convolutions (op=conv2d; kernel_case.hpp): parameters, generation, the
// RTL-vs-golden run, shrinking, bins.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

#include "kernel_case_util.hpp"
#include "systole/kernels/conv2d.hpp"
#include "systole/kernels/gemm_check.hpp"

namespace systole::verif::regress {
using golden::DType;
namespace {

constexpr std::array<const char*, 5> kConvActs = {"identity", "relu", "gelu_tanh", "silu", "sigmoid"};
constexpr std::array<const char*, 17> kConvKeys = {"op", "n",  "h",  "w",   "cin",    "cout", "kh",  "kw", "sh",
                                                   "sw", "dh", "dw", "pad", "groups", "bias", "act", "out"};

DType dtype_key(const Params& p, const char* key, bool allow_none) {
  const auto it = p.find(key);
  if (it != p.end() && it->second == "bf16") return DType::kBf16;
  if (it != p.end() && it->second == "fp32") return DType::kFp32;
  if (allow_none && it != p.end() && it->second == "none") return DType::kInt8;  // "no bias"
  throw std::invalid_argument(fmt::format("{}={}: expected {}bf16 or fp32", key,
                                          it == p.end() ? std::string("(missing)") : it->second,
                                          allow_none ? "none, " : ""));
}

}  // namespace

kernels::Conv2dParams parse_conv2d_case(const golden::Config& cfg, const Params& p) {
  for (const auto& [key, v] : p) {
    if (key.rfind("dram_", 0) == 0) continue;
    if (std::find(kConvKeys.begin(), kConvKeys.end(), key) == kConvKeys.end()) {
      throw std::invalid_argument(fmt::format("{}={}: not a parameter of op=conv2d (expected {} or dram_*)", key, v,
                                              fmt::join(kConvKeys, ", ")));
    }
  }
  for (const char* key : {"h", "w", "cin", "cout"})
    if (!p.count(key)) throw std::invalid_argument("h, w, cin and cout are required");
  kernels::Conv2dParams c;
  c.n = param_number(p, "n", 1, 64, 1);
  c.h = param_number(p, "h", 1, 512, 1);
  c.w = param_number(p, "w", 1, 512, 1);
  c.cin = param_number(p, "cin", 1, 4096, 1);
  c.cout = param_number(p, "cout", 1, 4096, 1);
  c.kh = param_number(p, "kh", 1, 11, 1);
  c.kw = param_number(p, "kw", 1, 11, 1);
  c.stride_h = param_number(p, "sh", 1, 4, 1);
  c.stride_w = param_number(p, "sw", 1, 4, 1);
  c.dil_h = param_number(p, "dh", 1, 4, 1);
  c.dil_w = param_number(p, "dw", 1, 4, 1);
  c.pad_top = c.pad_bottom = c.pad_left = c.pad_right = param_number(p, "pad", 0, 8, 0);
  c.groups = param_number(p, "groups", 1, 4096, 1);
  const DType b = dtype_key(p, "bias", true);
  c.bias = b != DType::kInt8;
  if (c.bias) c.bias_dtype = b;
  const auto act = p.find("act");
  c.activation = act == p.end() ? "identity" : act->second;
  if (std::find(kConvActs.begin(), kConvActs.end(), c.activation) == kConvActs.end()) {
    throw std::invalid_argument(fmt::format("act={}: expected one of {}", c.activation, fmt::join(kConvActs, ", ")));
  }
  c.out = dtype_key(p, "out", false);
  try {
    kernels::validate_conv2d(cfg, c);
  } catch (const kernels::KernelArgumentError& e) {
    throw std::invalid_argument(e.what());
  }
  return c;
}

Params generate_conv2d_case(const golden::Config& cfg, std::mt19937_64& r) {
  auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
  Params p;
  p["op"] = "conv2d";
  const unsigned cls = pick(5);  // pointwise, spatial, strided, grouped, depthwise
  const unsigned k = cls == 0 ? 1 : 2 + pick(3);
  const unsigned groups = cls == 3 ? 2 + pick(3) : 1;
  const unsigned dh = cls == 1 && pick(3) == 0 ? 2 : 1;  // dilation (spatial kernels)
  p["n"] = std::to_string(1 + pick(3));
  p["h"] = std::to_string((k - 1) * dh + 1 + pick(24));  // the kernel fits without padding
  p["w"] = std::to_string(k + pick(24));
  if (cls == 4) {
    const unsigned c = 1 + pick(24);
    p["cin"] = p["cout"] = p["groups"] = std::to_string(c);
  } else {
    p["cin"] = std::to_string(groups * (1 + pick(40)));
    p["cout"] = std::to_string(groups * (1 + pick(40)));
    p["groups"] = std::to_string(groups);
  }
  p["kh"] = std::to_string(k);
  p["kw"] = std::to_string(cls == 0 ? 1 : 1 + pick(k));
  p["sh"] = p["sw"] = std::to_string(cls == 2 ? 2 : 1);
  p["dh"] = std::to_string(dh);
  p["dw"] = std::string("1");
  p["pad"] = std::to_string(cls == 0 ? 0 : pick(3));
  p["bias"] = std::string(std::array<const char*, 3>{"none", "bf16", "fp32"}[pick(3)]);
  p["act"] = std::string(kConvActs[pick(kConvActs.size())]);
  p["out"] = std::string(pick(3) ? "bf16" : "fp32");
  // Halve the channels until the case fits the configuration's SBUF (a big kernel with many
  // channels may not on fpga): the shape class stays.
  for (int i = 0; i < 8; ++i) {
    try {
      (void)parse_conv2d_case(cfg, p);
      break;
    } catch (const std::invalid_argument&) {
      const unsigned g = static_cast<unsigned>(std::stoul(p["groups"]));
      for (const char* key : {"cin", "cout"}) {
        const unsigned c = static_cast<unsigned>(std::stoul(p[key]));
        if (cls != 4 && c / g > 1) p[key] = std::to_string(c / g / 2 * g);
      }
    }
  }
  draw_dram(p, r);
  return p;
}

Outcome run_conv2d_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config cfg = golden::Config::by_name(config);
  const kernels::Conv2dParams c = parse_conv2d_case(cfg, p);
  const kernels::Conv2dInputs in = kernels::random_conv2d_inputs(seed, c);
  using R = kernels::Conv2dHostResult;
  return run_kernel_pair<R>(
      config, seed, p, [&](driver::Device& d) { return kernels::conv2d(d, c, in); },
      [&](const R& r, const R& g, std::vector<std::string>& problems) {
        if (const std::int64_t bad = kernels::first_mismatch(r.y, g.y); bad >= 0) {
          problems.push_back(fmt::format("Y element {}: RTL 0x{:x}, golden 0x{:x}", bad,
                                         r.y.raw(static_cast<std::size_t>(bad)),
                                         g.y.raw(static_cast<std::size_t>(bad))));
        }
        if (g.y != kernels::reference_conv2d(cfg, c, in)) problems.push_back("golden Y differs from the reference");
        if (const auto f = kernels::check_conv2d_float64(c, in, r.y); !f.ok()) {
          problems.push_back("float64: " + f.first_violation);
        }
        check_stated_bytes(r.result.counters, r.program.dram_rd_bytes, r.program.dram_wr_bytes, problems);
      },
      [](const R& r) -> const driver::RunResult& { return r.result; });
}

std::vector<Params> shrink_conv2d_case(const golden::Config& cfg, const Params& p) {
  std::vector<Params> out;
  // Only candidates that are still a valid convolution (a smaller input may no longer hold the
  // kernel).
  auto variant = [&](const char* key, const std::string& v) {
    Params q = p;
    q[key] = v;
    if (q == p) return;
    try {
      (void)parse_conv2d_case(cfg, q);
      out.push_back(std::move(q));
    } catch (const std::invalid_argument&) {
    }
  };
  for (const char* key : {"n", "h", "w"}) {
    const unsigned v = parse_number(key, p.at(key), 1, 4096);
    if (v > 1) variant(key, std::to_string(v / 2));
  }
  const unsigned groups = p.count("groups") ? parse_number("groups", p.at("groups"), 1, 4096) : 1;
  for (const char* key : {"cin", "cout"}) {  // halve the channels per group
    const unsigned v = parse_number(key, p.at(key), 1, 4096);
    if (v / groups > 1) variant(key, std::to_string(v / groups / 2 * groups));
  }
  variant("act", "identity");
  variant("bias", "none");
  variant("out", "bf16");
  variant("pad", "0");
  for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
  return out;
}

std::string conv2d_shape_class(const kernels::Conv2dParams& c) {
  if (c.groups > 1) return c.cin == c.groups ? "depthwise" : "grouped";
  if (c.stride_h > 1 || c.stride_w > 1) return "strided";
  return c.kh == 1 && c.kw == 1 ? "pointwise" : "spatial";
}

std::vector<std::string> conv2d_bin_grid() {
  std::vector<std::string> g;
  for (const char* s : {"pointwise", "spatial", "strided", "grouped", "depthwise"})
    for (const char* out : {"bf16", "fp32"}) g.push_back(fmt::format("conv2d/{}/bf16->{}", s, out));
  return g;
}

}  // namespace systole::verif::regress
