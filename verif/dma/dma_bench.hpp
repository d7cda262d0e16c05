// The DMA queue bench (verif/dma): dma_tb (one dma_queue, SBUF, PSUM) with verif/common's
// AxiMemory on its AXI master port, a per-cycle driver that feeds DMA instructions and collects
// completions, errors and byte counts, and the golden model run on the same instructions.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "model_config.hpp"
#include "systole/golden/builder.hpp"
#include "systole/golden/machine.hpp"
#include "systole/golden/validate.hpp"
#include "systole/sim/axi_memory.hpp"
#include "systole/sim/sim_controller.hpp"
#include "test_seed.hpp"
#include SYSTOLE_MODEL_HEADER

namespace systole::verif::dmab {
using namespace systole::sim;  // the simulated chip and its models (sim/)

using namespace systole::golden;
using Model = SYSTOLE_MODEL;

// The model's configuration (SYSTOLE_MODEL_CONFIG, CMakeLists.txt), vector engine absent.
inline Config config() {
  Config c = model_config();
  c.vector_engine = false;
  return c;
}

// ---- DRAM and on-chip layout ------------------------------------------------------------------
// DRAM [0, kWork): random DMA traffic (two halves, so a DRAM->DRAM copy never overlaps itself)
// and the sources of the initial SBUF/PSUM fill; [kWork, kDram): where SBUF and PSUM are dumped
// at the end. On chip, random patterns stay inside a region of each partition (two halves), at
// the bottom or the top of the partition.
inline constexpr std::uint32_t kWork = 0x10000;
inline constexpr std::uint32_t kDram = 0x20000;
inline constexpr std::uint32_t kSbufDump = kWork;
inline constexpr std::uint32_t kPsumDump = kWork + 0x8000;
inline constexpr std::uint32_t kProgBase = kDram;  // the golden model's program lives past the AXI memory

struct Layout {
  std::uint32_t sb_bytes = 1024, ps_bytes = 512;  // region per partition
  std::uint32_t sb_base = 0, ps_base = 0;         // its first byte
};

inline Layout layout(const Config& c, bool top) {
  Layout l;
  l.sb_bytes = std::min<std::uint32_t>(c.sbuf_bytes, 1024);
  l.ps_bytes = std::min<std::uint32_t>(c.psum_bytes, 512);
  l.sb_base = top ? c.sbuf_bytes - l.sb_bytes : 0;
  l.ps_base = top ? c.psum_bytes - l.ps_bytes : 0;
  return l;
}

// ---- randomness ---------------------------------------------------------------------------------
struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t s) : g(s) {}
  std::uint64_t bits() { return g(); }
  std::uint32_t below(std::uint64_t n) { return static_cast<std::uint32_t>(g() % n); }
  std::int32_t range(std::int32_t lo, std::int32_t hi) {
    return static_cast<std::int32_t>(lo + static_cast<std::int64_t>(g() % (static_cast<std::uint64_t>(hi - lo) + 1)));
  }
  bool coin(unsigned pct = 50) { return g() % 100 < pct; }
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(g); }
};

// Words with the values the casts care about: zeros, denormals, infinities, NaNs, bf16 and fp8
// rounding ties, the fp8 saturation edge, fp8 subnormals, int32 saturation edges.
inline constexpr std::array<std::uint32_t, 30> kSpecial = {
    0x00000000, 0x80000000, 0x00000001, 0x807FFFFF, 0x00400000, 0x7F800000, 0xFF800000, 0x7FC00000,
    0x7FA00001, 0xFFFFFFFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F808000, 0x3F818000, 0x3F807FFF, 0x3F880000,
    0x3F980000, 0x43E00000, 0x43E80000, 0x43F00000, 0xC3F00000, 0x3C000000, 0x3A800000, 0x3AC00000,
    0x3B100000, 0x7FFFFFFF, 0x0000007F, 0x00000080, 0xFFFFFF80, 0xFFFFFF7F};
inline std::uint32_t special_word(Rng& r) { return kSpecial[r.below(kSpecial.size())]; }

