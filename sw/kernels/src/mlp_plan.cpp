// The MLP block: argument checks and the plan (mlp.hpp; docs/kernels.md section 9).
#include <fmt/format.h>

#include <algorithm>

#include "kernel_util.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::kernels {

using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

using detail::align64;
using detail::ceil_div;

// A weight block's bytes per partition are kept near this: large enough that a block's MATMULs
// hide the next block's load, small enough that the first one arrives soon.
constexpr u64 kBlockBytes = 4096;

struct SbufLayout {
  u64 fixed = 0;  // everything but the weight slots
  u32 g1 = 0, g2 = 0;
  u64 slot = 0;
};

SbufLayout layout_for(const golden::Config& cfg, const MlpParams& p, u32 tile, u32 x_slots = 2) {
  const u32 P = cfg.partitions, dpass = ceil_div(p.d, P), fpass = ceil_div(p.f, P);
  const u64 bsz = golden::dtype_size(p.bias), osz = golden::dtype_size(p.out);
  const u64 words = epilogue_aux_image(p.activation).size();
  SbufLayout l;
  l.fixed = align64(words * 4) + align64(fpass * bsz) + align64(dpass * bsz) +
            x_slots * align64(u64{dpass} * tile * 2) + align64(u64{fpass} * tile * 2) +
            2 * align64(u64{dpass} * tile * osz) + align64(u64{tile} * 4);
  const u64 w1_chunk = u64{dpass} * P * 2, w2_chunk = u64{fpass} * P * 2;
  l.g1 = static_cast<u32>(std::clamp<u64>(kBlockBytes / w1_chunk, 1, fpass));
  l.g2 = static_cast<u32>(std::clamp<u64>(kBlockBytes / w2_chunk, 1, dpass));
  l.slot = std::max(align64(w1_chunk * l.g1), align64(w2_chunk * l.g2));
  return l;
}

}  // namespace

void validate_mlp(const golden::Config& cfg, const MlpParams& p) {
  auto fail = [](const std::string& m) { throw KernelArgumentError("mlp: " + m); };
  if (!cfg.vector_engine)
    fail(fmt::format("configuration '{}' has no vector engine: expected fpga, default or large", cfg.name));
  if (!cfg.bf16) fail(fmt::format("configuration '{}' has no bf16 on its tensor engine", cfg.name));
  if (cfg.partitions != cfg.columns) fail("the array must be square (P = C): H^T's chunks are W2's passes");
  if (p.tokens == 0 || p.d == 0 || p.f == 0) {
    fail(fmt::format("tokens = {}, d = {}, f = {}: each must be at least 1", p.tokens, p.d, p.f));
  }
  if (p.out != DType::kBf16 && p.out != DType::kFp32) {
    fail(fmt::format("output dtype {}: expected bf16 or fp32", golden::dtype_name(p.out)));
  }
  if (p.bias != DType::kBf16 && p.bias != DType::kFp32) {
    fail(fmt::format("bias dtype {}: expected bf16 or fp32", golden::dtype_name(p.bias)));
  }
  try {
    (void)epilogue_aux_image(p.activation);
  } catch (const KernelArgumentError& e) {
    fail(std::string(e.what()).substr(std::string("gemm: ").size()));
  }
  const u64 big = std::max({u64{p.tokens} * p.d * 4, u64{p.d} * p.f * 2});
  if (big >= (u64{1} << 31)) fail("the tensors need more than 2 GiB: expected less");
  const SbufLayout l = layout_for(cfg, p, 1, 1);
  if (l.fixed + 2 * l.slot > cfg.sbuf_bytes) {
    fail(fmt::format("d = {}, f = {} need {} bytes of SBUF per partition even for one token (H^T of F features and "
                     "two weight slots); configuration '{}' has {}",
                     p.d, p.f, l.fixed + 2 * l.slot, cfg.name, cfg.sbuf_bytes));
  }
}

