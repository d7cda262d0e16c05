// Internal: the fused epilogue's checks, SBUF plan and program emission for the GEMM builder
// (gemm_epilogue.hpp; docs/kernels.md section 7).
#pragma once

#include <cstdint>
#include <functional>

#include "loop_dma.hpp"
#include "systole/golden/builder.hpp"
#include "systole/kernels/gemm.hpp"

namespace systole::kernels::detail {

// Addresses, dtypes, the activation name and alpha (GemmArgumentError).
void validate_epilogue(const golden::Config& cfg, const GemmSpec& s, std::uint64_t dram_bytes);
// The epilogue's SBUF (offsets from the start of its region) for groups of at most `width`
// elements per lane.
GemmPlan::Epilogue plan_epilogue(const golden::Config& cfg, const GemmSpec& s, std::uint32_t width);
// The epilogue of the transposed problem C^T = B^T A^T: the biases swap roles, the residual is
// seen in the other layout.
GemmEpilogue transpose_epilogue(const GemmEpilogue& e);

// A [rows x cols] tile of a DRAM matrix (its element (0, 0) at `dram.addr`, `layout`, leading
// dimension `ld`) to or from partitions [0, rows) of `chip` (cols elements each).
LoopDma tile_transfer(bool to_chip, const Side& chip, const Side& dram, Layout layout, std::uint32_t ld,
                      std::uint32_t rows, std::uint32_t cols);

class EpilogueEmitter {
 public:
  EpilogueEmitter(const golden::Config& cfg, const GemmSpec& s, const GemmPlan& p, golden::ProgramBuilder& b,
                  DmaEmitter& dma);
  // The table, the biases (row bias as per-lane columns, column bias broadcast to every
  // partition) and a vector NOP that waits for them.
  void prologue();
  // Before a group's MATMULs: its residual tile into stage (group % 2).
  void before_group(std::uint32_t m0, std::uint32_t m, std::uint32_t n0, std::uint32_t n);
  // After the group's MATMULs (the last one signalled `mm`): the vector instructions reading PSUM
  // slot `slot` and the store to C. Returns what the next MATMUL into the slot must wait for.
  golden::Deps after_group(std::uint32_t mi, std::uint32_t m0, std::uint32_t m, std::uint32_t n0, std::uint32_t n,
                           std::uint32_t slot, golden::Sem mm);

 private:
  golden::Tap lanes(golden::Space sp, golden::DType t, std::uint32_t off, std::uint32_t m, std::uint32_t n) const;
  void vector_waits(const std::vector<golden::Deps>& waits);

  const golden::Config& cfg_;
  const GemmSpec& s_;
  const GemmEpilogue& e_;
  const GemmPlan& p_;
  golden::ProgramBuilder& b_;
  DmaEmitter& dma_;
  golden::DType acc_;
  std::uint32_t ldc_ = 0, ldr_ = 0;
  golden::ActFunc func_ = golden::ActFunc::kIdentity;  // the activation's, looked up once
  golden::Sem params_{}, params0_{}, table_{}, stored_[2]{}, rloaded_[2]{}, epi_[2]{}, drained_{};
  std::uint32_t group_ = 0;
};

}  // namespace systole::kernels::detail
