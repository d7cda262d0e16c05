// GEMM on a device: windows, allocation, upload/download (gemm.hpp).
#include <fmt/format.h>

#include "systole/kernels/gemm.hpp"

namespace systole::kernels {

using golden::DType;
using u64 = std::uint64_t;

namespace {

golden::Window window(std::uint32_t base, u64 bytes, bool write) {
  return golden::Window{base, static_cast<std::uint32_t>(base + bytes - 1), true, !write, write};
}

// Frees device allocations when it goes out of scope (also on exceptions).
class Allocations {
 public:
  explicit Allocations(driver::Device& dev) : dev_(dev) {}
  ~Allocations() {
    for (auto it = addrs_.rbegin(); it != addrs_.rend(); ++it) dev_.free(*it);
  }
  Allocations(const Allocations&) = delete;
  Allocations& operator=(const Allocations&) = delete;
  std::uint32_t alloc(u64 bytes) {
    addrs_.push_back(dev_.alloc(bytes, 64));
    return addrs_.back();
  }

 private:
  driver::Device& dev_;
  std::vector<std::uint32_t> addrs_;
};

}  // namespace

GemmRun run_gemm(driver::Device& dev, const GemmSpec& spec, GemmOptions opts) {
  opts.dram_bytes = std::min(opts.dram_bytes, dev.dram_size());
  GemmRun r;
  r.program = build_gemm(dev.config(), spec, opts);
  const u64 isz = golden::dtype_size(spec.in), osz = golden::dtype_size(spec.out);
  // The DMA may read A and B and write C, nothing else.
  golden::Windows w{};
  w[0] = window(spec.a.addr, u64{spec.M} * spec.K * isz, false);
  w[1] = window(spec.b.addr, u64{spec.K} * spec.N * isz, false);
  w[2] = window(spec.c.addr, u64{spec.M} * spec.N * osz, true);
  driver::RunOptions ro;
  ro.windows = w;
  r.result = dev.run(r.program.encoded, ro);
  return r;
}

GemmHostResult gemm(driver::Device& dev, const driver::Tensor& a, const driver::Tensor& b, DType out, Layout a_layout,
                    Layout b_layout, Layout c_layout, const GemmOptions& opts) {
  if (a.shape().size() != 2 || b.shape().size() != 2) {
    throw GemmArgumentError(fmt::format("gemm: A and B must be 2-D, got {} and {}", a.describe(), b.describe()));
  }
  if (a.dtype() != b.dtype()) {
    throw GemmArgumentError(fmt::format("gemm: A is {} but B is {}: both inputs must have the same dtype",
                                        golden::dtype_name(a.dtype()), golden::dtype_name(b.dtype())));
  }
  if (a.shape()[1] != b.shape()[0]) {
    throw GemmArgumentError(
        fmt::format("gemm: A is {} and B is {}: A's columns must equal B's rows (K)", a.describe(), b.describe()));
  }
  for (const u64 d : {a.shape()[0], a.shape()[1], b.shape()[1]}) {
    if (d > 0xFFFFFFFFu) throw GemmArgumentError(fmt::format("gemm: dimension {} does not fit in 32 bits", d));
  }
  GemmSpec s;
  s.M = static_cast<std::uint32_t>(a.shape()[0]);
  s.K = static_cast<std::uint32_t>(a.shape()[1]);
  s.N = static_cast<std::uint32_t>(b.shape()[1]);
  s.in = a.dtype();
  s.out = out;
  // Shapes and dtypes first, so that bad arguments are reported as such (not as out of memory);
  // the addresses are checked again by run_gemm().
  validate_gemm_types(dev.config(), s.M, s.K, s.N, s.in, s.out);
  Allocations mem(dev);
  s.a = GemmOperand{mem.alloc(a.bytes().size()), a_layout};
  s.b = GemmOperand{mem.alloc(b.bytes().size()), b_layout};
  s.c = GemmOperand{mem.alloc(u64{s.M} * s.N * golden::dtype_size(out)), c_layout};
  dev.upload(s.a.addr, a_layout == Layout::kRowMajor ? a : driver::transpose(a));
  dev.upload(s.b.addr, b_layout == Layout::kRowMajor ? b : driver::transpose(b));
  GemmHostResult r{driver::Tensor{}, run_gemm(dev, s, opts)};
  if (c_layout == Layout::kRowMajor) {
    r.c = dev.download(s.c.addr, out, {s.M, s.N});
  } else {
    r.c = driver::transpose(dev.download(s.c.addr, out, {s.N, s.M}));
  }
  return r;
}

}  // namespace systole::kernels
