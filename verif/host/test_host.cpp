// Block tests of the host interface (rtl/host/csr_regs.sv, rtl/host/perf_counters.sv) on one
// Verilated configuration, against docs/csr.md through the generated table in sw/regs.
// Built once per configuration (CMakeLists.txt passes HT_* and the model class).
//
//   SYSTOLE_SEED   base seed (default: random); every failure prints the replay command
//   SYSTOLE_TRACE  FST file to record
//
// Corner cases, by test name:
//   ResetValuesOfEveryRegister          every mapped word after reset, from the JSON (per-config too)
//   CoreOutputsAfterReset               prog_base/len, watchdog, windows, irq, no pulses
//   LowAddressBitsAreIgnored            0x..1/2/3 alias the word (reads and writes)
//   RwRegistersWithByteStrobes          all 16 strobe patterns on every rw word; core outputs follow
//   ReservedAndReadOnlyBitsReadZero     0xFFFFFFFF into every rw word reads back its rw mask
//   ReadOnlyRegistersIgnoreWrites       OKAY, value unchanged (config, status, errors, counters)
//   StatusAndErrorsFollowTheCore        STATUS bits, ERR_CODE/INDEX, ERR_INFO reserved bits read 0
//   UnmappedOffsetsGiveSlverr           every unmapped word: read 0 + SLVERR, write SLVERR, no effect
//   HolesInsideTheMap                   0x01C, 0x048, 0x05C, ... named holes are unmapped
//   CtrlReadsZeroAndPulsesOnce          each CTRL bit: one one-cycle pulse, CTRL reads 0
//   CtrlLaneWithStrobeLowCountsAsZero   CTRL bits under WSTRB[0] = 0 do nothing
//   StartIgnoredWhileBusyOrError        START gated by busy_i and error_i
//   SoftResetWinsOverStartInSameWrite   0x3 / 0x7: soft reset (and clear), no start
//   ClearCountersWithStartSameCycle     0x5: both pulses in one cycle, counters zero
//   WindowsAndSemaphoresIgnoredWhileBusy  WIN_* and SEM writes dropped (OKAY), others still written
//   SemaphoresReadTheCore               reads follow core-side semaphore updates, even while busy
//   SemaphoreWriteBesideConcurrentRead  a SEM read-modify-write while an AR is waiting
//   IrqStatusIsW1cWithStrobes           w1c per bit, lanes with strobe low count as zeros
//   IrqLineFollowsStatusAndEnable       events set status whether enabled or not; irq_o = |(S & E)
//   IrqEventWinsOverSameCycleClear      event in the cycle the w1c write is performed
//   SoftResetClearsIrqStatusAndWinsOverEvent  event in the soft_reset_o cycle is dropped
//   CountersCountTheirInputs            every counter, exact; LINK_BYTES/RETRANSMITS read 0
//   SnapshotCarriesAcrossTheLowWord     LO/HI pairs while MACS carries into HI every cycle
//   SnapshotIsSharedAndTakenByLoReads   HI returns the last LO read's snapshot, of any counter
//   ClearCountersZeroesCountersAndSnapshot  and soft reset does not clear them
//   CounterWrapsModulo2To64             a preloaded counter wraps through 2^64
//   WriteChannelOrderings               AW before W (gaps), W before AW (gaps), together
//   OneOutstandingWriteAndRead          B pending: AW/W not accepted; R pending: AR not accepted
//   ResponsesHeldUnderBackPressure      random valid delays and BREADY/RREADY back-pressure
//   RandomAgainstModel                  random accesses, orders, busy/error, events vs CsrRef
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

std::vector<const regs::Register*> registers_with(regs::Access a) {
  std::vector<const regs::Register*> out;
  for (const regs::Register& r : regs::kRegisters) {
    if (r.access == a) out.push_back(&r);
  }
  return out;
}

// The value csr_regs drives to the core for an rw word (nullopt-like: false when none).
bool core_view(Host& h, const regs::Register& r, std::uint32_t& v) {
  auto& m = h.m();
  if (r.offset == regs::prog_base::kOffset) {
    v = m.prog_base_o;
  } else if (r.offset == regs::prog_len::kOffset) {
    v = m.prog_len_o;
  } else if (r.offset == regs::watchdog::kOffset) {
    v = m.watchdog_o;
  } else if (is_window_word(r)) {
    v = h.win_out(r);
  } else {
    return false;
  }
  return true;
}

