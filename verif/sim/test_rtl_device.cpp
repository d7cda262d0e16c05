// RtlDevice, the driver's "rtl" backend, through the driver API on every configuration with a
// chip model: the factory after register_rtl_backend(), the configuration read from the CFG_*
// registers, DRAM through the backdoor, a program run end to end with its counters, error stops
// decoded into DeviceError, the cycle limit giving DeviceTimeout (and the device usable again
// after it), and an FST trace.
// Corner cases, by name: FactoryBuildsRtl, LargeHasNoModel, DramRoundTrip, EndProgramCounters,
// ProtectionErrorStop, CycleLimitTimesOut, TraceWritesFst, TraceWindowKeepsTheFileSmall.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "systole/driver/backend_registry.hpp"
#include "systole/golden/builder.hpp"
#include "systole/sim/rtl_device.hpp"
#include "test_seed.hpp"

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

using golden::DType;

class RtlDeviceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { register_rtl_backend(); }
  std::unique_ptr<driver::Device> make(std::uint64_t dram = 4u << 20) {
    return driver::make_device("rtl", GetParam(), driver::device_options(dram, false));
  }
};

TEST_P(RtlDeviceTest, FactoryBuildsRtl) {
  EXPECT_TRUE(driver::backend_available("rtl"));
  const auto dev = make();
  EXPECT_EQ(dev->backend_name(), "rtl");
  golden::Config want = golden::Config::by_name(GetParam());
  const golden::Config& got = dev->config();
  EXPECT_EQ(got.name, GetParam());
  EXPECT_EQ(got.partitions, want.partitions);
  EXPECT_EQ(got.columns, want.columns);
  EXPECT_EQ(got.nmax, want.nmax);
  EXPECT_EQ(got.sbuf_bytes, want.sbuf_bytes);
  EXPECT_EQ(got.psum_bytes, want.psum_bytes);
  EXPECT_EQ(got.dma_queues, want.dma_queues);
  EXPECT_EQ(got.queue_depth, want.queue_depth);
  EXPECT_EQ(got.axi_data_bits, want.axi_data_bits);
  EXPECT_EQ(got.bf16, want.bf16);
  EXPECT_EQ(got.vector_engine, want.vector_engine);
  EXPECT_EQ(got.vector_engine, GetParam() != std::string("tiny"));  // EnableVector in configs/configs.json
  EXPECT_EQ(dev->dram_size(), 4u << 20);
}

TEST(RtlDeviceFactory, LargeHasNoModel) {
  register_rtl_backend();
  try {
    driver::make_device("rtl", "large");
    FAIL() << "expected BackendUnavailable";
  } catch (const driver::BackendUnavailable& e) {
    EXPECT_NE(std::string(e.what()).find("RTL models exist for: tiny, fpga, default"), std::string::npos) << e.what();
  }
  EXPECT_THROW(driver::make_device("rtl", "huge"), std::invalid_argument);
}

TEST_P(RtlDeviceTest, DramRoundTrip) {
  const auto dev = make();
  std::mt19937_64 rng(test_seed(true));
  for (int i = 0; i < 20; ++i) {
    const std::uint32_t n = 1 + static_cast<std::uint32_t>(rng() % 9000);
    const std::uint32_t addr = dev->alloc(n, 1 + static_cast<std::uint32_t>(rng() % 2) * 63);
    std::vector<std::uint8_t> data(n);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    dev->upload(addr, std::span<const std::uint8_t>(data));
    EXPECT_EQ(dev->download<std::uint8_t>(addr, n), data);
  }
}

TEST_P(RtlDeviceTest, EndProgramCounters) {
  const auto dev = make();
  golden::ProgramBuilder b(dev->config());
  b.end();
  for (int run = 0; run < 2; ++run) {
    const driver::RunResult r = dev->run(b);
    EXPECT_EQ(r.counters.instructions, 1u);
    EXPECT_EQ(r.counters.macs, 0u);
    EXPECT_EQ(r.counters.dram_rd_bytes, 0u);
    ASSERT_TRUE(r.counters.cycles.has_value());
    EXPECT_GT(*r.counters.cycles, 0u);
    EXPECT_LT(*r.counters.cycles, 1000u);
    EXPECT_GE(r.counters.fetch_bytes, 64u);
  }
}

