// The timeline of runs on the simulated chip (`--timeline FILE.json`, docs/software.md section 3):
// the sequencer's per-slot events, cycle by cycle (chip_top's tl_events, sequencer.sv), and the
// DRAM's beats per window, written as a Chrome / Perfetto trace-event file (JSON) that opens in
// ui.perfetto.dev and chrome://tracing. Time is in cycles from START (the viewers' microseconds).
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "systole/driver/timing_model.hpp"
#include "systole/golden/isa.hpp"

namespace systole::golden {
struct Config;
}

namespace systole::sim {

// The sequencer's engine slots (sequencer.sv): slot 0 the tensor engine, 1 + q DMA queue q, then
// the vector engine when the chip has one; track count() is SEQ.
struct Slots {
  unsigned dma_queues = 0;
  bool vector = false;
  static Slots of(const golden::Config& cfg);
  unsigned count() const { return 1 + dma_queues + (vector ? 1u : 0u); }
  std::uint8_t engine(unsigned track) const;  // the golden engine id of a track
  std::string name(unsigned track) const;     // TENSOR, DMA<q>, VEC, SEQ
};

class TimelineRecorder {
 public:
  // `origin`: the cycle of START; `window`: cycles per DRAM bandwidth sample.
  TimelineRecorder(Slots slots, std::uint64_t origin, unsigned bus_bytes, std::uint64_t window = 64);

  // One cycle: the event bits (sequencer tl_events_o) and the AXI memory's running beat counts.
  void sample(std::uint64_t cycle, std::uint32_t bits, std::uint64_t read_beats, std::uint64_t write_beats);

  struct Span {
    unsigned track = 0;         // slot, or slots.count() for SEQ
    std::uint64_t begin = 0;    // cycles from START
    std::uint64_t end = 0;      // > begin
    std::uint32_t ordinal = 0;  // the track's n-th instruction (program order within the track)
    bool wait = false;          // a semaphore wait at the issue point, not an instruction
  };
  struct Bandwidth {
    std::uint64_t begin = 0;     // window start, cycles from START
    double read = 0, write = 0;  // bytes per cycle over the window
  };
  // Closes what is open (at the last sampled cycle) and returns the spans and samples.
  std::vector<Span> spans() const;
  const std::vector<Bandwidth>& bandwidth() const { return bw_; }
  Slots slots() const { return slots_; }
  std::uint64_t last_cycle() const { return last_ - origin_; }

 private:
  Slots slots_;
  unsigned bus_bytes_;
  std::uint64_t origin_, window_, last_ = 0;
  std::uint64_t win_start_ = 0, win_r0_ = 0, win_w0_ = 0;
  bool have_beats_ = false;
  std::vector<std::deque<std::uint64_t>> issued_;  // per track: issue cycles not yet retired
  std::vector<std::uint32_t> retired_n_;           // per track: instructions retired
  std::vector<std::uint64_t> wait_since_;          // per track: 0 = not waiting, else cycle + 1
  std::vector<Span> done_;
  std::vector<Bandwidth> bw_;
};

// Writes the trace-event file: one track per engine (a DMA queue's overlapping instructions on
// sub-tracks), its semaphore waits on a track of their own, the DRAM's read and write bytes per
// cycle as counter tracks. `program` names the instructions (their disassembly); the n-th span
// of a track is the n-th instruction of that engine in program order. Throws std::runtime_error
// when the file cannot be written.
void write_timeline(const std::string& path, const TimelineRecorder& rec, std::span<const golden::Instruction> program,
                    const std::string& title);
// The same from spans and bandwidth samples of any origin (`slots` as for TimelineRecorder).
void write_timeline(const std::string& path, Slots slots, std::vector<TimelineRecorder::Span> spans,
                    const std::vector<TimelineRecorder::Bandwidth>& bandwidth,
                    std::span<const golden::Instruction> program, const std::string& title);

// The static timing model's view of a program as spans (driver::ProgramEstimate::per_insn: an
// instruction from its start to its completion), for `systole gemm --estimate-only --timeline`:
// the same file as the chip's, to set side by side.
std::vector<TimelineRecorder::Span> estimate_spans(Slots slots, std::span<const golden::Instruction> program,
                                                   std::span<const driver::ProgramEstimate::InsnTime> times);

}  // namespace systole::sim