TEST_F(Host, ResetValuesOfEveryRegister) {
  for (const regs::Register& r : regs::kRegisters) {
    const AxilReadResult got = axi.read(r.offset);
    EXPECT_EQ(got.resp, kAxiOkay) << r.name;
    EXPECT_EQ(got.data, expected_reset(r)) << fmt::format("{} at 0x{:03X}", r.name, r.offset);
  }
  // The configuration words, spelled out once (a wrong shift in both places would hide).
  EXPECT_EQ(rd(regs::cfg_array::kOffset), kCfg.partitions | (kCfg.columns << 16));
  EXPECT_EQ(rd(regs::cfg_feat::kOffset) & regs::cfg_feat::kVectorMask, 0u) << "no vector engine yet";
  EXPECT_EQ(rd(regs::cfg_feat::kOffset) >> regs::cfg_feat::kSemaphoresShift, 32u);
}

TEST_F(Host, CoreOutputsAfterReset) {
  sim.eval();
  EXPECT_EQ(m().prog_base_o, regs::prog_base::kReset);
  EXPECT_EQ(m().prog_len_o, regs::prog_len::kReset);
  EXPECT_EQ(m().watchdog_o, regs::watchdog::kReset);
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(get_bits(m().win_base_o, 32 * i, 32), regs::win_base::kReset);
    EXPECT_EQ(get_bits(m().win_limit_o, 32 * i, 32), regs::win_limit::kReset);
  }
  EXPECT_EQ(m().win_ctrl_o, 0u) << "windows reset disabled";
  EXPECT_EQ(m().irq_o, 0);
  cycles(5);
  EXPECT_EQ(m().start_count_o, 0);
  EXPECT_EQ(m().soft_reset_count_o, 0);
  EXPECT_EQ(m().clear_count_o, 0);
  EXPECT_EQ(m().sem_we_count_o, 0);
}

TEST_F(Host, LowAddressBitsAreIgnored) {
  for (std::uint32_t low = 1; low < 4; ++low) {
    EXPECT_EQ(rd(regs::id::kOffset | low), regs::id::kReset);
    EXPECT_EQ(rd(regs::watchdog::kOffset | low), regs::watchdog::kReset);
  }
  wr(regs::prog_len::kOffset | 2, 0x12345678u);
  EXPECT_EQ(rd(regs::prog_len::kOffset), 0x12345678u);
  EXPECT_EQ(axi.read(0x01C | 3).resp, kAxiSlvErr);
}

TEST_F(Host, RwRegistersWithByteStrobes) {
  const auto rw = registers_with(regs::Access::kRw);
  ASSERT_EQ(rw.size(), 4u + 12u + 32u);  // PROG_BASE, PROG_LEN, IRQ_ENABLE, WATCHDOG, windows, SEM
  for (const regs::Register* r : rw) {
    SCOPED_TRACE(std::string(r->name));
    std::uint32_t expect = expected_reset(*r);
    for (unsigned strb = 0; strb < 16; ++strb) {
      const auto data = static_cast<std::uint32_t>(rng());
      wr(r->offset, data, static_cast<std::uint8_t>(strb));
      const std::uint32_t bm = byte_mask(static_cast<std::uint8_t>(strb));
      expect = ((expect & ~bm) | (data & bm)) & r->rw_mask;
      ASSERT_EQ(rd(r->offset), expect) << fmt::format("strb 0x{:X} data 0x{:08X}", strb, data);
      std::uint32_t core = 0;
      if (core_view(*this, *r, core)) {
        ASSERT_EQ(core, expect) << "core-side output";
      }
    }
  }
  EXPECT_EQ(m().sem_we_count_o, 32u * 16u) << "every SEM write reaches the core, strobe 0 included";
}

TEST_F(Host, ReservedAndReadOnlyBitsReadZero) {
  for (const regs::Register* r : registers_with(regs::Access::kRw)) {
    wr(r->offset, 0xFFFFFFFFu);
    EXPECT_EQ(rd(r->offset), r->rw_mask) << r->name;
  }
  EXPECT_EQ(rd(regs::prog_base::kOffset), 0xFFFFFFC0u);
  EXPECT_EQ(rd(regs::irq_enable::kOffset), 0x3u);
  EXPECT_EQ(rd(regs::win_ctrl::offset(3)), 0x7u);
  EXPECT_EQ(m().prog_base_o, 0xFFFFFFC0u);
  EXPECT_EQ(m().win_ctrl_o, 0xFFFu);
}

