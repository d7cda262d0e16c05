// Random vector programs for the "vector" case kind (vec_case.hpp): vector instructions of every
// opcode (verif/vector's InsnGen: every dtype pair, TAP shape, CAP, reduction, function and acc)
// mixed with MATMULs and DMAs, synchronized by sync_schedule.hpp's semaphores (one stream per
// DMA queue, the tensor engine and the vector engine), regenerated from (configuration, seed,
// parameters).
//
// A program is: fill the SBUF and PSUM regions from DRAM; with `tables`, DMA four random legal
// activation tables into the SBUF region and TABLE_LOAD them into slots 0..3; `n_insn` random
// instructions (vector, MATMUL or DMA by the weights; a random TABLE_LOAD gets a DMA of a legal
// table's words to its TAP first, except when its TAP has a size no table has); dump the SBUF and
// PSUM regions to DRAM; END. Without `tables`, an ACTIVATE TABLE on a slot never loaded stops the
// program with TABLE_ERROR, as does a TABLE_LOAD of a wrong size: the chip must stop with the
// golden model's code and index.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "case_kind.hpp"
#include "sync_schedule.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::verif::regress {

struct VecGenParams {
  unsigned n_insn = 16;               // random instructions before drops (1..64)
  unsigned vec = 8, mm = 1, dma = 1;  // weights 0..9 of vector instructions, MATMULs, DMAs (not all 0)
  unsigned queues = 2;                // DMA queues used (1..DMA_QUEUES)
  unsigned sync = 20;                 // % of instructions with an extra (unneeded) wait
  bool tables = true;                 // load the four table slots first
  std::string values = "random";      // initial data: random | near1 | corners
  std::vector<unsigned> drop;         // random instructions left out (indices < n_insn)
  bool legal_only = false;            // (not a key) no TABLE_LOAD of a size no table has: no error stop

  // Reads the keys (missing ones keep the defaults; dram_* keys are ignored here).
  // std::invalid_argument naming the key and what was expected.
  static VecGenParams from(const Params& p, const golden::Config& cfg);
  void store(Params& p) const;
};

// DRAM: one workspace from `base`: the initial data of the regions (FILL), the table images
// (TABLES), a read/write region for the random DMAs (RW), the dump of the regions (DUMP). On
// chip: a region of every partition in SBUF and in PSUM.
struct VecLayout {
  std::uint32_t base = 0, total = 0;
  std::uint32_t fill = 0, tables = 0, rw = 0, rw_bytes = 0, dump = 0;
  std::uint32_t sb_base = 0, sb_bytes = 0, ps_base = 0, ps_bytes = 0;  // per partition
  std::uint32_t sb_dump = 0, ps_dump = 0;  // DRAM address of each dump (partition p at + p * bytes)
};
std::uint32_t vec_workspace_bytes(const golden::Config& cfg);

struct VecProgram {
  VecLayout layout;
  golden::Windows windows{};
  std::vector<ProgItem> items;      // program order, END last
  std::vector<std::uint8_t> image;  // initial workspace bytes, [base, base + total)
  std::vector<golden::Instruction> instructions() const;
  // Functional coverage: "OP/dtype/function" of every vector instruction (vec_case.hpp).
  std::vector<std::string> bins;
  unsigned vector_insns = 0, matmuls = 0, dmas = 0;
  SyncStats sync;
};

// Throws std::logic_error if the result fails the golden static checks or the dispatch-order
// rule (a generator bug).
VecProgram build_vec_program(const golden::Config& cfg, std::uint64_t seed, const VecGenParams& gp, std::uint32_t base);

// The exact bytes a MATMUL or vector instruction reads and writes (TAPs, CAPs, the acc CAP).
Footprint insn_footprint(const golden::Instruction& insn);

// The coverage bin of a vector instruction: opcode / out dtype (TABLE_LOAD: fp32) / function
// (ACTIVATE) or "-"; and every bin of the grid, in display order.
std::string vec_bin(const golden::Instruction& insn);
std::vector<std::string> vec_bin_grid();

}  // namespace systole::verif::regress