inline std::vector<std::uint8_t> random_bytes(Rng& r, std::size_t n, unsigned special_pct) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i + 4 <= n; i += 4) {
    const std::uint32_t w = r.coin(special_pct) ? special_word(r) : static_cast<std::uint32_t>(r.bits());
    for (int k = 0; k < 4; ++k) v[i + k] = static_cast<std::uint8_t>(w >> (8 * k));
  }
  return v;
}

// A random AxiMemory: latency and jitter, back-pressure on every channel, gaps in R and B, a
// bandwidth limit, limited outstanding bursts; `harsh` turns everything up.
inline AxiMemoryConfig random_axi(Rng& r, bool harsh) {
  AxiMemoryConfig c;
  c.size = kDram;
  c.seed = r.bits();
  c.read_latency = 1 + r.below(harsh ? 80 : 30);
  c.read_jitter = r.below(harsh ? 20 : 4);
  c.write_latency = 1 + r.below(harsh ? 60 : 20);
  c.write_jitter = r.below(harsh ? 20 : 4);
  const double beat = model_config().axi_data_bits / 8.0;
  c.bytes_per_cycle = r.coin(harsh ? 60 : 25) ? beat * r.uniform(0.25, 1.5) : 0.0;
  const double bp = harsh ? 0.5 : 0.15;
  c.p_awready_low = r.uniform(0, bp);
  c.p_wready_low = r.uniform(0, bp);
  c.p_arready_low = r.uniform(0, bp);
  c.p_rvalid_gap = r.uniform(0, bp);
  c.p_bvalid_gap = r.uniform(0, bp);
  c.max_reads = 1 + r.below(harsh ? 8 : 32);
  c.max_writes = 1 + r.below(harsh ? 8 : 32);
  c.w_before_aw = r.below(4);
  c.reorder = true;
  c.interleave_reads = r.coin();
  c.response_timeout = 1000;  // RREADY/BREADY are always high: any wait is a bug
  return c;
}

// An AxiMemory that answers at once with a fixed latency (throughput measurements).
inline AxiMemoryConfig plain_axi(unsigned latency) {
  AxiMemoryConfig c;
  c.size = kDram;
  c.read_latency = latency;
  c.write_latency = latency;
  c.max_reads = 64;
  c.max_writes = 64;
  c.response_timeout = 1000;
  return c;
}

// ---- the bench ----------------------------------------------------------------------------------
struct Outcome {
  std::uint64_t cycles = 0;  // cycles run
  std::uint64_t first_accept = 0, last_done = 0;
  std::uint64_t done = 0;                    // done_o pulses
  std::uint64_t rd_bytes = 0, wr_bytes = 0;  // sums of rd_bytes_o / wr_bytes_o
  std::uint64_t beats = 0, stalls = 0;       // beat_o / stall_dram_o cycles
  // AXI data beats moved and the cycles of the first and last of each direction (steady-state
  // rates: beats / (last - first + 1)).
  std::uint64_t r_beats = 0, w_beats = 0, first_r = 0, last_r = 0, first_w = 0, last_w = 0;
  struct Err {
    unsigned resp;
    bool write;
  };
  std::vector<Err> errors;
};

class Bench {
 public:
  explicit Bench(const AxiMemoryConfig& mc)
      : cfg_(config()), mem_(SYSTOLE_AXI_PORT(*sim_, m_axi_, cfg_.axi_data_bits), mc), block_rng_(mc.seed ^ 0xB10C) {
    m().insn_valid_i = 0;
    m().stop_i = 0;
    m().clr_i = 0;
    m().sb_block_i = 0;
    m().ps_block_i = 0;
    mem_.reset();
    sim_.reset();
    mem_.reset();
  }

  Model& m() { return *sim_; }
  AxiMemory& mem() { return mem_; }
  SimController<Model>& sim() { return sim_; }
  const Config& cfg() const { return cfg_; }

  // Called in every cycle once the model has settled, before the clock edge.
  void set_observer(std::function<void()> f) { observer_ = std::move(f); }

  // Probability that a partition's SBUF / PSUM port is refused in a cycle.
  void set_block(double p) { p_block_ = p; }

