// Row-wise kernels: argument checks, the SBUF plan, the square table (rowwise.hpp;
// docs/kernels.md section 2).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {

using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

constexpr u32 kMaxTapCount = 4095;  // TAP n0, n1, n2: 12 bits
constexpr u32 kStatsBytes = 64;     // 16 fp32 columns of per-row statistics
constexpr u32 kTableBytes = 64;     // the square table's 12 words, padded

u64 align64(u64 x) { return (x + 63) & ~u64{63}; }
bool is_row_float(DType t) { return t == DType::kBf16 || t == DType::kFp32; }
bool is_norm(RowOp op) { return op != RowOp::kSoftmax; }
u32 n_params(RowOp op) { return op == RowOp::kLayerNorm ? 2 : (op == RowOp::kRmsNorm ? 1 : 0); }

// Softmax over fp32 rows, no mask, fp32 out: the exponentials go to the I/O slot in place.
bool work_in_io(const RowwiseParams& p) {
  return p.op == RowOp::kSoftmax && !p.mask && p.in == DType::kFp32 && p.out == DType::kFp32;
}

// The SBUF bytes per partition a row of `cols` needs with `nbuf` I/O slots.
u64 sbuf_need(const RowwiseParams& p, u64 cols, u32 nbuf) {
  const u64 io = align64(cols * std::max(golden::dtype_size(p.in), golden::dtype_size(p.out)));
  const u64 mask = p.mask ? align64(cols * golden::dtype_size(p.mask_dtype)) : 0;
  const u64 par = n_params(p.op) * align64(cols * golden::dtype_size(p.param));
  const u64 table = is_norm(p.op) ? kTableBytes : 0;
  const u64 work = work_in_io(p) ? 0 : align64(cols * 4);
  return kStatsBytes + table + par + work + nbuf * (io + mask);
}

std::string_view names_of(RowOp op) {
  switch (op) {
    case RowOp::kSoftmax: return "softmax";
    case RowOp::kLayerNorm: return "layernorm";
    case RowOp::kRmsNorm: return "rmsnorm";
  }
  return "?";
}

}  // namespace

std::string_view row_op_name(RowOp op) { return names_of(op); }

const golden::act::Table& square_table() {
  // One segment at [0, 2^-126) (only +-0 after DAZ lands in it: c0 = 0), both boundary rules
  // linear q = x, and the MUL_X post-operation: mul(t, q) = mul(t, t) everywhere.
  static const golden::act::Table t = [] {
    golden::act::Table s;
    s.nseg = 1;
    s.degree = 0;
    s.left_linear = s.right_linear = true;
    s.mul_x = true;
    s.lo = 0;
    s.inv_w = 0x7E800000u;  // 2^126
    s.left_a = s.right_a = 0;
    s.left_b = s.right_b = 0x3F800000u;  // 1.0
    s.coef = {{0u, 0u, 0u, 0u}};
    return s;
  }();
  return t;
}

std::vector<std::uint32_t> rowwise_aux_image(const RowwiseParams& p) {
  if (!is_norm(p.op)) return {};
  return square_table().to_words();
}

// The SBUF bytes per partition the online form needs with chunks of `chunk`, `nbuf` input slots
// (with the mask and, unless `resident`, the parameter chunks) and as many output slots; with
// `resident`, the parameters of the whole row once.
u64 online_need(const RowwiseParams& p, u64 chunk, u32 nbuf, bool resident = false) {
  const u64 in = align64(chunk * golden::dtype_size(p.in)), out = align64(chunk * golden::dtype_size(p.out));
  const u64 mask = p.mask ? align64(chunk * golden::dtype_size(p.mask_dtype)) : 0;
  const u64 psz = golden::dtype_size(p.param);
  const u64 par = resident ? 0 : n_params(p.op) * align64(chunk * psz);
  const u64 whole = resident ? n_params(p.op) * align64(u64{p.cols} * psz) : 0;
  return kStatsBytes + (is_norm(p.op) ? kTableBytes : 0) + whole + align64(chunk * 4) + nbuf * (in + out + mask + par);
}

