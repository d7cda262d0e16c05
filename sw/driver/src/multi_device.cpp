#include "systole/driver/multi_device.hpp"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>

#include "systole/driver/golden_device.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/system.hpp"

namespace systole::driver {
namespace {

std::string join_errors(const std::vector<std::string>& per_chip) {
  std::string s;
  for (std::size_t i = 0; i < per_chip.size(); ++i) {
    if (per_chip[i].empty()) continue;
    s += fmt::format("{}chip {}: {}", s.empty() ? "" : "; ", i, per_chip[i]);
  }
  return s;
}

// The chips of a golden::System as Devices. start() only records the program; the first wait()
// after every chip has started runs the whole system, and each chip's wait() then hands over
// its own result.
struct SystemState {
  golden::System sys;
  std::unique_ptr<golden::RaceChecker> race;
  std::vector<std::optional<std::pair<std::uint32_t, std::uint32_t>>> started;
  std::optional<golden::SystemResult> result;
  std::vector<bool> collected;
  SystemState(const golden::Config& cfg, std::uint32_t chips, std::uint64_t dram, bool race_check)
      : sys(cfg, chips, dram), started(chips), collected(chips, false) {
    if (race_check) {
      race = std::make_unique<golden::RaceChecker>(sys.config(), 64, chips);
      sys.set_race_checker(race.get());
    }
  }
};

class SystemChip final : public Device {
 public:
  SystemChip(std::shared_ptr<SystemState> st, std::uint32_t id) : st_(std::move(st)), id_(id) {}
  std::string backend_name() const override { return "golden"; }

 protected:
  golden::Config read_config() override { return st_->sys.chip(id_).config(); }
  std::uint64_t dram_bytes() override { return st_->sys.chip(id_).dram().size(); }
  void write_dram(std::uint32_t addr, std::span<const std::uint8_t> bytes) override {
    st_->sys.chip(id_).write_dram(addr, bytes);
  }
  void read_dram(std::uint32_t addr, std::span<std::uint8_t> out) override { st_->sys.chip(id_).read_dram(addr, out); }
  void write_windows(const golden::Windows& w) override { st_->sys.chip(id_).windows() = w; }
  void write_semaphore(unsigned i, std::uint32_t v) override { st_->sys.chip(id_).set_semaphore(i, v); }
  std::uint32_t read_semaphore(unsigned i) override { return st_->sys.chip(id_).semaphore(i); }
  golden::ChipIdentity chip_identity() const override { return st_->sys.chip(id_).chip(); }
  void start(std::uint32_t base, std::uint32_t len) override {
    if (st_->result) throw std::logic_error("golden system: a chip started before the last run was collected");
    st_->started[id_] = std::pair(base, len);
  }
  Completion wait(std::chrono::milliseconds) override {
    if (!st_->result) {
      std::vector<std::uint32_t> bases, lens;
      for (const auto& s : st_->started) {
        if (!s) throw std::logic_error("golden system: wait() before every chip was started");
        bases.push_back(s->first);
        lens.push_back(s->second);
      }
      st_->result = st_->sys.run(bases, lens);
    }
    const golden::RunResult& r = st_->result->chips.at(id_);
    add_golden_counters(total_, r.counters);
    Completion c;
    if (!r.done) {
      c.status = Completion::Status::kError;
      c.code = r.code;
      c.index = r.index;
      c.engine = r.engine;
      c.detail = r.detail;
    }
    st_->collected[id_] = true;
    bool all = true;
    for (bool b : st_->collected) all = all && b;
    if (all) {  // the run is over: ready for the next one
      st_->result.reset();
      for (auto& s : st_->started) s.reset();
      st_->collected.assign(st_->collected.size(), false);
    }
    return c;
  }
  Counters read_counters() override { return total_; }
  void soft_reset() override { st_->sys.chip(id_).soft_reset(); }
  std::vector<std::string> take_races() override {
    std::vector<std::string> out;
    if (id_ == 0 && st_->race) {
      for (const golden::Race& r : st_->race->races()) out.push_back(r.describe());
    }
    return out;
  }

