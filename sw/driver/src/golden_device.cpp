#include "systole/driver/golden_device.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace systole::driver {

void add_golden_counters(Counters& total, const golden::Counters& g) {
  total.macs += g.macs;
  total.dram_rd_bytes += g.dram_rd_bytes;
  total.dram_wr_bytes += g.dram_wr_bytes;
  total.fetch_bytes += g.fetch_bytes;
  total.instructions += g.instructions;
  total.link_tx_bytes += g.link_tx_bytes;
  total.link_rx_bytes += g.link_rx_bytes;
}

GoldenDevice::GoldenDevice(golden::Config cfg, std::uint64_t dram_bytes, bool race_check) : machine_(cfg, dram_bytes) {
  if (dram_bytes > (std::uint64_t{1} << 32)) {
    throw std::invalid_argument(
        fmt::format("GoldenDevice: {} bytes of DRAM exceed the 32-bit address space", dram_bytes));
  }
  if (race_check) {
    race_ = std::make_unique<golden::RaceChecker>(machine_.config());
    machine_.set_race_checker(race_.get());
  }
}

GoldenDevice::~GoldenDevice() { machine_.set_race_checker(nullptr); }

void GoldenDevice::write_dram(std::uint32_t addr, std::span<const std::uint8_t> bytes) {
  machine_.write_dram(addr, bytes);
}

void GoldenDevice::read_dram(std::uint32_t addr, std::span<std::uint8_t> out) { machine_.read_dram(addr, out); }

// The golden model runs to completion synchronously; wait() hands over the result.
void GoldenDevice::start(std::uint32_t prog_base, std::uint32_t prog_len) { last_ = machine_.run(prog_base, prog_len); }

Completion GoldenDevice::wait(std::chrono::milliseconds) {
  if (!last_) throw std::logic_error("GoldenDevice::wait without start");
  const golden::RunResult r = std::move(*last_);
  last_.reset();
  const golden::Counters& g = r.counters;
  add_golden_counters(total_, g);
  Completion c;
  if (r.done) return c;
  c.status = Completion::Status::kError;
  c.code = r.code;
  c.index = r.index;
  c.engine = r.engine;
  c.detail = r.detail;
  return c;
}

std::vector<std::string> GoldenDevice::take_races() {
  std::vector<std::string> out;
  if (race_) {
    for (const golden::Race& r : race_->races()) out.push_back(r.describe());
  }
  return out;
}

}  // namespace systole::driver
