// AXI errors and quiesce: SLVERR/DECERR on a read and on a write give err_o with the response
// and direction, the queue keeps running; stop_i with traffic in flight reaches idle_o within a
// bounded time with no new AR/AW, no on-chip access and WSTRB = 0 on the beats it still owes;
// after clr_i the next instruction works.
#include "dma_gen.hpp"

using namespace systole::verif;
using namespace systole::verif::dmab;

namespace {

// While stop_i is high: only an AR/AW already presented when it rose may still be accepted, a
// W beat already presented keeps its strobes, every later one has WSTRB = 0, no SBUF/PSUM
// request is made.
class QuiesceMonitor {
 public:
  explicit QuiesceMonitor(Model& m) : m_(m) {}
  void operator()() {
    if (!m_.stop_i) {
      active_ = false;
      return;
    }
    if (!active_) {
      active_ = true;
      ar_ok_ = m_.m_axi_arvalid_o;
      aw_ok_ = m_.m_axi_awvalid_o;
      w_ok_ = m_.m_axi_wvalid_o;
    }
    if (m_.m_axi_arvalid_o && !ar_ok_) ADD_FAILURE() << "AR presented after stop_i";
    if (m_.m_axi_awvalid_o && !aw_ok_) ADD_FAILURE() << "AW presented after stop_i";
    if (m_.m_axi_arvalid_o && m_.m_axi_arready_i) ar_ok_ = false;
    if (m_.m_axi_awvalid_o && m_.m_axi_awready_i) aw_ok_ = false;
    if (m_.m_axi_wvalid_o && m_.m_axi_wready_i) {
      if (!w_ok_ && m_.m_axi_wstrb_o != 0) ADD_FAILURE() << "W beat with strobes after stop_i";
      w_ok_ = false;
      ++w_after_stop_;
    }
    if (!m_.m_axi_wvalid_o) w_ok_ = false;
    if (m_.onchip_en_o) ADD_FAILURE() << "SBUF/PSUM request after stop_i";
  }
  std::uint64_t w_after_stop() const { return w_after_stop_; }