TEST_F(Host, ReadOnlyRegistersIgnoreWrites) {
  m().err_code_i = 0x5A;
  m().err_index_i = 0x1234;
  m().err_info_i = 0x25;
  m().done_i = 1;
  const auto ro = registers_with(regs::Access::kRo);
  ASSERT_GE(ro.size(), 9u + 28u);
  for (const regs::Register* r : ro) {
    const std::uint32_t before = rd(r->offset);
    for (std::uint32_t data : {0xFFFFFFFFu, 0x0u, 0xA5A5A5A5u}) {
      EXPECT_EQ(axi.write(r->offset, data, 0xF), kAxiOkay) << r->name;
      EXPECT_EQ(rd(r->offset), before) << r->name;
    }
  }
  EXPECT_EQ(m().start_count_o + m().soft_reset_count_o + m().clear_count_o + m().sem_we_count_o, 0);
}

TEST_F(Host, StatusAndErrorsFollowTheCore) {
  for (unsigned s = 0; s < 8; ++s) {
    m().busy_i = s & 1;
    m().done_i = (s >> 1) & 1;
    m().error_i = (s >> 2) & 1;
    const std::uint32_t expect = ((s & 1) ? regs::status::kBusyMask : 0) | ((s & 2) ? regs::status::kDoneMask : 0) |
                                 ((s & 4) ? regs::status::kErrorMask : 0);
    EXPECT_EQ(rd(regs::status::kOffset), expect);
  }
  m().err_code_i = 0xFF;
  m().err_index_i = 0xDEADBEEF;
  m().err_info_i = 0xFFFFFFFF;
  const regs::Register& info = *regs::find_register("ERR_INFO");
  EXPECT_EQ(rd(regs::err_code::kOffset), 0xFFu);
  EXPECT_EQ(rd(regs::err_index::kOffset), 0xDEADBEEFu);
  EXPECT_EQ(rd(regs::err_info::kOffset), CsrRef::field_mask(info)) << "reserved ERR_INFO bits read 0";
  EXPECT_EQ(CsrRef::field_mask(info), 0x7Fu);
}

TEST_F(Host, UnmappedOffsetsGiveSlverr) {
  // Give every rw word a distinctive value first, so a stray write would show.
  CsrRef ref;
  for (const regs::Register* r : registers_with(regs::Access::kRw)) {
    const auto v = static_cast<std::uint32_t>(rng());
    wr(r->offset, v);
    ref.write(r->offset, v, 0xF);
  }
  const unsigned sem_writes = m().sem_we_count_o;
  unsigned unmapped = 0;
  for (std::uint32_t off = 0; off < regs::kWindowBytes; off += 4) {
    if (regs::find_register(off) != nullptr) continue;
    ++unmapped;
    const AxilReadResult r = axi.read(off);
    ASSERT_EQ(r.resp, kAxiSlvErr) << fmt::format("read 0x{:03X}", off);
    ASSERT_EQ(r.data, 0u) << fmt::format("read 0x{:03X}", off);
    ASSERT_EQ(axi.write(off, 0xFFFFFFFFu, 0xF), kAxiSlvErr) << fmt::format("write 0x{:03X}", off);
  }
  EXPECT_EQ(unmapped, regs::kWindowBytes / 4 - regs::kRegisters.size());
  for (const regs::Register& r : regs::kRegisters) {
    const CsrRef::Read e = ref.read(r.offset);
    if (e.data_known) {
      EXPECT_EQ(rd(r.offset), e.data) << r.name;
    }
  }
  EXPECT_EQ(m().sem_we_count_o, sem_writes);
  EXPECT_EQ(m().start_count_o + m().soft_reset_count_o + m().clear_count_o, 0);
  EXPECT_EQ(m().irq_o, 0);
}

