// Random activation tables for the vector benches (test_vec_act, test_vec_engine): every
// degree, boundary rule and post-operation flag, 1..64 segments over a range placed around 0,
// coefficients near 1 and sometimes corner values; and inputs aimed at a table (its range,
// segment edges, tails). The driver's named tables (systole::driver::activations()) come with
// driver_tables().
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "../numerics/numerics_stimulus.hpp"
#include "systole/driver/activations.hpp"
#include "systole/golden/activation.hpp"

namespace systole::verif::vec {

inline golden::act::Table random_table(stim::Rng& r) {
  golden::act::Table t;
  t.nseg = r.coin() ? 64 : 1 + r.below(64);
  t.degree = r.below(4);
  t.left_linear = r.coin();
  t.right_linear = r.coin();
  t.exp2 = r.coin();
  t.mul_x = r.coin();
  t.left_final = r.coin();
  t.right_final = r.coin();
  auto word = [&]() -> std::uint32_t {
    if (r.below(8) == 0) return r.pick(stim::kF32Specials);
    return stim::f32_make(r.below(2), 118 + r.below(12), stim::frac23(r));  // about 2^-9 .. 4
  };
  t.lo = stim::f32_make(1, 127 + r.below(4), stim::frac23(r));      // -1 .. -16
  t.inv_w = stim::f32_make(0, 122 + r.below(10), stim::frac23(r));  // 1/32 .. 16
  t.left_a = word();
  t.left_b = word();
  t.right_a = word();
  t.right_b = word();
  t.coef.resize(t.nseg);
  for (auto& c : t.coef)
    for (auto& w : c) w = word();
  return t;
}

// An input for table t: inside its range (segment edges included), just outside, or anything.
inline std::uint32_t table_input(stim::Rng& r, const golden::act::Table& t) {
  const float lo = std::bit_cast<float>(t.lo), w = 1.0f / std::bit_cast<float>(t.inv_w);
  switch (r.below(5)) {
    case 0: return stim::f32_any(r);
    case 1:  // a segment edge and its neighbours
      return std::bit_cast<std::uint32_t>(lo + w * static_cast<float>(r.below(t.nseg + 1))) +
             static_cast<std::uint32_t>(r.range(-2, 2));
    case 2: return stim::f32_make(r.below(2), 100 + r.below(40), stim::frac23(r));
    default:
      return std::bit_cast<std::uint32_t>(lo + w * static_cast<float>(t.nseg) *
                                                   (static_cast<float>(r.below(1u << 20)) / 1048576.0f * 1.2f - 0.1f));
  }
}

inline std::vector<golden::act::Table> driver_tables() {
  std::vector<golden::act::Table> out;
  for (const auto& a : driver::activations())
    if (a.table) out.push_back(*a.table);
  return out;
}

}  // namespace systole::verif::vec
