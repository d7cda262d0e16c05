// GEMM case kind: parameters, generation, shrinking and coverage (gemm_case.hpp). run() is in
// gemm_case_run.cpp.
#include "gemm_case.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <stdexcept>

#include "dram_knobs.hpp"

namespace systole::verif::regress {

using golden::DType;
using kernels::Fill;
using kernels::GemmPlacement;
using kernels::Layout;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

u64 g_max_macs = 0;  // --max-macs (0: per-configuration defaults)

constexpr u32 kMaxDim = 2048;

u64 parse_u64(const Params& p, const char* key, u64 lo, u64 hi) {
  const auto it = p.find(key);
  if (it == p.end()) throw std::invalid_argument(fmt::format("gemm: parameter {} is missing", key));
  const std::string& v = it->second;
  std::size_t used = 0;
  u64 n = 0;
  try {
    n = std::stoull(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (v.empty() || used != v.size() || v[0] == '-' || v[0] == '+' || n < lo || n > hi) {
    throw std::invalid_argument(fmt::format("gemm: {}={}: expected an integer in {}..{}", key, v, lo, hi));
  }
  return n;
}

const std::string& get(const Params& p, const char* key) {
  const auto it = p.find(key);
  if (it == p.end()) throw std::invalid_argument(fmt::format("gemm: parameter {} is missing", key));
  return it->second;
}

Layout parse_layout(const Params& p, const char* key) {
  const std::string& v = get(p, key);
  if (v == "row") return Layout::kRowMajor;
  if (v == "col") return Layout::kColMajor;
  throw std::invalid_argument(fmt::format("gemm: {}={}: expected row or col", key, v));
}

DType parse_dtype(const Params& p, const char* key) {
  const std::string& v = get(p, key);
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8, DType::kFp32, DType::kInt32}) {
    if (golden::dtype_name(t) == v) return t;
  }
  throw std::invalid_argument(fmt::format("gemm: {}={}: expected int8, bf16, fp8, fp32 or int32", key, v));
}

// Packed leading dimension of an operand (kernels::effective_ld with ld = 0).
u32 packed_ld(Layout l, u32 rows, u32 cols) { return l == Layout::kRowMajor ? cols : rows; }

bool is_prime(u32 n) {
  if (n < 2) return false;
  for (u32 d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

// One dimension in 1..lim, weighted toward the array's edges, primes and array multiples.
u32 draw_dim(std::mt19937_64& rng, const golden::Config& cfg, u32 lim) {
  auto pick = [&](u64 n) { return static_cast<u32>(rng() % n); };
  const u32 P = cfg.partitions, C = cfg.columns, NX = cfg.nmax;
  const u32 r = pick(20);
  if (r < 6) {  // the edges
    std::vector<u32> edges;
    for (u32 v : {1u, P - 1, P, P + 1, C - 1, C, C + 1, NX - 1, NX, NX + 1, kMaxDim}) {
      if (v >= 1 && v <= lim) edges.push_back(v);
    }
    return edges[pick(edges.size())];
  }
  if (r < 9) {  // a prime (the largest at or below a uniform draw)
    if (lim < 2) return 1;
    u32 v = 2 + pick(lim - 1);
    while (!is_prime(v)) --v;
    return v;
  }
  if (r < 12) {  // a multiple of P or C
    const u32 m = pick(2) ? P : C;
    if (lim >= m) return m * (1 + pick(lim / m));
  }
  if (r < 16) {  // log-uniform: as many small shapes as large ones
    const double x = std::exp(std::log(static_cast<double>(lim) + 1.0) * static_cast<double>(pick(1u << 20)) /
                              static_cast<double>(1u << 20));
    return std::clamp(static_cast<u32>(x), 1u, lim);
  }
  return 1 + pick(lim);
}

// The leading dimension of an operand: packed, a small odd padding, or a much larger one that
// still fits the per-operand allocation cap.
u32 draw_ld(std::mt19937_64& rng, u32 packed, u32 lines, u64 esz) {
  const u64 cap_bytes = std::uint64_t{12} << 20;
  auto fits = [&](u64 ld) { return (ld * (lines - 1) + packed + 8192) * esz <= cap_bytes; };
  const u32 r = static_cast<u32>(rng() % 20);
  if (r < 10) return 0;
  if (r < 17 || !fits(u64{packed} * 2 + 1038)) {
    const u32 ld = packed + 1 + static_cast<u32>(rng() % 37);
    return fits(ld) ? ld : 0;
  }
  return packed + 38 + static_cast<u32>(rng() % (packed + 1000));
}

u32 draw_offset(std::mt19937_64& rng) {
  const u32 r = static_cast<u32>(rng() % 10);
  if (r < 5) return 0;
  if (r < 8) return 1 + static_cast<u32>(rng() % 63);
  return 64 + static_cast<u32>(rng() % 8128);
}

class GemmKind final : public CaseKind {
 public:
  std::string name() const override { return "gemm"; }
  Params generate(const std::string& config, std::uint64_t seed) const override;
  Outcome run(const std::string& config, std::uint64_t seed, const Params& p) const override {
    return run_gemm_case(config, seed, p);
  }
  std::vector<Params> shrink(const std::string& config, const Params& p) const override;
  CoverageKey coverage(const std::string& config, const Params& p) const override;
};

// The shape class of a case (coverage.hpp; docs/verification.md section 2).
std::string_view shape_class(const golden::Config& cfg, u32 M, u32 K, u32 N) {
  if (M == 1 || K == 1 || N == 1) return "unit";
  if (M >= 512 || K >= 512 || N >= 512) return "large";
  if (M <= cfg.columns && N <= std::min<u32>(cfg.nmax, 512)) return "single_tile";
  return "multi_tile";
}

// One draw of (M, K, N): dimensions in random order (so 2048 can land on any of them), each
// limited by the MAC budget left and by the element cap of the operands it shares with the ones
// already drawn (every pair of M, K, N is an operand). One draw in five is a long accumulate
// chain: K first, at least 8 passes of P rows; one in eight is small (a tile or two in every
// dimension: the single-tile shapes and quick cases).
std::array<u32, 3> draw_shape(std::mt19937_64& rng, const golden::Config& cfg, u64 budget, u64 elems) {
  auto pick = [&](u64 n) { return static_cast<u32>(rng() % n); };
  std::array<u32, 3> dim = {0, 0, 0};  // M, K, N
  std::array<int, 3> order = {0, 1, 2};
  std::shuffle(order.begin(), order.end(), rng);
  const u32 mode = pick(40);
  const bool chain = mode < 8, small = mode >= 35;
  const std::array<u64, 3> small_lim = {2u * cfg.columns + 1, 3u * cfg.partitions + 1, cfg.nmax + 1u};
  if (chain) std::swap(order[0], *std::find(order.begin(), order.end(), 1));
  for (int i = 0; i < 3; ++i) {
    u64 lim = std::min<u64>(small ? small_lim[order[i]] : kMaxDim, budget);
    u64 drawn_product = 1;
    for (int j = 0; j < i; ++j) {
      lim = std::min<u64>(lim, elems / dim[order[j]]);
      drawn_product *= dim[order[j]];
    }
    lim = std::max<u64>(1, std::min<u64>(lim, budget / drawn_product));
    const int d = order[i];
    if (chain && i == 0 && lim >= 8u * cfg.partitions) {
      const double lo = std::log(8.0 * cfg.partitions), hi = std::log(static_cast<double>(lim));
      const double x = std::exp(lo + (hi - lo) * static_cast<double>(pick(1u << 20)) / static_cast<double>(1u << 20));
      dim[d] = std::clamp(static_cast<u32>(x), 8u * cfg.partitions, static_cast<u32>(lim));
    } else {
      dim[d] = draw_dim(rng, cfg, static_cast<u32>(lim));
    }
  }
  return dim;
}

Params GemmKind::generate(const std::string& config, std::uint64_t seed) const {
  const golden::Config cfg = golden::Config::by_name(config);
  std::mt19937_64 rng(seed);
  auto pick = [&](u64 n) { return static_cast<u32>(rng() % n); };
  const u64 budget = std::max<u64>(gemm_max_macs(config), 1);
  const u64 elems = gemm_max_elements(cfg, budget);

  // Coverage-directed shape: a target shape class (unit 1/5, single_tile 1/5, multi_tile 1/5,
  // large 2/5) and accumulate or not (1/2 each) first, then shapes drawn until one has both, at
  // most kShapeTries times (then the last draw stands: a class the budget cannot reach, e.g.
  // large under a tiny --max-macs). Left alone the shape draw gives about 60% large, 8%
  // single-tile and a quarter single-pass shapes, which left bins of the grid empty in a night.
  constexpr int kShapeTries = 4000;
  const u32 cls = pick(5);
  const std::string_view want = cls == 0 ? "unit" : cls == 1 ? "single_tile" : cls == 2 ? "multi_tile" : "large";
  const bool want_acc = pick(2) != 0;
  std::array<u32, 3> dim{};
  for (int t = 0; t < kShapeTries; ++t) {
    dim = draw_shape(rng, cfg, budget, elems);
    if (shape_class(cfg, dim[0], dim[1], dim[2]) == want && (dim[1] > cfg.partitions) == want_acc) break;
  }

  GemmCase g;
  g.M = dim[0];
  g.K = dim[1];
  g.N = dim[2];
  std::vector<DType> dts;
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp8}) {
    if (cfg.tensor_dtype_enabled(t)) dts.push_back(t);
  }
  // Weights int8 1, bf16 2, fp8 3: every chip has int8, fewer have the floats, so a run over
  // the three chips gives each dtype a similar number of cases.
  auto weight = [](DType t) -> u32 { return t == DType::kInt8 ? 1 : t == DType::kBf16 ? 2 : 3; };
  u32 wsum = 0;
  for (DType t : dts) wsum += weight(t);
  u32 w = pick(wsum);
  g.in = dts.back();
  for (DType t : dts) {
    if (w < weight(t)) {
      g.in = t;
      break;
    }
    w -= weight(t);
  }
  g.out = g.in == DType::kInt8 ? DType::kInt32 : pick(3) == 0 ? DType::kBf16 : DType::kFp32;
  const u64 isz = golden::dtype_size(g.in), osz = golden::dtype_size(g.out);
  auto place = [&](GemmPlacement& pl, u32 rows, u32 cols, u64 esz) {
    pl.layout = pick(2) ? Layout::kColMajor : Layout::kRowMajor;
    const u32 packed = packed_ld(pl.layout, rows, cols);
    pl.ld = draw_ld(rng, packed, pl.layout == Layout::kRowMajor ? rows : cols, esz);
    pl.offset = draw_offset(rng);
  };
  place(g.a, g.M, g.K, isz);
  place(g.b, g.K, g.N, isz);
  place(g.c, g.M, g.N, osz);
  const u32 f = pick(4);  // normal 1/2, special values 1/4, extremes 1/4
  g.fill = f < 2 ? Fill::kNormal : f == 2 ? Fill::kSpecial : Fill::kExtremes;

  Params p;
  set_gemm_params(p, g);
  draw_dram(p, rng);
  return p;
}

std::vector<Params> GemmKind::shrink(const std::string& config, const Params& p) const {
  const golden::Config cfg = golden::Config::by_name(config);
  const GemmCase g = parse_gemm_case(cfg, p);
  std::vector<Params> out;
  auto add = [&](const GemmCase& h) {
    Params q = p;
    set_gemm_params(q, h);
    if (q != p && std::find(out.begin(), out.end(), q) == out.end()) out.push_back(std::move(q));
  };
  // Dimensions: to 1, halved, three quarters, down to a multiple of the array, minus one (M and N
  // multiples of C, K of P). Leading dimensions stay valid: they were >= the packed value of larger sizes.
  const std::array<u32 GemmCase::*, 3> dims = {&GemmCase::M, &GemmCase::K, &GemmCase::N};
  const std::array<u32, 3> unit = {cfg.columns, cfg.partitions, cfg.columns};
  for (int step = 0; step < 5; ++step) {
    for (int d = 0; d < 3; ++d) {
      const u32 v = g.*dims[d];
      if (v <= 1) continue;
      GemmCase h = g;
      u32& w = h.*dims[d];
      if (step == 0) w = 1;
      else if (step == 1) w = v / 2;
      else if (step == 2) w = v - v / 4;  // when half is too small: approach the edge faster than -1
      else if (step == 3) w = v % unit[d] == 0 ? v - unit[d] : v - v % unit[d];
      else w = v - 1;
      if (w >= 1) add(h);
    }
  }
  // Packed strides, zero offsets, row-major layouts, normal values, fp32 out.
  GemmCase h = g;
  h.a.ld = h.b.ld = h.c.ld = 0;
  add(h);
  for (GemmPlacement GemmCase::*op : {&GemmCase::a, &GemmCase::b, &GemmCase::c}) {
    h = g;
    (h.*op).ld = 0;
    add(h);
  }
  h = g;
  h.a.offset = h.b.offset = h.c.offset = 0;
  add(h);
  for (GemmPlacement GemmCase::*op : {&GemmCase::a, &GemmCase::b, &GemmCase::c}) {
    h = g;
    (h.*op).offset = 0;
    add(h);
  }
  for (GemmPlacement GemmCase::*op : {&GemmCase::a, &GemmCase::b, &GemmCase::c}) {
    h = g;
    (h.*op).layout = Layout::kRowMajor;
    (h.*op).ld = 0;  // the old one counted lines of the other layout
    add(h);
  }
  h = g;
  h.fill = Fill::kNormal;
  add(h);
  if (g.out == DType::kBf16) {
    h = g;
    h.out = DType::kFp32;
    add(h);
  }
  for (Params& q : shrink_dram(p)) {
    if (std::find(out.begin(), out.end(), q) == out.end()) out.push_back(std::move(q));
  }
  return out;
}

CoverageKey GemmKind::coverage(const std::string& config, const Params& p) const {
  const golden::Config cfg = golden::Config::by_name(config);
  const GemmCase g = parse_gemm_case(cfg, p);
  CoverageKey k;
  k.dtype = std::string(golden::dtype_name(g.in));
  k.shape_class = std::string(shape_class(cfg, g.M, g.K, g.N));
  k.accumulate = g.K > cfg.partitions;
  k.values = std::string(fill_name(g.fill));
  k.stall = stall_class(p);
  return k;
}

}  // namespace

