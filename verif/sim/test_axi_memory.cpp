// Unit tests of the AXI4 slave memory model (verif/common/axi_memory.hpp) against a pure C++ fake
// master (axi_fake_master.hpp) driving variables of Verilator's port types, at 32, 64, 128, 256
// and 512-bit data widths. No RTL.
//
//   SYSTOLE_SEED   base seed (default: random); every failure prints the replay command
//
// Corner cases, by test name:
//   Binding*              SYSTOLE_AXI_PORT on Verilator types, width checks, word/lane/strobe accessors
//   HostAccess            page-crossing host writes, never-written bytes, fill, store/load, range errors
//   SingleBeat*, MultiBeat*  strobes, unaligned start addresses, every burst length class, vs a reference
//   AxiTraffic: RandomTraffic*      random bursts, latency jitter, back-pressure both ways, reorder/interleave,
//                         W before AW, bandwidth limit; data and same-ID order checked by the master
//   SameIdOrder*          same-ID responses in order under heavy jitter (data / response tags)
//   Reorder*, Interleave* reordering across IDs only when enabled; R interleaving only when enabled
//   ManyOutstandingReads, OutstandingLimits   >= 16 reads in flight across IDs; limits honoured
//   Latency*, Bandwidth*  exact latencies, jitter bounds, bytes per cycle measured in cycles
//   WBeforeAw             W beats before their AW, buffered or refused
//   Error*                SLVERR/DECERR ranges, beyond size, random errors; erroring writes store nothing
//   AxiProtocol.*         one test per rule, each a failing case by construction next to a legal control
//   Reset, Stats
//
// Tests by file: test_axi_memory.cpp (binding, host access, directed, errors, reset, stats),
// test_axi_traffic.cpp (random traffic, ordering, outstanding, latency, bandwidth, W before AW),
// test_axi_protocol.cpp (protocol checks); shared bench in axi_bench.hpp.
#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <numeric>
#include <tuple>

#include "axi_bench.hpp"

