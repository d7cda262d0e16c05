// ChipSimImpl<Model>: ChipSim (chip_sim.hpp) on one Verilated chip_top model. Included only by
// chip_model.cpp, which each systole_chip_<cfg> library compiles against its own model; the AXI
// data width of its DRAM port is the configuration's AxiDataBits.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "systole/sim/axi_memory.hpp"
#include "systole/sim/axi_port.hpp"
#include "systole/sim/axil_master.hpp"
#include "systole/sim/chip_sim.hpp"
#include "systole/sim/sim_controller.hpp"
#if VM_TRACE_FST
#include "verilated_fst_c.h"
#endif

namespace systole::sim {

template <class Model>
class ChipSimImpl final : public ChipSim {
 public:
  ChipSimImpl(std::string name, unsigned axi_bits, const ChipSimOptions& opts)
      : name_(std::move(name)), mem_(make_memory(*sim_, axi_bits, opts)), axil_(sim_, opts.axil) {
    axil_.set_cycle_hook([this] { before_edge(); });
    if (!opts.trace_path.empty()) open_trace(opts.trace_path);
    reset();
  }
  ~ChipSimImpl() override { close_trace(); }

  const std::string& config_name() const override { return name_; }

  AxilReadResult read_csr_resp(std::uint32_t offset) override { return axil_.read(offset); }
  std::uint8_t write_csr_resp(std::uint32_t offset, std::uint32_t value, std::uint8_t strb) override {
    return axil_.write(offset, value, strb);
  }
  const AxilMasterOptions& axil_options() const override { return axil_.options(); }
  void set_axil_options(const AxilMasterOptions& o) override { axil_.set_options(o); }

  void step(std::uint64_t cycles) override {
    for (std::uint64_t i = 0; i < cycles; ++i) {
      before_edge();
      sim_.tick();
    }
  }
  std::uint64_t run_until_irq(std::uint64_t max_cycles) override {
    std::uint64_t n = 0;
    for (; n < max_cycles && !sim_->irq_o; ++n) {
      before_edge();
      sim_.tick();
    }
    return n;
  }
  bool irq() override { return sim_->irq_o != 0; }
  std::uint64_t cycle() const override { return sim_.cycle(); }

  void reset() override {
    mem_->reset();  // valids low during the reset
    sim_.reset(4);
    mem_->reset();  // cycle() aligned with the chip's
    sim_.eval();
  }

  AxiMemory& memory() override { return *mem_; }

  bool trace_supported() const override { return VM_TRACE_FST != 0; }
  void open_trace(const std::string& path) override {
#if VM_TRACE_FST
    close_trace();
    sim_->contextp()->traceEverOn(true);
    fst_ = std::make_unique<VerilatedFstC>();
    sim_->trace(fst_.get(), 99);
    fst_->open(path.c_str());
    if (!fst_->isOpen()) {
      fst_.reset();
      throw std::runtime_error(fmt::format("cannot open the trace file '{}'", path));
    }
#else
    throw std::runtime_error(fmt::format(
        "cannot write the trace '{}': the chip models of this build have no FST tracing. Configure a build "
        "with -DSYSTOLE_RTL_TRACE=ON for waveforms (not the default: traced models simulate 2.5x slower even "
        "when no trace is written)",
        path));
#endif
  }
  // The timeline reads chip_top's tl_events, which the chip models expose (chip_model.cpp
  // includes their root class); a model without it (the netlist lock-step top) has no timeline.
  static constexpr bool kHasTimeline = requires(Model & m) { m.rootp->chip_top__DOT__tl_events; };
  void set_trace_window(std::uint64_t begin, std::uint64_t end) override {
    win_begin_ = begin;
    win_end_ = end;
  }

  void set_timeline(TimelineRecorder* rec) override {
    if (!kHasTimeline && rec != nullptr) {
      throw std::runtime_error(fmt::format("the chip model '{}' has no timeline events", name_));
    }
    tl_ = rec;
  }

  void close_trace() override {
#if VM_TRACE_FST
    if (fst_) {
      fst_->close();
      fst_.reset();
    }
#endif
  }

 private:
  static std::unique_ptr<AxiMemory> make_memory(Model& m, unsigned axi_bits, const ChipSimOptions& o) {
    AxiMemoryConfig c = o.axi;
    c.base = 0;
    c.size = o.dram_bytes;
    return std::make_unique<AxiMemory>(SYSTOLE_AXI_PORT(m, m_axi_, axi_bits), c);
  }

  // Every cycle, after the host side set its inputs: the memory drives its outputs, the chip
  // settles, the memory samples the handshakes the coming edge will see; one trace sample.
  void before_edge() {
    mem_->drive();
    sim_.eval();
    mem_->sample();
    if constexpr (kHasTimeline) {
      if (tl_) {
        const AxiStats& st = mem_->stats();
        tl_->sample(sim_.cycle(), static_cast<std::uint32_t>(sim_->rootp->chip_top__DOT__tl_events), st.read_beats,
                    st.write_beats);
      }
    }
#if VM_TRACE_FST
    if (fst_) {
      const std::uint64_t c = sim_.cycle();
      if (c >= win_begin_ && (win_end_ == 0 || c < win_end_)) fst_->dump(trace_time_);
      trace_time_ += 10;
    }
#endif
  }

  std::string name_;
  SimController<Model> sim_;
  std::unique_ptr<AxiMemory> mem_;
  AxilMaster<Model> axil_;
  std::uint64_t trace_time_ = 0;  // monotonic across resets
  TimelineRecorder* tl_ = nullptr;
  std::uint64_t win_begin_ = 0, win_end_ = 0;  // the cycles dumped into the trace
#if VM_TRACE_FST
  std::unique_ptr<VerilatedFstC> fst_;
#endif
};

}  // namespace systole::sim
