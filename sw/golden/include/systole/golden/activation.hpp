// Bit-exact activation functions of the vector engine (docs/numerics.md section 6): the
// built-in EXP2, EXP, RECIP, RSQRT, SQRT and LOG, and the programmable piecewise-polynomial
// TABLE with its post-operation.
// Every result is computed from fp32 bit patterns with the section-2 operations of
// numerics.hpp and exact integer manipulations; the host FPU is never used.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "systole/golden/isa.hpp"
#include "systole/golden/numerics.hpp"

namespace systole::golden::act {

using num::f32_bits;

// --- built-in functions ---------------------------------------------------------------------
f32_bits exp2(f32_bits x);   // 2^x
f32_bits exp(f32_bits x);    // e^x = EXP2(mul(x, log2(e)))
f32_bits recip(f32_bits x);  // 1/x
f32_bits rsqrt(f32_bits x);  // 1/sqrt(x)
f32_bits sqrt(f32_bits x);   // sqrt(x)
f32_bits log(f32_bits x);    // ln(x)

// m * 2^q rounded once (the EXP2 post-operation of TABLE, numerics.md section 6 TABLE step
// 5.4): m is 1.0 or the table's input; DAZ and NaN rules as every fp32 operation.
f32_bits mul_exp2(f32_bits m, f32_bits q);

// --- TABLE ------------------------------------------------------------------------------------
// A piecewise polynomial as loaded by TABLE_LOAD. Binary layout (32-bit words):
//   word 0  header: [7:0] nseg (1..64), [9:8] degree (0..3), [10] left rule, [11] right rule
//           (0 = constant a, 1 = linear b*x + a), post-operation [12] EXP2, [13] MUL_X,
//           [14] LEFT_FINAL, [15] RIGHT_FINAL; bits [31:16] reserved, must be 0
//   word 1  lo        word 2  inv_w
//   word 3  a_L       word 4  b_L       word 5  a_R       word 6  b_R
//   word 7  reserved, must be 0
//   then per segment i = 0..nseg-1: c_{i,0}, c_{i,1}, c_{i,2}, c_{i,3} (all four words are
//   present whatever the degree; coefficients above the degree are ignored by eval).
// Length: 8 + 4 * nseg words.
struct Table {
  static constexpr std::uint32_t kMaxSegments = 64;
  static constexpr std::uint32_t kMaxDegree = 3;
  static constexpr std::size_t kHeaderWords = 8;

  std::uint32_t nseg = 1;
  std::uint32_t degree = 0;
  bool left_linear = false;
  bool right_linear = false;
  // Post-operation (numerics.md section 6, TABLE step 5): the segment or rule value q becomes
  // q (none set), x * q (mul_x), 2^q (exp2) or x * 2^q (both), rounded once; a boundary rule
  // marked final returns q as it is.
  bool exp2 = false;
  bool mul_x = false;
  bool left_final = false;
  bool right_final = false;
  f32_bits lo = 0;
  f32_bits inv_w = 0;
  f32_bits left_a = 0, left_b = 0;
  f32_bits right_a = 0, right_b = 0;
  std::vector<std::array<f32_bits, 4>> coef;  // coef[i][j] = c_{i,j}; size nseg

  static std::size_t words_for(std::uint32_t nseg) { return kHeaderWords + 4u * nseg; }

  // Why this table cannot be encoded (nseg, degree, coef.size()), or nullopt if it can.
  std::optional<std::string> invalid_reason() const;
  // The TABLE_LOAD image. Throws std::invalid_argument if invalid_reason() is set.
  std::vector<std::uint32_t> to_words() const;
  // Decode a TABLE_LOAD image. On a bad header or length returns nullopt and, if `why` is
  // not null, stores the reason there (the executor maps this to TABLE_ERROR).
  static std::optional<Table> from_words(std::span<const std::uint32_t> words, std::string* why = nullptr);

  bool operator==(const Table&) const = default;
};

// Evaluate a table at x (section 6 TABLE, steps 1 to 5). Precondition: t.invalid_reason() is
// empty.
f32_bits eval(const Table& t, f32_bits x);

// ACTIVATE's function step: f(t) for the function `func`, t being add(mul(x, scale), bias).
// `table` is the slot's table for func == TABLE (precondition: not null then); it is ignored
// otherwise. Throws std::invalid_argument for a func code outside 0..7.
f32_bits apply(ActFunc func, const Table* table, f32_bits t);

}  // namespace systole::golden::act
