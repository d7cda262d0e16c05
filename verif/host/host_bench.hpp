// HostBench: the Verilated host_tb (csr_regs + perf_counters + core stub) with an AXI-Lite
// master, helpers to drive the core-side ports, and CsrRef, a reference model of docs/csr.md
// built from the generated table in sw/regs (systole/regs/csr_map.hpp): access types, masks and
// reset values all come from there, so the tests follow the JSON without hand-copied numbers.
// Built once per configuration: CMakeLists.txt links the model (SYSTOLE_MODEL, SYSTOLE_MODEL_HEADER,
// SYSTOLE_MODEL_CONFIG); the configuration's values are read at run time (model_config()).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fmt/format.h>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include SYSTOLE_MODEL_HEADER
// The root class holds the counters' registers, public_flat_rw through host_tb.vlt. Verilator
// names it <model>___024root, in <model>___024root.h: the header name is built from SYSTOLE_MODEL.
#define HOST_ROOT_STR_(x) #x
#define HOST_ROOT_STR(x) HOST_ROOT_STR_(x)
#define HOST_ROOT_CAT_(a, b) a##b
#define HOST_ROOT_CAT(a, b) HOST_ROOT_CAT_(a, b)
#include HOST_ROOT_STR(HOST_ROOT_CAT(SYSTOLE_MODEL, ___024root.h))
#include "model_config.hpp"
#include "systole/regs/csr_map.hpp"
#include "systole/sim/axil_master.hpp"
#include "systole/sim/sim_controller.hpp"
#include "test_seed.hpp"

namespace systole::verif::host {
using namespace systole::sim;  // the simulated chip and its models (sim/)

namespace regs = systole::regs;
using Model = SYSTOLE_MODEL;

// The configuration the model was built with (SYSTOLE_MODEL_CONFIG), as the CFG_* registers
// report it.
struct HostConfig {
  const char* name;
  std::uint32_t partitions, columns, nmax, sbuf_bytes, psum_bytes, int8, bf16, fp8, dma_queues, queue_depth,
      axi_data_bits, vector;  // vector: EnableVector (configs/configs.json)
};
inline const HostConfig kCfg = [] {
  const golden::Config& g = model_config();
  return HostConfig{g.name.c_str(), g.partitions, g.columns,    g.nmax,        g.sbuf_bytes,    g.psum_bytes,   g.int8,
                    g.bf16,         g.fp8,        g.dma_queues, g.queue_depth, g.axi_data_bits, g.vector_engine};
}();

// Value of a per-configuration field ("REG.FIELD", or "REG" for a field-less register).
inline std::uint32_t config_value(std::string_view key) {
  static const std::map<std::string_view, std::uint32_t> values{
      {"CFG_ARRAY.P", kCfg.partitions},
      {"CFG_ARRAY.C", kCfg.columns},
      {"CFG_SBUF", kCfg.sbuf_bytes},
      {"CFG_PSUM", kCfg.psum_bytes},
      {"CFG_FEAT.INT8", kCfg.int8},
      {"CFG_FEAT.BF16", kCfg.bf16},
      {"CFG_FEAT.FP8_E4M3", kCfg.fp8},
      {"CFG_FEAT.VECTOR", kCfg.vector},
      {"CFG_FEAT.DMA_QUEUES", kCfg.dma_queues},
      {"CFG_FEAT.QUEUE_DEPTH", kCfg.queue_depth},
      {"CFG_FEAT.SEMAPHORES", regs::sem::kCount},
      {"CFG_NMAX.NMAX", kCfg.nmax},
      {"CFG_NMAX.AXI_DATA_BITS", kCfg.axi_data_bits},
  };
  const auto it = values.find(key);
  if (it == values.end()) {
    throw std::logic_error(fmt::format("no configuration value for {} (new field in the JSON?)", key));
  }
  return it->second;
}

// Reset value of a mapped word: from the table, or composed from the configuration.
inline std::uint32_t expected_reset(const regs::Register& r) {
  if (!r.reset_per_config) return r.reset;
  if (r.fields.empty()) return config_value(r.name);
  std::uint32_t v = 0;
  for (const regs::Field& f : r.fields) {
    const std::uint32_t x = f.reset_per_config ? config_value(fmt::format("{}.{}", r.name, f.name)) : f.reset;
    v |= (x << f.lsb) & f.mask();
  }
  return v;
}

inline std::uint32_t byte_mask(std::uint8_t strb) {
  std::uint32_t m = 0;
  for (unsigned b = 0; b < 4; ++b) {
    if ((strb >> b) & 1u) m |= 0xFFu << (8 * b);
  }
  return m;
}

inline bool is_counter_word(std::uint32_t offset) {
  return offset >= regs::kCounterBaseOffset &&
         offset < regs::kCounterBaseOffset + regs::kNumCounters * regs::kCounterStride;
}
inline bool is_window_word(const regs::Register& r) { return r.name.starts_with("WIN_"); }
inline bool is_sem_word(const regs::Register& r) { return r.name.starts_with("SEM["); }

// Reference model of the register block as seen from the bus, for words whose value does not
// come from the core: rw words (including the semaphores, held by the core stub) and
// IRQ_STATUS. Core-owned words (STATUS, ERR_*) are given by the inputs the test drives; counter
// words are checked by the counter tests.
class CsrRef {
 public:
  CsrRef() {
    for (const regs::Register& r : regs::kRegisters) {
      if (r.access == regs::Access::kRw || r.access == regs::Access::kW1c) value_[r.offset] = expected_reset(r);
    }
  }

