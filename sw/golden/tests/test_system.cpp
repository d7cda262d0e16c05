// The multi-chip golden system (docs/links.md section 5): remote DMA and remote increments land
// where and when the ISA says, errors are raised by the right chip, and one race checker sees
// the hand-offs between chips.
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <vector>

#include "systole/golden/builder.hpp"
#include "systole/golden/disasm.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/system.hpp"

using namespace systole::golden;

namespace {

constexpr std::uint64_t kDram = 1 << 20;
constexpr std::uint32_t kProg = 0x80000;
constexpr std::uint32_t kIn = 0x1000, kOut = 0x2000;

// N golden chips with all of DRAM writable and one race checker.
struct Harness {
  System sys;
  RaceChecker rc;
  explicit Harness(std::uint32_t n) : sys(Config::standard(), n, kDram), rc(sys.config(), 64, n) {
    for (std::uint32_t i = 0; i < n; ++i) sys.chip(i).windows()[0] = Window{0, kDram - 1, true, true, true};
    sys.set_race_checker(&rc);
  }
  ProgramBuilder builder(std::uint32_t i) { return ProgramBuilder(sys.config(), ChipIdentity{i, sys.size()}); }
  void put(std::uint32_t chip, std::uint32_t addr, const std::vector<std::uint32_t>& words) {
    std::vector<std::uint8_t> b(words.size() * 4);
    std::memcpy(b.data(), words.data(), b.size());
    sys.chip(chip).write_dram(addr, b);
  }
  std::vector<std::uint32_t> get(std::uint32_t chip, std::uint32_t addr, std::size_t n) {
    std::vector<std::uint8_t> b(n * 4);
    sys.chip(chip).read_dram(addr, b);
    std::vector<std::uint32_t> w(n);
    std::memcpy(w.data(), b.data(), b.size());
    return w;
  }
};

std::vector<std::uint32_t> block(std::uint32_t chip, std::size_t n) {
  std::vector<std::uint32_t> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = chip * 100000u + static_cast<std::uint32_t>(k) * 7u + 1u;
  return v;
}

// 4 partitions x 16 fp32 words.
const Dap kDramIn = dram(DType::kFp32, kIn, {{16, 1}, {4, 16}});
const Dap kDramOut = dram(DType::kFp32, kOut, {{16, 1}, {4, 16}});
Dap sbuf(std::uint32_t offset) { return onchip(Space::kSbuf, DType::kFp32, 0, 4, offset, {{16, 1}}); }

Instruction with(std::uint8_t eng, Op op) {
  Instruction i;
  i.engine = eng;
  i.op = std::move(op);
  return i;
}

std::vector<EncodedInstruction> raw(const std::vector<Instruction>& insns) {
  std::vector<EncodedInstruction> out;
  for (const auto& i : insns) out.push_back(encode(i));
  return out;
}

}  // namespace

// Every chip sends a block to the next one on a ring: SBUF to remote SBUF with a remote signal,
// the receiver waits for it and stores the block to its DRAM.
TEST(GoldenSystem, RingShiftThroughRemoteSbuf) {
  for (std::uint32_t n : {2u, 3u, 4u, 8u}) {
    Harness h(n);
    std::vector<std::vector<EncodedInstruction>> progs;
    for (std::uint32_t i = 0; i < n; ++i) {
      h.put(i, kIn, block(i, 64));
      ProgramBuilder b = h.builder(i);
      const auto loaded = b.semaphore("loaded");
      const auto in = b.semaphore("in");
      b.dma(0, sbuf(0), kDramIn, b.signal(loaded));
      b.dma(1, remote(sbuf(0x400), (i + 1) % n, in), sbuf(0), b.after(loaded));
      b.expect_remote(in, 1);
      b.dma(2, kDramOut, sbuf(0x400), b.after(in));
      b.end();
      progs.push_back(b.finish());
    }
    const SystemResult r = h.sys.run_programs(progs, kProg);
    ASSERT_TRUE(r.done()) << r.chips[0].detail;
    for (std::uint32_t i = 0; i < n; ++i) {
      EXPECT_EQ(h.get(i, kOut, 64), block((i + n - 1) % n, 64)) << "chip " << i << " of " << n;
      const Counters& c = r.chips[i].counters;
      EXPECT_EQ(c.link_tx_bytes, 256u);
      EXPECT_EQ(c.link_rx_bytes, 256u);
      EXPECT_EQ(c.remote_signals_tx, 1u);
      EXPECT_EQ(c.remote_signals_rx, 1u);
    }
    EXPECT_TRUE(h.rc.clean()) << h.rc.races().front().describe();
  }
}

