// stream_fork's assertions on its caller fire (death tests, a child process each) and stay quiet
// on the same sequence without the violation (controls), on the 2-port model:
//   ValidDropped: in_valid_i falls while in_ready_o is low (in_valid_held);
//   SelectChanged: in_sel_i changes while in_valid_i && !in_ready_o (in_sel_stable);
//   ClrDropsTransfer: both right after a clr_i cycle, which drops the transfer: no assertion.
#include <gtest/gtest.h>

#include "Vstream_fork_n2.h"
#include "death_test.hpp"
#include "systole/sim/sim_controller.hpp"

namespace systole::verif::fork {
namespace {

enum class Case { kValidDropped, kSelectChanged, kClrDropsTransfer };

// A transfer for both ports; port 0 takes it, port 1 never becomes ready, so in_ready_o stays
// low. Then the violation (or nothing) and a few more cycles.
[[noreturn]] void drive(Case c, bool violate) {
  assertion_messages_to_stderr();
  systole::sim::SimController<Vstream_fork_n2> sim;
  Vstream_fork_n2& m = *sim;
  m.clr_i = 0;
  m.in_valid_i = 0;
  m.in_sel_i = 0;
  m.out_ready_i = 0;
  sim.reset();
  m.in_valid_i = 1;
  m.in_sel_i = 0b11;
  m.out_ready_i = 0b01;
  for (int i = 0; i < 3; ++i) {
    sim.eval();
    if (m.in_ready_o) precondition_failed("in_ready_o high with port 1 not ready");
    sim.tick();
  }
  if (m.out_valid_o != 0b10) precondition_failed("port 0 did not take the transfer");
  if (violate) {
    switch (c) {
      case Case::kValidDropped: m.in_valid_i = 0; break;
      case Case::kSelectChanged: m.in_sel_i = 0b01; break;
      case Case::kClrDropsTransfer:
        m.clr_i = 1;
        sim.eval();
        sim.tick();
        m.clr_i = 0;
        m.in_valid_i = 0;
        m.in_sel_i = 0b01;
        break;
    }
  }
  run_on_and_exit(sim);
}

class StreamForkAssertions : public AssertionDeathTest {};

TEST_F(StreamForkAssertions, ValidDropped) {
  EXPECT_EXIT(drive(Case::kValidDropped, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(drive(Case::kValidDropped, true), "in_valid_held");
}

TEST_F(StreamForkAssertions, SelectChanged) {
  EXPECT_EXIT(drive(Case::kSelectChanged, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(drive(Case::kSelectChanged, true), "in_sel_stable");
}

TEST_F(StreamForkAssertions, ClrDropsTransfer) {
  EXPECT_EXIT(drive(Case::kClrDropsTransfer, true), testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace systole::verif::fork
