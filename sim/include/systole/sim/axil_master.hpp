// AxilMaster: a cycle-based AXI4-Lite master for Verilated benches (header-only).
//
// Binds the model's s_axil_* ports (names as rtl/host/csr_regs.sv: s_axil_awvalid_i,
// s_axil_awready_o, ..., s_axil_rresp_o) and runs one transaction at a time on a SimController:
//   read(addr)                     -> {data, resp}
//   write(addr, data, strb, order) -> resp
// Options: random idle cycles before each VALID (0..max_valid_delay), random BREADY/RREADY
// back-pressure (ready low with probability ready_stall_percent per cycle), and a cycle
// timeout: a transaction that does not complete throws SimTimeout naming the channel state, so
// a hang fails loudly instead of spinning. Write ordering: AW and W together, AW first (W only
// after AW was accepted, plus `gap` idle cycles), W first (likewise), or independent random
// delays. The master also checks the slave side of the protocol: a response only after its
// request was accepted, and the response payload stable while it waits for READY.
// An optional per-cycle hook runs in every cycle the master clocks (after the inputs are set
// and evaluated, before the rising edge) to drive or sample other ports at exact cycles.
// Fault injection (options.fault, for tests of the RTL's AXI-Lite checkers): in the next write,
// while its B waits, the master offers a second AW and W (refused: the slave holds one write),
// then breaks the handshake: AWVALID dropped before AWREADY, or WDATA changed while WVALID waits.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

#include "systole/sim/sim_controller.hpp"

namespace systole::sim {

inline constexpr std::uint8_t kAxiOkay = 0;
inline constexpr std::uint8_t kAxiSlvErr = 2;
inline constexpr std::uint8_t kAxiDecErr = 3;

struct AxilReadResult {
  std::uint32_t data = 0;
  std::uint8_t resp = 0;
};

enum class AxilWriteOrder { kRandom, kTogether, kAwFirst, kWFirst };

enum class AxilFault { kNone, kAwValidDropped, kWDataChanged };

struct AxilMasterOptions {
  unsigned max_valid_delay = 0;      // idle cycles before a VALID: uniform in 0..max
  unsigned ready_stall_percent = 0;  // per cycle, BREADY/RREADY low with this probability
  std::uint64_t timeout_cycles = 1000;
  std::uint64_t seed = 1;
  AxilFault fault = AxilFault::kNone;  // committed once, in the next write (see the header)
};

class AxilProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class Model>
class AxilMaster {
 public:
  explicit AxilMaster(SimController<Model>& sim, AxilMasterOptions opt = {}) : sim_(sim), opt_(opt), rng_(opt.seed) {
    drive_idle();
  }

  void set_options(const AxilMasterOptions& opt) {
    opt_ = opt;
    rng_.seed(opt.seed);
    fault_done_ = false;
  }
  bool fault_injected() const { return fault_done_; }
  const AxilMasterOptions& options() const { return opt_; }
  void set_cycle_hook(std::function<void()> hook) { hook_ = std::move(hook); }

  // Valids low, readies low; then `cycles` clock cycles (the hook runs in each).
  void idle(std::uint64_t cycles = 0) {
    drive_idle();
    for (std::uint64_t i = 0; i < cycles; ++i) clock();
    sim_.eval();
  }

  AxilReadResult read(std::uint32_t addr) {
    auto& m = *sim_;
    const unsigned ar_start = delay();
    bool ar_done = false;
    bool r_waiting = false;  // R was valid and not taken in the previous cycle
    AxilReadResult held{};
    for (std::uint64_t n = 0;; ++n) {
      if (n > opt_.timeout_cycles) {
        throw SimTimeout(describe("read", addr) + ": no R response after " + std::to_string(opt_.timeout_cycles) +
                         " cycles (ar accepted=" + std::to_string(ar_done) + ")");
      }
      m.s_axil_arvalid_i = !ar_done && n >= ar_start;
      m.s_axil_araddr_i = addr & 0xFFFu;
      m.s_axil_rready_i = ready();
      sim_.eval();
      const bool ar_fire = m.s_axil_arvalid_i && m.s_axil_arready_o;
      const bool r_valid = m.s_axil_rvalid_o;
      const AxilReadResult r{static_cast<std::uint32_t>(m.s_axil_rdata_o), static_cast<std::uint8_t>(m.s_axil_rresp_o)};
      if (r_valid && !ar_done) {
        throw AxilProtocolError(describe("read", addr) + ": RVALID before AR was accepted");
      }
      if (r_waiting && (!r_valid || r.data != held.data || r.resp != held.resp)) {
        throw AxilProtocolError(describe("read", addr) + ": R dropped or changed while waiting for RREADY");
      }
      const bool r_fire = r_valid && m.s_axil_rready_i;
      r_waiting = r_valid && !r_fire;
      held = r;
      clock();
      if (ar_fire) ar_done = true;
      if (r_fire) {
        drive_idle();
        sim_.eval();
        return r;
      }
    }
  }