TEST_F(Host, HolesInsideTheMap) {
  // csr.md section 1 names 0x01C, 0x048, 0x05C; the rest are the other gaps of the map.
  for (std::uint32_t off : {0x01Cu, 0x048u, 0x04Cu, 0x05Cu, 0x06Cu, 0x07Cu, 0x08Cu, 0x090u, 0x0FCu, 0x180u,
                            0x1FCu, 0x270u, 0x274u, 0x2FCu, 0xFFCu}) {
    SCOPED_TRACE(fmt::format("0x{:03X}", off));
    ASSERT_EQ(regs::find_register(off), nullptr) << "not a hole in csr_map.hpp";
    const AxilReadResult r = axi.read(off);
    EXPECT_EQ(r.resp, kAxiSlvErr);
    EXPECT_EQ(r.data, 0u);
    EXPECT_EQ(axi.write(off, 0x12345678u, 0xF), kAxiSlvErr);
  }
}

TEST_F(Host, CtrlReadsZeroAndPulsesOnce) {
  unsigned start_cycles = 0, soft_cycles = 0, clear_cycles = 0;
  axi.set_cycle_hook([&] {
    start_cycles += m().start_o;
    soft_cycles += m().soft_reset_o;
    clear_cycles += m().clear_counters_o;
  });
  wr(regs::ctrl::kOffset, regs::ctrl::kStartMask);
  cycles(3);
  EXPECT_EQ(start_cycles, 1u);
  EXPECT_EQ(m().start_count_o, 1);
  EXPECT_EQ(rd(regs::ctrl::kOffset), 0u);
  wr(regs::ctrl::kOffset, regs::ctrl::kClearCountersMask);
  cycles(3);
  EXPECT_EQ(clear_cycles, 1u);
  wr(regs::ctrl::kOffset, regs::ctrl::kSoftResetMask);
  cycles(3);
  EXPECT_EQ(soft_cycles, 1u);
  wr(regs::ctrl::kOffset, 0xFFFFFFF8u);  // reserved bits only
  cycles(3);
  EXPECT_EQ(rd(regs::ctrl::kOffset), 0u);
  EXPECT_EQ(m().start_count_o, 1);
  EXPECT_EQ(m().clear_count_o, 1);
  EXPECT_EQ(m().soft_reset_count_o, 1);
}

TEST_F(Host, CtrlLaneWithStrobeLowCountsAsZero) {
  for (std::uint8_t strb : {0x0, 0x2, 0x4, 0x8, 0xE}) {
    wr(regs::ctrl::kOffset, 0xFFFFFFFFu, strb);
  }
  cycles(3);
  EXPECT_EQ(m().start_count_o + m().soft_reset_count_o + m().clear_count_o, 0);
  wr(regs::ctrl::kOffset, 0x00000001u, 0x1);
  cycles(3);
  EXPECT_EQ(m().start_count_o, 1);
}

TEST_F(Host, StartIgnoredWhileBusyOrError) {
  m().busy_i = 1;
  wr(regs::ctrl::kOffset, regs::ctrl::kStartMask);
  m().busy_i = 0;
  m().error_i = 1;
  wr(regs::ctrl::kOffset, regs::ctrl::kStartMask);
  m().busy_i = 1;
  wr(regs::ctrl::kOffset, regs::ctrl::kStartMask);
  cycles(3);
  EXPECT_EQ(m().start_count_o, 0) << "START while BUSY or ERROR";
  m().busy_i = 0;
  m().error_i = 0;
  wr(regs::ctrl::kOffset, regs::ctrl::kStartMask);
  cycles(3);
  EXPECT_EQ(m().start_count_o, 1);
  // CLEAR_COUNTERS and SOFT_RESET are not gated.
  m().busy_i = 1;
  m().error_i = 1;
  wr(regs::ctrl::kOffset, regs::ctrl::kClearCountersMask | regs::ctrl::kSoftResetMask);
  cycles(3);
  EXPECT_EQ(m().clear_count_o, 1);
  EXPECT_EQ(m().soft_reset_count_o, 1);
}

TEST_F(Host, SoftResetWinsOverStartInSameWrite) {
  wr(regs::ctrl::kOffset, regs::ctrl::kStartMask | regs::ctrl::kSoftResetMask);
  cycles(3);
  EXPECT_EQ(m().soft_reset_count_o, 1);
  EXPECT_EQ(m().start_count_o, 0);
  wr(regs::ctrl::kOffset, regs::ctrl::kW1sMask);
  cycles(3);
  EXPECT_EQ(m().soft_reset_count_o, 2);
  EXPECT_EQ(m().clear_count_o, 1);
  EXPECT_EQ(m().start_count_o, 0);
}

