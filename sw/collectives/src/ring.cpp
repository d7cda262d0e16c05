// Ring collectives (docs/collectives.md section 3): every flow of chunks.hpp is cut into tiles
// of up to P x W elements; a tile visits the chips of its flow in turn, and each visit is a
// few instructions: load the chip's own elements, reduce them with the received tile on the
// vector engine, store the result, send it on to the next chip with a remote signal, and give
// the sender its receive slot back (a remote NOP) once the tile has been read.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <tuple>

#include "chunks.hpp"
#include "plan_detail.hpp"
#include "tile_ops.hpp"

namespace systole::collectives::detail {
namespace {

using golden::AluOp;
using golden::Dap;
using golden::DType;
using golden::ProgramBuilder;
using golden::Sem;
using golden::Space;
using golden::Tap;

struct Visit {
  std::uint64_t tile;  // tile index inside its flow
  std::uint32_t k;     // position along the flow
  int dir_index;       // 0: +1, 1: -1
  const Flow* flow;
  std::uint64_t lo, n;  // the tile's elements, relative to the flow
};

struct Roles {
  bool source, reduce, store, send;
};

Roles roles(const Spec& s, std::uint32_t k, std::uint32_t visits) {
  const std::uint32_t n = s.chips;
  Roles r{k == 0, false, false, k + 1 < visits};
  switch (s.kind) {
    case Kind::kAllReduce:
      r.reduce = k >= 1 && k <= n - 1;
      r.store = k >= n - 1;
      break;
    case Kind::kReduceScatter:
      r.reduce = k >= 1;
      r.store = k == n - 1;
      break;
    default:  // all-gather, broadcast: forward; the source stores its own block unless in place
      r.store = k >= 1 || !s.in_place;
      break;
  }
  return r;
}

class RingEmitter : private TileOps {
 public:
  RingEmitter(const Spec& s, const golden::Config& cfg, const Layout& lay, const Tiling& t, std::uint32_t chip,
              std::array<std::uint32_t, 2> receives)
      : TileOps(s, cfg, t, chip), lay_(lay), chip_(chip), receives_(receives) {
    loaded_ = b_.semaphore("loaded");
    vec_ = b_.semaphore("reduced");
    stored_ = b_.semaphore("stored");
    for (int d = 0; d < 2; ++d) {
      full_[d] = b_.semaphore(fmt::format("full{}", d));
      free_[d] = b_.semaphore(fmt::format("free{}", d));
      sent_[d] = b_.semaphore(fmt::format("sent{}", d));
    }
    const std::uint32_t q = cfg.dma_queues;
    q_load_ = 0;
    q_send_ = {1 % q, 2 % q};
    q_store_ = 3 % q;
    res_rel_.assign(2, std::vector<std::vector<Cond>>(t.slots));
    own_rel_.assign(2, std::vector<std::vector<Cond>>(t.slots));
  }

  void visit(const Visit& v);
  std::vector<golden::EncodedInstruction> finish() {
    b_.end();
    return b_.finish();
  }

