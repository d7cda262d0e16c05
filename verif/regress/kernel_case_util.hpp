// Internal to the kernel case kind (kernel_case.cpp, kernel_case_matmul.cpp): one kernel call on
// the configuration's chip (with the case's DRAM behaviour, AXI violations recorded) and on the
// golden device (race checker on), and the checks every kernel shares.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>
#include <string>
#include <vector>

#include "case_util.hpp"
#include "dram_knobs.hpp"
#include "kernel_case.hpp"
#include "systole/driver/golden_device.hpp"
#include "systole/sim/rtl_device.hpp"

namespace systole::verif::regress {

inline constexpr std::uint64_t kKernelDramBytes = std::uint64_t{64} << 20;

// `call(device)` runs the kernel (golden first) and returns its host result R; `compare(rtl,
// golden, problems)` adds what differs (results, references, float64, stated DRAM bytes);
// `run_of(r)` is R's driver::RunResult. The races, counters and AXI checks are added here.
template <class R>
Outcome run_kernel_pair(const std::string& config, std::uint64_t seed, const Params& p,
                        const std::function<R(driver::Device&)>& call,
                        const std::function<void(const R&, const R&, std::vector<std::string>&)>& compare,
                        const std::function<const driver::RunResult&(const R&)>& run_of) {
  const golden::Config cfg = golden::Config::by_name(config);
  sim::RtlOptions o;
  o.sim.dram_bytes = kKernelDramBytes;
  apply_dram(p, o.sim.axi);
  o.sim.axi.seed = seed ^ 0x61786900ull;
  o.sim.axi.on_violation = sim::AxiViolationPolicy::kRecord;
  o.max_cycles = 50'000'000;
  sim::RtlDevice rtl(config, o);
  driver::GoldenDevice gold(cfg, kKernelDramBytes, true);
  Outcome out;
  R g, r;
  try {
    g = call(gold);
  } catch (const std::exception& e) {
    out.message = fmt::format("the golden run failed (a kernel bug): {}", e.what());
    return out;
  }
  try {
    r = call(rtl);
  } catch (const std::exception& e) {
    out.message = fmt::format("the RTL run failed: {}", e.what());
    return out;
  }
  const driver::RunResult& rr = run_of(r);
  const driver::RunResult& gr = run_of(g);
  out.cycles = rr.counters.cycles.value_or(0);
  out.macs = rr.counters.macs;
  std::vector<std::string> problems;
  if (!gr.races.empty()) problems.push_back(fmt::format("golden race checker: {}", gr.races.front()));
  compare(r, g, problems);
  if (std::string m = counters_mismatch(cfg, rr.counters, gr.counters); !m.empty()) {
    problems.push_back(fmt::format("counters: {}", m));
  }
  if (const auto& v = rtl.sim().memory().violations(); !v.empty()) {
    problems.push_back(fmt::format("{} AXI protocol violation(s), first: {}", v.size(), v.front().message));
  }
  out.message = fmt::format("{}", fmt::join(problems, "\n"));
  out.pass = out.message.empty();
  return out;
}

// "DRAM bytes ... the kernel states ..." when the counters differ from the kernel's formula.
inline void check_stated_bytes(const driver::Counters& c, std::uint64_t rd, std::uint64_t wr,
                               std::vector<std::string>& problems) {
  if (c.dram_rd_bytes != rd || c.dram_wr_bytes != wr) {
    problems.push_back(fmt::format("DRAM bytes {} read, {} written; the kernel states {} and {}", c.dram_rd_bytes,
                                   c.dram_wr_bytes, rd, wr));
  }
}

}  // namespace systole::verif::regress
