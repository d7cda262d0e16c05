// The golden model: executes Systole programs on modelled DRAM, SBUF, PSUM and semaphores,
// bit-exactly (docs/isa.md, docs/numerics.md).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
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
  // Chip-to-chip (docs/links.md section 5): element bytes this chip's remote DMAs sent and the
  // remote writes it received, and remote semaphore increments sent and received.
  std::uint64_t link_tx_bytes = 0;
  std::uint64_t link_rx_bytes = 0;
  std::uint64_t remote_signals_tx = 0;
  std::uint64_t remote_signals_rx = 0;
};

// ERR_INDEX of an error a chip raises for a remote operation it receives (no instruction of its
// own is at fault): a remote DRAM write outside its windows, a remote increment overflowing.
inline constexpr std::uint32_t kRemoteErrorIndex = 0xFFFFFFFFu;

struct RunResult {
  bool done = false;  // END reached
  ErrorCode code = ErrorCode::kNone;
  std::uint32_t index = 0;  // offending instruction (ERR_INDEX)
  std::uint8_t engine = 0;  // engine that raised it (ERR_INFO)
  std::string detail;       // human-readable reason
  Counters counters;
};

// One access to a memory space: partition (0 for DRAM), bytes [lo, hi), of chip `chip` (set by
// Machine::record: a remote write is recorded on the chip it writes).
struct Access {
  Space space;
  std::uint32_t partition;
  std::uint64_t lo, hi;
  bool write;
  std::uint8_t operand;  // operand index inside the instruction (for self-overlap checks)
  std::uint32_t chip = 0;
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

  // Attach a race checker (nullptr detaches). Not owned. In a multi-chip system every chip
  // shares one checker (golden::System does that).
  void set_race_checker(RaceChecker* rc) { race_ = rc; }

  // ---- multi-chip (golden::System sets these; a lone machine is chip 0 of 1) ------------------
  // `peers[i]` is chip i (this machine at index id.id); remote operations reach them directly
  // (ideal links: a remote write lands when its DMA executes).
  void join_system(ChipIdentity id, std::vector<Machine*> peers);
  const ChipIdentity& chip() const { return chip_; }

  // Runs the program of `prog_len` instructions at DRAM address `prog_base` to END or an error.
  RunResult run(std::uint32_t prog_base, std::uint32_t prog_len);

  // The same run one scheduling round at a time (what golden::System interleaves): start(), then
  // step() until state() is not kRunning; step() returns whether anything happened. When no
  // chip can progress the caller declares the deadlock with watchdog().
  enum class State : std::uint8_t { kIdle, kRunning, kDone, kError };
  void start(std::uint32_t prog_base, std::uint32_t prog_len);
  bool step();
  State state() const { return state_; }
  void watchdog();
  const RunResult& result() const { return result_; }

  // Convenience: places the program in DRAM at prog_base, then runs it.
  RunResult run_program(std::span<const EncodedInstruction> program, std::uint32_t prog_base);

  // ---- used by the engine implementations (exec_*.cpp) ---------------------------------------
  std::uint8_t* locate(Space s, std::uint32_t partition, std::uint64_t byte, std::uint32_t size);
  void record(const Access& a);
  const act::Table* table(std::uint8_t slot) const;
  void load_table(std::uint8_t slot, act::Table t);
  Counters& counters() { return counters_; }
  std::uint8_t current_engine() const { return current_engine_; }
  // Remote operations: the chip `chip` of the system (not this one), and an increment of one of
  // this chip's semaphores by another chip's DMA queue `engine` (docs/links.md section 5).
  Machine& peer(std::uint32_t chip);
  void remote_signal(std::uint32_t from_chip, std::uint8_t engine, std::uint8_t sem);
  // Whether a remote write may land on this chip's DRAM bytes [lo, hi]: inside an enabled window
  // with write permission; otherwise it is dropped and this chip stops with PROTECTION.
  bool accept_remote_dram(std::uint32_t from_chip, std::uint64_t lo, std::uint64_t hi);

 private:
  struct Queued {
    std::uint32_t index;
    Instruction insn;
  };
  void fail(ErrorCode code, std::uint32_t index, std::uint8_t eng, std::string detail);
  bool signal(const Queued& q, std::uint8_t eng);
  void retire(std::uint8_t eng);
  bool step_sequencer();
  bool step_engines();
  void execute(const Queued& q, std::uint8_t e);

  Config cfg_;
  std::vector<std::uint8_t> dram_, sbuf_, psum_;
  std::array<std::uint32_t, Config::kNumSemaphores> sems_{};
  std::array<std::optional<act::Table>, Config::kNumTables> tables_{};
  Windows windows_{};
  Counters counters_{};
  RaceChecker* race_ = nullptr;
  std::uint8_t current_engine_ = 0;
  std::uint32_t current_index_ = 0;
  ChipIdentity chip_{};
  std::vector<Machine*> peers_;
  // The run in progress.
  State state_ = State::kIdle;
  RunResult result_{};
  std::uint32_t prog_base_ = 0, prog_len_ = 0;
  std::array<std::deque<Queued>, engine::kCount> queues_;
  std::vector<std::uint8_t> engines_;
  std::optional<Queued> fetched_;      // decoded, waiting for room in its queue
  std::optional<Queued> seq_pending_;  // NOP on SEQ or END, waiting for its condition
  std::uint32_t next_ = 0;
  bool ended_ = false;
};

// A program's bytes as they lie in DRAM (little-endian words).
std::vector<std::uint8_t> program_bytes(std::span<const EncodedInstruction> program);

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
