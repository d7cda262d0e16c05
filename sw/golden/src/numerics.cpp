// Bit-exact numerics: integer implementations of docs/numerics.md. No host floating point is
// used for architectural results; the host FPU appears only in the reference helpers at the end.
#include "systole/golden/numerics.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace systole::golden::num {
namespace {

constexpr f32_bits kSignMask = 0x80000000u;
constexpr f32_bits kExpMask = 0x7F800000u;
constexpr f32_bits kFracMask = 0x007FFFFFu;

constexpr unsigned exp_field(f32_bits x) { return (x >> 23) & 0xFFu; }
constexpr bool sign_of(f32_bits x) { return (x & kSignMask) != 0; }
constexpr f32_bits signed_zero(bool s) { return s ? kSignMask : 0u; }
constexpr f32_bits signed_inf(bool s) { return (s ? kSignMask : 0u) | kExpMask; }

// Shift v right by `shift` bits rounding to nearest, ties to even. `sticky` says whether
// non-zero bits were already dropped below v (they break ties upward).
std::uint64_t rne_shift_right(std::uint64_t v, int shift, bool sticky = false) {
  if (shift <= 0) return v;
  if (shift >= 64) {
    // Everything is below the rounding point: the result is 0 unless v itself is >= half,
    // which cannot happen for shift >= 64.
    return 0;
  }
  const std::uint64_t kept = v >> shift;
  const std::uint64_t rem = v & ((std::uint64_t{1} << shift) - 1);
  const std::uint64_t half = std::uint64_t{1} << (shift - 1);
  if (rem > half || (rem == half && (sticky || (kept & 1u)))) return kept + 1;
  return kept;
}

// Pack the exact value (-1)^sign * mant * 2^exp into fp32 (section 2 rules 3-5): round to
// 24 significant bits with an unbounded exponent, then flush (< 2^-126) or overflow (>= 2^128).
// `sticky` marks non-zero bits already below mant's LSB (used by the adder's alignment).
f32_bits pack(bool sign, int exp, std::uint64_t mant, bool sticky = false) {
  if (mant == 0) return signed_zero(sign);
  const int msb = 63 - std::countl_zero(mant);
  int shift = msb - 23;
  std::uint64_t sig;
  if (shift > 0) {
    sig = rne_shift_right(mant, shift, sticky);
    if (sig >> 24) {  // rounding carried into a new bit
      sig >>= 1;
      ++shift;
    }
  } else {
    sig = mant << (-shift);
  }
  // value = sig * 2^(exp + shift), sig in [2^23, 2^24): unbiased exponent = exp + shift + 23.
  const long biased = static_cast<long>(exp) + shift + 23 + 127;
  if (biased <= 0) return signed_zero(sign);
  if (biased >= 255) return signed_inf(sign);
  return (sign ? kSignMask : 0u) | (static_cast<f32_bits>(biased) << 23) | (static_cast<f32_bits>(sig) & kFracMask);
}

// A DAZ'd, non-NaN, finite, non-zero fp32 as significand (with hidden bit) and exponent
// such that value = sig * 2^exp.
struct Unpacked {
  bool sign;
  int exp;
  std::uint32_t sig;
};
Unpacked unpack_normal(f32_bits x) {
  return {sign_of(x), static_cast<int>(exp_field(x)) - 127 - 23, (x & kFracMask) | 0x00800000u};
}

bool is_zero(f32_bits x) { return (x & ~kSignMask) == 0; }

// Total-order key for max/min: -0 < +0, ordered like the real numbers otherwise.
std::uint32_t order_key(f32_bits x) { return sign_of(x) ? ~x : (x | kSignMask); }

}  // namespace

bool f32_is_nan(f32_bits x) { return (x & kExpMask) == kExpMask && (x & kFracMask) != 0; }
bool f32_is_inf(f32_bits x) { return (x & ~kSignMask) == kExpMask; }
bool f32_is_denormal(f32_bits x) { return exp_field(x) == 0 && (x & kFracMask) != 0; }
bool fp8_is_nan(fp8_bits x) { return (x & 0x7Fu) == 0x7Fu; }
f32_bits f32_daz(f32_bits x) { return f32_is_denormal(x) ? (x & kSignMask) : x; }

