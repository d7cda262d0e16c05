// AxiMemory: the AXI channels, cycle by cycle (axi_memory.hpp): protocol checks on what the
// master drives, accepting AR/AW/W, choosing and presenting R and B responses, drive() and
// sample().
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "axi_memory_detail.hpp"
#include "systole/sim/axi_memory.hpp"

namespace systole::sim {

using namespace axi_memory_detail;

// ---------------------------------------------------------------------------------------------
// Protocol checks

void AxiMemory::violation(AxiRule rule, const std::string& detail) {
  AxiViolation v{cycle_, rule,
                 fmt::format("AXI protocol violation at cycle {} [{}]: {}", cycle_, to_string(rule), detail)};
  violations_.push_back(v);
  if (cfg_.on_violation == AxiViolationPolicy::kThrow) throw AxiProtocolError(std::move(v));
}

namespace {
std::string describe(const char* ch, std::uint64_t id, std::uint64_t addr, std::uint64_t len, std::uint64_t size,
                     std::uint64_t burst) {
  return fmt::format("{} id={} addr={:#x} len={} size={} burst={}", ch, id, addr, len, size, burst);
}
}  // namespace

bool AxiMemory::check_burst(const char* ch, const AddrSnap& a) {
  const std::uint64_t last = align_down(a.addr, beat_bytes_) + (a.len + 1) * beat_bytes_ - 1;
  const bool len_ok = a.len <= 255, type_ok = a.burst == 1, size_ok = a.size == port_.size_log2();
  const bool page_ok = a.addr / kPage == last / kPage;
  if (len_ok && type_ok && size_ok && page_ok) return true;  // the common case formats nothing
  const std::string what = describe(ch, a.id, a.addr, a.len, a.size, a.burst);
  if (!len_ok) {
    violation(AxiRule::kBurstLen,
              fmt::format("{}: AxLEN {} > 255 (AXI4 INCR bursts have at most 256 beats)", what, a.len));
  }
  if (!type_ok) {
    violation(AxiRule::kBurstType,
              fmt::format("{}: AxBURST {} is not INCR (1); the chip uses INCR only", what, a.burst));
  }
  if (!size_ok) {
    violation(AxiRule::kBurstSize,
              fmt::format("{}: AxSIZE {} ({} bytes) is not the full bus width (AxSIZE {} = {} bytes); the chip "
                          "uses full-width beats with WSTRB",
                          what, a.size, std::uint64_t{1} << std::min<std::uint64_t>(a.size, 63), port_.size_log2(),
                          beat_bytes_));
  }
  if (!page_ok) {
    violation(AxiRule::kBurst4k, fmt::format("{}: bytes [{:#x}, {:#x}] cross the 4 KiB boundary at {:#x}", what, a.addr,
                                             last, align_down(last, kPage)));
  }
  return false;
}

void AxiMemory::check_stable(const char* ch, AddrSnap& prev, const AddrSnap& now, bool ready) {
  if (prev.pending) {
    if (!now.pending) {
      violation(AxiRule::kValidDropped, fmt::format("{}VALID dropped before {}READY (was {})", ch, ch,
                                                    describe(ch, prev.id, prev.addr, prev.len, prev.size, prev.burst)));
    } else if (now.id != prev.id || now.addr != prev.addr || now.len != prev.len || now.size != prev.size ||
               now.burst != prev.burst) {
      violation(AxiRule::kPayloadChanged,
                fmt::format("{} payload changed while {}VALID && !{}READY: was {}, now {}", ch, ch, ch,
                            describe(ch, prev.id, prev.addr, prev.len, prev.size, prev.burst),
                            describe(ch, now.id, now.addr, now.len, now.size, now.burst)));
    }
  }
  prev = now;
  prev.pending = now.pending && !ready;
}

AxiMemory::AddrSnap AxiMemory::read_ar() const {
  AddrSnap a;
  a.pending = (port_.arvalid.get() & 1) != 0;
  if (a.pending) {
    a.id = port_.arid.get();
    a.addr = port_.araddr.get();
    a.len = port_.arlen.get();
    a.size = port_.arsize.get();
    a.burst = port_.arburst.get();
  }
  return a;
}

AxiMemory::AddrSnap AxiMemory::read_aw() const {
  AddrSnap a;
  a.pending = (port_.awvalid.get() & 1) != 0;
  if (a.pending) {
    a.id = port_.awid.get();
    a.addr = port_.awaddr.get();
    a.len = port_.awlen.get();
    a.size = port_.awsize.get();
    a.burst = port_.awburst.get();
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// Accepting requests and data

void AxiMemory::accept_ar(const AddrSnap& a) {
  check_burst("AR", a);
  Burst t;
  t.seq = seq_++;
  t.id = static_cast<std::uint32_t>(a.id);
  t.addr = a.addr;
  t.len = static_cast<unsigned>(a.len);
  t.resp = classify(t.addr, burst_end(t));
  t.ready = cycle_ + std::max(1u, cfg_.read_latency) + jitter(cfg_.read_jitter);
  reads_[t.id].push_back(t);
  ++outstanding_reads_;
  ++stats_.read_bursts;
  auto& s = stats_.per_id[t.id];
  ++s.reads;
  if (t.resp != AxiResp::kOkay) ++stats_.read_errors, ++s.read_errors;
  stats_.max_outstanding_reads = std::max(stats_.max_outstanding_reads, outstanding_reads_);
}

void AxiMemory::accept_aw(const AddrSnap& a) {
  check_burst("AW", a);
  Burst t;
  t.seq = seq_++;
  t.id = static_cast<std::uint32_t>(a.id);
  t.addr = a.addr;
  t.len = static_cast<unsigned>(a.len);
  t.resp = classify(t.addr, burst_end(t));
  aw_wait_.push_back(t);
  ++stats_.write_bursts;
  auto& s = stats_.per_id[t.id];
  ++s.writes;
  if (t.resp != AxiResp::kOkay) ++stats_.write_errors, ++s.write_errors;
  stats_.max_outstanding_writes = std::max(stats_.max_outstanding_writes, outstanding_writes());
  // W beats that came first belong to this burst (W order = AW order).
  while (!w_early_.empty() && !aw_wait_.empty()) {
    const WBeat w = w_early_.front();
    w_early_.pop_front();
    apply_w(aw_wait_.front(), w);
  }
}

void AxiMemory::accept_w(const WBeat& w) {
  if (aw_wait_.empty()) {
    w_early_.push_back(w);
  } else {
    apply_w(aw_wait_.front(), w);
  }
}

void AxiMemory::apply_w(Burst& t, const WBeat& w) {
  const unsigned k = t.beat;
  const bool last = k == t.len;
  const auto what = [&] {
    return fmt::format("W beat {} of AW id={} addr={:#x} len={} (WLAST={})", k, t.id, t.addr, t.len, w.last ? 1 : 0);
  };
  if (w.last != last) {
    violation(AxiRule::kWLast,
              last ? what() + ": WLAST missing on the last beat" : what() + ": WLAST before the last beat");
  }
  const unsigned offset = k == 0 ? static_cast<unsigned>(t.addr % beat_bytes_) : 0u;
  std::uint64_t strb = w.strb & port_.strobe_mask();
  const std::uint64_t below = offset == 0 ? 0 : (std::uint64_t{1} << offset) - 1;
  if ((strb & below) != 0) {
    violation(AxiRule::kWStrobe, fmt::format("{}: WSTRB {:#x} enables lanes below the start offset {}", what(),
                                             w.strb & port_.strobe_mask(), offset));
    strb &= ~below;
  }
  ++stats_.write_beats;
  ++stats_.per_id[t.id].write_beats;
  if (t.resp == AxiResp::kOkay && strb != 0) {
    const std::uint64_t a = align_down(t.addr, beat_bytes_) + std::uint64_t{k} * beat_bytes_;
    std::uint8_t* p = page_for_write(a) + (a - cfg_.base) % kPage;
    if (strb == port_.strobe_mask()) {
      std::memcpy(p, w.data.data(), beat_bytes_);
      stats_.written_bytes += beat_bytes_;
    } else {
      for (unsigned j = 0; j < beat_bytes_; ++j) {
        if ((strb >> j) & 1u) {
          p[j] = w.data[j];
          ++stats_.written_bytes;
        }
      }
    }
  }
  ++t.beat;
  if (t.beat > t.len) {
    Burst done = t;
    aw_wait_.pop_front();  // t is aw_wait_.front()
    done.ready = cycle_ + std::max(1u, cfg_.write_latency) + jitter(cfg_.write_jitter);
    writes_[done.id].push_back(done);
    ++writes_done_;
  }
}

// ---------------------------------------------------------------------------------------------
// Responses

AxiMemory::Burst* AxiMemory::pick_read() {
  Burst* t = nullptr;
  pick_reordered_ = false;
  if (!cfg_.interleave_reads) {  // a started burst runs to its last beat
    for (auto& [id, q] : reads_) {
      if (!q.empty() && q.front().beat > 0) {
        t = &q.front();
        break;
      }
    }
  }
  if (t == nullptr) {
    // Only the oldest burst of each ID may send (same-ID order).
    Burst* oldest = nullptr;
    cand_.clear();
    for (auto& [id, q] : reads_) {
      if (q.empty()) continue;
      Burst* f = &q.front();
      if (oldest == nullptr || f->seq < oldest->seq) oldest = f;
      if (f->ready <= cycle_) cand_.push_back(f);
    }
    if (!cfg_.reorder) {
      if (oldest != nullptr && oldest->ready <= cycle_) t = oldest;
    } else if (!cand_.empty()) {
      t = cand_[cand_.size() == 1 ? 0 : std::uniform_int_distribution<std::size_t>(0, cand_.size() - 1)(rng_)];
    }
    pick_reordered_ = t != nullptr && t->beat == 0 && t != oldest;
  }
  return t;
}

void AxiMemory::present_read(Burst* t) {
  if (t->beat == 0 && pick_reordered_) ++stats_.reordered_reads;
  RCur r;
  r.seq = t->seq;
  r.id = t->id;
  r.resp = t->resp;
  r.last = t->beat == t->len;
  r.bus_id = r.id;
  r.bus_last = r.last;
  if (t->resp == AxiResp::kOkay) {
    const std::uint64_t a = align_down(t->addr, beat_bytes_) + std::uint64_t{t->beat} * beat_bytes_;
    const std::uint8_t* p = page_for_read(a);
    if (p != nullptr) {
      std::memcpy(r.data.data(), p + (a - cfg_.base) % kPage, beat_bytes_);
    } else {
      std::memset(r.data.data(), cfg_.init_byte, beat_bytes_);
    }
  } else {
    for (unsigned j = 0; j < beat_bytes_; j += 4) std::memcpy(r.data.data() + j, &kErrorWord, 4);
  }
  fault_on_r(*t, r);
  r_cur_ = r;
}

bool AxiMemory::start_b() {
  Burst* oldest = nullptr;
  cand_.clear();
  for (auto& [id, q] : writes_) {
    if (q.empty()) continue;
    Burst* f = &q.front();
    if (oldest == nullptr || f->seq < oldest->seq) oldest = f;
    if (f->ready <= cycle_) cand_.push_back(f);
  }
  Burst* t = nullptr;
  if (!cfg_.reorder) {
    if (oldest != nullptr && oldest->ready <= cycle_) t = oldest;
  } else if (!cand_.empty()) {
    t = cand_[cand_.size() == 1 ? 0 : std::uniform_int_distribution<std::size_t>(0, cand_.size() - 1)(rng_)];
  }
  if (t == nullptr) return false;
  b_cur_ = BCur{t->seq, t->id, t->id, t->resp, false};
  fault_on_b(*b_cur_);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Per cycle

void AxiMemory::write_outputs() {
  static const Lanes kZero{};
  port_.awready.set(aw_ready_);
  port_.wready.set(w_ready_);
  port_.arready.set(ar_ready_);
  port_.rvalid.set(r_cur_.has_value());
  port_.rid.set(r_cur_ ? r_cur_->bus_id : 0);
  port_.rresp.set(r_cur_ ? static_cast<unsigned>(r_cur_->resp) : 0);
  port_.rlast.set(r_cur_ && r_cur_->bus_last);
  port_.set_rdata(r_cur_ ? r_cur_->data.data() : kZero.data());
  port_.bvalid.set(b_cur_.has_value());
  port_.bid.set(b_cur_ ? b_cur_->bus_id : 0);
  port_.bresp.set(b_cur_ ? static_cast<unsigned>(b_cur_->resp) : 0);
}

void AxiMemory::drive() {
  const double bw = cfg_.bytes_per_cycle;
  const double beat = beat_bytes_;
  if (bw > 0) credit_ = std::min(credit_ + bw, std::max(bw + beat - 1, beat));

  // W is possible if an AW waits for data or the early-W buffer has room.
  const bool w_ok = (!aw_wait_.empty() || w_early_.size() < cfg_.w_before_aw) && !chance(cfg_.p_wready_low);
  // Bandwidth: an R beat pays when presented, a W beat when it transfers. When only one fits,
  // the one that was refused last time goes first (round robin, so neither starves).
  Burst* r_next = (!r_cur_ && !chance(cfg_.p_rvalid_gap)) ? pick_read() : nullptr;
  double w_reserved = 0;
  if (w_first_) {
    w_ready_ = w_ok && (bw <= 0 || credit_ >= beat);
    if (w_ready_ && bw > 0) w_reserved = beat;
  }
  r_bw_refused_ = false;
  if (r_next != nullptr) {
    if (bw <= 0 || credit_ - w_reserved >= beat) {
      present_read(r_next);
      if (bw > 0) credit_ -= beat;
    } else {
      r_bw_refused_ = true;
    }
  }
  if (!w_first_) w_ready_ = w_ok && (bw <= 0 || credit_ >= beat);
  w_bw_refused_ = w_ok && !w_ready_;

  ar_ready_ = outstanding_reads_ < cfg_.max_reads && !chance(cfg_.p_arready_low);
  aw_ready_ = outstanding_writes() < cfg_.max_writes && !chance(cfg_.p_awready_low);
  if (!b_cur_ && !fault_early_b() && !chance(cfg_.p_bvalid_gap)) start_b();
  write_outputs();
}

void AxiMemory::sample() {
  // Master outputs as the rising edge will see them.
  const AddrSnap ar = read_ar();
  const AddrSnap aw = read_aw();
  WSnap w;
  w.pending = (port_.wvalid.get() & 1) != 0;
  if (w.pending) {
    port_.get_wdata(w.beat.data.data());
    w.beat.strb = port_.get_wstrb();
    w.beat.last = (port_.wlast.get() & 1) != 0;
  }
  const bool rready = (port_.rready.get() & 1) != 0;
  const bool bready = (port_.bready.get() & 1) != 0;

  // Stability of AR, AW, W since last cycle's valid && !ready.
  check_stable("AR", ar_prev_, ar, ar_ready_);
  check_stable("AW", aw_prev_, aw, aw_ready_);
  if (w_prev_.pending) {
    if (!w.pending) {
      violation(AxiRule::kValidDropped, fmt::format("WVALID dropped before WREADY (WLAST={}, WSTRB={:#x})",
                                                    w_prev_.beat.last ? 1 : 0, w_prev_.beat.strb));
    } else if (w.beat.strb != w_prev_.beat.strb || w.beat.last != w_prev_.beat.last ||
               std::memcmp(w.beat.data.data(), w_prev_.beat.data.data(), beat_bytes_) != 0) {
      violation(
          AxiRule::kPayloadChanged,
          fmt::format(
              "W payload changed while WVALID && !WREADY: WSTRB {:#x} -> {:#x}, WLAST {} -> {}{}", w_prev_.beat.strb,
              w.beat.strb, w_prev_.beat.last ? 1 : 0, w.beat.last ? 1 : 0,
              std::memcmp(w.beat.data.data(), w_prev_.beat.data.data(), beat_bytes_) != 0 ? ", WDATA changed" : ""));
    }
  }
  w_prev_ = w;
  w_prev_.pending = w.pending && !w_ready_;
  const bool w_refused = w.pending && w_bw_refused_;
  if (w_refused != r_bw_refused_) w_first_ = w_refused;

  // Handshakes: AW before W so that a W beat in the same cycle finds its AW.
  if (ar.pending && ar_ready_) accept_ar(ar);
  if (aw.pending && aw_ready_) accept_aw(aw);
  if (w.pending && w_ready_) {
    if (cfg_.bytes_per_cycle > 0) credit_ -= beat_bytes_;
    accept_w(w.beat);
  }

  if (r_cur_) {
    if (rready) {
      auto& q = reads_[r_cur_->id];
      Burst& t = q.front();  // the presented beat always belongs to the front of its ID
      ++t.beat;
      ++stats_.read_beats;
      stats_.read_bytes += beat_bytes_;
      ++stats_.per_id[t.id].read_beats;
      if (r_cur_->last) {
        q.pop_front();
        --outstanding_reads_;
      }
      r_cur_.reset();
      r_wait_ = 0;
    } else {
      ++stats_.r_stall_cycles;
      if (++r_wait_ == cfg_.response_timeout) {
        violation(AxiRule::kResponseTimeout,
                  fmt::format("R beat id={} (RLAST={}) presented for {} cycles with RREADY low", r_cur_->id,
                              r_cur_->last ? 1 : 0, r_wait_));
      }
    }
  }
  if (b_cur_) {
    if (bready) {
      if (!b_cur_->early) {
        writes_[b_cur_->id].pop_front();
        --writes_done_;
      }
      b_cur_.reset();
      b_wait_ = 0;
    } else {
      ++stats_.b_stall_cycles;
      if (++b_wait_ == cfg_.response_timeout) {
        violation(AxiRule::kResponseTimeout,
                  fmt::format("B response id={} ({}) presented for {} cycles with BREADY low", b_cur_->id,
                              to_string(b_cur_->resp), b_wait_));
      }
    }
  }

  ++cycle_;
  ++stats_.cycles;
}

}  // namespace systole::sim
