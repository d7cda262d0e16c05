// TensorBench: drives the Verilated tensor_tb (tensor_engine + psum_accum) with MATMUL sequences,
// random input gaps and random output back-pressure, and checks every PSUM write and the final
// PSUM image bit-exactly against RefPsum (golden numerics).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <fmt/format.h>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "systole/sim/sim_controller.hpp"
#include "tensor_ref.hpp"

namespace systole::verif::tensor {
using namespace systole::sim;  // the simulated chip and its models (sim/)

struct Knobs {
  double in_gap = 0.0;  // probability an idle input stream does not present its next beat
  double hold = 0.0;    // probability of output back-pressure in a cycle
};

struct RunStats {
  std::uint64_t cycles = 0, mov_beats = 0, first_mov = 0, last_out = 0, writes = 0;
  bool any_mov = false;
};

template <class Model>
class TensorBench {
 public:
  TensorBench(const Config& cfg, std::uint64_t seed) : cfg_(cfg), ref_(cfg), rng_(seed) { sim_.reset(); }

  const Config& cfg() const { return cfg_; }
  RefPsum& ref() { return ref_; }
  Rng& rng() { return rng_; }

  // A MATMUL with random operands for `c` (special = probability of a corner value).
  Matmul make(const Cmd& c, double special) {
    Matmul mm;
    mm.cmd = c;
    const unsigned lb = cfg_.lane_bits();
    auto lanes = [&](std::vector<std::uint32_t>& v) {
      v.resize(cfg_.P);
      for (unsigned p = 0; p < cfg_.P; ++p) {
        // Inactive lanes carry any pattern of any dtype (often NaN/inf in bf16).
        const bool active = p >= c.pstart && p < c.pstart + c.k;
        v[p] = random_element(rng_, active ? c.dtype : DType::kBf16, active ? special : 0.3, 16) & ((1u << lb) - 1);
      }
    };
    mm.stat.resize(c.m);
    for (auto& s : mm.stat) lanes(s);
    mm.mov.resize(c.n);
    for (auto& x : mm.mov) lanes(x);
    return mm;
  }

  // A MATMUL whose active elements come from pick(dtype) (inactive lanes stay random junk).
  template <class Pick>
  Matmul make_with(const Cmd& c, Pick pick) {
    Matmul mm = make(c, 0.0);
    const std::uint32_t lane_mask = (1u << cfg_.lane_bits()) - 1;
    for (auto* beats : {&mm.stat, &mm.mov})
      for (auto& v : *beats)
        for (unsigned p = c.pstart; p < c.pstart + c.k; ++p) v[p] = pick(c.dtype) & lane_mask;
    return mm;
  }

  // Queues a MATMUL: its beats for the RTL and its expected writes from the reference.
  void push(const Matmul& mm) {
    cmds_.push_back(mm.cmd.pack());
    for (const auto& s : mm.stat) stats_.push_back(s);
    for (const auto& x : mm.mov) movs_.push_back(x);
    for (auto& w : ref_.apply(mm, count_++)) expect_.push_back(std::move(w));
    log_.push_back(mm.cmd.str());
  }

