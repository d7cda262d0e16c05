// The host registers through the whole chip (ChipSim: Verilated chip_top, AxiMemory, AxilMaster)
// on every configuration with a chip model (docs/csr.md): identification and configuration
// registers equal to the configuration, read/write registers read back (windows, semaphores,
// IRQ_ENABLE, PROG_BASE/LEN, WATCHDOG) with and without random host-bus delays, unmapped offsets
// answer SLVERR, and a one-instruction program (END) raises DONE and the interrupt.
// Corner cases, by name: IdAndVersion, ConfigRegisters, ResetValues, WindowsReadBack,
// SemaphoresReadBack, ControlRegistersReadBack, RandomHostBusTiming, UnmappedOffsetsSlverr,
// EndProgramRaisesDoneAndIrq.
#include <gtest/gtest.h>

#include <random>

#include "systole/golden/builder.hpp"
#include "systole/golden/config.hpp"
#include "systole/regs/csr_map.hpp"
#include "systole/sim/chip_sim.hpp"
#include "test_seed.hpp"

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

namespace r = systole::regs;

class ChipCsr : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ChipSimOptions o;
    o.dram_bytes = 1u << 20;
    sim_ = make_chip_sim(GetParam(), o);
    cfg_ = golden::Config::by_name(GetParam());
    rng_.seed(test_seed(true));
  }
  std::uint32_t rd(std::uint32_t off) { return sim_->read_csr(off); }
  void wr(std::uint32_t off, std::uint32_t v) { sim_->write_csr(off, v); }

  std::unique_ptr<ChipSim> sim_;
  golden::Config cfg_;
  std::mt19937_64 rng_;
};

TEST_P(ChipCsr, IdAndVersion) {
  EXPECT_EQ(rd(r::id::kOffset), r::id::kReset);
  EXPECT_EQ(rd(r::version::kOffset), r::version::kReset);
}

TEST_P(ChipCsr, ConfigRegisters) {
  EXPECT_EQ(rd(r::cfg_array::kOffset), cfg_.partitions | (cfg_.columns << r::cfg_array::kCShift));
  EXPECT_EQ(rd(r::cfg_sbuf::kOffset), cfg_.sbuf_bytes);
  EXPECT_EQ(rd(r::cfg_psum::kOffset), cfg_.psum_bytes);
  const std::uint32_t feat = (cfg_.int8 ? r::cfg_feat::kInt8Mask : 0u) | (cfg_.bf16 ? r::cfg_feat::kBf16Mask : 0u) |
                             (cfg_.fp8 ? r::cfg_feat::kFp8E4m3Mask : 0u) |
                             (cfg_.vector_engine ? r::cfg_feat::kVectorMask : 0u) |  // EnableVector
                             (cfg_.dma_queues << r::cfg_feat::kDmaQueuesShift) |
                             (cfg_.queue_depth << r::cfg_feat::kQueueDepthShift) |
                             (golden::Config::kNumSemaphores << r::cfg_feat::kSemaphoresShift);
  EXPECT_EQ(rd(r::cfg_feat::kOffset), feat);
  EXPECT_EQ(rd(r::cfg_nmax::kOffset), cfg_.nmax | (cfg_.axi_data_bits << r::cfg_nmax::kAxiDataBitsShift));
}

TEST_P(ChipCsr, ResetValues) {
  for (const r::Register& reg : r::kRegisters) {
    if (reg.reset_per_config) continue;
    EXPECT_EQ(rd(reg.offset), reg.reset) << reg.name;
  }
}

TEST_P(ChipCsr, WindowsReadBack) {
  for (int round = 0; round < 3; ++round) {
    std::uint32_t want[r::win_base::kCount][3];
    for (unsigned i = 0; i < r::win_base::kCount; ++i) {
      want[i][0] = static_cast<std::uint32_t>(rng_());
      want[i][1] = static_cast<std::uint32_t>(rng_());
      want[i][2] = static_cast<std::uint32_t>(rng_());
      wr(r::win_base::offset(i), want[i][0]);
      wr(r::win_limit::offset(i), want[i][1]);
      wr(r::win_ctrl::offset(i), want[i][2]);
    }
    for (unsigned i = 0; i < r::win_base::kCount; ++i) {
      EXPECT_EQ(rd(r::win_base::offset(i)), want[i][0]) << "window " << i;
      EXPECT_EQ(rd(r::win_limit::offset(i)), want[i][1]) << "window " << i;
      EXPECT_EQ(rd(r::win_ctrl::offset(i)), want[i][2] & r::win_ctrl::kRwMask) << "window " << i;
    }
  }
}

TEST_P(ChipCsr, SemaphoresReadBack) {
  std::uint32_t want[r::sem::kCount];
  for (unsigned i = 0; i < r::sem::kCount; ++i) {
    want[i] = static_cast<std::uint32_t>(rng_());
    wr(r::sem::offset(i), want[i]);
  }
  for (unsigned i = 0; i < r::sem::kCount; ++i) EXPECT_EQ(rd(r::sem::offset(i)), want[i]) << "SEM[" << i << "]";
  // Byte strobes: only the written lanes change.
  EXPECT_EQ(sim_->write_csr_resp(r::sem::offset(3), 0xA5A5A5A5u, 0x5), kAxiOkay);
  EXPECT_EQ(rd(r::sem::offset(3)), (want[3] & 0xFF00FF00u) | 0x00A500A5u);
}

