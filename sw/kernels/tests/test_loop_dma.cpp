// The DMA splitter kernels use (src/loop_dma.hpp): transfers whose strides or counts do not fit
// the DAP fields become several instructions that still move exactly the same elements, and
// large transfers are spread over every DMA queue.
#include <gtest/gtest.h>

#include <set>

#include "loop_dma.hpp"
#include "systole/driver/golden_device.hpp"

using namespace systole;
using namespace systole::golden;
using kernels::detail::DmaEmitter;
using kernels::detail::LoopDim;
using kernels::detail::LoopDma;
using kernels::detail::Side;

namespace {

std::unique_ptr<driver::GoldenDevice> dev(std::uint64_t dram) {
  return std::make_unique<driver::GoldenDevice>(Config::standard(), dram, true);
}

}  // namespace

// Rows 2^23 + 3 elements apart: the stride does not fit the signed 24-bit field, so each row
// is its own DMA.
TEST(LoopDma, StrideBeyondTheFieldIsSplit) {
  auto d = dev(40u << 20);
  const std::uint32_t stride = (1u << 23) + 3, src = d->alloc(2 * stride + 5), dst = d->alloc(15);
  for (std::uint32_t r = 0; r < 3; ++r) {
    std::vector<std::uint8_t> row = {std::uint8_t(r), std::uint8_t(r + 10), std::uint8_t(r + 20), std::uint8_t(r + 30),
                                     std::uint8_t(r + 40)};
    d->upload(src + r * stride, row);
  }
  ProgramBuilder b(d->config());
  DmaEmitter e(b, d->config());
  LoopDma t;
  t.src = Side{Space::kDram, DType::kInt8, src, 0, -1};
  t.dst = Side{Space::kDram, DType::kInt8, dst, 0, -1};
  t.dims = {LoopDim{5, 1, 1}, LoopDim{3, stride, 5}, LoopDim{}, LoopDim{}};
  e.emit(t, 0, {});  // split dim 0 has only 5 elements: one piece
  b.end();
  EXPECT_EQ(b.size(), 4u);  // three DMAs and END
  EXPECT_TRUE(d->run(b).races.empty());
  const auto out = d->download<std::uint8_t>(dst, 15);
  for (std::uint32_t r = 0; r < 3; ++r) {
    for (std::uint32_t i = 0; i < 5; ++i) EXPECT_EQ(out[r * 5 + i], r + 10 * i) << r << " " << i;
  }
}

// 70,000 contiguous elements: more than a 16-bit count, split into pieces per queue first and
// at 65,535 inside a piece if needed; the bytes arrive in order.
TEST(LoopDma, CountBeyondTheFieldIsSplitAndSpreadOverQueues) {
  auto d = dev(1u << 20);
  const std::uint32_t n = 70000, src = d->alloc(n), dst = d->alloc(n);
  std::vector<std::uint8_t> v(n);
  for (std::uint32_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 + i / 256);
  d->upload(src, v);
  ProgramBuilder b(d->config());
  DmaEmitter e(b, d->config());
  LoopDma t;
  t.src = Side{Space::kDram, DType::kInt8, src, 0, -1};
  t.dst = Side{Space::kDram, DType::kInt8, dst, 0, -1};
  t.dims = {LoopDim{n, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
  e.emit(t, 0, {});
  b.end();
  std::set<std::uint8_t> engines;
  for (const auto& insn : b.instructions()) {
    if (insn.opcode() == Opcode::kDma) {
      engines.insert(insn.engine);
      EXPECT_LE(std::get<Dma>(insn.op).src.dims[0].count, 0xFFFFu);
    }
  }
  EXPECT_EQ(engines.size(), d->config().dma_queues);
  EXPECT_TRUE(d->run(b).races.empty());
  EXPECT_EQ(d->download<std::uint8_t>(dst, n), v);
}

// A single-queue piece of more than 65,535 elements splits at the field limit.
TEST(LoopDma, LongSinglePieceSplitsAtTheFieldLimit) {
  auto d = dev(1u << 20);
  const std::uint32_t n = 140000, src = d->alloc(n), dst = d->alloc(n);
  std::vector<std::uint8_t> v(n);
  for (std::uint32_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i ^ (i >> 9));
  d->upload(src, v);
  ProgramBuilder b(d->config());
  DmaEmitter e(b, d->config());
  LoopDma t;
  t.src = Side{Space::kDram, DType::kInt8, src, 0, -1};
  t.dst = Side{Space::kDram, DType::kInt8, dst, 0, -1};
  t.dims = {LoopDim{n, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
  e.emit(t, 1, {});  // split along a loop of count 1: one piece
  b.end();
  EXPECT_EQ(b.size(), 4u);  // 65535 + 65535 + 8930, END
  EXPECT_TRUE(d->run(b).races.empty());
  EXPECT_EQ(d->download<std::uint8_t>(dst, n), v);
}