 private:
  std::shared_ptr<SystemState> st_;
  std::uint32_t id_;
  Counters total_;
};

}  // namespace

MultiDeviceError::MultiDeviceError(std::vector<std::string> per_chip)
    : std::runtime_error(join_errors(per_chip)), per_chip_(std::move(per_chip)) {}

MultiDevice::MultiDevice(std::vector<std::unique_ptr<Device>> chips) : chips_(std::move(chips)) {
  if (chips_.empty()) throw std::invalid_argument("MultiDevice: no chips");
}
MultiDevice::~MultiDevice() = default;

Device& MultiDevice::chip(std::uint32_t i) {
  if (i >= chips_.size()) throw std::out_of_range(fmt::format("MultiDevice: chip {} of {}", i, chips_.size()));
  return *chips_[i];
}

std::uint32_t MultiDevice::alloc_all(std::uint64_t bytes, std::uint64_t align) {
  const std::uint32_t addr = chips_[0]->alloc(bytes, align);
  for (std::size_t i = 1; i < chips_.size(); ++i) {
    const std::uint32_t a = chips_[i]->alloc(bytes, align);
    if (a != addr) {
      throw std::logic_error(fmt::format("MultiDevice::alloc_all: chip {} allocated 0x{:x}, chip 0 0x{:x}: the "
                                         "chips' allocations diverged (allocate through alloc_all only)",
                                         i, a, addr));
    }
  }
  return addr;
}

void MultiDevice::free_all(std::uint32_t addr) {
  for (auto& c : chips_) c->free(addr);
}

MultiRunResult MultiDevice::run(std::span<const std::vector<golden::EncodedInstruction>> programs,
                                const RunOptions& opts) {
  if (programs.size() != chips_.size()) {
    throw std::invalid_argument(
        fmt::format("MultiDevice::run: {} programs for {} chips (one per chip)", programs.size(), chips_.size()));
  }
  std::vector<Device::Launch> launches;
  try {
    for (std::size_t i = 0; i < chips_.size(); ++i) launches.push_back(chips_[i]->launch(programs[i], opts));
  } catch (...) {
    for (std::size_t i = 0; i < launches.size(); ++i) chips_[i]->free(launches[i].base);
    throw;
  }
  std::vector<Completion> done;
  for (auto& c : chips_) done.push_back(c->wait(opts.timeout));
  MultiRunResult r;
  std::vector<std::string> errors(chips_.size());
  bool failed = false;
  for (std::size_t i = 0; i < chips_.size(); ++i) {
    try {
      r.chips.push_back(chips_[i]->complete(launches[i], done[i], opts));
      for (auto& race : r.chips.back().races) r.races.push_back(std::move(race));
    } catch (const std::exception& e) {
      errors[i] = e.what();
      failed = true;
    }
  }
  if (failed) throw MultiDeviceError(std::move(errors));
  return r;
}

std::unique_ptr<MultiDevice> make_multi_device(std::string_view backend, std::string_view config_name,
                                               std::uint32_t chips, const DeviceOptions& opts) {
  if (chips == 0 || chips > 128) throw std::invalid_argument(fmt::format("{} chips: expected 1..128", chips));
  const golden::Config cfg = golden::Config::by_name(config_name);
  if (backend == "golden") {
    auto st = std::make_shared<SystemState>(cfg, chips, opts.dram_bytes, opts.race_check);
    std::vector<std::unique_ptr<Device>> devs;
    for (std::uint32_t i = 0; i < chips; ++i) devs.push_back(std::make_unique<SystemChip>(st, i));
    return std::make_unique<MultiDevice>(std::move(devs));
  }
  if (backend == "rtl" || backend == "fpga") {
    throw BackendUnavailable(fmt::format("the multi-chip {} backend is not built yet (issue 16: the link controller "
                                         "and the multi-chip top come first); use golden",
                                         backend));
  }
  throw std::invalid_argument(fmt::format("unknown backend '{}': expected golden or rtl", backend));
}

}  // namespace systole::driver
