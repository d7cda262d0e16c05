// Collectives on the golden multi-chip system: every chip's output bit-exact with the host
// reference in the documented order, within the float64 bound, with no race across chips.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "systole/collectives/collective.hpp"

using namespace systole;
using namespace systole::collectives;
using golden::DType;

namespace {

std::string name(const Spec& s) {
  return fmt::format("{} N={} count={} {} {}{}{}", kind_name(s.kind), s.chips, s.count, golden::dtype_name(s.dtype),
                     redop_name(s.op), s.in_place ? " in-place" : "", s.both_directions ? "" : " one-direction");
}

// The collective on a fresh golden multi-chip device.
RunOutcome run_on_golden(const Spec& s, const golden::Config& cfg, const Buffers& in) {
  driver::DeviceOptions o;
  o.dram_bytes = dram_bytes_needed(s, cfg);
  auto dev = driver::make_multi_device("golden", cfg.name, s.chips, o);
  return collectives::run(*dev, s, in);
}

void expect_match(const Spec& s, const golden::Config& cfg, std::uint64_t seed) {
  SCOPED_TRACE(name(s));
  const Buffers in = random_inputs(s, seed);
  const RunOutcome run = run_on_golden(s, cfg, in);
  ASSERT_TRUE(run.races.empty()) << run.races.front();
  const Buffers want = reference(s, in, 0xA5);
  for (std::uint32_t c = 0; c < s.chips; ++c) {
    ASSERT_EQ(run.outputs[c], want[c]) << "chip " << c << " differs from the reference";
  }
  const Accuracy a = check_accuracy(s, in, run.outputs);
  EXPECT_EQ(a.violations, 0u) << "max error " << a.max_abs_error << " > bound " << a.max_allowed;
  if (s.chips > 1 && s.count > 0 && s.kind != Kind::kSendRecv && s.kind != Kind::kBroadcast) {
    EXPECT_GE(run.link_tx_bytes, link_bytes_per_chip(s) * s.chips / 2);  // the data really crossed links
  }
}

}  // namespace

TEST(Collectives, AllReduceAcrossChipCountsAndSizes) {
  const golden::Config cfg = golden::Config::fpga();
  const std::uint64_t tile = std::uint64_t{cfg.partitions} * plan(Spec{}, cfg).tile_width;
  std::uint64_t seed = 1;
  for (std::uint32_t n : {1u, 2u, 3u, 4u, 8u, 16u}) {
    for (std::uint64_t count : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{13}, 4 * tile * n + 7}) {
      Spec s;
      s.kind = Kind::kAllReduce;
      s.chips = n;
      s.count = count;
      expect_match(s, cfg, seed++);
    }
  }
}

TEST(Collectives, AllReduceDtypesOpsAndInPlace) {
  const golden::Config cfg = golden::Config::fpga();
  std::uint64_t seed = 100;
  for (DType t : {DType::kFp32, DType::kBf16, DType::kInt32}) {
    for (RedOp op : {RedOp::kSum, RedOp::kMax, RedOp::kMin}) {
      for (bool in_place : {false, true}) {
        Spec s;
        s.chips = 4;
        s.count = 2 * 8 * 160 + 101;  // a few tiles per chunk, not divisible by N
        s.dtype = t;
        s.op = op;
        s.in_place = in_place;
        s.both_directions = !in_place;  // one-direction rings too
        expect_match(s, cfg, seed++);
      }
    }
  }
}

TEST(Collectives, ReduceScatterAllGatherBroadcast) {
  const golden::Config cfg = golden::Config::fpga();
  std::uint64_t seed = 200;
  for (Kind k : {Kind::kReduceScatter, Kind::kAllGather, Kind::kBroadcast}) {
    for (std::uint32_t n : {2u, 3u, 5u, 8u}) {
      for (std::uint64_t count : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{97}, std::uint64_t{3001}}) {
        for (bool in_place : {false, true}) {
          Spec s;
          s.kind = k;
          s.chips = n;
          s.count = count;
          s.in_place = in_place;
          s.root = n - 1;
          s.dtype = k == Kind::kAllGather ? DType::kBf16 : DType::kFp32;
          expect_match(s, cfg, seed++);
        }
      }
    }
  }
}

TEST(Collectives, AllToAllAndSendRecv) {
  const golden::Config cfg = golden::Config::fpga();
  std::uint64_t seed = 300;
  for (std::uint32_t n : {2u, 3u, 4u, 16u}) {
    for (std::uint64_t count : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{4099}}) {
      Spec a;
      a.kind = Kind::kAllToAll;
      a.chips = n;
      a.count = count;
      a.dtype = DType::kInt32;
      expect_match(a, cfg, seed++);
      Spec p = a;
      p.kind = Kind::kSendRecv;
      p.root = n - 1;
      p.peer = 0;
      expect_match(p, cfg, seed++);
    }
  }
}

// Several MiB per chip (1.5 MiB of fp32 on 4 chips), on the default configuration's tiles.
TEST(Collectives, AllReduceSeveralMiB) {
  Spec s;
  s.chips = 4;
  s.count = 3 * 131072 + 3;
  expect_match(s, golden::Config::standard(), 400);
}

