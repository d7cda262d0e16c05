// conv2d: argument checks, the plan and the roofline (conv2d.hpp; docs/kernels.md section 11).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "kernel_util.hpp"
#include "systole/kernels/conv2d.hpp"

namespace systole::kernels {

using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

using detail::align64;
using detail::ceil_div;

constexpr u64 kBlockBytes = 8192;     // a weight block's bytes per partition (about)
constexpr u32 kMaxTapStride = 32767;  // a TAP stride is a signed 16-bit element count

u32 out_size(u32 in, u32 pad0, u32 pad1, u32 k, u32 dil, u32 stride) {
  const u64 padded = u64{in} + pad0 + pad1, span = u64{k - 1} * dil + 1;
  return padded < span ? 0 : static_cast<u32>((padded - span) / stride + 1);
}

struct Sizes {
  u32 cin_g, cout_g, cpass, opass, gj;
  u64 block;  // a weight block's bytes per partition
};
Sizes sizes(const golden::Config& cfg, const Conv2dParams& p) {
  Sizes s{};
  s.cin_g = p.cin / p.groups;
  s.cout_g = p.cout / p.groups;
  s.cpass = ceil_div(s.cin_g, cfg.partitions);
  s.opass = ceil_div(s.cout_g, cfg.columns);
  const u64 chunk = u64{p.kh} * p.kw * s.cpass * cfg.columns * 2;
  s.gj = static_cast<u32>(std::clamp<u64>(kBlockBytes / chunk, 1, s.opass));
  s.block = align64(chunk * s.gj);
  return s;
}

// SBUF bytes per partition besides the weight slots, for tiles of `imgs` x `rows`.
u64 fixed_bytes(const Conv2dParams& p, const Sizes& s, u32 imgs, u32 rows) {
  const u64 hr = u64{rows - 1} * p.stride_h + u64{p.kh - 1} * p.dil_h + 1;
  const u64 hc = u64{p.ow() - 1} * p.stride_w + u64{p.kw - 1} * p.dil_w + 1;
  const u64 npix = u64{imgs} * rows * p.ow();
  return align64(epilogue_aux_image(p.activation).size() * 4) +
         align64(u64{p.groups} * s.opass * golden::dtype_size(p.bias_dtype)) +
         2 * align64(s.cpass * imgs * hr * hc * 2) + 2 * align64(s.gj * npix * golden::dtype_size(p.out));
}

}  // namespace

u32 Conv2dParams::oh() const { return out_size(h, pad_top, pad_bottom, kh, dil_h, stride_h); }
u32 Conv2dParams::ow() const { return out_size(w, pad_left, pad_right, kw, dil_w, stride_w); }
u64 Conv2dParams::macs() const { return u64{n} * oh() * ow() * kh * kw * (cin / groups) * cout; }

std::string Conv2dParams::describe() const {
  return fmt::format("N={} H={} W={} Cin={} -> Cout={}, kernel {}x{}, stride {}x{}, pad {},{},{},{}, dilation {}x{}, "
                     "groups {}",
                     n, h, w, cin, cout, kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right, dil_h,
                     dil_w, groups);
}

