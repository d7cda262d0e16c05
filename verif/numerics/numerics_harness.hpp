// The comparison harness of the numerics RTL tests (test_numerics_rtl.cpp,
// test_vec_numerics_rtl.cpp): units as (operands -> result bits) for the RTL and the golden
// model, a mismatch counter that prints a replay command, and the random-stimulus loop.
//
//   SYSTOLE_NUMERICS_SAMPLES  random operand sets per unit (default 1000000)
//   SYSTOLE_SEED              base seed (default: drawn at random); printed by every random test
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <random>
#include <string>
#include <system_error>

#include "numerics_stimulus.hpp"
#include "verilated.h"

namespace systole::verif::harness {

using stim::Operands;
using stim::Rng;

constexpr int kMaxReports = 10;

// ---- run configuration -----------------------------------------------------------------------
inline std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 0);
}

inline std::uint64_t samples() {
  static const std::uint64_t n = env_u64("SYSTOLE_NUMERICS_SAMPLES", 1000000);
  return n;
}

inline std::uint64_t base_seed() {
  static const std::uint64_t seed = env_u64("SYSTOLE_SEED", std::random_device{}());
  return seed;
}

inline std::string replay_command() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return fmt::format("SYSTOLE_SEED={} SYSTOLE_NUMERICS_SAMPLES={} {} --gtest_filter={}.{}", base_seed(), samples(),
                     ec ? std::string("test_numerics_rtl") : exe.string(), info->test_suite_name(), info->name());
}

// ---- the units under test, uniformly: operands (x, y, z) -> result bits ------------------------
struct Unit {
  const char* name;
  int arity;
  std::array<const char*, 3> operand;  // operand names
  std::array<int, 3> digits;           // hex digits per operand
  int result_digits;
  std::uint32_t (*golden)(const Operands&);
  std::uint32_t (*rtl)(const Operands&);
  std::uint64_t seed_salt;
};

inline std::string describe(const Unit& u, const Operands& o) {
  const std::array<std::uint32_t, 3> v = {o.x, o.y, o.z};
  std::string s = fmt::format("{}(", u.name);
  for (int i = 0; i < u.arity; ++i) {
    s += fmt::format("{}{}=0x{:0{}X}", i ? ", " : "", u.operand[i], v[i], u.digits[i]);
  }
  return s + ")";
}

// Counts and reports RTL/golden mismatches; tells the caller when to stop.
class Checker {
 public:
  Checker(const Unit& unit, std::uint64_t seed) : unit_(unit), seed_(seed) {}
  // Returns false once the test should stop.
  bool check(const Operands& o) {
    ++checked_;
    const std::uint32_t want = unit_.golden(o);
    const std::uint32_t got = unit_.rtl(o);
    if (want == got) return true;
    ++mismatches_;
    ADD_FAILURE() << fmt::format("{}: expected (golden) 0x{:0{}X}, got (RTL) 0x{:0{}X}\n  seed {} (unit seed {:#x})\n"
                                 "  replay: {}",
                                 describe(unit_, o), want, unit_.result_digits, got, unit_.result_digits, base_seed(),
                                 seed_, replay_command());
    return mismatches_ < kMaxReports;
  }
  std::uint64_t checked() const { return checked_; }
  int mismatches() const { return mismatches_; }

 private:
  const Unit& unit_;
  std::uint64_t seed_;
  std::uint64_t checked_ = 0;
  int mismatches_ = 0;
};

inline std::uint64_t unit_seed(const Unit& u) { return base_seed() * 0x9E3779B97F4A7C15ull + u.seed_salt; }

template <class Gen>
void run_random(const Unit& u, Gen gen) {
  const std::uint64_t seed = unit_seed(u);
  const std::uint64_t n = samples();
  fmt::print("[ seed     ] SYSTOLE_SEED={} SYSTOLE_NUMERICS_SAMPLES={} ({} unit seed {:#x})\n", base_seed(), n, u.name,
             seed);
  Rng rng(seed);
  Checker chk(u, seed);
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < n; ++i) {
    if (!chk.check(gen(rng))) break;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("[ samples  ] {}: {} checked, {} mismatches, {:.2f} s\n", u.name, chk.checked(), chk.mismatches(), s);
  EXPECT_EQ(chk.mismatches(), 0) << "replay: " << replay_command();
}

// A combinational Verilated top, one instance per binary: set its inputs through top(), then
// eval() and read.
template <class Model>
class CombModel {
 public:
  CombModel() : ctx_(std::make_unique<VerilatedContext>()), top_(std::make_unique<Model>(ctx_.get())) {}
  ~CombModel() { top_->final(); }
  CombModel(const CombModel&) = delete;
  CombModel& operator=(const CombModel&) = delete;
  Model& top() { return *top_; }
  Model& eval() {
    top_->eval();
    return *top_;
  }

 private:
  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Model> top_;
};

}  // namespace systole::verif::harness
