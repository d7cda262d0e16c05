// Every rule of rtl/axi/axil_checker.sv fires on its own (death tests, one child each) and stays
// quiet on the same sequence without the violation (the control, run first in every case), like
// test_axi_checker.cpp for the AXI4 checker. Model (SYSTOLE_MODEL, CMakeLists.txt): axil_checker
// with room for 2 transactions.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include SYSTOLE_MODEL_HEADER
#include "death_test.hpp"
#include "systole/sim/sim_controller.hpp"

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

// A channel's VALID waits two cycles with READY low; then it is dropped or its payload changes
// (violation), or it is accepted (control).
enum class Break { kDrop, kChange };

struct Lite {
  SimController<SYSTOLE_MODEL> sim;
  SYSTOLE_MODEL& m = *sim;

  Lite() {
    assertion_messages_to_stderr();
    sim.reset();
    m.aw_valid_i = m.w_valid_i = m.b_valid_i = m.ar_valid_i = m.r_valid_i = 0;
    m.aw_ready_i = m.w_ready_i = m.b_ready_i = m.ar_ready_i = m.r_ready_i = 1;
  }
  void step(int n = 1) {
    for (int i = 0; i < n; ++i) {
      sim.eval();
      sim.tick();
    }
  }
  void pulse(CData& valid) {
    valid = 1;
    step();
    valid = 0;
  }
};

template <class Change>
void hold(Lite& l, CData& valid, CData& ready, bool violate, Break how, Change change) {
  valid = 1;
  ready = 0;
  l.step(2);
  if (violate && how == Break::kDrop) valid = 0;
  if (violate && how == Break::kChange) change();
  if (!violate) ready = 1;
  l.step();
  if (violate && how == Break::kChange) l.step();  // ASSERT_STABLE reports one edge late
  valid = 0;
  ready = 1;
}

struct LiteCase {
  const char* name;
  const char* assertion;
  void (*run)(Lite&, bool violate);
};

const LiteCase kLiteCases[] = {
    {"AwValidDropped", "aw_valid_held",
     [](Lite& l, bool v) { hold(l, l.m.aw_valid_i, l.m.aw_ready_i, v, Break::kDrop, [] {}); }},
    {"AwAddrChanged", "aw_stable",
     [](Lite& l, bool v) {
       hold(l, l.m.aw_valid_i, l.m.aw_ready_i, v, Break::kChange, [&] { l.m.aw_addr_i = 0x24; });
     }},
    {"WValidDropped", "w_valid_held",
     [](Lite& l, bool v) { hold(l, l.m.w_valid_i, l.m.w_ready_i, v, Break::kDrop, [] {}); }},
    {"WDataChanged", "w_stable",
     [](Lite& l, bool v) { hold(l, l.m.w_valid_i, l.m.w_ready_i, v, Break::kChange, [&] { l.m.w_data_i = 7; }); }},
    {"ArValidDropped", "ar_valid_held",
     [](Lite& l, bool v) { hold(l, l.m.ar_valid_i, l.m.ar_ready_i, v, Break::kDrop, [] {}); }},
    {"ArAddrChanged", "ar_stable",
     [](Lite& l, bool v) {
       hold(l, l.m.ar_valid_i, l.m.ar_ready_i, v, Break::kChange, [&] { l.m.ar_addr_i = 0x28; });
     }},
    {"BValidDropped", "b_valid_held",
     [](Lite& l, bool v) {
       l.m.aw_valid_i = l.m.w_valid_i = 1;
       l.step();
       l.m.aw_valid_i = l.m.w_valid_i = 0;
       hold(l, l.m.b_valid_i, l.m.b_ready_i, v, Break::kDrop, [] {});
     }},
    {"BRespChanged", "b_stable",
     [](Lite& l, bool v) {
       l.m.aw_valid_i = l.m.w_valid_i = 1;
       l.step();
       l.m.aw_valid_i = l.m.w_valid_i = 0;
       hold(l, l.m.b_valid_i, l.m.b_ready_i, v, Break::kChange, [&] { l.m.b_resp_i = 2; });
     }},
    {"RValidDropped", "r_valid_held",
     [](Lite& l, bool v) {
       l.pulse(l.m.ar_valid_i);
       hold(l, l.m.r_valid_i, l.m.r_ready_i, v, Break::kDrop, [] {});
     }},
    {"RDataChanged", "r_stable",
     [](Lite& l, bool v) {
       l.pulse(l.m.ar_valid_i);
       hold(l, l.m.r_valid_i, l.m.r_ready_i, v, Break::kChange, [&] { l.m.r_data_i = 9; });
     }},
    {"BWithoutW", "b_after_aw_and_w",
     [](Lite& l, bool v) {
       l.pulse(l.m.aw_valid_i);
       if (!v) l.pulse(l.m.w_valid_i);
       l.pulse(l.m.b_valid_i);
     }},
    {"BWithItsW", "b_after_aw_and_w",
     [](Lite& l, bool v) {  // B in the cycle W is accepted
       l.pulse(l.m.aw_valid_i);
       l.m.w_valid_i = 1;
       if (v) l.m.b_valid_i = 1;
       l.step();
       l.m.w_valid_i = 0;
       l.pulse(l.m.b_valid_i);
     }},
    {"RWithoutAr", "r_after_ar",
     [](Lite& l, bool v) {
       if (!v) l.pulse(l.m.ar_valid_i);
       l.pulse(l.m.r_valid_i);
     }},
    {"AwTrackingOverflow", "tracking_overflow_aw",
     [](Lite& l, bool v) {
       for (int i = 0; i < (v ? 3 : 2); ++i) l.pulse(l.m.aw_valid_i);
     }},
};

void PrintTo(const LiteCase& c, std::ostream* os) { *os << c.name; }

[[noreturn]] void run_lite(const LiteCase& c, bool violate) {
  Lite l;
  c.run(l, violate);
  run_on_and_exit(l.sim);
}

class AxilCheckerRules : public AssertionDeathTest, public ::testing::WithParamInterface<LiteCase> {};

TEST_P(AxilCheckerRules, FiresOnlyOnTheViolation) {
  const LiteCase& c = GetParam();
  EXPECT_EXIT(run_lite(c, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(run_lite(c, true), std::string("assertion ") + c.assertion + " failed");
}

INSTANTIATE_TEST_SUITE_P(Cases, AxilCheckerRules, ::testing::ValuesIn(kLiteCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace systole::verif
