// RtlDevice: the driver's "rtl" backend (systole/driver/device.hpp) on the Verilated chip
// (ChipSim). Everything goes through the chip's CSRs (docs/csr.md) except DRAM, which is the
// AXI memory model's backdoor (the core is idle whenever the driver touches DRAM):
//
//   read_config      CFG_ARRAY/SBUF/PSUM/FEAT/NMAX; must equal golden::Config::by_name(cfg)
//                    (vector_engine = CFG_FEAT.VECTOR), else std::runtime_error naming the differences
//   windows, SEM[i]  WIN_BASE/WIN_LIMIT/WIN_CTRL[0..3], SEM[i]
//   start            PROG_BASE, PROG_LEN, CTRL.START
//   wait             clocks the chip until irq_o (IRQ_ENABLE = DONE | ERROR, set at construction),
//                    reading STATUS every `status_poll_cycles` cycles as well; DONE or ERROR
//                    (ERR_CODE/ERR_INDEX/ERR_INFO) ends it, IRQ_STATUS is then cleared; the
//                    per-run cycle limit or the wall-clock timeout gives Completion kTimeout
//   read_counters    every 64-bit counter, LO then HI
//   soft_reset       CTRL.SOFT_RESET, then STATUS until BUSY clears
//
// Use through the driver: systole::sim::register_rtl_backend(), then
// driver::make_device("rtl", "tiny"). Tests that want to randomize the DRAM's latency and
// back-pressure construct an RtlDevice with RtlOptions directly, or change
// sim().memory().config() between runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "systole/driver/device.hpp"
#include "systole/sim/chip_sim.hpp"
#include "systole/sim/rtl_backend.hpp"

namespace systole::sim {

struct RtlOptions {
  ChipSimOptions sim{};                       // DRAM size and AXI memory behaviour, host bus, trace
  std::uint64_t max_cycles = 0;               // per run: Completion kTimeout after this many (0: none)
  std::uint64_t status_poll_cycles = 4096;    // STATUS read at least this often while waiting
  std::uint64_t soft_reset_cycles = 1000000;  // BUSY must clear within this many after SOFT_RESET
};

class RtlDevice final : public driver::Device {
 public:
  // Builds the chip of `config_name` (tiny, fpga, default; large: driver::BackendUnavailable).
  explicit RtlDevice(std::string config_name, RtlOptions opts = {});
  ~RtlDevice() override;

  std::string backend_name() const override { return "rtl"; }
  void enable_trace(const std::string& path) override;
  void enable_timeline(const std::string& path) override;
  void set_trace_window(std::uint64_t begin, std::uint64_t end) override;

  ChipSim& sim() { return *sim_; }
  RtlOptions& options() { return opts_; }
  // Cycles the chip was clocked in the last wait() (start to DONE/ERROR seen by the host).
  std::uint64_t last_wait_cycles() const { return last_wait_cycles_; }

 protected:
  golden::Config read_config() override;
  std::uint64_t dram_bytes() override { return opts_.sim.dram_bytes; }
  void write_dram(std::uint32_t addr, std::span<const std::uint8_t> bytes) override;
  void read_dram(std::uint32_t addr, std::span<std::uint8_t> out) override;
  void write_windows(const golden::Windows& w) override;
  void write_semaphore(unsigned i, std::uint32_t value) override;
  std::uint32_t read_semaphore(unsigned i) override;
  void start(std::uint32_t prog_base, std::uint32_t prog_len) override;
  driver::Completion wait(std::chrono::milliseconds timeout) override;
  driver::Counters read_counters() override;
  void soft_reset() override;

 private:
  driver::Completion finish(std::uint32_t status);
  std::uint64_t read_counter(std::uint32_t lo_offset);

  std::string name_;
  RtlOptions opts_;
  std::unique_ptr<ChipSim> sim_;
  std::uint64_t last_wait_cycles_ = 0;
  // --timeline: the file, and the run being recorded (its program's place in DRAM).
  std::string timeline_path_;
  std::unique_ptr<TimelineRecorder> timeline_;
  std::uint32_t tl_prog_base_ = 0, tl_prog_len_ = 0;
  std::uint64_t trace_begin_ = 0, trace_end_ = 0;  // the trace window, cycles from START
};

}  // namespace systole::sim
