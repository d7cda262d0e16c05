// A multi-chip system of golden machines joined by ideal links (docs/links.md section 5,
// docs/chip.md "Multi-chip"): every chip runs its own program on its own DRAM, SBUF, PSUM and
// semaphores; a remote DMA writes another chip's memory and a remote increment bumps another
// chip's semaphore the moment the instruction executes. The chips are stepped round-robin, one
// scheduling round each, which is one legal interleaving of the concurrent hardware: for a
// race-free system program (one RaceChecker spans all chips) every interleaving gives the
// same memory contents, so the RTL system is compared bit-exactly against this one.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "systole/golden/machine.hpp"

namespace systole::golden {

struct SystemResult {
  std::vector<RunResult> chips;  // per chip, counters as at the end of the whole run
  std::uint64_t rounds = 0;      // scheduling rounds until every chip stopped
  bool done() const;             // every chip reached END
};

// The configuration of a chip in a system of `chips`: link_ports = 0 is raised to 2 (a ring)
// when there is more than one chip.
Config system_config(Config cfg, std::uint32_t chips);

class System {
 public:
  // `chips` machines of configuration `cfg` (1..128), each with `dram_bytes` of DRAM. A
  // multi-chip system's chips have link ports: cfg.link_ports = 0 is raised to 2 (a ring; the
  // golden links are ideal, the count only enables the remote fields).
  System(Config cfg, std::uint32_t chips, std::uint64_t dram_bytes);

  std::uint32_t size() const { return static_cast<std::uint32_t>(chips_.size()); }
  Machine& chip(std::uint32_t i);
  const Config& config() const { return chips_.front()->config(); }

  // One checker for every chip (its chips() must equal size()); nullptr detaches. Not owned.
  void set_race_checker(RaceChecker* rc);

  // Sets every semaphore of every chip to 0 (what the driver does before each run: programs
  // count their signals from 0; run() leaves them as the last program did).
  void clear_semaphores();

  // Runs each chip's program (prog_len[i] instructions at prog_base in chip i's DRAM) until every
  // chip has stopped. When no chip can progress, every chip still running stops with WATCHDOG.
  SystemResult run(std::uint32_t prog_base, std::span<const std::uint32_t> prog_len);
  // The same with each chip's program at its own address.
  SystemResult run(std::span<const std::uint32_t> prog_base, std::span<const std::uint32_t> prog_len);
  // Convenience: places program i in chip i's DRAM at prog_base, then runs them.
  SystemResult run_programs(std::span<const std::vector<EncodedInstruction>> programs, std::uint32_t prog_base);

 private:
  std::vector<std::unique_ptr<Machine>> chips_;
  RaceChecker* race_ = nullptr;
};

}  // namespace systole::golden