MlpPlan plan_mlp(const golden::Config& cfg, const MlpParams& p) {
  validate_mlp(cfg, p);
  const u32 P = cfg.partitions;
  const u32 slot_words = std::min<u32>(512, cfg.psum_bytes / 4 / 4);
  MlpPlan r;
  r.dpass = ceil_div(p.d, P);
  r.fpass = ceil_div(p.f, P);
  // The largest token tile (the MATMULs' moving size) whose buffers and two weight slots fit,
  // with X^T double-buffered, or single-buffered when that allows fewer, larger tiles (a tile
  // under P + 2C + 2 tokens leaves gaps between MATMULs); then balanced over the tiles.
  auto largest = [&](u32 x_slots) {
    u32 tile = std::min({p.tokens, cfg.nmax, slot_words});
    while (tile > 1) {
      const SbufLayout l = layout_for(cfg, p, tile, x_slots);
      if (l.fixed + 2 * l.slot <= cfg.sbuf_bytes) break;
      tile -= std::max<u32>(1, tile / 16);
    }
    const SbufLayout l = layout_for(cfg, p, tile, x_slots);
    return l.fixed + 2 * l.slot <= cfg.sbuf_bytes ? tile : 0;
  };
  const u32 two = largest(2), one = largest(1);
  r.x_slots = ceil_div(p.tokens, two) > ceil_div(p.tokens, one) ? 1 : 2;
  const u32 tile = r.x_slots == 2 ? two : one;
  r.tiles = ceil_div(p.tokens, tile);
  r.tile = ceil_div(p.tokens, r.tiles);
  const SbufLayout l = layout_for(cfg, p, r.tile, r.x_slots);
  r.g1 = l.g1;
  r.g2 = l.g2;
  r.w1_blocks = ceil_div(r.fpass, r.g1);
  r.w2_blocks = ceil_div(r.dpass, r.g2);
  r.wslot_bytes = static_cast<u32>(l.slot);
  const u64 room = (cfg.sbuf_bytes - l.fixed) / l.slot;
  const u32 blocks = r.w1_blocks + r.w2_blocks;
  r.resident = room >= blocks;
  r.wslots = r.resident ? blocks : static_cast<u32>(std::min<u64>(room, 3));

  u64 off = 0;
  auto take = [&](u32& field, u64 bytes) {
    field = static_cast<u32>(off);
    off += align64(bytes);
  };
  const u64 bsz = golden::dtype_size(p.bias), osz = golden::dtype_size(p.out);
  take(r.table, epilogue_aux_image(p.activation).size() * 4);
  take(r.b1, r.fpass * bsz);
  take(r.b2, r.dpass * bsz);
  for (u32 i = 0; i < 2; ++i) {
    if (i < r.x_slots) take(r.xt[i], u64{r.dpass} * r.tile * 2);
    else r.xt[i] = r.xt[0];
  }
  take(r.h, u64{r.fpass} * r.tile * 2);
  for (u32& x : r.ystage) take(x, u64{r.dpass} * r.tile * osz);
  take(r.work, u64{r.tile} * 4);
  take(r.wslot0, u64{r.wslots} * r.wslot_bytes);
  r.sbuf_used = static_cast<u32>(off);
  for (u32 i = 0; i < 2; ++i) {
    r.ps_h[i] = i * slot_words;
    r.ps_y[i] = (2 + i) * slot_words;
  }
  return r;
}

std::string MlpPlan::describe() const {
  return fmt::format(
      "{} token tiles of {} ({} X^T slot{}), W1 in {} blocks of {} chunks, W2 in {} blocks of {} chunks, "
      "{} weight slots ({}), {} bytes of SBUF per partition",
      tiles, tile, x_slots, x_slots == 1 ? "" : "s", w1_blocks, g1, w2_blocks, g2, wslots,
      resident ? "resident" : "streaming", sbuf_used);
}

}  // namespace systole::kernels
