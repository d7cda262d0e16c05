// Block tests of the host interface (rtl/host/csr_regs.sv): AXI4-Lite channel orderings, one
// outstanding transaction per direction, back-pressure, and random accesses against CsrRef.
// On one Verilated configuration, against docs/csr.md through the generated table in sw/regs.
// Built once per configuration (CMakeLists.txt links the model; host_bench.hpp reads its configuration).
//
//   SYSTOLE_SEED   base seed (default: random); every failure prints the replay command
//   SYSTOLE_TRACE  FST file to record
//
// Corner cases, by test name:
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
    const std::uint32_t hot[] = {regs::ctrl::kOffset,        regs::irq_status::kOffset, regs::irq_enable::kOffset,
                                 regs::sem::offset(0),       regs::sem::offset(31),     regs::win_ctrl::offset(1),
                                 regs::win_limit::offset(2), regs::cycles::kLoOffset,   regs::cycles::kHiOffset};
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
