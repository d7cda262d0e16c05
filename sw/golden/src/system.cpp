#include "systole/golden/system.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "systole/golden/race_checker.hpp"

namespace systole::golden {

bool SystemResult::done() const {
  return std::all_of(chips.begin(), chips.end(), [](const RunResult& r) { return r.done; });
}

Config system_config(Config cfg, std::uint32_t chips) {
  if (chips > 1 && cfg.link_ports == 0) cfg.link_ports = 2;
  return cfg;
}

System::System(Config cfg, std::uint32_t chips, std::uint64_t dram_bytes) {
  if (chips == 0 || chips > 128) throw std::invalid_argument(fmt::format("System: {} chips (1..128)", chips));
  cfg = system_config(std::move(cfg), chips);
  for (std::uint32_t i = 0; i < chips; ++i) chips_.push_back(std::make_unique<Machine>(cfg, dram_bytes));
  std::vector<Machine*> peers;
  for (auto& c : chips_) peers.push_back(c.get());
  for (std::uint32_t i = 0; i < chips; ++i) chips_[i]->join_system(ChipIdentity{i, chips}, peers);
}

Machine& System::chip(std::uint32_t i) {
  if (i >= chips_.size()) throw std::out_of_range(fmt::format("System: chip {} of {}", i, chips_.size()));
  return *chips_[i];
}

void System::set_race_checker(RaceChecker* rc) {
  if (rc && rc->chips() != size()) {
    throw std::invalid_argument(
        fmt::format("System: a race checker for {} chips on a {}-chip system", rc->chips(), size()));
  }
  race_ = rc;
  for (auto& c : chips_) c->set_race_checker(rc);
}

void System::clear_semaphores() {
  for (auto& c : chips_) {
    for (std::uint32_t i = 0; i < Config::kNumSemaphores; ++i) c->set_semaphore(i, 0);
  }
}

SystemResult System::run(std::uint32_t prog_base, std::span<const std::uint32_t> prog_len) {
  return run(std::vector<std::uint32_t>(chips_.size(), prog_base), prog_len);
}

SystemResult System::run(std::span<const std::uint32_t> prog_base, std::span<const std::uint32_t> prog_len) {
  if (prog_len.size() != chips_.size() || prog_base.size() != chips_.size()) {
    throw std::invalid_argument(fmt::format("System::run: {} program addresses and {} lengths for {} chips",
                                            prog_base.size(), prog_len.size(), chips_.size()));
  }
  if (race_) race_->reset();
  for (std::size_t i = 0; i < chips_.size(); ++i) chips_[i]->start(prog_base[i], prog_len[i]);
  SystemResult out;
  for (;;) {
    bool progress = false, running = false;
    for (auto& c : chips_) {
      progress = c->step() || progress;
      running = running || c->state() == Machine::State::kRunning;
    }
    ++out.rounds;
    if (!running) break;
    if (!progress) {
      for (auto& c : chips_) c->watchdog();
    }
  }
  bool all_done = true;
  for (auto& c : chips_) {
    RunResult r = c->result();
    r.counters = c->counters();
    all_done = all_done && r.done;
    out.chips.push_back(std::move(r));
  }
  if (all_done && race_) race_->finish();
  return out;
}

SystemResult System::run_programs(std::span<const std::vector<EncodedInstruction>> programs, std::uint32_t prog_base) {
  if (programs.size() != chips_.size()) {
    throw std::invalid_argument(
        fmt::format("System::run_programs: {} programs for {} chips", programs.size(), chips_.size()));
  }
  std::vector<std::uint32_t> lens;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    chips_[i]->write_dram(prog_base, program_bytes(programs[i]));
    lens.push_back(static_cast<std::uint32_t>(programs[i].size()));
  }
  return run(prog_base, lens);
}

}  // namespace systole::golden
