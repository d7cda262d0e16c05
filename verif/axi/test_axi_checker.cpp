// Every rule of rtl/axi/axi_checker.sv fires on its own (death tests, one child each) and stays
// quiet on the same sequence without the violation (the control, run first in every case). The
// checker is Verilated alone and driven pin by pin: in the chip most rules cannot be broken from
// outside (the RTL drives the master side, and RREADY/BREADY are always high), so this is where
// each rule is shown to fire. Model (SYSTOLE_MODEL, CMakeLists.txt): axi_checker with 4-bit IDs, a
// 32-bit bus and room for 4 bursts (so its own tracking overflows quickly). The AXI4-Lite checker's
// rules: test_axil_checker.cpp.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <ostream>
#include <string>

#include SYSTOLE_MODEL_HEADER
#include "death_test.hpp"
#include "systole/sim/sim_controller.hpp"

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

constexpr unsigned kSizeLg = 2;  // 32-bit bus

// ---- AXI4 ----------------------------------------------------------------------------------------
struct Axi {
  SimController<SYSTOLE_MODEL> sim;
  SYSTOLE_MODEL& m = *sim;

  Axi() {
    assertion_messages_to_stderr();
    sim.reset();
    m.aw_valid_i = m.w_valid_i = m.b_valid_i = m.ar_valid_i = m.r_valid_i = 0;
    m.aw_ready_i = m.w_ready_i = m.b_ready_i = m.ar_ready_i = m.r_ready_i = 1;
    set_ar(0, 0, 0);
    set_aw(0, 0, 0);
  }
  void step(int n = 1) {
    for (int i = 0; i < n; ++i) {
      sim.eval();
      sim.tick();
    }
  }
  void set_ar(unsigned id, std::uint32_t addr, unsigned len, unsigned size = kSizeLg, unsigned burst = 1) {
    m.ar_id_i = id;
    m.ar_addr_i = addr;
    m.ar_len_i = len;
    m.ar_size_i = size;
    m.ar_burst_i = burst;
  }
  void set_aw(unsigned id, std::uint32_t addr, unsigned len, unsigned size = kSizeLg, unsigned burst = 1) {
    m.aw_id_i = id;
    m.aw_addr_i = addr;
    m.aw_len_i = len;
    m.aw_size_i = size;
    m.aw_burst_i = burst;
  }
  // One-cycle handshakes (READY high).
  void ar(unsigned id, std::uint32_t addr, unsigned len) {
    set_ar(id, addr, len);
    m.ar_valid_i = 1;
    step();
    m.ar_valid_i = 0;
  }
  void aw(unsigned id, std::uint32_t addr, unsigned len) {
    set_aw(id, addr, len);
    m.aw_valid_i = 1;
    step();
    m.aw_valid_i = 0;
  }
  void r(unsigned id, bool last) {
    m.r_id_i = id;
    m.r_last_i = last;
    m.r_data_i = 0x1000 + id;
    m.r_valid_i = 1;
    step();
    m.r_valid_i = 0;
  }
  void w(bool last) {
    m.w_last_i = last;
    m.w_data_i = 0xABCD;
    m.w_strb_i = 0xF;
    m.w_valid_i = 1;
    step();
    m.w_valid_i = 0;
  }
  void b(unsigned id) {
    m.b_id_i = id;
    m.b_resp_i = 0;
    m.b_valid_i = 1;
    step();
    m.b_valid_i = 0;
  }
  void burst_w(unsigned beats) {
    for (unsigned i = 0; i < beats; ++i) w(i + 1 == beats);
  }
};

// A channel's VALID waits two cycles with READY low; then it is dropped or its payload changes
// (violation) while it waits one more cycle, and it is accepted (the changed payload is reported
// at the edge after the change: axi_checker compares payloads in a clocked block).
enum class Break { kDrop, kChange };
template <class Set, class Change>
void hold(Axi& a, CData& valid, CData& ready, bool violate, Break how, Set set, Change change) {
  set();
  valid = 1;
  ready = 0;
  a.step(2);
  if (violate && how == Break::kDrop) valid = 0;
  if (violate && how == Break::kChange) change();
  a.step();
  ready = 1;
  a.step();
  valid = 0;
}

struct AxiCase {
  const char* name;
  const char* assertion;
  void (*run)(Axi&, bool violate);
};

