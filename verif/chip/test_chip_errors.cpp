// Error stops of the whole chip, each compared with the golden device: illegal opcode, pattern
// out of range, protection violation, AXI error responses on a DMA read and on a DMA write, the
// watchdog, and the vector engine's TABLE_ERROR (ACTIVATE TABLE on a slot never loaded, a bad
// table in TABLE_LOAD). Each must stop with the golden model's code, instruction index and
// engine (DeviceError), leave the core idle, and the soft reset that Device::run performs after
// an error must bring the chip back: a correct program then runs and its data is right (after a
// TABLE_ERROR: a table is loaded and used, bit-exact with the golden device).
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "systole/driver/activations.hpp"
#include "systole/driver/backend_registry.hpp"
#include "systole/golden/builder.hpp"
#include "systole/regs/csr_map.hpp"
#include "systole/sim/rtl_device.hpp"

namespace systole::verif {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

using golden::DType;
using golden::EncodedInstruction;
using golden::Space;

constexpr std::uint64_t kDram = 4u << 20;

struct Stop {
  bool stopped = false;
  golden::ErrorCode code = golden::ErrorCode::kNone;
  std::uint32_t index = 0;
  unsigned engine = 0;
  std::string what;
};

Stop run_expect_stop(driver::Device& dev, const std::vector<EncodedInstruction>& prog, const driver::RunOptions& o) {
  Stop s;
  try {
    dev.run(prog, o);
  } catch (const driver::DeviceError& e) {
    s = {true, e.code(), e.index(), e.engine(), e.what()};
  }
  return s;
}

class ChipErrors : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    register_rtl_backend();
    rtl_ = driver::make_device("rtl", GetParam(), driver::device_options(kDram, false));
    gold_ = driver::make_device("golden", GetParam(), driver::device_options(kDram, false));
    // A short watchdog, so a deadlock stops in a few thousand cycles.
    static_cast<RtlDevice&>(*rtl_).sim().write_csr(regs::watchdog::kOffset, 3000);
    for (auto* d : {rtl_.get(), gold_.get()}) {
      src_.push_back(d->alloc(4096));
      dst_.push_back(d->alloc(4096));
    }
    ASSERT_EQ(src_[0], src_[1]);
    ASSERT_EQ(dst_[0], dst_[1]);
  }

  // The same program on both devices: both stop, with the same code, index and engine.
  void expect_same_stop(const std::vector<EncodedInstruction>& prog, golden::ErrorCode want,
                        const driver::RunOptions& o = {}) {
    const Stop g = run_expect_stop(*gold_, prog, o);
    const Stop r = run_expect_stop(*rtl_, prog, o);
    ASSERT_TRUE(g.stopped) << "the golden model ran the program without error";
    EXPECT_EQ(g.code, want) << g.what;
    ASSERT_TRUE(r.stopped) << "the RTL ran the program without error; golden: " << g.what;
    EXPECT_EQ(r.code, g.code) << "RTL: " << r.what << "\ngolden: " << g.what;
    EXPECT_EQ(r.index, g.index) << "RTL: " << r.what << "\ngolden: " << g.what;
    EXPECT_EQ(r.engine, g.engine) << "RTL: " << r.what << "\ngolden: " << g.what;
    // Idle, error cleared by the soft reset Device::run did.
    auto& sim = static_cast<RtlDevice&>(*rtl_).sim();
    EXPECT_EQ(sim.read_csr(regs::status::kOffset), 0u) << "STATUS after the soft reset";
    expect_recovers();
  }

  // After the stop and its soft reset: a DRAM -> SBUF -> DRAM copy gives the right bytes.
  void expect_recovers() {
    std::vector<std::uint8_t> data(256), back(256);
    std::iota(data.begin(), data.end(), static_cast<std::uint8_t>(++round_ * 7));
    rtl_->upload(src_[0], std::span<const std::uint8_t>(data));
    golden::ProgramBuilder b(rtl_->config());
    const auto s = b.semaphore("loaded");
    b.dma(0, golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{256, 1}}),
          golden::dram(DType::kInt8, src_[0], {{256, 1}}), b.signal(s));
    b.dma(1, golden::dram(DType::kInt8, dst_[0], {{256, 1}}),
          golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{256, 1}}), b.after(s));
    b.end(b.after(s));
    ASSERT_NO_THROW(rtl_->run(b)) << "the chip did not recover";
    rtl_->download(dst_[0], std::span<std::uint8_t>(back));
    EXPECT_EQ(back, data);
  }

  // After a TABLE_ERROR and its soft reset (which invalidates every table): the gelu table
  // loaded into `slot` and applied to every partition's data, on both devices; the same bytes.
  void expect_table_recovers(std::uint8_t slot) {
    const golden::act::Table& t = *driver::activation("gelu_tanh").table;
    const std::vector<std::uint32_t> words = t.to_words();
    const std::uint32_t P = rtl_->config().partitions, n = 32;
    std::vector<float> x(std::size_t{P} * n);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = -6.0f + 0.37f * static_cast<float>(i % 41);
    std::vector<std::uint8_t> out[2];
    for (int k = 0; k < 2; ++k) {
      driver::Device& d = k == 0 ? *rtl_ : *gold_;
      d.upload(src_[k], std::span<const std::uint32_t>(words));
      d.upload(src_[k] + 2048, std::span<const float>(x));
      golden::ProgramBuilder b(d.config());
      const auto s = b.semaphore("loaded");
      const auto v = b.semaphore("applied");
      const auto words_at =
          golden::tap(Space::kSbuf, DType::kFp32, 0, 1, 0x400, {{static_cast<std::uint32_t>(words.size()), 1}});
      b.dma(0, golden::onchip(Space::kSbuf, DType::kFp32, 0, 1, 0x400, {{static_cast<std::uint32_t>(words.size()), 1}}),
            golden::dram(DType::kFp32, src_[k], {{static_cast<std::uint32_t>(words.size()), 1}}), b.signal(s));
      b.dma(1, golden::onchip(Space::kSbuf, DType::kFp32, 0, P, 0, {{n, 1}}),
            golden::dram(DType::kFp32, src_[k] + 2048, {{n, 1}, {P, static_cast<std::int32_t>(n)}}), b.signal(s));
      b.table_load(slot, words_at, b.after(s));
      golden::Activate a;
      a.func = golden::ActFunc::kTable;
      a.table = slot;
      a.scale = golden::Scalar{false, 0x3F800000u, {}};
      a.bias = golden::Scalar{false, 0x80000000u, {}};
      a.out = golden::tap(Space::kSbuf, DType::kBf16, 0, P, 0x1000, {{n, 1}});
      a.in = golden::tap(Space::kSbuf, DType::kFp32, 0, P, 0, {{n, 1}});
      b.activate(a, b.signal(v));
      b.dma(2, golden::dram(DType::kBf16, dst_[k], {{n, 1}, {P, static_cast<std::int32_t>(n)}}),
            golden::onchip(Space::kSbuf, DType::kBf16, 0, P, 0x1000, {{n, 1}}), b.after(v));
      b.end(b.after(v));
      ASSERT_NO_THROW(d.run(b)) << (k == 0 ? "the chip did not recover" : "golden");
      out[k].resize(std::size_t{P} * n * 2);
      d.download(dst_[k], std::span<std::uint8_t>(out[k]));
    }
    EXPECT_EQ(out[0], out[1]) << "gelu through the reloaded table";
  }

  golden::ProgramBuilder builder() { return golden::ProgramBuilder(rtl_->config()); }
  static std::vector<EncodedInstruction> encode(const golden::ProgramBuilder& b) {
    std::vector<EncodedInstruction> out;
    for (const auto& i : b.instructions()) out.push_back(golden::encode(i));
    return out;
  }
  // A copy of the program's DMA shape: 64 bytes DRAM -> SBUF.
  golden::Instruction load(std::uint8_t queue, std::uint32_t dram_addr) {
    golden::Instruction i;
    i.engine = static_cast<std::uint8_t>(golden::engine::dma(queue));
    golden::Dma d;
    d.dst = golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{64, 1}});
    d.src = golden::dram(DType::kInt8, dram_addr, {{64, 1}});
    i.op = d;
    return i;
  }
  static driver::RunOptions all_of_dram(bool read, bool write) {
    driver::RunOptions o;
    golden::Windows w{};
    w[0] = golden::Window{0, 0xFFFFFFFFu, true, read, write};
    o.windows = w;
    return o;
  }

  std::unique_ptr<driver::Device> rtl_, gold_;
  std::vector<std::uint32_t> src_, dst_;
  int round_ = 0;
};

