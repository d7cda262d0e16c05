// GoldenDevice: the Device backend on the golden model (systole::golden::Machine), optionally
// with the race checker attached to every run.
#pragma once

#include <memory>
#include <optional>

#include "systole/driver/device.hpp"
#include "systole/golden/machine.hpp"
#include "systole/golden/race_checker.hpp"

namespace systole::driver {

// Adds one golden run's counters to a device's cumulative ones (what the hardware counts).
void add_golden_counters(Counters& total, const golden::Counters& g);

class GoldenDevice final : public Device {
 public:
  // `cfg` is used as given.
  GoldenDevice(golden::Config cfg, std::uint64_t dram_bytes, bool race_check = true);
  ~GoldenDevice() override;

  std::string backend_name() const override { return "golden"; }
  bool race_check() const { return race_ != nullptr; }
  // The model itself, for debug views of SBUF/PSUM in tests.
  golden::Machine& machine() { return machine_; }

 protected:
  golden::Config read_config() override { return machine_.config(); }
  std::uint64_t dram_bytes() override { return machine_.dram().size(); }
  void write_dram(std::uint32_t addr, std::span<const std::uint8_t> bytes) override;
  void read_dram(std::uint32_t addr, std::span<std::uint8_t> out) override;
  void write_windows(const golden::Windows& w) override { machine_.windows() = w; }
  void write_semaphore(unsigned i, std::uint32_t value) override { machine_.set_semaphore(i, value); }
  std::uint32_t read_semaphore(unsigned i) override { return machine_.semaphore(i); }
  void start(std::uint32_t prog_base, std::uint32_t prog_len) override;
  Completion wait(std::chrono::milliseconds timeout) override;
  Counters read_counters() override { return total_; }
  void soft_reset() override { machine_.soft_reset(); }
  std::vector<std::string> take_races() override;

 private:
  golden::Machine machine_;
  std::unique_ptr<golden::RaceChecker> race_;
  std::optional<golden::RunResult> last_;  // the run started by start(), until wait() collects it
  Counters total_;                         // cumulative, like the hardware counters
};

}  // namespace systole::driver
