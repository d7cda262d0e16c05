// The "kernel" case kind (kernel_case.hpp): parameters, generation, the RTL-vs-golden run,
// shrinking, coverage.
#include "kernel_case.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>
#include <stdexcept>

#include "kernel_case_util.hpp"

namespace systole::verif::regress {
using namespace systole::sim;
using golden::DType;
using kernels::RowOp;
namespace {

constexpr std::array<const char*, 9> kKeys = {"op", "rows", "cols", "in", "out", "param", "mask", "scale", "chunk"};
constexpr std::array<RowOp, 3> kOps = {RowOp::kSoftmax, RowOp::kLayerNorm, RowOp::kRmsNorm};
constexpr std::array<const char*, 5> kShapes = {"one_row", "partial_tile", "multi_tile", "long_row", "online"};
constexpr std::uint32_t kMaxTapCount = 4095;

DType float_dtype(const Params& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end()) throw std::invalid_argument(fmt::format("{} is missing: expected bf16 or fp32", key));
  if (it->second == "bf16") return DType::kBf16;
  if (it->second == "fp32") return DType::kFp32;
  throw std::invalid_argument(fmt::format("{}={}: expected bf16 or fp32", key, it->second));
}

// The case's op is `name` (a kernel of kernel_case_matmul.cpp, _block.cpp or _conv.cpp).
bool op_is(const Params& p, const char* name) {
  const auto it = p.find("op");
  return it != p.end() && it->second == name;
}
bool is_fused(const Params& p) { return op_is(p, "gemm_fused"); }
bool is_attention(const Params& p) { return op_is(p, "attention"); }
bool is_mlp(const Params& p) { return op_is(p, "mlp"); }
bool is_conv2d(const Params& p) { return op_is(p, "conv2d"); }
bool is_encoder(const Params& p) { return op_is(p, "encoder"); }

std::string dtypes_name(const kernels::RowwiseParams& k) {
  return fmt::format("{}->{}", golden::dtype_name(k.in), golden::dtype_name(k.out));
}

class KernelKind final : public CaseKind {
 public:
  std::string name() const override { return "kernel"; }
  bool supports(const std::string& config) const override { return golden::Config::by_name(config).vector_engine; }

  Params generate(const std::string& config, std::uint64_t seed) const override {
    const golden::Config cfg = golden::Config::by_name(config);
    std::mt19937_64 r(seed ^ 0x6b65726e656cull);
    auto pick = [&](unsigned n) { return static_cast<unsigned>(r() % n); };
    switch (pick(11)) {
      case 0:
      case 1: return generate_fused_case(cfg, r);
      case 2: return generate_attention_case(cfg, r);
      case 3: return generate_mlp_case(cfg, r);
      case 4: return generate_encoder_case(cfg, r);
      case 5: return generate_conv2d_case(cfg, r);
      default: break;
    }
    kernels::RowwiseParams k;
    k.op = kOps[pick(3)];
    k.in = pick(2) ? DType::kBf16 : DType::kFp32;
    k.out = pick(2) ? DType::kBf16 : DType::kFp32;
    k.param = pick(2) ? DType::kBf16 : DType::kFp32;
    k.mask_dtype = k.in;  // as parse_kernel_case reads it
    if (k.op == RowOp::kSoftmax) {
      k.mask = pick(2) == 0;
      k.scale = pick(2) ? 1.0f : 0.125f;
    }
    const std::uint32_t P = cfg.partitions;
    switch (pick(4)) {
      case 0: k.rows = 1; break;
      case 1: k.rows = 1 + pick(P - 1); break;
      default: k.rows = P + pick(4 * P); break;
    }
    const std::uint32_t max_cols = kernels::rowwise_max_cols(cfg, k);
    k.cols = 1 + pick(std::min(max_cols, 1200u));
    if (max_cols > kMaxTapCount && pick(5) == 0) {  // rows over more than one TAP dimension
      k.cols = kMaxTapCount + 1 + pick(max_cols - kMaxTapCount);
      k.rows = std::min(k.rows, 3 * P);
    }
    switch (pick(6)) {  // the online form: forced with small chunks, or rows longer than SBUF
      case 0:
        k.chunk = 1 + pick(std::min(k.cols, 700u));
        for (;;) {  // a forced chunk must fit (validate_rowwise says so otherwise)
          try {
            kernels::validate_rowwise(cfg, k);
            break;
          } catch (const kernels::KernelArgumentError&) {
            if (k.chunk == 1) throw;
            k.chunk /= 2;
          }
        }
        break;
      case 1:
        k.cols = max_cols + 1 + pick(max_cols);
        k.rows = std::min(k.rows, 2 * P);
        break;
      default: break;
    }
    Params p;
    p["op"] = std::string(kernels::row_op_name(k.op));
    p["rows"] = std::to_string(k.rows);
    p["cols"] = std::to_string(k.cols);
    p["in"] = std::string(golden::dtype_name(k.in));
    p["out"] = std::string(golden::dtype_name(k.out));
    p["param"] = std::string(golden::dtype_name(k.param));
    p["mask"] = std::to_string(k.mask ? 1 : 0);
    p["scale"] = std::string(k.scale == 1.0f ? "1" : "0.125");
    p["chunk"] = std::to_string(k.chunk);
    draw_dram(p, r);
    return p;
  }

