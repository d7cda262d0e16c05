// Handshake assertions of decode_check (rtl/include/systole_assert.svh, built with --assert).
// decode_check reads the instruction words and the protection windows in place while it checks
// an instruction, so a producer that drops in_valid_i or changes the words or windows before
// in_ready_o must abort the model with the macro's message. A failed assertion aborts the
// process, so the violations run as death tests; the control runs the same sequence without the
// violation and must survive.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>

#include SYSTOLE_MODEL_HEADER
#include "death_test.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/isa.hpp"
#include "systole/sim/sim_controller.hpp"

namespace systole::verif::seq {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

using Model = SYSTOLE_MODEL;

enum class Violation { kNone, kDropValid, kChangeWords, kChangeWindows };

// Presents a DMA (five steps), commits `v` in its third cycle, then runs on.
void drive(Violation v) {
  assertion_messages_to_stderr();
  SimController<Model> sim;
  sim.reset();
  auto& m = *sim;
  golden::Instruction insn;
  insn.engine = golden::engine::dma(0);
  insn.op = golden::Dma{golden::onchip(golden::Space::kSbuf, golden::DType::kInt8, 0, 1, 0, {{4, 1}}),
                        golden::dram(golden::DType::kInt8, 0x100, {{4, 1}})};
  const golden::EncodedInstruction w = golden::encode(insn);
  for (int i = 0; i < 16; ++i) m.in_words_i[i] = w[i];
  m.win_base_i[0] = 0x100;
  m.win_limit_i[0] = 0x103;
  m.win_ctrl_i = 0x3;
  m.in_valid_i = 1;
  m.out_ready_i = 1;
  for (int cycle = 0; cycle < 8; ++cycle) {
    if (cycle == 2) {
      sim.eval();
      if (m.in_ready_o != 0) precondition_failed("in_ready_o is high in cycle 2");
      switch (v) {
        case Violation::kNone: break;
        case Violation::kDropValid: m.in_valid_i = 0; break;
        case Violation::kChangeWords: m.in_words_i[9] ^= 4; break;
        case Violation::kChangeWindows: m.win_limit_i[0] = 0x104; break;
      }
    }
    sim.eval();
    const bool fire = m.in_valid_i && m.in_ready_o;
    sim.tick();
    if (fire) m.in_valid_i = 0;
  }
  std::exit(0);
}

class DecodeCheckAssertions : public AssertionDeathTest {};

TEST_F(DecodeCheckAssertions, ControlWithoutViolationSurvives) {
  EXPECT_EXIT(drive(Violation::kNone), ::testing::ExitedWithCode(0), "");
}
TEST_F(DecodeCheckAssertions, ValidDroppedBeforeReadyFires) {
  EXPECT_DEATH(drive(Violation::kDropValid), "assertion .*in_valid_held failed");
}
TEST_F(DecodeCheckAssertions, WordsChangedWhileCheckingFires) {
  EXPECT_DEATH(drive(Violation::kChangeWords), "assertion .*in_words_stable failed");
}
TEST_F(DecodeCheckAssertions, WindowsChangedWhileCheckingFires) {
  EXPECT_DEATH(drive(Violation::kChangeWindows), "assertion .*win_stable failed");
}

}  // namespace
}  // namespace systole::verif::seq
