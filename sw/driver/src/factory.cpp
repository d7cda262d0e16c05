#include <fmt/format.h>
#include <fmt/ranges.h>

#include "systole/driver/backend_registry.hpp"
#include "systole/driver/device.hpp"
#include "systole/driver/golden_device.hpp"

namespace systole::driver {

std::unique_ptr<Device> make_device(std::string_view backend, std::string_view config_name, const DeviceOptions& opts) {
  golden::Config cfg = golden::Config::by_name(config_name);  // std::invalid_argument for unknown names
  if (backend == "golden") {
    return std::make_unique<GoldenDevice>(std::move(cfg), opts.dram_bytes, opts.race_check);
  }
  if (const BackendFactory f = find_backend(backend)) return f(config_name, opts);
  if (backend == "rtl") {
    throw BackendUnavailable(
        "RTL backend not in this binary: available here: " + fmt::format("{}", fmt::join(available_backends(), ", ")) +
        ". The RTL backend is the library systole_rtl (sim/); a binary links it and calls "
        "systole::sim::register_rtl_backend() before make_device (the systole tools and the chip tests do)");
  }
  if (backend == "fpga") {
    throw BackendUnavailable(
        "FPGA backend not built yet: available here: " + fmt::format("{}", fmt::join(available_backends(), ", ")) +
        " (an FPGA backend implements the backend interface of systole/driver/device.hpp and registers itself with "
        "systole::driver::register_backend)");
  }
  throw std::invalid_argument(fmt::format("unknown backend '{}': expected golden, rtl or fpga", backend));
}

}  // namespace systole::driver
