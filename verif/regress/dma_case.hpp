// The "dma" case kind of the random regression (case_kind.hpp): a random program of DMAs over
// every space pair, cast and DMA queue, with semaphores between the queues (dma_program_gen.hpp),
// run on the Verilated chip (RtlDevice) and on the golden device (race checker on) from the same
// initial DRAM, then compared: completion, every byte of DRAM (the SBUF and PSUM regions are
// dumped into it by the program's last DMAs), DRAM_RD_BYTES, DRAM_WR_BYTES, INSTRUCTIONS,
// FETCH_BYTES within the prefetch allowance, and no AXI protocol violation.
//
// Params (generate() draws all of them from the seed; run() takes any subset, a missing key keeps
// its default; the program is regenerated from (config, seed, params)):
//   n_insn=1..64      random DMAs (generated 1..24), before drops
//   drop=i,j,...      random DMAs left out (the minimizer's "drop one")
//   queues=1..Q       DMA queues used (Q = the configuration's DMA_QUEUES)
//   max_elems=1..4096 elements per random DMA at most
//   casts=none|all|fp32->bf16|fp32->fp8|int32->int8   the casts the DMAs may use
//   mix=ddddddddd     weights 0..9 of src x dst, in the order DRAM->DRAM, DRAM->SBUF, DRAM->PSUM,
//                     SBUF->DRAM, SBUF->SBUF, SBUF->PSUM, PSUM->DRAM, PSUM->SBUF, PSUM->PSUM
//   sync=0..100       % of DMAs given an extra wait nothing needs
//   pdim=0..100       % of on-chip patterns whose partition walk is not dim 3
//   special=0..100    % of the initial data words drawn from cast corner values
//   dram_*            DRAM behaviour (dram_knobs.hpp)
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "case_kind.hpp"
#include "dma_program_gen.hpp"

namespace systole::sim {
class RtlDevice;
}

namespace systole::verif::regress {

struct DmaRunHooks {
  // Called after the RTL run, before the comparison: tests corrupt the RTL's DRAM here to show
  // that the comparison catches it.
  std::function<void(sim::RtlDevice&, const DmaProgram&)> after_rtl;
};

// What dma_kind().run() does, with test hooks.
Outcome run_dma_case(const std::string& config, std::uint64_t seed, const Params& p, const DmaRunHooks& hooks = {});

// The program of a case, disassembled with each instruction's role (for failure reports).
std::string describe_dma_case(const std::string& config, std::uint64_t seed, const Params& p);

}  // namespace systole::verif::regress
