// DMA on the golden model (docs/isa.md DMA): element j of src goes to element j of dst.
#include <fmt/format.h>

#include <algorithm>
#include <array>
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
  std::array<std::uint32_t, 4> i{};
  for (i[3] = 0; i[3] < d.dims[3].count; ++i[3]) {
    for (i[2] = 0; i[2] < d.dims[2].count; ++i[2]) {
      for (i[1] = 0; i[1] < d.dims[1].count; ++i[1]) {
        for (i[0] = 0; i[0] < d.dims[0].count; ++i[0]) {
          std::int64_t e = 0;
          std::int64_t part = 0;
          for (std::size_t k = 0; k < 4; ++k) {
            const std::int64_t step = std::int64_t{i[k]} * d.dims[k].stride;
            // On chip, dim pdim walks partitions; DRAM has no partitions (pdim is 3 there and
            // dim 3 is an ordinary address dim).
            if (!dram && k == d.pdim) {
              part = d.pstart + step;
            } else {
              e += step;
            }
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
  const DType st = op.src.dtype;
  const DType dt = op.dst.dtype;
  // A remote destination is another chip's memory (docs/links.md section 5); that chip checks a
  // DRAM destination against its own windows and drops the whole write if it is outside them.
  Machine& target = op.dst.remote ? m.peer(op.dst.chip) : m;
  bool deliver = true;
  if (!op.dst.remote) {
    check_dram(m, op.dst, dst, "dst");
  } else if (op.dst.space == Space::kDram) {
    std::uint64_t lo = ~std::uint64_t{0}, hi = 0;
    for (const Loc& l : dst) {
      lo = std::min(lo, l.byte);
      hi = std::max(hi, l.byte + dtype_size(dt) - 1);
    }
    deliver = target.accept_remote_dram(m.chip().id, lo, hi);
  }
  for (std::size_t j = 0; j < src.size(); ++j) {
    std::uint32_t v = detail::load_raw(m, op.src.space, src[j].partition, src[j].byte, st, 1);
    // Same dtype: the raw bits (no DAZ, no NaN canonicalization). Casts: numerics.md section 4.
    if (st != dt)
      v = st == DType::kInt32 ? detail::from_int(dt, static_cast<std::int32_t>(v))
                              : detail::from_f32(dt, detail::to_f32(st, v));
    if (deliver) detail::store_raw(target, op.dst.space, dst[j].partition, dst[j].byte, dt, v, 0);
  }
  const std::uint64_t dst_bytes = dst.size() * dtype_size(dt);
  if (op.src.space == Space::kDram) m.counters().dram_rd_bytes += src.size() * dtype_size(st);
  if (op.dst.space == Space::kDram && deliver) target.counters().dram_wr_bytes += dst_bytes;
  if (op.dst.remote) {
    m.counters().link_tx_bytes += dst_bytes;
    if (deliver) target.counters().link_rx_bytes += dst_bytes;
    // The remote increment follows every write of the instruction.
    if (op.dst.rsig_en) {
      ++m.counters().remote_signals_tx;
      target.remote_signal(m.chip().id, m.current_engine(), op.dst.rsig_sem);
    }
  }
}

}  // namespace systole::golden
