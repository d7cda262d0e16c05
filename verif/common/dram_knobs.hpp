// Random DRAM behaviour (latency, jitter, back-pressure on every channel, bandwidth, legal
// reordering and read interleaving across IDs) as key=value parameters, shared by every regression
// case kind and by the chip GEMM tests, so that both draw DRAM the same way.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "params.hpp"
#include "systole/sim/axi_memory.hpp"

namespace systole::verif {

// Draws a DRAM behaviour into p (keys: dram_rl, dram_rj, dram_wl, dram_wj, dram_par, dram_paw,
// dram_pw, dram_pr, dram_pb, dram_bpc, dram_reorder, dram_interleave).
void draw_dram(Params& p, std::mt19937_64& rng);
// Applies the dram_* keys of p to m (missing keys keep m's values); throws std::invalid_argument
// for a malformed value.
void apply_dram(const Params& p, sim::AxiMemoryConfig& m);
// "none" (no back-pressure, latency <= 8, no reordering), "latency" (longer latency or jitter
// only), "backpressure" (ready-low / valid-gap probabilities or a bandwidth cap), "reorder"
// (responses reordered or interleaved across IDs): the most disruptive that applies.
std::string stall_class(const Params& p);
// Draws a DRAM behaviour (draw_dram) and applies it to m (apply_dram): one run's memory as the
// regression draws it. Returns "DRAM (<stall class>): <key=value text>" for a failure message.
std::string randomize_dram(sim::AxiMemoryConfig& m, std::mt19937_64& rng);
// Variants of p with a calmer DRAM (for the minimizer): no reordering, no back-pressure, latency 1.
std::vector<Params> shrink_dram(const Params& p);

}  // namespace systole::verif
