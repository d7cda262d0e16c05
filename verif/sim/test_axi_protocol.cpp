// AxiMemory unit tests: the protocol checker, one test per rule, each a failing case by
// construction next to a legal control (corner cases listed in test_axi_memory.cpp).
#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <numeric>
#include <tuple>

#include "axi_bench.hpp"

namespace systole::verif::test {
namespace {

template <class W>
using AxiProtocol = AxiWidthTest<W>;
TYPED_TEST_SUITE(AxiProtocol, Widths, WidthName);

// ---------------------------------------------------------------------------------------------
// Protocol checks: each test builds the violation by hand on raw signals, next to a legal control.

template <unsigned Bits, class LenT = CData>
struct Raw {
  static constexpr unsigned B = Bits / 8;
  AxiSignals<Bits, LenT> s;
  AxiMemory mem;
  explicit Raw(AxiMemoryConfig cfg = raw_cfg()) : mem(SYSTOLE_AXI_PORT(s, m_axi_, Bits), cfg) {}
  static AxiMemoryConfig raw_cfg() {
    AxiMemoryConfig c;
    c.size = 64 * 1024;
    c.read_latency = 1, c.write_latency = 1;
    return c;
  }
  static unsigned full() { return static_cast<unsigned>(std::countr_zero(B)); }
  void ar(unsigned id, std::uint64_t addr, unsigned len, unsigned size = full(), unsigned burst = 1) {
    s.m_axi_arvalid_o = 1, s.m_axi_arid_o = static_cast<CData>(id), s.m_axi_araddr_o = static_cast<IData>(addr);
    s.m_axi_arlen_o = static_cast<LenT>(len), s.m_axi_arsize_o = static_cast<CData>(size);
    s.m_axi_arburst_o = static_cast<CData>(burst);
  }
  void aw(unsigned id, std::uint64_t addr, unsigned len, unsigned size = full(), unsigned burst = 1) {
    s.m_axi_awvalid_o = 1, s.m_axi_awid_o = static_cast<CData>(id), s.m_axi_awaddr_o = static_cast<IData>(addr);
    s.m_axi_awlen_o = static_cast<LenT>(len), s.m_axi_awsize_o = static_cast<CData>(size);
    s.m_axi_awburst_o = static_cast<CData>(burst);
  }
  void w(std::uint8_t fill, std::uint64_t strb, bool last) {
    std::array<std::uint8_t, 64> lanes;
    lanes.fill(fill);
    const AxiPort p = mem.port();
    p.set_wdata(lanes.data());
    p.wstrb.set(strb);
    s.m_axi_wvalid_o = 1, s.m_axi_wlast_o = last;
  }
  std::uint64_t mask() const { return mem.port().strobe_mask(); }
  void idle() { s.m_axi_arvalid_o = s.m_axi_awvalid_o = s.m_axi_wvalid_o = 0; }
  // One cycle with the master outputs as set (the memory's readies decide what transfers).
  void step() {
    mem.drive();
    mem.sample();
  }
  void step_idle() {
    step();
    idle();
  }
};

template <class F>
void expect_violation(AxiRule rule, F&& f) {
  try {
    f();
  } catch (const AxiProtocolError& e) {
    EXPECT_EQ(e.violation().rule, rule) << e.what();
    EXPECT_NE(std::string(e.what()).find(to_string(rule)), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
    return;
  }
  ADD_FAILURE() << "expected a " << to_string(rule) << " violation, none was reported";
}

TYPED_TEST(AxiProtocol, Burst4k) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  Raw<Bits> r;
  r.ar(1, 0x1000 - B, 0);  // last beat of a page
  r.step_idle();
  r.ar(1, 0x2000 - 2 * B + 1, 1);  // unaligned, ends at 0x1FFF
  r.step_idle();
  const unsigned big = std::min(255u, 4096 / B - 1);  // longest legal burst (a whole page from 64-bit up)
  r.aw(1, 0x4000 - (big + 1) * B, big);               // ends at the page end
  r.step_idle();
  EXPECT_TRUE(r.mem.violations().empty());
  expect_violation(AxiRule::kBurst4k, [&] {
    r.ar(2, 0x1000 - B, 1);
    r.step();
  });
  Raw<Bits> r2;
  expect_violation(AxiRule::kBurst4k, [&] {
    r2.aw(3, 0x3000 - B + 1, 1);
    r2.step();
  });
  Raw<Bits> r3;
  expect_violation(AxiRule::kBurst4k, [&] {
    r3.aw(3, 0x4000 - big * B, big);  // the same burst one beat later
    r3.step();
  });
}

TYPED_TEST(AxiProtocol, BurstType) {
  constexpr unsigned Bits = TestFixture::Bits;
  Raw<Bits> ok;
  ok.ar(1, 0, 3, Raw<Bits>::full(), 1);
  ok.step_idle();
  ok.aw(1, 0, 3, Raw<Bits>::full(), 1);
  ok.step_idle();
  EXPECT_TRUE(ok.mem.violations().empty());
  for (unsigned burst : {0u, 2u, 3u}) {  // FIXED, WRAP, reserved
    Raw<Bits> r;
    expect_violation(AxiRule::kBurstType, [&] {
      r.ar(1, 0, 3, Raw<Bits>::full(), burst);
      r.step();
    });
    Raw<Bits> w;
    expect_violation(AxiRule::kBurstType, [&] {
      w.aw(1, 0, 3, Raw<Bits>::full(), burst);
      w.step();
    });
  }
}

TYPED_TEST(AxiProtocol, BurstSize) {
  constexpr unsigned Bits = TestFixture::Bits;
  const unsigned full = Raw<Bits>::full();
  for (unsigned size : {full - 1, full + 1, 0u}) {
    Raw<Bits> r;
    expect_violation(AxiRule::kBurstSize, [&] {
      r.ar(1, 0, 0, size);
      r.step();
    });
    Raw<Bits> w;
    expect_violation(AxiRule::kBurstSize, [&] {
      w.aw(1, 0, 0, size);
      w.step();
    });
  }
}

TYPED_TEST(AxiProtocol, BurstLen) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  Raw<Bits, SData> ok;  // AxLEN ports wider than 8 bits, so that 256 can be expressed
  ok.ar(1, 0, std::min(255u, 4096 / B - 1));
  ok.step_idle();
  EXPECT_TRUE(ok.mem.violations().empty());
  Raw<Bits, SData> r;
  expect_violation(AxiRule::kBurstLen, [&] {
    r.ar(1, 0, 256);
    r.step();
  });
  Raw<Bits, SData> w;
  expect_violation(AxiRule::kBurstLen, [&] {
    w.aw(1, 0, 300);
    w.step();
  });
}

TYPED_TEST(AxiProtocol, WLastEarly) {
  constexpr unsigned Bits = TestFixture::Bits;
  Raw<Bits> r;
  r.aw(1, 0, 3);
  r.step_idle();
  r.w(1, r.mask(), false);
  r.step_idle();
  expect_violation(AxiRule::kWLast, [&] {
    r.w(2, r.mask(), true);  // beat 1 of 4
    r.step();
  });
}

TYPED_TEST(AxiProtocol, WLastMissing) {
  constexpr unsigned Bits = TestFixture::Bits;
  Raw<Bits> ok;  // control: WLAST on beat 1 of 2
  ok.aw(1, 0, 1);
  ok.step_idle();
  ok.w(1, ok.mask(), false);
  ok.step_idle();
  ok.w(1, ok.mask(), true);
  ok.step_idle();
  EXPECT_TRUE(ok.mem.violations().empty());
  Raw<Bits> r;
  r.aw(1, 0, 1);
  r.step_idle();
  r.w(1, r.mask(), false);
  r.step_idle();
  expect_violation(AxiRule::kWLast, [&] {
    r.w(2, r.mask(), false);
    r.step();
  });
}

// W before AW is legal; a wrong WLAST among such beats is found when the AW arrives.
TYPED_TEST(AxiProtocol, WLastBeforeAw) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  Raw<Bits> ok;
  ok.w(0x11, ok.mask(), false);
  ok.step_idle();
  ok.w(0x22, ok.mask(), true);
  ok.step_idle();
  ok.aw(1, 0x100, 1);
  ok.step_idle();
  EXPECT_TRUE(ok.mem.violations().empty());
  EXPECT_EQ(ok.mem.template load<std::uint8_t>(0x100), 0x11);
  EXPECT_EQ(ok.mem.template load<std::uint8_t>(0x100 + B), 0x22);
  Raw<Bits> r;
  r.w(1, r.mask(), true);  // WLAST on beat 0 of a 2-beat burst
  r.step_idle();
  r.w(1, r.mask(), true);
  r.step_idle();
  expect_violation(AxiRule::kWLast, [&] {
    r.aw(1, 0, 1);
    r.step();
  });
}

