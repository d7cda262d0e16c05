#include "systole/driver/timing_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace systole::driver {

namespace {

using i64 = std::int64_t;

// log2 of an element's size in bytes.
unsigned size_lg(golden::DType t) {
  const std::size_t b = golden::dtype_size(t);
  return b == 1 ? 0u : b == 2 ? 1u : 2u;
}

// Calls f(byte address) for every run of a pattern: dims `first`..3 nested (dim 3 outermost),
// each stepping `step[d]` bytes (0 for the partition dim of an on-chip side).
template <class F>
void for_each_run(std::uint64_t base, const std::array<golden::Dim, 4>& dims, const std::array<i64, 4>& step, int first,
                  F&& f) {
  std::array<std::uint32_t, 4> n{1, 1, 1, 1};
  for (int d = first; d < 4; ++d)
    n[static_cast<std::size_t>(d)] = std::max<std::uint32_t>(1, dims[static_cast<std::size_t>(d)].count);
  for (std::uint32_t i3 = 0; i3 < n[3]; ++i3)
    for (std::uint32_t i2 = 0; i2 < n[2]; ++i2)
      for (std::uint32_t i1 = 0; i1 < n[1]; ++i1)
        for (std::uint32_t i0 = 0; i0 < n[0]; ++i0) {
          const i64 a = static_cast<i64>(base) + i0 * step[0] + i1 * step[1] + i2 * step[2] + i3 * step[3];
          f(static_cast<std::uint64_t>(a));
        }
}

// AXI beats and INCR bursts of a DRAM side, run by run, as dap_iter groups them: a run extends
// the current burst when it starts in the burst's last beat or the next one up on the same
// 4 KiB page, while the burst is below max_burst_beats.
struct BeatCounter {
  std::uint64_t bb = 32, max_len = 16;
  std::uint64_t beats = 0, bursts = 0, last = 0, len = 0;
  bool have = false;
  void add(std::uint64_t first_byte, std::uint64_t bytes) {
    const std::uint64_t fb = first_byte / bb, lb = (first_byte + bytes - 1) / bb;
    for (std::uint64_t b = fb; b <= lb; ++b) {
      if (have && b == last) continue;
      ++beats;
      if (have && b == last + 1 && (b * bb) / 4096 == (last * bb) / 4096 && len < max_len) {
        last = b;
        ++len;
        continue;
      }
      ++bursts;
      have = true;
      last = b;
      len = 1;
    }
  }
};

}  // namespace

std::uint32_t fetch_slots(const golden::Config& cfg) { return cfg.axi_data_bits >= 256 ? 8 : 4; }

DmaSideCost dma_side_cost(const golden::Config& cfg, const golden::Dap& d, unsigned src_lg,
                          std::uint32_t max_burst_beats) {
  DmaSideCost c;
  const std::uint64_t n = d.size();
  if (n == 0) return c;
  const bool dram = d.space == golden::Space::kDram;
  const unsigned lg = size_lg(d.dtype);
  const std::uint64_t bb = std::max<std::uint64_t>(1, cfg.axi_data_bits / 8);
  const std::uint64_t rb = std::max<std::uint64_t>(bb, 8);
  const int pdim = dram ? -1 : d.pdim;
  std::uint64_t lmax = rb >> src_lg;
  if (!dram && pdim == 0 && lmax > cfg.partitions) lmax = cfg.partitions;
  const bool unit_stride = d.dims[0].stride == 1 && lmax > 1;
  std::array<i64, 4> step{};
  for (int k = 0; k < 4; ++k)
    step[static_cast<std::size_t>(k)] =
        k == pdim ? 0 : static_cast<i64>(d.dims[static_cast<std::size_t>(k)].stride) << lg;
  BeatCounter beats;
  beats.bb = bb;
  beats.max_len = max_burst_beats;
  if (unit_stride && pdim == 0) {  // columns: up to lmax partitions at one byte address
    const std::uint64_t n0 = d.dims[0].count;
    c.chunks = (n / n0) * ((n0 + lmax - 1) / lmax);
    c.port_rows = n;  // one row access in every partition of the column
    return c;
  }
  if (!unit_stride) {  // one element per chunk
    c.chunks = n;
    if (dram) for_each_run(d.addr, d.dims, step, 0, [&](std::uint64_t a) { beats.add(a, std::uint64_t{1} << lg); });
  } else {  // runs of dim 0, cut at the unit (beat or row) and at lmax elements
    const std::uint64_t unit = dram ? bb : rb, n0 = d.dims[0].count;
    for_each_run(d.addr, d.dims, step, 1, [&](std::uint64_t a) {
      for (std::uint64_t i = 0, x = a; i < n0; ++c.chunks) {
        const std::uint64_t to_unit = ((unit - 1 - x % unit) >> lg) + 1;
        const std::uint64_t k = std::min({lmax, n0 - i, to_unit});
        x += k << lg;
        i += k;
      }
      if (dram) beats.add(a, n0 << lg);
    });
  }
  if (!dram) c.port_rows = c.chunks;  // a row, or one element, per chunk
  c.beats = beats.beats;
  c.bursts = beats.bursts;
  return c;
}

