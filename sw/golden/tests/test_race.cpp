// Race checker: racy programs are reported with both instructions, synchronized ones are not.
#include <gtest/gtest.h>

#include "systole/golden/builder.hpp"
#include "systole/golden/machine.hpp"
#include "systole/golden/race_checker.hpp"

using namespace systole::golden;

namespace {

struct Checked {
  RunResult result;
  std::vector<Race> races;
};

Checked check(ProgramBuilder& b) {
  const Config cfg = Config::standard();
  Machine m(cfg, 1 << 20);
  m.windows()[0] = Window{0, (1u << 20) - 1, true, true, true};
  RaceChecker rc(cfg);
  m.set_race_checker(&rc);
  b.end();
  Checked r{m.run_program(b.finish(), 0x80000), {}};
  r.races = rc.races();
  EXPECT_TRUE(r.result.done) << r.result.detail;
  return r;
}

const Tap kA = tap(Space::kSbuf, DType::kFp32, 0, 4, 0x100, {{16, 1}});
const Tap kB = tap(Space::kSbuf, DType::kFp32, 0, 4, 0x200, {{16, 1}});
const Dap kDramA = dram(DType::kFp32, 0x1000, {{16, 1}, {4, 16}});
const Dap kSbufA = onchip(Space::kSbuf, DType::kFp32, 0, 4, 0x100, {{16, 1}});

}  // namespace

TEST(RaceChecker, UnsynchronizedReadAfterDmaWriteIsReported) {
  ProgramBuilder b(Config::standard());
  b.dma(0, kSbufA, kDramA);  // writes A
  b.copy(kB, kA);            // VEC reads A: no wait
  const Checked r = check(b);
  ASSERT_EQ(r.races.size(), 1u);
  const Race& x = r.races[0];
  EXPECT_EQ(x.kind, Race::Kind::kCrossEngine);
  EXPECT_EQ(x.first_index, 0u);
  EXPECT_EQ(x.second_index, 1u);
  EXPECT_TRUE(x.first_write);
  EXPECT_FALSE(x.second_write);
  EXPECT_EQ(x.space, Space::kSbuf);
  EXPECT_NE(x.describe().find("instruction 0 (DMA0, write) and instruction 1 (VEC, read)"), std::string::npos)
      << x.describe();
}

TEST(RaceChecker, SemaphoreOrderedProgramIsClean) {
  ProgramBuilder b(Config::standard());
  const auto s = b.semaphore("loaded");
  b.dma(0, kSbufA, kDramA, b.signal(s));
  b.copy(kB, kA, b.after(s));
  EXPECT_TRUE(check(b).races.empty());
}

TEST(RaceChecker, WriteAfterReadWithoutWaitIsReported) {
  ProgramBuilder b(Config::standard());
  const auto s = b.semaphore("s");
  b.dma(0, kSbufA, kDramA, b.signal(s));
  b.copy(kB, kA, b.after(s));  // VEC reads A
  b.dma(0, kSbufA, kDramA);    // DMA0 overwrites A without waiting for the read
  const Checked r = check(b);
  ASSERT_EQ(r.races.size(), 1u);
  EXPECT_EQ(r.races[0].first_index, 1u);
  EXPECT_FALSE(r.races[0].first_write);
  EXPECT_EQ(r.races[0].second_index, 2u);
}

TEST(RaceChecker, TwoQueuesWritingTheSameDramBytes) {
  ProgramBuilder b(Config::standard());
  b.dma(0, kDramA, kSbufA);
  b.dma(1, dram(DType::kFp32, 0x1000 + 4 * 60, {{4, 1}}), onchip(Space::kSbuf, DType::kFp32, 5, 1, 0, {{4, 1}}));
  const Checked r = check(b);
  ASSERT_EQ(r.races.size(), 1u);
  EXPECT_TRUE(r.races[0].first_write && r.races[0].second_write);
  EXPECT_EQ(r.races[0].space, Space::kDram);
  EXPECT_EQ(r.races[0].byte, 0x1000u + 4 * 60);
}

TEST(RaceChecker, OrderingIsTransitiveThroughSemaphoreChains) {
  ProgramBuilder b(Config::standard());
  const auto s1 = b.semaphore("s1"), s2 = b.semaphore("s2");
  b.dma(0, kSbufA, kDramA, b.signal(s1));           // A
  b.nop(engine::kVec, b.after(s1).and_signal(s2));  // B: waits for A, signals
  b.dma(1, kDramA, kSbufA, b.after(s2));            // C: ordered after A through B
  EXPECT_TRUE(check(b).races.empty());
}

TEST(RaceChecker, WaitingForTooFewSignalsIsReported) {
  ProgramBuilder b(Config::standard());
  const auto s = b.semaphore("s");
  b.dma(0, onchip(Space::kSbuf, DType::kFp32, 0, 4, 0x400, {{16, 1}}), kDramA, b.signal(s));  // unrelated load
  b.dma(1, kSbufA, kDramA, b.signal(s));                                                      // the load the copy needs
  b.copy(kB, kA, b.wait(s, 1));  // waits for one signal only
  const Checked r = check(b);
  // The race on A, and the wait itself: either queue's signal can satisfy it.
  ASSERT_EQ(r.races.size(), 2u);
  EXPECT_EQ(r.races[0].kind, Race::Kind::kCrossEngine);
  EXPECT_EQ(r.races[0].first_index, 1u);
  EXPECT_EQ(r.races[0].second_index, 2u);
  EXPECT_EQ(r.races[1].kind, Race::Kind::kAmbiguousWait);
  EXPECT_EQ(r.races[1].wait_index, 2u);
}

