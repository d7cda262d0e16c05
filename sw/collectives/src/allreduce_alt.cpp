// The all-reduce's other algorithms (docs/collectives.md section 3a): direct, for systems where
// every chip has a link to every other, and recursive doubling, log2 N whole-buffer exchanges
// for small messages. Both reduce through SBUF tiles with TileReducer: dst = ((s_0 op s_1) op
// s_2) ..., the sources in a fixed order, so every chip computes the same bits.
#include <fmt/format.h>

#include "chunks.hpp"
#include "plan_detail.hpp"
#include "tile_ops.hpp"

namespace systole::collectives::detail {
namespace {

using golden::Sem;

// Emits the reduction of DRAM sources into a DRAM destination, a tile at a time through two
// accumulator and two operand slots of SBUF, on queue 0 (loads), the vector engine and queue 3
// (stores). Consecutive reduce() calls share the slots and their semaphore counts.
class TileReducer : protected TileOps {
 protected:
  TileReducer(const Spec& s, const golden::Config& cfg, const Tiling& t, std::uint32_t chip)
      : TileOps(s, cfg, t, chip), q_store_(3 % cfg.dma_queues), tile_(std::uint64_t{cfg.partitions} * t.width) {
    loaded_ = b_.semaphore("loaded");
    vec_ = b_.semaphore("reduced");
    stored_ = b_.semaphore("stored");
  }

  // dst[0..n) = src[0] op src[1] op ... (left to right), every address a DRAM byte address of
  // this chip; `pre` is waited for before anything is read.
  void reduce(const std::vector<std::uint64_t>& srcs, std::uint64_t dst, std::uint64_t n,
              const std::vector<Cond>& pre) {
    const std::uint8_t load_eng = golden::engine::dma(0), store_eng = golden::engine::dma(q_store_);
    const std::uint32_t slot_bytes = t_.width * size_;
    for (std::uint64_t lo = 0; lo < n; lo += tile_) {
      const std::uint64_t m = std::min(tile_, n - lo);
      const std::uint32_t a = n_acc_++ % 2;
      std::vector<Cond> before = acc_rel_[a];
      if (lo == 0) before.insert(before.end(), pre.begin(), pre.end());
      move(0, true, a * slot_bytes, srcs[0], lo, m, waits(load_eng, before), loaded_);
      Cond ready{loaded_, b_.signals(loaded_)};
      for (std::size_t k = 1; k < srcs.size(); ++k) {
        const std::uint32_t o = n_op_++ % 2;
        move(0, true, (2 + o) * slot_bytes, srcs[k], lo, m, waits(load_eng, op_rel_[o]), loaded_);
        const Deps d = waits(golden::engine::kVec, {{loaded_, b_.signals(loaded_)}});
        parts(m, [&](std::uint32_t p0, std::uint32_t pc, std::uint32_t w, std::uint64_t, bool first, bool last) {
          Deps x = first ? d : Deps{};
          if (last) x = x.and_signal(vec_);
          b_.tensor_tensor(alu(), sbuf_tap(a * slot_bytes, p0, pc, w), sbuf_tap(a * slot_bytes, p0, pc, w),
                           sbuf_tap((2 + o) * slot_bytes, p0, pc, w), x);
        });
        ready = {vec_, b_.signals(vec_)};
        op_rel_[o] = {ready};
      }
      move(q_store_, false, a * slot_bytes, dst, lo, m, waits(store_eng, {ready}), stored_);
      acc_rel_[a] = {{stored_, b_.signals(stored_)}};
    }
  }

  unsigned q_store_;
  std::uint64_t tile_;
  Sem loaded_, vec_, stored_;
  std::uint32_t n_acc_ = 0, n_op_ = 0;
  std::vector<Cond> acc_rel_[2], op_rel_[2];
};

class DirectAllReduce : private TileReducer {
 public:
  DirectAllReduce(const Spec& s, const golden::Config& cfg, const Layout& lay, const Tiling& t, std::uint32_t chip)
      : TileReducer(s, cfg, t, chip), lay_(lay), chip_(chip), queues_(cfg.dma_queues) {}