f32_bits f32_add(f32_bits a, f32_bits b) {
  a = f32_daz(a);
  b = f32_daz(b);
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32CanonicalNan;
  if (f32_is_inf(a) || f32_is_inf(b)) {
    if (f32_is_inf(a) && f32_is_inf(b) && sign_of(a) != sign_of(b)) return kF32CanonicalNan;
    return f32_is_inf(a) ? a : b;
  }
  if (is_zero(a) && is_zero(b)) return signed_zero(sign_of(a) && sign_of(b));
  if (is_zero(a)) return b;
  if (is_zero(b)) return a;

  Unpacked x = unpack_normal(a);
  Unpacked y = unpack_normal(b);
  if (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)) std::swap(x, y);  // |x| >= |y|
  // Align with 32 guard bits; bits shifted past them only matter as a sticky bit.
  constexpr int kGuard = 32;
  const std::uint64_t mx = std::uint64_t{x.sig} << kGuard;
  const int diff = x.exp - y.exp;
  std::uint64_t my = std::uint64_t{y.sig} << kGuard;
  bool sticky = false;
  if (diff >= 64) {
    sticky = true;
    my = 0;
  } else if (diff > 0) {
    sticky = (my & ((std::uint64_t{1} << diff) - 1)) != 0;
    my >>= diff;
  }
  const int exp = x.exp - kGuard;
  if (x.sign == y.sign) return pack(x.sign, exp, mx + my, sticky);
  // Subtraction: a dropped sticky bit means the true |y| is slightly larger than my, so the
  // true difference is slightly smaller than mx - my. Borrow one ulp of the guard range and
  // keep the sticky bit to stay exact for rounding purposes.
  std::uint64_t d = mx - my;
  if (sticky) d -= 1;
  if (d == 0 && !sticky) return 0u;  // exact cancellation: +0 under RNE
  return pack(x.sign, exp, d, sticky);
}

f32_bits f32_sub(f32_bits a, f32_bits b) {
  b = f32_daz(b);
  if (f32_is_nan(b)) return kF32CanonicalNan;
  return f32_add(a, b ^ kSignMask);
}

f32_bits f32_mul(f32_bits a, f32_bits b) { return f32_mul_pow2(a, b, 0); }

f32_bits f32_mul_pow2(f32_bits a, f32_bits b, int n) {
  a = f32_daz(a);
  b = f32_daz(b);
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32CanonicalNan;
  const bool s = sign_of(a) != sign_of(b);
  if (f32_is_inf(a) || f32_is_inf(b)) {
    if (is_zero(a) || is_zero(b)) return kF32CanonicalNan;
    return signed_inf(s);
  }
  if (is_zero(a) || is_zero(b)) return signed_zero(s);
  const Unpacked x = unpack_normal(a);
  const Unpacked y = unpack_normal(b);
  return pack(s, x.exp + y.exp + n, std::uint64_t{x.sig} * y.sig);
}

f32_bits f32_max(f32_bits a, f32_bits b) {
  a = f32_daz(a);
  b = f32_daz(b);
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32CanonicalNan;
  return order_key(a) >= order_key(b) ? a : b;
}

f32_bits f32_min(f32_bits a, f32_bits b) {
  a = f32_daz(a);
  b = f32_daz(b);
  if (f32_is_nan(a) || f32_is_nan(b)) return kF32CanonicalNan;
  return order_key(a) <= order_key(b) ? a : b;
}

namespace {
// IEEE ordering key where +0 and -0 compare equal (both map to the key of +0).
std::uint32_t ieee_key(f32_bits x) { return is_zero(x) ? order_key(0u) : order_key(x); }
}  // namespace

bool f32_eq(f32_bits a, f32_bits b) {
  a = f32_daz(a);
  b = f32_daz(b);
  if (f32_is_nan(a) || f32_is_nan(b)) return false;
  return ieee_key(a) == ieee_key(b);
}
bool f32_lt(f32_bits a, f32_bits b) {
  a = f32_daz(a);
  b = f32_daz(b);
  if (f32_is_nan(a) || f32_is_nan(b)) return false;
  return ieee_key(a) < ieee_key(b);
}
bool f32_le(f32_bits a, f32_bits b) {
  a = f32_daz(a);
  b = f32_daz(b);
  if (f32_is_nan(a) || f32_is_nan(b)) return false;
  return ieee_key(a) <= ieee_key(b);
}

f32_bits bf16_to_f32(bf16_bits x) { return f32_daz(static_cast<f32_bits>(x) << 16); }

f32_bits fp8_to_f32(fp8_bits x) {
  if (fp8_is_nan(x)) return kF32CanonicalNan;
  const bool s = (x & 0x80u) != 0;
  const unsigned e = (x >> 3) & 0xFu;
  const unsigned m = x & 0x7u;
  if (e == 0) {
    // Subnormal: m/8 * 2^-6 = m * 2^-9.
    return pack(s, -9, m);
  }
  return pack(s, static_cast<int>(e) - 7 - 3, 8u | m);
}

f32_bits int32_to_f32(std::int32_t x) {
  const bool s = x < 0;
  const std::uint64_t mag =
      s ? (~static_cast<std::uint64_t>(static_cast<std::int64_t>(x)) + 1) : static_cast<std::uint64_t>(x);
  return pack(s, 0, mag);
}

f32_bits int8_to_f32(std::int8_t x) { return int32_to_f32(x); }

