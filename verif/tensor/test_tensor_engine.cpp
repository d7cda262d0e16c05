// Block tests of the tensor engine (rtl/tensor/) on one Verilated configuration, bit-exact
// against the golden MATMUL numerics (docs/tensor_engine.md, docs/isa.md MATMUL).
// Built once per configuration: CMakeLists.txt links the model (SYSTOLE_MODEL, SYSTOLE_MODEL_HEADER,
// SYSTOLE_MODEL_CONFIG); the configuration's values are read at run time (model_config()).
//
//   SYSTOLE_SEED   base seed (default: random); every failure prints the replay command
//   SYSTOLE_TRACE  FST file to record
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fmt/format.h>
#include <random>
#include <string>
#include <vector>

#include SYSTOLE_MODEL_HEADER
#include "model_config.hpp"
#include "tensor_bench.hpp"
#include "tensor_speed.hpp"
#include "test_seed.hpp"

namespace systole::verif::tensor {
namespace {

using Model = SYSTOLE_MODEL;
using Bench = TensorBench<Model>;

// The model's configuration in the bench's terms (tensor_tb's parameters).
const Config kCfg = [] {
  const golden::Config& g = model_config();
  return Config{g.name.c_str(), g.partitions, g.columns, g.nmax, g.psum_bytes, g.int8, g.bf16, g.fp8};
}();

class TensorEngine : public ::testing::Test {
 protected:
  std::uint64_t seed() const { return test_seed(); }
  void TearDown() override {
    if (HasFailure()) ADD_FAILURE() << replay_command(kCfg.name);
  }
};

template <class T>
T pick(Rng& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}
unsigned uniform(Rng& rng, unsigned lo, unsigned hi) { return lo + static_cast<unsigned>(rng() % (hi - lo + 1)); }

// A random command: K, pstart, M and N over their whole ranges (N biased small to keep runs
// short, Nmax now and then), chained to the previous one (same PSUM region, accumulate) with
// probability 1/2.
Cmd random_cmd(Bench& b, const Cmd* prev) {
  Rng& r = b.rng();
  const Config& c = b.cfg();
  Cmd cmd;
  cmd.dtype = pick(r, c.dtypes());
  cmd.k = uniform(r, 1, c.P);
  cmd.pstart = uniform(r, 0, c.P - cmd.k);
  cmd.m = uniform(r, 1, c.C);
  if (prev != nullptr && r() % 2 == 0) {
    cmd.n = prev->n;
    cmd.addr = prev->addr;
    cmd.start = false;
  } else {
    const unsigned roll = static_cast<unsigned>(r() % 10);
    cmd.n = roll == 0 ? c.nmax : roll < 4 ? 1 : uniform(r, 1, std::min(c.nmax, 24u));
    cmd.addr = uniform(r, 0, c.words() - cmd.n);
    cmd.start = r() % 4 != 0;
  }
  if (!cmd.start && !b.ref().initialized(cmd)) cmd.start = true;
  return cmd;
}

void random_sequence(Bench& b, int count, double special, const Knobs& knobs) {
  Cmd prev;
  for (int i = 0; i < count; ++i) {
    const Cmd c = random_cmd(b, i == 0 ? nullptr : &prev);
    b.push(b.make(c, special));
    prev = c;
  }
  b.run(knobs, 2'000'000);
  b.check_image();
}

TEST_F(TensorEngine, RandomBackToBack) {
  Bench b(kCfg, seed());
  random_sequence(b, 120, 0.05, Knobs{0.0, 0.0});
}

TEST_F(TensorEngine, RandomGapsAndBackPressure) {
  Bench b(kCfg, seed());
  random_sequence(b, 120, 0.05, Knobs{0.3, 0.4});
}

TEST_F(TensorEngine, RandomHeavyBackPressure) {
  Bench b(kCfg, seed());
  random_sequence(b, 40, 0.1, Knobs{0.05, 0.9});
}

TEST_F(TensorEngine, RandomCornerValues) {
  Bench b(kCfg, seed());
  random_sequence(b, 80, 0.6, Knobs{0.1, 0.2});
}

// ---- named corner cases ------------------------------------------------------------------------
// Every dtype, full-size and partial tiles, active elements drawn only from `values[dtype]`.
void corner(Bench& b, const std::vector<std::uint32_t>& i8, const std::vector<std::uint32_t>& bf16,
            const std::vector<std::uint32_t>& fp8) {
  Rng& r = b.rng();
  for (DType d : b.cfg().dtypes()) {
    const auto& vals = d == DType::kInt8 ? i8 : d == DType::kBf16 ? bf16 : fp8;
    for (int i = 0; i < 6; ++i) {
      Cmd c;
      c.dtype = d;
      c.k = i < 2 ? b.cfg().P : uniform(r, 1, b.cfg().P);
      c.pstart = uniform(r, 0, b.cfg().P - c.k);
      c.m = i < 2 ? b.cfg().C : uniform(r, 1, b.cfg().C);
      c.n = uniform(r, 1, 8);
      c.addr = 0;
      c.start = i % 3 == 0 || !b.ref().initialized(c);
      b.push(b.make_with(c, [&](DType) { return pick(r, vals); }));
    }
  }
  b.run(Knobs{0.1, 0.2}, 200'000);
  b.check_image();
}

TEST_F(TensorEngine, Zeros) {
  Bench b(kCfg, seed());
  corner(b, {0x00}, {0x0000, 0x8000}, {0x00, 0x80});
}

TEST_F(TensorEngine, Infinities) {
  Bench b(kCfg, seed());
  corner(b, {0x00, 0x01}, {0x7F80, 0xFF80, 0x3F80, 0xBF80, 0x0000, 0x7F7F}, {0x7E, 0xFE, 0x38, 0x00});
}

TEST_F(TensorEngine, NaN) {
  Bench b(kCfg, seed());
  corner(b, {0x7F, 0x80}, {0x7FC0, 0xFFFF, 0x7F81, 0x3F80, 0x0000, 0x7F80}, {0x7F, 0xFF, 0x38, 0x80});
}

TEST_F(TensorEngine, Denormals) {
  Bench b(kCfg, seed());
  corner(b, {0x01, 0xFF}, {0x0001, 0x807F, 0x0080, 0x8080, 0x3F80, 0x0040}, {0x01, 0x81, 0x07, 0x87, 0x08, 0x02});
}

TEST_F(TensorEngine, Int8Extremes) {
  Bench b(kCfg, seed());
  corner(b, {0x80, 0x7F, 0x80, 0x81}, {0x7F7F, 0xFF7F}, {0x7E, 0xFE});
}

TEST_F(TensorEngine, ProductsCancel) {  // large terms of opposite signs: cancellation, rounding
  Bench b(kCfg, seed());
  corner(b, {0x7F, 0x81}, {0x4B80, 0xCB80, 0x3F80, 0x3F81, 0xBF80, 0x3380}, {0x7E, 0xFE, 0x01, 0x81});
}

TEST_F(TensorEngine, KMN1) {
  Bench b(kCfg, seed());
  for (DType d : kCfg.dtypes()) {
    for (unsigned ps = 0; ps < kCfg.P; ++ps) {
      Cmd c;
      c.dtype = d;
      c.k = c.m = c.n = 1;
      c.pstart = ps;
      c.addr = ps;
      b.push(b.make(c, 0.2));
    }
  }
  b.run(Knobs{0.0, 0.0}, 100'000);
  b.check_image();
}

// Chains of N = 1 MATMULs into one address, back to back: every PSUM write reads the previous
// one (stage-2 forwarding in psum_accum), switching dtypes and stationary buffers each time.
TEST_F(TensorEngine, AccumulateChainN1) {
  Bench b(kCfg, seed());
  for (int i = 0; i < 40; ++i) {
    Cmd c;
    c.dtype = pick(b.rng(), kCfg.dtypes());
    c.k = uniform(b.rng(), 1, kCfg.P);
    c.pstart = uniform(b.rng(), 0, kCfg.P - c.k);
    c.m = kCfg.C;
    c.n = 1;
    c.addr = 3;
    c.start = i == 0;
    b.push(b.make(c, 0.02));
  }
  b.run(Knobs{0.0, 0.0}, 100'000);
  b.check_image();
}

// Back-to-back MATMULs where each one starts at the address the previous one ended on: the
// first beat of one and the last beat of the other reach the PSUM in consecutive cycles, so the
// read-modify-write must forward (psum_accum stage 2 -> stage 1).
TEST_F(TensorEngine, AccumulateBackToBackSameAddress) {
  Bench b(kCfg, seed());
  const unsigned n = std::min(kCfg.nmax, kCfg.P + 2 * kCfg.C + 4);  // long enough to hide the load
  for (int i = 0; i < 12; ++i) {
    Cmd c;
    c.dtype = pick(b.rng(), kCfg.dtypes());
    c.k = uniform(b.rng(), 1, kCfg.P);
    c.pstart = uniform(b.rng(), 0, kCfg.P - c.k);
    c.m = kCfg.C;
    c.n = n;
    c.addr = i % 2 == 0 ? 0 : n - 1;  // odd ones start on the word the even ones end on
    c.start = !b.ref().initialized(c);
    b.push(b.make(c, 0.02));
  }
  b.run(Knobs{0.0, 0.0}, 100'000);
  b.check_image();
}

// Rows outside [pstart, pstart + K) hold NaN/inf junk in both operands; they must pass the sum
// through (multiplying them by zero would give NaN or turn -0 into +0).
TEST_F(TensorEngine, InactiveRowsPassThrough) {
  Bench b(kCfg, seed());
  for (DType d : kCfg.dtypes()) {
    for (unsigned k = 1; k < kCfg.P; ++k) {
      Cmd c;
      c.dtype = d;
      c.k = k;
      c.pstart = uniform(b.rng(), 0, kCfg.P - k);
      c.m = kCfg.C;
      c.n = 2;
      c.addr = 8;
      c.start = true;
      Matmul mm = b.make_with(c, [](DType dt) { return dt == DType::kInt8 ? 0u : 0x8000u; });  // -0 products
      for (auto* beats : {&mm.stat, &mm.mov})
        for (auto& v : *beats)
          for (unsigned p = 0; p < kCfg.P; ++p)
            if (p < c.pstart || p >= c.pstart + c.k) v[p] = kCfg.bf16 ? 0x7FC0 : 0x7F;
      b.push(mm);
    }
  }
  b.run(Knobs{0.0, 0.0}, 100'000);
  b.check_image();
}

// Throughput: back-to-back MATMULs with N = Nmax, switching dtypes and stationary tiles, no
// back-pressure: the array takes a moving beat in at least 98% of the cycles from the first
// moving beat to the last output beat.
TEST_F(TensorEngine, ThroughputBackToBackNmax) {
  Bench b(kCfg, seed());
  const unsigned count = 6;
  for (unsigned i = 0; i < count; ++i) {
    Cmd c;
    c.dtype = kCfg.dtypes()[i % kCfg.dtypes().size()];
    c.k = kCfg.P;
    c.m = kCfg.C;
    c.n = kCfg.nmax;
    c.addr = 0;
    c.start = i == 0 || c.dtype != kCfg.dtypes()[(i - 1) % kCfg.dtypes().size()];
    b.push(b.make(c, 0.0));
  }
  const RunStats st = b.run(Knobs{0.0, 0.0}, 1'000'000);
  b.check_image();
  const std::uint64_t span = st.last_out - st.first_mov + 1;
  const double busy = static_cast<double>(st.mov_beats) / static_cast<double>(span);
  std::printf("[%s] throughput: %llu moving beats in %llu cycles (first input to last output): %.2f%% busy\n",
              kCfg.name, static_cast<unsigned long long>(st.mov_beats), static_cast<unsigned long long>(span),
              100.0 * busy);
  EXPECT_EQ(st.mov_beats, std::uint64_t{count} * kCfg.nmax);
  EXPECT_GE(busy, 0.98);
}

// Not a test: simulation speed per dtype, cycles/s single thread (docs/performance.md). Run with
// --gtest_also_run_disabled_tests --gtest_filter='*Speed*'; SYSTOLE_SPEED_CYCLES (default 200000);
// SYSTOLE_SPEED_DTYPES (for example "bf16" or "int8,fp8"; default all enabled dtypes) restricts
// the run, e.g. for a per-dtype cachegrind count.
TEST_F(TensorEngine, DISABLED_SpeedBenchmark) {
  const char* t = std::getenv("SYSTOLE_SPEED_CYCLES");
  const std::uint64_t cycles = (t != nullptr && *t != '\0') ? std::strtoull(t, nullptr, 0) : 200000;
  const char* only = std::getenv("SYSTOLE_SPEED_DTYPES");
  const std::string sel = (only != nullptr) ? std::string(",") + only + "," : std::string();
  for (DType d : kCfg.dtypes()) {
    if (!sel.empty() && sel != ",," && sel.find(std::string(",") + dtype_name(d) + ",") == std::string::npos) continue;
    measure_speed<Model>(kCfg, d, cycles);
  }
}

}  // namespace
}  // namespace systole::verif::tensor
