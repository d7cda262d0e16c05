// Handshake assertions of csr_regs (rtl/include/systole_assert.svh, built with --assert): an
// AXI4-Lite master that breaks the protocol must abort the model with the macro's message. A
// failed assertion aborts the process, so the violations run as death tests; the controls run
// the same sequence without the violation and must survive.
#include <gtest/gtest.h>

#include <cstdint>

#include "death_test.hpp"
#include "host_bench.hpp"

namespace systole::verif::host {
namespace {

enum class Violation { kNone, kDropValid, kChangePayload };
enum class Channel { kAw, kW, kAr };

// Gets `ch` into a state where its READY is low with VALID high, holds it a few cycles, then
// commits `v`:
//   AW: a first AW is accepted without W (the holding register is full), a second AW waits;
//   W:  likewise with a first W and no AW;
//   AR: a read whose R is not taken (RREADY low) blocks the next AR.
void drive(Channel ch, Violation v) {
  assertion_messages_to_stderr();
  SimController<Model> sim;
  auto& m = *sim;
  m.s_axil_awvalid_i = 0;
  m.s_axil_wvalid_i = 0;
  m.s_axil_arvalid_i = 0;
  m.s_axil_bready_i = 0;
  m.s_axil_rready_i = 0;
  m.s_axil_awaddr_i = regs::prog_len::kOffset;
  m.s_axil_araddr_i = regs::id::kOffset;
  m.s_axil_wdata_i = 0x1234;
  m.s_axil_wstrb_i = 0xF;
  sim.reset();
  auto& valid = ch == Channel::kAw ? m.s_axil_awvalid_i : ch == Channel::kW ? m.s_axil_wvalid_i : m.s_axil_arvalid_i;
  auto ready = [&] {
    return ch == Channel::kAw ? m.s_axil_awready_o : ch == Channel::kW ? m.s_axil_wready_o : m.s_axil_arready_o;
  };
  valid = 1;  // first request: accepted
  sim.eval();
  if (!ready()) precondition_failed("first request not accepted");
  sim.tick();
  for (int i = 0; i < 3; ++i) {  // second request: waits
    sim.eval();
    if (ready()) precondition_failed("ready is high");
    sim.tick();
  }
  switch (v) {
    case Violation::kNone: break;
    case Violation::kDropValid: valid = 0; break;
    case Violation::kChangePayload:
      if (ch == Channel::kAw) m.s_axil_awaddr_i = regs::watchdog::kOffset;
      if (ch == Channel::kW) m.s_axil_wdata_i = 0x5678;
      if (ch == Channel::kAr) m.s_axil_araddr_i = regs::version::kOffset;
      break;
  }
  run_on_and_exit(sim);
}

class HostAssertions : public AssertionDeathTest {};

TEST_F(HostAssertions, AwValidDroppedBeforeReadyFires) {
  EXPECT_DEATH(drive(Channel::kAw, Violation::kDropValid), "assertion .*awvalid_hold failed");
}
TEST_F(HostAssertions, AwAddrChangedWhileWaitingFires) {
  EXPECT_DEATH(drive(Channel::kAw, Violation::kChangePayload), "assertion .*awaddr_stable failed");
}
TEST_F(HostAssertions, WValidDroppedBeforeReadyFires) {
  EXPECT_DEATH(drive(Channel::kW, Violation::kDropValid), "assertion .*wvalid_hold failed");
}
TEST_F(HostAssertions, WDataChangedWhileWaitingFires) {
  EXPECT_DEATH(drive(Channel::kW, Violation::kChangePayload), "assertion .*wdata_stable failed");
}
TEST_F(HostAssertions, ArValidDroppedBeforeReadyFires) {
  EXPECT_DEATH(drive(Channel::kAr, Violation::kDropValid), "assertion .*arvalid_hold failed");
}
TEST_F(HostAssertions, ArAddrChangedWhileWaitingFires) {
  EXPECT_DEATH(drive(Channel::kAr, Violation::kChangePayload), "assertion .*araddr_stable failed");
}
TEST_F(HostAssertions, HeldStableDoesNotFire) {
  EXPECT_EXIT(drive(Channel::kAw, Violation::kNone), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(drive(Channel::kW, Violation::kNone), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(drive(Channel::kAr, Violation::kNone), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace systole::verif::host