  // Runs until every queued beat is in and every expected write happened. Returns the stats of
  // this run; records gtest failures (at most a few) on mismatches.
  RunStats run(const Knobs& knobs, std::uint64_t max_cycles) {
    RunStats st;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    bool cmd_on = false, stat_on = false, mov_on = false;
    const std::uint64_t start = sim_.cycle();
    auto& m = *sim_;
    while (!expect_.empty() || !cmds_.empty() || !stats_.empty() || !movs_.empty()) {
      if (sim_.cycle() - start > max_cycles) {
        ADD_FAILURE() << fmt::format("timeout: {} cycles, {} writes still expected (next: {})", max_cycles,
                                     expect_.size(), expect_.empty() ? "-" : expect_.front().what);
        return st;
      }
      // Present beats (a presented beat stays until it is taken).
      if (!cmd_on && !cmds_.empty() && u(rng_) >= knobs.in_gap) cmd_on = true;
      if (!stat_on && !stats_.empty() && u(rng_) >= knobs.in_gap) stat_on = true;
      if (!mov_on && !movs_.empty() && u(rng_) >= knobs.in_gap) mov_on = true;
      m.cmd_valid_i = cmd_on;
      m.cmd_data_i = cmd_on ? cmds_.front() : 0;
      m.stat_valid_i = stat_on;
      if (stat_on) set_lanes(m.stat_data_i, stats_.front());
      m.mov_valid_i = mov_on;
      if (mov_on) set_lanes(m.mov_data_i, movs_.front());
      m.hold_i = knobs.hold > 0.0 && u(rng_) < knobs.hold;
      sim_.eval();
      // Sample handshakes and the PSUM write of this cycle.
      const bool cmd_fire = cmd_on && m.cmd_ready_o;
      const bool stat_fire = stat_on && m.stat_ready_o;
      const bool mov_fire = mov_on && m.mov_ready_o;
      if (mov_fire) {
        if (!st.any_mov) st.first_mov = sim_.cycle();
        st.any_mov = true;
        ++st.mov_beats;
      }
      if (m.psum_fire_o) st.last_out = sim_.cycle();
      if (m.wr_valid_o) {
        ++st.writes;
        check_write();
      }
      if (m.err_o) {
        ADD_FAILURE() << "err_o raised";
        return st;
      }
      sim_.tick();
      if (cmd_fire) cmds_.pop_front(), cmd_on = false;
      if (stat_fire) stats_.pop_front(), stat_on = false;
      if (mov_fire) movs_.pop_front(), mov_on = false;
      if (failures_ >= kMaxFailures) return st;
    }
    // Let the last write retire.
    st.cycles = sim_.cycle() - start;
    return st;
  }

  // Reads every word the reference wrote back through the debug port and compares.
  void check_image() {
    auto& m = *sim_;
    int bad = 0;
    for (unsigned lane = 0; lane < cfg_.C; ++lane) {
      for (unsigned a = 0; a < cfg_.words(); ++a) {
        if (!ref_.written(lane, a)) continue;
        m.dbg_lane_i = lane;
        m.dbg_addr_i = a;
        sim_.eval();
        if (m.dbg_data_o != ref_.word(lane, a) && bad++ < kMaxFailures) {
          ADD_FAILURE() << fmt::format("PSUM image lane {} addr {}: rtl 0x{:08X} golden 0x{:08X}", lane, a,
                                       static_cast<std::uint32_t>(m.dbg_data_o), ref_.word(lane, a));
        }
      }
    }
  }

  std::size_t matmuls() const { return count_; }

 private:
  static constexpr int kMaxFailures = 8;

  template <class Port>
  void set_lanes(Port& port, const std::vector<std::uint32_t>& lanes) {
    for (unsigned p = 0; p < cfg_.P; ++p) set_bits(port, p * cfg_.lane_bits(), cfg_.lane_bits(), lanes[p]);
  }

  void check_write() {
    auto& m = *sim_;
    if (expect_.empty()) {
      ADD_FAILURE() << fmt::format("unexpected PSUM write at addr {} (cycle {})", static_cast<unsigned>(m.wr_addr_o),
                                   sim_.cycle());
      ++failures_;
      return;
    }
    const Write& w = expect_.front();
    std::string diff;
    if (m.wr_addr_o != w.addr)
      diff += fmt::format(" addr rtl {} golden {};", static_cast<unsigned>(m.wr_addr_o), w.addr);
    if (static_cast<std::uint32_t>(m.wr_mask_o) != w.mask) {
      diff += fmt::format(" mask rtl 0x{:X} golden 0x{:X};", static_cast<std::uint32_t>(m.wr_mask_o), w.mask);
    }
    for (unsigned i = 0; i < cfg_.C; ++i) {
      if (!((w.mask >> i) & 1u)) continue;
      const std::uint32_t got = get_bits(m.wr_data_o, i * 32, 32);
      if (got != w.data[i]) diff += fmt::format(" column {}: rtl 0x{:08X} golden 0x{:08X};", i, got, w.data[i]);
    }
    if (!diff.empty()) {
      ADD_FAILURE() << "PSUM write of " << w.what << " (cycle " << sim_.cycle() << "):" << diff;
      ++failures_;
    }
    expect_.pop_front();
  }

  Config cfg_;
  SimController<Model> sim_;
  RefPsum ref_;
  Rng rng_;
  std::deque<std::uint64_t> cmds_;
  std::deque<std::vector<std::uint32_t>> stats_, movs_;
  std::deque<Write> expect_;
  std::vector<std::string> log_;
  std::size_t count_ = 0;
  int failures_ = 0;
};

}  // namespace systole::verif::tensor
