// chip_speed_<cfg>: simulation speed of one chip model (simulated cycles per wall-clock second),
// for sizing the tests and for the build options (FST tracing compiled in or not, C++
// optimisation of the model). Links only that configuration's model.
//
//   chip_speed_default [--cycles-per-run N] [--trace FILE.fst]
//
// Workloads, each a real program run to END through the CSRs:
//   dma   every DMA queue streams blocks DRAM -> SBUF -> DRAM (int8, all partitions)
//   gemm  MATMULs back to back on SBUF data (K = P, M = C, N = NMAX), PSUM accumulating
//   idle  the sequencer waits on a semaphore (the watchdog stops it after WATCHDOG cycles)
// Without --trace tracing is off (but compiled in when the model has it); with it, the runs are
// repeated while writing FST.
#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <string>

#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/regs/csr_map.hpp"
#include "systole/sim/chip_sim.hpp"

namespace systole::sim {
std::unique_ptr<ChipSim> CHIP_FACTORY(const ChipSimOptions& opts);
}  // namespace systole::sim

using namespace systole;
using golden::DType;
using golden::Space;
namespace r = systole::regs;

namespace {

std::vector<golden::EncodedInstruction> dma_program(const golden::Config& cfg, std::uint64_t& elements) {
  golden::ProgramBuilder b(cfg);
  const std::uint32_t P = cfg.partitions, Q = cfg.dma_queues;
  const std::uint32_t n = std::min<std::uint32_t>(cfg.sbuf_bytes / Q, 1024);
  elements = 0;
  for (int rep = 0; rep < 8; ++rep) {
    for (std::uint32_t q = 0; q < Q; ++q) {
      const std::uint32_t dram = 0x100000 + q * 0x40000;
      b.dma(q, golden::onchip(Space::kSbuf, DType::kInt8, 0, P, q * n, {{n, 1}}),
            golden::dram(DType::kInt8, dram, {{n, 1}, {P, static_cast<std::int32_t>(n)}}));
      b.dma(q, golden::dram(DType::kInt8, dram + 0x20000, {{n, 1}, {P, static_cast<std::int32_t>(n)}}),
            golden::onchip(Space::kSbuf, DType::kInt8, 0, P, q * n, {{n, 1}}));
      elements += 2ull * P * n;
    }
  }
  b.end();
  return b.finish();
}

std::vector<golden::EncodedInstruction> gemm_program(const golden::Config& cfg) {
  golden::ProgramBuilder b(cfg);
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  const std::uint32_t N = std::min<std::uint32_t>(cfg.nmax, cfg.psum_bytes / 4);
  const golden::Tap stat = golden::tap(Space::kSbuf, DType::kInt8, 0, P, 0, {{C, 1}});
  const golden::Tap mov = golden::tap(Space::kSbuf, DType::kInt8, 0, P, 64, {{N, 1}});
  const golden::Tap out = golden::tap(Space::kPsum, DType::kInt32, 0, C, 0, {{N, 1}});
  for (int i = 0; i < 64; ++i) b.matmul(out, stat, mov, i == 0);
  b.end();
  return b.finish();
}

std::vector<golden::EncodedInstruction> idle_program(const golden::Config& cfg) {
  golden::ProgramBuilder b(cfg);
  const golden::Sem never = b.semaphore("never");
  b.nop(golden::engine::kSeq, b.wait(never, 1));
  b.end();
  return b.finish();
}

struct Result {
  std::uint64_t cycles = 0;
  double seconds = 0;
  std::uint32_t status = 0;
};

Result run(sim::ChipSim& sim, const std::vector<golden::EncodedInstruction>& prog, std::uint32_t watchdog) {
  const std::uint32_t base = 0x1000;
  for (std::size_t i = 0; i < prog.size(); ++i) {
    for (unsigned w = 0; w < golden::kInstructionWords; ++w) {
      sim.memory().store<std::uint32_t>(base + 64 * i + 4 * w, prog[i][w]);
    }
  }
  sim.write_csr(r::irq_status::kOffset, 3);
  sim.write_csr(r::irq_enable::kOffset, 3);
  sim.write_csr(r::win_base::offset(0), 0);
  sim.write_csr(r::win_limit::offset(0), 0x3FFFFF);
  sim.write_csr(r::win_ctrl::offset(0), 7);
  sim.write_csr(r::watchdog::kOffset, watchdog);
  sim.write_csr(r::prog_base::kOffset, base);
  sim.write_csr(r::prog_len::kOffset, static_cast<std::uint32_t>(prog.size()));
  sim.write_csr(r::ctrl::kOffset, r::ctrl::kStartMask);
  const auto t0 = std::chrono::steady_clock::now();
  Result res;
  res.cycles = sim.run_until_irq(50'000'000);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  res.status = sim.read_csr(r::status::kOffset);
  if (res.status & r::status::kErrorMask) {
    sim.write_csr(r::ctrl::kOffset, r::ctrl::kSoftResetMask);
    sim.step(2000);
  }
  return res;
}

}  // namespace

int main(int argc, char** argv) {
  std::string trace;
  std::string only;  // --only dma|idle|gemm: run one workload (for profiling)
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--trace") == 0) trace = argv[i + 1];
    if (std::strcmp(argv[i], "--only") == 0) only = argv[i + 1];
  }
  const golden::Config cfg = golden::Config::by_name(CHIP_CFG);
  sim::ChipSimOptions o;
  o.dram_bytes = 4u << 20;
  auto sim = sim::CHIP_FACTORY(o);
  std::uint64_t elements = 0;
  const auto dma = dma_program(cfg, elements);
  const auto gemm = gemm_program(cfg);
  const auto idle = idle_program(cfg);
  for (int pass = 0; pass < (trace.empty() ? 1 : 2); ++pass) {
    if (pass == 1) {
      if (!sim->trace_supported()) {
        fmt::print("tracing: not compiled into this model (SYSTOLE_RTL_TRACE=OFF)\n");
        break;
      }
      sim->open_trace(trace);
    }
    const char* mode = pass == 0 ? "trace off" : "trace ON ";
    for (const auto& [name, prog, wd] :
         {std::tuple{"dma ", &dma, 0u}, std::tuple{"idle", &idle, 200000u}, std::tuple{"gemm", &gemm, 0u}}) {
      if (!only.empty() && std::string(name).rfind(only, 0) != 0) continue;
      const Result res = run(*sim, *prog, wd);
      fmt::print("{} {} {}: {:>9} cycles in {:6.2f} s = {:>8.0f} cycles/s  (STATUS 0x{:x}{})\n", CHIP_NAME, mode, name,
                 res.cycles, res.seconds, res.cycles / res.seconds, res.status,
                 res.status & r::status::kErrorMask ? ", error stop" : "");
    }
  }
  return 0;
}
