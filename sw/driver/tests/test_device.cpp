// Device on the golden backend: data in and out, allocation, program runs and their counters,
// protection windows, error stops (DeviceError names code, index, instruction and detail), the
// device staying usable after an error, races reported, and the factory.
#include <gtest/gtest.h>

#include <string>

#include "systole/driver/device.hpp"
#include "systole/driver/golden_device.hpp"
#include "systole/golden/builder.hpp"

using namespace systole;
using namespace systole::golden;
using driver::Device;
using driver::DeviceError;

namespace {

std::unique_ptr<Device> device(const std::string& cfg = "default") {
  return driver::make_device("golden", cfg, driver::device_options(1u << 20, true));
}

// Copies `n` fp32 words from `src` to `dst` through SBUF (two DMAs ordered by a semaphore).
ProgramBuilder copy_program(const Config& cfg, std::uint32_t src, std::uint32_t dst, std::uint32_t n) {
  ProgramBuilder b(cfg);
  const auto loaded = b.semaphore("loaded");
  const auto stored = b.semaphore("stored");
  b.dma(0, onchip(Space::kSbuf, DType::kFp32, 0, 1, 0, {{n, 1}}), dram(DType::kFp32, src, {{n, 1}}), b.signal(loaded));
  b.dma(1, dram(DType::kFp32, dst, {{n, 1}}), onchip(Space::kSbuf, DType::kFp32, 0, 1, 0, {{n, 1}}),
        b.after(loaded).and_signal(stored));
  b.end(b.after(stored));
  return b;
}

template <class F>
DeviceError expect_device_error(F&& f) {
  try {
    f();
  } catch (const DeviceError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a DeviceError";
  return DeviceError(ErrorCode::kNone, 0, 0, "", "");
}

}  // namespace

TEST(Device, ReportsTheGoldenConfigurationOfTheRtlChip) {
  auto dev = device("fpga");
  EXPECT_EQ(dev->backend_name(), "golden");
  EXPECT_EQ(dev->config().name, "fpga");
  EXPECT_EQ(dev->config().partitions, 8u);
  EXPECT_TRUE(dev->config().vector_engine);  // as the RTL chip (docs/chip.md)
  EXPECT_FALSE(device("tiny")->config().vector_engine);
  EXPECT_EQ(dev->dram_size(), 1u << 20);
}

TEST(Device, UploadDownloadBytesTypedAndTensors) {
  auto dev = device();
  const auto a = dev->alloc(256);
  EXPECT_GE(a, 4096u);  // address 0 stays invalid
  const std::vector<std::uint8_t> bytes = {1, 2, 3, 4, 5};
  dev->upload(a, bytes);
  std::vector<std::uint8_t> back(5);
  dev->download(a, back);
  EXPECT_EQ(back, bytes);
  const std::vector<std::int32_t> ints = {-1, 7, 1 << 30};
  dev->upload(a, std::span<const std::int32_t>(ints));
  EXPECT_EQ(dev->download<std::int32_t>(a, 3), ints);
  driver::Tensor t(DType::kBf16, {2, 2});
  for (std::uint32_t i = 0; i < 4; ++i) t.set_raw(i, 0x3F80 + i);
  dev->upload(a, t);
  EXPECT_EQ(dev->download(a, DType::kBf16, {2, 2}), t);
  EXPECT_THROW(dev->upload(static_cast<std::uint32_t>(dev->dram_size() - 2), bytes), std::out_of_range);
  EXPECT_THROW(dev->download(static_cast<std::uint32_t>(dev->dram_size()), back), std::out_of_range);
  dev->free(a);
  EXPECT_EQ(dev->allocator().bytes_in_use(), 0u);
}

TEST(Device, OutOfMemoryIsAClearException) {
  auto dev = device();
  EXPECT_THROW(dev->alloc(2u << 20), driver::OutOfDeviceMemory);
}

TEST(Device, RunsAProgramAndCountsPerRun) {
  auto dev = device();
  const std::uint32_t src = dev->alloc(64), dst = dev->alloc(64);
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = 0.5f * i;
  dev->upload(src, std::span<const float>(v));
  const auto prog = copy_program(dev->config(), src, dst, 16);
  const driver::RunResult r1 = dev->run(prog);
  EXPECT_EQ(dev->download<float>(dst, 16), v);
  EXPECT_EQ(r1.counters.dram_rd_bytes, 64u);
  EXPECT_EQ(r1.counters.dram_wr_bytes, 64u);
  EXPECT_EQ(r1.counters.instructions, 3u);
  EXPECT_EQ(r1.counters.fetch_bytes, 3u * 64);
  EXPECT_FALSE(r1.counters.cycles.has_value());  // the golden model has no cycles
  EXPECT_FALSE(r1.counters.utilization(dev->config()).has_value());
  EXPECT_TRUE(r1.races.empty());
  EXPECT_EQ(r1.program_length, 3u);
  // Per-run counters stay per run; the device's counters accumulate like the hardware's.
  const driver::RunResult r2 = dev->run(prog);
  EXPECT_EQ(r2.counters.dram_rd_bytes, 64u);
  EXPECT_EQ(dev->counters().dram_rd_bytes, 128u);
  // The program's allocation is released after each run.
  EXPECT_EQ(dev->allocator().bytes_in_use(), 128u);
}

TEST(Device, DefaultWindowSpansTheAllocationsOnly) {
  auto dev = device();
  const std::uint32_t src = dev->alloc(64), dst = dev->alloc(64);
  const auto w = dev->default_windows();
  EXPECT_TRUE(w[0].enable && w[0].read && w[0].write);
  EXPECT_EQ(w[0].base, src);
  EXPECT_EQ(w[0].limit, dst + 63);
  EXPECT_FALSE(w[1].enable);
  // A DMA outside every allocation is refused by the protection check.
  const auto prog = copy_program(dev->config(), src, dst + 4096, 16);
  const DeviceError e = expect_device_error([&] { dev->run(prog); });
  EXPECT_EQ(e.code(), ErrorCode::kProtection);
}

TEST(Device, ErrorMessageNamesCodeIndexInstructionAndDetail) {
  auto dev = device();
  const std::uint32_t src = dev->alloc(64), dst = dev->alloc(64);
  Windows w{};
  w[0] = Window{src, src + 63, true, true, false};  // src read-only, dst not reachable
  dev->set_windows(w);
  const auto prog = copy_program(dev->config(), src, dst, 16);
  const DeviceError e = expect_device_error([&] { dev->run(prog); });
  EXPECT_EQ(e.code(), ErrorCode::kProtection);
  EXPECT_EQ(e.index(), 1u);
  EXPECT_EQ(e.engine(), engine::kSeq);  // static errors are raised by the sequencer at decode
  const std::string m = e.what();
  EXPECT_NE(m.find("PROTECTION (0x05) at instruction 1"), std::string::npos) << m;
  EXPECT_NE(m.find("DMA1: DMA dst=DRAM@0x"), std::string::npos) << m;  // the disassembled instruction
  EXPECT_NE(m.find("not inside an enabled window with write permission"), std::string::npos) << m;
  // The device was soft-reset and runs the next program.
  dev->clear_windows();
  EXPECT_NO_THROW(dev->run(prog));
}

TEST(Device, WatchdogOnAWaitThatCanNeverBeMet) {
  auto dev = device();
  ProgramBuilder b(dev->config());
  const auto s = b.semaphore("never");
  b.nop(engine::kTensor, b.wait(s, 1));
  b.end();
  const DeviceError e = expect_device_error([&] { dev->run(b); });
  EXPECT_EQ(e.code(), ErrorCode::kWatchdog);
  EXPECT_EQ(e.index(), 0u);
  EXPECT_NE(std::string(e.what()).find("WATCHDOG (0x0A) at instruction 0 on TENSOR: `TENSOR: NOP"), std::string::npos)
      << e.what();
  // Semaphores are zeroed before every run: a leftover count cannot satisfy a wait.
  EXPECT_THROW(dev->run(b), DeviceError);
}

TEST(Device, ProgramBoundsPointsPastTheProgram) {
  auto dev = device();
  std::vector<EncodedInstruction> prog = {encode(Instruction{engine::kTensor, {}, Nop{}})};  // no END
  const DeviceError e = expect_device_error([&] { dev->run(prog); });
  EXPECT_EQ(e.code(), ErrorCode::kProgramBounds);
  EXPECT_EQ(e.index(), 1u);
  EXPECT_NE(e.instruction().find("past its end"), std::string::npos);
}

TEST(Device, VectorInstructionsAreIllegalOnTinyLikeOnTheRtlChip) {
  auto dev = device("tiny");
  Config with_vec = Config::tiny();
  with_vec.vector_engine = true;
  ProgramBuilder b(with_vec);  // a builder that believes in a vector engine
  b.copy(tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{4, 1}}), tap(Space::kSbuf, DType::kFp32, 0, 1, 64, {{4, 1}}));
  b.end();
  const DeviceError e = expect_device_error([&] { dev->run(b.finish()); });
  EXPECT_EQ(e.code(), ErrorCode::kIllegalInstruction);
  EXPECT_NE(e.detail().find("VEC is not present"), std::string::npos) << e.detail();
}

