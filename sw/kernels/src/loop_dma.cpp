#include "loop_dma.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace systole::kernels::detail {

namespace {

constexpr std::uint32_t kMaxCount = 0xFFFF;                       // DAP n fields: 16 bits
constexpr std::int64_t kMaxStride = (std::int64_t{1} << 23) - 1;  // DAP s fields: signed 24 bits
constexpr std::int64_t kMinStride = -(std::int64_t{1} << 23);

bool stride_fits(std::int64_t s) { return s >= kMinStride && s <= kMaxStride; }

// Moves side `s` to iteration `i` of loop `d`.
void advance(Side& s, const LoopDim& dim, bool is_src, int d, std::int64_t i) {
  const std::int64_t step = i * (is_src ? dim.src : dim.dst);
  if (s.space != golden::Space::kDram && s.pdim == d) {
    s.pstart = static_cast<std::uint32_t>(static_cast<std::int64_t>(s.pstart) + step);
  } else {
    s.addr = static_cast<std::uint64_t>(static_cast<std::int64_t>(s.addr) + step * golden::dtype_size(s.dtype));
  }
}

LoopDma sub_range(const LoopDma& t, int d, std::uint32_t first, std::uint32_t count) {
  LoopDma s = t;
  advance(s.src, t.dims[d], true, d, first);
  advance(s.dst, t.dims[d], false, d, first);
  s.dims[d].count = count;
  return s;
}

golden::Dap make_dap(const Side& s, const std::array<LoopDim, 4>& dims, bool is_src) {
  golden::Dap d;
  d.space = s.space;
  d.dtype = s.dtype;
  if (s.addr > 0xFFFFFFFFull)
    throw std::logic_error(fmt::format("internal: DAP address 0x{:x} beyond 32 bits", s.addr));
  d.addr = static_cast<std::uint32_t>(s.addr);
  for (std::size_t i = 0; i < 4; ++i) {
    const std::int64_t st = dims[i].count == 1 ? 0 : (is_src ? dims[i].src : dims[i].dst);
    d.dims[i] = golden::Dim{dims[i].count, static_cast<std::int32_t>(st)};
  }
  if (s.space == golden::Space::kDram) {
    d.pstart = 0;
    d.pdim = 3;
    return d;
  }
  d.pstart = s.pstart;
  int pd = s.pdim;
  if (pd < 0) {  // a single partition: any loop of count 1 can be the partition loop
    for (int i = 3; i >= 0 && pd < 0; --i) {
      if (dims[i].count == 1) pd = i;
    }
    if (pd < 0) throw std::logic_error("internal: on-chip DMA side needs a loop of count 1 for its partition");
    d.dims[pd] = golden::Dim{1, 1};
  }
  d.pdim = static_cast<std::uint8_t>(pd);
  return d;
}

}  // namespace

void DmaEmitter::use_queues(unsigned first, unsigned count) {
  if (count == 0 || first + count > cfg_.dma_queues) {
    throw std::logic_error(
        fmt::format("internal: DMA queues [{}, {}) on a configuration with {}", first, first + count, cfg_.dma_queues));
  }
  first_queue_ = first;
  queue_count_ = count;
  next_queue_ = 0;
}

void DmaEmitter::emit(const LoopDma& t, int split_dim, const golden::Deps& deps) {
  const std::uint32_t queues = queue_count_ != 0 ? queue_count_ : cfg_.dma_queues;
  const std::uint32_t c = t.dims[split_dim].count;
  const std::uint64_t by_size = std::max<std::uint64_t>(1, t.elements() / kMinPiece);
  const auto parts = static_cast<std::uint32_t>(std::min<std::uint64_t>({queues, c, by_size}));
  std::uint32_t first = 0;
  for (std::uint32_t i = 0; i < parts; ++i) {
    const std::uint32_t n = c / parts + (i < c % parts ? 1 : 0);
    emit_fitting(first_queue_ + next_queue_ % queues, sub_range(t, split_dim, first, n), deps);
    next_queue_ = (next_queue_ + 1) % queues;
    first += n;
  }
}

void DmaEmitter::emit_fitting(unsigned queue, const LoopDma& t, const golden::Deps& deps) {
  // The outermost loop that does not fit its fields is split; the pieces are checked again.
  for (int d = 3; d >= 0; --d) {
    const LoopDim& dim = t.dims[d];
    if (dim.count <= 1) continue;
    const bool strides_ok = stride_fits(dim.src) && stride_fits(dim.dst);
    if (strides_ok && dim.count <= kMaxCount) continue;
    const std::uint32_t piece = strides_ok ? kMaxCount : 1;
    for (std::uint32_t first = 0; first < dim.count; first += piece) {
      emit_fitting(queue, sub_range(t, d, first, std::min(piece, dim.count - first)), deps);
    }
    return;
  }
  b_.dma(queue, make_dap(t.dst, t.dims, false), make_dap(t.src, t.dims, true), deps);
}

}  // namespace systole::kernels::detail
