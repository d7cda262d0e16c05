// MultiDevice on the golden system: one run drives every chip, remote DMAs land on the peers,
// errors name every chip that stopped, and the chips are usable again after an error.
#include <gtest/gtest.h>

#include <numeric>

#include "systole/driver/multi_device.hpp"
#include "systole/golden/builder.hpp"

using namespace systole;
using namespace systole::driver;
using golden::DType;

namespace {

// Every chip sends its 64 words to the next chip's buffer `out` (SBUF staging, remote SBUF,
// then the receiver stores to DRAM).
std::vector<std::vector<golden::EncodedInstruction>> ring_shift(MultiDevice& md, std::uint32_t in, std::uint32_t out,
                                                                std::uint32_t bad_chip = 0xFF) {
  std::vector<std::vector<golden::EncodedInstruction>> progs;
  const std::uint32_t n = md.size();
  const golden::Config cfg = md.chip(0).config();
  for (std::uint32_t i = 0; i < n; ++i) {
    golden::ProgramBuilder b(cfg, golden::ChipIdentity{i, n});
    const auto loaded = b.semaphore("loaded");
    const auto arrived = b.semaphore("arrived");
    const auto sb = [](std::uint32_t off) {
      return golden::onchip(golden::Space::kSbuf, DType::kInt32, 0, 4, off, {{16, 1}});
    };
    b.dma(0, sb(0), golden::dram(DType::kInt32, in, {{16, 1}, {4, 16}}), b.signal(loaded));
    const std::uint32_t to = i == 0 && bad_chip != 0xFF ? bad_chip : (i + 1) % n;
    golden::Instruction send;
    send.engine = golden::engine::dma(1);
    send.sync = golden::Sync{true, loaded.id, 1, false, 0};
    send.op = golden::Dma{golden::remote(sb(0x400), to, arrived), sb(0)};
    b.emit(send);
    b.expect_remote(arrived, 1);
    b.dma(2, golden::dram(DType::kInt32, out, {{16, 1}, {4, 16}}), sb(0x400), b.after(arrived));
    b.end();
    std::vector<golden::EncodedInstruction> words;
    for (const auto& insn : b.instructions()) words.push_back(golden::encode(insn));
    progs.push_back(std::move(words));
  }
  return progs;
}

}  // namespace

TEST(MultiDevice, RingShiftOnTheGoldenSystem) {
  auto md = make_multi_device("golden", "fpga", 3);
  ASSERT_EQ(md->size(), 3u);
  const std::uint32_t in = md->alloc_all(256), out = md->alloc_all(256);
  for (std::uint32_t i = 0; i < 3; ++i) {
    std::vector<std::int32_t> v(64);
    std::iota(v.begin(), v.end(), static_cast<std::int32_t>(1000 * i));
    md->chip(i).upload(in, std::span<const std::int32_t>(v));
  }
  const MultiRunResult r = md->run(ring_shift(*md, in, out));
  EXPECT_TRUE(r.races.empty()) << r.races.front();
  ASSERT_EQ(r.chips.size(), 3u);
  for (std::uint32_t i = 0; i < 3; ++i) {
    const auto got = md->chip(i).download<std::int32_t>(out, 64);
    EXPECT_EQ(got[0], static_cast<std::int32_t>(1000 * ((i + 2) % 3))) << "chip " << i;
    EXPECT_EQ(got[63], static_cast<std::int32_t>(1000 * ((i + 2) % 3) + 63));
    EXPECT_EQ(r.chips[i].counters.instructions, 4u);  // load, send, store, END
  }
  // Twice in a row: the system is ready for the next run.
  EXPECT_NO_THROW(md->run(ring_shift(*md, in, out)));
}

TEST(MultiDevice, ErrorsNameEveryChipThatStopped) {
  auto md = make_multi_device("golden", "fpga", 2);
  const std::uint32_t in = md->alloc_all(256), out = md->alloc_all(256);
  try {
    md->run(ring_shift(*md, in, out, /*bad_chip=*/0));  // chip 0 sends to itself
    FAIL() << "accepted a remote DMA to the sending chip";
  } catch (const MultiDeviceError& e) {
    ASSERT_EQ(e.per_chip().size(), 2u);
    EXPECT_NE(e.per_chip()[0].find("BAD_OPERAND"), std::string::npos) << e.per_chip()[0];
    EXPECT_NE(e.per_chip()[1].find("WATCHDOG"), std::string::npos) << e.per_chip()[1];  // waits for chip 0
    EXPECT_NE(std::string(e.what()).find("chip 1: "), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(md->run(ring_shift(*md, in, out)));  // usable again
}

TEST(MultiDevice, BadUseIsRefused) {
  EXPECT_THROW(make_multi_device("rtl", "fpga", 2), BackendUnavailable);
  EXPECT_THROW(make_multi_device("golden", "fpga", 0), std::invalid_argument);
  EXPECT_THROW(make_multi_device("golden", "nope", 2), std::invalid_argument);
  auto md = make_multi_device("golden", "fpga", 2);
  std::vector<std::vector<golden::EncodedInstruction>> one(1);
  EXPECT_THROW(md->run(one), std::invalid_argument);
}
