// Block tests of the host interface (rtl/host/csr_regs.sv, rtl/host/perf_counters.sv): registers,
// CTRL and semaphores.
// On one Verilated configuration, against docs/csr.md through the generated table in sw/regs.
// Built once per configuration (CMakeLists.txt links the model; host_bench.hpp reads its configuration).
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
  EXPECT_EQ(rd(regs::cfg_feat::kOffset) & regs::cfg_feat::kVectorMask,
            kCfg.vector != 0 ? regs::cfg_feat::kVectorMask : 0u)
      << "CFG_FEAT.VECTOR = EnableVector";
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
  for (std::uint32_t off : {0x01Cu, 0x048u, 0x04Cu, 0x05Cu, 0x06Cu, 0x07Cu, 0x08Cu, 0x090u, 0x0FCu, 0x180u, 0x1FCu,
                            0x270u, 0x274u, 0x2FCu, 0xFFCu}) {
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
  m().te_busy_i = 1;
  m().macs_add_i = 77;
  cycles(20);
  stop_counter_inputs();
  ASSERT_EQ(rd_counter(regs::busy_tensor::kIndex), 20u);
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

}  // namespace
}  // namespace systole::verif::host
