// Helpers the program case kinds share (dma_case.cpp, vec_case.cpp): parameter parsing and the
// counter comparison of an RTL run with the golden run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "params.hpp"
#include "systole/driver/device.hpp"
#include "systole/golden/config.hpp"

namespace systole::verif::regress {

// "drop=i,j,..." as indices < n, each once; std::invalid_argument otherwise.
std::vector<unsigned> param_drop(const Params& p, unsigned n);
std::string drop_text(const std::vector<unsigned>& d);
// DRAM_RD_BYTES, DRAM_WR_BYTES, INSTRUCTIONS, MACS equal, FETCH_BYTES within the prefetch
// allowance; "" when they agree.
std::string counters_mismatch(const golden::Config& cfg, const driver::Counters& rtl, const driver::Counters& gold);

}  // namespace systole::verif::regress