TEST_F(Host, ClearCountersWithStartSameCycle) {
  m().pe_busy_i = 1;
  m().macs_add_i = 77;
  cycles(20);
  stop_counter_inputs();
  ASSERT_EQ(rd_counter(regs::busy_pe::kIndex), 20u);
  unsigned both = 0, starts = 0, clears = 0;
  axi.set_cycle_hook([&] {
    both += m().start_o && m().clear_counters_o;
    starts += m().start_o;
    clears += m().clear_counters_o;
  });
  wr(regs::ctrl::kOffset, regs::ctrl::kStartMask | regs::ctrl::kClearCountersMask);
  cycles(2);
  EXPECT_EQ(both, 1u);
  EXPECT_EQ(starts, 1u);
  EXPECT_EQ(clears, 1u);
  for (const regs::Counter& c : regs::kCounters) EXPECT_EQ(rd_counter(c.index), 0u) << c.name;
}

TEST_F(Host, WindowsAndSemaphoresIgnoredWhileBusy) {
  CsrRef ref;
  for (const regs::Register* r : registers_with(regs::Access::kRw)) {
    const auto v = static_cast<std::uint32_t>(rng());
    wr(r->offset, v);
    ref.write(r->offset, v, 0xF);
  }
  const unsigned sem_writes = m().sem_we_count_o;
  m().busy_i = 1;
  ref.busy = true;
  for (const regs::Register* r : registers_with(regs::Access::kRw)) {
    const auto v = static_cast<std::uint32_t>(rng());
    wr(r->offset, v);
    ref.write(r->offset, v, 0xF);
  }
  EXPECT_EQ(m().sem_we_count_o, sem_writes) << "no semaphore write issued while busy";
  for (const regs::Register* r : registers_with(regs::Access::kRw)) {
    SCOPED_TRACE(std::string(r->name));
    EXPECT_EQ(rd(r->offset), ref.value(r->offset));
    std::uint32_t core = 0;
    if (core_view(*this, *r, core)) {
      EXPECT_EQ(core, ref.value(r->offset));
    }
  }
  // PROG_BASE, PROG_LEN, WATCHDOG and IRQ_ENABLE took the busy-time write; the others did not.
  const regs::Register& w0 = *regs::find_register("WIN_BASE[0]");
  const std::uint32_t w0_before = rd(w0.offset);
  m().busy_i = 0;
  wr(w0.offset, ~w0_before);
  EXPECT_EQ(rd(w0.offset), ~w0_before) << "written again once idle";
}

TEST_F(Host, SemaphoresReadTheCore) {
  m().busy_i = 1;
  for (unsigned i = 0; i < regs::sem::kCount; ++i) {
    m().core_sem_we_i = 1;
    m().core_sem_idx_i = i;
    m().core_sem_wdata_i = 0x1000u + i * 3;
    sim.eval();
    sim.tick();
  }
  m().core_sem_we_i = 0;
  for (unsigned i = 0; i < regs::sem::kCount; ++i) {
    EXPECT_EQ(rd(regs::sem::offset(i)), 0x1000u + i * 3) << i;
  }
  m().busy_i = 0;
  wr(regs::sem::offset(7), 0xAB, 0x1);
  EXPECT_EQ(rd(regs::sem::offset(7)), ((0x1000u + 21) & ~0xFFu) | 0xABu) << "byte write merges the core value";
  // Soft reset zeroes the semaphores (in the core stub, on soft_reset_o).
  wr(regs::ctrl::kOffset, regs::ctrl::kSoftResetMask);
  EXPECT_EQ(rd(regs::sem::offset(7)), 0u);
}