// Gather into chip 0's DRAM: each other chip writes its block there (remote DRAM, with a cast to
// bf16 on the way), then a remote NOP on the same queue tells chip 0, which waits for all of
// them and copies the gathered bytes: the NOP's increment follows its queue's writes.
TEST(GoldenSystem, GatherIntoRemoteDramWithNopBarrier) {
  const std::uint32_t n = 4;
  Harness h(n);
  std::vector<std::vector<EncodedInstruction>> progs;
  for (std::uint32_t i = 0; i < n; ++i) {
    ProgramBuilder b = h.builder(i);
    const auto arrived = b.semaphore("arrived");
    if (i == 0) {
      b.expect_remote(arrived, n - 1);
      b.dma(0, dram(DType::kBf16, 0x6000, {{16 * (n - 1), 1}}), dram(DType::kBf16, 0x4000, {{16 * (n - 1), 1}}),
            b.after(arrived));
    } else {
      std::vector<std::uint32_t> f(16);
      for (std::uint32_t k = 0; k < 16; ++k) {
        const float x = static_cast<float>(i) + static_cast<float>(k) / 4.0f;
        std::memcpy(&f[k], &x, 4);
      }
      h.put(i, kIn, f);
      b.dma(1, remote(dram(DType::kBf16, 0x4000 + (i - 1) * 32, {{16, 1}}), 0), dram(DType::kFp32, kIn, {{16, 1}}));
      b.remote_nop(1, 0, arrived);
    }
    b.end();
    progs.push_back(b.finish());
  }
  const SystemResult r = h.sys.run_programs(progs, kProg);
  ASSERT_TRUE(r.done());
  std::vector<std::uint8_t> got(32 * (n - 1));
  h.sys.chip(0).read_dram(0x6000, got);
  for (std::uint32_t i = 1; i < n; ++i) {
    for (std::uint32_t k = 0; k < 16; ++k) {
      const float x = static_cast<float>(i) + static_cast<float>(k) / 4.0f;  // exact in bf16
      std::uint32_t bits = 0;
      std::memcpy(&bits, &x, 4);
      const std::size_t at = (i - 1) * 32 + k * 2;
      EXPECT_EQ(got[at] | (got[at + 1] << 8), bits >> 16) << "chip " << i << " element " << k;
    }
  }
  EXPECT_EQ(r.chips[0].counters.link_rx_bytes, 32u * (n - 1));
  EXPECT_EQ(r.chips[0].counters.dram_wr_bytes, 32u * (n - 1) * 2);  // the remote writes, then the copy
  EXPECT_EQ(r.chips[0].counters.remote_signals_rx, n - 1);
  EXPECT_TRUE(h.rc.clean()) << h.rc.races().front().describe();
}

