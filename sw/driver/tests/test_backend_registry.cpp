// The backend registry (backend_registry.hpp): a registered backend is what make_device() builds;
// without a registration "rtl"/"fpga" stay BackendUnavailable; "golden" cannot be replaced.
#include <gtest/gtest.h>

#include <string>

#include "systole/driver/backend_registry.hpp"
#include "systole/driver/device.hpp"
#include "systole/driver/golden_device.hpp"

namespace systole {
namespace {

TEST(BackendRegistry, GoldenIsBuiltIn) {
  EXPECT_TRUE(driver::backend_available("golden"));
  EXPECT_EQ(driver::available_backends().front(), "golden");
  EXPECT_THROW(
      driver::register_backend(
          "golden", [](std::string_view, const driver::DeviceOptions&) { return std::unique_ptr<driver::Device>(); }),
      std::invalid_argument);
  EXPECT_THROW(driver::register_backend("fake", driver::BackendFactory{}), std::invalid_argument);
}

// A stand-in backend ("fake", a golden device underneath) registered at run time is found by
// make_device with the configuration name and the options it was given.
TEST(BackendRegistry, RegisteredBackendIsBuilt) {
  EXPECT_FALSE(driver::backend_available("fake"));
  std::string seen_config;
  std::uint64_t seen_dram = 0;
  driver::register_backend("fake", [&](std::string_view cfg, const driver::DeviceOptions& o) {
    seen_config = cfg;
    seen_dram = o.dram_bytes;
    const golden::Config c = golden::Config::by_name(cfg);
    return std::unique_ptr<driver::Device>(std::make_unique<driver::GoldenDevice>(c, o.dram_bytes, false));
  });
  EXPECT_TRUE(driver::backend_available("fake"));
  const auto names = driver::available_backends();
  EXPECT_NE(std::find(names.begin(), names.end(), "fake"), names.end());
  // Still an unknown backend for make_device's own check of the configuration name.
  EXPECT_THROW(driver::make_device("fake", "huge"), std::invalid_argument);
  const auto dev = driver::make_device("fake", "tiny", driver::device_options(1u << 20, false));
  EXPECT_EQ(seen_config, "tiny");
  EXPECT_EQ(seen_dram, 1u << 20);
  EXPECT_EQ(dev->config().partitions, 4u);
}

TEST(BackendRegistry, RtlWithoutRegistrationNamesWhatToLink) {
  try {
    driver::make_device("rtl", "tiny");
    FAIL() << "expected BackendUnavailable";
  } catch (const driver::BackendUnavailable& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("systole_rtl"), std::string::npos) << m;
    EXPECT_NE(m.find("available here: golden"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace systole