// A DMA from DRAM outside every window stops the core with PROTECTION; the device is usable
// again afterwards (the base class soft-resets it).
TEST_P(RtlDeviceTest, ProtectionErrorStop) {
  const auto dev = make();
  const std::uint32_t buf = dev->alloc(4096);
  golden::ProgramBuilder b(dev->config());
  b.dma(0, golden::onchip(golden::Space::kSbuf, DType::kInt8, 0, 1, 0, {{16, 1}}),
        golden::dram(DType::kInt8, buf + 0x100000, {{16, 1}}));
  b.end();
  try {
    dev->run(b);
    FAIL() << "expected DeviceError";
  } catch (const driver::DeviceError& e) {
    EXPECT_EQ(e.code(), golden::ErrorCode::kProtection) << e.what();
    EXPECT_EQ(e.index(), 0u) << e.what();
    EXPECT_NE(e.detail().find("window"), std::string::npos) << e.what();
  }
  golden::ProgramBuilder ok(dev->config());
  ok.end();
  EXPECT_EQ(dev->run(ok).counters.instructions, 1u);
}

// A program that waits forever (a NOP on a semaphore nobody signals) hits the cycle limit:
// DeviceTimeout naming it, then a soft reset, and the next program runs.
TEST_P(RtlDeviceTest, CycleLimitTimesOut) {
  RtlOptions o;
  o.sim.dram_bytes = 1u << 20;
  o.max_cycles = 3000;
  o.status_poll_cycles = 500;
  RtlDevice dev(GetParam(), o);
  golden::ProgramBuilder b(dev.config());
  const golden::Sem never = b.semaphore("never");
  b.nop(golden::engine::kSeq, b.wait(never, 1));
  b.end();
  try {
    dev.run(b);
    FAIL() << "expected DeviceTimeout";
  } catch (const driver::DeviceTimeout& e) {
    EXPECT_NE(std::string(e.what()).find("cycle limit of 3000 cycles"), std::string::npos) << e.what();
  }
  golden::ProgramBuilder ok(dev.config());
  ok.end();
  EXPECT_EQ(dev.run(ok).counters.instructions, 1u);
}

TEST_P(RtlDeviceTest, TraceWritesFst) {
  const auto dev = make(1u << 20);
  const auto path =
      std::filesystem::temp_directory_path() / fmt::format("systole_trace_{}_{}.fst", GetParam(), ::getpid());
  auto& rtl = dynamic_cast<RtlDevice&>(*dev);
  if (!rtl.sim().trace_supported()) {
    EXPECT_THROW(dev->enable_trace(path.string()), std::runtime_error);
    GTEST_SKIP() << "chip models built without FST tracing (SYSTOLE_RTL_TRACE=OFF)";
  }
  dev->enable_trace(path.string());
  golden::ProgramBuilder b(dev->config());
  b.end();
  dev->run(b);
  rtl.sim().close_trace();
  ASSERT_TRUE(std::filesystem::exists(path));
  EXPECT_GT(std::filesystem::file_size(path), 1000u);
  std::filesystem::remove(path);
}

// --trace-window: a trace of a few cycles of a run is much smaller than the whole run's, and a
// window with END <= START is refused.
TEST_P(RtlDeviceTest, TraceWindowKeepsTheFileSmall) {
  const auto dev = make(1u << 20);
  auto& rtl = dynamic_cast<RtlDevice&>(*dev);
  if (!rtl.sim().trace_supported()) GTEST_SKIP() << "chip models built without FST tracing (SYSTOLE_RTL_TRACE=OFF)";
  EXPECT_THROW(dev->set_trace_window(50, 50), std::invalid_argument);
  const auto size_of = [&](std::uint64_t begin, std::uint64_t end) {
    const auto path =
        std::filesystem::temp_directory_path() / fmt::format("systole_trace_{}_{}_{}.fst", GetParam(), ::getpid(), end);
    dev->enable_trace(path.string());
    dev->set_trace_window(begin, end);
    golden::ProgramBuilder b(dev->config());
    for (int i = 0; i < 40; ++i) b.nop(golden::engine::kTensor);
    b.end();
    dev->run(b);
    rtl.sim().close_trace();
    const auto n = std::filesystem::file_size(path);
    std::filesystem::remove(path);
    return n;
  };
  const auto whole = size_of(0, 0), few = size_of(10, 20);
  EXPECT_LT(few, whole) << "cycles 10..20 of the run against all of it";
}

// Every configuration with a chip model in this build (SYSTOLE_CHIP_CONFIGS).
INSTANTIATE_TEST_SUITE_P(Configs, RtlDeviceTest, ::testing::ValuesIn(chip_configs()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace systole::verif
