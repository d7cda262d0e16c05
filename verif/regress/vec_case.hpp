// The "vector" case kind of the random regression (case_kind.hpp): a random program of vector
// instructions of every opcode mixed with MATMULs and DMAs (vec_program_gen.hpp), run on the
// Verilated chip (RtlDevice) and on the golden device (race checker on) from the same initial
// DRAM, then compared: completion (an error stop: the same code, index and engine, and then a
// correct program runs after the soft reset and must match too), every byte of DRAM (the SBUF
// and PSUM regions are dumped into it by the program's last DMAs), the counters, and no AXI
// protocol violation. Only on configurations with the vector engine (fpga, default).
//
// Params (generate() draws all of them from the seed; run() takes any subset):
//   n_insn=1..64       random instructions (generated 1..32), before drops
//   drop=i,j,...       random instructions left out (the minimizer's "drop one")
//   vec=0..9 mm=0..9 dma=0..9   weights of vector instructions, MATMULs and DMAs (not all 0)
//   queues=1..Q        DMA queues used
//   sync=0..100        % of instructions given an extra wait nothing needs
//   tables=0|1         load the four table slots first (0: ACTIVATE TABLE may stop the program)
//   values=random|near1|corners   the initial data of the SBUF and PSUM regions
//   dram_*             DRAM behaviour (dram_knobs.hpp)
#pragma once

#include <cstdint>
#include <string>

#include "case_kind.hpp"
#include "vec_program_gen.hpp"

namespace systole::verif::regress {

// The program of a case, disassembled with each instruction's role (for failure reports).
std::string describe_vec_case(const std::string& config, std::uint64_t seed, const Params& p);

}  // namespace systole::verif::regress
