// Bit-exact comparison of the numerics RTL (rtl/numerics/, through verif/numerics/numerics_tb.sv)
// against the golden model (systole::golden::num) and against docs/numerics.md.
// Environment: numerics_harness.hpp.
//
// Each unit gets its own seed derived from the base seed, so a single test replays alone with
// --gtest_filter. A test stops after kMaxReports mismatches.
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
#include <utility>
#include <vector>

#include SYSTOLE_MODEL_HEADER  // Vnumerics_tb (CMakeLists.txt)
#include "numerics_cases.hpp"
#include "numerics_harness.hpp"
#include "numerics_stimulus.hpp"
#include "systole/golden/numerics.hpp"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace systole::verif {
namespace {

namespace num = systole::golden::num;
using namespace harness;

// ---- the Verilated model, one instance for the whole binary ------------------------------------
class Rtl {
 public:
  // SYSTOLE_TRACE=<file.fst> records every evaluation as one time step (1 ns apart).
  Rtl() : ctx_(std::make_unique<VerilatedContext>()) {
    const char* trace = std::getenv("SYSTOLE_TRACE");
    if (trace != nullptr) ctx_->traceEverOn(true);
    top_ = std::make_unique<SYSTOLE_MODEL>(ctx_.get());
    if (trace != nullptr) {
      fst_ = std::make_unique<VerilatedFstC>();
      top_->trace(fst_.get(), 99);
      fst_->open(trace);
    }
  }
  ~Rtl() {
    top_->final();
    if (fst_) fst_->close();
  }
  Rtl(const Rtl&) = delete;
  Rtl& operator=(const Rtl&) = delete;

  std::uint32_t fp32_add(std::uint32_t a, std::uint32_t b) {
    top_->add_a_i = a;
    top_->add_b_i = b;
    step();
    return top_->add_sum_o;
  }
  std::uint32_t bf16_mul(std::uint32_t a, std::uint32_t b) {
    top_->bf16_a_i = static_cast<std::uint16_t>(a);
    top_->bf16_b_i = static_cast<std::uint16_t>(b);
    step();
    return top_->bf16_prod_o;
  }
  std::uint32_t fp8_mul(std::uint32_t a, std::uint32_t b) {
    top_->fp8_a_i = static_cast<std::uint8_t>(a);
    top_->fp8_b_i = static_cast<std::uint8_t>(b);
    step();
    return top_->fp8_prod_o;
  }
  std::uint32_t int8_mac(std::uint32_t acc, std::uint32_t a, std::uint32_t b) {
    top_->mac_acc_i = acc;
    top_->mac_a_i = static_cast<std::uint8_t>(a);
    top_->mac_b_i = static_cast<std::uint8_t>(b);
    step();
    return top_->mac_acc_o;
  }
  std::uint32_t fp32_to_bf16(std::uint32_t a) {
    top_->to_bf16_a_i = a;
    step();
    return top_->to_bf16_res_o;
  }
  std::uint32_t fp32_to_fp8(std::uint32_t a) {
    top_->to_fp8_a_i = a;
    step();
    return top_->to_fp8_res_o;
  }
  std::uint32_t fp32_to_int8(std::uint32_t a) {
    top_->to_int8_a_i = a;
    step();
    return top_->to_int8_res_o;
  }

