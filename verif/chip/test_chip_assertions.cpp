// The chip's protocol checkers fire on a broken peer (rtl/axi/axi_checker.sv, axil_checker.sv,
// docs/chip.md section 9). Each case runs the same small program on the tiny chip: a DMA copy
// DRAM -> SBUF -> DRAM (queue 0 reads with AXI ID 1, queue 1 writes with ID 2, 16-beat bursts on
// the 32-bit bus). The DRAM model (AxiFault) or the host (AxilFault) breaks one rule during the
// run, and the named checker assertion must abort the model; a failed assertion aborts the
// process, so each case is a death test (one child each). Control: the same run without a fault
// completes with the right data.
//   RLastEarly / RLastMissing: RLAST one beat early / missing on a burst of queue 0 (r_last_exact);
//   RIdUnexpected: an R beat with ID 2, which has no read outstanding (r_id_outstanding);
//   BIdUnexpected: a B with ID 0 (fetch never writes) (b_after_last_w);
//   BEarly: a B before its burst's last W beat (b_after_last_w);
//   AxilAwValidDropped / AxilWDataChanged: the host drops AWVALID before AWREADY / changes WDATA
//     while WVALID waits (aw_valid_held / w_stable of axil_checker, or csr_regs's own copies of
//     the two rules, awvalid_hold / wdata_stable, which Verilator happens to evaluate first in
//     that cycle; test_axi_checker.cpp shows the checker's own fire).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <vector>

#include "death_test.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/regs/csr_map.hpp"
#include "systole/sim/chip_sim.hpp"

namespace systole::sim {
// In systole_chip_tiny (sim/src/chip_model.cpp): this test links the tiny model alone.
std::unique_ptr<ChipSim> make_chip_sim_tiny(const ChipSimOptions& opts);
}  // namespace systole::sim

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)

namespace {

namespace r = systole::regs;
using golden::DType;
using golden::Space;

constexpr std::uint32_t kProg = 0x1000;
constexpr std::uint32_t kSrc = 0x10000;
constexpr std::uint32_t kDst = 0x20000;
constexpr std::uint32_t kBytes = 256;

std::vector<golden::EncodedInstruction> copy_program() {
  golden::ProgramBuilder b(golden::Config::by_name("tiny"));
  const auto loaded = b.semaphore("loaded");
  b.dma(0, golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{kBytes, 1}}),
        golden::dram(DType::kInt8, kSrc, {{kBytes, 1}}), b.signal(loaded));
  b.dma(1, golden::dram(DType::kInt8, kDst, {{kBytes, 1}}),
        golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{kBytes, 1}}), b.after(loaded));
  b.end(b.after(loaded));
  return b.finish();
}

// The child: runs the copy with the fault and exits 0 when the program completed with the right
// data (1 when not); a fault that never found its moment is a failed precondition.
[[noreturn]] void run_copy(AxiFault fault, AxilFault host_fault = AxilFault::kNone) {
  assertion_messages_to_stderr();
  ChipSimOptions o;
  o.dram_bytes = 1u << 20;
  o.axi.fault = fault;
  auto sim = make_chip_sim_tiny(o);
  AxiMemory& mem = sim->memory();
  const auto prog = copy_program();
  for (std::size_t i = 0; i < prog.size(); ++i) {
    for (unsigned w = 0; w < golden::kInstructionWords; ++w)
      mem.store<std::uint32_t>(kProg + 64 * i + 4 * w, prog[i][w]);
  }
  std::vector<std::uint8_t> data(kBytes);
  std::iota(data.begin(), data.end(), std::uint8_t{3});
  mem.write(kSrc, data);
  sim->write_csr(r::win_base::offset(0), 0);
  sim->write_csr(r::win_limit::offset(0), 0xFFFFF);
  sim->write_csr(r::win_ctrl::offset(0), 7);
  sim->write_csr(r::prog_base::kOffset, kProg);
  sim->write_csr(r::prog_len::kOffset, static_cast<std::uint32_t>(prog.size()));
  if (host_fault != AxilFault::kNone) {
    AxilMasterOptions a = sim->axil_options();
    a.fault = host_fault;
    sim->set_axil_options(a);  // the next write (the START below) carries it
  }
  sim->write_csr(r::ctrl::kOffset, r::ctrl::kStartMask);
  sim->run_until_irq(100000);
  const std::uint32_t status = sim->read_csr(r::status::kOffset);
  if (fault.kind != AxiFaultKind::kNone && !mem.fault_injected()) {
    precondition_failed("the DRAM model never found a moment for its fault");
  }
  if ((status & r::status::kDoneMask) == 0 || mem.read(kDst, kBytes) != data) {
    std::fprintf(stderr, "the copy did not complete correctly (STATUS 0x%x)\n", status);
    std::exit(1);
  }
  std::exit(0);
}

AxiFault fault(AxiFaultKind k, std::uint32_t id) { return AxiFault{k, 0, id}; }

class ChipAssertions : public AssertionDeathTest {};

TEST_F(ChipAssertions, ControlWithoutFaultCompletes) {
  EXPECT_EXIT(run_copy(AxiFault{}), testing::ExitedWithCode(0), "");
}

TEST_F(ChipAssertions, RLastEarly) {
  EXPECT_DEATH(run_copy(fault(AxiFaultKind::kRLastEarly, 1)), "assertion r_last_exact failed");
}

TEST_F(ChipAssertions, RLastMissing) {
  EXPECT_DEATH(run_copy(fault(AxiFaultKind::kRLastMissing, 1)), "assertion r_last_exact failed");
}

TEST_F(ChipAssertions, RIdUnexpected) {
  EXPECT_DEATH(run_copy(fault(AxiFaultKind::kRIdUnexpected, 2)), "assertion r_id_outstanding failed");
}

TEST_F(ChipAssertions, BIdUnexpected) {
  EXPECT_DEATH(run_copy(fault(AxiFaultKind::kBIdUnexpected, 0)), "assertion b_after_last_w failed");
}

TEST_F(ChipAssertions, BEarly) {
  EXPECT_DEATH(run_copy(fault(AxiFaultKind::kBEarly, 0)), "assertion b_after_last_w failed");
}

TEST_F(ChipAssertions, AxilAwValidDropped) {
  EXPECT_DEATH(run_copy(AxiFault{}, AxilFault::kAwValidDropped), "assertion (aw_valid_held|awvalid_hold) failed");
}

TEST_F(ChipAssertions, AxilWDataChanged) {
  EXPECT_DEATH(run_copy(AxiFault{}, AxilFault::kWDataChanged), "assertion (w_stable|wdata_stable) failed");
}

}  // namespace
}  // namespace systole::verif
