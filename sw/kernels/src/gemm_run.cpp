// GEMM on a device: windows, allocation, upload/download (gemm.hpp).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "device_memory.hpp"
#include "systole/kernels/gemm.hpp"

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

GemmRun run_gemm(driver::Device& dev, const GemmSpec& spec, GemmOptions opts) {
  opts.dram_bytes = std::min(opts.dram_bytes, dev.dram_size());
  GemmRun r;
  r.program = build_gemm(dev.config(), spec, opts);
  const u64 isz = golden::dtype_size(spec.in), osz = golden::dtype_size(spec.out);
  auto extent = [](const GemmOperand& op, std::uint32_t rows, std::uint32_t cols) {
    return strided_extent(op.layout, effective_ld(op, rows, cols), rows, cols);
  };
  // The DMA may read A and B and write C (their strided extents, gaps included), nothing else.
  golden::Windows w{};
  w[0] = window(spec.a.addr, extent(spec.a, spec.M, spec.K) * isz, false);
  w[1] = window(spec.b.addr, extent(spec.b, spec.K, spec.N) * isz, false);
  w[2] = window(spec.c.addr, extent(spec.c, spec.M, spec.N) * osz, true);
  if (spec.epilogue) {  // the epilogue's inputs: one read-only window over their span
    const GemmEpilogue& e = *spec.epilogue;
    u64 lo = ~u64{0}, hi = 0;
    auto span = [&](u64 a, u64 bytes) {
      if (bytes == 0) return;
      lo = std::min(lo, a);
      hi = std::max(hi, a + bytes);
    };
    if (e.bias_col) span(e.bias_col->addr, u64{spec.N} * golden::dtype_size(e.bias_col->dtype));
    if (e.bias_row) span(e.bias_row->addr, u64{spec.M} * golden::dtype_size(e.bias_row->dtype));
    if (e.residual && e.residual->addr != spec.c.addr) {
      const GemmOperand r{e.residual->addr, e.residual->layout, e.residual->ld};
      span(r.addr, extent(r, spec.M, spec.N) * golden::dtype_size(e.residual->dtype));
    }
    span(e.aux, epilogue_aux_image(e.activation).size() * 4);
    if (hi > lo) w[3] = window(static_cast<std::uint32_t>(lo), hi - lo, false);
  }
  driver::RunOptions ro;
  ro.timeout = opts.run_timeout;
  ro.windows = w;
  r.result = dev.run(r.program.encoded, ro);
  return r;
}

