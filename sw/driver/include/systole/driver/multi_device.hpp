// MultiDevice: N chips joined by chip-to-chip links, driven together (docs/software.md section
// 7, docs/links.md). Each chip is a Device for allocation, upload, download and windows; run()
// starts every chip's program and waits for all of them, so remote operations find their peers
// running. The golden backend is golden::System (ideal links); the RTL system comes with the
// link controller (issue 16).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "systole/driver/device.hpp"

namespace systole::driver {

struct MultiRunResult {
  std::vector<RunResult> chips;
  std::vector<std::string> races;  // across every chip (golden backend with its race checker)
};

// A run in which some chips stopped with an error: what each chip reported.
class MultiDeviceError : public std::runtime_error {
 public:
  explicit MultiDeviceError(std::vector<std::string> per_chip);
  const std::vector<std::string>& per_chip() const { return per_chip_; }  // "" for a chip that finished

 private:
  std::vector<std::string> per_chip_;
};

class MultiDevice {
 public:
  explicit MultiDevice(std::vector<std::unique_ptr<Device>> chips);
  ~MultiDevice();
  MultiDevice(const MultiDevice&) = delete;
  MultiDevice& operator=(const MultiDevice&) = delete;

  std::uint32_t size() const { return static_cast<std::uint32_t>(chips_.size()); }
  Device& chip(std::uint32_t i);
  const golden::Config& config() { return chip(0).config(); }
  std::string backend_name() const { return chips_.front()->backend_name(); }

  // The same allocation on every chip (SPMD programs address the same buffers everywhere);
  // throws std::logic_error if the chips' allocators disagree.
  std::uint32_t alloc_all(std::uint64_t bytes, std::uint64_t align = 64);
  void free_all(std::uint32_t addr);

  // Runs programs[i] on chip i, all at once. Errors: MultiDeviceError naming every chip that
  // stopped (after a soft reset of every chip).
  MultiRunResult run(std::span<const std::vector<golden::EncodedInstruction>> programs, const RunOptions& opts = {});

 private:
  std::vector<std::unique_ptr<Device>> chips_;
};

// "golden": a golden::System of `chips` chips of configuration `config_name` (opts.dram_bytes
// each, opts.race_check: one race checker across the chips). "rtl": BackendUnavailable until the
// multi-chip RTL system exists.
std::unique_ptr<MultiDevice> make_multi_device(std::string_view backend, std::string_view config_name,
                                               std::uint32_t chips, const DeviceOptions& opts = {});

}  // namespace systole::driver
