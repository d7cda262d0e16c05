// Throughput of one DMA queue (docs/dma.md): contiguous 8 KiB DRAM -> SBUF and SBUF -> DRAM copies
// with 1- and 2-byte elements and a 60 KiB DRAM -> DRAM copy, a 100-cycle DRAM latency and no
// back-pressure. Two measures: from the instruction's acceptance to its completion (the latency
// included), and the steady state: AXI data beats per cycle from the first beat of a direction
// to its last, which must be at least 0.95 (issue 13: a beat per cycle on contiguous runs).
#include "dma_gen.hpp"

using namespace systole::verif;
using namespace systole::verif::dmab;

namespace {

// 8 KiB of `size`-byte elements on chip: every partition from pstart 0, B bytes each, the whole
// area repeated when the SBUF is smaller than 8 KiB (tiny: the dst names each element twice).
Dap onchip_8k(const Config& cfg, DType t) {
  const std::uint32_t size = dtype_size(t);
  const std::uint32_t per = std::min<std::uint32_t>(cfg.sbuf_bytes, 8192 / cfg.partitions);
  const std::uint32_t reps = 8192 / (per * cfg.partitions);
  Dap d;
  d.space = Space::kSbuf;
  d.dtype = t;
  d.dims = {Dim{per / size, 1}, Dim{1, 0}, Dim{reps, 0}, Dim{cfg.partitions, 1}};
  return d;
}

// AXI beats per cycle from the first beat of a direction to its last.
double steady(std::uint64_t beats, std::uint64_t first, std::uint64_t last) {
  return beats == 0 ? 0.0 : static_cast<double>(beats) / static_cast<double>(last - first + 1);
}

// Runs the one valid DMA `d` alone against a 100-cycle DRAM without back-pressure.
Outcome run_alone(const Dma& d) {
  EXPECT_FALSE(validate(dma_insn(d), config(), open_windows()));
  Rng r(test_seed());
  Bench b(plain_axi(100));
  b.mem().write(0, random_bytes(r, kDram, 0));
  const Outcome o = b.run(encode_all({dma_insn(d)}));
  EXPECT_EQ(o.done, 1u);
  return o;
}

double measure(bool to_sbuf, DType t, std::uint64_t& cycles, double& beat_rate) {
  const Config cfg = config();
  const Dap chip = onchip_8k(cfg, t);
  const Dap mem = dram(t, 0x1000, {{8192 / dtype_size(t), 1}});
  const Dma d = to_sbuf ? Dma{chip, mem} : Dma{mem, chip};
  const Outcome o = run_alone(d);
  cycles = o.last_done - o.first_accept + 1;
  beat_rate = to_sbuf ? steady(o.r_beats, o.first_r, o.last_r) : steady(o.w_beats, o.first_w, o.last_w);
  return static_cast<double>(d.src.size()) / static_cast<double>(cycles);
}

void expect_rate(bool to_sbuf, DType t) {
  std::uint64_t cycles = 0;
  double beat_rate = 0;
  const double rate = measure(to_sbuf, t, cycles, beat_rate);
  std::printf("[ DmaThroughput ] %s %s %s, 8 KiB: %u elements in %llu cycles = %.3f elements/cycle; "
              "%.3f %s beats/cycle steady\n",
              SYSTOLE_MODEL_CONFIG, to_sbuf ? "DRAM -> SBUF" : "SBUF -> DRAM", std::string(dtype_name(t)).c_str(),
              8192 / dtype_size(t), static_cast<unsigned long long>(cycles), rate, beat_rate, to_sbuf ? "R" : "W");
  EXPECT_GE(rate, 0.9) << replay_command("dma");
  EXPECT_GE(beat_rate, 0.95) << replay_command("dma");
}

// A contiguous DRAM -> DRAM copy of `bytes` (60 KiB: 1920 beats on default), in AXI data beats
// per cycle (each direction moves one beat per beat), from acceptance to completion.
double dram_to_dram(DType t, std::uint32_t bytes, std::uint64_t& cycles, double& r_rate, double& w_rate) {
  const Config cfg = config();
  const std::uint32_t n = bytes / dtype_size(t);
  const Dma d{dram(t, 0x10000, {{n, 1}}), dram(t, 0x1000, {{n, 1}})};
  const Outcome o = run_alone(d);
  cycles = o.last_done - o.first_accept + 1;
  r_rate = steady(o.r_beats, o.first_r, o.last_r);
  w_rate = steady(o.w_beats, o.first_w, o.last_w);
  return static_cast<double>(bytes) / (cfg.axi_data_bits / 8.0) / static_cast<double>(cycles);
}

// A transposing load (docs/isa.md: pdim = 0): a contiguous DRAM run spread over all partitions,
// P elements per SBUF row offset, `rows` such groups. One column write per cycle moves P
// elements, so the steady R rate is min(1, P * size / beat) beats per cycle.
double transposing(DType t, double& expect) {
  const Config cfg = config();
  const std::uint32_t P = cfg.partitions, size = dtype_size(t);
  const std::uint32_t rows = std::min<std::uint32_t>(cfg.sbuf_bytes / size, 8192 / (P * size));
  Dap chip;
  chip.space = Space::kSbuf;
  chip.dtype = t;
  chip.pdim = 0;
  chip.dims = {Dim{P, 1}, Dim{rows, 1}, Dim{1, 0}, Dim{1, 0}};
  const Dma d{chip, dram(t, 0x1000, {{P * rows, 1}})};
  const Outcome o = run_alone(d);
  expect = std::min(1.0, static_cast<double>(P * size) / (cfg.axi_data_bits / 8.0));
  return steady(o.r_beats, o.first_r, o.last_r);
}

}  // namespace

TEST(DmaThroughput, TransposingLoad) {
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp32}) {
    double expect = 0;
    const double rate = transposing(t, expect);
    std::printf("[ DmaThroughput ] %s DRAM -> SBUF transposing %s: steady %.3f R beats/cycle (P elements per cycle: "
                "%.3f)\n",
                SYSTOLE_MODEL_CONFIG, std::string(dtype_name(t)).c_str(), rate, expect);
    EXPECT_GE(rate, 0.95 * expect) << replay_command("dma");
  }
}

TEST(DmaThroughput, DramToDram) {
  for (DType t : {DType::kInt8, DType::kBf16, DType::kFp32}) {
    std::uint64_t cycles = 0;
    double r_rate = 0, w_rate = 0;
    const double rate = dram_to_dram(t, 60 * 1024, cycles, r_rate, w_rate);
    std::printf("[ DmaThroughput ] %s DRAM -> DRAM %s, 60 KiB: %llu cycles = %.3f beats/cycle; steady R %.3f, W %.3f\n",
                SYSTOLE_MODEL_CONFIG, std::string(dtype_name(t)).c_str(), static_cast<unsigned long long>(cycles), rate,
                r_rate, w_rate);
    // 1920 beats (default) against ~250 cycles of read and write latency: 0.88 at best.
    EXPECT_GE(rate, 0.85) << replay_command("dma");
    EXPECT_GE(r_rate, 0.95) << replay_command("dma");
    EXPECT_GE(w_rate, 0.95) << replay_command("dma");
  }
}

TEST(DmaThroughput, DramToSbufInt8) { expect_rate(true, DType::kInt8); }
TEST(DmaThroughput, DramToSbufBf16) { expect_rate(true, DType::kBf16); }
TEST(DmaThroughput, SbufToDramInt8) { expect_rate(false, DType::kInt8); }
TEST(DmaThroughput, SbufToDramBf16) { expect_rate(false, DType::kBf16); }