namespace {

// The AXI W channel as axi_arbiter serves it: AW round-robin among the queues with a burst to
// write, the data in AW order, so queues writing at once interleave their bursts and all finish
// late, the first as late as the last (a first-come booking would finish the first store early
// and start that queue's next load, which waits for it, too soon).
class RrChannel {
 public:
  struct End {
    std::size_t tag;  // the writer's instruction index
    i64 end;          // the cycle its last beat leaves
  };
  explicit RrChannel(std::uint32_t burst_beats) : burst_(std::max<std::uint32_t>(1, burst_beats)) {}
  // A writer of `beats` beats joins at cycle t (a writer that joins before the channel's
  // current cycle, which program order allows across queues, joins at that cycle). Returns the
  // projected end of every writer still active, this one included, if no other joins.
  std::vector<End> join(i64 t, std::uint64_t beats, std::size_t tag) {
    serve_until(t);
    if (active_.empty()) now_ = std::max(now_, t);
    active_.push_back({tag, static_cast<i64>(beats)});
    std::vector<End> out;
    i64 now = now_;
    std::vector<Writer> w = active_;
    for (std::size_t i = next_ % w.size(); !w.empty();) {
      const i64 n = std::min<i64>(burst_, w[i].left);
      now += n;
      w[i].left -= n;
      if (w[i].left == 0) {
        out.push_back({w[i].tag, now});
        w.erase(w.begin() + static_cast<std::ptrdiff_t>(i));
        if (w.empty()) break;
        i %= w.size();
      } else {
        i = (i + 1) % w.size();
      }
    }
    return out;
  }

 private:
  struct Writer {
    std::size_t tag;
    i64 left;
  };
  // Serves bursts round-robin up to cycle t.
  void serve_until(i64 t) {
    while (!active_.empty() && now_ < t) {
      std::size_t i = next_ % active_.size();
      const i64 n = std::min<i64>(burst_, active_[i].left);
      now_ += n;
      active_[i].left -= n;
      if (active_[i].left == 0) {
        active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(i));
        next_ = active_.empty() ? 0 : i % active_.size();
      } else {
        next_ = (i + 1) % active_.size();
      }
    }
  }
  i64 burst_;
  i64 now_ = 0;
  std::size_t next_ = 0;
  std::vector<Writer> active_;
};

