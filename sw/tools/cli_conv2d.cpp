// systole conv2d (docs/kernels.md section 11).
//
//   systole conv2d [--n N] [--h H] [--w W] [--cin C] [--cout K] [--kernel KH[xKW]] [--stride S[xS]]
//                  [--pad P | --pad T,B,L,R] [--dilation D[xD]] [--groups G] [--bias [bf16|fp32]]
//                  [--activation NAME] [--out bf16|fp32] [--preset NAME] + the shared options
//
// X ~ N(0, 1), W ~ N(0, 1/fan-in), bias ~ N(0, 1/4) from the seed; Y checked bit-exactly against
// the architectural reference and against float64 within the fused epilogue's bound; the DRAM
// bytes against the kernel's formula; cycles against the roofline. Presets are ResNet-50 layers.
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli_common.hpp"
#include "cli_kernels.hpp"
#include "systole/kernels/conv2d.hpp"
#include "systole/kernels/gemm_check.hpp"

namespace systole::cli {

using json = nlohmann::json;

namespace {

struct ConvArgs {
  std::string preset, kernel = "3", stride = "1", pad = "1", dilation = "1", bias, activation = "relu", out = "bf16";
  std::uint32_t n = 1, h = 16, w = 16, cin = 32, cout = 32, groups = 1;
  RunArgs run;
  CLI::App* sub = nullptr;
};

// "A" or "AxB" (pairs) / "A" or "T,B,L,R" (padding) as numbers.
std::vector<std::uint32_t> numbers(const std::string& s, char sep, const char* flag, std::size_t one, std::size_t all) {
  std::vector<std::uint32_t> v;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) {
    try {
      std::size_t used = 0;
      const unsigned long x = std::stoul(part, &used);
      if (used != part.size() || x > 65535) throw std::invalid_argument(part);
      v.push_back(static_cast<std::uint32_t>(x));
    } catch (const std::exception&) {
      v.clear();
      break;
    }
  }
  if (v.size() == one && all > one) v.resize(all, v.front());
  if (v.size() != all) {
    throw UsageError(fmt::format("{} '{}': expected {} or {} numbers 0..65535 joined by '{}'", flag, s, one, all, sep));
  }
  return v;
}

// ResNet-50's convolutions (batch 1, 224x224 input): name -> N H W Cin Cout kernel stride pad.
struct Preset {
  const char* name;
  std::uint32_t h, cin, cout, k, stride;
};
constexpr Preset kPresets[] = {
    {"resnet50-conv2-1x1", 56, 64, 64, 1, 1},     {"resnet50-conv2-3x3", 56, 64, 64, 3, 1},
    {"resnet50-conv2-1x1-up", 56, 64, 256, 1, 1}, {"resnet50-conv3-3x3-s2", 56, 128, 128, 3, 2},
    {"resnet50-conv3-3x3", 28, 128, 128, 3, 1},   {"resnet50-conv4-3x3", 14, 256, 256, 3, 1},
    {"resnet50-conv5-3x3", 7, 512, 512, 3, 1},    {"resnet50-conv5-1x1-down-s2", 14, 1024, 2048, 1, 2},
};

kernels::Conv2dParams params_of(const ConvArgs& a) {
  kernels::Conv2dParams p;
  auto given = [&](const char* flag) { return a.sub->count(flag) > 0 || a.preset.empty(); };
  if (!a.preset.empty()) {
    const Preset* pr = nullptr;
    for (const Preset& x : kPresets)
      if (a.preset == x.name) pr = &x;
    p.h = p.w = pr->h;
    p.cin = pr->cin;
    p.cout = pr->cout;
    p.kh = p.kw = pr->k;
    p.stride_h = p.stride_w = pr->stride;
    p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = pr->k / 2;
    p.bias = true;
  }
  if (given("--n")) p.n = a.n;
  if (given("--h")) p.h = a.h;
  if (given("--w")) p.w = a.w;
  if (given("--cin")) p.cin = a.cin;
  if (given("--cout")) p.cout = a.cout;
  if (given("--groups")) p.groups = a.groups;
  if (given("--kernel")) {
    const auto k = numbers(a.kernel, 'x', "--kernel", 1, 2);
    p.kh = k[0];
    p.kw = k[1];
  }
  if (given("--stride")) {
    const auto s = numbers(a.stride, 'x', "--stride", 1, 2);
    p.stride_h = s[0];
    p.stride_w = s[1];
  }
  if (given("--dilation")) {
    const auto d = numbers(a.dilation, 'x', "--dilation", 1, 2);
    p.dil_h = d[0];
    p.dil_w = d[1];
  }
  if (given("--pad")) {
    const auto q = numbers(a.pad, ',', "--pad", 1, 4);
    p.pad_top = q[0];
    p.pad_bottom = q[1];
    p.pad_left = q[2];
    p.pad_right = q[3];
  }
  if (a.sub->count("--bias") > 0) {
    p.bias = true;
    p.bias_dtype = parse_dtype(a.bias.empty() ? "bf16" : a.bias);
  } else if (a.preset.empty()) {
    p.bias = false;
  }
  p.activation = a.activation;
  p.out = parse_dtype(a.out);
  return p;
}

int run_conv2d(const ConvArgs& a) {
  const RunSetup setup = check_run_args(a.run, false);
  const kernels::Conv2dParams p = params_of(a);
  const golden::Config named = golden::Config::by_name(a.run.config);
  kernels::validate_conv2d(named, p);
  const std::uint64_t bytes = std::uint64_t{p.n} * p.h * p.w * p.cin * 2 +
                              std::uint64_t{p.kh} * p.kw * p.cin * p.cout * 2 +
                              std::uint64_t{p.n} * p.oh() * p.ow() * p.cout * 4 + 8 * p.cout;
  std::unique_ptr<driver::Device> dev = open_device(a.run, setup, bytes);
  const golden::Config& cfg = dev->config();
  const auto t0 = std::chrono::steady_clock::now();
  const kernels::Conv2dInputs in = kernels::random_conv2d_inputs(a.run.seed, p);
  const kernels::Conv2dHostResult r = kernels::conv2d(*dev, p, in);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const driver::Tensor want = kernels::reference_conv2d(cfg, p, in);
  const std::int64_t bad = kernels::first_mismatch(r.y, want);
  const kernels::EpilogueFloat64Check f64 = kernels::check_conv2d_float64(p, in, r.y);
  const auto& c = r.result.counters;
  const bool bytes_ok = c.dram_rd_bytes == r.program.dram_rd_bytes && c.dram_wr_bytes == r.program.dram_wr_bytes;
  const bool match = bad < 0 && f64.ok() && r.result.races.empty() && bytes_ok;
  const double roof = kernels::conv2d_roofline_cycles(cfg, p, setup.dram_bpc);
  const std::optional<double> of_roof =
      c.cycles ? std::optional<double>(roof / static_cast<double>(*c.cycles)) : std::nullopt;
  const std::string saved =
      save_npy(a.run.save_dir, {{"X", &in.x}, {"W", &in.w}, {"bias", in.bias ? &*in.bias : nullptr}, {"Y", &r.y}});
  if (a.run.json) {
    json j;
    add_verdict_json(j, match, bad, f64);
    j["kernel"] = "conv2d";
    j["conv"] = p.describe();
    j["shape"] = {{"n", p.n},   {"h", p.h},   {"w", p.w},     {"cin", p.cin}, {"cout", p.cout},
                  {"kh", p.kh}, {"kw", p.kw}, {"oh", p.oh()}, {"ow", p.ow()}, {"groups", p.groups}};
    j["bias"] = p.bias ? json(golden::dtype_name(p.bias_dtype)) : json(nullptr);
    j["activation"] = p.activation;
    j["out"] = golden::dtype_name(p.out);
    j["dram_bytes_as_stated"] = bytes_ok;
    j["dram_bytes_stated"] = {{"read", r.program.dram_rd_bytes}, {"written", r.program.dram_wr_bytes}};
    j["plan"] = r.program.plan.describe();
    j["roofline_cycles"] = roof;
    j["of_roofline"] = opt_json(of_roof);
    j["utilization"] = opt_json(c.cycles ? std::optional<double>(r.program.utilization(cfg, *c.cycles)) : std::nullopt);
    add_run_json(j, a.run, setup, *dev, r.result, seconds);
    std::cout << j.dump() << "\n";
  } else {
    fmt::print("systole conv2d: {} -> OH={} OW={}, {}{}  bf16 -> {}  (seed {})\n", p.describe(), p.oh(), p.ow(),
               p.activation, p.bias ? fmt::format(" with a {} bias", golden::dtype_name(p.bias_dtype)) : "",
               golden::dtype_name(p.out), a.run.seed);
    print_backend_line(*dev);
    fmt::print("plan:          {}\n", r.program.plan.describe());
    fmt::print("status:        {}\n", match ? "match" : "MISMATCH");
    fmt::print("bit-exact:     {}\n",
               bad < 0 ? "yes (architectural reference, docs/kernels.md section 11)"
                       : fmt::format("NO: element {} is 0x{:x}, expected 0x{:x}", bad,
                                     r.y.raw(static_cast<std::size_t>(bad)), want.raw(static_cast<std::size_t>(bad))));
    fmt::print("float64:       max error {:.3g}, worst error/bound {:.3g}, {} checked: {}\n", f64.max_abs_error,
               f64.worst_ratio, f64.checked,
               f64.ok() ? "within the bound of docs/kernels.md" : "OUT OF BOUND: " + f64.first_violation);
    fmt::print("races:         {}\n", races_text(a.run, r.result));
    fmt::print("DRAM bytes:    {} (stated: {} read, {} written; no im2col copy)\n",
               bytes_ok ? "as stated" : "NOT AS STATED", r.program.dram_rd_bytes, r.program.dram_wr_bytes);
    fmt::print("roofline:      {} ({:.0f} cycles: max(MACs / (P C), X + W + Y bytes / DRAM bandwidth))\n",
               of_roof ? fmt::format("{:.1f}% reached", 100 * *of_roof) : "n/a", roof);
    if (!saved.empty()) fmt::print("saved:         {} in {}\n", saved, a.run.save_dir);
    print_run_summary(a.run, setup, *dev, r.result, seconds);
  }
  return match ? kExitMatch : kExitMismatch;
}

}  // namespace

