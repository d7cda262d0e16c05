// dispatch_order_violations: waits on later signals are found; the rule is what keeps a program
// alive with full queues (a violating program does deadlock at queue depth 1).
#include <gtest/gtest.h>

#include "systole/driver/program_check.hpp"
#include "systole/driver/timing_model.hpp"  // a deadlocking program is flagged
#include "systole/golden/builder.hpp"

using namespace systole;
using namespace systole::golden;

namespace {
const Dap kDram = dram(DType::kFp32, 0x1000, {{16, 1}});
const Dap kSbuf = onchip(Space::kSbuf, DType::kFp32, 0, 1, 0, {{16, 1}});
}  // namespace

TEST(ProgramCheck, WaitsOnEarlierSignalsAreFine) {
  ProgramBuilder b(Config::standard());
  const auto s = b.semaphore("s");
  b.dma(0, kSbuf, kDram, b.signal(s));
  b.dma(1, kDram, kSbuf, b.after(s));
  b.end(b.after(s));
  EXPECT_TRUE(driver::dispatch_order_violations(b.instructions()).empty());
}

TEST(ProgramCheck, AWaitOnALaterSignalIsReported) {
  ProgramBuilder b(Config::standard());
  const auto s = b.semaphore("s");
  b.dma(0, kDram, kSbuf, b.wait(s, 1));  // needs the DMA below
  b.dma(0, kSbuf, kDram, b.signal(s));
  b.end();
  const auto v = driver::dispatch_order_violations(b.instructions());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].index, 0u);
  EXPECT_EQ(v[0].wait_value, 1u);
  EXPECT_EQ(v[0].signals_before, 0u);
  EXPECT_NE(v[0].describe().find("can deadlock"), std::string::npos);
  EXPECT_TRUE(driver::estimate_program(Config::standard(), b.instructions()).deadlock);
}

TEST(ProgramCheck, SignalsAfterEndDoNotCount) {
  ProgramBuilder b(Config::standard());
  const auto s = b.semaphore("s");
  b.nop(engine::kTensor, b.wait(s, 1));
  b.end();
  b.nop(engine::kTensor, b.signal(s));  // never dispatched
  EXPECT_EQ(driver::dispatch_order_violations(b.instructions()).size(), 1u);
}