TEST(Device, RacesAreReported) {
  auto dev = device();
  const std::uint32_t src = dev->alloc(64), dst = dev->alloc(64);
  ProgramBuilder b(dev->config());
  b.dma(0, onchip(Space::kSbuf, DType::kFp32, 0, 1, 0, {{16, 1}}), dram(DType::kFp32, src, {{16, 1}}));
  b.dma(1, dram(DType::kFp32, dst, {{16, 1}}), onchip(Space::kSbuf, DType::kFp32, 0, 1, 0, {{16, 1}}));  // no wait
  b.end();
  const driver::RunResult r = dev->run(b);
  ASSERT_FALSE(r.races.empty());
  EXPECT_NE(r.races.front().find("not ordered by any semaphore"), std::string::npos) << r.races.front();
}

TEST(Device, FactoryNamesWhatIsMissing) {
  try {
    driver::make_device("rtl", "default");
    FAIL() << "expected BackendUnavailable";
  } catch (const driver::BackendUnavailable& e) {
    // This binary does not link the RTL library: the message says what to link and call.
    EXPECT_NE(std::string(e.what()).find("RTL backend not in this binary"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("register_rtl_backend()"), std::string::npos) << e.what();
  }
  EXPECT_THROW(driver::make_device("fpga", "fpga"), driver::BackendUnavailable);
  EXPECT_THROW(driver::make_device("gpu", "default"), std::invalid_argument);
  EXPECT_THROW(driver::make_device("golden", "huge"), std::invalid_argument);
}

TEST(Device, TraceNeedsTheRtlBackend) {
  auto dev = device();
  try {
    dev->enable_trace("x.fst");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("tracing needs the rtl backend"), std::string::npos) << e.what();
  }
}
