// ChipSim: the whole chip in simulation (docs/chip.md): chip_top Verilated for one configuration,
// its AXI4 master port bound to an AxiMemory (the DRAM), its AXI4-Lite slave driven by an
// AxilMaster (the host), a clock, a reset, a cycle count and optional FST tracing.
//
//   auto sim = systole::sim::make_chip_sim("tiny", {});   // "tiny", "fpga", "default"
//   sim->write_csr(regs::prog_len::kOffset, 3);             // AXI-Lite, advances the clock
//   sim->memory().write(addr, bytes);                       // DRAM backdoor
//   sim->run_until_irq(100000);                             // clock until irq_o or the limit
//
// The interface is independent of the Verilated model (one model per configuration, each built
// once in its own library systole_chip_<cfg>; see CMakeLists.txt); the implementation is the
// template in chip_sim_impl.hpp. Every clock cycle, including those of AXI-Lite transactions,
// runs the memory model (drive before evaluation, sample before the edge) and writes one trace
// sample when tracing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "systole/sim/axi_memory.hpp"
#include "systole/sim/axil_master.hpp"
#include "systole/sim/timeline.hpp"

namespace systole::sim {

struct ChipSimOptions {
  // The DRAM: base 0, `dram_bytes` bytes (AxiMemoryConfig::base and ::size are set from it);
  // latency, jitter, bandwidth, back-pressure, reordering and errors from `axi`.
  std::uint64_t dram_bytes = std::uint64_t{64} << 20;
  AxiMemoryConfig axi{};
  // The host bus: random VALID delays and READY stalls, transaction timeout.
  AxilMasterOptions axil{};
  // FST waveform from the first cycle on (empty: none; open_trace() starts one later).
  std::string trace_path;
};

class ChipSim {
 public:
  virtual ~ChipSim() = default;

  virtual const std::string& config_name() const = 0;

  // ---- host bus (one AXI-Lite transaction each; the clock runs meanwhile) --------------------
  virtual AxilReadResult read_csr_resp(std::uint32_t offset) = 0;
  virtual std::uint8_t write_csr_resp(std::uint32_t offset, std::uint32_t value, std::uint8_t strb = 0xF) = 0;
  // Same, throwing std::runtime_error on a response other than OKAY.
  std::uint32_t read_csr(std::uint32_t offset);
  void write_csr(std::uint32_t offset, std::uint32_t value);
  virtual const AxilMasterOptions& axil_options() const = 0;
  virtual void set_axil_options(const AxilMasterOptions& o) = 0;  // between transactions

  // ---- clock ---------------------------------------------------------------------------------
  virtual void step(std::uint64_t cycles = 1) = 0;
  // Clocks until irq_o is high (checked before every cycle) or `max_cycles` have passed; returns
  // the number of cycles clocked.
  virtual std::uint64_t run_until_irq(std::uint64_t max_cycles) = 0;
  virtual bool irq() = 0;
  virtual std::uint64_t cycle() const = 0;  // since the last reset
  // Resets the chip (rst_ni low for a few cycles) and the memory model's transactions (its
  // contents stay).
  virtual void reset() = 0;

  // ---- DRAM ----------------------------------------------------------------------------------
  virtual AxiMemory& memory() = 0;

  // ---- waveforms -----------------------------------------------------------------------------
  // Whether this model was built with FST tracing (CMake option SYSTOLE_RTL_TRACE).
  virtual bool trace_supported() const = 0;
  // Starts writing an FST file (one sample per cycle, just before the rising edge: the values the
  // edge samples); closes an earlier one. std::runtime_error without trace support.
  virtual void open_trace(const std::string& path) = 0;
  virtual void close_trace() = 0;
  // Dump only the cycles [begin, end) (since reset; end 0: no end). Default: every cycle.
  virtual void set_trace_window(std::uint64_t begin, std::uint64_t end) = 0;

  // Timeline (timeline.hpp): while set, every cycle's sequencer events and DRAM beats go to
  // `rec` (nullptr: off, the default; costs nothing then).
  virtual void set_timeline(TimelineRecorder* rec) = 0;
};

// The configurations that have a chip model in this build: SYSTOLE_CHIP_CONFIGS (by default tiny,
// fpga, default).
std::vector<std::string> chip_configs();
// A simulated chip of that configuration. A configuration without a model (large) throws
// driver::BackendUnavailable naming the ones that have one; unknown names std::invalid_argument.
std::unique_ptr<ChipSim> make_chip_sim(std::string_view config, const ChipSimOptions& opts = {});

}  // namespace systole::sim
