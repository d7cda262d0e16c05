// DMA on the golden model (docs/isa.md DMA): element j of src goes to element j of dst.
#include <fmt/format.h>

#include <vector>

#include "exec_util.hpp"

namespace systole::golden {
namespace {

struct Loc {
  std::uint32_t partition;
  std::uint64_t byte;
};

std::vector<Loc> dap_locations(const Dap& d) {
  std::vector<Loc> out;
  out.reserve(static_cast<std::size_t>(d.size()));
  const std::int64_t sz = dtype_size(d.dtype);
  const bool dram = d.space == Space::kDram;
  for (std::uint32_t i3 = 0; i3 < d.dims[3].count; ++i3) {
    for (std::uint32_t i2 = 0; i2 < d.dims[2].count; ++i2) {
      for (std::uint32_t i1 = 0; i1 < d.dims[1].count; ++i1) {
        for (std::uint32_t i0 = 0; i0 < d.dims[0].count; ++i0) {
          std::int64_t e = std::int64_t{i0} * d.dims[0].stride + std::int64_t{i1} * d.dims[1].stride +
                           std::int64_t{i2} * d.dims[2].stride;
          std::int64_t part = 0;
          if (dram) {
            e += std::int64_t{i3} * d.dims[3].stride;
          } else {
            part = d.pstart + std::int64_t{i3} * d.dims[3].stride;
          }
          out.push_back(Loc{static_cast<std::uint32_t>(part), static_cast<std::uint64_t>(d.addr + e * sz)});
        }
      }
    }
  }
  return out;
}

// An AXI DECERR for any byte beyond the modelled DRAM is raised before anything moves.
void check_dram(Machine& m, const Dap& d, const std::vector<Loc>& locs, const char* side) {
  if (d.space != Space::kDram) return;
  const std::uint32_t sz = dtype_size(d.dtype);
  for (const Loc& l : locs) {
    if (l.byte + sz > m.dram().size()) {
      throw ExecFault{ErrorCode::kAxiError, fmt::format("{}: DRAM byte 0x{:x} is beyond the {}-byte memory (DECERR)",
                                                        side, l.byte, m.dram().size())};
    }
  }
}

}  // namespace

void exec_dma(Machine& m, const Dma& op) {
  const auto src = dap_locations(op.src);
  const auto dst = dap_locations(op.dst);
  check_dram(m, op.src, src, "src");
  check_dram(m, op.dst, dst, "dst");
  const DType t = op.src.dtype;
  for (std::size_t j = 0; j < src.size(); ++j) {
    const std::uint32_t v = detail::load_raw(m, op.src.space, src[j].partition, src[j].byte, t, 1);
    detail::store_raw(m, op.dst.space, dst[j].partition, dst[j].byte, t, v, 0);
  }
  const std::uint64_t bytes = src.size() * dtype_size(t);
  if (op.src.space == Space::kDram) m.counters().dram_rd_bytes += bytes;
  if (op.dst.space == Space::kDram) m.counters().dram_wr_bytes += bytes;
}

}  // namespace systole::golden
