#include <fmt/format.h>

#include <stdexcept>

#include "systole/collectives/collective.hpp"
#include "systole/golden/errors.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/system.hpp"

namespace systole::collectives {

GoldenRun run_golden(const Plan& p, const golden::Config& cfg, const Buffers& inputs, std::uint8_t fill) {
  const Spec& s = p.spec;
  const std::uint32_t size = golden::dtype_size(s.dtype);
  if (inputs.size() != s.chips) throw std::invalid_argument("run_golden: one input buffer per chip expected");
  golden::System sys(cfg, s.chips, p.layout.dram_end);
  golden::RaceChecker rc(sys.config(), 16, s.chips);
  sys.set_race_checker(&rc);
  const std::uint64_t out_bytes = output_elements(s) * size;
  for (std::uint32_t c = 0; c < s.chips; ++c) {
    golden::Machine& m = sys.chip(c);
    m.windows()[0] = golden::Window{0, p.layout.dram_end - 1, true, true, true};
    if (inputs[c].size() != input_elements(s) * size) {
      throw std::invalid_argument(fmt::format("run_golden: chip {}'s input has {} bytes, expected {}", c,
                                              inputs[c].size(), input_elements(s) * size));
    }
    m.write_dram(p.layout.in_addr, inputs[c]);
    if (!s.in_place) m.write_dram(p.layout.out_addr, std::vector<std::uint8_t>(out_bytes, fill));
  }
  const golden::SystemResult r = sys.run_programs(p.programs, p.layout.prog_addr);
  GoldenRun out;
  out.done = r.done();
  for (std::uint32_t c = 0; c < s.chips && out.error.empty(); ++c) {
    const golden::RunResult& x = r.chips[c];
    if (!x.done) {
      out.error = fmt::format("chip {}: {} at instruction {}: {}", c, golden::error_name(x.code), x.index, x.detail);
    }
  }
  for (std::uint32_t c = 0; c < s.chips; ++c) {
    std::vector<std::uint8_t> b(out_bytes);
    sys.chip(c).read_dram(p.layout.out_addr, b);
    out.outputs.push_back(std::move(b));
    out.link_tx_bytes += r.chips[c].counters.link_tx_bytes;
  }
  for (const golden::Race& race : rc.races()) out.races.push_back(race.describe());
  return out;
}

}  // namespace systole::collectives