  std::uint8_t write(std::uint32_t addr, std::uint32_t data, std::uint8_t strb = 0xF,
                     AxilWriteOrder order = AxilWriteOrder::kRandom, unsigned gap = 0) {
    auto& m = *sim_;
    constexpr std::uint64_t kNever = ~std::uint64_t{0};
    std::uint64_t aw_start = kNever;
    std::uint64_t w_start = kNever;
    switch (order) {
      case AxilWriteOrder::kRandom:
        aw_start = delay();
        w_start = delay();
        break;
      case AxilWriteOrder::kTogether: aw_start = w_start = delay(); break;
      case AxilWriteOrder::kAwFirst: aw_start = delay(); break;
      case AxilWriteOrder::kWFirst: w_start = delay(); break;
    }
    bool aw_done = false;
    bool w_done = false;
    bool b_waiting = false;
    std::uint8_t held = 0;
    for (std::uint64_t n = 0;; ++n) {
      if (n > opt_.timeout_cycles) {
        throw SimTimeout(describe("write", addr) + ": no B response after " + std::to_string(opt_.timeout_cycles) +
                         " cycles (aw accepted=" + std::to_string(aw_done) + ", w accepted=" + std::to_string(w_done) +
                         ")");
      }
      m.s_axil_awvalid_i = !aw_done && n >= aw_start;
      m.s_axil_awaddr_i = addr & 0xFFFu;
      m.s_axil_wvalid_i = !w_done && n >= w_start;
      m.s_axil_wdata_i = data;
      m.s_axil_wstrb_i = strb & 0xFu;
      m.s_axil_bready_i = ready();
      sim_.eval();
      if (opt_.fault != AxilFault::kNone && !fault_done_ && m.s_axil_bvalid_o && !b_waiting) {
        inject_write_fault(addr, data);  // clocks three cycles; the B still waits afterwards
        continue;
      }
      const bool aw_fire = m.s_axil_awvalid_i && m.s_axil_awready_o;
      const bool w_fire = m.s_axil_wvalid_i && m.s_axil_wready_o;
      const bool b_valid = m.s_axil_bvalid_o;
      const auto resp = static_cast<std::uint8_t>(m.s_axil_bresp_o);
      if (b_valid && !(aw_done && w_done)) {
        throw AxilProtocolError(describe("write", addr) + ": BVALID before both AW and W were accepted");
      }
      if (b_waiting && (!b_valid || resp != held)) {
        throw AxilProtocolError(describe("write", addr) + ": B dropped or changed while waiting for BREADY");
      }
      const bool b_fire = b_valid && m.s_axil_bready_i;
      b_waiting = b_valid && !b_fire;
      held = resp;
      clock();
      if (aw_fire) {
        aw_done = true;
        if (order == AxilWriteOrder::kAwFirst) w_start = n + 1 + gap;
      }
      if (w_fire) {
        w_done = true;
        if (order == AxilWriteOrder::kWFirst) aw_start = n + 1 + gap;
      }
      if (b_fire) {
        drive_idle();
        sim_.eval();
        return resp;
      }
    }
  }

 private:
  void drive_idle() {
    auto& m = *sim_;
    m.s_axil_awvalid_i = 0;
    m.s_axil_wvalid_i = 0;
    m.s_axil_arvalid_i = 0;
    m.s_axil_bready_i = 0;
    m.s_axil_rready_i = 0;
  }
  // The fault of the header comment, while the B of a write to `addr` waits (BREADY low).
  void inject_write_fault(std::uint32_t addr, std::uint32_t data) {
    auto& m = *sim_;
    m.s_axil_bready_i = 0;
    m.s_axil_awvalid_i = 1;
    m.s_axil_wvalid_i = 1;
    sim_.eval();
    if (m.s_axil_awready_o || m.s_axil_wready_o) {
      throw AxilProtocolError(describe("write", addr) + ": fault injection needs AWREADY and WREADY low while B waits");
    }
    clock();
    if (opt_.fault == AxilFault::kAwValidDropped) {
      m.s_axil_awvalid_i = 0;
    } else {
      m.s_axil_wdata_i = ~data;
    }
    sim_.eval();
    clock();
    clock();  // a changed payload is reported one edge late (`ASSERT_STABLE): hold VALID for it
    fault_done_ = true;
  }
  // One cycle: the hook sees the settled inputs, then the rising edge.
  void clock() {
    if (hook_) {
      hook_();
      sim_.eval();
    }
    sim_.tick();
  }
  unsigned delay() {
    if (opt_.max_valid_delay == 0) return 0;
    return static_cast<unsigned>(rng_() % (opt_.max_valid_delay + 1u));
  }
  bool ready() {
    if (opt_.ready_stall_percent == 0) return true;
    return rng_() % 100u >= opt_.ready_stall_percent;
  }
  static std::string describe(const char* what, std::uint32_t addr) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "AXI-Lite %s of 0x%03X", what, addr);
    return buf;
  }

  SimController<Model>& sim_;
  AxilMasterOptions opt_;
  std::mt19937_64 rng_;
  std::function<void()> hook_;
  bool fault_done_ = false;
};

}  // namespace systole::sim