 private:
  void step() {
    top_->eval();
    if (fst_) fst_->dump(time_++);
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<SYSTOLE_MODEL> top_;
  std::unique_ptr<VerilatedFstC> fst_;
  std::uint64_t time_ = 0;
};

Rtl& rtl() {
  static Rtl model;
  return model;
}

std::int8_t i8(std::uint32_t v) { return static_cast<std::int8_t>(static_cast<std::uint8_t>(v)); }
std::uint32_t u8(std::int8_t v) { return static_cast<std::uint8_t>(v); }

const Unit kAdd{"fp32_add",
                2,
                {"a", "b", ""},
                {8, 8, 0},
                8,
                [](const Operands& o) { return num::f32_add(o.x, o.y); },
                [](const Operands& o) { return rtl().fp32_add(o.x, o.y); },
                1};
const Unit kBf16Mul{
    "bf16_mul",
    2,
    {"a", "b", ""},
    {4, 4, 0},
    8,
    [](const Operands& o) { return num::bf16_mul(static_cast<num::bf16_bits>(o.x), static_cast<num::bf16_bits>(o.y)); },
    [](const Operands& o) { return rtl().bf16_mul(o.x, o.y); },
    2};
const Unit kFp8Mul{
    "fp8_mul",
    2,
    {"a", "b", ""},
    {2, 2, 0},
    8,
    [](const Operands& o) { return num::fp8_mul(static_cast<num::fp8_bits>(o.x), static_cast<num::fp8_bits>(o.y)); },
    [](const Operands& o) { return rtl().fp8_mul(o.x, o.y); },
    3};
const Unit kMac{"int8_mac",
                3,
                {"acc", "a", "b"},
                {8, 2, 2},
                8,
                [](const Operands& o) {
                  return static_cast<std::uint32_t>(num::int8_mac(static_cast<std::int32_t>(o.x), i8(o.y), i8(o.z)));
                },
                [](const Operands& o) { return rtl().int8_mac(o.x, o.y, o.z); },
                4};
const Unit kToBf16{"fp32_to_bf16",
                   1,
                   {"a", "", ""},
                   {8, 0, 0},
                   4,
                   [](const Operands& o) { return static_cast<std::uint32_t>(num::f32_to_bf16(o.x)); },
                   [](const Operands& o) { return rtl().fp32_to_bf16(o.x); },
                   5};
const Unit kToFp8{"fp32_to_fp8",
                  1,
                  {"a", "", ""},
                  {8, 0, 0},
                  2,
                  [](const Operands& o) { return static_cast<std::uint32_t>(num::f32_to_fp8(o.x)); },
                  [](const Operands& o) { return rtl().fp32_to_fp8(o.x); },
                  6};
const Unit kToInt8{"fp32_to_int8",
                   1,
                   {"a", "", ""},
                   {8, 0, 0},
                   2,
                   [](const Operands& o) { return u8(num::f32_to_int8(o.x)); },
                   [](const Operands& o) { return rtl().fp32_to_int8(o.x); },
                   7};

// ---- random stimulus, >= SYSTOLE_NUMERICS_SAMPLES per unit -------------------------------------
TEST(NumericsRtlRandom, Fp32Add) { run_random(kAdd, stim::add_pair); }
TEST(NumericsRtlRandom, Bf16Mul) { run_random(kBf16Mul, stim::bf16_pair); }
TEST(NumericsRtlRandom, Fp8Mul) { run_random(kFp8Mul, stim::fp8_pair); }
TEST(NumericsRtlRandom, Int8Mac) { run_random(kMac, stim::mac_operands); }
TEST(NumericsRtlRandom, Fp32ToBf16) {
  run_random(kToBf16, [](Rng& r) { return Operands{stim::to_bf16_input(r), 0, 0}; });
}
TEST(NumericsRtlRandom, Fp32ToFp8) {
  run_random(kToFp8, [](Rng& r) { return Operands{stim::to_fp8_input(r), 0, 0}; });
}
TEST(NumericsRtlRandom, Fp32ToInt8) {
  run_random(kToInt8, [](Rng& r) { return Operands{stim::to_int8_input(r), 0, 0}; });
}

// ---- exhaustive sweeps ---------------------------------------------------------------------------
TEST(NumericsRtlSweep, Fp8MulAllPairs) {
  Checker chk(kFp8Mul, 0);
  for (std::uint32_t a = 0; a < 256; ++a) {
    for (std::uint32_t b = 0; b < 256; ++b) {
      if (!chk.check({a, b, 0})) return;
    }
  }
  EXPECT_EQ(chk.checked(), 65536u);
}

TEST(NumericsRtlSweep, Int8MacAllProducts) {
  Checker chk(kMac, 0);
  for (const std::uint32_t acc : {0x00000000u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0x12345678u}) {
    for (std::uint32_t a = 0; a < 256; ++a) {
      for (std::uint32_t b = 0; b < 256; ++b) {
        if (!chk.check({acc, a, b})) return;
      }
    }
  }
}

// Every upper half (sign, exponent, top 7 fraction bits: every bf16 value and every fp8/int8
// rounding position that lies in the upper half) with the lower half on and around the tie.
void sweep_upper16(const Unit& u) {
  Checker chk(u, 0);
  for (std::uint32_t hi = 0; hi < 0x10000u; ++hi) {
    for (const std::uint32_t lo : {0x0000u, 0x0001u, 0x7FFFu, 0x8000u, 0x8001u, 0xFFFFu}) {
      if (!chk.check({(hi << 16) | lo, 0, 0})) return;
    }
  }
}
TEST(NumericsRtlSweep, Fp32ToBf16Upper16) { sweep_upper16(kToBf16); }
TEST(NumericsRtlSweep, Fp32ToFp8Upper16) { sweep_upper16(kToFp8); }
TEST(NumericsRtlSweep, Fp32ToInt8Upper16) { sweep_upper16(kToInt8); }

// All 128 x 128 significand pairs, both signs, for exponent pairs whose product lands on
// either side of the FTZ edge (2^-126) and the overflow edge (2^128).
TEST(NumericsRtlSweep, Bf16MulSignificandsAtRangeEdges) {
  Checker chk(kBf16Mul, 0);
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> exps = {
      {1, 125},   {1, 126},   {1, 127},   {64, 63},   {64, 64},   {127, 1},   {2, 126},   {1, 128},
      {254, 127}, {127, 254}, {254, 126}, {200, 180}, {200, 181}, {254, 128}, {127, 127}, {254, 1}};
  for (const auto& [ea, eb] : exps) {
    for (std::uint32_t fa = 0; fa < 128; ++fa) {
      for (std::uint32_t fb = 0; fb < 128; ++fb) {
        const std::uint32_t s = (fa ^ fb) & 1u;  // vary signs cheaply
        const Operands o{(s << 15) | (ea << 7) | fa, (eb << 7) | fb, 0};
        if (!chk.check(o)) return;
      }
    }
  }
}

// ---- named cases: RTL and golden against the value worked out from docs/numerics.md -------------
const Unit& unit_of(cases::UnitId id) {
  switch (id) {
    case cases::UnitId::kFp32Add: return kAdd;
    case cases::UnitId::kBf16Mul: return kBf16Mul;
    case cases::UnitId::kFp8Mul: return kFp8Mul;
    case cases::UnitId::kInt8Mac: return kMac;
    case cases::UnitId::kFp32ToBf16: return kToBf16;
    case cases::UnitId::kFp32ToFp8: return kToFp8;
    case cases::UnitId::kFp32ToInt8: return kToInt8;
  }
  return kAdd;
}

template <std::size_t N>
void check_cases(const std::array<cases::Case, N>& table) {
  for (const auto& c : table) {
    const Unit& u = unit_of(c.unit);
    const std::uint32_t golden = u.golden(c.in);
    const std::uint32_t got = u.rtl(c.in);
    const std::string what =
        fmt::format("[{}] {}: expected 0x{:0{}X}", c.name, describe(u, c.in), c.expected, u.result_digits);
    EXPECT_EQ(got, c.expected) << what << fmt::format(", RTL gives 0x{:0{}X}", got, u.result_digits);
    EXPECT_EQ(golden, c.expected) << what << fmt::format(", golden gives 0x{:0{}X}", golden, u.result_digits);
  }
}

TEST(NumericsRtlCases, DocSection7Examples) { check_cases(cases::kDocExamples); }
TEST(NumericsRtlCases, NamedCorners) { check_cases(cases::kCorners); }

// ---- eval throughput (informational; no assertion) ----------------------------------------------
TEST(NumericsRtlSpeed, EvalRate) {
  constexpr std::uint32_t kN = 2000000;
  Rng rng(1);
  std::vector<std::uint32_t> in(1024);
  for (auto& v : in) v = rng.u32();
  std::uint32_t sink = 0;
  const auto rate = [&](const char* what, const char* note, auto&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint32_t i = 0; i < kN; ++i) sink ^= f(in[i & 1023], in[(i * 7 + 1) & 1023]);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fmt::print("[ speed    ] {:<13} {:6.1f} M/s ({})\n", what, kN / s / 1e6, note);
  };
  // One eval() recomputes every unit in numerics_tb (Verilator evaluates all input-driven
  // logic together), so these are per-eval costs of the whole wrapper, not of one unit.
  constexpr const char* kRtl = "RTL: set inputs + eval() + read";
  Rtl& m = rtl();
  rate("fp32_add", kRtl, [&](std::uint32_t a, std::uint32_t b) { return m.fp32_add(a, b); });
  rate("bf16_mul", kRtl, [&](std::uint32_t a, std::uint32_t b) { return m.bf16_mul(a, b); });
  rate("fp8_mul", kRtl, [&](std::uint32_t a, std::uint32_t b) { return m.fp8_mul(a, b); });
  rate("int8_mac", kRtl, [&](std::uint32_t a, std::uint32_t b) { return m.int8_mac(a, b, b >> 8); });
  rate("fp32_to_fp8", kRtl, [&](std::uint32_t a, std::uint32_t) { return m.fp32_to_fp8(a); });
  rate("golden add", "golden model f32_add, for scale",
       [&](std::uint32_t a, std::uint32_t b) { return num::f32_add(a, b); });
  EXPECT_NE(sink, 0xDEADBEEFu);  // keeps the loops from being optimised away
}

}  // namespace
}  // namespace systole::verif