// The order is the documented one: a chunk's sum starts at its first chip and adds the next
// chips' elements in ring order. With one element on 3 chips the element is chunk 2's, which
// starts at chip 2 going clockwise: (x2 + x0) + x1 = (2^24 + 1) + 1 rounds to 2^24 twice.
TEST(Collectives, ReductionOrderIsTheDocumentedOne) {
  Spec s;
  s.chips = 3;
  s.count = 1;
  const auto f32 = [](float f) {
    std::vector<std::uint8_t> b(4);
    std::memcpy(b.data(), &f, 4);
    return b;
  };
  const Buffers in = {f32(1.0f), f32(1.0f), f32(16777216.0f)};
  const golden::Config cfg = golden::Config::fpga();
  const RunOutcome run = run_on_golden(s, cfg, in);
  for (const auto& out : run.outputs) EXPECT_EQ(out, f32(16777216.0f));
  EXPECT_EQ(reference(s, in, 0), run.outputs);
}

TEST(Collectives, BadSpecsAreRefusedWithAReason) {
  const golden::Config cfg = golden::Config::fpga();
  auto refused = [&](Spec s, const char* why) {
    try {
      plan(s, cfg);
      ADD_FAILURE() << "accepted: " << why;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  };
  Spec s;
  s.chips = 0;
  refused(s, "chips = 0");
  s = Spec{};
  s.dtype = DType::kInt8;
  refused(s, "collectives move fp32, bf16 or int32");
  s = Spec{};
  s.kind = Kind::kBroadcast;
  s.root = 2;
  refused(s, "root = 2");
  s = Spec{};
  s.kind = Kind::kSendRecv;
  s.peer = 0;
  refused(s, "other than the root");
  s = Spec{};
  s.kind = Kind::kAllToAll;
  s.in_place = true;
  refused(s, "alltoall in place");
  s = Spec{};
  try {
    plan(s, golden::Config::tiny());
    ADD_FAILURE() << "tiny has no vector engine";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("lacks"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_kind("allreduse"), std::invalid_argument);
  EXPECT_EQ(parse_kind("reducescatter"), Kind::kReduceScatter);
  EXPECT_EQ(parse_redop("max"), RedOp::kMax);
}

TEST(Collectives, DirectAndRecursiveDoublingAllReduce) {
  const golden::Config cfg = golden::Config::fpga();
  std::uint64_t seed = 500;
  for (Algorithm algo : {Algorithm::kDirect, Algorithm::kRecursiveDoubling}) {
    for (std::uint32_t n : {1u, 2u, 3u, 4u, 7u, 8u, 16u}) {
      if (algo == Algorithm::kRecursiveDoubling && (n & (n - 1)) != 0) continue;
      for (std::uint64_t count : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{5}, std::uint64_t{3 * 1280 + 9}}) {
        Spec s;
        s.chips = n;
        s.count = count;
        s.algorithm = algo;
        s.dtype = seed % 3 == 0 ? DType::kBf16 : seed % 3 == 1 ? DType::kInt32 : DType::kFp32;
        s.op = seed % 4 == 0 ? RedOp::kMax : RedOp::kSum;
        s.in_place = seed % 2 == 0;
        expect_match(s, cfg, seed++);
      }
    }
  }
}

// The algorithms' orders differ where rounding shows: x = (2^24, 1, 1, 1) on 4 chips. Recursive
// doubling computes (x0 + x1) + (x2 + x3) = 2^24 + 2; direct ((x0 + x1) + x2) + x3 = 2^24.
TEST(Collectives, EachAlgorithmReducesInItsDocumentedOrder) {
  const auto f32 = [](float f) {
    std::vector<std::uint8_t> b(4);
    std::memcpy(b.data(), &f, 4);
    return b;
  };
  const Buffers in = {f32(16777216.0f), f32(1.0f), f32(1.0f), f32(1.0f)};
  const golden::Config cfg = golden::Config::fpga();
  for (auto [algo, want] :
       {std::pair{Algorithm::kRecursiveDoubling, 16777218.0f}, std::pair{Algorithm::kDirect, 16777216.0f}}) {
    Spec s;
    s.chips = 4;
    s.count = 1;
    s.algorithm = algo;
    const RunOutcome run = run_on_golden(s, cfg, in);
    for (const auto& out : run.outputs) EXPECT_EQ(out, f32(want)) << algorithm_name(algo);
    EXPECT_EQ(reference(s, in, 0), run.outputs);
  }
  // kAuto: recursive doubling for small buffers on a power of two chips, else the ring.
  Spec s;
  s.chips = 8;
  s.count = 1024;  // 4 KiB of fp32
  EXPECT_EQ(resolved_algorithm(s), Algorithm::kRecursiveDoubling);
  s.count = 1025;
  EXPECT_EQ(resolved_algorithm(s), Algorithm::kRing);
  s.count = 16;
  s.chips = 6;
  EXPECT_EQ(resolved_algorithm(s), Algorithm::kRing);
  s.algorithm = Algorithm::kRecursiveDoubling;
  EXPECT_THROW(plan(s, cfg), std::invalid_argument);  // 6 is not a power of two
}