f32_bits bf16_mul(bf16_bits a, bf16_bits b) {
  return f32_mul(static_cast<f32_bits>(a) << 16, static_cast<f32_bits>(b) << 16);
}

f32_bits fp8_mul(fp8_bits a, fp8_bits b) { return f32_mul(fp8_to_f32(a), fp8_to_f32(b)); }

std::int32_t int8_mac(std::int32_t acc, std::int8_t a, std::int8_t b) {
  const std::uint32_t prod = static_cast<std::uint32_t>(static_cast<std::int32_t>(a) * b);
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(acc) + prod);
}

bf16_bits f32_to_bf16(f32_bits x) {
  x = f32_daz(x);
  if (f32_is_nan(x)) return kBf16CanonicalNan;
  // RNE on the 16 dropped bits; a carry out of the fraction correctly bumps the exponent,
  // and from the largest finite exponent into infinity.
  const f32_bits rounded = x + 0x7FFFu + ((x >> 16) & 1u);
  return static_cast<bf16_bits>(rounded >> 16);
}

fp8_bits f32_to_fp8(f32_bits x) {
  x = f32_daz(x);
  if (f32_is_nan(x)) return kFp8CanonicalNan;
  const bool s = sign_of(x);
  const fp8_bits sbit = s ? 0x80u : 0u;
  if (f32_is_inf(x)) return sbit | kFp8MaxFinite;
  if (is_zero(x)) return sbit;
  const Unpacked u = unpack_normal(x);
  const int e_unb = u.exp + 23;                 // value = 1.f * 2^e_unb
  if (e_unb >= 9) return sbit | kFp8MaxFinite;  // >= 512 > 448
  // Quantum: 3 fraction bits for normals (2^(e-3)), fixed 2^-9 in the subnormal range.
  int q = e_unb - 3;
  if (q < -9) q = -9;
  std::uint64_t k = rne_shift_right(u.sig, q - u.exp);  // value / 2^q, rounded
  if (k == 0) return sbit;
  if (k >= 16) {  // rounding carried: 16 * 2^q = 8 * 2^(q+1)
    k >>= 1;
    ++q;
  }
  fp8_bits code;
  if (k < 8) {
    code = static_cast<fp8_bits>(k);  // only possible at q == -9: subnormal
  } else {
    const int e8 = q + 3 + 7;
    if (e8 > 15 || (e8 == 15 && k - 8 == 7)) return sbit | kFp8MaxFinite;
    code = static_cast<fp8_bits>((e8 << 3) | static_cast<int>(k - 8));
  }
  return sbit | code;
}

namespace {
// RNE to an integer and saturate to [lo, hi]; NaN gives 0.
std::int64_t f32_to_int_sat(f32_bits x, std::int64_t lo, std::int64_t hi) {
  x = f32_daz(x);
  if (f32_is_nan(x)) return 0;
  if (f32_is_inf(x)) return sign_of(x) ? lo : hi;
  if (is_zero(x)) return 0;
  const Unpacked u = unpack_normal(x);
  std::int64_t mag;
  if (u.exp >= 0) {
    if (u.exp > 16) return u.sign ? lo : hi;  // >= 2^40: beyond every target range
    mag = static_cast<std::int64_t>(std::uint64_t{u.sig} << u.exp);
  } else {
    mag = static_cast<std::int64_t>(rne_shift_right(u.sig, -u.exp));
  }
  const std::int64_t v = u.sign ? -mag : mag;
  return v < lo ? lo : (v > hi ? hi : v);
}
}  // namespace

std::int8_t f32_to_int8(f32_bits x) { return static_cast<std::int8_t>(f32_to_int_sat(x, -128, 127)); }

std::int32_t f32_to_int32(f32_bits x) {
  return static_cast<std::int32_t>(
      f32_to_int_sat(x, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
}

std::int8_t int32_to_int8_sat(std::int32_t x) {
  return static_cast<std::int8_t>(x < -128 ? -128 : (x > 127 ? 127 : x));
}

double f32_to_double(f32_bits x) { return static_cast<double>(std::bit_cast<float>(x)); }

f32_bits double_to_f32_bits_rne(double x) { return std::bit_cast<f32_bits>(static_cast<float>(x)); }

double bf16_to_double(bf16_bits x) { return f32_to_double(static_cast<f32_bits>(x) << 16); }

double fp8_to_double(fp8_bits x) {
  if (fp8_is_nan(x)) return std::numeric_limits<double>::quiet_NaN();
  const double sign = (x & 0x80u) ? -1.0 : 1.0;
  const int e = (x >> 3) & 0xF;
  const int m = x & 0x7;
  if (e == 0) return sign * std::ldexp(m, -9);
  return sign * std::ldexp(8 + m, e - 10);
}

}  // namespace systole::golden::num
