// axi_arbiter's assertions fire (death tests, a child process each) and stay quiet in the same
// sequence without the violation (controls):
//   RIdUnmapped / BIdUnmapped: the slave answers with an ID that belongs to no master;
//   ArPayloadChanged / ArValidDropped: a master breaks the AR handshake while the chip port waits;
//   WDataChanged: the W beat at the head changes while WREADY is low.
#include <gtest/gtest.h>

#include "arbiter_bench.hpp"
#include "death_test.hpp"

namespace systole::verif::arb {
namespace {

enum class Case { kRId, kBId, kArPayload, kArValid, kWData };

// Master kN-1 (a DMA queue) requests with the chip port's READY low; after a few cycles the
// violation (or nothing) is committed and the model runs on.
[[noreturn]] void drive(Case c, bool violate) {
  assertion_messages_to_stderr();
  SimController<Model> sim;
  Model& m = *sim;
  const unsigned q = kN - 1;
  sim.reset();
  m.ar_ready_i = m.aw_ready_i = m.w_ready_i = 0;
  m.r_valid_i = m.b_valid_i = 0;
  m.mst_r_ready_i = m.mst_b_ready_i = 0;
  switch (c) {
    case Case::kRId:
    case Case::kBId: {
      (c == Case::kRId ? m.r_valid_i : m.b_valid_i) = 1;
      (c == Case::kRId ? m.r_id_i : m.b_id_i) = violate ? kN : kN - 1;  // kN <= 15 here
      break;
    }
    case Case::kArPayload:
    case Case::kArValid:
      set_bits(m.mst_ar_valid_i, q, 1, 1);
      put(m.mst_ar_addr_i, 32 * q, 32, std::uint64_t{0x1000});
      break;
    case Case::kWData: {
      // AW accepted first (it enters the W-order FIFO), then W waits with WREADY low.
      set_bits(m.mst_aw_valid_i, q, 1, 1);
      put(m.mst_aw_addr_i, 32 * q, 32, std::uint64_t{0x2000});
      m.aw_ready_i = 1;
      sim.eval();
      if (!m.aw_valid_o) precondition_failed("AW not presented");
      sim.tick();
      set_bits(m.mst_aw_valid_i, q, 1, 0);
      m.aw_ready_i = 0;
      set_bits(m.mst_w_valid_i, q, 1, 1);
      set_bits(m.mst_w_last_i, q, 1, 1);
      put(m.mst_w_data_i, kBits * q, 32, std::uint64_t{0x11111111});
      break;
    }
  }
  for (int i = 0; i < 3; ++i) {
    sim.eval();
    sim.tick();
  }
  if (c == Case::kWData && !m.w_valid_o) precondition_failed("W not presented");
  if ((c == Case::kArPayload || c == Case::kArValid) && !m.ar_valid_o) precondition_failed("AR not presented");
  if (violate) {
    switch (c) {
      case Case::kArPayload: put(m.mst_ar_addr_i, 32 * q, 32, std::uint64_t{0x1040}); break;
      case Case::kArValid: set_bits(m.mst_ar_valid_i, q, 1, 0); break;
      case Case::kWData: put(m.mst_w_data_i, kBits * q, 32, std::uint64_t{0x22222222}); break;
      default: break;
    }
  }
  run_on_and_exit(sim);
}

class AxiArbiterAssertions : public AssertionDeathTest {};

TEST_F(AxiArbiterAssertions, RIdUnmapped) {
  EXPECT_EXIT(drive(Case::kRId, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(drive(Case::kRId, true), "r_id_maps");
}

TEST_F(AxiArbiterAssertions, BIdUnmapped) {
  EXPECT_EXIT(drive(Case::kBId, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(drive(Case::kBId, true), "b_id_maps");
}

TEST_F(AxiArbiterAssertions, ArPayloadChanged) {
  EXPECT_EXIT(drive(Case::kArPayload, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(drive(Case::kArPayload, true), "ar_stable");
}

TEST_F(AxiArbiterAssertions, ArValidDropped) {
  EXPECT_EXIT(drive(Case::kArValid, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(drive(Case::kArValid, true), "ar_stable|lock_held");
}

TEST_F(AxiArbiterAssertions, WDataChanged) {
  EXPECT_EXIT(drive(Case::kWData, false), testing::ExitedWithCode(0), "");
  EXPECT_DEATH(drive(Case::kWData, true), "w_stable");
}

}  // namespace
}  // namespace systole::verif::arb
