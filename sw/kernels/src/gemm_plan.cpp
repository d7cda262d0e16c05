// GEMM argument checks and tiling plan (gemm.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "gemm_epilogue_emit.hpp"
#include "systole/kernels/gemm.hpp"

namespace systole::kernels {

using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

std::string_view layout_name(Layout l) { return l == Layout::kRowMajor ? "row" : "col"; }
std::string_view mode_name(GemmMode m) { return m == GemmMode::kResidentB ? "resident-B" : "streaming"; }

namespace {

u64 align64(u64 x) { return (x + 63) & ~u64{63}; }
u64 ceil_div(u64 a, u64 b) { return (a + b - 1) / b; }

std::string supported_dtypes(const golden::Config& cfg) {
  std::string s;
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8}) {
    if (!cfg.tensor_dtype_enabled(t)) continue;
    s += s.empty() ? "" : ", ";
    s += golden::dtype_name(t);
  }
  return s;
}

struct Region {
  char name;
  u64 lo, hi;  // [lo, hi)
};

}  // namespace

void validate_gemm_types(const golden::Config& cfg, std::uint32_t M, std::uint32_t K, std::uint32_t N, DType in,
                         DType out, bool fused) {
  auto fail = [](std::string msg) { throw GemmArgumentError("gemm: " + msg); };
  for (const auto& [name, v] : {std::pair{"M", M}, std::pair{"K", K}, std::pair{"N", N}}) {
    if (v == 0) fail(fmt::format("{} = 0: every dimension must be at least 1 (got M={}, K={}, N={})", name, M, K, N));
  }
  if (in != DType::kInt8 && in != DType::kBf16 && in != DType::kFp8) {
    fail(fmt::format("input dtype {} is not a GEMM input: expected int8, bf16 or fp8", golden::dtype_name(in)));
  }
  if (!cfg.tensor_dtype_enabled(in)) {
    fail(fmt::format("input dtype {} is not supported by the tensor engine of configuration '{}' (it supports {})",
                     golden::dtype_name(in), cfg.name, supported_dtypes(cfg)));
  }
  if (fused) {
    if (!cfg.vector_engine) {
      fail(fmt::format("a fused epilogue needs the vector engine, which configuration '{}' does not have", cfg.name));
    }
    if (out != DType::kFp32 && out != DType::kBf16 && out != DType::kFp8 && out != DType::kInt8) {
      fail(fmt::format("output dtype {} is not available with a fused epilogue: expected fp32, bf16, fp8 or int8",
                       golden::dtype_name(out)));
    }
    return;
  }
  if (in == DType::kInt8 && out != DType::kInt32) {
    fail(fmt::format("output dtype {} is not available for int8 inputs: expected int32", golden::dtype_name(out)));
  }
  if (in != DType::kInt8 && out != DType::kFp32 && out != DType::kBf16) {
    fail(fmt::format("output dtype {} is not available for {} inputs: expected fp32 or bf16", golden::dtype_name(out),
                     golden::dtype_name(in)));
  }
}

std::uint32_t effective_ld(const GemmOperand& op, std::uint32_t rows, std::uint32_t cols) {
  if (op.ld != 0) return op.ld;
  return op.layout == Layout::kRowMajor ? cols : rows;
}

std::uint64_t strided_extent(Layout layout, std::uint32_t ld, std::uint32_t rows, std::uint32_t cols) {
  const u64 lines = layout == Layout::kRowMajor ? rows : cols;
  const u64 line = layout == Layout::kRowMajor ? cols : rows;
  return u64{ld} * (lines - 1) + line;
}

