// SimController: clock, reset, cycle counting, timeouts and optional FST tracing for a
// Verilated model with `clk_i` and `rst_ni` (docs/conventions.md: one controller for every bench).
//
//   SYSTOLE_TRACE=<file.fst>  record every half cycle (the model must be built with TRACE_FST)
//   SYSTOLE_COVERAGE_DIR=<dir> models built with coverage (VM_COVERAGE, make coverage) write their
//                             counts to <dir>/cov_<pid>_<n>.dat when the controller is destroyed
//
// Usage: SimController<Vtop> sim; sim.reset(); then per cycle set inputs, sim.eval(), sample
// combinational outputs, sim.tick() (one rising edge). run_until() fails loudly on a timeout.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "verilated.h"
#if VM_COVERAGE
#include <atomic>
#include <unistd.h>

#include "verilated_cov.h"
#endif
#if VM_TRACE_FST
#include "verilated_fst_c.h"
#endif

namespace systole::sim {

class SimTimeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class Model>
class SimController {
 public:
  SimController() : ctx_(std::make_unique<VerilatedContext>()) {
    const char* trace = std::getenv("SYSTOLE_TRACE");
#if VM_TRACE_FST
    if (trace != nullptr && *trace != '\0') ctx_->traceEverOn(true);
#endif
    model_ = std::make_unique<Model>(ctx_.get());
#if VM_TRACE_FST
    if (trace != nullptr && *trace != '\0') {
      fst_ = std::make_unique<VerilatedFstC>();
      model_->trace(fst_.get(), 99);
      fst_->open(trace);
    }
#else
    if (trace != nullptr && *trace != '\0') {
      std::fprintf(stderr, "SYSTOLE_TRACE ignored: this model was built without TRACE_FST\n");
    }
#endif
    model_->clk_i = 0;
    model_->rst_ni = 1;
    model_->eval();
  }
  ~SimController() {
    model_->final();
#if VM_COVERAGE
    write_coverage();
#endif
#if VM_TRACE_FST
    if (fst_) fst_->close();
#endif
  }
  SimController(const SimController&) = delete;
  SimController& operator=(const SimController&) = delete;

  Model& operator*() { return *model_; }
  Model* operator->() { return model_.get(); }

  // Asynchronous reset held for `cycles` rising edges; the cycle counter restarts at 0.
  void reset(int cycles = 2) {
    model_->rst_ni = 0;
    model_->eval();
    for (int i = 0; i < cycles; ++i) edge();
    model_->rst_ni = 1;
    model_->eval();
    cycle_ = 0;
  }

  // Settle combinational logic after changing inputs (before sampling ready/valid).
  void eval() {
    model_->eval();
    low_pending_ = false;
  }

  // One full clock cycle: rising edge, then falling edge.
  void tick() {
    edge();
    ++cycle_;
  }

  // Ticks until pred() holds (checked before each tick); throws SimTimeout after max_cycles.
  void run_until(const std::function<bool()>& pred, std::uint64_t max_cycles, const std::string& what) {
    const std::uint64_t limit = cycle_ + max_cycles;
    while (true) {
      eval();
      if (pred()) return;
      if (cycle_ >= limit) {
        throw SimTimeout("timeout after " + std::to_string(max_cycles) + " cycles waiting for " + what);
      }
      tick();
    }
  }

  std::uint64_t cycle() const { return cycle_; }

 private:
#if VM_COVERAGE
  // One file per controller (each has its own context and counters); verilator_coverage merges.
  void write_coverage() {
    const char* dir = std::getenv("SYSTOLE_COVERAGE_DIR");
    if (dir == nullptr || *dir == '\0') return;
    static std::atomic<unsigned> n{0};
    const std::string path =
        std::string(dir) + "/cov_" + std::to_string(::getpid()) + "_" + std::to_string(n++) + ".dat";
    ctx_->coveragep()->write(path.c_str());
  }
#endif
  // The falling edge is evaluated lazily: no logic uses it, and every eval() also settles the
  // input-driven logic, so the model is evaluated twice per cycle (before the edge with the new
  // inputs, at the edge), not three times. Outputs read after tick() are those of the rising edge,
  // which the falling one would not change. Traced runs evaluate and dump both halves.
  void edge() {
    if (low_pending_) model_->eval();  // the model must see clk_i low before the rising edge
    model_->clk_i = 1;
    model_->eval();
    dump();
    model_->clk_i = 0;
    low_pending_ = true;
#if VM_TRACE_FST
    if (fst_) {
      model_->eval();
      low_pending_ = false;
      dump();
    }
#endif
  }
  void dump() {
#if VM_TRACE_FST
    if (fst_) fst_->dump(time_);
#endif
    time_ += 5;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> model_;
#if VM_TRACE_FST
  std::unique_ptr<VerilatedFstC> fst_;
#endif
  std::uint64_t cycle_ = 0;
  std::uint64_t time_ = 0;
  bool low_pending_ = false;  // clk_i was lowered without an eval()
};

// Bit-field access to a Verilated port of any width (CData/SData/IData/QData or VlWide).
template <class Port>
void set_bits(Port& port, unsigned lsb, unsigned width, std::uint32_t value) {
  if constexpr (std::is_integral_v<Port>) {
    const auto mask = static_cast<Port>(((std::uint64_t{1} << width) - 1) << lsb);
    port = static_cast<Port>((port & ~mask) | ((static_cast<Port>(value) << lsb) & mask));
  } else {
    for (unsigned i = 0; i < width; ++i) {
      const unsigned b = lsb + i;
      const std::uint32_t bit = 1u << (b % 32);
      if ((value >> i) & 1u) {
        port[b / 32] |= bit;
      } else {
        port[b / 32] &= ~bit;
      }
    }
  }
}

template <class Port>
std::uint32_t get_bits(const Port& port, unsigned lsb, unsigned width) {
  if constexpr (std::is_integral_v<Port>) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(port) >> lsb) & ((std::uint64_t{1} << width) - 1));
  } else {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < width; ++i) {
      const unsigned b = lsb + i;
      v |= ((port[b / 32] >> (b % 32)) & 1u) << i;
    }
    return v;
  }
}

}  // namespace systole::sim
