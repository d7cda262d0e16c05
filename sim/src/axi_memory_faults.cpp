// AxiMemory's fault injection (AxiMemoryConfig::fault): one deliberate protocol violation of the
// slave, so that a test can prove the RTL's AXI checkers catch it
// (verif/chip/test_chip_assertions.cpp). The model's own bookkeeping stays that of a correct
// slave (the fault changes only what is driven, or answers a burst early without consuming it),
// so a run whose checker fails to fire goes on instead of corrupting the model.
#include "systole/sim/axi_memory.hpp"

#include <algorithm>

namespace systole::sim {

const char* to_string(AxiFaultKind k) {
  switch (k) {
    case AxiFaultKind::kNone: return "none";
    case AxiFaultKind::kRLastEarly: return "rlast-early";
    case AxiFaultKind::kRLastMissing: return "rlast-missing";
    case AxiFaultKind::kRIdUnexpected: return "r-id-unexpected";
    case AxiFaultKind::kBIdUnexpected: return "b-id-unexpected";
    case AxiFaultKind::kBEarly: return "b-early";
  }
  return "?";
}

bool AxiMemory::fault_armed(AxiFaultKind k) const {
  return cfg_.fault.kind == k && !fault_done_ && cycle_ >= cfg_.fault.from_cycle;
}

void AxiMemory::fault_on_r(const Burst& t, RCur& r) {
  if (fault_armed(AxiFaultKind::kRLastEarly) && t.id == cfg_.fault.id && t.len >= 1 && t.beat + 1 == t.len) {
    r.bus_last = true;
    fault_done_ = true;
  } else if (fault_armed(AxiFaultKind::kRLastMissing) && t.id == cfg_.fault.id && r.last) {
    r.bus_last = false;
    fault_done_ = true;
  } else if (fault_armed(AxiFaultKind::kRIdUnexpected) && t.id != cfg_.fault.id) {
    const auto it = reads_.find(cfg_.fault.id);
    if (it == reads_.end() || it->second.empty()) {  // nothing outstanding on that ID: a violation
      r.bus_id = cfg_.fault.id;
      fault_done_ = true;
    }
  }
}

void AxiMemory::fault_on_b(BCur& b) {
  if (fault_armed(AxiFaultKind::kBIdUnexpected) && b.id != cfg_.fault.id) {
    const auto it = writes_.find(cfg_.fault.id);
    const bool waiting =
        std::any_of(aw_wait_.begin(), aw_wait_.end(), [&](const Burst& t) { return t.id == cfg_.fault.id; });
    if ((it == writes_.end() || it->second.empty()) && !waiting) {
      b.bus_id = cfg_.fault.id;
      fault_done_ = true;
    }
  }
}

bool AxiMemory::fault_early_b() {
  if (!fault_armed(AxiFaultKind::kBEarly) || aw_wait_.empty()) return false;
  const Burst& t = aw_wait_.front();  // accepted, still waiting for (some of) its W beats
  const auto it = writes_.find(t.id);
  if (it != writes_.end() && !it->second.empty()) return false;  // a B of that ID would be legal
  b_cur_ = BCur{t.seq, t.id, t.id, t.resp, true};
  fault_done_ = true;
  return true;
}

}  // namespace systole::sim
