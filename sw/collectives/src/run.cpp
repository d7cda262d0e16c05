#include <fmt/format.h>

#include <stdexcept>

#include "systole/collectives/collective.hpp"

namespace systole::collectives {

RunOutcome run(driver::MultiDevice& dev, const Spec& s, const Buffers& inputs, std::uint8_t fill) {
  if (dev.size() != s.chips) {
    throw std::invalid_argument(fmt::format("collective for {} chips on a {}-chip device", s.chips, dev.size()));
  }
  const golden::Config& cfg = dev.config();
  validate(s, cfg);
  const std::uint64_t size = golden::dtype_size(s.dtype);
  const std::uint64_t in_bytes = input_elements(s) * size, out_bytes = output_elements(s) * size;
  for (std::uint32_t c = 0; c < s.chips; ++c) {
    if (inputs.size() != s.chips || inputs[c].size() != in_bytes) {
      throw std::invalid_argument(
          fmt::format("collective: chip {}'s input must be {} bytes ({} elements)", c, in_bytes, input_elements(s)));
    }
  }
  // The plan lays out input, output and scratch from its base (programs after them, placed by
  // the device instead): one allocation holds the buffers.
  const std::uint64_t region = buffer_bytes(s, cfg);
  const std::uint32_t base = dev.alloc_all(region, 4096);
  RunOutcome r;
  try {
    r.plan = plan(s, cfg, base);
    for (std::uint32_t c = 0; c < s.chips; ++c) {
      dev.chip(c).upload(r.plan.layout.in_addr, inputs[c]);
      if (!s.in_place && out_bytes > 0) {
        dev.chip(c).upload(r.plan.layout.out_addr, std::vector<std::uint8_t>(out_bytes, fill));
      }
    }
    const driver::MultiRunResult res = dev.run(r.plan.programs);
    r.races = res.races;
    for (std::uint32_t c = 0; c < s.chips; ++c) {
      std::vector<std::uint8_t> b(out_bytes);
      if (out_bytes > 0) dev.chip(c).download(r.plan.layout.out_addr, b);
      r.outputs.push_back(std::move(b));
      r.link_tx_bytes += res.chips[c].counters.link_tx_bytes;
    }
  } catch (...) {
    dev.free_all(base);
    throw;
  }
  dev.free_all(base);
  return r;
}

std::uint64_t dram_bytes_needed(const Spec& s, const golden::Config& cfg) {
  // The plan from 0x1000 ends where its programs end; the device places them by itself, and
  // the allocator aligns: a margin of 64 KiB.
  return plan(s, cfg).layout.dram_end + (64u << 10);
}

}  // namespace systole::collectives