void validate_conv2d(const golden::Config& cfg, const Conv2dParams& p) {
  auto fail = [](const std::string& m) { throw KernelArgumentError("conv2d: " + m); };
  if (!cfg.vector_engine)
    fail(fmt::format("configuration '{}' has no vector engine: expected fpga, default or large", cfg.name));
  if (!cfg.bf16) fail(fmt::format("configuration '{}' has no bf16 on its tensor engine", cfg.name));
  if (p.n == 0 || p.h == 0 || p.w == 0 || p.cin == 0 || p.cout == 0 || p.kh == 0 || p.kw == 0) {
    fail(fmt::format("N = {}, H = {}, W = {}, Cin = {}, Cout = {}, kernel {}x{}: each must be at least 1", p.n, p.h,
                     p.w, p.cin, p.cout, p.kh, p.kw));
  }
  if (p.stride_h == 0 || p.stride_w == 0 || p.dil_h == 0 || p.dil_w == 0 || p.groups == 0) {
    fail(fmt::format("stride {}x{}, dilation {}x{}, groups {}: each must be at least 1", p.stride_h, p.stride_w,
                     p.dil_h, p.dil_w, p.groups));
  }
  if (p.cin % p.groups != 0 || p.cout % p.groups != 0) {
    fail(fmt::format("groups = {} must divide Cin = {} and Cout = {}", p.groups, p.cin, p.cout));
  }
  if (std::max({p.h, p.w, p.cin, p.cout, p.kh, p.kw, p.stride_h, p.stride_w, p.dil_h, p.dil_w, p.pad_top, p.pad_bottom,
                p.pad_left, p.pad_right}) > 65535) {
    fail("a size, stride, dilation or padding above 65535: expected less");
  }
  if (p.oh() == 0 || p.ow() == 0) {
    fail(fmt::format("the {}x{} kernel (dilation {}x{}) spans more than the padded {}x{} input: expected an output of "
                     "at least 1x1",
                     p.kh, p.kw, p.dil_h, p.dil_w, u64{p.h} + p.pad_top + p.pad_bottom,
                     u64{p.w} + p.pad_left + p.pad_right));
  }
  if (p.out != DType::kBf16 && p.out != DType::kFp32) {
    fail(fmt::format("output dtype {}: expected bf16 or fp32", golden::dtype_name(p.out)));
  }
  if (p.bias_dtype != DType::kBf16 && p.bias_dtype != DType::kFp32) {
    fail(fmt::format("bias dtype {}: expected bf16 or fp32", golden::dtype_name(p.bias_dtype)));
  }
  try {
    (void)epilogue_aux_image(p.activation);
  } catch (const KernelArgumentError& e) {
    fail(std::string(e.what()).substr(std::string("gemm: ").size()));
  }
  const u64 xb = u64{p.n} * p.h * p.w * p.cin * 2, yb = u64{p.n} * p.oh() * p.ow() * p.cout * 4,
            wb = u64{p.kh} * p.kw * (p.cin / p.groups) * p.cout * 2;
  if (std::max({xb, yb, wb}) >= (u64{1} << 31)) fail("the tensors need more than 2 GiB: expected less");
  const u32 npix_max = std::min<u32>(cfg.nmax, std::min<u32>(512, cfg.psum_bytes / 4 / 2));
  if (p.ow() > npix_max) {
    fail(fmt::format("output width OW = {}: expected at most {} (a tile is whole output rows, at most NMAX and half "
                     "the PSUM)",
                     p.ow(), npix_max));
  }
  const u64 hc = u64{p.ow() - 1} * p.stride_w + u64{p.kw - 1} * p.dil_w + 1;
  if (hc > 4095) {
    fail(fmt::format("input rows of {} elements (the window of one output row): expected at most 4095 (a TAP count)",
                     hc));
  }
  if (hc * p.stride_h > kMaxTapStride) {
    fail(fmt::format("input rows of {} elements (the window of one output row) with stride {}: expected at most {} "
                     "elements between output rows",
                     hc, p.stride_h, kMaxTapStride));
  }
  const Sizes s = sizes(cfg, p);
  const u64 need = fixed_bytes(p, s, 1, 1) + 2 * s.block;
  if (need > cfg.sbuf_bytes) {
    fail(fmt::format("one output row needs {} bytes of SBUF per partition (input halo, output stage, two weight "
                     "blocks); configuration '{}' has {}",
                     need, cfg.name, cfg.sbuf_bytes));
  }
}

