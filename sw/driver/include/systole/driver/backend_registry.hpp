// Backend registry: how make_device() finds backends that live outside sw/driver.
//
// The golden backend is built in. Others (the Verilated chip of sim/, an FPGA over UART)
// are compiled into separate libraries that not every binary links. Such a library provides a
// registration function that the binary calls explicitly, once, before make_device():
//
//   systole::sim::register_rtl_backend();                  // links systole_rtl
//   auto dev = systole::driver::make_device("rtl", "tiny");
//
// Registration is an explicit call on purpose: a static initializer in a static library is
// dropped by the linker when nothing else references its object file. A binary that never
// registers "rtl" gets BackendUnavailable from make_device("rtl", ...), naming what to link.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace systole::driver {

class Device;
struct DeviceOptions;

// Builds a device of the named configuration (a known name: make_device() has checked it with
// golden::Config::by_name). A backend without a model for that configuration throws
// BackendUnavailable naming the configurations it has.
using BackendFactory = std::function<std::unique_ptr<Device>(std::string_view config_name, const DeviceOptions& opts)>;

// Registers `name` ("rtl", "fpga"), replacing an earlier registration of the same name.
// "golden" is built in and cannot be replaced (std::invalid_argument).
void register_backend(std::string_view name, BackendFactory factory);

// Whether make_device(name, ...) can work in this binary: "golden" or a registered backend.
bool backend_available(std::string_view name);

// "golden" then the registered backends in name order.
std::vector<std::string> available_backends();

// The factory registered for `name`, or an empty function.
BackendFactory find_backend(std::string_view name);

}  // namespace systole::driver