// The DMA queues, the AXI channels and the DRAM, as the timing model tracks them.
struct DmaState {
  struct Queue {
    i64 ar_free = 0;                  // the address walker of the source side
    i64 data_free = 0;                // the chunk path (both sides' data walkers)
    i64 accept = 0;                   // the next instruction is taken once this one's data starts moving
    std::array<i64, 4> write_done{};  // completion of the queue's last write to each space
  };
  std::vector<Queue> q;
  i64 r_free = 0;  // AXI R channel: the cycle up to which it is booked
  RrChannel w;     // AXI W channel
  // Writers the W channel delays after their instruction was booked: the pass moves their
  // completion (and what waits for it) later.
  struct Late {
    std::size_t tag;
    i64 data_end;
  };
  std::vector<Late> late;
  explicit DmaState(std::uint32_t burst_beats) : w(burst_beats) {}
  double dram_free = 0;  // the DRAM's bandwidth, booked likewise
  // The on-chip memories' DMA ports (mem_xbar): one row access per partition and cycle, shared
  // by every queue, booked as P row accesses per cycle (a column of P partitions takes a cycle).
  std::array<double, 4> port_free{};
  // Instruction fetches on the R channel and the DRAM: the start cycles of their beats (sorted,
  // from the first pass; see estimate_program), each `fetch_beats` beats and `fetch_dram`
  // cycles of the DRAM's bandwidth, which the DMA reads booked around them skip.
  const std::vector<i64>* fetches = nullptr;
  i64 fetch_beats = 0;
  double fetch_dram = 0;
  // The end of `n` cycles of a channel from t0, stretched over the fetches inside the window.
  double stretch(double t0, double n, double per_fetch) const {
    if (fetches == nullptr || per_fetch <= 0) return t0 + n;
    double end = t0 + n;
    for (;;) {
      const auto lo = std::lower_bound(fetches->begin(), fetches->end(), static_cast<i64>(std::ceil(t0)));
      const auto hi = std::lower_bound(fetches->begin(), fetches->end(), static_cast<i64>(std::ceil(end)));
      const double next = t0 + n + per_fetch * static_cast<double>(hi - lo);
      if (next <= end) return end;
      end = next;
    }
  }
};

// Completion cycle of DMA `op` on queue `q` accepted at cycle `start`.
i64 dma_complete(const golden::Config& cfg, const golden::Dma& op, const TimingModel& tm, i64 start, DmaState& st,
                 unsigned qi, std::size_t tag) {
  DmaState::Queue& q = st.q[qi];
  const bool src_dram = op.src.space == golden::Space::kDram, dst_dram = op.dst.space == golden::Space::kDram;
  const unsigned src_lg = size_lg(op.src.dtype);
  const DmaSideCost s = dma_side_cost(cfg, op.src, src_lg, tm.max_burst_beats);
  const DmaSideCost w = dma_side_cost(cfg, op.dst, src_lg, tm.max_burst_beats);
  const i64 lat = tm.dram_latency;
  // A read of a space waits for the queue's earlier writes to it (dma_queue's hazard rule).
  start = std::max({start, q.accept, q.write_done[static_cast<std::size_t>(op.src.space) & 3]});
  i64 data_ready = start + tm.dma_setup;
  i64 dur = static_cast<i64>(std::max(s.chunks, w.chunks));
  // Outstanding bursts: `bursts` bursts per latency at most, so a side of short bursts is slower.
  const auto burst_limited = [&](const DmaSideCost& c, std::uint32_t bursts, std::uint32_t latency) {
    const double per_burst = c.bursts ? static_cast<double>(c.beats) / static_cast<double>(c.bursts) : 1.0;
    const double rate = std::min(1.0, bursts * per_burst / (static_cast<double>(latency) + per_burst));
    return static_cast<i64>(static_cast<double>(c.beats) / rate + 0.5);
  };
  if (src_dram) {
    const i64 ar_start = std::max(start + tm.dma_setup, q.ar_free);
    q.ar_free = ar_start + static_cast<i64>(s.beats);
    data_ready = ar_start + lat;
    dur = std::max(dur, burst_limited(s, tm.read_bursts, tm.dram_latency));
  }
  if (dst_dram) dur = std::max(dur, burst_limited(w, tm.write_bursts, tm.dram_write_latency));
  const i64 data_start = std::max(data_ready, q.data_free);
  q.accept = data_start;
  i64 data_end = data_start + dur;
  if (src_dram) {
    st.r_free = static_cast<i64>(st.stretch(static_cast<double>(std::max(st.r_free, data_start)),
                                            static_cast<double>(s.beats), static_cast<double>(st.fetch_beats)));
    data_end = std::max(data_end, st.r_free);
  }
  if (dst_dram && w.beats > 0) {
    for (const RrChannel::End& e : st.w.join(data_start, w.beats, tag)) {
      if (e.tag == tag) {
        data_end = std::max(data_end, e.end);
      } else {
        st.late.push_back({e.tag, e.end});
      }
    }
  }
  if (tm.dram_bytes_per_cycle > 0 && (src_dram || dst_dram)) {
    const std::uint64_t bb = std::max<std::uint64_t>(1, cfg.axi_data_bits / 8);
    const double bytes = static_cast<double>(((src_dram ? s.beats : 0) + (dst_dram ? w.beats : 0)) * bb);
    st.dram_free = st.stretch(std::max(st.dram_free, static_cast<double>(data_start)), bytes / tm.dram_bytes_per_cycle,
                              src_dram ? st.fetch_dram : 0.0);
    data_end = std::max(data_end, static_cast<i64>(st.dram_free + 0.5));
  }
  // The SBUF/PSUM port B: P partition rows per cycle for all queues together.
  for (const auto* side : {&op.src, &op.dst}) {
    if (side->space == golden::Space::kDram) continue;
    const DmaSideCost& c = side == &op.src ? s : w;
    double& pf = st.port_free[static_cast<std::size_t>(side->space) & 3];
    pf = std::max(pf, static_cast<double>(data_start)) + static_cast<double>(c.port_rows) / cfg.partitions;
    data_end = std::max(data_end, static_cast<i64>(pf + 0.5));
  }
  q.data_free = data_end;
  const i64 comp = data_end + (dst_dram ? static_cast<i64>(tm.dram_write_latency) : 0) + static_cast<i64>(tm.dma_done);
  i64& wd = q.write_done[static_cast<std::size_t>(op.dst.space) & 3];
  wd = std::max(wd, comp);
  return comp;
}

}  // namespace