  // Core state the bench drives.
  bool busy = false, done = false, error = false;
  std::uint32_t err_code = 0, err_index = 0, err_info = 0;
  // Command pulses the RTL should have issued.
  unsigned starts = 0, soft_resets = 0, clears = 0, sem_writes = 0;

  // Expected response and data of a read (counters other than the reserved ones: data unknown).
  struct Read {
    std::uint32_t data = 0;
    std::uint8_t resp = kAxiOkay;
    bool data_known = true;
  };
  Read read(std::uint32_t addr) const {
    const std::uint32_t off = addr & 0xFFCu;
    const regs::Register* r = regs::find_register(off);
    if (r == nullptr) return {0, kAxiSlvErr, true};
    if (is_counter_word(off)) {
      const unsigned idx = (off - regs::kCounterBaseOffset) / regs::kCounterStride;
      const bool reserved = idx == regs::link_bytes::kIndex || idx == regs::retransmits::kIndex;
      return {0, kAxiOkay, reserved};
    }
    switch (off) {
      case regs::ctrl::kOffset: return {0, kAxiOkay, true};
      case regs::status::kOffset:
        return {(busy ? regs::status::kBusyMask : 0u) | (done ? regs::status::kDoneMask : 0u) |
                    (error ? regs::status::kErrorMask : 0u),
                kAxiOkay, true};
      case regs::err_code::kOffset: return {err_code & 0xFFu, kAxiOkay, true};
      case regs::err_index::kOffset: return {err_index, kAxiOkay, true};
      case regs::err_info::kOffset: return {err_info & field_mask(*r), kAxiOkay, true};
      default: break;
    }
    if (r->access == regs::Access::kRo) return {expected_reset(*r), kAxiOkay, true};
    return {value_.at(off), kAxiOkay, true};
  }

  std::uint8_t write(std::uint32_t addr, std::uint32_t data, std::uint8_t strb) {
    const std::uint32_t off = addr & 0xFFCu;
    const regs::Register* r = regs::find_register(off);
    if (r == nullptr) return kAxiSlvErr;
    const std::uint32_t bm = byte_mask(strb);
    const std::uint32_t set = data & bm;
    switch (r->access) {
      case regs::Access::kRw:
        if (busy && (is_window_word(*r) || is_sem_word(*r))) break;
        value_[off] = ((value_[off] & ~bm) | set) & r->rw_mask;
        if (is_sem_word(*r)) ++sem_writes;
        break;
      case regs::Access::kW1c: value_[off] &= ~(set & r->w1c_mask); break;
      case regs::Access::kW1s:
        if (off == regs::ctrl::kOffset) {
          const bool soft = set & regs::ctrl::kSoftResetMask;
          if (soft) soft_reset();
          if ((set & regs::ctrl::kStartMask) && !soft && !busy && !error) ++starts;
          if (set & regs::ctrl::kClearCountersMask) ++clears;
        }
        break;
      case regs::Access::kRo: break;
    }
    return kAxiOkay;
  }

  void event(bool done_ev, bool error_ev) {
    std::uint32_t& s = value_[regs::irq_status::kOffset];
    if (done_ev) s |= regs::irq_status::kDoneMask;
    if (error_ev) s |= regs::irq_status::kErrorMask;
  }
  // What the core stub does on soft_reset_o, and csr_regs' IRQ_STATUS clear.
  void soft_reset() {
    ++soft_resets;
    value_[regs::irq_status::kOffset] = 0;
    for (unsigned i = 0; i < regs::sem::kCount; ++i) value_[regs::sem::kOffset + i * regs::sem::kStride] = 0;
  }
  // The core writes a semaphore (stub port).
  void core_sem_write(unsigned idx, std::uint32_t v) { value_[regs::sem::kOffset + idx * regs::sem::kStride] = v; }

