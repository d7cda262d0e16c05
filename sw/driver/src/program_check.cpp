#include "systole/driver/program_check.hpp"

#include <fmt/format.h>

#include <array>

#include "systole/golden/config.hpp"

namespace systole::driver {

std::string OrderViolation::describe() const {
  return fmt::format("instruction {} waits for s{} >= {} but only {} signals of s{} come before it in program order: "
                     "with full queues it can deadlock (WATCHDOG)",
                     index, sem, wait_value, signals_before, sem);
}

std::vector<OrderViolation> dispatch_order_violations(std::span<const golden::Instruction> program) {
  std::array<std::uint64_t, golden::Config::kNumSemaphores> signals{};
  std::vector<OrderViolation> out;
  for (std::size_t i = 0; i < program.size(); ++i) {
    const golden::Instruction& insn = program[i];
    const golden::Sync& s = insn.sync;
    if (s.wait_en && s.wait_sem < signals.size() && signals[s.wait_sem] < s.wait_value) {
      out.push_back(OrderViolation{static_cast<std::uint32_t>(i), s.wait_sem, s.wait_value,
                                   static_cast<std::uint32_t>(signals[s.wait_sem])});
    }
    if (insn.opcode() == golden::Opcode::kEnd) break;
    if (s.signal_en && s.signal_sem < signals.size()) ++signals[s.signal_sem];
  }
  return out;
}

}  // namespace systole::driver
