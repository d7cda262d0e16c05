// Simulation-speed measurement of a Verilated tensor_tb (not a test: run through the
// DISABLED_SpeedBenchmark test, docs/performance.md). Streams back-to-back K = P, M = C,
// N = Nmax MATMULs of one dtype with no gaps and no back-pressure and reports cycles/s.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "systole/sim/sim_controller.hpp"
#include "tensor_ref.hpp"

namespace systole::verif::tensor {
using namespace systole::sim;  // the simulated chip and its models (sim/)

template <class Model>
double measure_speed(const Config& cfg, DType d, std::uint64_t cycles) {
  SimController<Model> sim;
  sim.reset();
  Rng rng(1);
  auto& m = *sim;
  Cmd c;
  c.dtype = d;
  c.k = cfg.P;
  c.m = cfg.C;
  c.n = cfg.nmax;
  // A pool of random beats, reused so that stimulus costs little against the model.
  const unsigned lb = cfg.lane_bits();
  std::vector<std::vector<std::uint32_t>> pool(64, std::vector<std::uint32_t>(cfg.P));
  for (auto& v : pool)
    for (auto& e : v) e = random_element(rng, d, 0.0, lb) & ((1u << lb) - 1);
  std::uint64_t beats = 0, stat_beats = 0, cmds = 0, outs = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t cyc = 0; cyc < cycles; ++cyc) {
    c.start = cmds % 2 == 0;
    m.cmd_valid_i = 1;
    m.cmd_data_i = c.pack();
    m.stat_valid_i = 1;
    m.mov_valid_i = 1;
    for (unsigned p = 0; p < cfg.P; ++p) {
      set_bits(m.stat_data_i, p * lb, lb, pool[stat_beats % 64][p]);
      set_bits(m.mov_data_i, p * lb, lb, pool[(beats * 7) % 64][p]);
    }
    m.hold_i = 0;
    sim.eval();
    beats += m.mov_ready_o;
    stat_beats += m.stat_ready_o;
    cmds += m.cmd_ready_o;
    outs += m.psum_fire_o;
    sim.tick();
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[%s] %-4s P=%u C=%u: %llu cycles in %.2f s = %.0f cycles/s (%.1f%% of cycles took a moving beat)\n",
              cfg.name, dtype_name(d), cfg.P, cfg.C, static_cast<unsigned long long>(cycles), s,
              static_cast<double>(cycles) / s, 100.0 * static_cast<double>(beats) / static_cast<double>(cycles));
  (void)outs;
  return static_cast<double>(cycles) / s;
}

}  // namespace systole::verif::tensor