u32 rowwise_max_cols(const golden::Config& cfg, const RowwiseParams& p) {
  u64 lo = 0, hi = cfg.sbuf_bytes;  // a row needs at least 4 bytes per element
  while (lo < hi) {
    const u64 mid = (lo + hi + 1) / 2;
    if (sbuf_need(p, mid, 2) <= cfg.sbuf_bytes) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return static_cast<u32>(lo);
}

void validate_rowwise(const golden::Config& cfg, const RowwiseParams& p) {
  const std::string k(row_op_name(p.op));
  auto fail = [&](const std::string& msg) { throw KernelArgumentError(k + ": " + msg); };
  if (!cfg.vector_engine) {
    fail(fmt::format("configuration '{}' has no vector engine: expected fpga, default or large", cfg.name));
  }
  if (p.rows == 0 || p.cols == 0) {
    fail(fmt::format("rows = {}, cols = {}: both must be at least 1", p.rows, p.cols));
  }
  if (!is_row_float(p.in)) {
    fail(fmt::format("input dtype {} is not supported: expected bf16 or fp32", golden::dtype_name(p.in)));
  }
  if (!is_row_float(p.out)) {
    fail(fmt::format("output dtype {} is not supported: expected bf16 or fp32", golden::dtype_name(p.out)));
  }
  if (p.op == RowOp::kSoftmax) {
    if (!std::isfinite(p.scale) || !(p.scale > 0.0f)) {
      fail(fmt::format("scale = {}: expected a finite value greater than 0", p.scale));
    }
    if (p.mask && !is_row_float(p.mask_dtype)) {
      fail(fmt::format("mask dtype {} is not supported: expected bf16 or fp32", golden::dtype_name(p.mask_dtype)));
    }
  } else {
    if (p.mask) fail("a mask is only for softmax");
    if (!std::isfinite(p.eps) || !(p.eps > 0.0f)) {
      fail(fmt::format("eps = {}: expected a finite value greater than 0", p.eps));
    }
    if (!is_row_float(p.param)) {
      fail(fmt::format("gamma/beta dtype {} is not supported: expected bf16 or fp32", golden::dtype_name(p.param)));
    }
  }
  if (p.chunk > kMaxTapCount) {
    fail(fmt::format("chunk = {}: expected 0 (automatic) or 1..{} elements", p.chunk, kMaxTapCount));
  }
  if (online_need(p, std::min<u64>(p.chunk ? p.chunk : 1, p.cols), 2) > cfg.sbuf_bytes) {
    u32 fits = std::min<u32>(p.chunk ? p.chunk : 1, p.cols);
    while (fits > 0 && online_need(p, fits, 2) > cfg.sbuf_bytes) --fits;
    fail(fmt::format("chunks of {} elements do not fit in the {} bytes of SBUF per partition of configuration '{}' "
                     "with these dtypes: expected at most {}",
                     std::min<u32>(p.chunk ? p.chunk : 1, p.cols), cfg.sbuf_bytes, cfg.name, fits));
  }
  const u64 bytes = u64{p.rows} * p.cols * std::max(golden::dtype_size(p.in), golden::dtype_size(p.out));
  if (bytes >= (u64{1} << 31)) {
    fail(fmt::format("{} x {} elements need {} bytes per tensor: expected less than 2 GiB (32-bit DRAM addresses)",
                     p.rows, p.cols, bytes));
  }
}

RowwisePlan plan_rowwise(const golden::Config& cfg, const RowwiseParams& p) {
  validate_rowwise(cfg, p);
  RowwisePlan r;
  r.tiles = (p.rows + cfg.partitions - 1) / cfg.partitions;
  r.online = p.chunk != 0 || p.cols > rowwise_max_cols(cfg, p);
  if (r.online) {
    // Three slots each way with the longest chunk that fits (two when even 256 elements do not).
    const u32 want = p.chunk ? std::min(p.chunk, p.cols) : std::min(p.cols, kMaxTapCount);
    u32 c = want;
    // Norms: the whole row's parameters resident when they leave room for three slots of
    // chunks of 256 or more (each chunk's parameters otherwise come per tile, broadcast again).
    if (is_norm(p.op)) {
      while (c > 1 && online_need(p, c, 3, true) > cfg.sbuf_bytes) --c;
      r.params_resident = online_need(p, c, 3, true) <= cfg.sbuf_bytes && (c >= 256 || c == want);
      if (!r.params_resident) c = want;
    }
    // Otherwise read B runs chunk-major when every tile's statistics fit in an eighth of SBUF.
    r.chunk_major = is_norm(p.op) && !r.params_resident && u64{r.tiles} * kStatsBytes <= cfg.sbuf_bytes / 8;
    const u64 extra = r.chunk_major ? u64{r.tiles - 1} * kStatsBytes : 0;
    auto need = [&](u32 chunk, u32 nbuf) { return online_need(p, chunk, nbuf, r.params_resident) + extra; };
    while (c > 1 && need(c, 3) > cfg.sbuf_bytes) --c;
    r.nbuf = 3;
    if (need(c, 3) > cfg.sbuf_bytes || (c < 256 && c < want)) {
      c = want;
      while (c > 1 && need(c, 2) > cfg.sbuf_bytes) --c;
      r.nbuf = 2;
    }
    r.nout = r.nbuf;
    r.chunk = c;
    r.chunks = (p.cols + c - 1) / c;
    r.n0 = c;
    r.n1 = 1;
  } else {
    r.nbuf = sbuf_need(p, p.cols, 3) <= cfg.sbuf_bytes ? 3 : 2;
    r.n1 = (p.cols + kMaxTapCount - 1) / kMaxTapCount;
    r.n0 = p.cols / r.n1;
    r.tail = p.cols - r.n0 * r.n1;
  }
  const u32 mask_passes = !p.mask ? 0 : (p.scale == 1.0f ? 1 : 2);
  switch (p.op) {
    // Online softmax: the mask (and scale) steps run in both reads.
    case RowOp::kSoftmax: r.passes = 3 + mask_passes * (r.online ? 2 : 1); break;
    case RowOp::kLayerNorm: r.passes = 5; break;
    case RowOp::kRmsNorm: r.passes = 3; break;
  }
  const u64 len = r.online ? r.chunk : p.cols;  // elements per slot
  u64 off = 0;
  r.stats_off = 0;
  r.stats_stride = r.chunk_major ? kStatsBytes : 0;
  off += r.chunk_major ? u64{r.tiles} * kStatsBytes : kStatsBytes;
  const u64 par = align64(len * golden::dtype_size(p.param));
  r.work_in_io = !r.online && work_in_io(p);
  if (is_norm(p.op)) {
    r.table_off = static_cast<u32>(off);
    off += kTableBytes;
    if (!r.online || r.params_resident) {  // resident, broadcast once
      const u64 whole = align64(u64{p.cols} * golden::dtype_size(p.param));
      r.gamma_off = static_cast<u32>(off);
      off += whole;
      if (p.op == RowOp::kLayerNorm) {
        r.beta_off = static_cast<u32>(off);
        off += whole;
      }
    }
  }
  r.work_off = static_cast<u32>(off);
  if (!r.work_in_io) off += align64(len * 4);
  const u64 io = r.online ? align64(len * golden::dtype_size(p.in))
                          : align64(len * std::max(golden::dtype_size(p.in), golden::dtype_size(p.out)));
  for (u32 b = 0; b < r.nbuf; ++b) {
    r.io_off[b] = static_cast<u32>(off);
    off += io;
  }
  for (u32 b = 0; b < r.nout; ++b) {
    r.out_off[b] = static_cast<u32>(off);
    off += align64(len * golden::dtype_size(p.out));
  }
  if (p.mask) {
    const u64 m = align64(len * golden::dtype_size(p.mask_dtype));
    for (u32 b = 0; b < r.nbuf; ++b) {
      r.mask_off[b] = static_cast<u32>(off);
      off += m;
    }
  }
  if (r.online && is_norm(p.op) && !r.params_resident) {  // per slot: the chunk's parameters, per chunk
    for (u32 b = 0; b < r.nbuf; ++b) {
      r.param_off[b] = static_cast<u32>(off);
      off += n_params(p.op) * par;
    }
  }
  r.sbuf_used = static_cast<u32>(off);
  return r;
}

double rowwise_bound_cycles(const golden::Config& cfg, const RowwisePlan& plan, const RowwiseParams& p, u64 rd_bytes,
                            u64 wr_bytes, double dram_bytes_per_cycle) {
  const double vec = double(plan.passes) * p.rows * p.cols / cfg.partitions;
  const double axi = cfg.axi_data_bits / 8.0;
  double b = std::max({vec, double(rd_bytes) / axi, double(wr_bytes) / axi});
  if (dram_bytes_per_cycle > 0) b = std::max(b, double(rd_bytes + wr_bytes) / dram_bytes_per_cycle);
  return b;
}

std::string RowwisePlan::describe() const {
  if (online) {
    return fmt::format("online form: {} tiles of P rows, rows in {} chunks of {} elements read twice, {} input and {} "
                       "output slots{}, {} passes per row, {} bytes of SBUF per partition",
                       tiles, chunks, chunk, nbuf, nout,
                       params_resident ? ", parameters resident" : (chunk_major ? ", read B chunk-major" : ""), passes,
                       sbuf_used);
  }
  return fmt::format("{} tiles of P rows, {} I/O slots{}, {} passes per row, rows walked as {} x {}{}, {} bytes of "
                     "SBUF per partition",
                     tiles, nbuf, work_in_io ? " (exponentials in place)" : "", passes, n0, n1,
                     tail != 0 ? fmt::format(" + {}", tail) : std::string(), sbuf_used);
}

}  // namespace systole::kernels
