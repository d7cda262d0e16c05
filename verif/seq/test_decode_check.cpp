// Block tests of decode_check (rtl/seq/decode_check.sv) on one Verilated configuration: the
// error code (and, when it is 0, the engine) of every instruction equals the golden model's
// decode() + validate(), for named corner cases and for random instructions under random valid
// gaps and out_ready back-pressure.
// Built once per model: CMakeLists.txt links it (SYSTOLE_MODEL, SYSTOLE_MODEL_HEADER,
// SYSTOLE_MODEL_CONFIG); the configuration is read at run time (model_config()). The model is
// built with HasVector = 0 and checked against golden with the vector engine absent, or, with
// SYSTOLE_DECODE_VECTOR=1 (test_decode_check_vec_<cfg>), with HasVector = 1 and the engine present.
//
//   SYSTOLE_SEED   base seed (default: random); every failure prints the replay command
//   SYSTOLE_TRACE  FST file to record
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include SYSTOLE_MODEL_HEADER
#include "decode_bench.hpp"
#include "decode_corners.hpp"
#include "decode_corners_vec.hpp"
#include "decode_gen.hpp"
#include "model_config.hpp"
#include "systole/golden/builder.hpp"
#include "test_seed.hpp"

namespace systole::verif::seq {
namespace {

using Model = SYSTOLE_MODEL;
using Bench = DecodeBench<Model>;
using golden::ErrorCode;

#if defined(SYSTOLE_DECODE_VECTOR) && SYSTOLE_DECODE_VECTOR
constexpr bool kVector = true;  // the model has HasVector = 1
#else
constexpr bool kVector = false;
#endif
// The label of the results printed.
const std::string kLabel = fmt::format("{}{}", SYSTOLE_MODEL_CONFIG, kVector ? " vec" : "");

golden::Config config() {
  golden::Config c = model_config();
  c.vector_engine = kVector;
  return c;
}

constexpr std::uint32_t kVectorOps[] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27};
bool is_vector_op(std::uint32_t op) { return op >= 0x20 && op <= 0x27; }

class DecodeCheck : public ::testing::Test {
 protected:
  std::uint64_t seed() const { return test_seed(); }
  void TearDown() override {
    if (HasFailure()) ADD_FAILURE() << replay_command(SYSTOLE_MODEL_CONFIG);
  }