TEST_P(ChipErrors, IllegalOpcode) {
  std::vector<EncodedInstruction> p{golden::encode(load(0, src_[0])), golden::encode(load(1, src_[0])),
                                    EncodedInstruction{}, EncodedInstruction{}};
  p[2][0] = 0x77;  // unknown opcode
  p[3][0] = 0x01;  // END
  expect_same_stop(p, golden::ErrorCode::kIllegalInstruction);
}

// Engine VEC is illegal where the chip has no vector engine (tiny), and runs where it has one.
TEST_P(ChipErrors, VectorInstructionIsIllegalWithoutTheEngine) {
  std::vector<EncodedInstruction> p{golden::encode(load(0, src_[0])), EncodedInstruction{}, EncodedInstruction{}};
  p[1][0] = 0x00 | (2u << 8);  // NOP on the vector engine
  p[2][0] = 0x01;
  if (!rtl_->config().vector_engine) {
    expect_same_stop(p, golden::ErrorCode::kIllegalInstruction);
    return;
  }
  const Stop g = run_expect_stop(*gold_, p, {});
  const Stop r = run_expect_stop(*rtl_, p, {});
  EXPECT_FALSE(g.stopped) << g.what;
  EXPECT_FALSE(r.stopped) << r.what;
}

TEST_P(ChipErrors, PatternOutOfRange) {
  golden::Instruction i = load(0, src_[0]);
  std::get<golden::Dma>(i.op).dst.addr = rtl_->config().sbuf_bytes - 32;  // 64 bytes from here leave SBUF
  std::vector<EncodedInstruction> p{golden::encode(load(1, src_[0])), golden::encode(i), EncodedInstruction{}};
  p[2][0] = 0x01;
  expect_same_stop(p, golden::ErrorCode::kPatternOutOfRange);
}

