// Seeds and replay commands for the randomized GoogleTest benches (docs/conventions.md: every failure
// prints the one command that replays it).
//
//   SYSTOLE_SEED=<n>  fixes the run's base seed (otherwise a random one, fixed for the run);
//   each test derives its own seed from the base and its name, so one test replays alone.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

namespace systole::verif {

// The run's base seed: SYSTOLE_SEED, or a random seed chosen once per process.
inline std::uint64_t base_seed() {
  static const std::uint64_t seed = [] {
    const char* t = std::getenv("SYSTOLE_SEED");
    return (t != nullptr && *t != '\0') ? std::strtoull(t, nullptr, 0) : std::uint64_t{std::random_device{}()};
  }();
  return seed;
}

// The current test's seed: the base seed mixed with the test's name (and its suite's name when
// `with_suite`, for typed tests whose names repeat across suites).
inline std::uint64_t test_seed(bool with_suite = false) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string key = info->name();
  if (with_suite) key = std::string(info->test_suite_name()) + "." + key;
  return base_seed() ^ std::hash<std::string>{}(key);
}

// "[tag] replay: SYSTOLE_SEED=<base> <this binary> --gtest_filter='<suite>.<test>'" for the
// current test (no "[tag] " when tag is empty).
inline std::string replay_command(std::string_view tag = {}) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return fmt::format("{}replay: SYSTOLE_SEED={} {} --gtest_filter='{}.{}'",
                     tag.empty() ? std::string() : fmt::format("[{}] ", tag), base_seed(),
                     ec ? std::string("<test binary>") : exe.string(), info->test_suite_name(), info->name());
}

}  // namespace systole::verif