TEST_F(Host, SemaphoreWriteBesideConcurrentRead) {
  // Raw ports: AW+W of a byte write to SEM[2] and an AR of SEM[1] at the same time. While the
  // write's read-modify-write owns the semaphore read port, AR must wait.
  wr(regs::sem::offset(1), 0x11111111u);
  wr(regs::sem::offset(2), 0x22222222u);
  auto& x = m();
  x.s_axil_awvalid_i = 1;
  x.s_axil_awaddr_i = regs::sem::offset(2);
  x.s_axil_wvalid_i = 1;
  x.s_axil_wdata_i = 0x0000CD00u;
  x.s_axil_wstrb_i = 0x2;
  x.s_axil_bready_i = 1;
  x.s_axil_rready_i = 1;
  bool aw = false, w = false, ar = false, b = false, r = false;
  std::uint32_t rdata = 0;
  for (int n = 0; n < 20 && !(b && r); ++n) {
    x.s_axil_arvalid_i = !ar && n >= 1;  // AR arrives while the write is in flight
    x.s_axil_araddr_i = regs::sem::offset(1);
    sim.eval();
    const bool aw_f = x.s_axil_awvalid_i && x.s_axil_awready_o;
    const bool w_f = x.s_axil_wvalid_i && x.s_axil_wready_o;
    const bool ar_f = x.s_axil_arvalid_i && x.s_axil_arready_o;
    if (x.s_axil_rvalid_o) {
      r = true;
      rdata = x.s_axil_rdata_o;
    }
    if (x.s_axil_bvalid_o) b = true;
    sim.tick();
    aw |= aw_f;
    w |= w_f;
    ar |= ar_f;
    if (aw) x.s_axil_awvalid_i = 0;
    if (w) x.s_axil_wvalid_i = 0;
  }
  axi.idle();
  ASSERT_TRUE(b && r);
  EXPECT_EQ(rdata, 0x11111111u);
  EXPECT_EQ(rd(regs::sem::offset(2)), 0x2222CD22u);
  EXPECT_EQ(rd(regs::sem::offset(1)), 0x11111111u);
}

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
      {regs::cycles::kIndex, 1},        {regs::busy_pe::kIndex, 1},        {regs::busy_vec::kIndex, 1},
      {regs::busy_dma::kIndex, 1},      {regs::macs::kIndex, 0xFFFFFFFFu}, {regs::dram_rd_bytes::kIndex, 0xFFFF},
      {regs::dram_wr_bytes::kIndex, 0x1234}, {regs::fetch_bytes::kIndex, 64}, {regs::instructions::kIndex, 15},
      {regs::stall_sem::kIndex, 9},     {regs::stall_queue::kIndex, 1},    {regs::stall_dram::kIndex, 1},
  };
  auto& x = m();
  x.busy_i = 1;
  x.pe_busy_i = 1;
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
      case regs::busy_pe::kIndex: x.pe_busy_i = 1; break;
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
  rd(regs::busy_pe::kLoOffset);
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

TEST_F(Host, WriteChannelOrderings) {
  std::uint32_t v = 0x1000;
  auto check = [&](AxilWriteOrder order, unsigned gap) {
    ++v;
    EXPECT_EQ(axi.write(regs::prog_len::kOffset, v, 0xF, order, gap), kAxiOkay);
    EXPECT_EQ(rd(regs::prog_len::kOffset), v) << static_cast<int>(order) << " gap " << gap;
    EXPECT_EQ(m().prog_len_o, v);
  };
  check(AxilWriteOrder::kTogether, 0);
  for (unsigned gap = 0; gap < 5; ++gap) {
    check(AxilWriteOrder::kAwFirst, gap);
    check(AxilWriteOrder::kWFirst, gap);
  }
  axi.set_options({6, 0, 1000, seed()});
  for (int i = 0; i < 50; ++i) check(AxilWriteOrder::kRandom, 0);
  // The unmapped response comes through every ordering too.
  for (AxilWriteOrder o : {AxilWriteOrder::kTogether, AxilWriteOrder::kAwFirst, AxilWriteOrder::kWFirst}) {
    EXPECT_EQ(axi.write(0x048, 1, 0xF, o, 2), kAxiSlvErr);
  }
}