// A remote NOP on another queue than the writes is not ordered after them: the race checker
// reports chip 0's copy against the remote write it may overtake.
TEST(GoldenSystem, RemoteSignalFromAnotherQueueIsARace) {
  Harness h(2);
  std::vector<std::vector<EncodedInstruction>> progs;
  for (std::uint32_t i = 0; i < 2; ++i) {
    ProgramBuilder b = h.builder(i);
    const auto arrived = b.semaphore("arrived");
    if (i == 0) {
      b.expect_remote(arrived, 1);
      b.dma(0, kDramOut, sbuf(0x400), b.after(arrived));
    } else {
      b.dma(1, remote(sbuf(0x400), 0), kDramIn);
      b.remote_nop(2, 0, arrived);
    }
    b.end();
    progs.push_back(b.finish());
  }
  ASSERT_TRUE(h.sys.run_programs(progs, kProg).done());
  ASSERT_FALSE(h.rc.clean());
  const Race& x = h.rc.races().front();
  EXPECT_EQ(x.kind, Race::Kind::kCrossEngine);
  EXPECT_EQ(x.chip, 0u);
  EXPECT_EQ(x.first_chip + x.second_chip, 1u);  // one side on each chip
  EXPECT_NE(x.describe().find("race on chip 0 SBUF"), std::string::npos) << x.describe();
  EXPECT_NE(x.describe().find("chip 1 instruction 0 (DMA1, write)"), std::string::npos) << x.describe();
}

// Reusing a receive buffer: a second send into it before the receiver has read the first is a
// write-after-read race across chips; the receiver's "free" signal back removes it.
TEST(GoldenSystem, ReceiveBufferReuseNeedsTheReceiversSignal) {
  for (bool credit : {false, true}) {
    Harness h(2);
    h.put(1, kIn, block(1, 128));
    std::vector<std::vector<EncodedInstruction>> progs;
    for (std::uint32_t i = 0; i < 2; ++i) {
      ProgramBuilder b = h.builder(i);
      const auto full = b.semaphore("full");
      const auto free = b.semaphore("free");
      for (std::uint32_t m = 0; m < 2; ++m) {
        if (i == 1) {
          const Dap src = dram(DType::kFp32, kIn + m * 256, {{16, 1}, {4, 16}});
          b.dma(0, remote(sbuf(0x400), 0, full), src, credit && m == 1 ? b.after(free) : ProgramBuilder::Deps{});
          if (credit) b.expect_remote(free, 1);
        } else {
          b.expect_remote(full, 1);
          b.dma(0, dram(DType::kFp32, kOut + m * 256, {{16, 1}, {4, 16}}), sbuf(0x400), b.after(full));
          if (credit) b.remote_nop(0, 1, free);
        }
      }
      b.end();
      progs.push_back(b.finish());
    }
    ASSERT_TRUE(h.sys.run_programs(progs, kProg).done());
    if (credit) {
      EXPECT_TRUE(h.rc.clean()) << h.rc.races().front().describe();
      EXPECT_EQ(h.get(0, kOut, 128), block(1, 128));
    } else {
      ASSERT_FALSE(h.rc.clean());
      EXPECT_EQ(h.rc.races().front().kind, Race::Kind::kCrossEngine) << h.rc.races().front().describe();
    }
  }
}

// Two chips increment the same semaphore of chip 0, which waits for one increment and reads
// what chip 1 wrote: chip 2's increment could come first.
TEST(GoldenSystem, WaitForOneOfTwoChipsIsAmbiguous) {
  Harness h(3);
  std::vector<std::vector<EncodedInstruction>> progs;
  for (std::uint32_t i = 0; i < 3; ++i) {
    ProgramBuilder b = h.builder(i);
    const auto s = b.semaphore("s");
    if (i == 0) {
      b.dma(0, kDramOut, sbuf(0x400), b.wait(s, 1));
    } else if (i == 1) {
      b.dma(0, remote(sbuf(0x400), 0, s), kDramIn);
    } else {
      b.remote_nop(0, 0, s);
    }
    b.end();
    progs.push_back(b.finish());
  }
  ASSERT_TRUE(h.sys.run_programs(progs, kProg).done());
  bool ambiguous = false;
  for (const Race& r : h.rc.races()) {
    if (r.kind != Race::Kind::kAmbiguousWait) continue;
    ambiguous = true;
    EXPECT_EQ(r.wait_chip, 0u);
    EXPECT_NE(r.describe().find("chip 0 instruction 0 (DMA0) waits for semaphore 0 >= 1"), std::string::npos)
        << r.describe();
  }
  EXPECT_TRUE(ambiguous);
}

