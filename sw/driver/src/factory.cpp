#include <fmt/format.h>

#include "systole/driver/device.hpp"
#include "systole/driver/golden_device.hpp"

namespace systole::driver {

std::unique_ptr<Device> make_device(std::string_view backend, std::string_view config_name, const DeviceOptions& opts) {
  golden::Config cfg = golden::Config::by_name(config_name);  // std::invalid_argument for unknown names
  if (backend == "golden") {
    // The RTL chip has no vector engine yet (docs/chip.md); the golden device matches it so that
    // a program that runs here runs there.
    cfg.vector_engine = false;
    return std::make_unique<GoldenDevice>(std::move(cfg), opts.dram_bytes, opts.race_check);
  }
  if (backend == "rtl" || backend == "fpga") {
    throw BackendUnavailable(fmt::format(
        "{} backend not built yet: only 'golden' is available in this build (the {} backend implements the backend "
        "interface of systole/driver/device.hpp)",
        backend == "rtl" ? "RTL" : "FPGA", backend));
  }
  throw std::invalid_argument(fmt::format("unknown backend '{}': expected golden, rtl or fpga", backend));
}

}  // namespace systole::driver