  Outcome run(const std::string& config, std::uint64_t seed, const Params& p) const override {
    if (is_fused(p)) return run_fused_case(config, seed, p);
    if (is_attention(p)) return run_attention_case(config, seed, p);
    if (is_mlp(p)) return run_mlp_case(config, seed, p);
    if (is_encoder(p)) return run_encoder_case(config, seed, p);
    if (is_conv2d(p)) return run_conv2d_case(config, seed, p);
    const golden::Config cfg = golden::Config::by_name(config);
    const kernels::RowwiseParams k = parse_kernel_case(cfg, p);  // bad parameters throw first
    const kernels::RowwiseInputs in = kernels::random_rowwise_inputs(seed, k);
    using R = kernels::RowwiseHostResult;
    return run_kernel_pair<R>(
        config, seed, p, [&](driver::Device& d) { return kernels::rowwise(d, k, in); },
        [&](const R& r, const R& g, std::vector<std::string>& problems) {
          for (std::size_t i = 0; i < r.y.size(); ++i) {
            if (r.y.raw(i) != g.y.raw(i)) {
              problems.push_back(fmt::format("Y element {} (row {}, column {}): RTL 0x{:x}, golden 0x{:x}", i,
                                             i / k.cols, i % k.cols, r.y.raw(i), g.y.raw(i)));
              break;
            }
          }
          if (g.y != kernels::reference_rowwise(cfg, k, in)) {
            problems.push_back("golden Y differs from the architectural reference");
          }
          if (const auto f = kernels::check_rowwise_float64(cfg, k, in, r.y); !f.ok()) {
            problems.push_back(fmt::format("float64: {}", f.first_violation));
          }
          check_stated_bytes(r.result.counters, r.program.dram_rd_bytes, r.program.dram_wr_bytes, problems);
        },
        [](const R& r) -> const driver::RunResult& { return r.result; });
  }

  std::vector<Params> shrink(const std::string& config, const Params& p) const override {
    if (is_fused(p)) return shrink_fused_case(p);
    if (is_attention(p)) return shrink_attention_case(p);
    if (is_mlp(p)) return shrink_mlp_case(p);
    if (is_encoder(p)) return shrink_encoder_case(p);
    if (is_conv2d(p)) return shrink_conv2d_case(golden::Config::by_name(config), p);
    const golden::Config cfg = golden::Config::by_name(config);
    const kernels::RowwiseParams k = parse_kernel_case(cfg, p);
    std::vector<Params> out;
    auto variant = [&](const char* key, const std::string& v) {
      Params q = p;
      q[key] = v;
      if (q != p) out.push_back(std::move(q));
    };
    if (k.rows > 1) variant("rows", std::to_string(k.rows / 2));
    if (k.rows > 1) variant("rows", "1");
    if (k.cols > 1) variant("cols", std::to_string(k.cols / 2));
    if (k.chunk > 1) variant("chunk", std::to_string(k.chunk / 2));
    if (k.cols > 1) variant("cols", "1");
    variant("mask", "0");
    variant("scale", "1");
    variant("in", "bf16");
    variant("out", "bf16");
    variant("param", "bf16");
    for (Params& q : shrink_dram(p)) out.push_back(std::move(q));
    return out;
  }

  CoverageKey coverage(const std::string& config, const Params& p) const override {
    const Classes k = classify(golden::Config::by_name(config), p);
    CoverageKey c;
    c.dtype = k.dtype;
    c.shape_class = k.shape;
    c.values = k.values;
    c.stall = stall_class(p);
    return c;
  }

  std::vector<std::string> bins(const std::string& config, std::uint64_t /*seed*/, const Params& p) const override {
    return {classify(golden::Config::by_name(config), p).bin};
  }

