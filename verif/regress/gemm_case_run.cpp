// GEMM case kind, run(): the case on the golden device, then on the Verilated chip with the same
// operands and placement, and every check of test_chip_gemm plus strides, offsets and canaries.
// Each failed check adds one sentence saying what differed; the outcome fails if any did.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

#include "dram_knobs.hpp"
#include "gemm_case.hpp"
#include "systole/driver/golden_device.hpp"
#include "systole/driver/timing_model.hpp"
#include "systole/sim/rtl_device.hpp"

namespace systole::verif::regress {
using namespace systole::sim;  // the simulated chip and its models (sim/)

using golden::DType;
using u64 = std::uint64_t;

namespace {

std::string element(const driver::Tensor& t, std::int64_t i) {
  const u64 cols = t.shape().at(1);
  return fmt::format("C[{},{}]", static_cast<u64>(i) / cols, static_cast<u64>(i) % cols);
}

// Chip cycles after which a run counts as hung: ten times the timing model's estimate, stretched
// by what the drawn DRAM can do to it (a bandwidth cap below the bus width, back-pressure), plus
// room for start-up.
u64 cycle_limit(const golden::Config& cfg, const AxiMemoryConfig& m, u64 estimate) {
  double slow = 2.0;  // back-pressure up to half the cycles on every channel
  const double bus = cfg.axi_data_bits / 8.0;
  if (m.bytes_per_cycle > 0 && m.bytes_per_cycle < bus) slow *= bus / m.bytes_per_cycle;
  slow *= 1.0 + (m.read_latency + m.read_jitter) / 100.0;
  return 2'000'000 + static_cast<u64>(10.0 * static_cast<double>(estimate) * slow);
}

}  // namespace

Outcome run_gemm_case(const std::string& config, std::uint64_t seed, const Params& p) {
  const golden::Config gcfg = golden::Config::by_name(config);
  const GemmCase g = parse_gemm_case(gcfg, p);
  RtlOptions o;
  o.sim.dram_bytes = kGemmDramBytes;
  o.sim.axi.seed = seed;
  o.sim.axi.on_violation = AxiViolationPolicy::kRecord;  // report them all, after the run
  apply_dram(p, o.sim.axi);

  // Operand values: from the seed, in their own stream (a shrunk shape draws new values, the
  // placement and DRAM keys do not change them).
  std::mt19937_64 vals(seed ^ 0x243F6A8885A308D3ull);
  const driver::Tensor a = kernels::random_matrix(vals, g.in, g.M, g.K, g.fill);
  const driver::Tensor b = kernels::random_matrix(vals, g.in, g.K, g.N, g.fill);

  // Golden first: a parameter the kernel rejects throws GemmArgumentError (std::invalid_argument)
  // here, before the chip is built.
  driver::GoldenDevice gold(gcfg, kGemmDramBytes, false);
  const kernels::GemmHostResult want = kernels::gemm(gold, a, b, g.out, g.a, g.b, g.c);

  RtlDevice rtl(config, o);
  rtl.options().max_cycles = cycle_limit(gcfg, rtl.sim().memory().config(), want.run.program.estimate.cycles);
  Outcome out;
  std::vector<std::string> bad;
  auto violations = [&] {
    const auto& v = rtl.sim().memory().violations();
    if (!v.empty()) bad.push_back(fmt::format("{} AXI protocol violation(s), first: {}", v.size(), v.front().message));
  };
  kernels::GemmHostResult got;
  try {
    got = kernels::gemm(rtl, a, b, g.out, g.a, g.b, g.c);
  } catch (const std::exception& e) {
    bad.push_back(fmt::format("the RTL run failed: {}", e.what()));
    violations();
    out.message = fmt::format("{}", fmt::join(bad, "; "));
    return out;
  }
  const driver::Counters& rc = got.run.result.counters;
  const driver::Counters& gc = want.run.result.counters;
  out.cycles = rc.cycles.value_or(0);
  out.macs = rc.macs;

  if (const std::int64_t i = kernels::first_mismatch(got.c, want.c); i >= 0) {
    bad.push_back(
        fmt::format("{} is 0x{:x} on the RTL but 0x{:x} on golden", element(got.c, i), got.c.raw(i), want.c.raw(i)));
  }
  const driver::Tensor ref = kernels::reference_gemm(gcfg, a, b, g.out);
  if (const std::int64_t i = kernels::first_mismatch(want.c, ref); i >= 0) {
    bad.push_back(fmt::format("golden {} is 0x{:x} but the reference loop gives 0x{:x}", element(ref, i), want.c.raw(i),
                              ref.raw(i)));
  }
  if (g.fill == kernels::Fill::kNormal && g.in != DType::kInt8) {
    const kernels::Float64Check f = kernels::check_against_float64(a, b, got.c);
    if (!f.ok()) {
      bad.push_back(fmt::format("{} element(s) outside the float64 bound, first: {}", f.violations, f.first_violation));
    }
  }
  const u64 macs = u64{g.M} * g.K * g.N;
  if (rc.macs != macs) bad.push_back(fmt::format("MACS counter {} but M*K*N = {}", rc.macs, macs));
  if (gc.macs != macs) bad.push_back(fmt::format("golden MACS counter {} but M*K*N = {}", gc.macs, macs));
  auto same = [&](const char* name, u64 r, u64 w) {
    if (r != w) bad.push_back(fmt::format("{} counter {} on the RTL but {} on golden", name, r, w));
  };
  same("DRAM_RD_BYTES", rc.dram_rd_bytes, gc.dram_rd_bytes);
  same("DRAM_WR_BYTES", rc.dram_wr_bytes, gc.dram_wr_bytes);
  same("INSTRUCTIONS", rc.instructions, gc.instructions);
  const u64 prefetch = driver::fetch_slots(gcfg) - 1;
  if (rc.fetch_bytes < gc.fetch_bytes || rc.fetch_bytes > gc.fetch_bytes + prefetch * golden::kInstructionBytes) {
    bad.push_back(fmt::format("FETCH_BYTES counter {} on the RTL, expected golden's {} plus at most {} instructions "
                              "of prefetch",
                              rc.fetch_bytes, gc.fetch_bytes, prefetch));
  }
  if (!rc.cycles) bad.push_back("the RTL has no CYCLES counter value");
  violations();
  if (got.c_canary_damage >= 0) {
    bad.push_back(
        fmt::format("the RTL wrote outside C: byte {} of C's allocation lost its canary", got.c_canary_damage));
  }
  if (want.c_canary_damage >= 0) {
    bad.push_back(
        fmt::format("golden wrote outside C: byte {} of C's allocation lost its canary", want.c_canary_damage));
  }
  out.pass = bad.empty();
  out.message = fmt::format("{}", fmt::join(bad, "; "));
  return out;
}

}  // namespace systole::verif::regress
