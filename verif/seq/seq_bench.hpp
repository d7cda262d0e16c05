// SeqBench: the sequencer alone (verif/seq/seq_tb.sv) with its fetch port on an AxiMemory and
// C++ models of the engines behind its queue slots (slot 0 = PE, slot 1 + q = DMA queue q).
// An engine model accepts the instruction at its issue point when its random ready is high and
// completes it a random number of cycles later, in order. Used with NOP programs, whose
// meaning (wait, then signal) does not depend on what the engine does.
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <span>
#include <vector>

#include "model_config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/sim/axi_memory.hpp"
#include "systole/sim/axi_port.hpp"
#include "systole/sim/sim_controller.hpp"
#include SYSTOLE_MODEL_HEADER

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)

using SeqModel = SYSTOLE_MODEL;

struct EngineModelConfig {
  double p_ready = 0.7;      // the engine takes its issue point in a cycle
  unsigned min_latency = 1;  // cycles from issue to completion
  unsigned max_latency = 12;
  unsigned idle_lag = 0;  // cycles idle_i stays low after stop_o rises with work in flight
};

struct Issued {
  unsigned slot = 0;
  std::uint32_t w0 = 0;
  std::uint64_t cycle = 0;
};

class SeqBench {
 public:
  // The queue slots of the model's configuration: the PE and one per DMA queue.
  static unsigned slots() { return 1 + model_config().dma_queues; }

  SeqBench(std::uint64_t seed, AxiMemoryConfig mem_cfg)
      : rng_(seed), mem_(SYSTOLE_AXI_PORT(*sim_, m_axi_, model_config().axi_data_bits), with_seed(mem_cfg, seed)) {
    auto& m = *sim_;
    m.start_i = 0;
    m.soft_reset_i = 0;
    m.watchdog_i = 1u << 20;
    m.sem_we_i = 0;
    m.eng_ready_i = 0;
    m.eng_done_i = 0;
    m.eng_idle_i = (1u << slots_) - 1;
    m.eng_err_i = 0;
    m.eng_err_resp_i = 0;
    m.eng_err_write_i = 0;
    m.eng_beat_i = 0;
    for (int i = 0; i < 4; ++i) m.win_base_i[i] = m.win_limit_i[i] = 0;
    m.win_ctrl_i = 0;
    sim_.reset();
    mem_.reset();
  }

  SimController<SeqModel>& sim() { return sim_; }
  AxiMemory& mem() { return mem_; }
  EngineModelConfig& engines() { return eng_cfg_; }

