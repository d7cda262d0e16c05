// Functional coverage bins of a run (coverage.hpp says what is counted and why).
#include "coverage.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "kernel_case.hpp"
#include "link_case.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "vec_program_gen.hpp"

namespace systole::verif::regress {
namespace {

template <class Range, class T>
bool among(const Range& r, const T& v) {
  return std::find(std::begin(r), std::end(r), v) != std::end(r);
}

constexpr golden::DType kTensorDtypes[] = {golden::DType::kInt8, golden::DType::kBf16, golden::DType::kFp8};

}  // namespace

std::string bin_name(const GemmBin& b) {
  return fmt::format("{}/{}/{}/{}/{}", b.dtype, b.shape_class, b.accumulate ? "acc" : "noacc", b.values, b.stall);
}

void for_each_bin(const std::function<void(const GemmBin&)>& f) {
  for (auto d : kGemmDtypes)
    for (auto s : kShapeClasses)
      for (bool a : kAccumulate)
        for (auto v : kValueClasses)
          for (auto st : kStalls) f(GemmBin{std::string(d), std::string(s), a, std::string(v), std::string(st)});
}

bool Coverage::reachable(const GemmBin& b) const { return among(reachable_dtypes, b.dtype); }

Coverage functional_coverage(const Results& r) {
  Coverage cov;
  // Configurations of the run: the meta's list, else those the cases name.
  std::vector<std::string> configs = r.meta.configs;
  if (configs.empty()) {
    std::set<std::string> seen;
    for (const auto& c : r.cases) seen.insert(c.config);
    configs.assign(seen.begin(), seen.end());
  }
  std::set<std::string> enabled;
  for (const auto& name : configs) {
    const auto cfg = golden::Config::by_name(name);
    for (auto t : kTensorDtypes)
      if (cfg.tensor_dtype_enabled(t)) enabled.insert(std::string(golden::dtype_name(t)));
  }
  for (auto d : kGemmDtypes)
    if (enabled.count(std::string(d))) cov.reachable_dtypes.emplace_back(d);

  for_each_bin([&](const GemmBin& b) { cov.gemm[b] = 0; });
  for (auto c : kDmaCasts) {
    cov.dma_casts.emplace_back(c);
    for (auto st : kStalls) cov.dma[{std::string(c), std::string(st)}] = 0;
  }

  const std::vector<std::string> vgrid = vec_bin_grid();
  for (const auto& b : vgrid) cov.vec[b] = 0;
  cov.vec_grid_bins = vgrid.size();
  const std::vector<std::string> kgrid = kernel_bin_grid();
  for (const auto& b : kgrid) cov.kernel[b] = 0;
  cov.kernel_grid_bins = kgrid.size();
  const std::vector<std::string> lgrid = link_bin_grid();
  for (const auto& b : lgrid) cov.link[b] = 0;
  cov.link_grid_bins = lgrid.size();
  for (const auto& c : r.cases) {
    if (c.kind == "vector") {
      ++cov.vec_cases;
      for (const auto& b : c.bins) ++cov.vec[b];
    } else if (c.kind == "kernel") {
      ++cov.kernel_cases;
      for (const auto& b : c.bins) ++cov.kernel[b];
    } else if (c.kind == "link") {
      ++cov.link_cases;
      for (const auto& b : c.bins) ++cov.link[b];
    } else if (c.kind == "gemm") {
      ++cov.gemm_cases;
      auto it = cov.gemm.find(GemmBin{c.dtype, c.shape_class, c.accumulate, c.values, c.stall});
      if (it == cov.gemm.end()) ++cov.gemm_off_grid;
      else ++it->second;
    } else if (c.kind == "dma") {
      ++cov.dma_cases;
      if (!among(cov.dma_casts, c.dtype)) {
        cov.dma_casts.push_back(c.dtype);
        for (auto st : kStalls) cov.dma[{c.dtype, std::string(st)}] = 0;
      }
      if (among(kStalls, c.stall)) ++cov.dma[{c.dtype, c.stall}];
      else ++cov.dma_off_grid;
    }
  }
  for_each_bin([&](const GemmBin& b) {
    if (!cov.reachable(b)) return;
    ++cov.reachable_bins;
    if (cov.gemm.at(b) > 0) ++cov.reachable_hit;
    else cov.unhit.push_back(b);
  });
  for (const auto& b : vgrid)
    if (cov.vec.at(b) == 0) cov.vec_unhit.push_back(b);
  for (const auto& b : kgrid)
    if (cov.kernel.at(b) == 0) cov.kernel_unhit.push_back(b);
  for (const auto& b : lgrid)
    if (cov.link.at(b) == 0) cov.link_unhit.push_back(b);
  return cov;
}

std::string coverage_text(const Coverage& cov, std::size_t max_holes) {
  std::string s =
      fmt::format("GEMM: {} case(s); reachable bins ({}) hit {} of {} ({:.1f}%)", cov.gemm_cases,
                  fmt::join(cov.reachable_dtypes, ","), cov.reachable_hit, cov.reachable_bins, cov.reachable_percent());
  if (cov.gemm_off_grid) s += fmt::format("; {} case(s) outside the grid", cov.gemm_off_grid);
  s += '\n';
  // Hits along each axis (reachable bins only have hits, so these are plain case counts).
  std::map<std::string, std::uint64_t> axis[5];
  for (const auto& [b, n] : cov.gemm) {
    axis[0][b.dtype] += n;
    axis[1][b.shape_class] += n;
    axis[2][b.accumulate ? "acc" : "noacc"] += n;
    axis[3][b.values] += n;
    axis[4][b.stall] += n;
  }
  auto line = [&](const char* name, const std::map<std::string, std::uint64_t>& m, const auto& order) {
    s += fmt::format("  {:<8}", name);
    for (const auto& v : order) s += fmt::format(" {} {}", v, m.count(std::string(v)) ? m.at(std::string(v)) : 0);
    s += '\n';
  };
  line("dtype", axis[0], kGemmDtypes);
  line("shape", axis[1], kShapeClasses);
  line("chain", axis[2], std::array<std::string_view, 2>{"noacc", "acc"});
  line("values", axis[3], kValueClasses);
  line("stall", axis[4], kStalls);
  if (!cov.unhit.empty()) {
    s += fmt::format("  {} hole(s):", cov.unhit.size());
    for (std::size_t i = 0; i < cov.unhit.size() && i < max_holes; ++i) {
      s += ' ';
      s += bin_name(cov.unhit[i]);
    }
    if (cov.unhit.size() > max_holes) s += " ...";
    s += '\n';
  }
  if (cov.dma_cases) {
    std::size_t hit = 0, bins = 0;
    for (const auto& [k, n] : cov.dma) ++bins, hit += n > 0;
    s += fmt::format("DMA: {} program(s); cast x stall bins hit {} of {}", cov.dma_cases, hit, bins);
    if (cov.dma_off_grid) s += fmt::format("; {} outside the grid", cov.dma_off_grid);
    s += '\n';
  }
  // A grid of string bins: "<title>: <cases> <noun>; <axes> bins hit h of n; k hole(s): ...".
  const auto grid_line = [&](const char* title, std::uint64_t cases, const char* noun, const char* axes,
                             std::size_t bins, const std::vector<std::string>& unhit) {
    if (cases == 0) return;
    s += fmt::format("{}: {} {}; {} bins hit {} of {}", title, cases, noun, axes, bins - unhit.size(), bins);
    if (!unhit.empty()) {
      s += fmt::format("; {} hole(s):", unhit.size());
      for (std::size_t i = 0; i < unhit.size() && i < max_holes; ++i) s += ' ' + unhit[i];
      if (unhit.size() > max_holes) s += " ...";
    }
    s += '\n';
  };
  grid_line("VECTOR", cov.vec_cases, "program(s)", "opcode x dtype x function", cov.vec_grid_bins, cov.vec_unhit);
  grid_line("KERNEL", cov.kernel_cases, "call(s)", "kernel x shape class x dtypes", cov.kernel_grid_bins,
            cov.kernel_unhit);
  grid_line("LINK", cov.link_cases, "collective(s)", "collective x dtype x size class", cov.link_grid_bins,
            cov.link_unhit);
  return s;
}

}  // namespace systole::verif::regress