TYPED_TEST(AxiProtocol, WStrobeBelowUnalignedStart) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  const unsigned off = B / 2;
  Raw<Bits> ok;
  ok.aw(1, 0x200 + off, 0);
  ok.step_idle();
  ok.w(0x33, ok.mask() & (ok.mask() << off), true);
  ok.step_idle();
  EXPECT_TRUE(ok.mem.violations().empty());
  Raw<Bits> r;
  r.aw(1, 0x200 + off, 0);
  r.step_idle();
  expect_violation(AxiRule::kWStrobe, [&] {
    r.w(0x33, r.mask(), true);
    r.step();
  });
}

TYPED_TEST(AxiProtocol, ValidDropped) {
  constexpr unsigned Bits = TestFixture::Bits;
  auto held = [] {  // every ready low
    AxiMemoryConfig c = Raw<Bits>::raw_cfg();
    c.p_arready_low = c.p_awready_low = c.p_wready_low = 1.0;
    return c;
  };
  {  // control: valid held until ready, then dropped
    Raw<Bits> r(held());
    r.ar(1, 0, 0);
    r.aw(1, 0, 0);
    r.w(1, r.mask(), true);
    for (int i = 0; i < 5; ++i) r.step();
    r.mem.config().p_arready_low = r.mem.config().p_awready_low = r.mem.config().p_wready_low = 0;
    r.step_idle();
    r.step();
    EXPECT_TRUE(r.mem.violations().empty());
  }
  for (const char* ch : {"AR", "AW", "W"}) {
    SCOPED_TRACE(ch);
    Raw<Bits> r(held());
    const std::string c = ch;
    if (c == "AR") r.ar(1, 0, 0);
    if (c == "AW") r.aw(1, 0, 0);
    if (c == "W") r.w(1, r.mask(), true);
    r.step();
    r.step();
    expect_violation(AxiRule::kValidDropped, [&] {
      r.idle();
      r.step();
    });
    EXPECT_EQ(r.mem.violations().at(0).cycle, 2u);
  }
}