std::uint64_t gemm_default_max_macs(std::string_view config) {
  // About 1-5 s of CPU per case: mean / max CPU seconds over 14 seeds on the shared 2-core
  // machine: tiny 1.1 / 5.0, fpga 1.9 / 7.9, default 2.3 / 7.0 (docs/verification.md).
  if (config == "tiny") return 1'200'000;
  if (config == "fpga") return 16'000'000;
  if (config == "default") return 48'000'000;
  throw std::invalid_argument(fmt::format("gemm: no MAC budget for configuration '{}' (tiny, fpga, default)", config));
}

std::uint64_t gemm_max_macs(std::string_view config) {
  return g_max_macs != 0 ? g_max_macs : gemm_default_max_macs(config);
}

void set_gemm_max_macs(std::uint64_t macs) { g_max_macs = macs; }
std::uint64_t gemm_max_macs_override() { return g_max_macs; }

std::uint64_t gemm_max_elements(const golden::Config& cfg, std::uint64_t max_macs) {
  // The DMA moves about one element per cycle per queue; the array does P x C MACs per cycle.
  const u64 e = max_macs * cfg.dma_queues / (u64{cfg.partitions} * cfg.columns);
  return std::clamp<u64>(e, kMaxDim, u64{2} << 20);
}

std::string_view fill_name(Fill f) {
  switch (f) {
    case Fill::kNormal: return "normal";
    case Fill::kSpecial: return "special";
    case Fill::kExtremes: return "extremes";
  }
  return "?";
}