  // One clock cycle with the inputs as set; accumulates the outputs into `o`.
  void cycle(Outcome& o) {
    mem_.drive();
    if (p_block_ > 0) {
      m().sb_block_i = static_cast<std::remove_reference_t<decltype(m().sb_block_i)>>(random_mask());
      m().ps_block_i = static_cast<std::remove_reference_t<decltype(m().ps_block_i)>>(random_mask());
    }
    sim_.eval();
    if (observer_) observer_();
    accepted_ = m().insn_valid_i && m().insn_ready_o;
    if (m().done_o) {
      ++o.done;
      o.last_done = sim_.cycle();
    }
    if (m().err_o) o.errors.push_back({m().err_resp_o, m().err_write_o != 0});
    o.rd_bytes += m().rd_bytes_o;
    o.wr_bytes += m().wr_bytes_o;
    o.beats += m().beat_o;
    o.stalls += m().stall_dram_o;
    if (m().m_axi_rvalid_i && m().m_axi_rready_o) {
      if (o.r_beats++ == 0) o.first_r = sim_.cycle();
      o.last_r = sim_.cycle();
    }
    if (m().m_axi_wvalid_o && m().m_axi_wready_i) {
      if (o.w_beats++ == 0) o.first_w = sim_.cycle();
      o.last_w = sim_.cycle();
    }
    if (m().stall_dram_o && !m().busy_o) ADD_FAILURE() << "stall_dram_o without an instruction in flight";
    mem_.sample();
    sim_.tick();
    ++o.cycles;
  }

  // Feeds the instructions in order (random gaps when gap_pct > 0) and runs until every one
  // has completed and the queue is idle, or until `until(outcome)` holds (then without the end
  // checks; an instruction being offered is withdrawn). Throws SimTimeout after max_cycles.
  Outcome run(const std::vector<EncodedInstruction>& prog, Rng* r = nullptr, unsigned gap_pct = 0,
              std::uint64_t max_cycles = 3'000'000, const std::function<bool(const Outcome&)>& until = {}) {
    try {
      return run_loop(prog, r, gap_pct, max_cycles, until);
    } catch (const std::exception& e) {
      // A hang (SimTimeout) or an AXI rule broken (AxiProtocolError): say how to replay it.
      ADD_FAILURE() << e.what() << "\n" << replay_command("dma");
      throw;
    }
  }

  // Quiesce and flush as the sequencer does: stop_i until idle_o (at most max_cycles), then a
  // clr_i pulse. Returns the cycles idle_o took.
  std::uint64_t stop_and_clear(Outcome& o, std::uint64_t max_cycles = 5000) {
    m().insn_valid_i = 0;
    m().stop_i = 1;
    std::uint64_t n = 0;
    while (true) {
      sim_.eval();
      if (m().idle_o) break;
      if (++n > max_cycles) throw SimTimeout(fmt::format("idle_o not reached {} cycles after stop_i", max_cycles));
      cycle(o);
    }
    // Flush in the cycle after idle: AxiMemory must have nothing left for this master either.
    EXPECT_TRUE(mem_.idle()) << "idle_o while AXI transactions are still outstanding";
    m().clr_i = 1;
    cycle(o);
    m().clr_i = 0;
    m().stop_i = 0;
    cycle(o);
    sim_.eval();
    EXPECT_TRUE(m().idle_o && !m().busy_o) << "queue not empty after clr_i";
    return n;
  }