TYPED_TEST(AxiProtocol, PayloadChanged) {
  constexpr unsigned Bits = TestFixture::Bits;
  AxiMemoryConfig c = Raw<Bits>::raw_cfg();
  c.p_arready_low = c.p_awready_low = c.p_wready_low = 1.0;
  const std::vector<std::pair<std::string, std::function<void(Raw<Bits>&)>>> cases = {
      {"AR addr", [](Raw<Bits>& r) { r.ar(1, 0x40, 0); }},
      {"AR id", [](Raw<Bits>& r) { r.ar(2, 0, 0); }},
      {"AW len", [](Raw<Bits>& r) { r.aw(1, 0, 1); }},
      {"W data", [](Raw<Bits>& r) { r.w(2, r.mask(), true); }},
      {"W strobe", [](Raw<Bits>& r) { r.w(1, r.mask() >> 1, true); }},
      {"W last", [](Raw<Bits>& r) { r.w(1, r.mask(), false); }},
  };
  for (const auto& [name, change] : cases) {
    SCOPED_TRACE(name);
    Raw<Bits> r(c);
    if (name[0] == 'A' && name[1] == 'R') r.ar(1, 0, 0);
    if (name[0] == 'A' && name[1] == 'W') r.aw(1, 0, 0);
    if (name[0] == 'W') r.w(1, r.mask(), true);
    r.step();
    r.step();  // unchanged: legal
    EXPECT_TRUE(r.mem.violations().empty());
    expect_violation(AxiRule::kPayloadChanged, [&] {
      change(r);
      r.step();
    });
  }
}

TYPED_TEST(AxiProtocol, ResponseTimeout) {
  constexpr unsigned Bits = TestFixture::Bits;
  AxiMemoryConfig c = Raw<Bits>::raw_cfg();
  c.response_timeout = 10;
  {  // control: RREADY and BREADY low for 9 cycles of RVALID/BVALID, then high
    Raw<Bits> r(c);
    r.ar(1, 0, 0);
    r.aw(2, 0x100, 0);
    r.w(1, r.mask(), true);
    r.step_idle();  // AR, AW and W accepted in cycle 0; R and B presented from cycle 1
    for (int i = 0; i < 9; ++i) r.step();
    r.s.m_axi_rready_o = r.s.m_axi_bready_o = 1;
    r.step();
    EXPECT_TRUE(r.mem.idle());
    EXPECT_TRUE(r.mem.violations().empty());
  }
  for (const bool read : {true, false}) {
    SCOPED_TRACE(read ? "R" : "B");
    Raw<Bits> r(c);
    if (read) {
      r.ar(1, 0, 0);
    } else {
      r.aw(2, 0x100, 0);
      r.w(1, r.mask(), true);
    }
    r.step_idle();
    for (int i = 0; i < 9; ++i) r.step();
    expect_violation(AxiRule::kResponseTimeout, [&] { r.step(); });
    EXPECT_EQ(r.mem.violations().at(0).cycle, 10u);
  }
}

// Record mode: violations are collected with their cycles and the model keeps serving.
TYPED_TEST(AxiProtocol, RecordPolicy) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  AxiMemoryConfig c = Raw<Bits>::raw_cfg();
  c.on_violation = AxiViolationPolicy::kRecord;
  Raw<Bits> r(c);
  r.mem.fill(0x1000 - B, 2 * B, 0x77);
  r.ar(1, 0x1000 - B, 1, Raw<Bits>::full(), 2);  // WRAP and across 4 KiB: two violations
  r.step_idle();
  r.step();
  r.aw(2, 0, 0);
  r.w(0x55, r.mask(), false);  // WLAST missing on a 1-beat burst
  r.s.m_axi_rready_o = 1;
  r.step_idle();
  const auto& v = r.mem.violations();
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].rule, AxiRule::kBurstType);
  EXPECT_EQ(v[1].rule, AxiRule::kBurst4k);
  EXPECT_EQ(v[0].cycle, 0u);
  EXPECT_EQ(v[2].rule, AxiRule::kWLast);
  EXPECT_EQ(v[2].cycle, 2u);
  EXPECT_EQ(r.mem.stats().read_beats, 1u);  // served anyway (as INCR)
  r.step();
  EXPECT_EQ(r.mem.stats().read_beats, 2u);
  EXPECT_EQ(r.mem.template load<std::uint8_t>(0), 0x55);
}

}  // namespace
}  // namespace systole::verif::test