std::uint64_t operand_bytes(const GemmPlacement& pl, u32 rows, u32 cols, DType dtype) {
  const u32 ld = pl.ld ? pl.ld : packed_ld(pl.layout, rows, cols);
  return (pl.offset + kernels::strided_extent(pl.layout, ld, rows, cols)) * golden::dtype_size(dtype);
}

GemmCase parse_gemm_case(const golden::Config& cfg, const Params& p) {
  static const std::array<const char*, 15> kKeys = {"M",   "K",   "N",   "in",    "out",   "a",     "b",   "c",
                                                    "lda", "ldb", "ldc", "a_off", "b_off", "c_off", "fill"};
  for (const auto& [k, v] : p) {
    if (k.rfind("dram_", 0) == 0) continue;
    if (std::find_if(kKeys.begin(), kKeys.end(), [&](const char* x) { return k == x; }) == kKeys.end()) {
      throw std::invalid_argument(
          fmt::format("gemm: unknown parameter '{}' (expected M K N in out a b c lda ldb ldc a_off b_off c_off fill "
                      "dram_*)",
                      k));
    }
  }
  GemmCase g;
  g.M = static_cast<u32>(parse_u64(p, "M", 1, kMaxDim));
  g.K = static_cast<u32>(parse_u64(p, "K", 1, kMaxDim));
  g.N = static_cast<u32>(parse_u64(p, "N", 1, kMaxDim));
  g.in = parse_dtype(p, "in");
  g.out = parse_dtype(p, "out");
  try {
    kernels::validate_gemm_types(cfg, g.M, g.K, g.N, g.in, g.out);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(
        fmt::format("gemm: in={} out={} on {}: {}", get(p, "in"), get(p, "out"), cfg.name, e.what()));
  }
  const std::string& fill = get(p, "fill");
  if (fill == "normal") g.fill = Fill::kNormal;
  else if (fill == "special") g.fill = Fill::kSpecial;
  else if (fill == "extremes") g.fill = Fill::kExtremes;
  else throw std::invalid_argument(fmt::format("gemm: fill={}: expected normal, special or extremes", fill));

  u64 total = 0;
  auto operand = [&](GemmPlacement& pl, const char* lk, const char* ldk, const char* ok, u32 rows, u32 cols, DType t) {
    pl.layout = parse_layout(p, lk);
    const u32 packed = packed_ld(pl.layout, rows, cols);
    pl.ld = static_cast<u32>(parse_u64(p, ldk, 0, kernels::kGemmMaxLd));
    if (pl.ld != 0 && pl.ld < packed) {
      throw std::invalid_argument(fmt::format("gemm: {}={} with {}={} and {}x{}: expected 0 (packed) or at least {}",
                                              ldk, pl.ld, lk, get(p, lk), rows, cols, packed));
    }
    pl.offset = static_cast<u32>(parse_u64(p, ok, 0, 1u << 24));
    total += operand_bytes(pl, rows, cols, t) + 4096;
  };
  operand(g.a, "a", "lda", "a_off", g.M, g.K, g.in);
  operand(g.b, "b", "ldb", "b_off", g.K, g.N, g.in);
  operand(g.c, "c", "ldc", "c_off", g.M, g.N, g.out);
  // The program takes a few MiB at most; the allocator starts at 4 KiB.
  if (total > kGemmDramBytes - (u64{8} << 20)) {
    throw std::invalid_argument(fmt::format("gemm: A, B and C need {} bytes with these strides and offsets; at most {} "
                                            "fit in the case's {}-byte DRAM",
                                            total, kGemmDramBytes - (u64{8} << 20), kGemmDramBytes));
  }
  return g;
}

void set_gemm_params(Params& p, const GemmCase& g) {
  p["M"] = std::to_string(g.M);
  p["K"] = std::to_string(g.K);
  p["N"] = std::to_string(g.N);
  p["in"] = std::string(golden::dtype_name(g.in));
  p["out"] = std::string(golden::dtype_name(g.out));
  p["fill"] = std::string(fill_name(g.fill));
  const std::array<std::pair<const GemmPlacement*, const char*>, 3> ops = {{{&g.a, "a"}, {&g.b, "b"}, {&g.c, "c"}}};
  for (const auto& [pl, n] : ops) {
    p[n] = std::string(kernels::layout_name(pl->layout));
    p[fmt::format("ld{}", n)] = std::to_string(pl->ld);
    p[fmt::format("{}_off", n)] = std::to_string(pl->offset);
  }
}

const CaseKind& gemm_kind() {
  static const GemmKind kind;
  return kind;
}

}  // namespace systole::verif::regress
