// A static timing model of a program on the RTL chip (docs/chip.md, docs/tensor_engine.md),
// for estimates before the RTL numbers exist. It is a single pass in program order: every
// instruction starts when it has been dispatched (in order, DECODE cycles each, waiting for a
// free queue slot), its semaphore wait is satisfied and its engine is free.
//  - DMA: one element per cycle per queue, plus the DRAM latency once per instruction; DRAM
//    patterns whose contiguous runs are short are slowed down to what `bursts_outstanding`
//    bursts of at most `max_burst_beats` beats per latency can carry.
//  - MATMUL: the tensor engine's command pipeline: the stationary load (M beats) of MATMUL i
//    waits until the buffer of MATMUL i-2 has drained (P + C + 2 cycles after its last beat),
//    streaming of i starts when i-1's ends, completion P + C + psum_write_latency cycles after
//    the last beat (so N >= P + C + M + 2 runs without bubbles).
//  - Semaphores: a wait for `s >= v` is satisfied at the v-th completion among the signals of s
//    seen so far (a program obeying dispatch_order_violations() never waits on a later one).
// It ignores SBUF/PSUM port conflicts and the AXI arbitration between queues.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"

namespace systole::driver {

struct TimingModel {
  std::uint32_t dram_latency = 100;      // cycles from a DRAM request to its data / write response
  std::uint32_t bursts_outstanding = 8;  // per DMA queue (docs/chip.md section 6)
  std::uint32_t max_burst_beats = 16;
  std::uint32_t dma_setup = 4;           // cycles to start a DMA instruction
  std::uint32_t decode_cycles = 4;       // sequencer cycles per instruction (fetch, checks, dispatch)
  std::uint32_t psum_write_latency = 2;  // after the array's P + C
};

struct ProgramEstimate {
  std::uint64_t cycles = 0;            // from START until END completes
  std::uint64_t pe_stream_cycles = 0;  // cycles in which a moving beat enters the array (sum of N)
  std::uint64_t macs = 0;              // useful MACs (K*M*N per MATMUL)
  std::uint64_t dram_rd_bytes = 0;     // exact, as the counters count them
  std::uint64_t dram_wr_bytes = 0;
  std::uint64_t instructions = 0;
  std::vector<std::uint64_t> dma_busy;  // cycles each DMA queue spends executing
  double utilization = 0;               // macs / (cycles * P * C)
  bool deadlock = false;                // a wait that the instructions before it cannot satisfy
};

ProgramEstimate estimate_program(const golden::Config& cfg, std::span<const golden::Instruction> program,
                                 const TimingModel& model = {});

}  // namespace systole::driver
