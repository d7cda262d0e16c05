// Dynamic race checker (docs/isa.md "Memory ordering"): reports two accesses to the same byte
// by different engines, at least one a write, that no chain of semaphore signal/wait orders;
// and, inside one instruction, an output overlapping an input it is not identical to.
//
// Happens-before is tracked with vector clocks over the engines. A wait for `sem >= v` joins
// the clocks of the increments that took the semaphore from its value at the start of the run
// up to v, in the order the golden model performed them. That order is only one the hardware
// may take: finish() (at END) checks that every such wait is satisfied by the same increments
// in every order, i.e. that each increment after the v-th happens after all of the first v;
// otherwise a later signaller (another DMA queue, say) could make up the count before one of
// the increments the wait relies on, and it reports an ambiguous wait.
//
// In a multi-chip system one checker serves every chip: the clocks run over every (chip,
// engine) pair, a remote write is checked on the chip it lands on, and a remote increment
// carries its sender's clock to the waiter on the other chip, so a collective's buffer reuse is
// checked across chips like any other hand-off.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/machine.hpp"

namespace systole::golden {

struct Race {
  // kSelfOverlap: an output overlaps an input of the same instruction without being identical.
  // kInPlaceRepeat: an output identical to an input (in place) names a byte more than once.
  // kAmbiguousWait: a wait whose count can be reached by another set of signals (first: the
  // signal it relies on, second: the signal that may come before it).
  enum class Kind : std::uint8_t { kCrossEngine, kSelfOverlap, kInPlaceRepeat, kAmbiguousWait };
  Kind kind = Kind::kCrossEngine;
  Space space = Space::kNone;
  std::uint32_t partition = 0;
  std::uint64_t byte = 0;
  std::uint32_t wait_index = 0;  // kAmbiguousWait: the waiting instruction
  std::uint8_t wait_engine = 0;
  std::uint8_t sem = 0;
  std::uint32_t value = 0;
  std::uint32_t first_index = 0;  // earlier access (in the golden order)
  std::uint8_t first_engine = 0;
  bool first_write = false;
  std::uint32_t second_index = 0;
  std::uint8_t second_engine = 0;
  bool second_write = false;
  // Multi-chip: the chip of each side (the memory's chip is `chip`); `multichip` names them.
  bool multichip = false;
  std::uint32_t chip = 0, wait_chip = 0, first_chip = 0, second_chip = 0;
  std::string describe() const;
};

class RaceChecker {
 public:
  explicit RaceChecker(const Config& cfg, std::size_t max_reports = 64, std::uint32_t chips = 1);
  ~RaceChecker();

  // Called by the Machine. reset() forgets everything (the start of a run of the system);
  // start_run() records the semaphore values chip `chip` starts with.
  void reset();
  void start_run(std::uint32_t chip, const std::array<std::uint32_t, Config::kNumSemaphores>& initial);
  void begin(std::uint32_t chip, std::uint8_t engine, std::uint32_t index);
  // The current instruction waits for `sem >= value` on its own chip.
  void on_wait(std::uint8_t sem, std::uint32_t value);
  void on_access(const Access& a);
  void end(std::span<const std::pair<std::uint8_t, std::uint8_t>> in_place);
  // Engine `engine` of chip `from` increments semaphore `sem` of chip `to`.
  void on_signal(std::uint32_t from, std::uint8_t engine, std::uint32_t to, std::uint8_t sem);
  // At END (of every chip): the waits whose count other signals could have reached first.
  void finish();

  const std::vector<Race>& races() const { return races_; }
  bool clean() const { return races_.empty(); }
  std::uint32_t chips() const { return chips_; }

 private:
  static constexpr std::size_t kEngines = engine::kCount;
  using Agent = std::uint16_t;  // chip * kEngines + engine
  using Clock = std::vector<std::uint32_t>;
  struct Shadow;
  struct Page;

  Shadow& shadow(const Access& a, std::uint64_t byte);
  void report(Race r);
  void check_byte(const Access& a, std::uint64_t byte);
  void name(Agent a, std::uint32_t epoch, std::uint32_t& chip, std::uint8_t& engine, std::uint32_t& index) const;
  std::size_t sem_id(std::uint32_t chip, std::uint8_t sem) const { return chip * Config::kNumSemaphores + sem; }

  Config cfg_;
  std::size_t max_reports_;
  std::uint32_t chips_;
  std::size_t agents_;
  std::vector<Clock> vc_;
  std::vector<std::vector<std::uint32_t>> epoch_index_;  // per agent: epoch -> instruction index
  std::vector<std::uint32_t> base_;                      // per (chip, semaphore)
  std::vector<std::vector<Clock>> released_;             // prefix joins per increment
  struct Signal {
    Agent agent;
    std::uint32_t epoch;  // the signaller's own clock entry
    Clock clock;          // its clock when it signalled
  };
  struct Wait {
    std::size_t sem;  // sem_id()
    Agent agent;
    std::uint32_t k, index;  // k-th increment of this run
  };
  std::vector<std::vector<Signal>> signals_;
  std::vector<Wait> waits_;
  std::unordered_map<std::uint64_t, std::unique_ptr<Page>> pages_;
  Agent cur_agent_ = 0;
  std::uint32_t cur_index_ = 0;
  std::vector<Access> cur_accesses_;
  std::vector<Race> races_;
};

}  // namespace systole::golden
