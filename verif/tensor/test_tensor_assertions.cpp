// Handshake assertions of tensor_engine (rtl/include/systole_assert.svh, built with --assert):
// a protocol violation on an input stream must abort the model with the macro's message.
// A failed assertion aborts the process, so the violations run as death tests; the controls run
// the same sequence without the violation and must survive.
#include <gtest/gtest.h>

#include <cstdint>

#include SYSTOLE_MODEL_HEADER
#include "death_test.hpp"
#include "model_config.hpp"
#include "systole/sim/sim_controller.hpp"

namespace systole::verif::tensor {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

using Model = SYSTOLE_MODEL;

enum class Violation { kNone, kDropValid, kChangeData };
enum class Stream { kStat, kMov };

// After reset no command is loaded, so stat_ready_o and mov_ready_o stay low: the bench presents
// one beat on `stream` for a few cycles (it is never taken), then commits `v`, then runs on.
void drive(Stream stream, Violation v) {
  assertion_messages_to_stderr();
  const unsigned partitions = model_config().partitions;
  const unsigned lane_bits = model_config().bf16 ? 16 : 8;  // tensor_tb's LaneBits
  SimController<Model> sim;
  sim.reset();
  auto& m = *sim;
  auto set = [&](bool valid, std::uint32_t pattern) {
    auto& valid_i = stream == Stream::kStat ? m.stat_valid_i : m.mov_valid_i;
    valid_i = valid;
    for (unsigned p = 0; p < partitions; ++p) {
      if (stream == Stream::kStat) {
        set_bits(m.stat_data_i, p * lane_bits, lane_bits, pattern + p);
      } else {
        set_bits(m.mov_data_i, p * lane_bits, lane_bits, pattern + p);
      }
    }
  };
  m.cmd_valid_i = 0;
  m.hold_i = 0;
  for (int i = 0; i < 3; ++i) {
    set(true, 0x11);
    sim.eval();
    if ((stream == Stream::kStat ? m.stat_ready_o : m.mov_ready_o) != 0) precondition_failed("ready is high");
    sim.tick();
  }
  switch (v) {
    case Violation::kNone: set(true, 0x11); break;
    case Violation::kDropValid: set(false, 0x11); break;
    case Violation::kChangeData: set(true, 0x22); break;
  }
  run_on_and_exit(sim);
}

class TensorAssertions : public AssertionDeathTest {};

TEST_F(TensorAssertions, StatValidDroppedBeforeReadyFires) {
  EXPECT_DEATH(drive(Stream::kStat, Violation::kDropValid), "assertion .*stat_valid_hold failed");
}
TEST_F(TensorAssertions, MovValidDroppedBeforeReadyFires) {
  EXPECT_DEATH(drive(Stream::kMov, Violation::kDropValid), "assertion .*mov_valid_hold failed");
}
TEST_F(TensorAssertions, StatDataChangedWhileWaitingFires) {
  EXPECT_DEATH(drive(Stream::kStat, Violation::kChangeData), "assertion .*stat_data_stable failed");
}
TEST_F(TensorAssertions, MovDataChangedWhileWaitingFires) {
  EXPECT_DEATH(drive(Stream::kMov, Violation::kChangeData), "assertion .*mov_data_stable failed");
}
TEST_F(TensorAssertions, StatHeldStableDoesNotFire) {
  EXPECT_EXIT(drive(Stream::kStat, Violation::kNone), ::testing::ExitedWithCode(0), "");
}
TEST_F(TensorAssertions, MovHeldStableDoesNotFire) {
  EXPECT_EXIT(drive(Stream::kMov, Violation::kNone), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace systole::verif::tensor