  void write_program(std::uint32_t base, std::span<const golden::EncodedInstruction> prog) {
    for (std::size_t i = 0; i < prog.size(); ++i) {
      mem_.write(base + 64 * i,
                 std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(prog[i].data()), 64));
    }
  }

  void write_sem(unsigned i, std::uint32_t v) {
    auto& m = *sim_;
    m.sem_we_i = 1;
    m.sem_idx_i = i;
    m.sem_wdata_i = v;
    step();
    m.sem_we_i = 0;
  }
  std::uint32_t read_sem(unsigned i) {
    sim_->sem_rd_idx_i = i;
    sim_.eval();
    return sim_->sem_rd_data_o;
  }

  void start(std::uint32_t base, std::uint32_t len) {
    auto& m = *sim_;
    m.prog_base_i = base;
    m.prog_len_i = len;
    m.start_i = 1;
    step();
    m.start_i = 0;
  }
  void soft_reset() {
    sim_->soft_reset_i = 1;
    step();
    sim_->soft_reset_i = 0;
  }

  // Runs until BUSY drops (or max_cycles: returns false).
  bool run_until_idle(std::uint64_t max_cycles) {
    for (std::uint64_t n = 0; n < max_cycles; ++n) {
      step();
      if (!sim_->busy_o) return true;
    }
    return false;
  }

  // One clock cycle: engine models and memory drive, eval, observe, sample, tick.
  void step() {
    auto& m = *sim_;
    mem_.drive();
    std::uint32_t ready = 0, done = 0, idle = 0;
    for (unsigned s = 0; s < slots_; ++s) {
      if (std::bernoulli_distribution(eng_cfg_.p_ready)(rng_)) ready |= 1u << s;
      if (!inflight_[s].empty() && inflight_[s].front() <= sim_.cycle()) done |= 1u << s;
      const bool lagging = m.stop_o && !inflight_[s].empty() && stop_seen_[s] + eng_cfg_.idle_lag > sim_.cycle();
      if (!lagging) idle |= 1u << s;
    }
    m.eng_ready_i = ready;
    m.eng_done_i = done & ~held_mask_;
    m.eng_idle_i = idle;
    m.eng_err_i = err_pulse_;
    m.eng_err_resp_i = err_resp_bits_;
    m.eng_err_write_i = err_write_bits_;
    sim_.eval();
    // Observe the handshakes of this cycle.
    for (unsigned s = 0; s < slots_; ++s) {
      if (!m.stop_o) stop_seen_[s] = sim_.cycle() + 1;
      if (((m.eng_valid_o >> s) & 1u) && ((ready >> s) & 1u)) {
        std::uniform_int_distribution<unsigned> lat(eng_cfg_.min_latency, eng_cfg_.max_latency);
        const std::uint64_t t =
            std::max<std::uint64_t>(sim_.cycle() + lat(rng_), inflight_[s].empty() ? 0 : inflight_[s].back());
        inflight_[s].push_back(t);
        issued_.push_back({s, m.eng_insn_o[s * 16], sim_.cycle()});
      }
      if ((m.eng_done_i >> s) & 1u) inflight_[s].pop_front();
    }
    retired_ += m.retired_o;
    fetch_bytes_ += m.fetch_bytes_o;
    if (m.clr_o) {
      for (auto& q : inflight_) q.clear();
      ++clears_;
    }
    err_pulse_ = 0;
    mem_.sample();
    sim_.tick();
    // Registered event pulses: visible after the edge.
    done_events_ += m.done_event_o;
    error_events_ += m.error_event_o;
  }

  // Report an AXI error on the oldest incomplete instruction of `slot` in the next step.
  void inject_error(unsigned slot, unsigned resp, bool write) {
    err_pulse_ = 1u << slot;
    err_resp_bits_ = resp << (2 * slot);
    err_write_bits_ = (write ? 1u : 0u) << slot;
  }
  // Engines in `mask` never complete while set (to hold work in flight).
  void hold_completions(std::uint32_t mask) { held_mask_ = mask; }
  std::size_t inflight(unsigned slot) const { return inflight_[slot].size(); }

  const std::vector<Issued>& issued() const { return issued_; }
  std::uint64_t retired() const { return retired_; }
  std::uint64_t fetch_bytes() const { return fetch_bytes_; }
  unsigned done_events() const { return done_events_; }
  unsigned error_events() const { return error_events_; }
  unsigned clears() const { return clears_; }
  void clear_stats() {
    issued_.clear();
    retired_ = fetch_bytes_ = 0;
    done_events_ = error_events_ = clears_ = 0;
  }

 private:
  static AxiMemoryConfig with_seed(AxiMemoryConfig c, std::uint64_t seed) {
    c.seed = seed;
    return c;
  }

  SimController<SeqModel> sim_;
  std::mt19937_64 rng_;
  AxiMemory mem_;
  EngineModelConfig eng_cfg_;
  const unsigned slots_ = slots();
  std::vector<std::deque<std::uint64_t>> inflight_ = std::vector<std::deque<std::uint64_t>>(slots_);
  std::vector<std::uint64_t> stop_seen_ = std::vector<std::uint64_t>(slots_, 0);
  std::vector<Issued> issued_;
  std::uint64_t retired_ = 0, fetch_bytes_ = 0;
  unsigned done_events_ = 0, error_events_ = 0, clears_ = 0;
  std::uint32_t err_pulse_ = 0, err_resp_bits_ = 0, err_write_bits_ = 0, held_mask_ = 0;
};

}  // namespace systole::verif
