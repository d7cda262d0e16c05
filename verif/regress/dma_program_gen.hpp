// Random DMA programs for the "dma" case kind (dma_case.hpp): the program is regenerated from
// (configuration, seed, a few scalar parameters), so the minimizer shrinks it by changing
// parameters (fewer instructions, one dropped, smaller sizes, fewer queues, no casts).
//
// A program is: fill the SBUF and PSUM regions from DRAM, `n_insn` random DMAs over the nine
// space pairs (random 4-dim patterns, partition dims, casts) on up to `queues` DMA queues, dump
// the SBUF and PSUM regions to DRAM, END. It is race-free by construction: the semaphores of
// sync_schedule.hpp, one stream per queue.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "case_kind.hpp"
#include "sync_schedule.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::verif::regress {

// The generator's parameters (keys of Params; docs in dma_case.hpp).
struct DmaGenParams {
  unsigned n_insn = 8;                                     // random DMAs before drops (1..64)
  unsigned queues = 2;                                     // DMA queues used (1..DMA_QUEUES)
  unsigned max_elems = 256;                                // elements per random DMA at most (1..4096)
  std::string casts = "all";                               // none | all | fp32->bf16 | fp32->fp8 | int32->int8
  std::array<unsigned, 9> mix{1, 1, 1, 1, 1, 1, 1, 1, 1};  // weights of src x dst (DRAM, SBUF, PSUM)
  unsigned sync = 20;                                      // % of instructions with an extra (unneeded) wait
  unsigned pdim = 30;                                      // % of on-chip patterns whose partition walk is not dim 3
  unsigned special = 20;       // % of 32-bit words of the initial data drawn from special values
  std::vector<unsigned> drop;  // random DMAs left out (indices < n_insn)

  // Reads the keys (missing ones keep the defaults; dram_* and unknown keys are ignored here).
  // std::invalid_argument naming the key and what was expected.
  static DmaGenParams from(const Params& p, const golden::Config& cfg);
  void store(Params& p) const;
};

// Where everything is. DRAM: one workspace from `base`: guard, RO (read-only window, random
// data, also the source of the SBUF/PSUM fill), RW (read/write window, random data), WO
// (write-only window, known pattern), DUMP (write-only window: the SBUF and PSUM regions at the
// end), guard. On chip: a region of every partition.
struct DmaLayout {
  std::uint32_t base = 0, total = 0;
  std::uint32_t ro = 0, ro_bytes = 0, rw = 0, rw_bytes = 0, wo = 0, wo_bytes = 0, dump = 0, dump_bytes = 0;
  std::uint32_t sb_base = 0, sb_bytes = 0, ps_base = 0, ps_bytes = 0;  // per partition
  std::uint32_t sb_dump = 0, ps_dump = 0;  // DRAM address of each dump (partition p at + p * bytes)
};
// The workspace size for this configuration (independent of the seed and of `base`).
std::uint32_t dma_workspace_bytes(const golden::Config& cfg);

using DmaItem = ProgItem;  // roles: "fill SBUF", "random 3", "dump PSUM", "sync NOP", "barrier NOP", "END"

struct DmaProgram {
  DmaLayout layout;
  golden::Windows windows{};
  std::vector<DmaItem> items;       // program order, END last
  std::vector<std::uint8_t> image;  // initial workspace bytes, [base, base + total)
  std::vector<golden::Instruction> instructions() const;
  // Index of the last instruction in program order that writes this byte, -1 if none.
  int last_writer(golden::Space s, std::uint32_t partition, std::uint64_t byte) const;
  // What a DRAM address is: "RW+0x1c", "dump of SBUF partition 2 byte 0x3f8", "guard", ...; for
  // a dump byte, also the on-chip location it came from.
  std::string describe_dram(std::uint32_t addr, golden::Space* onchip = nullptr, std::uint32_t* partition = nullptr,
                            std::uint64_t* byte = nullptr) const;
  // Coverage of the generated program.
  unsigned random_dmas = 0, casts = 0, pdim_patterns = 0, sync_waits = 0, extra_waits = 0, nops = 0;
  std::array<unsigned, 9> pairs{};  // src x dst, DRAM/SBUF/PSUM
};

// Builds the program for a workspace at `base` (from Device::alloc). Throws std::logic_error if
// the result fails the golden static checks or the dispatch-order rule (a generator bug).
DmaProgram build_dma_program(const golden::Config& cfg, std::uint64_t seed, const DmaGenParams& gp, std::uint32_t base);

// The footprint of a DMA (exact element bytes of both patterns).
Footprint dma_footprint(const golden::Dma& d);

}  // namespace systole::verif::regress
