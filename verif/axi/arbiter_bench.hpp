// Bench of rtl/axi/axi_arbiter.sv: NMst random C++ masters on the master side, AxiMemory on
// the chip side (docs/chip.md section 7). Each master knows what every burst of its own must
// return, so data routed to the wrong master, W beats sent in the wrong order (they land in
// another master's burst) or a response routed by the wrong ID all show up as mismatches.
//
// Per cycle: mem.drive(); masters drive (registered: never from this cycle's ready); eval;
// masters and the monitors sample; mem.sample(); tick.
//
// Address map (all in one AxiMemory): a read-only region of random bytes shared by every
// master's reads, one private write region per master (checked against a shadow at the end),
// and one 4 KiB SLVERR range that a few bursts of every master hit on purpose.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include SYSTOLE_MODEL_HEADER
#include "model_config.hpp"
#include "systole/sim/axi_memory.hpp"
#include "systole/sim/sim_controller.hpp"

namespace systole::verif::arb {
using namespace systole::sim;  // the simulated chip and its models (sim/)

using Model = SYSTOLE_MODEL;
// The arbiter as the model's configuration has it (CMakeLists.txt): NMst = instruction fetch + one
// master per DMA queue, AxiDataBits wide.
inline const unsigned kN = model_config().dma_queues + 1;
inline const unsigned kBits = model_config().axi_data_bits;
inline const unsigned kBytes = kBits / 8;
inline constexpr unsigned kWFifoDepth = 16;  // axi_arbiter's default WFifoDepth

inline constexpr std::uint64_t kReadBase = 0x10000, kReadBytes = 0x10000;
inline constexpr std::uint64_t kWriteBase = 0x40000, kWriteBytes = 0x8000;  // per master
inline constexpr std::uint64_t kErrBase = 0x20000, kErrBytes = 0x1000;
inline const std::uint64_t kMemBytes = kWriteBase + kN * kWriteBytes;

// The chip-side port of the arbiter as an AxiPort (names aw_valid_o ... r_last_i).
inline AxiPort chip_port(Model& m) {
  return AxiPort{.awvalid = &m.aw_valid_o,
                 .awready = &m.aw_ready_i,
                 .awid = &m.aw_id_o,
                 .awaddr = &m.aw_addr_o,
                 .awlen = &m.aw_len_o,
                 .awsize = &m.aw_size_o,
                 .awburst = &m.aw_burst_o,
                 .wvalid = &m.w_valid_o,
                 .wready = &m.w_ready_i,
                 .wdata = &m.w_data_o,
                 .wstrb = &m.w_strb_o,
                 .wlast = &m.w_last_o,
                 .bvalid = &m.b_valid_i,
                 .bready = &m.b_ready_o,
                 .bid = &m.b_id_i,
                 .bresp = &m.b_resp_i,
                 .arvalid = &m.ar_valid_o,
                 .arready = &m.ar_ready_i,
                 .arid = &m.ar_id_o,
                 .araddr = &m.ar_addr_o,
                 .arlen = &m.ar_len_o,
                 .arsize = &m.ar_size_o,
                 .arburst = &m.ar_burst_o,
                 .rvalid = &m.r_valid_i,
                 .rready = &m.r_ready_o,
                 .rid = &m.r_id_i,
                 .rdata = &m.r_data_i,
                 .rresp = &m.r_resp_i,
                 .rlast = &m.r_last_i,
                 .data_bits = kBits};
}

// ---- flat-vector access: field [lsb, lsb+width) of a Verilated port of any width ----------------
template <class Port>
void put(Port& port, unsigned lsb, unsigned width, const std::uint8_t* bytes) {
  for (unsigned b = 0; b < width; b += 32) {
    const unsigned w = std::min(32u, width - b);
    std::uint32_t v = 0;
    for (unsigned i = 0; i < (w + 7) / 8; ++i) v |= std::uint32_t{bytes[b / 8 + i]} << (8 * i);
    if constexpr (!std::is_integral_v<Port>) {
      if ((lsb + b) % 32 == 0 && w == 32) {
        port[(lsb + b) / 32] = v;
        continue;
      }
    }
    set_bits(port, lsb + b, w, v);
  }
}
template <class Port>
void put(Port& port, unsigned lsb, unsigned width, std::uint64_t value) {
  std::uint8_t bytes[8];
  for (unsigned i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
  put(port, lsb, width, bytes);
}
template <class Port>
bool bit(const Port& port, unsigned i) {
  return get_bits(port, i, 1) != 0;
}
// The kBytes byte lanes of a data port (IData, QData or VlWide).
template <class Port>
void lanes(const Port& port, std::uint8_t* out) {
  if constexpr (std::is_integral_v<Port>) {
    std::memcpy(out, &port, kBytes);
  } else {
    std::memcpy(out, port.data(), kBytes);
  }
}

// How a master behaves (probabilities per cycle).
struct MasterKnobs {
  double p_read = 0.3, p_write = 0.3;  // start a new burst when the channel is free
  double p_w_gap = 0.2;                // a W beat is not offered in a cycle
  double p_rready_low = 0.2, p_bready_low = 0.2;
  double p_error = 0.05;                   // a burst aims at the SLVERR range
  unsigned max_len = 16;                   // beats per burst: 1..max_len
  unsigned max_reads = 6, max_writes = 6;  // outstanding bursts per master
  unsigned w_hold_cycles = 0;              // W of a burst starts no earlier than this after its AW
};

struct Burst {
  std::uint64_t addr = 0;
  unsigned beats = 0;
  AxiResp resp = AxiResp::kOkay;
  std::vector<std::uint8_t> data;   // beats * kBytes (reads: expected; writes: sent)
  std::vector<std::uint64_t> strb;  // writes
  unsigned sent = 0;                // W beats sent / R beats received
  std::uint64_t aw_cycle = 0;       // when its AW was accepted (writes)
  bool aw_done = false;
};

class Master {
 public:
  Master(unsigned idx, MasterKnobs k, std::uint64_t seed, const std::vector<std::uint8_t>& read_image)
      : idx_(idx), k_(k), rng_(seed), image_(read_image), shadow_(kWriteBytes, 0) {}

  unsigned idx() const { return idx_; }
  bool reads_only() const { return idx_ == 0; }  // master 0 is instruction fetch
  void stop_issuing() { issuing_ = false; }
  bool idle() const { return !ar_ && !aw_ && reads_.empty() && writes_.empty(); }
  const std::vector<std::uint8_t>& shadow() const { return shadow_; }
  std::uint64_t reads_done() const { return reads_done_; }
  std::uint64_t writes_done() const { return writes_done_; }
  bool ar_pending() const { return ar_.has_value(); }
  bool aw_pending() const { return aw_.has_value(); }

  void drive(Model& m, std::uint64_t cycle) {
    if (!ar_ && issuing_ && reads_.size() < k_.max_reads && chance(k_.p_read)) ar_ = new_read();
    if (!aw_ && issuing_ && !reads_only() && writes_.size() < k_.max_writes && chance(k_.p_write)) {
      aw_ = new_write();
      writes_.push_back(*aw_);  // W may be offered before the AW is accepted (AXI allows it)
    }
    set_bits(m.mst_ar_valid_i, idx_, 1, ar_ ? 1 : 0);
    if (ar_) {
      put(m.mst_ar_addr_i, 32 * idx_, 32, ar_->addr);
      put(m.mst_ar_len_i, 8 * idx_, 8, ar_->beats - 1);
    }
    set_bits(m.mst_aw_valid_i, idx_, 1, aw_ ? 1 : 0);
    if (aw_) {
      put(m.mst_aw_addr_i, 32 * idx_, 32, aw_->addr);
      put(m.mst_aw_len_i, 8 * idx_, 8, aw_->beats - 1);
    }
    // W: the oldest burst with beats left; once offered, a beat stays until taken.
    Burst* w = next_w();
    if (w != nullptr && !w_offered_) {
      const bool held = k_.w_hold_cycles > 0 && (!w->aw_done || cycle < w->aw_cycle + k_.w_hold_cycles);
      w_offered_ = !held && !chance(k_.p_w_gap);
    }
    set_bits(m.mst_w_valid_i, idx_, 1, w_offered_ ? 1 : 0);
    if (w_offered_) {
      put(m.mst_w_data_i, kBits * idx_, kBits, &w->data[w->sent * kBytes]);
      put(m.mst_w_strb_i, kBytes * idx_, kBytes, w->strb[w->sent]);
      set_bits(m.mst_w_last_i, idx_, 1, w->sent + 1 == w->beats ? 1 : 0);
    }
    set_bits(m.mst_r_ready_i, idx_, 1, chance(k_.p_rready_low) ? 0 : 1);
    set_bits(m.mst_b_ready_i, idx_, 1, chance(k_.p_bready_low) ? 0 : 1);
  }

  // After eval: this master's handshakes and checks. Returns an error text, empty if fine.
  std::string sample(Model& m, std::uint64_t cycle) {
    if (ar_ && bit(m.mst_ar_ready_o, idx_)) {
      reads_.push_back(std::move(*ar_));
      ar_.reset();
    }
    if (aw_ && bit(m.mst_aw_ready_o, idx_)) {
      for (Burst& b : writes_) {
        if (!b.aw_done) {
          b.aw_done = true;
          b.aw_cycle = cycle;
          break;
        }
      }
      aw_.reset();
    }
    if (w_offered_ && bit(m.mst_w_ready_o, idx_)) {
      ++next_w()->sent;
      w_offered_ = false;
    }
    if (reads_only() && (bit(m.mst_aw_ready_o, idx_) || bit(m.mst_w_ready_o, idx_) || bit(m.mst_b_valid_o, idx_))) {
      return fmt::format("master 0 (fetch, reads only) saw a write handshake or B");
    }
    if (bit(m.mst_r_valid_o, idx_) && bit(m.mst_r_ready_i, idx_)) {
      if (reads_.empty()) return fmt::format("master {}: R beat with no read outstanding", idx_);
      Burst& b = reads_.front();
      std::uint8_t got[64];
      lanes(m.mst_r_data_o, got);
      const auto resp = static_cast<AxiResp>(m.mst_r_resp_o);
      const bool last = m.mst_r_last_o != 0;
      if (resp != b.resp) {
        return fmt::format("master {}: read of {:#x} beat {}: resp {}, expected {}", idx_, b.addr, b.sent,
                           to_string(resp), to_string(b.resp));
      }
      if (b.resp == AxiResp::kOkay && std::memcmp(got, &b.data[b.sent * kBytes], kBytes) != 0) {
        return fmt::format("master {}: read of {:#x} ({} beats) beat {}: wrong data (another master's?)", idx_, b.addr,
                           b.beats, b.sent);
      }
      if (last != (b.sent + 1 == b.beats)) {
        return fmt::format("master {}: read of {:#x}: RLAST {} on beat {} of {}", idx_, b.addr, last, b.sent, b.beats);
      }
      if (++b.sent == b.beats) {
        reads_.pop_front();
        ++reads_done_;
      }
    }
    if (bit(m.mst_b_valid_o, idx_) && bit(m.mst_b_ready_i, idx_)) {
      if (writes_.empty() || !writes_.front().aw_done || writes_.front().sent != writes_.front().beats) {
        return fmt::format("master {}: B with no completed write outstanding", idx_);
      }
      const Burst& b = writes_.front();
      const auto resp = static_cast<AxiResp>(m.mst_b_resp_o);
      if (resp != b.resp) {
        return fmt::format("master {}: write of {:#x}: B resp {}, expected {}", idx_, b.addr, to_string(resp),
                           to_string(b.resp));
      }
      writes_.pop_front();
      ++writes_done_;
    }
    return {};
  }

 private:
  bool chance(double p) { return p > 0 && std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  unsigned pick(unsigned lo, unsigned hi) { return std::uniform_int_distribution<unsigned>(lo, hi)(rng_); }

  // A burst of 1..max_len beats at a beat-aligned address in [base, base+bytes), not crossing
  // 4 KiB; aimed at the SLVERR range with probability p_error.
  Burst place(std::uint64_t base, std::uint64_t bytes) {
    Burst b;
    b.beats = pick(1, std::min<unsigned>(k_.max_len, 4096 / kBytes));
    if (chance(k_.p_error)) {
      base = kErrBase;
      bytes = kErrBytes;
      b.resp = AxiResp::kSlvErr;
    }
    const std::uint64_t page = base + 4096 * pick(0, static_cast<unsigned>(bytes / 4096) - 1);
    b.addr = page + kBytes * pick(0, 4096 / kBytes - b.beats);
    return b;
  }
  Burst new_read() {
    Burst b = place(kReadBase, kReadBytes);
    b.data.resize(std::size_t{b.beats} * kBytes);
    if (b.resp == AxiResp::kOkay) std::memcpy(b.data.data(), &image_[b.addr - kReadBase], b.data.size());
    return b;
  }
  Burst new_write() {
    Burst b = place(kWriteBase + idx_ * kWriteBytes, kWriteBytes);
    b.data.resize(std::size_t{b.beats} * kBytes);
    for (auto& x : b.data) x = static_cast<std::uint8_t>(rng_());
    const std::uint64_t full = kBytes == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << kBytes) - 1;
    for (unsigned i = 0; i < b.beats; ++i) b.strb.push_back(chance(0.5) ? full : (rng_() & full));
    if (b.resp == AxiResp::kOkay) {  // an erroring write stores nothing
      const std::uint64_t off = b.addr - (kWriteBase + idx_ * kWriteBytes);
      for (unsigned i = 0; i < b.beats; ++i) {
        for (unsigned j = 0; j < kBytes; ++j) {
          if ((b.strb[i] >> j) & 1u) shadow_[off + i * kBytes + j] = b.data[i * kBytes + j];
        }
      }
    }
    return b;
  }
  Burst* next_w() {
    for (Burst& b : writes_) {
      if (b.sent < b.beats) return &b;
    }
    return nullptr;
  }

  unsigned idx_;
  MasterKnobs k_;
  std::mt19937_64 rng_;
  const std::vector<std::uint8_t>& image_;
  std::vector<std::uint8_t> shadow_;  // expected contents of this master's write region
  bool issuing_ = true;
  std::optional<Burst> ar_, aw_;  // presented, not yet accepted
  std::deque<Burst> reads_;       // accepted, in AR order
  std::deque<Burst> writes_;      // created, in AW order, until B
  bool w_offered_ = false;
  std::uint64_t reads_done_ = 0, writes_done_ = 0;
};

}  // namespace systole::verif::arb
