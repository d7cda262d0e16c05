// Functional coverage of a regression run, counted from the cases' coverage attributes
// (regress_record.hpp): GEMM bins dtype x shape_class x accumulate x values x stall, DMA bins
// cast x stall, vector bins opcode x out dtype x function (vec_program_gen.hpp: every vector
// instruction of a vector case's program counts once), kernel bins op x shape class x dtypes
// (kernel_case.hpp). A GEMM bin is reachable when its dtype is enabled on the tensor engine of at least
// one configuration of the run (golden::Config::tensor_dtype_enabled); the report gives the share
// of reachable bins hit and lists the holes. Every case that ran counts, failing ones included:
// coverage measures what the stimulus exercised, the status what the design did with it.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "regress_record.hpp"

namespace systole::verif::regress {

// The documented values of each axis, in display order.
inline constexpr std::string_view kGemmDtypes[] = {"int8", "bf16", "fp8"};
inline constexpr std::string_view kShapeClasses[] = {"unit", "single_tile", "multi_tile", "large"};
inline constexpr bool kAccumulate[] = {false, true};
inline constexpr std::string_view kValueClasses[] = {"normal", "special", "extremes"};
inline constexpr std::string_view kStalls[] = {"none", "latency", "backpressure", "reorder"};
// DMA programs: one cast for every transfer, or "mixed" (every transfer its own; dma_case.cpp).
inline constexpr std::string_view kDmaCasts[] = {"none", "fp32->bf16", "fp32->fp8", "int32->int8", "mixed"};

struct GemmBin {
  std::string dtype, shape_class;
  bool accumulate = false;
  std::string values, stall;
  auto operator<=>(const GemmBin&) const = default;
};
std::string bin_name(const GemmBin& b);
// Calls f for every bin of the documented grid, in display order (dtype, shape, acc, values, stall).
void for_each_bin(const std::function<void(const GemmBin&)>& f);  // "int8/multi_tile/acc/special/latency"

struct Coverage {
  // Every bin of the documented grid, zero hits included (map order; for_each_bin gives grid order).
  std::map<GemmBin, std::uint64_t> gemm;
  std::uint64_t gemm_cases = 0;
  std::uint64_t gemm_off_grid = 0;            // GEMM cases with an attribute outside the documented values
  std::vector<std::string> reachable_dtypes;  // in kGemmDtypes order
  std::size_t reachable_bins = 0, reachable_hit = 0;
  std::vector<GemmBin> unhit;  // reachable bins with no hit, grid order
  // DMA: (cast, stall) -> hits; documented casts are always present, other casts seen are added.
  std::map<std::pair<std::string, std::string>, std::uint64_t> dma;
  std::vector<std::string> dma_casts;  // rows: documented casts, then other casts seen
  std::uint64_t dma_cases = 0;
  std::uint64_t dma_off_grid = 0;  // DMA cases with a stall outside the documented values
  // Vector: "OP/dtype/function" -> instructions; the grid (vec_bin_grid) always present.
  std::map<std::string, std::uint64_t> vec;
  std::uint64_t vec_cases = 0;
  std::size_t vec_grid_bins = 0;       // the grid's bins (vec_bin_grid().size())
  std::vector<std::string> vec_unhit;  // grid bins with no hit, grid order
  // Kernel calls: "op/shape class/in->out" -> cases (kernel_bin_grid, kernel_case.hpp).
  std::map<std::string, std::uint64_t> kernel;
  std::uint64_t kernel_cases = 0;
  std::size_t kernel_grid_bins = 0;
  std::vector<std::string> kernel_unhit;
  // Collectives: "collective/dtype/size class" -> cases (link_bin_grid, link_case.hpp).
  std::map<std::string, std::uint64_t> link;
  std::uint64_t link_cases = 0;
  std::size_t link_grid_bins = 0;
  std::vector<std::string> link_unhit;

  bool reachable(const GemmBin& b) const;
  double reachable_percent() const {
    return reachable_bins ? 100.0 * static_cast<double>(reachable_hit) / static_cast<double>(reachable_bins) : 0;
  }
};

// Counts r's cases into the bins. Reachable dtypes come from r.meta.configs (from the cases'
// configs when the meta lists none); throws std::invalid_argument for an unknown configuration.
Coverage functional_coverage(const Results& r);

// A plain-text summary (systole-regress run --plan, the end of a run): reachable GEMM bins hit,
// the hits along each axis, the DMA casts x stalls, and the first `max_holes` holes by name.
std::string coverage_text(const Coverage& cov, std::size_t max_holes);

}  // namespace systole::verif::regress