Conv2dPlan plan_conv2d(const golden::Config& cfg, const Conv2dParams& p) {
  validate_conv2d(cfg, p);
  const Sizes s = sizes(cfg, p);
  const u32 OH = p.oh(), OW = p.ow();
  const u32 npix_max = std::min<u32>(cfg.nmax, std::min<u32>(512, cfg.psum_bytes / 4 / 2));
  Conv2dPlan r;
  r.cin_g = s.cin_g;
  r.cout_g = s.cout_g;
  r.cpass = s.cpass;
  r.opass = s.opass;
  r.gj = s.gj;
  r.blocks = ceil_div(s.opass, s.gj);
  // The largest tile: whole images while they fit in a MATMUL, else output rows; shrunk until
  // SBUF holds it with two weight slots; then balanced.
  u32 imgs = 1, rows = std::min(OH, npix_max / OW);
  if (u64{OH} * OW <= npix_max) {
    imgs = std::min<u32>(p.n, npix_max / (OH * OW));
    rows = OH;
  }
  auto halo_rows = [&](u32 nr) { return (nr - 1) * p.stride_h + (p.kh - 1) * p.dil_h + 1; };
  r.halo_cols = (OW - 1) * p.stride_w + (p.kw - 1) * p.dil_w + 1;
  while (imgs > 1 && u64{halo_rows(rows)} * r.halo_cols > kMaxTapStride) --imgs;
  while (fixed_bytes(p, s, imgs, rows) + 2 * s.block > cfg.sbuf_bytes) {
    if (imgs > 1) {
      --imgs;
    } else {
      rows = std::max<u32>(1, rows - std::max<u32>(1, rows / 8));
      if (rows == 1) break;
    }
  }
  r.img_tiles = ceil_div(p.n, imgs);
  r.imgs = ceil_div(p.n, r.img_tiles);
  r.row_tiles = ceil_div(OH, rows);
  r.rows = ceil_div(OH, r.row_tiles);
  r.tiles = r.img_tiles * r.row_tiles;
  r.npix = r.imgs * r.rows * OW;
  r.halo_rows = halo_rows(r.rows);
  const u64 fixed = fixed_bytes(p, s, r.imgs, r.rows);
  const u64 room = (cfg.sbuf_bytes - fixed) / s.block;
  r.resident = room >= r.blocks;
  r.wslots = r.resident ? r.blocks : static_cast<u32>(std::min<u64>(room, 3));
  r.wslot_bytes = static_cast<u32>(s.block);

  u64 off = 0;
  auto take = [&](u32& field, u64 bytes) {
    field = static_cast<u32>(off);
    off += align64(bytes);
  };
  take(r.table, epilogue_aux_image(p.activation).size() * 4);
  take(r.bias, u64{p.groups} * s.opass * golden::dtype_size(p.bias_dtype));
  for (u32& x : r.halo) take(x, u64{s.cpass} * r.imgs * r.halo_rows * r.halo_cols * 2);
  for (u32& x : r.stage) take(x, u64{s.gj} * r.npix * golden::dtype_size(p.out));
  take(r.wslot0, u64{r.wslots} * r.wslot_bytes);
  r.sbuf_used = static_cast<u32>(off);
  const u32 slot_words = std::min<u32>(512, cfg.psum_bytes / 4 / 2);
  r.ps[0] = 0;
  r.ps[1] = slot_words;
  return r;
}

std::string Conv2dPlan::describe() const {
  return fmt::format("{} tiles of {} image(s) x {} output rows ({} pixels), halo {}x{}, Cin/g in {} passes, Cout/g in "
                     "{} chunks, weights in {} blocks of {} chunks ({}, {} slots), {} bytes of SBUF per partition",
                     tiles, imgs, rows, npix, halo_rows, halo_cols, cpass, opass, blocks, gj,
                     resident ? "resident" : "streaming", wslots, sbuf_used);
}

double conv2d_roofline_cycles(const golden::Config& cfg, const Conv2dParams& p, double dram_bytes_per_cycle) {
  const double compute = static_cast<double>(p.macs()) / (cfg.partitions * cfg.columns);
  if (dram_bytes_per_cycle <= 0) return compute;
  const double bytes =
      static_cast<double>(u64{p.n} * p.h * p.w * p.cin * 2 + u64{p.kh} * p.kw * (p.cin / p.groups) * p.cout * 2 +
                          (p.bias ? u64{p.cout} * golden::dtype_size(p.bias_dtype) : 0) +
                          u64{p.n} * p.oh() * p.ow() * p.cout * golden::dtype_size(p.out));
  return std::max(compute, bytes / dram_bytes_per_cycle);
}

}  // namespace systole::kernels
