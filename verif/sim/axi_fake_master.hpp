// A pure C++ AXI4 master for the AxiMemory unit tests. It drives plain variables of the types
// Verilator would generate for the chip's port (AxiSignals: CData/SData/IData/QData/VlWide, named
// m_axi_<sig>_o / m_axi_<sig>_i), bound through the same SYSTOLE_AXI_PORT as a Verilated model.
//
// It checks the slave: every R beat belongs to the oldest outstanding read of its ID (same-ID
// order) and carries the expected data and response, RLAST on the last beat, no interleaving
// unless allowed, B responses in same-ID order with the expected response and only after the
// last W beat, and R/B payloads held stable while valid && !ready.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "systole/sim/axi_memory.hpp"
#include "verilated.h"

namespace systole::verif::test {
using namespace systole::sim;  // the simulated chip and its models (sim/)

template <unsigned Bits>
using DataT = std::conditional_t<Bits == 32, IData, std::conditional_t<Bits == 64, QData, VlWide<Bits / 32>>>;
template <unsigned Bits>
using StrbT =
    std::conditional_t<Bits / 8 <= 8, CData,
                       std::conditional_t<Bits / 8 <= 16, SData, std::conditional_t<Bits / 8 <= 32, IData, QData>>>;

// The chip's AXI4 master port as Verilator would expose it (ID 4 bits, address 32 bits, AxLEN 8
// bits unless LenT says otherwise).
template <unsigned Bits, class LenT = CData>
struct AxiSignals {
  CData m_axi_awvalid_o{}, m_axi_awready_i{}, m_axi_awid_o{};
  IData m_axi_awaddr_o{};
  LenT m_axi_awlen_o{};
  CData m_axi_awsize_o{}, m_axi_awburst_o{};
  CData m_axi_wvalid_o{}, m_axi_wready_i{};
  DataT<Bits> m_axi_wdata_o{};
  StrbT<Bits> m_axi_wstrb_o{};
  CData m_axi_wlast_o{};
  CData m_axi_bvalid_i{}, m_axi_bready_o{}, m_axi_bid_i{}, m_axi_bresp_i{};
  CData m_axi_arvalid_o{}, m_axi_arready_i{}, m_axi_arid_o{};
  IData m_axi_araddr_o{};
  LenT m_axi_arlen_o{};
  CData m_axi_arsize_o{}, m_axi_arburst_o{};
  CData m_axi_rvalid_i{}, m_axi_rready_o{}, m_axi_rid_i{};
  DataT<Bits> m_axi_rdata_i{};
  CData m_axi_rresp_i{}, m_axi_rlast_i{};
};

struct ReadReq {
  std::uint32_t id = 0;
  std::uint64_t addr = 0;
  unsigned len = 0;
  AxiResp expect = AxiResp::kOkay;
  bool any_resp = false;             // response not predictable (random errors): record only
  std::vector<std::uint8_t> data{};  // expected bytes from the aligned start, (len+1)*B; empty: unchecked
  // Filled by the master.
  std::uint64_t serial = 0, seq = 0;  // enqueue order, AR order
  unsigned beat = 0;
  std::uint64_t ar_cycle = 0, first_cycle = 0, last_cycle = 0;
  AxiResp got = AxiResp::kOkay;
  std::vector<std::uint8_t> got_data{};
};

struct WriteReq {
  std::uint32_t id = 0;
  std::uint64_t addr = 0;
  unsigned len = 0;
  std::vector<std::uint8_t> data{};   // (len+1)*B bytes from the aligned start
  std::vector<std::uint64_t> strb{};  // len+1 strobes
  AxiResp expect = AxiResp::kOkay;
  bool any_resp = false;
  // Filled by the master.
  std::uint64_t serial = 0, seq = 0;
  unsigned w_sent = 0;
  std::uint64_t aw_cycle = 0, last_w_cycle = 0, b_cycle = 0;
  AxiResp got = AxiResp::kOkay;
};

struct MasterKnobs {
  double p_ar_gap = 0, p_aw_gap = 0, p_w_gap = 0;  // valid not raised in a cycle although ready to send
  double p_rready_low = 0, p_bready_low = 0;
  bool w_early = true;            // W beats may be sent before their AW (else only after the AW handshake)
  bool allow_interleave = false;  // R beats of different IDs may interleave
};

template <unsigned Bits>
class FakeMaster {
 public:
  static constexpr unsigned B = Bits / 8;

