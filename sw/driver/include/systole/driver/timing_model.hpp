// A static timing model of a program on the RTL chip (docs/chip.md, docs/tensor_engine.md,
// docs/dma.md), for estimates before the RTL numbers exist. It is a single pass in program
// order: every instruction starts when it has been dispatched (in order, DECODE cycles each,
// after its fetch has landed, waiting for a free queue slot), its semaphore wait is satisfied
// and its engine can take it.
//  - Fetch (rtl/seq/fetch.sv): `fetch_slots` instructions ahead, each one burst that lands a DRAM
//    latency after the slot it fills was freed by a dispatch; so after a dispatch stall the
//    sequencer issues at most `fetch_slots` instructions per DRAM latency. Its beats share the R
//    channel and the DRAM with the DMA reads: a first pass finds when every instruction is
//    fetched, the second books the reads around those beats (the fetches of later instructions
//    delay the first loads on the chip too).
//  - DMA (docs/dma.md): each side of a queue walks its pattern one chunk per cycle, as the RTL's
//    dap_iter cuts it (a run inside an AXI beat in DRAM or a row on chip, a column of up to P
//    partitions, or one element), so a copy takes max(source chunks, destination chunks)
//    cycles. A DRAM source's data arrives `dram_latency` after its first AR; the queue's
//    address walker runs ahead, so back-to-back reads of one queue hide the latency. A DRAM
//    destination completes `dram_latency` after its last W beat (the B response). All queues
//    share the AXI R and W channels (one beat per cycle each) and the DRAM's bytes per cycle;
//    short bursts are limited by the `read_bursts`/`write_bursts` outstanding per queue. A read
//    of a space waits until the queue's earlier writes to that space have completed. The SBUF
//    and PSUM DMA ports (mem_xbar) give all queues together one row access per partition and
//    cycle, booked as P row accesses per cycle: a column write of P partitions (a transposing
//    load) takes the whole port for a cycle, so queues loading columns share one column a cycle.
//  - MATMUL: the tensor engine's command pipeline: the stationary load (M beats) of MATMUL i
//    waits until the buffer of MATMUL i-2 has drained (P + C + 2 cycles after its last beat),
//    streaming of i starts when i-1's ends, completion P + C + psum_write_latency cycles after
//    the last beat (so N >= P + C + M + 2 runs without bubbles).
//  - Semaphores: a wait for `s >= v` is satisfied at the v-th completion among the signals of s
//    seen so far (a program obeying dispatch_order_violations() never waits on a later one).
// It ignores queues that contend for the same partitions in the same cycle (it books the port
// as a pool) and the PSUM banks the tensor engine holds.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"

namespace systole::driver {

// Instructions the RTL's fetch unit buffers and fetches ahead (chip_top's FetchSlots): 8 with an
// AXI bus of 256 bits or more, else 4. FETCH_BYTES may count up to fetch_slots(cfg) - 1
// instructions beyond the program's END.
std::uint32_t fetch_slots(const golden::Config& cfg);

struct TimingModel {
  std::uint32_t dram_latency = 100;        // cycles from a DRAM read request to its data
  std::uint32_t dram_write_latency = 100;  // cycles from a write's last beat to its response
  double dram_bytes_per_cycle = 64;        // R and W together (0: unlimited)
  std::uint32_t read_bursts = 8;           // outstanding per DMA queue (docs/dma.md section 5)
  std::uint32_t write_bursts = 8;
  std::uint32_t max_burst_beats = 16;
  // Measured on `default` (DmaThroughput: 8 KiB DRAM -> SBUF in 380 cycles at latency 100, 256
  // beats; SBUF -> DRAM 378): acceptance to the first request, and the last data (or the B
  // response) to the completion the sequencer sees.
  std::uint32_t dma_setup = 8;
  std::uint32_t dma_done = 12;
  // Sequencer cycles from decode to dispatch (docs/chip.md section 4: decode_check's steps):
  std::uint32_t decode_cycles = 2;         // NOP, END and the vector instructions
  std::uint32_t decode_matmul_cycles = 5;  // MATMUL
  std::uint32_t decode_dma_cycles = 6;     // DMA
  std::uint32_t fetch_slots = 0;           // fetch.sv: instructions fetched ahead (0: fetch_slots(cfg))
  std::uint32_t fetch_overhead = 4;        // fetch: AR issue, two R beats, buffer write
  std::uint32_t psum_write_latency = 2;    // after the array's P + C
};

// The chunks, AXI beats and bursts of one side of a DMA (docs/dma.md section 3): `src_lg` is
// log2 of the size of the elements a chunk's limit counts (the source's; 4 bytes for a cast).
struct DmaSideCost {
  std::uint64_t chunks = 0;
  std::uint64_t beats = 0;      // DRAM sides: AXI data beats
  std::uint64_t bursts = 0;     // DRAM sides: AXI bursts
  std::uint64_t port_rows = 0;  // on-chip sides: partition-row accesses of the memory's DMA port
};
DmaSideCost dma_side_cost(const golden::Config& cfg, const golden::Dap& side, unsigned src_lg,
                          std::uint32_t max_burst_beats = 16);

struct ProgramEstimate {
  std::uint64_t cycles = 0;            // from START until END completes
  std::uint64_t pe_stream_cycles = 0;  // cycles in which a moving beat enters the array (sum of N)
  std::uint64_t macs = 0;              // useful MACs (K*M*N per MATMUL)
  std::uint64_t dram_rd_bytes = 0;     // exact, as the counters count them
  std::uint64_t dram_wr_bytes = 0;
  std::uint64_t instructions = 0;
  std::vector<std::uint64_t> dma_busy;  // cycles each DMA queue spends executing
  // Per instruction in program order (up to END): the cycle it is dispatched, the cycle its
  // engine starts it (its wait met, the engine free) and its completion, to set beside the
  // RTL's timeline (sim/timeline.hpp) when the estimate and the chip disagree.
  struct InsnTime {
    std::uint64_t dispatch = 0, start = 0, done = 0;
  };
  std::vector<InsnTime> per_insn;
  double utilization = 0;  // macs / (cycles * P * C)
  bool deadlock = false;   // a wait that the instructions before it cannot satisfy
};

ProgramEstimate estimate_program(const golden::Config& cfg, std::span<const golden::Instruction> program,
                                 const TimingModel& model = {});

}  // namespace systole::driver