TEST_P(ChipErrors, ProtectionViolation) {
  driver::RunOptions o;
  golden::Windows w{};
  w[1] = golden::Window{src_[0], src_[0] + 31, true, true, false};  // only 32 readable bytes
  o.windows = w;
  std::vector<EncodedInstruction> p{golden::encode(load(0, src_[0])), EncodedInstruction{}};
  p[1][0] = 0x01;
  expect_same_stop(p, golden::ErrorCode::kProtection, o);
}

TEST_P(ChipErrors, AxiErrorOnDmaRead) {
  // DRAM ends at kDram: the slave answers DECERR beyond (golden: an access beyond its DRAM).
  std::vector<EncodedInstruction> p{golden::encode(load(0, src_[0])), golden::encode(load(1, kDram + 4096)),
                                    EncodedInstruction{}};
  p[2][0] = 0x01;
  expect_same_stop(p, golden::ErrorCode::kAxiError, all_of_dram(true, true));
}

TEST_P(ChipErrors, AxiErrorOnDmaWrite) {
  golden::Instruction st;
  st.engine = static_cast<std::uint8_t>(golden::engine::dma(0));
  golden::Dma d;
  d.dst = golden::dram(DType::kInt8, kDram + 64, {{64, 1}});
  d.src = golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{64, 1}});
  st.op = d;
  std::vector<EncodedInstruction> p{golden::encode(st), EncodedInstruction{}};
  p[1][0] = 0x01;
  expect_same_stop(p, golden::ErrorCode::kAxiError, all_of_dram(true, true));
}