  FakeMaster(const AxiPort& port, MasterKnobs k, std::uint64_t seed) : p_(port), k_(k), rng_(seed) {}

  void read(ReadReq r) {
    r.serial = serial_++;
    ar_q_.push_back(std::move(r));
  }
  void write(WriteReq w) {
    w.serial = serial_++;
    if (w.strb.empty()) w.strb.assign(w.len + 1, p_.strobe_mask());
    w.data.resize(std::size_t{w.len + 1} * B);
    if (k_.w_early) queue_w(w);
    aw_q_.push_back(std::move(w));
  }

  bool done() const {
    return ar_q_.empty() && aw_q_.empty() && w_q_.empty() && rd_outstanding_ == 0 && wr_outstanding_ == 0;
  }

  // Master outputs for this cycle (independent of the slave's outputs of this cycle).
  void drive() {
    if (!ar_on_ && !ar_q_.empty() && !chance(k_.p_ar_gap)) ar_on_ = true;
    if (!aw_on_ && !aw_q_.empty() && !chance(k_.p_aw_gap)) aw_on_ = true;
    if (!w_on_ && !w_q_.empty() && !chance(k_.p_w_gap)) w_on_ = true;
    p_.arvalid.set(ar_on_);
    if (ar_on_) {
      const auto& r = ar_q_.front();
      set_addr(p_.arid, p_.araddr, p_.arlen, p_.arsize, p_.arburst, r.id, r.addr, r.len);
    }
    p_.awvalid.set(aw_on_);
    if (aw_on_) {
      const auto& w = aw_q_.front();
      set_addr(p_.awid, p_.awaddr, p_.awlen, p_.awsize, p_.awburst, w.id, w.addr, w.len);
    }
    p_.wvalid.set(w_on_);
    if (w_on_) {
      const auto& b = w_q_.front();
      p_.set_wdata(b.data.data());
      p_.wstrb.set(b.strb);
      p_.wlast.set(b.last);
    }
    rready_ = !chance(k_.p_rready_low);
    bready_ = !chance(k_.p_bready_low);
    p_.rready.set(rready_);
    p_.bready.set(bready_);
  }

  // Observes this cycle's handshakes (call after AxiMemory::sample(), before the next drive()).
  void sample() {
    const bool ar_fire = ar_on_ && (p_.arready.get() & 1);
    const bool aw_fire = aw_on_ && (p_.awready.get() & 1);
    const bool w_fire = w_on_ && (p_.wready.get() & 1);
    const bool rvalid = p_.rvalid.get() & 1, bvalid = p_.bvalid.get() & 1;
    check_r_stable(rvalid);
    check_b_stable(bvalid);

    if (ar_fire) {
      ReadReq r = std::move(ar_q_.front());
      ar_q_.pop_front();
      r.seq = seq_++;
      r.ar_cycle = cycle_;
      rd_[r.id].push_back(std::move(r));
      ++rd_outstanding_;
      max_rd_outstanding = std::max(max_rd_outstanding, rd_outstanding_);
      ar_on_ = false;
    }
    if (aw_fire) {
      WriteReq w = std::move(aw_q_.front());
      aw_q_.pop_front();
      w.seq = seq_++;
      w.aw_cycle = cycle_;
      if (!k_.w_early) queue_w(w);
      aw_done_.insert(w.serial);
      wr_[w.id].push_back(std::move(w));
      ++wr_outstanding_;
      aw_on_ = false;
    }
    if (w_fire) {
      const WBeat b = w_q_.front();
      w_q_.pop_front();
      w_on_ = false;
      w_cycles.push_back(cycle_);
      if (!aw_done_.count(b.serial)) ++w_before_aw;
      ++w_sent_[b.serial];
      if (b.last) last_w_cycle_[b.serial] = cycle_;
    }
    if (rvalid && rready_) on_r();
    if (bvalid && bready_) on_b();
    ++cycle_;
  }

