// Bit-exact Systole numerics (docs/numerics.md). Every function takes and returns raw bit
// patterns so that nothing passes through the host's floating point unit.
#pragma once

#include <cstdint>

namespace systole::golden::num {

using f32_bits = std::uint32_t;
using bf16_bits = std::uint16_t;
using fp8_bits = std::uint8_t;

inline constexpr f32_bits kF32CanonicalNan = 0x7FC00000u;
inline constexpr bf16_bits kBf16CanonicalNan = 0x7FC0u;
inline constexpr fp8_bits kFp8CanonicalNan = 0x7Fu;
inline constexpr fp8_bits kFp8MaxFinite = 0x7Eu;  // 448
inline constexpr f32_bits kF32One = 0x3F800000u;
inline constexpr f32_bits kF32PosInf = 0x7F800000u;
inline constexpr f32_bits kF32NegInf = 0xFF800000u;

// --- classification -------------------------------------------------------------------------
bool f32_is_nan(f32_bits x);
bool f32_is_inf(f32_bits x);
bool f32_is_denormal(f32_bits x);  // exponent 0, fraction non-zero
bool fp8_is_nan(fp8_bits x);
// Denormals-are-zero: a denormal becomes a zero of the same sign; everything else unchanged.
f32_bits f32_daz(f32_bits x);

// --- fp32 arithmetic (section 2: DAZ, RNE, FTZ, overflow to inf, canonical NaN) -----------
f32_bits f32_add(f32_bits a, f32_bits b);
f32_bits f32_sub(f32_bits a, f32_bits b);
f32_bits f32_mul(f32_bits a, f32_bits b);
// a * b * 2^n with one rounding (rules 3-5 on the exact product scaled by 2^n): the TABLE
// post-operation's x * 2^q (numerics.md section 6). f32_mul is n = 0.
f32_bits f32_mul_pow2(f32_bits a, f32_bits b, int n);
f32_bits f32_max(f32_bits a, f32_bits b);  // -0 < +0, NaN in -> canonical NaN
f32_bits f32_min(f32_bits a, f32_bits b);
bool f32_eq(f32_bits a, f32_bits b);  // IEEE after DAZ: +0 == -0, NaN unordered
bool f32_lt(f32_bits a, f32_bits b);
bool f32_le(f32_bits a, f32_bits b);

// --- tensor-engine products (section 3) -------------------------------------------------------
f32_bits bf16_mul(bf16_bits a, bf16_bits b);                            // exact fp32 product (range rules apply)
f32_bits fp8_mul(fp8_bits a, fp8_bits b);                               // exact fp32 product, always normal or zero
std::int32_t int8_mac(std::int32_t acc, std::int8_t a, std::int8_t b);  // wraps mod 2^32

// --- conversions (section 4) -------------------------------------------------------------------
f32_bits bf16_to_f32(bf16_bits x);      // exact, then DAZ
f32_bits fp8_to_f32(fp8_bits x);        // exact; NaN -> canonical NaN
f32_bits int32_to_f32(std::int32_t x);  // RNE
f32_bits int8_to_f32(std::int8_t x);    // exact
bf16_bits f32_to_bf16(f32_bits x);      // RNE, overflow to inf
fp8_bits f32_to_fp8(f32_bits x);        // RNE, saturating to +-448, NaN -> 0x7F
std::int8_t f32_to_int8(f32_bits x);    // RNE, saturate, NaN -> 0
std::int32_t f32_to_int32(f32_bits x);  // RNE, saturate, NaN -> 0
std::int8_t int32_to_int8_sat(std::int32_t x);

// --- host-side helpers for references (never used to compute architectural results) -----------
double f32_to_double(f32_bits x);
f32_bits double_to_f32_bits_rne(double x);  // host rounding; for test stimulus only
double bf16_to_double(bf16_bits x);         // no DAZ: the value as encoded
double fp8_to_double(fp8_bits x);           // NaN -> quiet NaN

}  // namespace systole::golden::num
