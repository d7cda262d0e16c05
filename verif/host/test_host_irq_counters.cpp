// Block tests of the host interface (rtl/host/csr_regs.sv, rtl/host/perf_counters.sv): the
// interrupt and the performance counters.
// On one Verilated configuration, against docs/csr.md through the generated table in sw/regs.
// Built once per configuration (CMakeLists.txt links the model; host_bench.hpp reads its configuration).
//
//   SYSTOLE_SEED   base seed (default: random); every failure prints the replay command
//   SYSTOLE_TRACE  FST file to record
//
// Corner cases, by test name:
//   IrqStatusIsW1cWithStrobes           w1c per bit, lanes with strobe low count as zeros
//   IrqLineFollowsStatusAndEnable       events set status whether enabled or not; irq_o = |(S & E)
//   IrqEventWinsOverSameCycleClear      event in the cycle the w1c write is performed
//   SoftResetClearsIrqStatusAndWinsOverEvent  event in the soft_reset_o cycle is dropped
//   CountersCountTheirInputs            every counter, exact; LINK_BYTES/RETRANSMITS read 0
//   SnapshotCarriesAcrossTheLowWord     LO/HI pairs while MACS carries into HI every cycle
//   SnapshotIsSharedAndTakenByLoReads   HI returns the last LO read's snapshot, of any counter
//   ClearCountersZeroesCountersAndSnapshot  and soft reset does not clear them
//   CounterWrapsModulo2To64             a preloaded counter wraps through 2^64
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "host_bench.hpp"