  std::uint64_t cycle() const { return cycle_; }
  const std::vector<std::string>& failures() const { return failures_; }

  // Observations for the tests.
  std::vector<ReadReq> reads_done;                // completion order
  std::vector<WriteReq> writes_done;              // B order
  std::vector<std::uint64_t> r_cycles, w_cycles;  // cycles of R / W handshakes
  std::uint64_t reordered = 0;    // bursts whose first R beat came while an older read (other ID) had none
  std::uint64_t interleaved = 0;  // R beats of another ID inside an open burst
  std::uint64_t b_reordered = 0;  // B responses before the B of an older write (other ID)
  std::uint64_t w_before_aw = 0;  // W beats transferred before their AW
  std::uint64_t max_rd_outstanding = 0;

 private:
  struct WBeat {
    std::uint64_t serial = 0;
    std::array<std::uint8_t, 64> data{};
    std::uint64_t strb = 0;
    bool last = false;
  };

  bool chance(double p) { return p > 0 && (p >= 1 || std::uniform_real_distribution<double>(0, 1)(rng_) < p); }

  void fail(std::string msg) {
    if (failures_.size() < 20) failures_.push_back(fmt::format("cycle {}: {}", cycle_, msg));
  }

  void set_addr(const PortRef& id, const PortRef& addr, const PortRef& len, const PortRef& size, const PortRef& burst,
                std::uint32_t i, std::uint64_t a, unsigned l) const {
    id.set(i);
    addr.set(a);
    len.set(l);
    size.set(p_.size_log2());
    burst.set(1);
  }

  void queue_w(const WriteReq& w) {
    for (unsigned k = 0; k <= w.len; ++k) {
      WBeat b;
      b.serial = w.serial;
      std::memcpy(b.data.data(), w.data.data() + std::size_t{k} * B, B);
      b.strb = w.strb[k];
      b.last = k == w.len;
      w_q_.push_back(b);
    }
  }

  struct RSnap {
    std::uint64_t id = 0, resp = 0, last = 0;
    std::array<std::uint8_t, 64> data{};
    bool operator==(const RSnap&) const = default;
  };
  void check_r_stable(bool rvalid) {
    RSnap now;
    if (rvalid) {
      now.id = p_.rid.get(), now.resp = p_.rresp.get(), now.last = p_.rlast.get();
      p_.get_rdata(now.data.data());
    }
    if (r_pending_ && !rvalid) fail("slave dropped RVALID before RREADY");
    if (r_pending_ && rvalid && !(now == r_prev_)) fail("slave changed the R payload while RVALID && !RREADY");
    r_pending_ = rvalid && !rready_;
    r_prev_ = now;
  }
  void check_b_stable(bool bvalid) {
    const std::uint64_t now = bvalid ? (p_.bid.get() << 2 | p_.bresp.get()) : 0;
    if (b_pending_ && !bvalid) fail("slave dropped BVALID before BREADY");
    if (b_pending_ && bvalid && now != b_prev_) fail("slave changed the B payload while BVALID && !BREADY");
    b_pending_ = bvalid && !bready_;
    b_prev_ = now;
  }

