// All DMA queues of the Verilated `default` chip together saturate the DRAM (issue 13): two
// queues load 64 KiB each from DRAM into SBUF while the two others store 64 KiB each from SBUF
// to DRAM, against the bench's DRAM (100-cycle latency, 64 bytes per cycle shared by reads and
// writes). The AXI port carries a 32-byte beat per cycle each way, so reads and writes together
// can fill the 64 bytes per cycle: the run must average at least 90% of that from START to END
// (latency, set-up and the last B responses included) and move exactly the bytes it asked for.
// Each queue works in partitions of its own: SBUF's DMA port moves one row per partition and
// cycle, so queues walking the same partitions in lock step would share one port.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "bench_chip.hpp"
#include "systole/golden/builder.hpp"

namespace systole::verif {
namespace {

using golden::DType;
using golden::Space;

TEST(ChipDmaBandwidth, AllQueuesTogetherSaturateTheDram) {
  const auto chip = bench_default_chip();
  if (!chip) GTEST_SKIP() << "no default chip model built";
  sim::RtlDevice& dev = *chip;
  const golden::Config& cfg = dev.config();
  ASSERT_EQ(cfg.dma_queues, 4u);
  const std::uint32_t parts = cfg.partitions / 4;  // partitions per queue
  const std::uint32_t per_part = 65536 / parts;    // bytes per partition: 64 KiB per transfer
  const std::uint32_t bytes = per_part * parts;
  std::vector<std::uint32_t> buf(4);
  for (auto& b : buf) b = dev.alloc(bytes, 4096);
  std::vector<std::uint8_t> data(bytes);
  for (std::uint32_t i = 0; i < bytes; ++i) data[i] = static_cast<std::uint8_t>(i * 7 + 3);
  for (const std::uint32_t b : buf) dev.upload(b, std::span<const std::uint8_t>(data));

  golden::ProgramBuilder p(cfg);
  const auto done = p.semaphore("done");
  // Queue q: partitions [q * parts, (q + 1) * parts), per_part bytes of each.
  const auto region = [&](unsigned q) {
    return golden::onchip(Space::kSbuf, DType::kInt8, q * parts, parts, 0, {{per_part, 1}});
  };
  const auto dram = [&](unsigned q) {
    return golden::dram(DType::kInt8, buf[q], {{per_part, 1}, {parts, static_cast<std::int32_t>(per_part)}});
  };
  p.dma(0, region(0), dram(0), p.signal(done));  // loads
  p.dma(1, region(1), dram(1), p.signal(done));
  p.dma(2, dram(2), region(2), p.signal(done));  // stores
  p.dma(3, dram(3), region(3), p.signal(done));
  p.end(p.after(done));
  const driver::RunResult r = dev.run(p);

  const driver::Counters& k = r.counters;
  ASSERT_TRUE(k.cycles.has_value());
  EXPECT_EQ(k.dram_rd_bytes, 2u * bytes);
  EXPECT_EQ(k.dram_wr_bytes, 2u * bytes);
  const double rate = static_cast<double>(k.dram_rd_bytes + k.dram_wr_bytes) / static_cast<double>(*k.cycles);
  std::printf("4 queues, 2 x 64 KiB in + 2 x 64 KiB out: %llu cycles, %.1f DRAM bytes per cycle (of 64)\n",
              static_cast<unsigned long long>(*k.cycles), rate);
  EXPECT_GE(rate, 0.90 * 64);
}

}  // namespace
}  // namespace systole::verif
