// Random DMA instructions inside the regions of a DmaLayout (dma_program_gen.hpp): direction
// by the `mix` weights, dtype and cast by `casts`, element count up to `max_elems`, split into
// four counts per side (a reshape), strides of either sign (injective, or zero and overlapping),
// dims permuted (transposing walks), on-chip partition walks on any dim, placed anywhere in the
// region including its first and last byte. Never overlaps its own source.
#pragma once

#include <cstdint>
#include <random>

#include "dma_program_gen.hpp"

namespace systole::verif::regress {

struct PatternSpace {
  const golden::Config& cfg;
  const DmaLayout& layout;
};

golden::Dma random_dma(const PatternSpace& ps, const DmaGenParams& gp, std::mt19937_64& r);

// src x dst as 0..8 with DRAM 0, SBUF 1, PSUM 2 (the order of DmaGenParams::mix).
unsigned pair_index(const golden::Dma& d);

// A 32-bit word the casts care about: zeros, denormals, infinities, NaNs, bf16 and fp8 rounding
// ties, fp8 saturation edges and subnormals, int32 saturation edges.
std::uint32_t special_word(std::mt19937_64& r);

}  // namespace systole::verif::regress