  void on_r() {
    r_cycles.push_back(cycle_);
    const auto id = static_cast<std::uint32_t>(p_.rid.get());
    const auto resp = static_cast<AxiResp>(p_.rresp.get());
    const bool last = p_.rlast.get() & 1;
    auto it = rd_.find(id);
    if (it == rd_.end() || it->second.empty()) {
      fail(fmt::format("R beat with id={} but no read of that ID is outstanding", id));
      return;
    }
    if (open_id_ >= 0 && static_cast<std::uint32_t>(open_id_) != id) {
      ++interleaved;
      if (!k_.allow_interleave)
        fail(fmt::format("R beat of id={} interleaved into the open burst of id={}", id, open_id_));
    }
    ReadReq& r = it->second.front();  // same-ID order: the oldest read of this ID
    const unsigned k = r.beat;
    if (k == 0) {
      r.first_cycle = cycle_;
      r.got = resp;
      for (const auto& [other_id, q] : rd_) {
        if (other_id != id && !q.empty() && q.front().seq < r.seq && q.front().beat == 0) {
          ++reordered;
          break;
        }
      }
    } else if (resp != r.got) {
      fail(fmt::format("R id={} addr={:#x} beat {}: RRESP {} differs from the burst's first beat ({})", id, r.addr, k,
                       to_string(resp), to_string(r.got)));
    }
    if (!r.any_resp && resp != r.expect) {
      fail(fmt::format("R id={} addr={:#x} len={} beat {}: RRESP {}, expected {}", id, r.addr, r.len, k,
                       to_string(resp), to_string(r.expect)));
    }
    if (last != (k == r.len)) {
      fail(fmt::format("R id={} addr={:#x} len={} beat {}: RLAST={}", id, r.addr, r.len, k, last ? 1 : 0));
    }
    std::array<std::uint8_t, 64> lanes{};
    p_.get_rdata(lanes.data());
    r.got_data.insert(r.got_data.end(), lanes.begin(), lanes.begin() + B);
    if (resp == AxiResp::kOkay && !r.data.empty()) {
      const unsigned from = k == 0 ? static_cast<unsigned>(r.addr % B) : 0u;
      for (unsigned j = from; j < B; ++j) {
        if (lanes[j] != r.data[std::size_t{k} * B + j]) {
          fail(fmt::format("R id={} addr={:#x} len={} (read #{}) beat {} lane {}: data {:#04x}, expected {:#04x}", id,
                           r.addr, r.len, r.serial, k, j, lanes[j], r.data[std::size_t{k} * B + j]));
          break;
        }
      }
    }
    ++r.beat;
    open_id_ = static_cast<int>(id);
    if (k >= r.len) {  // burst complete (also on a missing RLAST: the failure is recorded above)
      r.last_cycle = cycle_;
      reads_done.push_back(std::move(r));
      it->second.pop_front();
      --rd_outstanding_;
      open_id_ = -1;
    }
  }

  void on_b() {
    const auto id = static_cast<std::uint32_t>(p_.bid.get());
    const auto resp = static_cast<AxiResp>(p_.bresp.get());
    auto it = wr_.find(id);
    if (it == wr_.end() || it->second.empty()) {
      fail(fmt::format("B with id={} but no write of that ID is outstanding", id));
      return;
    }
    WriteReq& w = it->second.front();
    if (w_sent_[w.serial] != w.len + 1) {
      fail(fmt::format("B id={} addr={:#x} after {} of {} W beats", id, w.addr, w_sent_[w.serial], w.len + 1));
    }
    if (!w.any_resp && resp != w.expect) {
      fail(fmt::format("B id={} addr={:#x} len={} (write #{}): BRESP {}, expected {}", id, w.addr, w.len, w.serial,
                       to_string(resp), to_string(w.expect)));
    }
    for (const auto& [other_id, q] : wr_) {
      if (other_id != id && !q.empty() && q.front().seq < w.seq) {
        ++b_reordered;
        break;
      }
    }
    w.got = resp;
    w.b_cycle = cycle_;
    w.last_w_cycle = last_w_cycle_[w.serial];
    w.w_sent = w_sent_[w.serial];
    writes_done.push_back(std::move(w));
    it->second.pop_front();
    --wr_outstanding_;
  }

  AxiPort p_;
  MasterKnobs k_;
  std::mt19937_64 rng_;
  std::uint64_t cycle_ = 0, serial_ = 0, seq_ = 0;
  std::deque<ReadReq> ar_q_;
  std::deque<WriteReq> aw_q_;
  std::deque<WBeat> w_q_;
  bool ar_on_ = false, aw_on_ = false, w_on_ = false, rready_ = false, bready_ = false;
  std::map<std::uint32_t, std::deque<ReadReq>> rd_;
  std::map<std::uint32_t, std::deque<WriteReq>> wr_;
  std::uint64_t rd_outstanding_ = 0, wr_outstanding_ = 0;
  std::set<std::uint64_t> aw_done_;
  std::map<std::uint64_t, unsigned> w_sent_;
  std::map<std::uint64_t, std::uint64_t> last_w_cycle_;
  int open_id_ = -1;
  bool r_pending_ = false, b_pending_ = false;
  RSnap r_prev_;
  std::uint64_t b_prev_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace systole::verif::test
