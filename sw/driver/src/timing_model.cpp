#include "systole/driver/timing_model.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace systole::driver {

namespace {

using i64 = std::int64_t;

// Length in elements of the contiguous runs of a DRAM pattern (leading dims that continue each
// other without gaps).
std::uint64_t contiguous_run(const golden::Dap& d) {
  std::uint64_t run = 1;
  for (const golden::Dim& dim : d.dims) {
    if (dim.count == 1) continue;
    if (static_cast<i64>(dim.stride) != static_cast<i64>(run)) break;
    run *= dim.count;
  }
  return run;
}

// Cycles a DMA queue needs to move the elements of `op`.
i64 dma_cycles(const golden::Config& cfg, const golden::Dma& op, const TimingModel& tm) {
  const std::uint64_t n = op.src.size();
  double rate = 1.0;  // elements per cycle
  bool dram = false;
  for (const golden::Dap* side : {&op.src, &op.dst}) {
    if (side->space != golden::Space::kDram) continue;
    dram = true;
    const std::uint64_t beat = std::max<std::uint64_t>(1, cfg.axi_data_bits / 8);
    const std::uint64_t per_burst_max =
        std::max<std::uint64_t>(1, tm.max_burst_beats * beat / golden::dtype_size(side->dtype));
    const std::uint64_t per_burst = std::min(contiguous_run(*side), per_burst_max);
    const double r =
        static_cast<double>(tm.bursts_outstanding * per_burst) / std::max<std::uint32_t>(1, tm.dram_latency);
    rate = std::min(rate, r);
  }
  return static_cast<i64>(tm.dma_setup + (dram ? tm.dram_latency : 0) + static_cast<double>(n) / rate + 0.5);
}

}  // namespace

ProgramEstimate estimate_program(const golden::Config& cfg, std::span<const golden::Instruction> program,
                                 const TimingModel& tm) {
  ProgramEstimate e;
  e.dma_busy.assign(cfg.dma_queues, 0);
  const i64 pc = static_cast<i64>(cfg.partitions + cfg.columns);
  constexpr i64 kNever = std::numeric_limits<i64>::min() / 4;

  std::array<std::vector<i64>, golden::Config::kNumSemaphores> sig;  // completion times of signals
  std::array<i64, golden::Config::kNumSemaphores> sig_max{};
  std::array<std::vector<i64>, golden::engine::kCount> done;  // completion times per engine
  std::array<i64, golden::engine::kCount> engine_free{};
  i64 dispatch = 0, last_completion = 0;
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

  for (const golden::Instruction& insn : program) {
    ++e.instructions;
    const std::uint8_t eng = insn.engine;
    i64 d = dispatch + tm.decode_cycles;
    if (eng != golden::engine::kSeq) {
      const auto& q = done[eng];
      if (q.size() >= cfg.queue_depth) d = std::max(d, q[q.size() - cfg.queue_depth]);
    }
    dispatch = d;
    const i64 w = sem_time(insn.sync);
    i64 comp = d;
    const golden::Opcode op = insn.opcode();
    if (op == golden::Opcode::kEnd) {
      comp = std::max({d, w, last_completion});
      e.cycles = static_cast<std::uint64_t>(comp);
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
      const i64 stream_end = stream_start + N;
      comp = std::max(stream_end + pc + tm.psum_write_latency, pe_done);
      pe_issue_free = stream_start;
      stream_end_prev2 = stream_end_prev;
      stream_end_prev = stream_end;
      pe_done = comp;
      e.pe_stream_cycles += static_cast<std::uint64_t>(N);
      e.macs += static_cast<std::uint64_t>(mm->moving.pcount) * static_cast<std::uint64_t>(M * N);
    } else if (eng == golden::engine::kTensor) {  // NOP on TENSOR: passes the issue point once its wait is met
      const i64 issue = std::max({d, w, pe_issue_free});
      comp = std::max(issue + 1, pe_done);
      pe_issue_free = issue;
      pe_done = comp;
    } else if (const auto* dma = std::get_if<golden::Dma>(&insn.op)) {
      const i64 start = std::max({d, w, engine_free[eng]});
      const i64 dur = dma_cycles(cfg, *dma, tm);
      comp = start + dur;
      engine_free[eng] = comp;
      const unsigned q = eng - golden::engine::kDma0;
      if (q < e.dma_busy.size()) e.dma_busy[q] += static_cast<std::uint64_t>(dur);
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
    done[eng].push_back(comp);
    last_completion = std::max(last_completion, comp);
    if (insn.sync.signal_en) {
      sig[insn.sync.signal_sem].push_back(comp);
      sig_max[insn.sync.signal_sem] = std::max(sig_max[insn.sync.signal_sem], comp);
    }
  }
  if (e.cycles == 0) e.cycles = static_cast<std::uint64_t>(last_completion);
  if (e.cycles > 0) {
    e.utilization = static_cast<double>(e.macs) / (static_cast<double>(e.cycles) * cfg.partitions * cfg.columns);
  }
  return e;
}

}  // namespace systole::driver
