// Row-wise kernels on a device: allocation, windows, upload/download (rowwise.hpp).
#include <fmt/format.h>

#include "device_memory.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {

using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

using detail::Allocations;
using detail::PackedRegion;
using detail::upload_packed;
using detail::window;
using detail::word_bytes;

}  // namespace

RowwiseHostResult rowwise(driver::Device& dev, const RowwiseParams& p, const RowwiseInputs& in) {
  validate_rowwise(dev.config(), p);
  const RowwiseParams given = rowwise_params(p.op, in, p.out, p.scale, p.eps);
  if (given.rows != p.rows || given.cols != p.cols || given.in != p.in || given.mask != p.mask ||
      (p.mask && given.mask_dtype != p.mask_dtype) || (p.op != RowOp::kSoftmax && given.param != p.param)) {
    throw KernelArgumentError(fmt::format("{}: the tensors (x {}) do not match the parameters ({} x {} {})",
                                          row_op_name(p.op), in.x.describe(), p.rows, p.cols,
                                          golden::dtype_name(p.in)));
  }
  Allocations mem(dev);
  RowwiseAddrs a;
  golden::Windows w{};
  const u64 xb = in.x.bytes().size(), yb = u64{p.rows} * p.cols * golden::dtype_size(p.out);
  a.x = mem.alloc(xb);
  a.y = mem.alloc(yb);
  dev.upload(a.x, in.x);
  w[0] = window(a.x, xb, false);
  w[1] = window(a.y, yb, true);
  if (p.mask) {
    a.mask = mem.alloc(in.mask->bytes().size());
    dev.upload(a.mask, *in.mask);
    w[2] = window(a.mask, in.mask->bytes().size(), false);
  }
  if (p.op != RowOp::kSoftmax) {
    // gamma, beta and the table image in one allocation (one read-only window).
    const std::vector<u32> aux = rowwise_aux_image(p);
    const PackedRegion par = upload_packed(
        dev, mem, {in.gamma->bytes(), in.beta ? in.beta->bytes() : std::span<const std::uint8_t>{}, word_bytes(aux)});
    a.gamma = par.at[0];
    a.beta = par.at[1];
    a.aux = par.at[2];
    w[2] = window(par.base, par.bytes, false);
  }
  RowwiseHostResult r;
  r.program = build_rowwise(dev.config(), p, a);
  driver::RunOptions ro;
  ro.windows = w;
  r.result = dev.run(r.program.encoded, ro);
  r.y = dev.download(a.y, p.out, {p.rows, p.cols});
  return r;
}

}  // namespace systole::kernels