TEST(GoldenSystem, RemoteFieldsEncodeDecodeAndDisassemble) {
  Dma d{remote(sbuf(0x40), 5, Sem{3}), kDramIn};
  const Instruction insn = with(engine::dma(1), d);
  const Decoded back = decode(encode(insn));
  ASSERT_TRUE(back.insn.has_value()) << back.fault.detail;
  EXPECT_EQ(*back.insn, insn);
  EXPECT_NE(disassemble(insn).find("dst=chip5:SBUF[0:4:1]@0x40:fp32[16]+s3"), std::string::npos) << disassemble(insn);
  const Instruction nop = with(engine::dma(0), Nop{true, 7, 9});
  ASSERT_TRUE(decode(encode(nop)).insn.has_value());
  EXPECT_EQ(*decode(encode(nop)).insn, nop);
  EXPECT_EQ(disassemble(nop), "NOP remote chip7 signal s9");
  // Bit positions: d5[31] remote, d5[30:24] chip, d6[31] rsig_en, d6[28:24] rsig_sem.
  const EncodedInstruction w = encode(insn);
  EXPECT_EQ(w[2 + 5] >> 24, 0x80u | 5u);
  EXPECT_EQ(w[2 + 6] >> 24, 0x80u | 3u);
  EXPECT_EQ(encode(nop)[2], 0x80000000u | (7u << 24) | 9u);
}

TEST(GoldenSystem, MalformedRemoteFieldsAreIllegal) {
  auto illegal = [](EncodedInstruction w, const char* why) {
    const Decoded d = decode(w);
    EXPECT_FALSE(d.insn.has_value()) << why;
    EXPECT_EQ(d.fault.code, ErrorCode::kIllegalInstruction) << why;
    EXPECT_NE(d.fault.detail.find(why), std::string::npos) << d.fault.detail;
  };
  const EncodedInstruction local = encode(with(engine::dma(0), Dma{sbuf(0), kDramIn}));
  EncodedInstruction w = local;
  w[9 + 5] |= 0x80000000u;  // src remote
  illegal(w, "a DMA reads its own chip");
  w = local;
  w[2 + 6] |= 0x80000000u;  // rsig on a local dst
  illegal(w, "remote signal set on a local pattern");
  w = local;
  w[2 + 5] |= 3u << 24;  // chip id without remote
  illegal(w, "chip id set on a local pattern");
  w = local;
  w[2 + 5] |= 0x80000000u;
  w[2 + 6] |= 0x60000000u;  // d6[30:29] reserved
  illegal(w, "reserved bits set in word 8");
  illegal(encode(with(engine::kVec, Nop{true, 1, 0})), "a remote increment runs on a DMA queue");
  EncodedInstruction nop = encode(with(engine::dma(0), Nop{}));
  nop[2] = 5;  // sem without remote
  illegal(nop, "chip or sem set while remote = 0");
}

// Static checks: no link ports -> ILLEGAL; a chip id that is not another chip -> BAD_OPERAND.
TEST(GoldenSystem, RemoteChipIdsAreChecked) {
  Machine lone(Config::standard(), kDram);
  lone.windows()[0] = Window{0, kDram - 1, true, true, true};
  const RunResult r =
      lone.run_program(raw({with(engine::dma(0), Dma{remote(sbuf(0), 1), kDramIn}), with(engine::kSeq, End{})}), kProg);
  EXPECT_EQ(r.code, ErrorCode::kIllegalInstruction);
  EXPECT_NE(r.detail.find("without chip-to-chip ports"), std::string::npos) << r.detail;

  for (std::uint32_t bad : {0u, 2u, 127u}) {  // chip 0 is the sender itself
    Harness h(2);
    const std::vector<Instruction> p0 = {with(engine::dma(0), Dma{remote(sbuf(0), bad), kDramIn}),
                                         with(engine::kSeq, End{})};
    const std::vector<Instruction> p1 = {with(engine::kSeq, End{})};
    const SystemResult res = h.sys.run_programs(std::vector{raw(p0), raw(p1)}, kProg);
    EXPECT_EQ(res.chips[0].code, ErrorCode::kBadOperand) << bad;
    EXPECT_EQ(res.chips[0].index, 0u);
    EXPECT_NE(res.chips[0].detail.find("is not another chip of this system"), std::string::npos) << res.chips[0].detail;
    EXPECT_TRUE(res.chips[1].done);
    // The builder refuses it too, naming the instruction.
    ProgramBuilder b = h.builder(0);
    b.dma(0, remote(sbuf(0), bad), kDramIn);
    b.end();
    EXPECT_THROW(b.finish(), std::invalid_argument);
  }
}