namespace systole::verif::test {
namespace {

template <class W>
using AxiMem = AxiWidthTest<W>;
TYPED_TEST_SUITE(AxiMem, Widths, WidthName);

// The signals have Verilator's own types.
static_assert(std::is_same_v<decltype(AxiSignals<32>::m_axi_rdata_i), IData>);
static_assert(std::is_same_v<decltype(AxiSignals<64>::m_axi_rdata_i), QData>);
static_assert(std::is_same_v<decltype(AxiSignals<512>::m_axi_rdata_i), VlWide<16>>);
static_assert(std::is_same_v<decltype(AxiSignals<512>::m_axi_wstrb_o), QData>);
static_assert(std::is_same_v<decltype(AxiSignals<256>::m_axi_wstrb_o), IData>);

// ---------------------------------------------------------------------------------------------
// Binding and host access

TYPED_TEST(AxiMem, BindingAccessors) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  AxiSignals<Bits> s;
  const AxiPort p = SYSTOLE_AXI_PORT(s, m_axi_, Bits);
  EXPECT_NO_THROW(p.validate());
  EXPECT_EQ(p.beat_bytes(), B);
  EXPECT_EQ(1u << p.size_log2(), B);
  // Words and lanes address the same storage, word i = bits [32i+31:32i], lane j = bits [8j+7:8j].
  std::vector<std::uint32_t> words(Bits / 32);
  for (unsigned i = 0; i < words.size(); ++i) words[i] = 0x01020304u * (i + 1) ^ (i << 24);
  p.set_rdata_words(words.data());
  std::array<std::uint8_t, 64> lanes{};
  p.get_rdata(lanes.data());
  for (unsigned j = 0; j < B; ++j) EXPECT_EQ(lanes[j], (words[j / 4] >> (8 * (j % 4))) & 0xFF) << j;
  if constexpr (Bits == 32) {
    EXPECT_EQ(s.m_axi_rdata_i, words[0]);
  } else if constexpr (Bits == 64) {
    EXPECT_EQ(s.m_axi_rdata_i, (std::uint64_t{words[1]} << 32) | words[0]);
  } else {
    for (unsigned i = 0; i < words.size(); ++i) EXPECT_EQ(s.m_axi_rdata_i[i], words[i]);
  }
  // Strobes: one bit per lane, storage bits above the lanes ignored.
  s.m_axi_wstrb_o = static_cast<StrbT<Bits>>(~StrbT<Bits>{0});
  EXPECT_EQ(p.get_wstrb(), p.strobe_mask());
  EXPECT_EQ(std::popcount(p.get_wstrb()), static_cast<int>(B));
  p.set_wdata(lanes.data());
  std::vector<std::uint32_t> back(Bits / 32);
  p.get_wdata_words(back.data());
  EXPECT_EQ(back, words);
}

TEST(AxiMemBinding, ValidateRejectsBadBindings) {
  AxiSignals<64> s64;
  AxiSignals<256> s256;
  AxiPort p = SYSTOLE_AXI_PORT(s64, m_axi_, 64);
  EXPECT_NO_THROW(p.validate());
  p.data_bits = 100;
  EXPECT_THROW(p.validate(), std::invalid_argument);  // not a power of two
  p.data_bits = 1024;
  EXPECT_THROW(p.validate(), std::invalid_argument);  // above 512
  p.data_bits = 128;
  EXPECT_THROW(p.validate(), std::invalid_argument);  // QData data port is 64 bits
  EXPECT_THROW(AxiMemory(SYSTOLE_AXI_PORT(s256, m_axi_, 512), AxiMemoryConfig{}), std::invalid_argument);  // VlWide<8>
  AxiSignals<128> s128;
  p = SYSTOLE_AXI_PORT(s128, m_axi_, 128);
  EXPECT_NO_THROW(p.validate());
  CData narrow = 0;
  p.wstrb = &narrow;  // 8 strobe bits for 16 lanes
  EXPECT_THROW(p.validate(), std::invalid_argument);
  p = SYSTOLE_AXI_PORT(s128, m_axi_, 128);
  p.bid = PortRef{};
  EXPECT_THROW(p.validate(), std::invalid_argument);

  AxiMemoryConfig c;
  c.base = 0x100;  // not 4 KiB aligned
  EXPECT_THROW(AxiMemory(SYSTOLE_AXI_PORT(s64, m_axi_, 64), c), std::invalid_argument);
  c = {};
  c.p_arready_low = 1.5;
  EXPECT_THROW(AxiMemory(SYSTOLE_AXI_PORT(s64, m_axi_, 64), c), std::invalid_argument);
}

TEST(AxiMemHost, HostAccess) {
  AxiSignals<64> s;
  AxiMemoryConfig c;
  c.base = 0x8000'0000;
  c.size = 3 * 4096 + 100;  // not a page multiple
  c.init_byte = 0xA5;
  AxiMemory mem(SYSTOLE_AXI_PORT(s, m_axi_, 64), c);
  EXPECT_EQ(mem.load<std::uint32_t>(0x8000'1000), 0xA5A5A5A5u);  // never written
  std::vector<std::uint8_t> data(5000);
  std::iota(data.begin(), data.end(), std::uint8_t{7});
  mem.write(0x8000'0FF0, data);  // crosses two pages
  EXPECT_EQ(mem.read(0x8000'0FF0, data.size()), data);
  EXPECT_EQ(mem.read(0x8000'0FEF, 1)[0], 0xA5);
  mem.fill(0x8000'2FFE, 4, 0x5A);
  EXPECT_EQ(mem.load<std::uint32_t>(0x8000'2FFE), 0x5A5A5A5Au);
  mem.store<std::uint64_t>(0x8000'3000 + 92, 0x0123456789ABCDEFull);  // last 8 bytes
  EXPECT_EQ(mem.load<std::uint64_t>(0x8000'3000 + 92), 0x0123456789ABCDEFull);
  EXPECT_THROW(mem.store<std::uint64_t>(0x8000'3000 + 93, 0), std::out_of_range);
  EXPECT_THROW(mem.read(0x7FFF'FFFF, 2), std::out_of_range);
  EXPECT_THROW(mem.fill(0x8000'0000, c.size + 1, 0), std::out_of_range);
}

// ---------------------------------------------------------------------------------------------
// Directed reads and writes

TYPED_TEST(AxiMem, SingleBeatReadWrite) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  Rng rng(test_seed());
  Bench<Bits> b(base_cfg(), {}, test_seed());
  b.randomize(rng);
  // Full write, partial write, zero-strobe write, then read each back.
  const std::uint64_t a = kBase + 0x3000;
  WriteReq full = b.random_write(rng, 1, a, 0, 0);
  WriteReq part = b.random_write(rng, 2, a + B, 0);
  part.strb[0] = 0b1010'0101 & ((B == 64) ? ~0ull : ((1ull << B) - 1));
  WriteReq none = b.random_write(rng, 3, a + 2 * B, 0);
  none.strb[0] = 0;
  for (const auto* w : {&full, &part, &none}) {
    b.apply(*w);
    b.m.write(*w);
  }
  ASSERT_TRUE(b.run());
  for (unsigned i = 0; i < 3; ++i) b.m.read(b.read_req(4, a + i * B, 0));
  b.m.read(b.read_req(4, a, 2));
  ASSERT_TRUE(b.run());
  b.expect_clean();
  b.expect_memory_matches_ref();
  EXPECT_EQ(b.m.reads_done.size(), 4u);
  EXPECT_EQ(b.mem.stats().written_bytes, B + std::popcount(part.strb[0]));
}

TYPED_TEST(AxiMem, MultiBeatBurstsWithStrobes) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  Rng rng(test_seed());
  Bench<Bits> b(base_cfg(), {}, test_seed());
  b.randomize(rng);
  const unsigned max_len = std::min(255u, 4096 / B - 1);
  std::uint64_t page = kBase + 0x10000;
  std::vector<std::pair<std::uint64_t, unsigned>> bursts;
  for (unsigned len : {0u, 1u, 2u, 3u, 7u, 15u, 31u, max_len}) {
    if (len > max_len) continue;
    for (unsigned off : {0u, 1u, B / 2, B - 1}) {
      const std::uint64_t addr = page + (len == max_len ? 0 : B) + off;  // max_len burst: whole page
      bursts.emplace_back(addr, len);
      const WriteReq w = b.random_write(rng, len % 9, addr, len);
      b.apply(w);
      b.m.write(w);
      page += 4096;
    }
  }
  ASSERT_TRUE(b.run());
  b.expect_memory_matches_ref();
  for (auto [addr, len] : bursts) b.m.read(b.read_req(len % 7, addr, len));
  ASSERT_TRUE(b.run());
  b.expect_clean();
  EXPECT_EQ(b.m.reads_done.size(), bursts.size());
}

// ---------------------------------------------------------------------------------------------
// Errors

TYPED_TEST(AxiMem, ErrorRanges) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  AxiMemoryConfig c = base_cfg();
  const std::uint64_t slv = kBase + 0x10100, dec = kBase + 0x20000;
  c.error_ranges = {{slv, slv + 0x100, AxiResp::kSlvErr}, {dec, dec + 0x2000, AxiResp::kDecErr}};
  Bench<Bits> b(c, {}, test_seed());
  Rng rng(test_seed());
  b.randomize(rng);
  using R = AxiResp;
  struct Case {
    std::uint64_t addr;
    unsigned len;
    R resp;
  };
  const std::vector<Case> cases = {
      {slv, 0, R::kSlvErr},
      {slv - B, 1, R::kSlvErr},  // inside; one beat overlapping
      {slv - B, 0, R::kOkay},
      {slv + 0x100, 0, R::kOkay},  // just outside on both sides
      {dec + 0x1000, 3, R::kDecErr},
      {dec - 4096, 0, R::kOkay},
      {slv - 0x100, std::min(255u, 0x200 / B - 1), R::kSlvErr},  // spans the range
  };
  for (const auto& k : cases) b.m.read(b.read_req(3, k.addr, k.len, k.resp));
  ASSERT_TRUE(b.run());
  for (const auto& k : cases) {
    const WriteReq w = b.random_write(rng, 4, k.addr, k.len, 0, k.resp);
    if (k.resp == R::kOkay) b.apply(w);  // an erroring write stores no byte, even outside the range
    b.m.write(w);
  }
  ASSERT_TRUE(b.run());
  b.expect_clean();
  b.expect_memory_matches_ref();
  for (const auto& r : b.m.reads_done) {
    if (r.got == R::kOkay) continue;
    for (std::size_t i = 0; i < r.got_data.size(); i += 4) {
      std::uint32_t word;
      std::memcpy(&word, &r.got_data[i], 4);
      ASSERT_EQ(word, 0xDEADBEEFu) << "error data of read at " << std::hex << r.addr;
    }
  }
  EXPECT_EQ(b.mem.stats().read_errors, 4u);
  EXPECT_EQ(b.mem.stats().write_errors, 4u);
}

TYPED_TEST(AxiMem, ErrorBeyondSizeIsDecErr) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  AxiMemoryConfig c = base_cfg();
  c.size = 64 * 1024 - 256;  // ends inside a page, so a burst can straddle the end legally
  Bench<Bits> b(c, {}, test_seed());
  Rng rng(test_seed());
  b.randomize(rng);
  const std::uint64_t end = kBase + c.size;
  using R = AxiResp;
  const std::vector<std::tuple<std::uint64_t, unsigned, R>> cases = {
      {end - B, 0, R::kOkay},        {end - B, 1, R::kDecErr},        {end, 0, R::kDecErr},
      {end + 0x1000, 3, R::kDecErr}, {kBase - 0x1000, 0, R::kDecErr}, {end - 2 * B + 1, 1, R::kOkay}};
  for (auto [a, l, resp] : cases) b.m.read(b.read_req(1, a, l, resp));
  ASSERT_TRUE(b.run());
  for (auto [a, l, resp] : cases) {
    const WriteReq w = b.random_write(rng, 2, a, l, 0, resp);
    if (resp == R::kOkay) b.apply(w);
    b.m.write(w);
  }
  ASSERT_TRUE(b.run());
  b.expect_clean();
  b.expect_memory_matches_ref();
}

TYPED_TEST(AxiMem, ErrorRandom) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  AxiMemoryConfig c = base_cfg();
  c.p_random_error = 0.25;
  c.read_jitter = 5;
  Bench<Bits> b(c, {}, test_seed());
  Rng rng(test_seed());
  b.randomize(rng);
  const auto before = b.ref;
  std::vector<WriteReq> sent;
  for (std::uint32_t i = 0; i < 120; ++i) {  // non-overlapping: one 4 KiB page each
    ReadReq r = b.read_req(i % 9, kBase + 4096 * i, 1);
    r.any_resp = true;
    b.m.read(r);
    WriteReq w = b.random_write(rng, i % 9, kBase + kSize / 2 + 4096 * i, std::min(3u, 4096 / B - 1));
    w.any_resp = true;
    b.m.write(w);
  }
  ASSERT_TRUE(b.run());
  b.expect_clean();
  unsigned rerr = 0, werr = 0;
  for (const auto& r : b.m.reads_done) {
    if (r.got == AxiResp::kOkay) {
      EXPECT_TRUE(std::equal(r.got_data.begin(), r.got_data.end(), before.begin() + (r.addr - kBase)));
    } else {
      EXPECT_EQ(r.got, AxiResp::kSlvErr);
      ++rerr;
    }
  }
  for (const auto& w : b.m.writes_done) {
    if (w.got == AxiResp::kOkay) {
      b.apply(w);
    } else {
      ++werr;
    }
  }
  b.expect_memory_matches_ref();  // erroring writes stored nothing
  EXPECT_GT(rerr, 10u);
  EXPECT_LT(rerr, 60u);
  EXPECT_GT(werr, 10u);
  EXPECT_LT(werr, 60u);
  EXPECT_EQ(b.mem.stats().read_errors, rerr);
  EXPECT_EQ(b.mem.stats().write_errors, werr);
}

// ---------------------------------------------------------------------------------------------
// Reset and statistics

TYPED_TEST(AxiMem, Reset) {
  constexpr unsigned Bits = TestFixture::Bits;
  AxiMemoryConfig c = base_cfg();
  c.read_latency = 20, c.write_latency = 20;
  Bench<Bits> b(c, {}, test_seed());
  Rng rng(test_seed());
  b.m.read(b.read_req(1, kBase, 3));
  b.m.write(b.random_write(rng, 2, kBase + 0x1000, 3));
  for (int i = 0; i < 10; ++i) b.step();
  EXPECT_FALSE(b.mem.idle());
  b.mem.reset();
  EXPECT_TRUE(b.mem.idle());
  EXPECT_EQ(b.mem.cycle(), 0u);
  EXPECT_EQ(b.sig.m_axi_rvalid_i, 0);
  EXPECT_EQ(b.sig.m_axi_bvalid_i, 0);
  EXPECT_EQ(b.sig.m_axi_arready_i, 0);
  EXPECT_EQ(b.sig.m_axi_awready_i, 0);
  EXPECT_EQ(b.sig.m_axi_wready_i, 0);
  // After reset (and with a fresh master), nothing stale comes back and new traffic works.
  b.sig = {};
  FakeMaster<Bits> m2(SYSTOLE_AXI_PORT(b.sig, m_axi_, Bits), {}, test_seed());
  b.ref.assign(b.ref.size(), 0);
  b.mem.fill(kBase, 0x2000, 0);
  m2.read(b.read_req(3, kBase + 0x40, 1));
  for (int i = 0; i < 100; ++i) {
    b.mem.drive();
    m2.drive();
    b.mem.sample();
    m2.sample();
  }
  for (const auto& f : m2.failures()) ADD_FAILURE() << f;
  EXPECT_TRUE(m2.done());
  EXPECT_EQ(m2.reads_done.size(), 1u);
  EXPECT_TRUE(b.mem.violations().empty());
}

TYPED_TEST(AxiMem, Stats) {
  constexpr unsigned Bits = TestFixture::Bits, B = TestFixture::B;
  AxiMemoryConfig c = base_cfg();
  c.error_ranges = {{kBase + 0x8000, kBase + 0x9000, AxiResp::kDecErr}};
  Bench<Bits> b(c, {.p_rready_low = 0.5}, test_seed());
  Rng rng(test_seed());
  for (int i = 0; i < 3; ++i) b.m.read(b.read_req(1, kBase + 0x100 * i, 3));
  b.m.read(b.read_req(2, kBase + 0x8000, 1, AxiResp::kDecErr));
  WriteReq w = b.random_write(rng, 5, kBase + 0x4000, 1, 0);
  w.strb[1] = 0b11;
  b.m.write(w);
  b.m.write(b.random_write(rng, 5, kBase + 0x8000, 0, 0, AxiResp::kDecErr));
  ASSERT_TRUE(b.run());
  b.expect_clean();
  const AxiStats& s = b.mem.stats();
  EXPECT_EQ(s.read_bursts, 4u);
  EXPECT_EQ(s.read_beats, 14u);
  EXPECT_EQ(s.read_bytes, 14u * B);
  EXPECT_EQ(s.write_bursts, 2u);
  EXPECT_EQ(s.write_beats, 3u);
  EXPECT_EQ(s.written_bytes, B + 2u);
  EXPECT_EQ(s.read_errors, 1u);
  EXPECT_EQ(s.write_errors, 1u);
  EXPECT_EQ(s.per_id.at(1).reads, 3u);
  EXPECT_EQ(s.per_id.at(1).read_beats, 12u);
  EXPECT_EQ(s.per_id.at(2).read_errors, 1u);
  EXPECT_EQ(s.per_id.at(5).writes, 2u);
  EXPECT_EQ(s.per_id.at(5).write_beats, 3u);
  EXPECT_EQ(s.per_id.at(5).write_errors, 1u);
  EXPECT_GT(s.r_stall_cycles, 0u);
  EXPECT_EQ(s.cycles, b.mem.cycle());
  EXPECT_GE(s.max_outstanding_reads, 1u);
}

}  // namespace
}  // namespace systole::verif::test