namespace systole::verif::host {
namespace {

using Host = HostBench;

TEST_F(Host, IrqStatusIsW1cWithStrobes) {
  done_event();
  error_event();
  EXPECT_EQ(rd(regs::irq_status::kOffset), regs::irq_status::kW1cMask);
  EXPECT_EQ(m().irq_o, 0) << "not enabled";
  wr(regs::irq_status::kOffset, 0xFFFFFFFFu, 0x0);  // lane 0 strobe low: written as zeros
  wr(regs::irq_status::kOffset, 0xFFFFFFFFu, 0xE);
  wr(regs::irq_status::kOffset, 0x0u);
  EXPECT_EQ(rd(regs::irq_status::kOffset), regs::irq_status::kW1cMask);
  wr(regs::irq_status::kOffset, regs::irq_status::kErrorMask);
  EXPECT_EQ(rd(regs::irq_status::kOffset), regs::irq_status::kDoneMask);
  wr(regs::irq_status::kOffset, regs::irq_status::kDoneMask, 0x1);
  EXPECT_EQ(rd(regs::irq_status::kOffset), 0u);
  error_event();
  EXPECT_EQ(rd(regs::irq_status::kOffset), regs::irq_status::kErrorMask);
}

TEST_F(Host, IrqLineFollowsStatusAndEnable) {
  for (unsigned en = 0; en < 4; ++en) {
    for (unsigned ev = 0; ev < 4; ++ev) {
      SCOPED_TRACE(fmt::format("enable {} events {}", en, ev));
      wr(regs::irq_enable::kOffset, en);
      wr(regs::irq_status::kOffset, 0x3);
      ASSERT_EQ(m().irq_o, 0);
      if (ev & 1) done_event();
      if (ev & 2) error_event();
      sim.eval();
      EXPECT_EQ(rd(regs::irq_status::kOffset), ev) << "set whether or not enabled";
      EXPECT_EQ(m().irq_o, (en & ev) != 0);
    }
  }
  // Enabling after the event raises the line; disabling drops it; clearing drops it.
  wr(regs::irq_enable::kOffset, 0);
  wr(regs::irq_status::kOffset, 0x3);
  done_event();
  sim.eval();
  EXPECT_EQ(m().irq_o, 0);
  wr(regs::irq_enable::kOffset, regs::irq_enable::kDoneMask);
  EXPECT_EQ(m().irq_o, 1);
  wr(regs::irq_enable::kOffset, 0);
  EXPECT_EQ(m().irq_o, 0);
  wr(regs::irq_enable::kOffset, regs::irq_enable::kDoneMask);
  EXPECT_EQ(m().irq_o, 1);
  wr(regs::irq_status::kOffset, regs::irq_status::kDoneMask);
  EXPECT_EQ(m().irq_o, 0);
}

TEST_F(Host, IrqEventWinsOverSameCycleClear) {
  done_event();
  ASSERT_EQ(rd(regs::irq_status::kOffset), regs::irq_status::kDoneMask);
  // The write is performed in the cycle both AW and W are held and B is not yet valid, which is
  // the only cycle with AWREADY, WREADY and BVALID all low during a write. Pulse DONE there.
  unsigned pulses = 0;
  axi.set_cycle_hook([&] {
    const bool performing = !m().s_axil_awready_o && !m().s_axil_wready_o && !m().s_axil_bvalid_o;
    m().done_event_i = performing;
    pulses += performing;
  });
  wr(regs::irq_status::kOffset, regs::irq_status::kDoneMask);
  axi.set_cycle_hook(nullptr);
  m().done_event_i = 0;
  ASSERT_EQ(pulses, 1u);
  EXPECT_EQ(rd(regs::irq_status::kOffset), regs::irq_status::kDoneMask) << "the event is not lost";
  wr(regs::irq_status::kOffset, regs::irq_status::kDoneMask);
  EXPECT_EQ(rd(regs::irq_status::kOffset), 0u);
}

TEST_F(Host, SoftResetClearsIrqStatusAndWinsOverEvent) {
  wr(regs::irq_enable::kOffset, 0x3);
  done_event();
  error_event();
  sim.eval();
  ASSERT_EQ(m().irq_o, 1);
  unsigned pulses = 0;
  axi.set_cycle_hook([&] {
    m().error_event_i = m().soft_reset_o;  // the core's error stop finishes in that same cycle
    pulses += m().soft_reset_o;
  });
  wr(regs::ctrl::kOffset, regs::ctrl::kSoftResetMask);
  axi.set_cycle_hook(nullptr);
  m().error_event_i = 0;
  ASSERT_EQ(pulses, 1u);
  sim.eval();
  EXPECT_EQ(m().irq_o, 0) << "the line drops once the write has completed";
  EXPECT_EQ(rd(regs::irq_status::kOffset), 0u);
  EXPECT_EQ(rd(regs::irq_enable::kOffset), 0x3u) << "soft reset keeps IRQ_ENABLE";
}

TEST_F(Host, CountersCountTheirInputs) {
  struct Amount {
    unsigned index;
    std::uint64_t per_cycle;
  };
  const Amount amounts[] = {
      {regs::cycles::kIndex, 1},
      {regs::busy_tensor::kIndex, 1},
      {regs::busy_vec::kIndex, 1},
      {regs::busy_dma::kIndex, 1},
      {regs::macs::kIndex, 0xFFFFFFFFu},
      {regs::dram_rd_bytes::kIndex, 0xFFFF},
      {regs::dram_wr_bytes::kIndex, 0x1234},
      {regs::fetch_bytes::kIndex, 64},
      {regs::instructions::kIndex, 15},
      {regs::stall_sem::kIndex, 9},
      {regs::stall_queue::kIndex, 1},
      {regs::stall_dram::kIndex, 1},
  };
  auto& x = m();
  x.busy_i = 1;
  x.te_busy_i = 1;
  x.vec_busy_i = 1;
  x.dma_busy_i = 1;
  x.macs_add_i = 0xFFFFFFFFu;
  x.dram_rd_add_i = 0xFFFF;
  x.dram_wr_add_i = 0x1234;
  x.fetch_add_i = 64;
  x.retired_add_i = 15;
  x.stall_sem_add_i = 9;
  x.stall_queue_i = 1;
  x.stall_dram_i = 1;
  constexpr unsigned kCycles = 1000;
  cycles(kCycles);
  x.busy_i = 0;
  stop_counter_inputs();
  for (const Amount& a : amounts) {
    EXPECT_EQ(rd_counter(a.index), a.per_cycle * kCycles) << regs::kCounters[a.index].name;
  }
  EXPECT_EQ(rd_counter(regs::link_bytes::kIndex), 0u);
  EXPECT_EQ(rd_counter(regs::retransmits::kIndex), 0u);
  // One input at a time: each counter counts only its own input.
  for (const Amount& a : amounts) {
    SCOPED_TRACE(std::string(regs::kCounters[a.index].name));
    wr(regs::ctrl::kOffset, regs::ctrl::kClearCountersMask);
    switch (a.index) {
      case regs::cycles::kIndex: x.busy_i = 1; break;
      case regs::busy_tensor::kIndex: x.te_busy_i = 1; break;
      case regs::busy_vec::kIndex: x.vec_busy_i = 1; break;
      case regs::busy_dma::kIndex: x.dma_busy_i = 1; break;
      case regs::macs::kIndex: x.macs_add_i = 0xFFFFFFFFu; break;
      case regs::dram_rd_bytes::kIndex: x.dram_rd_add_i = 0xFFFF; break;
      case regs::dram_wr_bytes::kIndex: x.dram_wr_add_i = 0x1234; break;
      case regs::fetch_bytes::kIndex: x.fetch_add_i = 64; break;
      case regs::instructions::kIndex: x.retired_add_i = 15; break;
      case regs::stall_sem::kIndex: x.stall_sem_add_i = 9; break;
      case regs::stall_queue::kIndex: x.stall_queue_i = 1; break;
      case regs::stall_dram::kIndex: x.stall_dram_i = 1; break;
      default: FAIL();
    }
    cycles(10);
    x.busy_i = 0;
    stop_counter_inputs();
    for (const regs::Counter& c : regs::kCounters) {
      EXPECT_EQ(rd_counter(c.index), c.index == a.index ? a.per_cycle * 10 : 0u) << c.name;
    }
  }
}

TEST_F(Host, SnapshotCarriesAcrossTheLowWord) {
  // MACS adds 2^32 - 1 per cycle: its HI word changes every cycle and LO wraps every cycle, so a
  // pair whose HI is not the snapshot taken with LO is not a multiple of 2^32 - 1.
  axi.set_options({3, 40, 1000, seed()});
  m().macs_add_i = 0xFFFFFFFFu;
  cycles(1);
  constexpr std::uint64_t kStep = 0xFFFFFFFFu;
  std::uint64_t last = 0;
  for (int i = 0; i < 200; ++i) {
    const std::uint64_t v = rd_counter(regs::macs::kIndex);
    ASSERT_EQ(v % kStep, 0u) << fmt::format("pair {}: 0x{:016X} is torn", i, v);
    ASSERT_GT(v, last) << "counter runs";
    last = v;
    cycles(static_cast<unsigned>(rng() % 5));
  }
  // A counter that carries into HI about every 16 cycles. 2^32 = -16 modulo the step, so a
  // pair with a later HI is not a multiple of it.
  constexpr std::uint64_t kSlow = 0x10000001u;
  m().macs_add_i = 0;
  wr(regs::ctrl::kOffset, regs::ctrl::kClearCountersMask);
  m().macs_add_i = static_cast<std::uint32_t>(kSlow);
  cycles(1);
  last = 0;
  for (int i = 0; i < 200; ++i) {
    const std::uint64_t v = rd_counter(regs::macs::kIndex);
    ASSERT_EQ(v % kSlow, 0u) << fmt::format("pair {}: 0x{:016X} is torn", i, v);
    ASSERT_GT(v, last);
    last = v;
  }
  EXPECT_GT(last >> 32, 10u) << "crossed the 32-bit boundary many times";
}

TEST_F(Host, SnapshotIsSharedAndTakenByLoReads) {
  m().macs_add_i = 0xFFFFFFFFu;
  cycles(100);
  m().macs_add_i = 0;
  const std::uint32_t lo = rd(regs::macs::kLoOffset);
  const std::uint32_t hi = rd(regs::macs::kHiOffset);
  EXPECT_EQ(((std::uint64_t{hi} << 32) | lo), 100u * 0xFFFFFFFFull);
  // Every HI offset returns the one snapshot; reading HI does not capture.
  EXPECT_EQ(rd(regs::cycles::kHiOffset), hi);
  EXPECT_EQ(rd(regs::retransmits::kHiOffset), hi);
  EXPECT_EQ(rd(regs::macs::kHiOffset), hi);
  // A LO read of another counter (HI 0) replaces it, even a reserved one.
  rd(regs::busy_tensor::kLoOffset);
  EXPECT_EQ(rd(regs::macs::kHiOffset), 0u);
  rd(regs::macs::kLoOffset);
  EXPECT_EQ(rd(regs::macs::kHiOffset), hi);
  rd(regs::link_bytes::kLoOffset);
  EXPECT_EQ(rd(regs::macs::kHiOffset), 0u);
}

TEST_F(Host, ClearCountersZeroesCountersAndSnapshot) {
  auto& x = m();
  x.busy_i = 1;
  x.macs_add_i = 0xFFFFFFFFu;
  x.fetch_add_i = 64;
  cycles(50);
  x.busy_i = 0;
  stop_counter_inputs();
  // Soft reset keeps the counters.
  const std::uint64_t macs = rd_counter(regs::macs::kIndex);
  const std::uint64_t cyc = rd_counter(regs::cycles::kIndex);
  ASSERT_EQ(macs, 50u * 0xFFFFFFFFull);
  wr(regs::ctrl::kOffset, regs::ctrl::kSoftResetMask);
  EXPECT_EQ(rd_counter(regs::macs::kIndex), macs);
  EXPECT_EQ(rd_counter(regs::cycles::kIndex), cyc);
  rd(regs::macs::kLoOffset);  // snapshot = HI of MACS, nonzero
  wr(regs::ctrl::kOffset, regs::ctrl::kClearCountersMask);
  EXPECT_EQ(rd(regs::macs::kHiOffset), 0u) << "snapshot cleared too";
  for (const regs::Counter& c : regs::kCounters) EXPECT_EQ(rd_counter(c.index), 0u) << c.name;
  // Counting resumes from zero.
  x.fetch_add_i = 64;
  cycles(3);
  x.fetch_add_i = 0;
  EXPECT_EQ(rd_counter(regs::fetch_bytes::kIndex), 3u * 64u);
}

TEST_F(Host, CounterWrapsModulo2To64) {
  // Preload MACS just below 2^64 through the public register (host_tb.vlt), then count on.
  static_assert(regs::macs::kIndex == 4, "gen_cnt[4] below is MACS");
  auto& cnt = m().rootp->host_tb__DOT__u_perf__DOT__gen_cnt__BRA__4__KET____DOT__cnt_q;
  cnt = 0xFFFFFFFFFFFFFFF0ull;
  sim.eval();
  EXPECT_EQ(rd_counter(regs::macs::kIndex), 0xFFFFFFFFFFFFFFF0ull) << "preload visible";
  m().macs_add_i = 0x20;
  cycles(1);
  m().macs_add_i = 0;
  EXPECT_EQ(rd_counter(regs::macs::kIndex), 0x10u);
  cnt = 0xFFFFFFFFFFFFFFFFull;
  sim.eval();
  m().macs_add_i = 0xFFFFFFFFu;
  cycles(2);
  m().macs_add_i = 0;
  EXPECT_EQ(rd_counter(regs::macs::kIndex), 0x1FFFFFFFDull) << "2^64 - 1 + 2 * (2^32 - 1) = 2^64 + 2^33 - 3";
}

}  // namespace
}  // namespace systole::verif::host