// Errors of a remote operation are raised by the chip that receives it (ERR_INDEX
// kRemoteErrorIndex); the sender completes.
TEST(GoldenSystem, ReceiverRaisesProtectionAndSemaphoreOverflow) {
  {
    Harness h(2);
    h.sys.chip(1).windows()[0] = Window{0, 0x7FFF, true, true, true};  // 0x8000.. not writable
    h.put(1, 0x9000, std::vector<std::uint32_t>(16, 0xAAAAAAAAu));
    const std::vector<Instruction> p0 = {
        with(engine::dma(0), Dma{remote(dram(DType::kFp32, 0x9000, {{16, 1}}), 1), dram(DType::kFp32, kIn, {{16, 1}})}),
        with(engine::kSeq, End{})};
    const std::vector<Instruction> p1 = {with(engine::kSeq, End{})};
    const SystemResult r = h.sys.run_programs(std::vector{raw(p0), raw(p1)}, kProg);
    EXPECT_TRUE(r.chips[0].done);
    EXPECT_EQ(r.chips[1].code, ErrorCode::kProtection);
    EXPECT_EQ(r.chips[1].index, kRemoteErrorIndex);
    EXPECT_NE(r.chips[1].detail.find("remote write from chip 0"), std::string::npos) << r.chips[1].detail;
    EXPECT_EQ(h.get(1, 0x9000, 16), std::vector<std::uint32_t>(16, 0xAAAAAAAAu));  // dropped
    EXPECT_EQ(r.chips[1].counters.link_rx_bytes, 0u);
  }
  {
    Harness h(2);
    h.sys.chip(1).set_semaphore(4, std::numeric_limits<std::uint32_t>::max());
    const std::vector<Instruction> p0 = {with(engine::dma(2), Nop{true, 1, 4}), with(engine::kSeq, End{})};
    Instruction wait;
    wait.engine = engine::kSeq;
    wait.op = End{};
    wait.sync = Sync{true, 5, 1, false, 0};  // waits forever unless stopped by the overflow
    const SystemResult r = h.sys.run_programs(std::vector{raw(p0), raw({wait})}, kProg);
    EXPECT_TRUE(r.chips[0].done);
    EXPECT_EQ(r.chips[1].code, ErrorCode::kSemOverflow);
    EXPECT_EQ(r.chips[1].index, kRemoteErrorIndex);
  }
}

// Two chips waiting on each other: every chip's watchdog fires at its oldest waiting
// instruction, never a hang.
TEST(GoldenSystem, CrossChipDeadlockEndsInWatchdog) {
  Harness h(2);
  std::vector<std::vector<EncodedInstruction>> progs;
  for (std::uint32_t i = 0; i < 2; ++i) {
    ProgramBuilder b = h.builder(i);
    const auto s = b.semaphore("s");
    b.dma(0, kDramOut, kDramIn);
    b.remote_nop(1, 1 - i, s, b.wait(s, 1));  // each waits for the other's signal first
    b.end();
    progs.push_back(b.finish());
  }
  const SystemResult r = h.sys.run_programs(progs, kProg);
  for (std::uint32_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r.chips[i].code, ErrorCode::kWatchdog);
    EXPECT_EQ(r.chips[i].index, 1u);
  }
  EXPECT_FALSE(r.done());
}