TEST_P(ChipErrors, WatchdogOnDeadlock) {
  golden::ProgramBuilder b = builder();
  const auto never = b.semaphore("never");
  b.dma(0, golden::onchip(Space::kSbuf, DType::kInt8, 0, 1, 0, {{64, 1}}),
        golden::dram(DType::kInt8, src_[0], {{64, 1}}));
  b.nop(golden::engine::kTensor, b.wait(never, 1));  // nobody signals `never`
  b.end();
  expect_same_stop(encode(b), golden::ErrorCode::kWatchdog);
}

// Every configuration with a chip model in this build (SYSTOLE_CHIP_CONFIGS).
// TABLE_ERROR: ACTIVATE TABLE on a slot no TABLE_LOAD filled, after a DMA and an IOTA that ran.
TEST_P(ChipErrors, TableErrorOnASlotNeverLoaded) {
  if (!rtl_->config().vector_engine) GTEST_SKIP() << "no vector engine on " << GetParam();
  golden::ProgramBuilder b = builder();
  const auto s = b.semaphore("loaded");
  b.dma(0, golden::onchip(Space::kSbuf, DType::kFp32, 0, 1, 0, {{16, 1}}),
        golden::dram(DType::kFp32, src_[0], {{16, 1}}), b.signal(s));
  b.iota(golden::tap(Space::kSbuf, DType::kInt32, 0, 1, 0x200, {{8, 1}}), 0, 1, 0);
  golden::Activate a;
  a.func = golden::ActFunc::kTable;
  a.table = 3;
  a.scale = golden::Scalar{false, 0x3F800000u, {}};
  a.bias = golden::Scalar{false, 0u, {}};
  a.out = golden::tap(Space::kSbuf, DType::kFp32, 0, 1, 0x100, {{16, 1}});
  a.in = golden::tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{16, 1}});
  b.activate(a, b.after(s));
  b.end();
  expect_same_stop(encode(b), golden::ErrorCode::kTableError);
  expect_table_recovers(3);
}

// TABLE_ERROR: TABLE_LOAD of words whose header does not match the TAP's size; the next
// instruction on the engine never runs.
TEST_P(ChipErrors, TableErrorOnABadTable) {
  if (!rtl_->config().vector_engine) GTEST_SKIP() << "no vector engine on " << GetParam();
  std::vector<std::uint32_t> words = driver::activation("sigmoid").table->to_words();
  words[0] ^= 1u << 1;  // nseg no longer what the TAP's size says
  for (int k = 0; k < 2; ++k) (k == 0 ? rtl_ : gold_)->upload(src_[k], std::span<const std::uint32_t>(words));
  golden::ProgramBuilder b = builder();
  const auto s = b.semaphore("loaded");
  const auto n = static_cast<std::uint32_t>(words.size());
  b.dma(1, golden::onchip(Space::kSbuf, DType::kFp32, 1, 1, 0x40, {{n, 1}}),
        golden::dram(DType::kFp32, src_[0], {{n, 1}}), b.signal(s));
  b.table_load(0, golden::tap(Space::kSbuf, DType::kFp32, 1, 1, 0x40, {{n, 1}}), b.after(s));
  b.copy(golden::tap(Space::kSbuf, DType::kFp32, 0, 1, 0x2000, {{4, 1}}),
         golden::tap(Space::kSbuf, DType::kFp32, 0, 1, 0, {{4, 1}}));
  b.end();
  expect_same_stop(encode(b), golden::ErrorCode::kTableError);
  expect_table_recovers(0);
}

INSTANTIATE_TEST_SUITE_P(Configs, ChipErrors, ::testing::ValuesIn(chip_configs()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace systole::verif
