// Helpers for assertion death tests. A failed Verilator assertion aborts the process, so a test
// that expects one runs the model in a GoogleTest death test (a child process); the control runs
// the same sequence without the violation and must exit normally.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace systole::verif {

// Verilator prints assertion messages on stdout; death tests match stderr. Call first in the
// child (before the model is built).
inline void assertion_messages_to_stderr() {
  std::fflush(stdout);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
}

// The bench did not reach the state the test needs: fail the child with a message that no
// expected assertion pattern matches.
[[noreturn]] inline void precondition_failed(const char* what) {
  std::fprintf(stderr, "precondition: %s\n", what);
  std::abort();
}

// Runs `cycles` more cycles (an assertion sampled there fires), then ends the child normally.
template <class Sim>
[[noreturn]] void run_on_and_exit(Sim& sim, int cycles = 3) {
  for (int i = 0; i < cycles; ++i) {
    sim.eval();
    sim.tick();
  }
  std::exit(0);
}

// Fixture base: the threadsafe style re-executes the binary for each death test, so the child
// starts from a clean model.
class AssertionDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

}  // namespace systole::verif