std::function<int()> add_conv2d_command(CLI::App& app) {
  auto a = std::make_shared<ConvArgs>();
  CLI::App* sub = app.add_subcommand("conv2d", "NHWC convolution as an implicit GEMM (no im2col copy)");
  a->sub = sub;
  std::vector<std::string> names;
  for (const Preset& p : kPresets) names.emplace_back(p.name);
  sub->add_option("--preset", a->preset, "a ResNet-50 layer (batch 1, bias; shape flags override it)")
      ->check(CLI::IsMember(names));
  sub->add_option("--n", a->n, "batch N")->capture_default_str();
  sub->add_option("--h", a->h, "input height H")->capture_default_str();
  sub->add_option("--w", a->w, "input width W")->capture_default_str();
  sub->add_option("--cin", a->cin, "input channels")->capture_default_str();
  sub->add_option("--cout", a->cout, "output channels")->capture_default_str();
  sub->add_option("--kernel", a->kernel, "KH or KHxKW")->capture_default_str();
  sub->add_option("--stride", a->stride, "S or SHxSW")->capture_default_str();
  sub->add_option("--pad", a->pad, "zero padding: P on every side, or TOP,BOTTOM,LEFT,RIGHT")->capture_default_str();
  sub->add_option("--dilation", a->dilation, "D or DHxDW")->capture_default_str();
  sub->add_option("--groups", a->groups, "groups (Cin and Cout multiples of it; depthwise: Cin)")
      ->capture_default_str();
  sub->add_option("--bias", a->bias, "add a bias per output channel, bf16 (default) or fp32")
      ->expected(0, 1)
      ->check(CLI::IsMember({"bf16", "fp32", ""}));
  sub->add_option("--activation", a->activation, "identity or any table/built-in activation")->capture_default_str();
  sub->add_option("--out", a->out, "Y dtype")->capture_default_str()->check(CLI::IsMember({"bf16", "fp32"}));
  add_run_options(sub, a->run, false);
  return [sub, a]() { return sub->parsed() ? run_conv2d(*a) : -1; };
}

}  // namespace systole::cli
