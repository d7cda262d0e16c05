// Helpers of the program case kinds (case_util.hpp).
#include "case_util.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "systole/driver/timing_model.hpp"
#include "systole/golden/isa.hpp"

namespace systole::verif::regress {

std::vector<unsigned> param_drop(const Params& p, unsigned n) {
  std::vector<unsigned> drop;
  if (auto it = p.find("drop"); it != p.end() && !it->second.empty()) {
    std::stringstream ss(it->second);
    std::string tok;
    while (std::getline(ss, tok, ',')) {
      Params one{{"drop", tok}};
      const unsigned i = param_number(one, "drop", 0, n - 1, 0);
      if (std::find(drop.begin(), drop.end(), i) != drop.end()) {
        throw std::invalid_argument(fmt::format("drop={}: {} is listed twice", it->second, i));
      }
      drop.push_back(i);
    }
  }
  return drop;
}

std::string drop_text(const std::vector<unsigned>& d) { return fmt::format("{}", fmt::join(d, ",")); }

std::string counters_mismatch(const golden::Config& cfg, const driver::Counters& r, const driver::Counters& g) {
  std::string m;
  auto cmp = [&](const char* name, std::uint64_t a, std::uint64_t b) {
    if (a != b) m += fmt::format("{}{} RTL {} golden {}", m.empty() ? "" : "; ", name, a, b);
  };
  cmp("DRAM_RD_BYTES", r.dram_rd_bytes, g.dram_rd_bytes);
  cmp("DRAM_WR_BYTES", r.dram_wr_bytes, g.dram_wr_bytes);
  cmp("INSTRUCTIONS", r.instructions, g.instructions);
  cmp("MACS", r.macs, g.macs);
  const std::uint64_t prefetch = driver::fetch_slots(cfg) - 1;
  if (r.fetch_bytes < g.fetch_bytes || r.fetch_bytes > g.fetch_bytes + prefetch * golden::kInstructionBytes) {
    m += fmt::format("{}FETCH_BYTES RTL {} golden {} (prefetch allows up to {} instructions more)",
                     m.empty() ? "" : "; ", r.fetch_bytes, g.fetch_bytes, prefetch);
  }
  return m;
}

}  // namespace systole::verif::regress
