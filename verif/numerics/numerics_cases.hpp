// Named corner cases for the numerics RTL tests, with expected results worked out by hand from
// docs/numerics.md. Both the RTL and the golden model are checked against each expected value.
// kDocExamples is section 7 of docs/numerics.md, row for row, with the hex exactly as printed.
#pragma once

#include <array>
#include <cstdint>

#include "numerics_stimulus.hpp"

namespace systole::verif::cases {

enum class UnitId { kFp32Add, kBf16Mul, kFp8Mul, kInt8Mac, kFp32ToBf16, kFp32ToFp8, kFp32ToInt8 };

struct Case {
  const char* name;
  UnitId unit;
  stim::Operands in;  // (a, b) or (acc, a, b) or (a)
  std::uint32_t expected;
};

using U = UnitId;

// docs/numerics.md section 7, in the order of the table.
inline constexpr std::array kDocExamples = {
    Case{"add: 1 + 2^-24, tie rounds to even 1.0", U::kFp32Add, {0x3F800000, 0x33800000, 0}, 0x3F800000},
    Case{"add: tie rounds to even (up)", U::kFp32Add, {0x3F800001, 0x33800000, 0}, 0x3F800002},
    Case{"add: exact -2^-149 flushed to -0", U::kFp32Add, {0x00800000, 0x80800001, 0}, 0x80000000},
    Case{"add: denormal input is zero (DAZ)", U::kFp32Add, {0x00400000, 0x3F800000, 0}, 0x3F800000},
    Case{"add: 2^128 overflows to +inf", U::kFp32Add, {0x7F7FFFFF, 0x73800000, 0}, 0x7F800000},
    Case{"add: inf - inf is canonical NaN", U::kFp32Add, {0x7F800000, 0xFF800000, 0}, 0x7FC00000},
    Case{"add: -0 + -0 = -0", U::kFp32Add, {0x80000000, 0x80000000, 0}, 0x80000000},
    Case{"add: exact zero of opposite signs is +0", U::kFp32Add, {0x3F800000, 0xBF800000, 0}, 0x00000000},
    Case{"bf16 mul: 1 x 1", U::kBf16Mul, {0x3F80, 0x3F80, 0}, 0x3F800000},
    Case{"bf16 mul: 1.9921875^2 exact", U::kBf16Mul, {0x3FFF, 0x3FFF, 0}, 0x407E0100},
    Case{"bf16 mul: 2^-127 flushed to +0", U::kBf16Mul, {0x0080, 0x3F00, 0}, 0x00000000},
    Case{"bf16 mul: inf x 0 is NaN", U::kBf16Mul, {0x7F80, 0x0000, 0}, 0x7FC00000},
    Case{"fp8 mul: 2^-9 x 2^-9 = 2^-18", U::kFp8Mul, {0x01, 0x01, 0}, 0x36800000},
    Case{"fp8 mul: 448 x 448", U::kFp8Mul, {0x7E, 0x7E, 0}, 0x48440000},
    Case{"int8 mac: acc wraps", U::kInt8Mac, {0x7FFFFFFF, 0x01, 0x01}, 0x80000000},
    Case{"int8 mac: -128 x -128", U::kInt8Mac, {0x00000000, 0x80, 0x80}, 0x00004000},
    Case{"to bf16: tie, even stays", U::kFp32ToBf16, {0x3F808000, 0, 0}, 0x3F80},
    Case{"to bf16: tie rounds up to even", U::kFp32ToBf16, {0x3F818000, 0, 0}, 0x3F82},
    Case{"to bf16: rounds past largest to +inf", U::kFp32ToBf16, {0x7F7FFFFF, 0, 0}, 0x7F80},
    Case{"to fp8: 448 is the largest", U::kFp32ToFp8, {0x43E00000, 0, 0}, 0x7E},
    Case{"to fp8: 464 saturates", U::kFp32ToFp8, {0x43E80000, 0, 0}, 0x7E},
    Case{"to fp8: +inf saturates", U::kFp32ToFp8, {0x7F800000, 0, 0}, 0x7E},
    Case{"to fp8: 2^-10 ties to even 0", U::kFp32ToFp8, {0x3A800000, 0, 0}, 0x00},
    Case{"to fp8: 1.5 x 2^-10 rounds to 2^-9", U::kFp32ToFp8, {0x3AC00000, 0, 0}, 0x01},
    Case{"to int8: 127.5 saturates to 127", U::kFp32ToInt8, {0x42FF0000, 0, 0}, 0x7F},
    Case{"to int8: 2.5 ties to 2", U::kFp32ToInt8, {0x40200000, 0, 0}, 0x02},
    Case{"to int8: -3.5 ties to -4", U::kFp32ToInt8, {0xC0600000, 0, 0}, 0xFC},
    Case{"to int8: NaN gives 0", U::kFp32ToInt8, {0x7FC00000, 0, 0}, 0x00},
};

// Corner cases beyond the doc table.
inline constexpr std::array kCorners = {
    // ---- fp32_add: signed zeros
    Case{"add +0 + +0", U::kFp32Add, {0x00000000, 0x00000000, 0}, 0x00000000},
    Case{"add +0 + -0", U::kFp32Add, {0x00000000, 0x80000000, 0}, 0x00000000},
    Case{"add -0 + +0", U::kFp32Add, {0x80000000, 0x00000000, 0}, 0x00000000},
    Case{"add -x + x exact zero", U::kFp32Add, {0xC0490FDB, 0x40490FDB, 0}, 0x00000000},
    Case{"add -0 + x", U::kFp32Add, {0x80000000, 0xC0490FDB, 0}, 0xC0490FDB},
    // ---- fp32_add: infinities and NaNs (several payloads, both signs)
    Case{"add +inf + 1", U::kFp32Add, {0x7F800000, 0x3F800000, 0}, 0x7F800000},
    Case{"add -max + -inf", U::kFp32Add, {0xFF7FFFFF, 0xFF800000, 0}, 0xFF800000},
    Case{"add -inf + -inf", U::kFp32Add, {0xFF800000, 0xFF800000, 0}, 0xFF800000},
    Case{"add -inf + +inf", U::kFp32Add, {0xFF800000, 0x7F800000, 0}, 0x7FC00000},
    Case{"add qNaN + 1", U::kFp32Add, {0x7FC00000, 0x3F800000, 0}, 0x7FC00000},
    Case{"add sNaN (payload 1) + 1", U::kFp32Add, {0x7F800001, 0x3F800000, 0}, 0x7FC00000},
    Case{"add 1 + negative NaN", U::kFp32Add, {0x3F800000, 0xFFC00001, 0}, 0x7FC00000},
    Case{"add all-ones NaN + -0", U::kFp32Add, {0xFFFFFFFF, 0x80000000, 0}, 0x7FC00000},
    Case{"add NaN + inf", U::kFp32Add, {0x7FA00000, 0x7F800000, 0}, 0x7FC00000},
    // ---- fp32_add: denormal inputs (DAZ)
    Case{"add denormal + denormal", U::kFp32Add, {0x00000001, 0x00000001, 0}, 0x00000000},
    Case{"add -denormal + -denormal = -0", U::kFp32Add, {0x80000001, 0x807FFFFF, 0}, 0x80000000},
    Case{"add denormal + -denormal", U::kFp32Add, {0x00000001, 0x80000001, 0}, 0x00000000},
    Case{"add -denormal + min normal", U::kFp32Add, {0x807FFFFF, 0x00800000, 0}, 0x00800000},
    Case{"add denormal + inf", U::kFp32Add, {0x00000001, 0xFF800000, 0}, 0xFF800000},
    // ---- fp32_add: results below 2^-126 flushed (sign of the exact result)
    Case{"add min normal - min normal", U::kFp32Add, {0x00800000, 0x80800000, 0}, 0x00000000},
    Case{"add exact +2^-149 flushed to +0", U::kFp32Add, {0x00800001, 0x80800000, 0}, 0x00000000},
    Case{"add exact -2^-127 flushed to -0", U::kFp32Add, {0x80C00000, 0x00800000, 0}, 0x80000000},
    Case{"add exact -1.5 x 2^-127 flushed to -0", U::kFp32Add, {0x80E00000, 0x00800000, 0}, 0x80000000},
    Case{"add 2^-125 - 2^-126 = min normal", U::kFp32Add, {0x01000000, 0x80800000, 0}, 0x00800000},
    Case{"add min normal + min normal", U::kFp32Add, {0x00800000, 0x00800000, 0}, 0x01000000},
    // ---- fp32_add: rounding
    Case{"add just above tie rounds up", U::kFp32Add, {0x3F800000, 0x33800001, 0}, 0x3F800001},
    Case{"add just below tie rounds down", U::kFp32Add, {0x3F800000, 0x337FFFFF, 0}, 0x3F800000},
    Case{"add 1 - 2^-25 tie to even 1.0", U::kFp32Add, {0x3F800000, 0xB3000000, 0}, 0x3F800000},
    Case{"add 1 - 2^-24 exact", U::kFp32Add, {0x3F800000, 0xB3800000, 0}, 0x3F7FFFFF},
    Case{"add 1 - (2^-24 + 2^-47) sticky", U::kFp32Add, {0x3F800000, 0xB3800001, 0}, 0x3F7FFFFF},
    Case{"add tie carries into exponent", U::kFp32Add, {0x3FFFFFFF, 0x33800000, 0}, 0x40000000},
    Case{"add cancellation to 2^-23", U::kFp32Add, {0x3F800001, 0xBF800000, 0}, 0x34000000},
    Case{"add carry-out, shifted-out sticky breaks the tie", U::kFp32Add, {0xBEFFFFFF, 0xB3800001, 0}, 0xBF000001},
    Case{"add carry-out, exact tie to even", U::kFp32Add, {0xBEFFFFFF, 0xB3800000, 0}, 0xBF000000},
    Case{"add 1 + min normal", U::kFp32Add, {0x3F800000, 0x00800000, 0}, 0x3F800000},
    Case{"add 1 + 2^-32 (exponents 32 apart)", U::kFp32Add, {0x3F800000, 0x2F800000, 0}, 0x3F800000},
    Case{"add 1 - 2^-31 (far below the ulp)", U::kFp32Add, {0x3F800000, 0xB0000000, 0}, 0x3F800000},
    Case{"add 1.5 + 0.75 ulp (guard + sticky) rounds up", U::kFp32Add, {0x3FC00000, 0x33C00000, 0}, 0x3FC00001},
    Case{"add 1.5 + 0.375 ulp rounds down", U::kFp32Add, {0x3FC00000, 0x33400000, 0}, 0x3FC00000},
    // ---- fp32_add: overflow and the largest normal
    Case{"add max + max overflows", U::kFp32Add, {0x7F7FFFFF, 0x7F7FFFFF, 0}, 0x7F800000},
    Case{"add -max + -max overflows to -inf", U::kFp32Add, {0xFF7FFFFF, 0xFF7FFFFF, 0}, 0xFF800000},
    Case{"add max + half ulp ties up to inf", U::kFp32Add, {0x7F7FFFFF, 0x73000000, 0}, 0x7F800000},
    Case{"add max + below half ulp stays", U::kFp32Add, {0x7F7FFFFF, 0x72FFFFFF, 0}, 0x7F7FFFFF},
    Case{"add max - (max - ulp) = 2^104", U::kFp32Add, {0x7F7FFFFF, 0xFF7FFFFE, 0}, 0x73800000},
    Case{"add max + min normal", U::kFp32Add, {0x7F7FFFFF, 0x00800000, 0}, 0x7F7FFFFF},
    // ---- bf16_mul
    Case{"bf16 +0 x +0", U::kBf16Mul, {0x0000, 0x0000, 0}, 0x00000000},
    Case{"bf16 -0 x +0", U::kBf16Mul, {0x8000, 0x0000, 0}, 0x80000000},
    Case{"bf16 -0 x -0", U::kBf16Mul, {0x8000, 0x8000, 0}, 0x00000000},
    Case{"bf16 -1 x +0", U::kBf16Mul, {0xBF80, 0x0000, 0}, 0x80000000},
    Case{"bf16 inf x 1", U::kBf16Mul, {0x7F80, 0x3F80, 0}, 0x7F800000},
    Case{"bf16 -inf x 1", U::kBf16Mul, {0xFF80, 0x3F80, 0}, 0xFF800000},
    Case{"bf16 inf x -inf", U::kBf16Mul, {0x7F80, 0xFF80, 0}, 0xFF800000},
    Case{"bf16 0 x -inf", U::kBf16Mul, {0x0000, 0xFF80, 0}, 0x7FC00000},
    Case{"bf16 denormal x inf (DAZ) is NaN", U::kBf16Mul, {0x0001, 0x7F80, 0}, 0x7FC00000},
    Case{"bf16 -denormal x 1 (DAZ)", U::kBf16Mul, {0x807F, 0x3F80, 0}, 0x80000000},
    Case{"bf16 qNaN x 1", U::kBf16Mul, {0x7FC0, 0x3F80, 0}, 0x7FC00000},
    Case{"bf16 negative NaN payload x 0", U::kBf16Mul, {0xFF81, 0x0000, 0}, 0x7FC00000},
    Case{"bf16 NaN x inf", U::kBf16Mul, {0x7F81, 0x7F80, 0}, 0x7FC00000},
    Case{"bf16 2^127 x 2 overflows", U::kBf16Mul, {0x7F00, 0x4000, 0}, 0x7F800000},
    Case{"bf16 -2^127 x 2 overflows to -inf", U::kBf16Mul, {0xFF00, 0x4000, 0}, 0xFF800000},
    Case{"bf16 max x max overflows", U::kBf16Mul, {0x7F7F, 0x7F7F, 0}, 0x7F800000},
    Case{"bf16 max x 1 stays", U::kBf16Mul, {0x7F7F, 0x3F80, 0}, 0x7F7F0000},
    Case{"bf16 min normal x 1", U::kBf16Mul, {0x0080, 0x3F80, 0}, 0x00800000},
    Case{"bf16 -min normal x 0.5 flushed to -0", U::kBf16Mul, {0x8080, 0x3F00, 0}, 0x80000000},
    Case{"bf16 min normal x 1.9921875", U::kBf16Mul, {0x0080, 0x3FFF, 0}, 0x00FF0000},
    Case{"bf16 min normal x 0.99609375 flushed", U::kBf16Mul, {0x0080, 0x3F7F, 0}, 0x00000000},
    Case{"bf16 carry lifts product to min range", U::kBf16Mul, {0x00C0, 0x3F40, 0}, 0x00900000},
    Case{"bf16 no carry: 1.875 x 2^-127 flushed", U::kBf16Mul, {0x00C0, 0x3F20, 0}, 0x00000000},
    Case{"bf16 1.5 x 1.5", U::kBf16Mul, {0x3FC0, 0x3FC0, 0}, 0x40100000},
    // ---- fp8_mul (e4m3: no inf, S.1111.111 NaN, subnormals honoured)
    Case{"fp8 +0 x -0", U::kFp8Mul, {0x00, 0x80, 0}, 0x80000000},
    Case{"fp8 -0 x -0", U::kFp8Mul, {0x80, 0x80, 0}, 0x00000000},
    Case{"fp8 0 x 448", U::kFp8Mul, {0x00, 0x7E, 0}, 0x00000000},
    Case{"fp8 -448 x 448", U::kFp8Mul, {0xFE, 0x7E, 0}, 0xC8440000},
    Case{"fp8 NaN x 1", U::kFp8Mul, {0x7F, 0x38, 0}, 0x7FC00000},
    Case{"fp8 -NaN x 0", U::kFp8Mul, {0xFF, 0x00, 0}, 0x7FC00000},
    Case{"fp8 1 x 1", U::kFp8Mul, {0x38, 0x38, 0}, 0x3F800000},
    Case{"fp8 smallest subnormal x 1", U::kFp8Mul, {0x01, 0x38, 0}, 0x3B000000},
    Case{"fp8 largest subnormal x 1", U::kFp8Mul, {0x07, 0x38, 0}, 0x3C600000},
    Case{"fp8 smallest normal x 1", U::kFp8Mul, {0x08, 0x38, 0}, 0x3C800000},
    Case{"fp8 448 x 1 (S.1111.110 is finite)", U::kFp8Mul, {0x7E, 0x38, 0}, 0x43E00000},
    Case{"fp8 -subnormal x subnormal", U::kFp8Mul, {0x87, 0x07, 0}, 0xB9440000},
    // ---- int8_mac
    Case{"mac 0 + -128 x 127", U::kInt8Mac, {0x00000000, 0x80, 0x7F}, 0xFFFFC080},
    Case{"mac int32 min - 1 wraps", U::kInt8Mac, {0x80000000, 0xFF, 0x01}, 0x7FFFFFFF},
    Case{"mac max + -128 x -128 wraps", U::kInt8Mac, {0x7FFFFFFF, 0x80, 0x80}, 0x80003FFF},
    Case{"mac -1 + -1 x -1", U::kInt8Mac, {0xFFFFFFFF, 0xFF, 0xFF}, 0x00000000},
    Case{"mac x + 0 x -128", U::kInt8Mac, {0x12345678, 0x00, 0x80}, 0x12345678},
    Case{"mac 127 x 127", U::kInt8Mac, {0x00000000, 0x7F, 0x7F}, 0x00003F01},
    // ---- fp32 -> bf16
    Case{"to bf16 +0", U::kFp32ToBf16, {0x00000000, 0, 0}, 0x0000},
    Case{"to bf16 -0", U::kFp32ToBf16, {0x80000000, 0, 0}, 0x8000},
    Case{"to bf16 denormal (DAZ)", U::kFp32ToBf16, {0x007FFFFF, 0, 0}, 0x0000},
    Case{"to bf16 -denormal (DAZ)", U::kFp32ToBf16, {0x80000001, 0, 0}, 0x8000},
    Case{"to bf16 +inf", U::kFp32ToBf16, {0x7F800000, 0, 0}, 0x7F80},
    Case{"to bf16 -inf", U::kFp32ToBf16, {0xFF800000, 0, 0}, 0xFF80},
    Case{"to bf16 qNaN", U::kFp32ToBf16, {0x7FC00000, 0, 0}, 0x7FC0},
    Case{"to bf16 NaN with payload only in dropped half", U::kFp32ToBf16, {0x7F800001, 0, 0}, 0x7FC0},
    Case{"to bf16 negative all-ones NaN", U::kFp32ToBf16, {0xFFFFFFFF, 0, 0}, 0x7FC0},
    Case{"to bf16 just above tie", U::kFp32ToBf16, {0x3F808001, 0, 0}, 0x3F81},
    Case{"to bf16 just below tie", U::kFp32ToBf16, {0x3F807FFF, 0, 0}, 0x3F80},
    Case{"to bf16 negative tie up to even", U::kFp32ToBf16, {0xBF818000, 0, 0}, 0xBF82},
    Case{"to bf16 min normal", U::kFp32ToBf16, {0x00800000, 0, 0}, 0x0080},
    Case{"to bf16 max bf16 stays", U::kFp32ToBf16, {0x7F7F7FFF, 0, 0}, 0x7F7F},
    Case{"to bf16 tie at max bf16 rounds to inf", U::kFp32ToBf16, {0x7F7F8000, 0, 0}, 0x7F80},
    Case{"to bf16 -max fp32 rounds to -inf", U::kFp32ToBf16, {0xFF7FFFFF, 0, 0}, 0xFF80},
    // ---- fp32 -> fp8
    Case{"to fp8 -inf saturates", U::kFp32ToFp8, {0xFF800000, 0, 0}, 0xFE},
    Case{"to fp8 qNaN", U::kFp32ToFp8, {0x7FC00000, 0, 0}, 0x7F},
    Case{"to fp8 negative NaN", U::kFp32ToFp8, {0xFFC00000, 0, 0}, 0x7F},
    Case{"to fp8 NaN payload 1", U::kFp32ToFp8, {0x7F800001, 0, 0}, 0x7F},
    Case{"to fp8 +0", U::kFp32ToFp8, {0x00000000, 0, 0}, 0x00},
    Case{"to fp8 -0", U::kFp32ToFp8, {0x80000000, 0, 0}, 0x80},
    Case{"to fp8 denormal (DAZ)", U::kFp32ToFp8, {0x00000001, 0, 0}, 0x00},
    Case{"to fp8 -denormal (DAZ)", U::kFp32ToFp8, {0x807FFFFF, 0, 0}, 0x80},
    Case{"to fp8 1.0", U::kFp32ToFp8, {0x3F800000, 0, 0}, 0x38},
    Case{"to fp8 -1.0", U::kFp32ToFp8, {0xBF800000, 0, 0}, 0xB8},
    Case{"to fp8 max fp32 saturates", U::kFp32ToFp8, {0x7F7FFFFF, 0, 0}, 0x7E},
    Case{"to fp8 -max fp32 saturates", U::kFp32ToFp8, {0xFF7FFFFF, 0, 0}, 0xFE},
    Case{"to fp8 480 saturates", U::kFp32ToFp8, {0x43F00000, 0, 0}, 0x7E},
    Case{"to fp8 just below 464", U::kFp32ToFp8, {0x43E7FFFF, 0, 0}, 0x7E},
    Case{"to fp8 just above 464 saturates", U::kFp32ToFp8, {0x43E80001, 0, 0}, 0x7E},
    Case{"to fp8 -464 saturates", U::kFp32ToFp8, {0xC3E80000, 0, 0}, 0xFE},
    Case{"to fp8 smallest normal 2^-6", U::kFp32ToFp8, {0x3C800000, 0, 0}, 0x08},
    Case{"to fp8 largest subnormal", U::kFp32ToFp8, {0x3C600000, 0, 0}, 0x07},
    Case{"to fp8 subnormal tie rounds up to normal", U::kFp32ToFp8, {0x3C700000, 0, 0}, 0x08},
    Case{"to fp8 smallest subnormal 2^-9", U::kFp32ToFp8, {0x3B000000, 0, 0}, 0x01},
    Case{"to fp8 1.5 x 2^-9 ties to 2", U::kFp32ToFp8, {0x3B400000, 0, 0}, 0x02},
    Case{"to fp8 2.5 x 2^-9 ties to 2", U::kFp32ToFp8, {0x3BA00000, 0, 0}, 0x02},
    Case{"to fp8 just below 2^-10", U::kFp32ToFp8, {0x3A7FFFFF, 0, 0}, 0x00},
    Case{"to fp8 just above 2^-10", U::kFp32ToFp8, {0x3A800001, 0, 0}, 0x01},
    Case{"to fp8 -2^-10 is -0", U::kFp32ToFp8, {0xBA800000, 0, 0}, 0x80},
    Case{"to fp8 1.0625 ties to 1.0", U::kFp32ToFp8, {0x3F880000, 0, 0}, 0x38},
    Case{"to fp8 1.1875 ties to 1.25", U::kFp32ToFp8, {0x3F980000, 0, 0}, 0x3A},
    Case{"to fp8 1.9375 ties up into 2.0", U::kFp32ToFp8, {0x3FF80000, 0, 0}, 0x40},
    // ---- fp32 -> int8
    Case{"to int8 +inf", U::kFp32ToInt8, {0x7F800000, 0, 0}, 0x7F},
    Case{"to int8 -inf", U::kFp32ToInt8, {0xFF800000, 0, 0}, 0x80},
    Case{"to int8 negative NaN", U::kFp32ToInt8, {0xFFC00000, 0, 0}, 0x00},
    Case{"to int8 NaN payload 1", U::kFp32ToInt8, {0x7F800001, 0, 0}, 0x00},
    Case{"to int8 -0", U::kFp32ToInt8, {0x80000000, 0, 0}, 0x00},
    Case{"to int8 denormal", U::kFp32ToInt8, {0x00000001, 0, 0}, 0x00},
    Case{"to int8 0.5 ties to 0", U::kFp32ToInt8, {0x3F000000, 0, 0}, 0x00},
    Case{"to int8 -0.5 ties to 0", U::kFp32ToInt8, {0xBF000000, 0, 0}, 0x00},
    Case{"to int8 0.49999997", U::kFp32ToInt8, {0x3EFFFFFF, 0, 0}, 0x00},
    Case{"to int8 just above 0.5", U::kFp32ToInt8, {0x3F000001, 0, 0}, 0x01},
    Case{"to int8 1.5 ties to 2", U::kFp32ToInt8, {0x3FC00000, 0, 0}, 0x02},
    Case{"to int8 -1.5 ties to -2", U::kFp32ToInt8, {0xBFC00000, 0, 0}, 0xFE},
    Case{"to int8 126.5 ties to 126", U::kFp32ToInt8, {0x42FD0000, 0, 0}, 0x7E},
    Case{"to int8 127.4", U::kFp32ToInt8, {0x42FECCCD, 0, 0}, 0x7F},
    Case{"to int8 -127.5 ties to -128", U::kFp32ToInt8, {0xC2FF0000, 0, 0}, 0x80},
    Case{"to int8 -128", U::kFp32ToInt8, {0xC3000000, 0, 0}, 0x80},
    Case{"to int8 -128.5 ties to -128", U::kFp32ToInt8, {0xC3008000, 0, 0}, 0x80},
    Case{"to int8 -129 saturates", U::kFp32ToInt8, {0xC3010000, 0, 0}, 0x80},
    Case{"to int8 200 saturates", U::kFp32ToInt8, {0x43480000, 0, 0}, 0x7F},
    Case{"to int8 -max fp32 saturates", U::kFp32ToInt8, {0xFF7FFFFF, 0, 0}, 0x80},
};

}  // namespace systole::verif::cases