 private:
  Model& m_;
  bool active_ = false, ar_ok_ = false, aw_ok_ = false, w_ok_ = false;
  std::uint64_t w_after_stop_ = 0;
};

Dap bytes_at(std::uint32_t addr, std::uint32_t n, DType t = DType::kInt8) {
  Dap d;
  d.space = Space::kDram;
  d.dtype = t;
  d.addr = addr;
  d.dims = {Dim{n, 1}, Dim{1, 0}, Dim{1, 0}, Dim{1, 0}};
  return d;
}

// After a flush: a clean copy runs to completion and lands.
void expect_clean_copy(Bench& b, Rng& r, const std::string& what) {
  const std::uint32_t src = 0x100 + 4 * r.below(64), dst = 0xE000 + 4 * r.below(64), n = 300 + r.below(300);
  const auto want = b.mem().read(src, n);
  const Outcome o = b.run(encode_all({dma_insn(Dma{bytes_at(dst, n), bytes_at(src, n)})}), nullptr, 0, 200'000);
  EXPECT_EQ(o.done, 1u) << what;
  EXPECT_TRUE(o.errors.empty()) << what;
  EXPECT_EQ(b.mem().read(dst, n), want) << "copy after the flush: " << what;
}

struct ErrCase {
  const char* name;
  bool write;     // the erroring access is a write
  unsigned resp;  // 2 SLVERR, 3 DECERR
};

void error_case(const ErrCase& c) {
  Rng r(test_seed());
  const std::string what = fmt::format("{} ({})\n{}", c.name, SYSTOLE_MODEL_CONFIG, replay_command("dma"));
  AxiMemoryConfig mc = random_axi(r, false);
  // SLVERR from an error range; DECERR from addresses beyond the memory.
  const std::uint32_t bad = c.resp == 2 ? 0x3000 : kDram;
  if (c.resp == 2) mc.error_ranges.push_back({bad, bad + 0x20, AxiResp::kSlvErr});
  mc.size = kDram;
  Bench b(mc);
  b.mem().write(0, random_bytes(r, kDram, 0));
  QuiesceMonitor mon(b.m());
  b.set_observer([&] { mon(); });
  const auto ok_src = bytes_at(0x1000, 64), ok_dst = bytes_at(0x9000, 64);
  const auto bad_rw = bytes_at(bad - 0x100, 0x400);  // 1 KiB across the bad range
  const Dma bad_dma = c.write ? Dma{bad_rw, bytes_at(0x1000, 0x400)} : Dma{bytes_at(0x9000, 0x400), bad_rw};

  // 1. The erroring DMA between clean ones: err_o, and the queue keeps running to the end.
  {
    Outcome o = b.run(encode_all({dma_insn(Dma{ok_dst, ok_src}), dma_insn(bad_dma), dma_insn(Dma{ok_dst, ok_src})}), &r,
                      10, 200'000);
    ASSERT_FALSE(o.errors.empty()) << "no err_o: " << what;
    EXPECT_EQ(o.errors.front().resp, c.resp) << what;
    EXPECT_EQ(o.errors.front().write, c.write) << what;
    EXPECT_EQ(o.done, 3u) << "the queue keeps running after an error: " << what;
    b.stop_and_clear(o);
  }
  // 2. Quiesce at the first error with more work queued behind it, flush, run a clean copy.
  {
    std::vector<Instruction> prog = {dma_insn(bad_dma)};
    for (int i = 0; i < 3; ++i)
      prog.push_back(dma_insn(Dma{bytes_at(0x8000 + 0x1000 * i, 0x800), bytes_at(0x4000, 0x800)}));
    Outcome o = b.run(encode_all(prog), &r, 0, 200'000, [](const Outcome& x) { return !x.errors.empty(); });
    ASSERT_FALSE(o.errors.empty()) << what;
    EXPECT_EQ(o.errors.front().resp, c.resp) << what;
    EXPECT_EQ(o.errors.front().write, c.write) << what;
    const std::uint64_t n = b.stop_and_clear(o);
    std::printf("[ DmaError ] %s %s: idle_o %llu cycles after stop_i\n", SYSTOLE_MODEL_CONFIG, c.name,
                static_cast<unsigned long long>(n));
    expect_clean_copy(b, r, what);
  }
}

}  // namespace

TEST(DmaError, ReadSlvErr) { error_case({"read SLVERR", false, 2}); }
TEST(DmaError, WriteSlvErr) { error_case({"write SLVERR", true, 2}); }
TEST(DmaError, ReadDecErr) { error_case({"read DECERR", false, 3}); }
TEST(DmaError, WriteDecErr) { error_case({"write DECERR", true, 3}); }

// stop_i at a random moment of a random mix of long DMAs under a harsh memory: idle_o comes
// (bounded), nothing new starts, owed W beats carry no strobes, the memory has nothing
// outstanding, and after clr_i a clean copy works. Repeated over several random moments.
TEST(DmaError, StopMidFlightThenRecover) {
  const Config cfg = config();
  Rng r(test_seed());
  const Layout lay = layout(cfg, false);
  std::uint64_t worst = 0, owed = 0;
  for (int round = 0; round < 30 && !HasFailure(); ++round) {
    const AxiMemoryConfig mc = random_axi(r, round % 2 == 1);
    Bench b(mc);
    b.set_block(round % 3 == 2 ? 0.3 : 0.0);
    b.mem().write(0, random_bytes(r, kDram, 0));
    QuiesceMonitor mon(b.m());
    b.set_observer([&] { mon(); });
    Gen g{cfg, lay, r};
    std::vector<Instruction> prog = fill_program(cfg, lay);
    static const std::array<std::pair<Space, Space>, 4> kinds = {{{Space::kDram, Space::kDram},
                                                                  {Space::kDram, Space::kSbuf},
                                                                  {Space::kSbuf, Space::kDram},
                                                                  {Space::kPsum, Space::kDram}}};
    for (int i = 0; i < 6; ++i) {
      const auto [ss, ds] = kinds[r.below(kinds.size())];
      prog.push_back(dma_insn(g.valid_dma(ss, ds)));
    }
    const std::uint64_t at = 20 + r.below(3000);
    const std::string what = fmt::format("round {}: stop at cycle {}, read latency {}, {}\n{}", round, at,
                                         mc.read_latency, describe(prog), replay_command("dma"));
    Outcome o = b.run(encode_all(prog), &r, 10, 500'000, [&](const Outcome& x) { return x.cycles >= at; });
    const std::uint64_t n = b.stop_and_clear(o, 20'000);
    worst = std::max(worst, n);
    owed += mon.w_after_stop();
    EXPECT_TRUE(o.errors.empty()) << what;
    expect_clean_copy(b, r, what);
  }
  std::printf("[ DmaError ] %s: idle_o at most %llu cycles after stop_i; %llu W beats completed while stopped\n",
              SYSTOLE_MODEL_CONFIG, static_cast<unsigned long long>(worst), static_cast<unsigned long long>(owed));
}

// stop_i while write bursts are addressed but their data has not arrived (slow reads, fast
// writes, so AW runs ahead): the queue owes W beats and must send them all with WSTRB = 0, so
// the destination keeps every byte it had.
TEST(DmaError, StopWithWritesOwed) {
  Rng r(test_seed());
  AxiMemoryConfig mc = plain_axi(1);
  mc.read_latency = 400;
  Bench b(mc);
  b.mem().write(0, random_bytes(r, kDram, 0));
  QuiesceMonitor mon(b.m());
  b.set_observer([&] { mon(); });
  const std::uint32_t n = 0x1000;
  const auto before = b.mem().read(0x9000, n);
  Outcome o = b.run(encode_all({dma_insn(Dma{bytes_at(0x9000, n), bytes_at(0x2000, n)})}), nullptr, 0, 10'000,
                    [](const Outcome& x) { return x.cycles >= 300; });
  EXPECT_GT(b.mem().stats().write_bursts, 0u) << "no AW accepted before stop_i";
  EXPECT_EQ(b.mem().stats().write_beats, 0u) << "W data went out before the reads came back";
  const std::uint64_t cycles = b.stop_and_clear(o, 2000);
  std::printf("[ DmaError ] %s: %llu W beats owed at stop_i, idle_o after %llu cycles\n", SYSTOLE_MODEL_CONFIG,
              static_cast<unsigned long long>(mon.w_after_stop()), static_cast<unsigned long long>(cycles));
  EXPECT_EQ(mon.w_after_stop(), b.mem().stats().write_beats);
  EXPECT_EQ(b.mem().stats().write_beats, 16 * b.mem().stats().write_bursts)
      << "every addressed burst completed (all are 16 beats: 4 KiB aligned, contiguous)";
  EXPECT_EQ(b.mem().read(0x9000, n), before) << "a W beat sent after stop_i wrote data";
  expect_clean_copy(b, r, replay_command("dma"));
}