std::uint8_t gemm_canary_byte(unsigned which, std::uint64_t i) {
  // splitmix64 finaliser of (operand, byte offset): neighbouring bytes differ, so an element
  // written one slot off or a gap copied from elsewhere does not look intact.
  u64 z = i + (u64{which} + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<std::uint8_t>(z ^ (z >> 31));
}

namespace {

// An operand's place in its allocation: `lines` rows (row-major) or columns (col-major) of
// `line` elements, `ld` apart, the first at element `offset`. When ld > line the allocation
// ends with a tail of canaries (the start of the last line's gap, at most 64 bytes, so that a
// huge ld with one line does not double the allocation): a write past the end shows.
struct Placed {
  unsigned which;
  Layout layout;
  u64 rows, cols, ld, offset, esz;
  u64 lines() const { return layout == Layout::kRowMajor ? rows : cols; }
  u64 line() const { return layout == Layout::kRowMajor ? cols : rows; }
  u64 tail() const { return std::min(ld - line(), 64 / esz); }
  u64 alloc_bytes() const { return (offset + ld * (lines() - 1) + line() + tail()) * esz; }
  bool is_element_byte(u64 i) const {
    const u64 e = i / esz;
    if (e < offset) return false;
    const u64 q = e - offset;
    return q / ld < lines() && q % ld < line();
  }
};

Placed place(unsigned which, const GemmPlacement& p, u64 rows, u64 cols, DType dt) {
  const u64 packed = p.layout == Layout::kRowMajor ? cols : rows;
  return Placed{which, p.layout, rows, cols, p.ld == 0 ? packed : p.ld, p.offset, golden::dtype_size(dt)};
}

// The allocation's bytes: canaries everywhere, then the matrix (host row-major [rows, cols]).
std::vector<std::uint8_t> image(const Placed& pl, const driver::Tensor& t) {
  std::vector<std::uint8_t> img(pl.alloc_bytes());
  for (u64 i = 0; i < img.size(); ++i) img[i] = gemm_canary_byte(pl.which, i);
  const driver::Tensor lines = pl.layout == Layout::kRowMajor ? t : driver::transpose(t);
  const auto src = lines.bytes();
  const u64 lb = pl.line() * pl.esz;
  for (u64 l = 0; l < pl.lines(); ++l) {
    std::copy_n(src.begin() + static_cast<std::ptrdiff_t>(l * lb), lb,
                img.begin() + static_cast<std::ptrdiff_t>((pl.offset + l * pl.ld) * pl.esz));
  }
  return img;
}

// The matrix (host row-major [rows, cols]) out of an allocation's bytes.
driver::Tensor extract(const Placed& pl, const std::vector<std::uint8_t>& img, DType dt) {
  driver::Tensor lines(dt, {pl.lines(), pl.line()});
  const u64 lb = pl.line() * pl.esz;
  for (u64 l = 0; l < pl.lines(); ++l) {
    std::copy_n(img.begin() + static_cast<std::ptrdiff_t>((pl.offset + l * pl.ld) * pl.esz), lb,
                lines.bytes().begin() + static_cast<std::ptrdiff_t>(l * lb));
  }
  return pl.layout == Layout::kRowMajor ? lines : driver::transpose(lines);
}

void check_inputs(const driver::Tensor& a, const driver::Tensor& b) {
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
}

}  // namespace

GemmHostResult gemm(driver::Device& dev, const driver::Tensor& a, const driver::Tensor& b, DType out,
                    const GemmPlacement& pa, const GemmPlacement& pb, const GemmPlacement& pc,
                    const GemmOptions& opts) {
  check_inputs(a, b);
  GemmSpec s;
  s.M = static_cast<std::uint32_t>(a.shape()[0]);
  s.K = static_cast<std::uint32_t>(a.shape()[1]);
  s.N = static_cast<std::uint32_t>(b.shape()[1]);
  s.in = a.dtype();
  s.out = out;
  s.a = GemmOperand{0, pa.layout, pa.ld};
  s.b = GemmOperand{0, pb.layout, pb.ld};
  s.c = GemmOperand{0, pc.layout, pc.ld};
  // Shapes, dtypes and leading dimensions first, so that bad arguments are reported as such (not
  // as out of memory): validate_gemm on the operands laid end to end from address 0. The real
  // addresses are checked again by run_gemm().
  validate_gemm_types(dev.config(), s.M, s.K, s.N, s.in, s.out);
  {
    GemmSpec probe = s;
    const u64 isz = golden::dtype_size(s.in), osz = golden::dtype_size(s.out);
    const u64 ea = strided_extent(pa.layout, effective_ld(s.a, s.M, s.K), s.M, s.K) * isz;
    const u64 eb = strided_extent(pb.layout, effective_ld(s.b, s.K, s.N), s.K, s.N) * isz;
    auto addr = [](u64 x) { return static_cast<std::uint32_t>(std::min<u64>(x, 0xFFFFFFF0u)); };
    probe.b.addr = addr(ea);
    probe.c.addr = addr((probe.b.addr + eb + osz - 1) / osz * osz);
    validate_gemm(dev.config(), probe, GemmOptions{});
  }
  const std::array<Placed, 3> pl = {place(0, pa, s.M, s.K, s.in), place(1, pb, s.K, s.N, s.in),
                                    place(2, pc, s.M, s.N, out)};
  Allocations mem(dev);
  std::array<std::uint32_t, 3> base{};
  for (std::size_t i = 0; i < 3; ++i) base[i] = mem.alloc(pl[i].alloc_bytes());
  s.a.addr = static_cast<std::uint32_t>(base[0] + pl[0].offset * pl[0].esz);
  s.b.addr = static_cast<std::uint32_t>(base[1] + pl[1].offset * pl[1].esz);
  s.c.addr = static_cast<std::uint32_t>(base[2] + pl[2].offset * pl[2].esz);
  dev.upload(base[0], image(pl[0], a));
  dev.upload(base[1], image(pl[1], b));
  // C's elements are all written by the kernel: only its canaries need uploading (none when packed
  // at offset 0, which keeps the Layout overload as it always was).
  if (pl[2].alloc_bytes() != u64{s.M} * s.N * pl[2].esz) {
    dev.upload(base[2], image(pl[2], driver::Tensor(out, {s.M, s.N})));
  }
  GemmHostResult r{driver::Tensor{}, run_gemm(dev, s, opts), -1};
  std::vector<std::uint8_t> img(pl[2].alloc_bytes());
  dev.download(base[2], img);
  for (u64 i = 0; i < img.size(); ++i) {
    if (!pl[2].is_element_byte(i) && img[i] != gemm_canary_byte(2, i)) {
      r.c_canary_damage = static_cast<std::int64_t>(i);
      break;
    }
  }
  r.c = extract(pl[2], img, out);
  return r;
}

GemmHostResult gemm_fused(driver::Device& dev, const driver::Tensor& a, const driver::Tensor& b,
                          const EpilogueInputs& e, DType out, const GemmOptions& opts) {
  check_inputs(a, b);
  GemmSpec s;
  s.M = static_cast<std::uint32_t>(a.shape()[0]);
  s.K = static_cast<std::uint32_t>(a.shape()[1]);
  s.N = static_cast<std::uint32_t>(b.shape()[1]);
  s.in = a.dtype();
  s.out = out;
  validate_gemm_types(dev.config(), s.M, s.K, s.N, s.in, s.out, true);
  auto shape = [&](const std::optional<driver::Tensor>& t, const char* what, std::vector<u64> want) {
    if (t && t->shape() != want) {
      throw GemmArgumentError(
          fmt::format("gemm: {} is {}: expected shape [{}]", what, t->describe(), fmt::join(want, ", ")));
    }
  };
  shape(e.bias_col, "bias_col", {s.N});
  shape(e.bias_row, "bias_row", {s.M});
  shape(e.residual, "residual", {s.M, s.N});
  const std::vector<std::uint32_t> aux = epilogue_aux_image(e.activation);
  Allocations mem(dev);
  const u64 isz = golden::dtype_size(s.in), osz = golden::dtype_size(out);
  s.a = GemmOperand{mem.alloc(u64{s.M} * s.K * isz), Layout::kRowMajor, 0};
  s.b = GemmOperand{mem.alloc(u64{s.K} * s.N * isz), Layout::kRowMajor, 0};
  s.c = GemmOperand{mem.alloc(u64{s.M} * s.N * osz), Layout::kRowMajor, 0};
  dev.upload(s.a.addr, a);
  dev.upload(s.b.addr, b);
  // The epilogue's inputs in one allocation, each 64-byte aligned.
  const auto bytes = [](const std::optional<driver::Tensor>& t) {
    return t ? t->bytes() : std::span<const std::uint8_t>{};
  };
  const PackedRegion in_mem =
      upload_packed(dev, mem, {bytes(e.bias_col), bytes(e.bias_row), bytes(e.residual), word_bytes(aux)});
  GemmEpilogue ep;
  ep.alpha = e.alpha;
  ep.activation = e.activation;
  if (e.bias_col) ep.bias_col = EpilogueVector{in_mem.at[0], e.bias_col->dtype()};
  if (e.bias_row) ep.bias_row = EpilogueVector{in_mem.at[1], e.bias_row->dtype()};
  if (e.residual) ep.residual = EpilogueMatrix{in_mem.at[2], e.residual->dtype(), Layout::kRowMajor, 0};
  ep.aux = in_mem.at[3];
  s.epilogue = ep;
  GemmHostResult r{driver::Tensor{}, run_gemm(dev, s, opts), -1};
  r.c = dev.download(s.c.addr, out, {s.M, s.N});
  return r;
}

GemmHostResult gemm(driver::Device& dev, const driver::Tensor& a, const driver::Tensor& b, DType out, Layout a_layout,
                    Layout b_layout, Layout c_layout, const GemmOptions& opts) {
  return gemm(dev, a, b, out, GemmPlacement{a_layout, 0, 0}, GemmPlacement{b_layout, 0, 0},
              GemmPlacement{c_layout, 0, 0}, opts);
}

}  // namespace systole::kernels