 private:
  enum SlotKind : std::uint32_t { kRecv = 0, kRes = 1, kOwn = 2 };
  std::uint32_t slot_offset(int d, SlotKind kind, std::uint32_t j) const {
    return ((static_cast<std::uint32_t>(d) * 3 + kind) * t_.slots + j) * t_.width * size_;
  }
  const Layout& lay_;
  std::uint32_t chip_;
  std::array<std::uint32_t, 2> receives_;  // messages this chip receives per direction
  Sem loaded_, vec_, stored_;
  std::array<Sem, 2> full_{}, free_{}, sent_{};
  unsigned q_load_ = 0, q_store_ = 0;
  std::array<unsigned, 2> q_send_{};
  std::array<std::uint32_t, 2> n_recv_{}, n_send_{}, n_res_{}, n_own_{};
  std::vector<std::vector<std::vector<Cond>>> res_rel_, own_rel_;  // per dir, per slot: before reuse
};

void RingEmitter::visit(const Visit& v) {
  const int d = v.dir_index;
  const Roles r = roles(s_, v.k, v.flow->visits);
  const std::uint64_t in_elem = v.flow->in_lo + v.lo;
  const std::uint64_t out_elem = v.flow->out_lo + v.lo;
  const std::uint32_t slots = t_.slots;
  const std::uint8_t vec_eng = golden::engine::kVec;

  std::uint32_t res_off = 0;  // where the visit's result lies
  Cond res_ready{};
  std::optional<std::uint32_t> res_slot;
  std::optional<Cond> recv_read;  // when the received tile has been read (reduce visits)
  if (r.source) {
    res_slot = n_res_[d]++ % slots;
    res_off = slot_offset(d, kRes, *res_slot);
    move(q_load_, true, res_off, lay_.in_addr, in_elem, v.n,
         waits(golden::engine::dma(q_load_), res_rel_[d][*res_slot]), loaded_);
    res_ready = {loaded_, b_.signals(loaded_)};
  } else {
    const std::uint32_t recv_slot = n_recv_[d]++ % slots;
    const Cond arrived{full_[d], n_recv_[d]};
    if (r.reduce) {
      const std::uint32_t own_slot = n_own_[d]++ % slots;
      const std::uint32_t own_off = slot_offset(d, kOwn, own_slot);
      move(q_load_, true, own_off, lay_.in_addr, in_elem, v.n,
           waits(golden::engine::dma(q_load_), own_rel_[d][own_slot]), loaded_);
      const Cond own_ready{loaded_, b_.signals(loaded_)};
      res_slot = n_res_[d]++ % slots;
      res_off = slot_offset(d, kRes, *res_slot);
      std::vector<Cond> before = res_rel_[d][*res_slot];
      before.push_back(own_ready);
      before.push_back(arrived);
      ProgramBuilder::Deps dd = waits(vec_eng, before);
      const std::uint32_t recv_off = slot_offset(d, kRecv, recv_slot);
      const AluOp op = alu();
      parts(v.n, [&](std::uint32_t p0, std::uint32_t pc, std::uint32_t w, std::uint64_t, bool first, bool last) {
        ProgramBuilder::Deps x = first ? dd : ProgramBuilder::Deps{};
        if (last) x = x.and_signal(vec_);
        auto tp = [&](std::uint32_t off) { return sbuf_tap(off, p0, pc, w); };
        // received op own, in that order (docs/collectives.md: the running value comes first)
        b_.tensor_tensor(op, tp(res_off), tp(recv_off), tp(own_off), x);
      });
      res_ready = {vec_, b_.signals(vec_)};
      own_rel_[d][own_slot] = {res_ready};
      recv_read = res_ready;
    } else {
      res_off = slot_offset(d, kRecv, recv_slot);  // forward straight from the receive slot
      res_ready = arrived;
    }
  }

  std::vector<Cond> release;
  if (r.store) {
    move(q_store_, false, res_off, lay_.out_addr, out_elem, v.n, waits(golden::engine::dma(q_store_), {res_ready}),
         stored_);
    release.push_back({stored_, b_.signals(stored_)});
  }
  const unsigned qs = q_send_[d];
  const std::uint8_t send_eng = golden::engine::dma(qs);
  if (r.send) {
    const std::uint32_t next = ring_step(chip_, d == 0 ? 1 : -1, 1, s_.chips);
    const std::uint32_t msg = n_send_[d]++;
    std::vector<Cond> before{res_ready};
    if (msg >= slots) before.push_back({free_[d], msg - slots + 1});
    ProgramBuilder::Deps dd = waits(send_eng, before);
    const std::uint32_t dst_off = slot_offset(d, kRecv, msg % slots);
    parts(v.n, [&](std::uint32_t p0, std::uint32_t pc, std::uint32_t w, std::uint64_t, bool first, bool last) {
      ProgramBuilder::Deps x = first ? dd : ProgramBuilder::Deps{};
      if (last) x = x.and_signal(sent_[d]);
      const Dap dst = golden::remote(sbuf(dst_off, p0, pc, w), next, last ? std::optional(full_[d]) : std::nullopt);
      b_.dma(qs, dst, sbuf(res_off, p0, pc, w), x);
    });
    release.push_back({sent_[d], b_.signals(sent_[d])});
  }
  if (res_slot) res_rel_[d][*res_slot] = release;

  // The sender's slot comes back once the tile has been read: by the vector engine (reduce) or
  // by the store and the send (forward; the send is earlier on this queue). Only credits the
  // sender will wait for are sent (none after its last R messages): nothing arrives late.
  if (!r.source && n_recv_[d] + slots <= receives_[d]) {
    const std::uint32_t prev = ring_step(chip_, d == 0 ? -1 : 1, 1, s_.chips);
    std::vector<Cond> before;
    if (recv_read) before.push_back(*recv_read);
    if (r.store && !recv_read) before.push_back(release.front());
    b_.remote_nop(qs, prev, free_[d], waits(send_eng, before));
  }
}

}  // namespace

std::vector<std::vector<golden::EncodedInstruction>> ring_programs(const Spec& s, const golden::Config& cfg,
                                                                   const Layout& lay, const Tiling& t) {
  const std::vector<Flow> flows = ring_flows(s);
  const std::uint64_t tile = std::uint64_t{cfg.partitions} * t.width;
  std::vector<std::vector<Visit>> per_chip(s.chips);
  std::vector<std::array<std::uint32_t, 2>> receives(s.chips, {0, 0});
  for (const Flow& f : flows) {
    const int di = f.dir > 0 ? 0 : 1;
    for (std::uint64_t lo = 0, ti = 0; lo < f.n; lo += tile, ++ti) {
      for (std::uint32_t k = 0; k < f.visits; ++k) {
        const std::uint32_t chip = ring_step(f.first, f.dir, k, s.chips);
        per_chip[chip].push_back(Visit{ti, k, di, &f, lo, std::min(tile, f.n - lo)});
        if (k > 0) ++receives[chip][di];
      }
    }
  }
  std::vector<std::vector<golden::EncodedInstruction>> programs;
  for (std::uint32_t c = 0; c < s.chips; ++c) {
    auto& vs = per_chip[c];
    // The order every chip agrees on: tile, then position along the flow, then direction. A
    // chip's sends to its neighbour and the neighbour's receives then come in the same order,
    // and every wait points at an earlier (tile, position) on some chip: no deadlock.
    std::sort(vs.begin(), vs.end(), [](const Visit& a, const Visit& b) {
      return std::tie(a.tile, a.k, a.dir_index) < std::tie(b.tile, b.k, b.dir_index);
    });
    RingEmitter e(s, cfg, lay, t, c, receives[c]);
    for (const Visit& v : vs) e.visit(v);
    programs.push_back(e.finish());
  }
  return programs;
}

}  // namespace systole::collectives::detail
