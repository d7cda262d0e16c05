// Row-wise kernels: program emission (rowwise.hpp; docs/kernels.md section 2).
#include <fmt/format.h>

#include "rowwise_builder.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {

using golden::DType;
using u64 = std::uint64_t;

namespace {

using detail::RowwiseBuilder;

u64 tensor_bytes(const RowwiseParams& p, DType t) { return u64{p.rows} * p.cols * golden::dtype_size(t); }

void check_extent(const std::string& what, u64 addr, u64 bytes) {
  if (addr + bytes > (u64{1} << 32)) {
    throw KernelArgumentError(
        fmt::format("{} at 0x{:x} needs {} bytes, beyond the 32-bit DRAM address space", what, addr, bytes));
  }
}

}  // namespace

RowwiseProgram build_rowwise(const golden::Config& cfg, const RowwiseParams& p, const RowwiseAddrs& a) {
  RowwiseProgram out;
  out.plan = plan_rowwise(cfg, p);
  const std::string k(row_op_name(p.op));
  check_extent(k + ": X", a.x, tensor_bytes(p, p.in));
  check_extent(k + ": Y", a.y, tensor_bytes(p, p.out));
  // docs/kernels.md section 4: the online form reads X (and the mask) twice and the parameters
  // once per tile (once when they are resident).
  const u64 reads = out.plan.online ? 2 : 1;
  const u64 param_reads = out.plan.online && !out.plan.params_resident && !out.plan.chunk_major ? out.plan.tiles : 1;
  out.dram_rd_bytes = reads * tensor_bytes(p, p.in);
  out.dram_wr_bytes = tensor_bytes(p, p.out);
  if (p.mask) {
    check_extent(k + ": mask", a.mask, tensor_bytes(p, p.mask_dtype));
    out.dram_rd_bytes += reads * tensor_bytes(p, p.mask_dtype);
  }
  if (p.op != RowOp::kSoftmax) {
    const u64 par = u64{p.cols} * golden::dtype_size(p.param);
    check_extent(k + ": gamma", a.gamma, par);
    out.dram_rd_bytes += param_reads * par + 4 * square_table().to_words().size();
    if (p.op == RowOp::kLayerNorm) {
      check_extent(k + ": beta", a.beta, par);
      out.dram_rd_bytes += param_reads * par;
    }
  }
  RowwiseBuilder rb(cfg, p, a, out.plan);
  const golden::ProgramBuilder& b = rb.build();
  out.instructions = b.instructions();
  if (const auto v = driver::dispatch_order_violations(out.instructions); !v.empty()) {
    throw std::logic_error(k + ": internal error: " + v.front().describe());
  }
  out.encoded = b.finish();
  return out;
}

}  // namespace systole::kernels