void validate_gemm(const golden::Config& cfg, const GemmSpec& s, const GemmOptions& opts) {
  auto fail = [](std::string msg) { throw GemmArgumentError("gemm: " + msg); };
  validate_gemm_types(cfg, s.M, s.K, s.N, s.in, s.out, s.epilogue.has_value());
  if (s.epilogue) detail::validate_epilogue(cfg, s, std::min(opts.dram_bytes, u64{1} << 32));
  const u64 isz = golden::dtype_size(s.in), osz = golden::dtype_size(s.out);
  const u64 dram = std::min(opts.dram_bytes, u64{1} << 32);
  const std::array<const GemmOperand*, 3> ops = {&s.a, &s.b, &s.c};
  const std::array<std::pair<u32, u32>, 3> dims = {std::pair{s.M, s.K}, std::pair{s.K, s.N}, std::pair{s.M, s.N}};
  const std::array<u64, 3> esz = {isz, isz, osz};
  const std::array<std::string, 3> what = {
      fmt::format("A ({} x {} {}, {})", s.M, s.K, golden::dtype_name(s.in), layout_name(s.a.layout)),
      fmt::format("B ({} x {} {}, {})", s.K, s.N, golden::dtype_name(s.in), layout_name(s.b.layout)),
      fmt::format("C ({} x {} {}, {})", s.M, s.N, golden::dtype_name(s.out), layout_name(s.c.layout)),
  };
  std::array<Region, 3> regions{};
  for (std::size_t i = 0; i < 3; ++i) {
    const GemmOperand& op = *ops[i];
    const auto [rows, cols] = dims[i];
    const u32 packed = op.layout == Layout::kRowMajor ? cols : rows;
    if (op.ld != 0 && op.ld < packed) {
      fail(fmt::format("{}: ld = {} is less than the {} elements of one {}: expected 0 (packed) or at least {}",
                       what[i], op.ld, packed, op.layout == Layout::kRowMajor ? "row" : "column", packed));
    }
    if (op.ld > kGemmMaxLd) {
      fail(fmt::format("{}: ld = {} cannot be encoded in a DMA access pattern: the maximum stride is {} elements",
                       what[i], op.ld, kGemmMaxLd));
    }
    const u32 ld = effective_ld(op, rows, cols);
    regions[i] = Region{"ABC"[i], op.addr, op.addr + strided_extent(op.layout, ld, rows, cols) * esz[i]};
  }
  for (std::size_t i = 0; i < 3; ++i) {
    const Region& r = regions[i];
    if (r.lo % esz[i] != 0) {
      fail(fmt::format("{} at 0x{:x} is not aligned to its {}-byte elements", what[i], r.lo, esz[i]));
    }
    if (r.hi > dram) {
      fail(fmt::format("{} with ld = {} needs bytes 0x{:x}..0x{:x} ({} bytes), which do not fit in the {}-byte DRAM",
                       what[i], effective_ld(*ops[i], dims[i].first, dims[i].second), r.lo, r.hi, r.hi - r.lo, dram));
    }
  }
  for (std::size_t i = 0; i < 3; ++i) {
    for (std::size_t j = i + 1; j < 3; ++j) {
      if (regions[i].lo < regions[j].hi && regions[j].lo < regions[i].hi) {
        fail(fmt::format(
            "{} [0x{:x}, 0x{:x}) and {} [0x{:x}, 0x{:x}) overlap (extents including the gaps of their strides): A, B "
            "and C must be disjoint",
            regions[i].name, regions[i].lo, regions[i].hi, regions[j].name, regions[j].lo, regions[j].hi));
      }
    }
  }
}

std::string GemmPlan::describe() const {
  return fmt::format(
      "{}{} mode: {} passes (last {} rows), {} m-tiles, {} n-blocks of {} columns{}, MATMUL N {}, {} stage(s) of {} "
      "passes, {} PSUM slots of {} words, SBUF A slots {} B and B slots {} B",
      transposed ? "transposed (C^T = B^T A^T), " : "", mode_name(mode), npass, last_kt, m_tiles, n_blocks, block_n,
      first_block_n != block_n ? fmt::format(" (the first {})", first_block_n) : std::string(), chunk_n, k_stages,
      stage_passes, psum_slots, psum_slot_words, a_slot_bytes, b_slot_bytes);
}

