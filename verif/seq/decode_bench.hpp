// DecodeBench: drives decode_check (rtl/seq/decode_check.sv) with a list of instructions and
// their protection windows under random valid gaps and random out_ready back-pressure, and
// compares every result with the golden model: decode() (a failure is ILLEGAL_INSTRUCTION),
// then validate() with the bench's Config (its vector_engine says whether the model was built
// with HasVector; docs/chip.md section 2).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <deque>
#include <fmt/format.h>
#include <random>
#include <string>
#include <vector>

#include "systole/golden/config.hpp"
#include "systole/golden/errors.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"
#include "systole/sim/sim_controller.hpp"

namespace systole::verif::seq {
using namespace systole::sim;  // the simulated chip and its models (sim/)

using Rng = std::mt19937_64;

// One instruction to check, with the windows it is checked against.
struct Item {
  golden::EncodedInstruction words{};
  golden::Windows windows{};
  std::string origin;  // which generator or corner case made it
};

// The golden model's answer.
inline golden::Fault golden_check(const Item& it, const golden::Config& cfg) {
  const golden::Decoded d = golden::decode(it.words);
  if (!d.insn) return d.fault;
  return golden::validate(*d.insn, cfg, it.windows);
}

inline std::string describe(const Item& it) {
  std::string s = fmt::format("origin {}\n  words:", it.origin);
  for (std::size_t i = 0; i < it.words.size(); ++i) s += fmt::format(" w{}={:08x}", i, it.words[i]);
  for (std::size_t i = 0; i < it.windows.size(); ++i) {
    const golden::Window& w = it.windows[i];
    s += fmt::format("\n  window {}: [{:08x}, {:08x}] en={} r={} w={}", i, w.base, w.limit, w.enable, w.read, w.write);
  }
  return s;
}

// Handshake pressure: the chance (percent) of an idle gap before presenting an instruction,
// its longest length, and the chance that out_ready is high in a cycle.
struct Pressure {
  unsigned gap_pct = 30;
  unsigned max_gap = 3;
  unsigned ready_pct = 70;
};

// Counts of results per error code (0..15).
using Histogram = std::array<std::uint64_t, 16>;

inline std::string histogram_text(const Histogram& h) {
  static const char* const kNames[] = {"NONE", "ILLEGAL", "BAD_OPERAND", "SHAPE", "PATTERN", "PROTECTION"};
  std::string s;
  for (std::size_t c = 0; c < 6; ++c) s += fmt::format("{}{}={}", c ? " " : "", kNames[c], h[c]);
  return s;
}

template <class Model>
class DecodeBench {
 public:
  DecodeBench(const golden::Config& cfg, std::uint64_t seed) : cfg_(cfg), rng_(seed) { sim_.reset(); }

  const golden::Config& cfg() const { return cfg_; }
  Rng& rng() { return rng_; }
  SimController<Model>& sim() { return sim_; }
  const Histogram& histogram() const { return hist_; }
  std::uint64_t checked() const { return checked_; }

  // Runs `items` through the model in order; reports mismatches with ADD_FAILURE (the first
  // few in full). Returns the number of mismatches.
  unsigned run(const std::vector<Item>& items, const Pressure& p) {
    struct Expect {
      std::uint8_t code;
      std::uint8_t engine;
      std::string detail;
    };
    std::vector<Expect> want;
    want.reserve(items.size());
    for (const Item& it : items) {
      const golden::Fault f = golden_check(it, cfg_);
      want.push_back(
          {static_cast<std::uint8_t>(f.code), static_cast<std::uint8_t>((it.words[0] >> 8) & 0xF), f.detail});
    }

    Model& m = *sim_;
    std::size_t next_in = 0, next_out = 0;
    bool presenting = false;
    unsigned gap = 0;
    unsigned bad = 0;
    const std::uint64_t limit = sim_.cycle() + 64 * (items.size() + 16);
    while (next_out < items.size()) {
      if (!presenting && next_in < items.size()) {
        if (gap > 0) {
          --gap;
          // Garbage on the bus while idle must not matter.
          for (int i = 0; i < 16; ++i) m.in_words_i[i] = static_cast<std::uint32_t>(rng_());
        } else {
          presenting = true;
          drive(items[next_in]);
        }
      }
      m.in_valid_i = presenting;
      m.out_ready_i = (rng_() % 100) < p.ready_pct;
      sim_.eval();
      const bool in_fire = presenting && m.in_ready_o;
      if (m.out_valid_o && m.out_ready_i) {
        if (next_out >= next_in) {  // results come a cycle after acceptance at the earliest
          ADD_FAILURE() << "out_valid_o without an accepted instruction";
          return bad + 1;
        }
        const Expect& e = want[next_out];
        const unsigned code = m.out_code_o;
        const unsigned engine = m.out_engine_o;
        hist_[e.code]++;
        ++checked_;
        if (code != e.code || (e.code == 0 && engine != e.engine)) {
          if (bad < 5) {
            ADD_FAILURE() << fmt::format(
                "{}{}: instruction {}: RTL code {} engine {}, golden code {} engine {} ({})\n  {}", cfg_.name,
                cfg_.vector_engine ? " vec" : "", next_out, code, engine, e.code, e.engine,
                e.detail.empty() ? "ok" : e.detail, describe(items[next_out]));
          }
          ++bad;
        }
        ++next_out;
      }
      sim_.tick();
      if (in_fire) {
        presenting = false;
        ++next_in;
        gap = (rng_() % 100) < p.gap_pct ? 1 + static_cast<unsigned>(rng_() % p.max_gap) : 0;
      }
      if (sim_.cycle() > limit) {
        ADD_FAILURE() << fmt::format("[{}] timeout: {} of {} instructions accepted, {} results", cfg_.name, next_in,
                                     items.size(), next_out);
        return bad + 1;
      }
    }
    m.in_valid_i = 0;
    m.out_ready_i = 0;
    return bad;
  }

  void drive(const Item& it) {
    Model& m = *sim_;
    for (int i = 0; i < 16; ++i) m.in_words_i[i] = it.words[i];
    std::uint32_t ctrl = 0;
    for (int i = 0; i < 4; ++i) {
      const golden::Window& w = it.windows[i];
      m.win_base_i[i] = w.base;
      m.win_limit_i[i] = w.limit;
      ctrl |= (std::uint32_t{w.enable} | std::uint32_t{w.read} << 1 | std::uint32_t{w.write} << 2) << (3 * i);
    }
    m.win_ctrl_i = static_cast<std::uint16_t>(ctrl);
  }

 private:
  golden::Config cfg_;
  Rng rng_;
  SimController<Model> sim_;
  Histogram hist_{};
  std::uint64_t checked_ = 0;
};

}  // namespace systole::verif::seq
