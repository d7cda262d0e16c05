// systole-demo's kernel lines (make sim): one line per kernel family (softmax, LayerNorm, RMSNorm,
// attention, MLP) beside the GEMM table, each run on the device and on the golden model and checked bit-exactly against
// both and the architectural reference, within its float64 bound, with the DRAM bytes of its
// formula (docs/kernels.md).
#include "demo_kernels.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "systole/kernels/attention.hpp"
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
  fmt::print("\n{} of {} kernels passed (attention: rows = tokens, cols = head dim; mlp: rows = tokens, cols = D;\n"
             "'u' = array utilization)\n",
             5 - failed, 5);
  return failed;
}

}  // namespace systole::tools