const AxiCase kAxiCases[] = {
    {"ArValidDropped", "ar_valid_held",
     [](Axi& a, bool v) {
       hold(
           a, a.m.ar_valid_i, a.m.ar_ready_i, v, Break::kDrop, [&] { a.set_ar(1, 0x100, 0); }, [] {});
     }},
    {"ArPayloadChanged", "ar_stable",
     [](Axi& a, bool v) {
       hold(
           a, a.m.ar_valid_i, a.m.ar_ready_i, v, Break::kChange, [&] { a.set_ar(1, 0x100, 0); },
           [&] { a.m.ar_len_i = 1; });
     }},
    {"ArNotIncr", "ar_burst_incr",
     [](Axi& a, bool v) {
       a.set_ar(1, 0x100, 0, kSizeLg, v ? 2 : 1);
       a.m.ar_valid_i = 1;
       a.step();
     }},
    {"ArNarrow", "ar_size_full",
     [](Axi& a, bool v) {
       a.set_ar(1, 0x100, 0, v ? 1 : kSizeLg);
       a.m.ar_valid_i = 1;
       a.step();
     }},
    {"ArTooLong", "ar_len_max", [](Axi& a, bool v) { a.ar(1, 0x100, v ? 16 : 15); }},
    {"ArUnaligned", "ar_aligned", [](Axi& a, bool v) { a.ar(1, v ? 0x102 : 0x104, 0); }},
    {"ArCrosses4k", "ar_4k", [](Axi& a, bool v) { a.ar(1, 0xFF8, v ? 2 : 1); }},
    {"RValidDropped", "r_valid_held",
     [](Axi& a, bool v) {
       a.ar(1, 0x100, 0);
       hold(
           a, a.m.r_valid_i, a.m.r_ready_i, v, Break::kDrop, [&] { a.m.r_id_i = 1, a.m.r_last_i = 1; }, [] {});
     }},
    {"RDataChanged", "r_stable",
     [](Axi& a, bool v) {
       a.ar(1, 0x100, 0);
       hold(
           a, a.m.r_valid_i, a.m.r_ready_i, v, Break::kChange,
           [&] { a.m.r_id_i = 1, a.m.r_last_i = 1, a.m.r_data_i = 5; }, [&] { a.m.r_data_i = 6; });
     }},
    {"RWithoutAr", "r_id_outstanding",
     [](Axi& a, bool v) {
       a.ar(3, 0x100, 0);
       a.r(v ? 2 : 3, true);
     }},
    {"RAfterItsLastBeat", "r_id_outstanding",
     [](Axi& a, bool v) {
       a.ar(3, 0x100, 1);
       a.r(3, false);
       a.r(3, true);
       if (v) a.r(3, true);
     }},
    // Bursts of IDs 1 and 2 interleaved, each ID in AR order: RLAST early on ID 1's second burst.
    {"RLastEarly", "r_last_exact",
     [](Axi& a, bool v) {
       a.ar(1, 0x100, 0);
       a.ar(2, 0x200, 1);
       a.ar(1, 0x300, 2);
       a.r(2, false);
       a.r(1, true);
       a.r(2, true);
       a.r(1, false);
       a.r(1, v);
       if (!v) a.r(1, true);
     }},
    {"RLastMissing", "r_last_exact",
     [](Axi& a, bool v) {
       a.ar(1, 0x100, 1);
       a.r(1, false);
       a.r(1, !v);
     }},
    {"ArTrackingOverflow", "tracking_overflow_ar",
     [](Axi& a, bool v) {
       for (int i = 0; i < (v ? 5 : 4); ++i) a.ar(7, 0x100, 0);
     }},
    {"AwValidDropped", "aw_valid_held",
     [](Axi& a, bool v) {
       hold(
           a, a.m.aw_valid_i, a.m.aw_ready_i, v, Break::kDrop, [&] { a.set_aw(1, 0x100, 0); }, [] {});
     }},
    {"AwPayloadChanged", "aw_stable",
     [](Axi& a, bool v) {
       hold(
           a, a.m.aw_valid_i, a.m.aw_ready_i, v, Break::kChange, [&] { a.set_aw(1, 0x100, 0); },
           [&] { a.m.aw_addr_i = 0x200; });
     }},
    {"AwNotIncr", "aw_burst_incr",
     [](Axi& a, bool v) {
       a.set_aw(1, 0x100, 0, kSizeLg, v ? 0 : 1);
       a.m.aw_valid_i = 1;
       a.step();
     }},
    {"AwNarrow", "aw_size_full",
     [](Axi& a, bool v) {
       a.set_aw(1, 0x100, 0, v ? 0 : kSizeLg);
       a.m.aw_valid_i = 1;
       a.step();
     }},
    {"AwTooLong", "aw_len_max", [](Axi& a, bool v) { a.aw(1, 0x100, v ? 255 : 15); }},
    {"AwUnaligned", "aw_aligned", [](Axi& a, bool v) { a.aw(1, v ? 0x101 : 0x100, 0); }},
    {"AwCrosses4k", "aw_4k", [](Axi& a, bool v) { a.aw(1, v ? 0x1FFC : 0x1FF8, 1); }},
    {"WValidDropped", "w_valid_held",
     [](Axi& a, bool v) {
       a.aw(1, 0x100, 0);
       hold(
           a, a.m.w_valid_i, a.m.w_ready_i, v, Break::kDrop, [&] { a.m.w_last_i = 1; }, [] {});
     }},
    {"WDataChanged", "w_stable",
     [](Axi& a, bool v) {
       a.aw(1, 0x100, 0);
       hold(
           a, a.m.w_valid_i, a.m.w_ready_i, v, Break::kChange, [&] { a.m.w_last_i = 1, a.m.w_strb_i = 0xF; },
           [&] { a.m.w_strb_i = 0x3; });
     }},
    // Control: W in the same cycle as its AW (allowed); violation: the W a cycle before it.
    {"WBeforeAw", "w_after_aw",
     [](Axi& a, bool v) {
       a.m.w_last_i = 1;
       a.m.w_valid_i = 1;
       if (!v) {
         a.set_aw(1, 0x100, 0);
         a.m.aw_valid_i = 1;
       }
       a.step();
       a.m.aw_valid_i = 0;
       a.m.w_valid_i = 0;
       a.aw(1, 0x100, 0);
     }},
    {"WLastEarly", "w_last_exact",
     [](Axi& a, bool v) {
       a.aw(1, 0x100, 1);
       a.aw(2, 0x200, 2);
       a.burst_w(2);
       a.w(false);
       a.w(v);
       if (!v) a.w(true);
     }},
    {"WLastMissing", "w_last_exact",
     [](Axi& a, bool v) {
       a.aw(1, 0x100, 1);
       a.w(false);
       a.w(!v);
     }},
    {"AwTrackingOverflow", "tracking_overflow_aw",
     [](Axi& a, bool v) {
       for (int i = 0; i < (v ? 5 : 4); ++i) a.aw(1, 0x100, 0);
     }},
    {"BBeforeLastW", "b_after_last_w",
     [](Axi& a, bool v) {
       a.aw(4, 0x100, 1);
       a.w(false);
       if (!v) a.w(true);
       a.b(4);
     }},
    {"BWrongId", "b_after_last_w",
     [](Axi& a, bool v) {
       a.aw(4, 0x100, 0);
       a.w(true);
       a.b(v ? 5 : 4);
     }},
    {"BValidDropped", "b_valid_held",
     [](Axi& a, bool v) {
       a.aw(4, 0x100, 0);
       a.w(true);
       hold(
           a, a.m.b_valid_i, a.m.b_ready_i, v, Break::kDrop, [&] { a.m.b_id_i = 4; }, [] {});
     }},
    {"BRespChanged", "b_stable",
     [](Axi& a, bool v) {
       a.aw(4, 0x100, 0);
       a.w(true);
       hold(
           a, a.m.b_valid_i, a.m.b_ready_i, v, Break::kChange, [&] { a.m.b_id_i = 4, a.m.b_resp_i = 0; },
           [&] { a.m.b_resp_i = 2; });
     }},
    {"BTrackingOverflow", "tracking_overflow_b",
     [](Axi& a, bool v) {
       for (int i = 0; i < (v ? 5 : 4); ++i) {
         a.aw(6, 0x100, 0);
         a.w(true);
       }
     }},
};

void PrintTo(const AxiCase& c, std::ostream* os) { *os << c.name; }

[[noreturn]] void run_axi(const AxiCase& c, bool violate) {
  Axi a;
  c.run(a, violate);
  run_on_and_exit(a.sim);
}

class AxiCheckerRules : public AssertionDeathTest, public ::testing::WithParamInterface<AxiCase> {};

TEST_P(AxiCheckerRules, FiresOnlyOnTheViolation) {
  const AxiCase& c = GetParam();
  EXPECT_EXIT(run_axi(c, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(run_axi(c, true), std::string("assertion ") + c.assertion + " failed");
}

INSTANTIATE_TEST_SUITE_P(Cases, AxiCheckerRules, ::testing::ValuesIn(kAxiCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace systole::verif
