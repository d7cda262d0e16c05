// Functional coverage bins of a run (coverage.hpp says what is counted and why).
#include "coverage.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"

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

  for (const auto& c : r.cases) {
    if (c.kind == "gemm") {
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
  return cov;
}

}  // namespace systole::verif::regress