  std::vector<golden::EncodedInstruction> build() {
    const std::uint32_t n = s_.chips, i = chip_;
    const Sem rs = b_.semaphore("chunks in"), ag = b_.semaphore("results in");
    auto lo = [&](std::uint32_t c) { return split_point(s_.count, n, c); };
    auto len = [&](std::uint32_t c) { return lo(c + 1) - lo(c); };
    const std::uint64_t slot = split_point(s_.count + n - 1, n, 1);  // the largest chunk
    // 1. Chunk c of the input to chip c's receive slot for this chip (peers in the order i+1,
    //    i+2, ... over queues 1 and 2).
    for (std::uint32_t step = 1; step < n; ++step) {
      const std::uint32_t c = (i + step) % n;
      if (len(c) == 0) continue;
      dram_copy(b_, s_, queue(step), i, c, lay_.scratch_addr + std::uint64_t{i} * slot * size_,
                lay_.in_addr + lo(c) * size_, len(c), rs);
    }
    // 2. Chunk i reduced from every chip's contribution in chip order 0, 1, ..., N-1.
    if (len(i) > 0) {
      std::vector<std::uint64_t> srcs;
      for (std::uint32_t k = 0; k < n; ++k) {
        srcs.push_back(k == i ? lay_.in_addr + lo(i) * size_ : lay_.scratch_addr + std::uint64_t{k} * slot * size_);
      }
      std::vector<Cond> pre;
      if (n > 1) pre.push_back({rs, n - 1});  // every chunk in: one wait for all, never for some
      reduce(srcs, lay_.out_addr + lo(i) * size_, len(i), pre);
      // 3. The result to every other chip's output, after the last store.
      for (std::uint32_t step = 1; step < n; ++step) {
        const std::uint32_t c = (i + step) % n;
        dram_copy(b_, s_, queue(step), i, c, lay_.out_addr + lo(i) * size_, lay_.out_addr + lo(i) * size_, len(i), ag,
                  b_.wait(stored_, b_.signals(stored_)));
      }
    }
    std::uint32_t results = 0;
    for (std::uint32_t c = 0; c < n; ++c) results += c != i && len(c) > 0 ? 1 : 0;
    b_.end(results > 0 ? b_.wait(ag, results) : Deps{});
    return b_.finish();
  }

 private:
  // The sends alternate between queues 1 and 2 (0 loads, 3 stores).
  unsigned queue(std::uint32_t step) const { return (1 + step % 2) % queues_; }

  const Layout& lay_;
  std::uint32_t chip_;
  unsigned queues_;
};

class RecursiveDoubling : private TileReducer {
 public:
  RecursiveDoubling(const Spec& s, const golden::Config& cfg, const Layout& lay, const Tiling& t, std::uint32_t chip)
      : TileReducer(s, cfg, t, chip), lay_(lay), chip_(chip) {}

  std::vector<golden::EncodedInstruction> build() {
    const std::uint32_t steps = log2_exact(s_.chips), i = chip_;
    const std::uint64_t bytes = s_.count * size_;
    std::vector<Sem> in;  // one semaphore per step: each step's partner is another chip
    for (std::uint32_t k = 0; k < steps; ++k) in.push_back(b_.semaphore(fmt::format("step{}", k)));
    const Sem sent = b_.semaphore("sent");
    if (s_.count > 0) {
      // The running value lives in the output buffer.
      if (!s_.in_place) dram_copy(b_, s_, q_store_, i, i, lay_.out_addr, lay_.in_addr, s_.count, stored_);
      for (std::uint32_t k = 0; k < steps; ++k) {
        const std::uint32_t p = i ^ (1u << k);
        const std::uint64_t recv = lay_.scratch_addr + k * bytes;
        // Send the running value to the partner once it is complete, then combine: the lower
        // chip's value first, on both chips, so both compute the same bits.
        dram_copy(b_, s_, 1, i, p, recv, lay_.out_addr, s_.count, in[k], b_.wait(stored_, b_.signals(stored_)));
        b_.nop(golden::engine::dma(1), b_.signal(sent));  // the send has read the running value
        const std::vector<std::uint64_t> srcs =
            i < p ? std::vector<std::uint64_t>{lay_.out_addr, recv} : std::vector<std::uint64_t>{recv, lay_.out_addr};
        reduce(srcs, lay_.out_addr, s_.count, {{in[k], 1}, {sent, b_.signals(sent)}});
      }
    }
    b_.end();
    return b_.finish();
  }

 private:
  const Layout& lay_;
  std::uint32_t chip_;
};

}  // namespace

std::vector<std::vector<golden::EncodedInstruction>> direct_allreduce_programs(const Spec& s, const golden::Config& cfg,
                                                                               const Layout& lay, const Tiling& t) {
  std::vector<std::vector<golden::EncodedInstruction>> out;
  for (std::uint32_t c = 0; c < s.chips; ++c) out.push_back(DirectAllReduce(s, cfg, lay, t, c).build());
  return out;
}

std::vector<std::vector<golden::EncodedInstruction>> recursive_doubling_programs(const Spec& s,
                                                                                 const golden::Config& cfg,
                                                                                 const Layout& lay, const Tiling& t) {
  std::vector<std::vector<golden::EncodedInstruction>> out;
  for (std::uint32_t c = 0; c < s.chips; ++c) out.push_back(RecursiveDoubling(s, cfg, lay, t, c).build());
  return out;
}

}  // namespace systole::collectives::detail