TEST_F(Host, OneOutstandingWriteAndRead) {
  auto& x = m();
  // A write whose B is not taken: no further AW or W accepted while it waits.
  x.s_axil_awvalid_i = 1;
  x.s_axil_awaddr_i = regs::prog_len::kOffset;
  x.s_axil_wvalid_i = 1;
  x.s_axil_wdata_i = 0xAAAA5555u;
  x.s_axil_wstrb_i = 0xF;
  x.s_axil_bready_i = 0;
  sim.eval();
  ASSERT_TRUE(x.s_axil_awready_o && x.s_axil_wready_o);
  sim.tick();
  x.s_axil_awaddr_i = regs::watchdog::kOffset;  // a second write, waiting
  x.s_axil_wdata_i = 0x1;
  for (int n = 0; n < 20; ++n) {
    sim.eval();
    if (n >= 2) {
      ASSERT_TRUE(x.s_axil_bvalid_o) << n;
      ASSERT_FALSE(x.s_axil_awready_o) << n;
      ASSERT_FALSE(x.s_axil_wready_o) << n;
      ASSERT_EQ(x.s_axil_bresp_o, kAxiOkay);
    }
    sim.tick();
  }
  x.s_axil_bready_i = 1;
  sim.eval();
  sim.tick();  // first B taken
  for (int n = 0; n < 10 && !x.s_axil_awready_o; ++n) {
    sim.eval();
    sim.tick();
  }
  sim.eval();
  ASSERT_TRUE(x.s_axil_awready_o && x.s_axil_wready_o);
  sim.tick();  // second write accepted
  x.s_axil_awvalid_i = 0;
  x.s_axil_wvalid_i = 0;
  for (int n = 0; n < 10 && !x.s_axil_bvalid_o; ++n) {
    sim.eval();
    sim.tick();
  }
  sim.eval();
  ASSERT_TRUE(x.s_axil_bvalid_o);
  sim.tick();
  axi.idle();
  EXPECT_EQ(rd(regs::prog_len::kOffset), 0xAAAA5555u);
  EXPECT_EQ(rd(regs::watchdog::kOffset), 0x1u);
  // A read whose R is not taken: AR not accepted, R payload held.
  x.s_axil_arvalid_i = 1;
  x.s_axil_araddr_i = regs::id::kOffset;
  x.s_axil_rready_i = 0;
  sim.eval();
  ASSERT_TRUE(x.s_axil_arready_o);
  sim.tick();
  x.s_axil_araddr_i = regs::version::kOffset;
  for (int n = 0; n < 20; ++n) {
    sim.eval();
    ASSERT_TRUE(x.s_axil_rvalid_o);
    ASSERT_FALSE(x.s_axil_arready_o);
    ASSERT_EQ(x.s_axil_rdata_o, regs::id::kReset);
    sim.tick();
  }
  x.s_axil_rready_i = 1;
  sim.eval();
  sim.tick();
  sim.eval();
  ASSERT_TRUE(x.s_axil_arready_o);
  sim.tick();
  x.s_axil_arvalid_i = 0;
  sim.eval();
  ASSERT_TRUE(x.s_axil_rvalid_o);
  EXPECT_EQ(x.s_axil_rdata_o, regs::version::kReset);
  sim.tick();
  axi.idle();
}

TEST_F(Host, ResponsesHeldUnderBackPressure) {
  axi.set_options({4, 75, 2000, seed()});
  CsrRef ref;
  const auto rw = registers_with(regs::Access::kRw);
  for (int i = 0; i < 300; ++i) {
    const regs::Register* r = rw[rng() % rw.size()];
    const auto data = static_cast<std::uint32_t>(rng());
    const auto strb = static_cast<std::uint8_t>(rng() % 16);
    ASSERT_EQ(axi.write(r->offset, data, strb), kAxiOkay);
    ref.write(r->offset, data, strb);
    const AxilReadResult got = axi.read(r->offset);
    ASSERT_EQ(got.resp, kAxiOkay);
    ASSERT_EQ(got.data, ref.value(r->offset)) << r->name;
  }
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(axi.read(0x300 + 4 * i).resp, kAxiSlvErr);
    EXPECT_EQ(axi.write(0x300 + 4 * i, 0, 0xF), kAxiSlvErr);
  }
}