namespace {

// One pass in program order. Without `fetches`, each instruction's fetch is booked on the R
// channel and the DRAM when the pass reaches it (after the reads of earlier instructions); its
// start cycles go to `fetch_starts`. With `fetches` (the first pass's), the reads skip them
// wherever they fall.
ProgramEstimate estimate_pass(const golden::Config& cfg, std::span<const golden::Instruction> program,
                              const TimingModel& tm, const std::vector<i64>* fetches, std::vector<i64>* fetch_starts) {
  ProgramEstimate e;
  e.dma_busy.assign(cfg.dma_queues, 0);
  const i64 pc = static_cast<i64>(cfg.partitions + cfg.columns);
  constexpr i64 kNever = std::numeric_limits<i64>::min() / 4;

  std::array<std::vector<i64>, golden::Config::kNumSemaphores> sig;  // completion times of signals
  std::array<i64, golden::Config::kNumSemaphores> sig_max{};
  std::array<std::vector<i64>, golden::engine::kCount> done;  // completion times per engine
  std::array<i64, golden::engine::kCount> engine_free{};
  i64 dispatch = 0, last_completion = 0;
  DmaState dma_state(tm.max_burst_beats);
  dma_state.q.resize(cfg.dma_queues);
  // Where each instruction's completion went, for the W channel's late writers.
  struct Booked {
    std::uint8_t eng = 0;
    std::size_t done_pos = 0;
    int sem = -1;
    std::size_t sig_pos = 0;
  };
  std::vector<Booked> booked;
  booked.reserve(program.size());
  const auto delay = [&](const DmaState::Late& l) {
    const i64 comp = l.data_end + static_cast<i64>(tm.dram_write_latency) + static_cast<i64>(tm.dma_done);
    auto& t = e.per_insn[l.tag];
    if (comp <= static_cast<i64>(t.done)) return;
    const Booked& b = booked[l.tag];
    e.dma_busy[b.eng - golden::engine::kDma0] += static_cast<std::uint64_t>(comp) - t.done;
    t.done = static_cast<std::uint64_t>(comp);
    done[b.eng][b.done_pos] = comp;
    if (b.sem >= 0) {
      sig[static_cast<std::size_t>(b.sem)][b.sig_pos] = comp;
      sig_max[static_cast<std::size_t>(b.sem)] = std::max(sig_max[static_cast<std::size_t>(b.sem)], comp);
    }
    last_completion = std::max(last_completion, comp);
    DmaState::Queue& q = dma_state.q[b.eng - golden::engine::kDma0];
    q.data_free = std::max(q.data_free, l.data_end);
    auto& wd = q.write_done[static_cast<std::size_t>(golden::Space::kDram) & 3];
    wd = std::max(wd, comp);
  };
  dma_state.fetches = fetches;
  // Tensor engine pipeline state.
  i64 pe_issue_free = 0, stream_end_prev = kNever, stream_end_prev2 = kNever, pe_done = 0;

  auto sem_time = [&](const golden::Sync& s) -> i64 {
    if (!s.wait_en || s.wait_value == 0) return 0;
    auto& v = sig[s.wait_sem];
    if (v.size() < s.wait_value) {
      e.deadlock = true;
      return 0;
    }
    if (v.size() == s.wait_value) return sig_max[s.wait_sem];
    std::vector<i64> tmp(v);
    std::nth_element(tmp.begin(), tmp.begin() + (s.wait_value - 1), tmp.end());
    return tmp[s.wait_value - 1];
  };

  // Fetch (rtl/seq/fetch.sv): instruction i's 64-byte burst is issued once the buffer slot of
  // instruction i - fetch_slots has been freed by its dispatch, and lands a DRAM latency later.
  const std::size_t slots = tm.fetch_slots != 0 ? tm.fetch_slots : fetch_slots(cfg);
  std::vector<i64> popped(slots, 0);  // dispatch times of the last `slots` instructions (ring)
  const i64 fetch_beats = static_cast<i64>((golden::kInstructionBytes + cfg.axi_data_bits / 8 - 1) /
                                           std::max<std::uint32_t>(1, cfg.axi_data_bits / 8));
  const double fetch_dram =
      tm.dram_bytes_per_cycle > 0 ? static_cast<double>(golden::kInstructionBytes) / tm.dram_bytes_per_cycle : 0.0;
  dma_state.fetch_beats = fetch_beats;
  dma_state.fetch_dram = fetch_dram;
  i64 fetched_prev = 0;

  for (const golden::Instruction& insn : program) {
    const std::size_t slot = e.instructions % slots;
    ++e.instructions;
    const std::uint8_t eng = insn.engine;
    const i64 fetched = std::max(fetched_prev + 1, popped[slot] + tm.dram_latency + tm.fetch_overhead);
    fetched_prev = fetched;
    // The fetch's 64 bytes come over the same R channel and DRAM as the DMA reads: while the
    // loads saturate them (a small GEMM's first stage) every instruction fetched costs them its
    // beats.
    if (fetches == nullptr) {
      const i64 beats_start = fetched - static_cast<i64>(tm.fetch_overhead) - fetch_beats;
      if (fetch_starts != nullptr) fetch_starts->push_back(beats_start);
      dma_state.r_free = std::max(dma_state.r_free, beats_start) + fetch_beats;
      if (fetch_dram > 0) {
        dma_state.dram_free = std::max(dma_state.dram_free, static_cast<double>(beats_start)) + fetch_dram;
      }
    }
    const golden::Opcode op = insn.opcode();
    const std::uint32_t dec = op == golden::Opcode::kMatmul ? tm.decode_matmul_cycles
                              : op == golden::Opcode::kDma  ? tm.decode_dma_cycles
                                                            : tm.decode_cycles;
    i64 d = std::max(dispatch, fetched) + dec;
    if (eng != golden::engine::kSeq) {
      const auto& q = done[eng];
      if (q.size() >= cfg.queue_depth) d = std::max(d, q[q.size() - cfg.queue_depth]);
    }
    dispatch = d;
    popped[slot] = d;
    const i64 w = sem_time(insn.sync);
    i64 comp = d;
    i64 started = std::max(d, w);
    if (op == golden::Opcode::kEnd) {
      comp = std::max({d, w, last_completion});
      e.cycles = static_cast<std::uint64_t>(comp);
      e.per_insn.push_back(
          {static_cast<std::uint64_t>(d), static_cast<std::uint64_t>(comp), static_cast<std::uint64_t>(comp)});
      break;
    }
    if (eng == golden::engine::kSeq) {  // NOP on SEQ: holds back dispatch until its wait is satisfied
      comp = std::max(d, w);
      dispatch = comp;
    } else if (const auto* mm = std::get_if<golden::Matmul>(&insn.op)) {
      const i64 M = static_cast<i64>(mm->stationary.free_size());
      const i64 N = static_cast<i64>(mm->moving.free_size());
      const i64 issue = std::max({d, w, pe_issue_free});
      // The stationary buffer of MATMUL i-2 drains for P + C ticks after its last beat (+2 for
      // the handshakes: docs/tensor_engine.md, "N >= P + C + M + 2" for zero bubbles).
      const i64 load_start = std::max(issue, stream_end_prev2 == kNever ? issue : stream_end_prev2 + pc + 2);
      const i64 stream_start = std::max(load_start + M, stream_end_prev == kNever ? 0 : stream_end_prev);
      started = load_start;
      const i64 stream_end = stream_start + N;
      comp = std::max(stream_end + pc + tm.psum_write_latency, pe_done);
      pe_issue_free = stream_start;
      stream_end_prev2 = stream_end_prev;
      stream_end_prev = stream_end;
      pe_done = comp;
      e.pe_stream_cycles += static_cast<std::uint64_t>(N);
      e.macs += static_cast<std::uint64_t>(mm->moving.pcount) * static_cast<std::uint64_t>(M * N);
    } else if (eng == golden::engine::kTensor) {
      // NOP on TENSOR: fires once its wait is met and every earlier MATMUL has completed
      // (rtl/seq/sequencer.sv: the engine is quiet), so the array drains and the next MATMUL
      // issues after it.
      const i64 issue = std::max({d, w, pe_issue_free});
      comp = std::max(issue, pe_done) + 1;
      started = comp - 1;
      pe_issue_free = comp;
      pe_done = comp;
      stream_end_prev = stream_end_prev2 = kNever;
    } else if (const auto* dma = std::get_if<golden::Dma>(&insn.op)) {
      const unsigned q = eng - golden::engine::kDma0;
      const i64 start = std::max(d, w);
      started = start;
      comp = q < dma_state.q.size() ? dma_complete(cfg, *dma, tm, start, dma_state, q, e.per_insn.size()) : start + 1;
      if (q < e.dma_busy.size()) e.dma_busy[q] += static_cast<std::uint64_t>(comp - start);
      if (dma->src.space == golden::Space::kDram)
        e.dram_rd_bytes += dma->src.size() * golden::dtype_size(dma->src.dtype);
      if (dma->dst.space == golden::Space::kDram)
        e.dram_wr_bytes += dma->dst.size() * golden::dtype_size(dma->dst.dtype);
    } else {  // vector engine or a NOP elsewhere: one element per lane per cycle
      const i64 start = std::max({d, w, engine_free[eng]});
      i64 dur = 1;
      std::visit(
          [&](const auto& o) {
            if constexpr (requires { o.out.free_size(); }) dur = static_cast<i64>(o.out.free_size()) + 4;
          },
          insn.op);
      comp = start + dur;
      engine_free[eng] = comp;
    }
    Booked b{eng, done[eng].size()};
    done[eng].push_back(comp);
    e.per_insn.push_back(
        {static_cast<std::uint64_t>(d), static_cast<std::uint64_t>(started), static_cast<std::uint64_t>(comp)});
    last_completion = std::max(last_completion, comp);
    if (insn.sync.signal_en) {
      b.sem = insn.sync.signal_sem;
      b.sig_pos = sig[insn.sync.signal_sem].size();
      sig[insn.sync.signal_sem].push_back(comp);
      sig_max[insn.sync.signal_sem] = std::max(sig_max[insn.sync.signal_sem], comp);
    }
    booked.push_back(b);
    for (const DmaState::Late& l : dma_state.late) delay(l);
    dma_state.late.clear();
  }
  if (e.cycles == 0) e.cycles = static_cast<std::uint64_t>(last_completion);
  if (e.cycles > 0) {
    e.utilization = static_cast<double>(e.macs) / (static_cast<double>(e.cycles) * cfg.partitions * cfg.columns);
  }
  return e;
}

}  // namespace

// Two passes: the first finds when each instruction is fetched (a fetch lands a DRAM latency
// after an earlier instruction's dispatch); the second books the DMA reads around those fetch
// beats. A single pass in program order could only put a fetch after the reads already booked,
// while on the chip the fetches of later instructions interleave with the loads of the first
// stage and delay the first MATMUL's operands (docs/performance.md: 64^3 and 128^3).
ProgramEstimate estimate_program(const golden::Config& cfg, std::span<const golden::Instruction> program,
                                 const TimingModel& tm) {
  std::vector<i64> fetch_starts;
  estimate_pass(cfg, program, tm, nullptr, &fetch_starts);
  std::sort(fetch_starts.begin(), fetch_starts.end());
  return estimate_pass(cfg, program, tm, &fetch_starts, nullptr);
}

}  // namespace systole::driver
