// systole-demo's kernel lines (make sim): one line per kernel family (softmax, LayerNorm, RMSNorm,
// attention, MLP, conv2d, encoder layer) beside the GEMM table, each run on the device and on the golden model and checked bit-exactly against
// both and the architectural reference, within its float64 bound, with the DRAM bytes of its
// formula (docs/kernels.md).
#include "demo_kernels.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "systole/kernels/attention.hpp"
#include "systole/kernels/conv2d.hpp"
#include "systole/kernels/encoder.hpp"
#include "systole/kernels/mlp.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::tools {

using golden::DType;
using kernels::RowOp;

namespace {

// One table line: the kernel's columns, then status, cycles, the share reached, instructions and
// the worst float64 error over its bound.
void print_line(const std::string& head, bool ok, const driver::Counters& c, const std::string& share, double ratio) {
  fmt::print("{}  {:<8} {:>9} {:>8} {:>6} {:>8.3f}\n", head, ok ? "match" : "MISMATCH",
             c.cycles ? fmt::format("{}", *c.cycles) : "n/a", c.cycles ? share : "n/a", c.instructions, ratio);
}

}  // namespace

int run_kernel_demo(driver::Device& dev, driver::Device& gold, std::uint64_t seed) {
  const golden::Config& cfg = dev.config();
  if (!cfg.vector_engine) {
    fmt::print("\nConfiguration '{}' has no vector engine: no softmax, LayerNorm or RMSNorm here.\n", cfg.name);
    return 0;
  }
  struct Run {
    RowOp op;
    std::uint32_t rows, cols;
    DType in;
    bool mask;
  };
  const std::uint32_t P = cfg.partitions;
  const Run runs[] = {{RowOp::kSoftmax, 2 * P + 3, 300, DType::kBf16, true},
                      {RowOp::kLayerNorm, 2 * P + 1, 256, DType::kBf16, false},
                      {RowOp::kRmsNorm, P + 5, 197, DType::kFp32, false}};
  fmt::print("\nVector-engine kernels (docs/kernels.md): Y bit-exact with the golden model and the architectural\n");
  fmt::print("reference, err/bnd against float64; of bound: share of the kernel's bound (section 3) reached.\n\n");
  fmt::print("{:<10} {:>5} {:>5}  {:<5} {:<5}  {:<8} {:>9} {:>8} {:>6} {:>8}\n", "kernel", "rows", "cols", "in", "mask",
             "status", "cycles", "of bound", "instr", "err/bnd");
  int failed = 0;
  for (const Run& r : runs) {
    kernels::RowwiseParams p;
    p.op = r.op;
    p.rows = r.rows;
    p.cols = r.cols;
    p.in = p.out = p.param = r.in;
    p.mask = r.mask;
    p.mask_dtype = r.in;
    p.scale = r.mask ? 0.125f : 1.0f;
    const std::string head = fmt::format("{:<10} {:>5} {:>5}  {:<5} {:<5}", kernels::row_op_name(r.op), r.rows, r.cols,
                                         golden::dtype_name(r.in), r.mask ? "yes" : "no");
    try {
      const kernels::RowwiseInputs in = kernels::random_rowwise_inputs(seed++, p);
      const kernels::RowwiseHostResult got = kernels::rowwise(dev, p, in);
      const kernels::RowwiseHostResult want = kernels::rowwise(gold, p, in);
      const kernels::RowwiseFloat64Check f = kernels::check_rowwise_float64(cfg, p, in, got.y);
      const auto& c = got.result.counters;
      const bool ok = got.y == want.y && got.y == kernels::reference_rowwise(cfg, p, in) && f.ok() &&
                      c.dram_rd_bytes == got.program.dram_rd_bytes && c.dram_wr_bytes == got.program.dram_wr_bytes;
      const double bound = kernels::rowwise_bound_cycles(cfg, got.program.plan, p, got.program.dram_rd_bytes,
                                                         got.program.dram_wr_bytes, 0);
      print_line(head, ok, c, fmt::format("{:.1f}%", 100 * bound / static_cast<double>(c.cycles.value_or(1))),
                 f.worst_ratio);
      failed += ok ? 0 : 1;
    } catch (const std::exception& e) {
      fmt::print("{}  ERROR    {}\n", head, e.what());
      ++failed;
    }
    std::fflush(stdout);
  }
  // One attention (flash form, causal, two heads).
  {
    kernels::AttentionParams p;
    p.heads = 2;
    p.sq = p.sk = 3 * P + 5;
    p.d = 32;
    p.causal = true;
    const std::string head = fmt::format("{:<10} {:>5} {:>5}  {:<5} {:<5}", "attention", p.sq, p.d, "bf16", "causal");
    try {
      const kernels::AttentionInputs in = kernels::random_attention_inputs(seed++, p);
      const kernels::AttentionHostResult got = kernels::attention(dev, p, in);
      const kernels::AttentionHostResult want = kernels::attention(gold, p, in);
      const auto f = kernels::check_attention_float64(cfg, p, in, got.o);
      const auto& c = got.result.counters;
      const bool ok = got.o == want.o && got.o == kernels::reference_attention(cfg, p, in) && f.ok() &&
                      c.dram_rd_bytes == got.program.dram_rd_bytes && c.dram_wr_bytes == got.program.dram_wr_bytes;
      print_line(head, ok, c, fmt::format("{:.1f}% u", 100 * got.program.utilization(cfg, c.cycles.value_or(0))),
                 f.worst_ratio);
      failed += ok ? 0 : 1;
    } catch (const std::exception& e) {
      fmt::print("{}  ERROR    {}\n", head, e.what());
      ++failed;
    }
  }
  // One MLP block (gelu_tanh, residual; weights resident).
  if (cfg.partitions == cfg.columns) {
    kernels::MlpParams p;
    p.tokens = 2 * P + 3;
    p.d = 48;
    p.f = 96;
    const std::string head = fmt::format("{:<10} {:>5} {:>5}  {:<5} {:<5}", "mlp", p.tokens, p.d, "bf16", "-");
    try {
      const kernels::MlpInputs in = kernels::random_mlp_inputs(seed++, p);
      const kernels::MlpHostResult got = kernels::mlp(dev, p, in);
      const kernels::MlpHostResult want = kernels::mlp(gold, p, in);
      const kernels::MlpReference ref = kernels::reference_mlp(cfg, p, in);
      const auto f = kernels::check_mlp_float64(p, in, ref, got.y).combined();
      const auto& c = got.result.counters;
      const bool ok = got.y == want.y && got.y == ref.y && f.ok() && c.dram_rd_bytes == got.program.dram_rd_bytes &&
                      c.dram_wr_bytes == got.program.dram_wr_bytes;
      print_line(head, ok, c, fmt::format("{:.1f}% u", 100 * got.program.utilization(cfg, c.cycles.value_or(0))),
                 f.worst_ratio);
      failed += ok ? 0 : 1;
    } catch (const std::exception& e) {
      fmt::print("{}  ERROR    {}\n", head, e.what());
      ++failed;
    }
  }
  // One conv2d (3x3, padding 1, bias + relu) and one small encoder layer.
  {
    kernels::Conv2dParams p;
    p.n = 2;
    p.h = p.w = 12;
    p.cin = 16;
    p.cout = 24;
    p.kh = p.kw = 3;
    p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = 1;
    p.bias = true;
    p.activation = "relu";
    const std::string head =
        fmt::format("{:<10} {:>5} {:>5}  {:<5} {:<5}", "conv2d", p.n * p.h * p.w, p.cin, "bf16", "3x3");
    try {
      const kernels::Conv2dInputs in = kernels::random_conv2d_inputs(seed++, p);
      const kernels::Conv2dHostResult got = kernels::conv2d(dev, p, in);
      const kernels::Conv2dHostResult want = kernels::conv2d(gold, p, in);
      const auto f = kernels::check_conv2d_float64(p, in, got.y);
      const auto& c = got.result.counters;
      const bool ok = got.y == want.y && got.y == kernels::reference_conv2d(cfg, p, in) && f.ok() &&
                      c.dram_rd_bytes == got.program.dram_rd_bytes && c.dram_wr_bytes == got.program.dram_wr_bytes;
      const double roof = kernels::conv2d_roofline_cycles(cfg, p, 0);
      print_line(head, ok, c, fmt::format("{:.1f}%", 100 * roof / static_cast<double>(c.cycles.value_or(1))),
                 f.worst_ratio);
      failed += ok ? 0 : 1;
    } catch (const std::exception& e) {
      fmt::print("{}  ERROR    {}\n", head, e.what());
      ++failed;
    }
  }
  if (cfg.partitions == cfg.columns) {
    kernels::EncoderParams p;  // S 64, D 64, 2 heads, F 256
    const std::string head = fmt::format("{:<10} {:>5} {:>5}  {:<5} {:<5}", "encoder", p.seq, p.d, "bf16", "-");
    try {
      const kernels::EncoderWeights w = kernels::random_encoder_weights(seed, p);
      const driver::Tensor x = kernels::random_encoder_input(seed++, p);
      const kernels::EncoderResult got = kernels::encoder_layer(dev, p, w, x);
      const kernels::EncoderResult want = kernels::encoder_layer(gold, p, w, x);
      const auto f = kernels::check_encoder_float64(cfg, p, w, x, got.t);
      const bool ok = kernels::first_encoder_mismatch(got.t, want.t).empty() &&
                      kernels::first_encoder_mismatch(got.t, kernels::reference_encoder(cfg, p, w, x)).empty() &&
                      f.ok() && got.bytes_as_stated();
      driver::Counters c = got.stages.front().result.counters;
      for (std::size_t i = 1; i < got.stages.size(); ++i) c = c + got.stages[i].result.counters;
      const double util =
          static_cast<double>(p.macs()) / (static_cast<double>(got.cycles()) * cfg.partitions * cfg.columns);
      print_line(head, ok, c, fmt::format("{:.1f}% u", 100 * util), f.worst_ratio);
      failed += ok ? 0 : 1;
    } catch (const std::exception& e) {
      fmt::print("{}  ERROR    {}\n", head, e.what());
      ++failed;
    }
  }
  fmt::print("\n{} of {} kernels passed (attention: rows = tokens, cols = head dim; mlp and encoder: rows = tokens,\n"
             "cols = D; conv2d: rows = output pixels, cols = Cin, of bound = of the array's peak; 'u' = array "
             "utilization)\n",
             7 - failed, 7);
  return failed;
}

}  // namespace systole::tools