TEST(RaceChecker, SameEngineIsOrderedByProgramOrder) {
  ProgramBuilder b(Config::standard());
  b.copy(kA, kB);
  b.copy(kB, kA);
  const Dap other = onchip(Space::kSbuf, DType::kFp32, 0, 4, 0x800, {{16, 1}});
  b.dma(2, other, kDramA);
  b.dma(2, kDramA, other);
  EXPECT_TRUE(check(b).races.empty());
}

TEST(RaceChecker, SelfOverlapInsideOneInstruction) {
  {  // In place with identical patterns is allowed.
    ProgramBuilder b(Config::standard());
    b.copy(kA, kA);
    EXPECT_TRUE(check(b).races.empty());
  }
  {  // A reduction in place: an identical pattern reduces groups of one element (kept dims only).
    ProgramBuilder b(Config::standard());
    const Tap t = tap(Space::kSbuf, DType::kFp32, 0, 4, 0x100, {{1, 0}, {16, 1}});
    b.tensor_reduce(AluOp::kMax, 1, t, t);
    EXPECT_TRUE(check(b).races.empty());
  }
  {  // A reduction whose out overlaps its in without being identical depends on element order.
    ProgramBuilder b(Config::standard());
    b.tensor_reduce(AluOp::kAdd, 1, tap(Space::kSbuf, DType::kFp32, 0, 4, 0x100, {{4, 1}}),
                    tap(Space::kSbuf, DType::kFp32, 0, 4, 0x100, {{4, 1}, {4, 4}}));
    const Checked r = check(b);
    ASSERT_EQ(r.races.size(), 1u);
    EXPECT_EQ(r.races[0].kind, Race::Kind::kSelfOverlap);
  }
  {  // A shifted copy onto itself depends on element order.
    ProgramBuilder b(Config::standard());
    b.copy(tap(Space::kSbuf, DType::kFp32, 0, 4, 0x104, {{16, 1}}), kA);
    const Checked r = check(b);
    ASSERT_EQ(r.races.size(), 1u);
    EXPECT_EQ(r.races[0].kind, Race::Kind::kSelfOverlap);
    EXPECT_EQ(r.races[0].second_index, 0u);
  }
  {  // In place, but the pattern names each byte twice (a zero stride): undefined.
    ProgramBuilder b(Config::standard());
    const Tap twice = tap(Space::kSbuf, DType::kFp32, 0, 4, 0x100, {{2, 0}, {8, 1}});
    b.copy(twice, twice);
    const Checked r = check(b);
    ASSERT_EQ(r.races.size(), 1u);
    EXPECT_EQ(r.races[0].kind, Race::Kind::kInPlaceRepeat);
    EXPECT_EQ(r.races[0].byte, 0x100u);
    EXPECT_NE(r.races[0].describe().find("more than once"), std::string::npos) << r.races[0].describe();
  }
  {  // In place with a negative stride names each byte once: allowed.
    ProgramBuilder b(Config::standard());
    const Tap back = tap(Space::kSbuf, DType::kFp32, 0, 4, 0x13C, {{16, -1}});
    b.copy(back, back);
    EXPECT_TRUE(check(b).races.empty());
  }
  {  // DMA whose source and destination overlap.
    ProgramBuilder b(Config::standard());
    b.dma(0, dram(DType::kFp32, 0x1010, {{16, 1}}), dram(DType::kFp32, 0x1000, {{16, 1}}));
    const Checked r = check(b);
    ASSERT_EQ(r.races.size(), 1u);
    EXPECT_EQ(r.races[0].kind, Race::Kind::kSelfOverlap);
    EXPECT_EQ(r.races[0].space, Space::kDram);
  }
}

// A counting semaphore shared by two DMA queues: a wait for the first signal can be satisfied by
// either queue, so relying on queue 0's data is a race the golden order alone would not show.
TEST(RaceChecker, WaitAnOtherQueueCanSatisfyIsAmbiguous) {
  ProgramBuilder b(Config::standard());
  const auto s = b.semaphore("shared");
  b.dma(0, kSbufA, kDramA, b.signal(s));  // the data the copy needs
  const Deps first = b.after(s);          // s >= 1: meant for queue 0's DMA
  b.dma(1, onchip(Space::kSbuf, DType::kFp32, 0, 4, 0x300, {{16, 1}}), kDramA, b.signal(s));
  b.copy(kB, kA, first);
  const Checked r = check(b);
  ASSERT_EQ(r.races.size(), 1u);
  const Race& x = r.races[0];
  EXPECT_EQ(x.kind, Race::Kind::kAmbiguousWait);
  EXPECT_EQ(x.wait_index, 2u);
  EXPECT_EQ(x.first_index, 0u);
  EXPECT_EQ(x.second_index, 1u);
  EXPECT_NE(x.describe().find("waits for semaphore"), std::string::npos) << x.describe();
  // Waiting for both signals, or ordering the second after the first, is unambiguous.
  ProgramBuilder all(Config::standard());
  const auto t = all.semaphore("shared");
  all.dma(0, kSbufA, kDramA, all.signal(t));
  all.dma(1, onchip(Space::kSbuf, DType::kFp32, 0, 4, 0x300, {{16, 1}}), kDramA, all.signal(t));
  all.copy(kB, kA, all.after(t));
  EXPECT_TRUE(check(all).races.empty());
  ProgramBuilder ordered(Config::standard());
  const auto u = ordered.semaphore("shared");
  ordered.dma(0, kSbufA, kDramA, ordered.signal(u));
  const Deps one = ordered.after(u);
  ordered.dma(1, onchip(Space::kSbuf, DType::kFp32, 0, 4, 0x300, {{16, 1}}), kDramA, one.and_signal(u));
  ordered.copy(kB, kA, one);
  EXPECT_TRUE(check(ordered).races.empty());
}