TEST_P(ChipCsr, ControlRegistersReadBack) {
  wr(r::irq_enable::kOffset, 0xFFFFFFFFu);
  EXPECT_EQ(rd(r::irq_enable::kOffset), r::irq_enable::kRwMask);
  wr(r::irq_enable::kOffset, 0);
  EXPECT_EQ(rd(r::irq_enable::kOffset), 0u);
  wr(r::prog_base::kOffset, 0x12345678u);
  EXPECT_EQ(rd(r::prog_base::kOffset), 0x12345678u & r::prog_base::kRwMask);
  wr(r::prog_len::kOffset, 0xCAFEu);
  EXPECT_EQ(rd(r::prog_len::kOffset), 0xCAFEu);
  wr(r::watchdog::kOffset, 77);
  EXPECT_EQ(rd(r::watchdog::kOffset), 77u);
  // Read-only registers ignore writes with OKAY.
  EXPECT_EQ(sim_->write_csr_resp(r::id::kOffset, 0, 0xF), kAxiOkay);
  EXPECT_EQ(rd(r::id::kOffset), r::id::kReset);
  EXPECT_EQ(sim_->write_csr_resp(r::status::kOffset, 0xFFFFFFFFu, 0xF), kAxiOkay);
  EXPECT_EQ(rd(r::status::kOffset), 0u);
}

// The same read-backs with random VALID delays and READY stalls on the host bus.
TEST_P(ChipCsr, RandomHostBusTiming) {
  AxilMasterOptions o;
  o.max_valid_delay = 5;
  o.ready_stall_percent = 40;
  o.seed = test_seed(true);
  sim_->set_axil_options(o);
  for (int i = 0; i < 100; ++i) {
    const unsigned s = static_cast<unsigned>(rng_() % r::sem::kCount);
    const auto v = static_cast<std::uint32_t>(rng_());
    wr(r::sem::offset(s), v);
    ASSERT_EQ(rd(r::sem::offset(s)), v) << replay_command(GetParam());
    const unsigned w = static_cast<unsigned>(rng_() % r::win_base::kCount);
    wr(r::win_limit::offset(w), v ^ 0x5555u);
    ASSERT_EQ(rd(r::win_limit::offset(w)), v ^ 0x5555u) << replay_command(GetParam());
  }
  EXPECT_EQ(rd(r::id::kOffset), r::id::kReset);
}

TEST_P(ChipCsr, UnmappedOffsetsSlverr) {
  for (const std::uint32_t off : {0x01Cu, 0x048u, 0x04Cu, 0x05Cu, 0x090u, 0x180u, 0x270u, 0x300u, 0xFFCu}) {
    const AxilReadResult rr = sim_->read_csr_resp(off);
    EXPECT_EQ(rr.resp, kAxiSlvErr) << std::hex << off;
    EXPECT_EQ(rr.data, 0u) << std::hex << off;
    EXPECT_EQ(sim_->write_csr_resp(off, 0xFFFFFFFFu, 0xF), kAxiSlvErr) << std::hex << off;
  }
  // Nothing changed, the bus still works.
  EXPECT_EQ(rd(r::id::kOffset), r::id::kReset);
  EXPECT_EQ(rd(r::irq_enable::kOffset), 0u);
}

// A program of one END instruction: STATUS.DONE, IRQ_STATUS.DONE, irq_o while enabled, one
// instruction retired; the interrupt drops when IRQ_STATUS is cleared.
TEST_P(ChipCsr, EndProgramRaisesDoneAndIrq) {
  golden::ProgramBuilder b(cfg_);
  b.end();
  const auto words = b.finish();
  ASSERT_EQ(words.size(), 1u);
  const std::uint32_t base = 0x1000;
  for (unsigned w = 0; w < golden::kInstructionWords; ++w)
    sim_->memory().store<std::uint32_t>(base + 4 * w, words[0][w]);
  wr(r::irq_enable::kOffset, r::irq_enable::kDoneMask);
  wr(r::prog_base::kOffset, base);
  wr(r::prog_len::kOffset, 1);
  EXPECT_FALSE(sim_->irq());
  wr(r::ctrl::kOffset, r::ctrl::kStartMask);
  sim_->run_until_irq(10000);
  ASSERT_TRUE(sim_->irq());
  EXPECT_EQ(rd(r::status::kOffset), r::status::kDoneMask);
  EXPECT_EQ(rd(r::irq_status::kOffset), r::irq_status::kDoneMask);
  EXPECT_EQ(rd(r::instructions::kLoOffset), 1u);
  EXPECT_EQ(rd(r::instructions::kHiOffset), 0u);
  EXPECT_GT(rd(r::cycles::kLoOffset), 0u);
  wr(r::irq_status::kOffset, r::irq_status::kDoneMask);
  sim_->step(2);
  EXPECT_FALSE(sim_->irq());
  EXPECT_EQ(rd(r::status::kOffset), r::status::kDoneMask);  // DONE stays until the next START
}

// Every configuration with a chip model in this build (SYSTOLE_CHIP_CONFIGS).
INSTANTIATE_TEST_SUITE_P(Configs, ChipCsr, ::testing::ValuesIn(chip_configs()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace systole::verif