TEST_F(Host, RandomAgainstModel) {
  axi.set_options({3, 30, 2000, seed()});
  CsrRef ref;
  std::vector<std::uint32_t> addrs;
  for (const regs::Register& r : regs::kRegisters) addrs.push_back(r.offset);
  const std::uint32_t holes[] = {0x01C, 0x048, 0x05C, 0x090, 0x180, 0x270, 0x800, 0xFFC};
  for (std::uint32_t h : holes) addrs.push_back(h);
  auto& x = m();
  constexpr int kOps = 3000;
  for (int i = 0; i < kOps; ++i) {
    SCOPED_TRACE(fmt::format("op {}", i));
    const unsigned kind = rng() % 100;
    if (kind < 8) {  // the core changes state between accesses
      ref.busy = rng() % 3 == 0;
      ref.error = rng() % 4 == 0;
      ref.done = rng() % 2 == 0;
      ref.err_code = static_cast<std::uint32_t>(rng() % 256);
      ref.err_index = static_cast<std::uint32_t>(rng());
      ref.err_info = static_cast<std::uint32_t>(rng());
      x.busy_i = ref.busy;
      x.error_i = ref.error;
      x.done_i = ref.done;
      x.err_code_i = ref.err_code;
      x.err_index_i = ref.err_index;
      x.err_info_i = ref.err_info;
      continue;
    }
    if (kind < 12) {
      const bool d = rng() % 2, e = rng() % 2;
      x.done_event_i = d;
      x.error_event_i = e;
      sim.eval();
      sim.tick();
      x.done_event_i = 0;
      x.error_event_i = 0;
      ref.event(d, e);
      continue;
    }
    if (kind < 14) {  // a core-side semaphore update
      const unsigned idx = rng() % regs::sem::kCount;
      const auto v = static_cast<std::uint32_t>(rng());
      x.core_sem_we_i = 1;
      x.core_sem_idx_i = idx;
      x.core_sem_wdata_i = v;
      sim.eval();
      sim.tick();
      x.core_sem_we_i = 0;
      ref.core_sem_write(idx, v);
      continue;
    }
    // A third of the accesses go to the words with behaviour (commands, interrupts, gated writes).
    const std::uint32_t hot[] = {regs::ctrl::kOffset, regs::irq_status::kOffset, regs::irq_enable::kOffset,
                                 regs::sem::offset(0), regs::sem::offset(31), regs::win_ctrl::offset(1),
                                 regs::win_limit::offset(2), regs::cycles::kLoOffset, regs::cycles::kHiOffset};
    std::uint32_t addr = rng() % 3 == 0 ? hot[rng() % std::size(hot)] : addrs[rng() % addrs.size()];
    addr |= static_cast<std::uint32_t>(rng() % 4);
    if (rng() % 20 == 0) addr = static_cast<std::uint32_t>(rng() % 4096);
    if (kind < 55) {
      const AxilReadResult got = axi.read(addr);
      CsrRef::Read e = ref.read(addr);
      // Only CYCLES counts here (busy_i); every other counter input stays 0, so all HI halves
      // (and the snapshot) stay 0 too.
      if (is_counter_word(addr & 0xFFCu) && (addr & 0xFFCu) != regs::cycles::kLoOffset) {
        e.data_known = true;
      }
      ASSERT_EQ(got.resp, e.resp) << fmt::format("read 0x{:03X}", addr);
      if (e.data_known) {
        ASSERT_EQ(got.data, e.data) << fmt::format("read 0x{:03X}", addr);
      }
    } else {
      // Mostly plausible data, sometimes all ones (CTRL: every command at once).
      std::uint32_t data = static_cast<std::uint32_t>(rng());
      if (rng() % 8 == 0) data = 0xFFFFFFFFu;
      const auto strb = static_cast<std::uint8_t>(rng() % 16);
      const auto order = static_cast<AxilWriteOrder>(rng() % 4);
      const std::uint8_t got = axi.write(addr, data, strb, order, static_cast<unsigned>(rng() % 3));
      ASSERT_EQ(got, ref.write(addr, data, strb)) << fmt::format("write 0x{:03X}", addr);
      axi.idle(1);  // let a command pulse reach the counters / the stub
    }
    sim.eval();
    ASSERT_EQ(x.irq_o, ref.irq());
    ASSERT_EQ(x.start_count_o, ref.starts & 0xFFFFu);
    ASSERT_EQ(x.soft_reset_count_o, ref.soft_resets & 0xFFFFu);
    ASSERT_EQ(x.clear_count_o, ref.clears & 0xFFFFu);
    ASSERT_EQ(x.sem_we_count_o, ref.sem_writes & 0xFFFFu);
  }
  // Final state of every word.
  x.busy_i = 0;
  ref.busy = false;
  for (const regs::Register& r : regs::kRegisters) {
    const CsrRef::Read e = ref.read(r.offset);
    if (e.data_known) {
      EXPECT_EQ(rd(r.offset), e.data) << r.name;
    }
  }
}

}  // namespace
}  // namespace systole::verif::host