  // Runs `n` items from `make` in batches, each batch under different back-pressure; prints the
  // result histogram.
  Histogram run_random(unsigned n, const std::function<Item(InsnGen&)>& make) {
    Bench b(config(), seed());
    InsnGen g(b.cfg(), b.rng());
    const Pressure pressures[] = {{30, 3, 70}, {0, 1, 100}, {60, 6, 20}, {10, 2, 90}};
    unsigned done = 0, batch = 0, bad = 0;
    while (done < n && bad == 0) {
      const unsigned count = std::min(n - done, 1000u);
      std::vector<Item> items;
      items.reserve(count);
      for (unsigned i = 0; i < count; ++i) items.push_back(make(g));
      bad += b.run(items, pressures[batch++ % 4]);
      done += count;
    }
    if (bad == 0) {
      EXPECT_EQ(b.checked(), n);
    }
    std::printf("[%s] %llu instructions: %s\n", kLabel.c_str(), static_cast<unsigned long long>(b.checked()),
                histogram_text(b.histogram()).c_str());
    return b.histogram();
  }
};

TEST_F(DecodeCheck, NamedCorners) {
  const golden::Config cfg = config();
  std::vector<Corner> corners = Corners(cfg).build();
  const std::vector<Corner> vec = VecCorners(cfg).build();
  corners.insert(corners.end(), vec.begin(), vec.end());
  std::vector<Item> items;
  Histogram want_codes{};
  std::map<std::uint32_t, Histogram> per_op;  // vector opcode -> wanted codes
  for (const Corner& c : corners) {
    const golden::Fault f = golden_check(c.item, cfg);
    EXPECT_EQ(static_cast<int>(f.code), static_cast<int>(c.want))
        << "corner " << c.name << ": the golden model says " << golden::error_name(f.code) << " (" << f.detail << ")";
    want_codes[static_cast<std::size_t>(c.want)]++;
    const std::uint32_t op = c.item.words[0] & 0xFFu;
    if (is_vector_op(op) && ((c.item.words[0] >> 8) & 0xFu) == golden::engine::kVec) {
      per_op[op][static_cast<std::size_t>(c.want)]++;
    }
    items.push_back(c.item);
  }
  // Every static code reachable from NOP, END, MATMUL and DMA is named at least once; with the
  // vector engine, every code 0..4 of every vector opcode (IOTA has no shape to mismatch).
  for (int code = 0; code <= 5; ++code) EXPECT_GT(want_codes[code], 0u) << "no corner case for code " << code;
  for (std::uint32_t op : kVectorOps) {
    for (int code = 0; code <= 4; ++code) {
      const bool reachable = kVector ? !(op == 0x24 && code == 3) : code == 1;
      if (reachable) {
        EXPECT_GT(per_op[op][code], 0u) << fmt::format("no corner case for opcode 0x{:02x} code {}", op, code);
      }
    }
  }
  // Twice: once back to back with a consumer that is always ready, once under pressure.
  Bench b(cfg, seed());
  EXPECT_EQ(b.run(items, Pressure{0, 1, 100}), 0u);
  EXPECT_EQ(b.run(items, Pressure{50, 4, 40}), 0u);
  std::printf("[%s] %zu named corner cases (%zu of vector instructions): %s\n", kLabel.c_str(), corners.size(),
              vec.size(), histogram_text(want_codes).c_str());
}

// (a) Valid-looking instructions with their fields around the limits.
TEST_F(DecodeCheck, RandomValidLooking) {
  const Histogram h = run_random(30000, [](InsnGen& g) { return g.valid_looking(); });
  // The generator must reach every outcome often enough to mean something.
  for (int code = 0; code <= 5; ++code) EXPECT_GT(h[code], 30000u / 100) << "code " << code << " is rare";
}

// (b) The same with one bit flipped, every word in turn.
TEST_F(DecodeCheck, RandomBitFlips) {
  const Histogram h = run_random(20000, [](InsnGen& g) { return g.bit_flip(); });
  for (int code = 0; code <= 5; ++code) EXPECT_GT(h[code], 0u) << "code " << code << " never seen";
}

// (c) Random words under a plausible opcode.
TEST_F(DecodeCheck, RandomWords) {
  run_random(10000, [](InsnGen& g) { return g.random_words(); });
}

// (d) Vector instructions only: with the vector engine every opcode reaches each of its codes
// often enough; without it every one is ILLEGAL_INSTRUCTION.
TEST_F(DecodeCheck, RandomVectorOps) {
  const golden::Config cfg = config();
  std::map<std::uint32_t, Histogram> per_op;
  const Histogram h = run_random(12000, [&](InsnGen& g) {
    const Item it = g.vector_looking();
    per_op[it.words[0] & 0xFFu][static_cast<std::size_t>(golden_check(it, cfg).code)]++;
    return it;
  });
  for (std::uint32_t op : kVectorOps) {
    std::printf("[%s]   opcode 0x%02x: %s\n", kLabel.c_str(), op, histogram_text(per_op[op]).c_str());
    for (int code = 0; code <= 4; ++code) {
      const bool reachable = kVector ? !(op == 0x24 && code == 3) : code == 1;
      if (reachable) {
        EXPECT_GT(per_op[op][code], 12000u / 8 / 100) << fmt::format("opcode 0x{:02x}: code {} is rare", op, code);
      } else {
        EXPECT_EQ(per_op[op][code], 0u) << fmt::format("opcode 0x{:02x}: code {} where none is possible", op, code);
      }
    }
  }
  if (!kVector) {
    EXPECT_EQ(h[1], 12000u);
  }
}

// Latency (in_valid to out_valid) and back-to-back throughput, as the module header states.
TEST_F(DecodeCheck, LatencyAndThroughput) {
  const golden::Config cfg = config();
  Bench b(cfg, seed());
  auto& sim = b.sim();
  Model& m = *sim;
  struct Case {
    const char* name;
    golden::Instruction insn;
    unsigned latency;
  };
  golden::Instruction nop;
  golden::Instruction mm;
  mm.engine = golden::engine::kTensor;
  mm.op = golden::Matmul{golden::tap(golden::Space::kPsum, golden::DType::kInt32, 0, 1, 0, {{1, 1}}),
                         golden::tap(golden::Space::kSbuf, golden::DType::kInt8, 0, 1, 0, {{1, 1}}),
                         golden::tap(golden::Space::kSbuf, golden::DType::kInt8, 0, 1, 0, {{1, 1}}), true};
  golden::Instruction dma;
  dma.engine = golden::engine::dma(0);
  dma.op = golden::Dma{golden::onchip(golden::Space::kSbuf, golden::DType::kInt8, 0, 1, 0, {{1, 1}}),
                       golden::onchip(golden::Space::kSbuf, golden::DType::kInt8, 0, 1, 8, {{1, 1}})};
  golden::Instruction bad;  // on engine SEQ: ILLEGAL_INSTRUCTION
  bad.op = golden::Iota{};
  golden::Instruction iota;
  iota.engine = golden::engine::kVec;
  iota.op = golden::Iota{golden::tap(golden::Space::kSbuf, golden::DType::kInt32, 0, 1, 0, {{4, 1}})};
  const unsigned vec = kVector ? 4 : 1;
  for (const Case& c : {Case{"NOP", nop, 1}, Case{"MATMUL", mm, 4}, Case{"DMA", dma, 5},
                        Case{"vector on SEQ", bad, vec}, Case{"IOTA", iota, vec}}) {
    Item it{golden::encode(c.insn), {}, c.name};
    b.drive(it);
    m.out_ready_i = 1;
    m.in_valid_i = 1;
    unsigned cycles = 0, accepted = 0, results = 0, first = 0;
    const unsigned kInsns = 8;
    while (results < kInsns && cycles < 200) {
      m.in_valid_i = accepted < kInsns;
      sim.eval();
      const bool fire = m.in_valid_i && m.in_ready_o;
      if (m.out_valid_o) {
        if (results == 0) first = cycles;
        ++results;
      }
      sim.tick();
      ++cycles;
      accepted += fire ? 1 : 0;
    }
    m.in_valid_i = 0;
    sim.eval();
    sim.tick();
    EXPECT_EQ(first, c.latency) << c.name << ": cycles from in_valid to out_valid";
    const unsigned period = std::max(c.latency, 2u);
    EXPECT_EQ(cycles, first + 1 + (kInsns - 1) * period) << c.name << ": " << kInsns << " back to back";
  }
}

}  // namespace
}  // namespace systole::verif::seq