GemmPlan plan_gemm(const golden::Config& cfg, const GemmSpec& s, const GemmOptions& opts) {
  validate_gemm(cfg, s, opts);
  const u32 P = cfg.partitions, C = cfg.columns, Q = cfg.dma_queues;
  const u64 isz = golden::dtype_size(s.in);
  GemmPlan p;
  p.npass = static_cast<u32>(ceil_div(s.K, P));
  p.last_kt = s.K - (p.npass - 1) * P;
  p.m_tiles = static_cast<u32>(ceil_div(s.M, C));
  // PSUM: slots of one 2 KiB bank (512 words) when there are two banks or more, else halves.
  const u32 psum_words = cfg.psum_bytes / 4;
  p.psum_slot_words = std::min<u32>(512, std::max<u32>(1, psum_words / 2));
  p.psum_slots = std::min<u32>(8, psum_words / p.psum_slot_words);
  const u32 chunk_max = std::min(cfg.nmax, p.psum_slot_words);
  const GemmPlan::Epilogue epi = s.epilogue ? detail::plan_epilogue(cfg, s, chunk_max) : GemmPlan::Epilogue{};
  if (epi.bytes >= cfg.sbuf_bytes) {
    throw GemmArgumentError(fmt::format(
        "gemm: the fused epilogue needs {} bytes of SBUF per partition (biases, residual and output stages), more "
        "than the {} of configuration '{}'",
        epi.bytes, cfg.sbuf_bytes, cfg.name));
  }
  const u64 budget = opts.sbuf_bytes ? std::min(*opts.sbuf_bytes, cfg.sbuf_bytes) : cfg.sbuf_bytes;
  // The plan for `sbuf` bytes of A and B slots per partition.
  auto plan_in = [&](const u64 sbuf) {
    const u64 n_cap = std::min<u64>(s.N, opts.max_block_n.value_or(s.N));
    if (n_cap == 0) throw GemmArgumentError("gemm: max_block_n = 0: expected at least 1");

    // Rough cost of a plan in cycles: the larger of the array time and the DMA time.
    auto cost = [&](u64 n_blocks, u64 block_n, u64 chunks_per_block, bool streaming) {
      const u64 chunk = ceil_div(block_n, chunks_per_block);
      const u64 mm = u64{p.m_tiles} * n_blocks * chunks_per_block * p.npass;
      const u64 pe = mm * std::max<u64>(chunk, P + 2 * C + 2);
      const u64 b_reads = streaming ? u64{s.K} * s.N * p.m_tiles : u64{s.K} * s.N;
      const u64 dma = (u64{s.M} * s.K * n_blocks + b_reads + u64{s.M} * s.N) / Q;
      return std::max(pe, dma);
    };

    // Resident B: two A^T slots of all passes, two B blocks of all passes.
    std::optional<GemmPlan> resident;
    const u64 a_res = align64(u64{p.npass} * C * isz);
    if (!opts.force_streaming && 2 * a_res < sbuf) {
      const u64 per_b = ((sbuf - 2 * a_res) / 2) & ~u64{63};
      const u64 nb_max = std::min<u64>(per_b / (u64{p.npass} * isz), n_cap);
      if (nb_max >= 1) {
        GemmPlan r = p;
        r.mode = GemmMode::kResidentB;
        r.n_blocks = static_cast<u32>(ceil_div(s.N, nb_max));
        r.block_n = static_cast<u32>(ceil_div(s.N, r.n_blocks));
        r.first_block_n = r.block_n;
        // The first B block is loaded before the first MATMUL; a narrower first block lets the
        // array start sooner while the next block loads during its m-tiles. It stays wide enough
        // for back-to-back MATMULs (P + 2C + 2) and for its m-tiles to hide the loads of the next
        // A^T tiles (P x C / queues columns per pass, with a margin). build_gemm keeps it only
        // when the timing model says it is faster.
        const u64 first = std::max<u64>({P + 2 * C + 2, ceil_div(3 * u64{P} * C, 2 * u64{Q}), ceil_div(r.block_n, 4)});
        if (!opts.uniform_blocks && p.m_tiles >= 2 && r.block_n >= 2 * first) {
          const u64 rest = s.N - first;
          const u64 n_rest = ceil_div(rest, nb_max);
          r.first_block_n = static_cast<u32>(first);
          r.n_blocks = static_cast<u32>(1 + n_rest);
          r.block_n = static_cast<u32>(ceil_div(rest, n_rest));
        }
        const u32 chunks = static_cast<u32>(ceil_div(r.block_n, chunk_max));
        r.chunk_n = static_cast<u32>(ceil_div(r.block_n, chunks));
        r.stage_passes = p.npass;
        r.k_stages = 1;
        r.a_slot_bytes = static_cast<u32>(a_res);
        r.b_slot_bytes = static_cast<u32>(align64(u64{p.npass} * r.block_n * isz));
        resident = r;
      }
    }

    // Streaming: stages of `kc` passes; A and B tiles of a stage double-buffered.
    std::optional<GemmPlan> streaming;
    {
      u64 nb = std::min<u64>(chunk_max, n_cap);
      // Shrink the n-block until one pass of A and B fits twice.
      while (nb > 1 && 2 * align64(u64{C} * isz) + 2 * align64(nb * isz) > sbuf) nb = nb / 2;
      if (2 * align64(u64{C} * isz) + 2 * align64(nb * isz) <= sbuf) {
        GemmPlan r = p;
        r.mode = GemmMode::kStreaming;
        r.n_blocks = static_cast<u32>(ceil_div(s.N, nb));
        r.block_n = static_cast<u32>(ceil_div(s.N, r.n_blocks));
        r.first_block_n = r.block_n;
        r.chunk_n = r.block_n;
        u64 kc = std::min<u64>(p.npass, sbuf / (2 * (u64{C} + r.block_n) * isz));
        if (opts.max_stage_passes) kc = std::min<u64>(kc, *opts.max_stage_passes);
        kc = std::max<u64>(kc, 1);
        while (kc > 1 && 2 * align64(kc * C * isz) + 2 * align64(kc * r.block_n * isz) > sbuf) --kc;
        r.k_stages = static_cast<u32>(ceil_div(p.npass, kc));
        r.stage_passes = static_cast<u32>(ceil_div(p.npass, r.k_stages));
        r.a_slot_bytes = static_cast<u32>(align64(u64{r.stage_passes} * C * isz));
        r.b_slot_bytes = static_cast<u32>(align64(u64{r.stage_passes} * r.block_n * isz));
        streaming = r;
      }
    }

    if (!resident && !streaming) {
      throw GemmArgumentError(
          fmt::format("gemm: {} bytes of SBUF per partition cannot hold two A and two B tiles of one "
                      "pass (configuration '{}')",
                      sbuf, cfg.name));
    }
    GemmPlan chosen;
    if (resident && streaming) {
      const u64 cr = cost(resident->n_blocks, resident->block_n, ceil_div(resident->block_n, resident->chunk_n), false);
      const u64 cs = cost(streaming->n_blocks, streaming->block_n, 1, true);
      chosen = cr <= cs ? *resident : *streaming;
    } else {
      chosen = resident ? *resident : *streaming;
    }
    chosen.a_off[0] = 0;
    chosen.a_off[1] = chosen.a_slot_bytes;
    chosen.b_off[0] = 2 * chosen.a_slot_bytes;
    chosen.b_off[1] = 2 * chosen.a_slot_bytes + chosen.b_slot_bytes;
    return chosen;
  };
  // With an epilogue: the plain GEMM's plan when the epilogue fits in the SBUF it leaves (the
  // same tiles, so the same DRAM traffic), else a plan for what the epilogue leaves.
  GemmPlan chosen = plan_in(budget);
  if (epi.on && u64{chosen.b_off[1]} + chosen.b_slot_bytes + epi.bytes > cfg.sbuf_bytes) {
    chosen = plan_in(std::min<u64>(budget, cfg.sbuf_bytes - epi.bytes));
  }
  if (epi.on) {
    chosen.epi = epi;
    const u32 base = cfg.sbuf_bytes - epi.bytes;  // the epilogue's region is the top of SBUF
    for (u32* off :
         {&chosen.epi.table_off, &chosen.epi.lane_bias_off, &chosen.epi.free_bias_off, &chosen.epi.work_off,
          &chosen.epi.stage_off[0], &chosen.epi.stage_off[1], &chosen.epi.res_off[0], &chosen.epi.res_off[1]}) {
      *off += base;
    }
  }
  return chosen;
}

}  // namespace systole::kernels
