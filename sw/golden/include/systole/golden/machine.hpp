// The golden model: executes Systole programs on modelled DRAM, SBUF, PSUM and semaphores,
// bit-exactly (docs/isa.md, docs/numerics.md).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "systole/golden/activation.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/errors.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::golden {

class RaceChecker;

// Architectural counters the golden model can know (csr.md counters without a cycle notion),
// counted for one run. The hardware registers accumulate across runs until CTRL.CLEAR_COUNTERS;
// a driver that mirrors them adds the per-run figures up.
struct Counters {
  std::uint64_t instructions = 0;  // retired, END included
  std::uint64_t macs = 0;          // useful MACs: K*M*N per MATMUL
  std::uint64_t dram_rd_bytes = 0;
  std::uint64_t dram_wr_bytes = 0;
  std::uint64_t fetch_bytes = 0;
  std::array<std::uint64_t, engine::kCount> per_engine{};  // instructions retired per engine
};

struct RunResult {
  bool done = false;  // END reached
  ErrorCode code = ErrorCode::kNone;
  std::uint32_t index = 0;  // offending instruction (ERR_INDEX)
  std::uint8_t engine = 0;  // engine that raised it (ERR_INFO)
  std::string detail;       // human-readable reason
  Counters counters;
};

// One access to a memory space: partition (0 for DRAM), bytes [lo, hi).
struct Access {
  Space space;
  std::uint32_t partition;
  std::uint64_t lo, hi;
  bool write;
  std::uint8_t operand;  // operand index inside the instruction (for self-overlap checks)
};

class Machine {
 public:
  // dram_bytes: size of the modelled DRAM; accesses beyond it get an AXI DECERR (AXI_ERROR).
  Machine(Config cfg, std::uint64_t dram_bytes);
  ~Machine();
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  const Config& config() const { return cfg_; }

  // ---- host side -----------------------------------------------------------------------------
  std::span<std::uint8_t> dram() { return dram_; }
  std::span<const std::uint8_t> dram() const { return dram_; }
  void write_dram(std::uint64_t addr, std::span<const std::uint8_t> bytes);
  void read_dram(std::uint64_t addr, std::span<std::uint8_t> out) const;
  // On-chip state, for tests and the driver's debug views.
  std::span<std::uint8_t> sbuf_partition(std::uint32_t p);
  std::span<std::uint8_t> psum_partition(std::uint32_t p);
  std::uint32_t semaphore(std::uint32_t i) const { return sems_.at(i); }
  void set_semaphore(std::uint32_t i, std::uint32_t v) { sems_.at(i) = v; }
  Windows& windows() { return windows_; }
  // Reset and soft reset: semaphores and tables cleared, memories kept (DRAM is off chip;
  // SBUF/PSUM are not cleared by a soft reset either).
  void soft_reset();

  // Attach a race checker (nullptr detaches). Not owned.
  void set_race_checker(RaceChecker* rc) { race_ = rc; }

  // Runs the program of `prog_len` instructions at DRAM address `prog_base` to END or an error.
  RunResult run(std::uint32_t prog_base, std::uint32_t prog_len);

  // Convenience: places the program in DRAM at prog_base, then runs it.
  RunResult run_program(std::span<const EncodedInstruction> program, std::uint32_t prog_base);

  // ---- used by the engine implementations (exec_*.cpp) ---------------------------------------
  std::uint8_t* locate(Space s, std::uint32_t partition, std::uint64_t byte, std::uint32_t size);
  void record(const Access& a);
  const act::Table* table(std::uint8_t slot) const;
  void load_table(std::uint8_t slot, act::Table t);
  Counters& counters() { return counters_; }

 private:
  Config cfg_;
  std::vector<std::uint8_t> dram_, sbuf_, psum_;
  std::array<std::uint32_t, Config::kNumSemaphores> sems_{};
  std::array<std::optional<act::Table>, Config::kNumTables> tables_{};
  Windows windows_{};
  Counters counters_{};
  RaceChecker* race_ = nullptr;
  std::uint8_t current_engine_ = 0;
  std::uint32_t current_index_ = 0;
};

// Thrown by engine code for execution-time errors (AXI_ERROR, TABLE_ERROR).
struct ExecFault {
  ErrorCode code;
  std::string detail;
};

// Engine implementations: execute one validated instruction.
void exec_matmul(Machine& m, const Matmul& op);
void exec_vector(Machine& m, const Instruction& insn);
void exec_dma(Machine& m, const Dma& op);

}  // namespace systole::golden