 private:
  Outcome run_loop(const std::vector<EncodedInstruction>& prog, Rng* r, unsigned gap_pct, std::uint64_t max_cycles,
                   const std::function<bool(const Outcome&)>& until) {
    Outcome o;
    std::size_t next = 0;
    const std::uint64_t limit = sim_.cycle() + max_cycles;
    bool offering = false;
    while (o.done < prog.size() || !m().idle_o) {
      if (sim_.cycle() >= limit) {
        throw SimTimeout(fmt::format("DMA queue: {} of {} instructions issued, {} done after {} cycles", next,
                                     prog.size(), o.done, max_cycles));
      }
      if (!offering && next < prog.size()) offering = !(r != nullptr && gap_pct > 0 && r->coin(gap_pct));
      m().insn_valid_i = offering;
      if (offering) {
        for (std::size_t i = 0; i < 16; ++i) m().insn_i[i] = prog[next][i];
      }
      cycle(o);
      if (accepted_) {
        if (next == 0) o.first_accept = sim_.cycle() - 1;
        ++next;
        offering = false;
      }
      if (o.done > next) ADD_FAILURE() << "done_o for an instruction never issued";
      if (until && until(o)) {
        m().insn_valid_i = 0;
        return o;
      }
    }
    m().insn_valid_i = 0;
    m().sb_block_i = 0;
    m().ps_block_i = 0;
    sim_.eval();
    EXPECT_FALSE(m().busy_o) << "busy_o after the last completion";
    EXPECT_TRUE(mem_.idle()) << "AXI traffic left after the last completion";
    return o;
  }

  std::uint64_t random_mask() {
    std::uint64_t v = 0;
    for (std::uint32_t p = 0; p < cfg_.partitions; ++p) {
      if (std::bernoulli_distribution(p_block_)(block_rng_)) v |= std::uint64_t{1} << p;
    }
    return v;
  }

  Config cfg_;
  SimController<Model> sim_;
  AxiMemory mem_;
  std::mt19937_64 block_rng_;
  double p_block_ = 0;
  bool accepted_ = false;  // the last cycle() transferred an instruction
  std::function<void()> observer_;
};

// ---- instructions -------------------------------------------------------------------------------
inline Instruction dma_insn(const Dma& d) {
  Instruction i;
  i.engine = engine::dma(0);
  i.op = d;
  return i;
}

inline std::vector<EncodedInstruction> encode_all(const std::vector<Instruction>& insns) {
  std::vector<EncodedInstruction> w;
  for (const auto& i : insns) w.push_back(encode(i));
  return w;
}

inline Windows open_windows() {
  Windows w{};
  w[0] = Window{0, 0xFFFFFFFFu, true, true, true};
  return w;
}

inline std::string describe(const Dap& d) {
  std::string dims;
  for (const Dim& x : d.dims) dims += fmt::format(" {}x{}", x.count, x.stride);
  return fmt::format("{}:{} p{} pdim {} addr {:#x} [{} ]", space_name(d.space), dtype_name(d.dtype), d.pstart, d.pdim,
                     d.addr, dims);
}

inline std::string describe(const std::vector<Instruction>& insns) {
  std::string s;
  for (std::size_t k = 0; k < insns.size(); ++k) {
    const auto& d = std::get<Dma>(insns[k].op);
    s += fmt::format("\n  #{} dst {} <- src {}", k, describe(d.dst), describe(d.src));
  }
  return s;
}

// Runs the instructions (on DMA queue 0, then END) on the golden machine.
inline RunResult golden_run(Machine& g, const std::vector<Instruction>& insns) {
  auto words = encode_all(insns);
  Instruction end;
  end.op = End{};
  words.push_back(encode(end));
  return g.run_program(words, kProgBase);
}

// A golden machine whose DRAM holds `image` in [0, kDram) (plus room for the program).
inline std::unique_ptr<Machine> golden_machine(const std::vector<std::uint8_t>& image) {
  auto g = std::make_unique<Machine>(config(), kDram + 0x10000);
  g->windows() = open_windows();
  g->write_dram(0, image);
  return g;
}

// Compares the AXI memory with the golden DRAM over [0, kDram); reports the first differences.
inline void expect_dram_equal(const AxiMemory& mem, const Machine& g, const std::string& what) {
  const auto got = mem.read(0, kDram);
  int bad = 0;
  for (std::uint32_t a = 0; a < kDram && bad < 8; ++a) {
    if (got[a] != g.dram()[a]) {
      ++bad;
      ADD_FAILURE() << fmt::format("DRAM byte {:#07x}: RTL {:#04x}, golden {:#04x}", a, got[a], g.dram()[a]);
    }
  }
  if (bad > 0) ADD_FAILURE() << what;
}

}  // namespace systole::verif::dmab