 private:
  // A case's classes, for coverage() and bins() alike: its bin ("<op>/<shape>/<dtypes>", the
  // values class inside it for attention), the dtypes, the shape class and the values class.
  struct Classes {
    std::string bin, dtype, shape, values;
  };
  static Classes classify(const golden::Config& cfg, const Params& p) {
    auto simple = [](const char* op, std::string dtype, std::string shape, std::string values) {
      std::string bin = fmt::format("{}/{}/{}", op, shape, dtype);
      return Classes{std::move(bin), std::move(dtype), std::move(shape), std::move(values)};
    };
    auto from_bf16 = [](golden::DType out) { return fmt::format("bf16->{}", golden::dtype_name(out)); };
    if (is_attention(p)) {
      const kernels::AttentionParams a = parse_attention_case(cfg, p);
      const std::string shape = attention_shape_class(cfg, a), values = a.causal ? "causal" : "full";
      return Classes{fmt::format("attention/{}/{}/{}", shape, values, from_bf16(a.out)), from_bf16(a.out), shape,
                     values};
    }
    if (is_conv2d(p)) {
      const kernels::Conv2dParams k = parse_conv2d_case(cfg, p);
      return simple("conv2d", from_bf16(k.out), conv2d_shape_class(k), k.activation);
    }
    if (is_encoder(p)) {
      const kernels::EncoderParams e = parse_encoder_case(cfg, p);
      return simple("encoder", from_bf16(e.out), encoder_shape_class(cfg, e), e.activation);
    }
    if (is_mlp(p)) {
      const kernels::MlpParams m = parse_mlp_case(cfg, p);
      return simple("mlp", from_bf16(m.out), mlp_shape_class(cfg, m), m.activation);
    }
    if (is_fused(p)) {
      const FusedCase f = parse_fused_case(cfg, p);
      return simple("gemm_fused", fmt::format("{}->{}", golden::dtype_name(f.in), golden::dtype_name(f.out)),
                    fused_shape_class(cfg, f), f.act);
    }
    const kernels::RowwiseParams k = parse_kernel_case(cfg, p);
    return simple(std::string(kernels::row_op_name(k.op)).c_str(), dtypes_name(k), kernel_shape_class(cfg, k),
                  k.mask ? "masked" : "normal");
  }
};

}  // namespace

kernels::RowwiseParams parse_kernel_case(const golden::Config& cfg, const Params& p) {
  for (const auto& [key, v] : p) {
    if (key.rfind("dram_", 0) == 0) continue;
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) {
      throw std::invalid_argument(fmt::format(
          "{}={}: not a parameter of the kernel case kind (expected op, rows, cols, in, out, param, mask, scale or "
          "dram_*)",
          key, v));
    }
  }
  kernels::RowwiseParams k;
  const auto op = p.find("op");
  if (op == p.end()) throw std::invalid_argument("op is missing: expected softmax, layernorm or rmsnorm");
  const auto it =
      std::find_if(kOps.begin(), kOps.end(), [&](RowOp o) { return kernels::row_op_name(o) == op->second; });
  if (it == kOps.end())
    throw std::invalid_argument(fmt::format("op={}: expected softmax, layernorm or rmsnorm", op->second));
  k.op = *it;
  k.rows = param_number(p, "rows", 1, 4096, 0);
  k.cols = param_number(p, "cols", 1, 65536, 0);
  k.chunk = param_number(p, "chunk", 0, kMaxTapCount, 0);
  if (!p.count("rows") || !p.count("cols")) throw std::invalid_argument("rows and cols are required");
  k.in = float_dtype(p, "in");
  k.out = float_dtype(p, "out");
  k.param = float_dtype(p, "param");
  k.mask = param_number(p, "mask", 0, 1, 0) != 0 && k.op == RowOp::kSoftmax;
  k.mask_dtype = k.in;
  const auto sc = p.find("scale");
  if (sc != p.end() && sc->second != "1" && sc->second != "0.125") {
    throw std::invalid_argument(fmt::format("scale={}: expected 1 or 0.125", sc->second));
  }
  k.scale = sc != p.end() && sc->second == "0.125" ? 0.125f : 1.0f;
  try {
    kernels::validate_rowwise(cfg, k);
  } catch (const kernels::KernelArgumentError& e) {
    throw std::invalid_argument(e.what());
  }
  return k;
}

std::string kernel_shape_class(const golden::Config& cfg, const kernels::RowwiseParams& k) {
  if (kernels::plan_rowwise(cfg, k).online) return "online";
  if (k.cols > kMaxTapCount) return "long_row";
  if (k.rows == 1) return "one_row";
  return k.rows < cfg.partitions ? "partial_tile" : "multi_tile";
}

std::vector<std::string> kernel_bin_grid() {
  // long_row only where a row over 4095 elements fits in the SBUF of `default` (the largest chip
  // model) with bf16 parameters and no mask: not for LayerNorm with an fp32 input or output.
  const golden::Config big = golden::Config::standard();
  std::vector<std::string> g;
  for (RowOp op : kOps) {
    for (const char* s : kShapes) {
      for (DType in : {DType::kBf16, DType::kFp32}) {
        for (DType out : {DType::kBf16, DType::kFp32}) {
          kernels::RowwiseParams k;
          k.op = op;
          k.in = in;
          k.out = out;
          if (std::string_view(s) == "long_row" && kernels::rowwise_max_cols(big, k) <= kMaxTapCount) continue;
          g.push_back(fmt::format("{}/{}/{}", kernels::row_op_name(op), s, dtypes_name(k)));
        }
      }
    }
  }
  for (std::string& b : fused_bin_grid()) g.push_back(std::move(b));
  for (std::string& b : attention_bin_grid()) g.push_back(std::move(b));
  for (std::string& b : mlp_bin_grid()) g.push_back(std::move(b));
  for (std::string& b : encoder_bin_grid()) g.push_back(std::move(b));
  for (std::string& b : conv2d_bin_grid()) g.push_back(std::move(b));
  return g;
}

const CaseKind& kernel_kind() {
  static const KernelKind kind;
  return kind;
}

}  // namespace systole::verif::regress
