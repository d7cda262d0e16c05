// Static checks on a program's synchronization that the golden model cannot see in one run.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "systole/golden/isa.hpp"

namespace systole::driver {

// An instruction that waits for a semaphore count that the instructions *before* it in program
// order cannot reach on their own (semaphores start at 0, as Device::run sets them).
struct OrderViolation {
  std::uint32_t index = 0;
  std::uint8_t sem = 0;
  std::uint32_t wait_value = 0;
  std::uint32_t signals_before = 0;  // signals of `sem` in instructions [0, index)
  std::string describe() const;
};

// Dispatch-order safety (docs/isa.md section 1, docs/software.md "Queue depth"): when every wait
// can be satisfied by signals of earlier instructions alone, the program cannot deadlock on full
// queues, for any queue depth >= 1. Proof: take the lowest-index instruction I that has not
// completed. Every earlier instruction has completed, so I's wait is satisfied; every earlier
// instruction of I's engine has completed and left its queue, so I is either at the head of
// that queue or, if not dispatched yet, the next to dispatch (dispatch is in program order) into
// an empty queue. So I can proceed, and by induction the program finishes.
// Returns the waits that break the rule (empty = safe). Instructions after the first END are
// ignored (never dispatched).
std::vector<OrderViolation> dispatch_order_violations(std::span<const golden::Instruction> program);

}  // namespace systole::driver