  bool irq() const { return (value_.at(regs::irq_status::kOffset) & value_.at(regs::irq_enable::kOffset)) != 0; }
  std::uint32_t value(std::uint32_t off) const { return value_.at(off); }

  static std::uint32_t field_mask(const regs::Register& r) {
    std::uint32_t m = 0;
    for (const regs::Field& f : r.fields) m |= f.mask();
    return r.fields.empty() ? 0xFFFFFFFFu : m;
  }

 private:
  std::map<std::uint32_t, std::uint32_t> value_;
};

// The registers of the map with access type `a`.
inline std::vector<const regs::Register*> registers_with(regs::Access a) {
  std::vector<const regs::Register*> out;
  for (const regs::Register& r : regs::kRegisters) {
    if (r.access == a) out.push_back(&r);
  }
  return out;
}

// Fixture: a reset model with every core-side input at 0, and the master (no delays, no
// back-pressure unless a test sets options). Failures print the replay command.
class HostBench : public ::testing::Test {
 protected:
  HostBench() : axi(sim, AxilMasterOptions{0, 0, 1000, seed()}), rng(seed()) {}

  void SetUp() override {
    auto& m = *sim;
    m.busy_i = 0;
    m.done_i = 0;
    m.error_i = 0;
    m.err_code_i = 0;
    m.err_index_i = 0;
    m.err_info_i = 0;
    m.done_event_i = 0;
    m.error_event_i = 0;
    m.core_sem_we_i = 0;
    m.core_sem_idx_i = 0;
    m.core_sem_wdata_i = 0;
    stop_counter_inputs();
    axi.idle();
    sim.reset();
  }
  void TearDown() override {
    if (!HasFailure()) return;
    ADD_FAILURE() << replay_command(kCfg.name);
  }

  static std::uint64_t seed() { return test_seed(); }

 public:  // helpers, also for free functions of the tests
  Model& m() { return *sim; }

  // Bus access expecting OKAY.
  std::uint32_t rd(std::uint32_t addr) {
    const AxilReadResult r = axi.read(addr);
    EXPECT_EQ(r.resp, kAxiOkay) << fmt::format("read 0x{:03X}", addr);
    return r.data;
  }
  void wr(std::uint32_t addr, std::uint32_t data, std::uint8_t strb = 0xF) {
    EXPECT_EQ(axi.write(addr, data, strb), kAxiOkay) << fmt::format("write 0x{:03X}", addr);
  }
  // A counter as software reads it: LO, then HI (the snapshot).
  std::uint64_t rd_counter(unsigned idx) {
    const std::uint32_t lo_off = regs::kCounterBaseOffset + idx * regs::kCounterStride;
    const std::uint64_t lo = rd(lo_off);
    const std::uint64_t hi = rd(lo_off + 4);
    return (hi << 32) | lo;
  }

  // One-cycle event pulses from the core.
  void done_event() { pulse(m().done_event_i); }
  void error_event() { pulse(m().error_event_i); }
  template <class Port>
  void pulse(Port& p) {
    p = 1;
    sim.eval();
    sim.tick();
    p = 0;
    sim.eval();
  }
  void cycles(unsigned n) { axi.idle(n); }

  void stop_counter_inputs() {
    auto& x = m();
    x.te_busy_i = 0;
    x.vec_busy_i = 0;
    x.dma_busy_i = 0;
    x.macs_add_i = 0;
    x.dram_rd_add_i = 0;
    x.dram_wr_add_i = 0;
    x.fetch_add_i = 0;
    x.retired_add_i = 0;
    x.stall_sem_add_i = 0;
    x.stall_queue_i = 0;
    x.stall_dram_i = 0;
  }

  // The core-side view of a window register as csr_regs drives it.
  std::uint32_t win_out(const regs::Register& r) {
    const unsigned i = (r.offset - regs::win_base::kOffset) / regs::win_base::kStride;
    const unsigned which = (r.offset - regs::win_base::kOffset) % regs::win_base::kStride;
    if (which == regs::win_limit::kOffset - regs::win_base::kOffset) return get_bits(m().win_limit_o, 32 * i, 32);
    if (which == regs::win_ctrl::kOffset - regs::win_base::kOffset) return get_bits(m().win_ctrl_o, 3 * i, 3);
    return get_bits(m().win_base_o, 32 * i, 32);
  }

  SimController<Model> sim;
  AxilMaster<Model> axi;
  std::mt19937_64 rng;
};

}  // namespace systole::verif::host
