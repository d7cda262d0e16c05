// Activation functions, step by step as written in docs/numerics.md section 6. Every
// arithmetic step is one of the section-2 fp32 operations (num::f32_add/sub/mul) or an exact
// integer manipulation of a bit pattern; the step order is architectural and must not change.
#include "systole/golden/activation.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace systole::golden::act {
namespace {

using namespace systole::golden::num;

constexpr f32_bits kSignMask = 0x80000000u;
constexpr f32_bits kFracMask = 0x007FFFFFu;
constexpr f32_bits kPosZero = 0x00000000u;
constexpr f32_bits kNegZero = 0x80000000u;

constexpr int exp_field(f32_bits x) { return static_cast<int>((x >> 23) & 0xFFu); }
constexpr bool is_neg(f32_bits x) { return (x & kSignMask) != 0; }
constexpr bool is_zero(f32_bits x) { return (x & ~kSignMask) == 0; }

// Add k to the exponent field of a positive normal y whose result field is known to be in
// 1..254: bits(y) + (k << 23), done in unsigned arithmetic (k may be negative).
constexpr f32_bits add_to_exponent(f32_bits y, int k) { return y + (static_cast<f32_bits>(k) << 23); }

// Round a finite, DAZ'd fp32 with |x| < 2^30 to the nearest integer, ties to even. Exact
// integer work on the significand.
std::int32_t round_to_int_rne(f32_bits x) {
  if (is_zero(x)) return 0;
  const int e = exp_field(x) - 127;  // |x| = sig * 2^(e - 23)
  const std::uint32_t sig = (x & kFracMask) | 0x00800000u;
  std::uint32_t mag;
  if (e >= 23) {
    mag = sig << (e - 23);
  } else if (e < -1) {
    mag = 0;  // |x| < 0.5
  } else {
    const int sh = 23 - e;  // 1..24
    const std::uint32_t kept = sig >> sh;
    const std::uint32_t rem = sig & ((1u << sh) - 1u);
    const std::uint32_t half = 1u << (sh - 1);
    mag = kept + ((rem > half || (rem == half && (kept & 1u))) ? 1u : 0u);
  }
  return is_neg(x) ? -static_cast<std::int32_t>(mag) : static_cast<std::int32_t>(mag);
}

// A stored table word used as a result follows the section-2 output rules like any other:
// DAZ, and the canonical NaN.
f32_bits canonical(f32_bits x) { return f32_is_nan(x) ? kF32CanonicalNan : f32_daz(x); }

// floor of a non-negative (or -0) fp32 t < 2^30: integer part of the significand.
std::uint32_t floor_nonneg(f32_bits t) {
  if (is_zero(t) || exp_field(t) < 127) return 0;
  const int e = exp_field(t) - 127;
  const std::uint32_t sig = (t & kFracMask) | 0x00800000u;
  return e >= 23 ? sig << (e - 23) : sig >> (23 - e);
}

// EXP2 polynomial c_0..c_6 (numerics.md section 6 table).
constexpr f32_bits kExp2C[7] = {0x3F800000u, 0x3F317218u, 0x3E75FDF0u, 0x3D635847u,
                                0x3C1D955Bu, 0x3AAEC3FFu, 0x39218489u};
constexpr f32_bits kF32_128 = 0x43000000u;       // 128.0
constexpr f32_bits kF32_Minus126 = 0xC2FC0000u;  // -126.0
constexpr f32_bits kLog2E = 0x3FB8AA3Bu;         // log2(e) rounded to fp32
// EXP: ln 2 split in two (Cody-Waite): kLn2Hi has 15 significant bits, so n * kLn2Hi is exact
// for |n| <= 255; kLn2Lo = ln 2 - kLn2Hi rounded to fp32. e^r polynomial c_k = 1/k!.
constexpr f32_bits kLn2Hi = 0x3F317200u;
constexpr f32_bits kLn2Lo = 0x35BFBE8Eu;
constexpr f32_bits kExpC[8] = {0x3F800000u, 0x3F800000u, 0x3F000000u, 0x3E2AAAABu,
                               0x3D2AAAABu, 0x3C088889u, 0x3AB60B61u, 0x39500D01u};
constexpr f32_bits kF32_89 = 0x42B20000u;       // 89.0: e^89 overflows
constexpr f32_bits kF32_Minus88 = 0xC2B00000u;  // -88.0: e^-88 < 2^-126 flushes
constexpr f32_bits kF32Two = 0x40000000u;
constexpr f32_bits kF32Half = 0x3F000000u;
constexpr f32_bits kF32OneAndHalf = 0x3FC00000u;
constexpr f32_bits kRecipMagic = 0x7EF311C7u;
constexpr f32_bits kRsqrtMagic = 0x5F3759DFu;
// LOG: m > sqrt(2) is halved; ln(1 + f) / f polynomial g_0..g_9 (numerics.md section 6 LOG).
constexpr f32_bits kSqrt2Bits = 0x3FB504F4u;
constexpr f32_bits kLogG[10] = {0x3F800000u, 0xBEFFFFFCu, 0x3EAAAAA8u, 0xBE800214u, 0x3E4CD23Bu,
                                0xBE2A13D4u, 0x3E113438u, 0xBE079616u, 0x3E043DC6u, 0xBD9C7049u};
// The fused m * 2^q: 2^q of a q outside (-277, 277) is 0 or infinite for every normal m.
constexpr f32_bits kF32_Minus277 = 0xC38A8000u;
constexpr f32_bits kF32_277 = 0x438A8000u;

// EXP2 step 3: the polynomial 2^r for r in [-0.5, 0.5], Horner from c6.
f32_bits exp2_poly(f32_bits r) {
  f32_bits p = kExp2C[6];
  for (int k = 5; k >= 0; --k) p = f32_add(f32_mul(p, r), kExp2C[k]);
  return p;
}

// RSQRT/SQRT step 2: a positive normal x as m * 2^e with m in [1, 4) and e even.
void split_even(f32_bits x, f32_bits& m, int& e) {
  m = (x & kFracMask) | kF32One;
  e = exp_field(x) - 127;
  if ((e & 1) != 0) {
    m += 0x00800000u;  // m = 2 * m: exact, one more in the exponent field (m < 2 here)
    e -= 1;
  }
}

// RSQRT step 3: 1/sqrt(m) for m in [1, 4), exact for m = 1, else a seed and three Newton steps.
f32_bits rsqrt_sig(f32_bits m) {
  if (m == kF32One) return kF32One;
  const f32_bits h = f32_mul(kF32Half, m);
  f32_bits y = kRsqrtMagic - (m >> 1);
  for (int it = 0; it < 3; ++it) y = f32_mul(y, f32_sub(kF32OneAndHalf, f32_mul(h, f32_mul(y, y))));
  return y;
}

}  // namespace

f32_bits exp2(f32_bits x) {
  x = f32_daz(x);
  // Step 1.
  if (f32_is_nan(x)) return kF32CanonicalNan;
  if (f32_le(kF32_128, x)) return kF32PosInf;
  if (f32_lt(x, kF32_Minus126)) return kPosZero;
  // Step 2: n in [-126, 128]; r = x - n is exact and in [-0.5, 0.5].
  const std::int32_t n = round_to_int_rne(x);
  const f32_bits r = f32_sub(x, int32_to_f32(n));
  // Step 3: Horner, c6 first.
  const f32_bits p = exp2_poly(r);
  // Step 4: scale by 2^n in the exponent field.
  const int field = exp_field(p) + n;
  if (field <= 0) return kPosZero;
  if (field >= 255) return kF32PosInf;
  return add_to_exponent(p, n);
}

f32_bits exp(f32_bits x) {
  x = f32_daz(x);
  // Step 1.
  if (f32_is_nan(x)) return kF32CanonicalNan;
  if (f32_le(kF32_89, x)) return kF32PosInf;
  if (f32_lt(x, kF32_Minus88)) return kPosZero;
  // Step 2: n = round(x * log2 e) in [-127, 129]; r = (x - n*ln2_hi) - n*ln2_lo, |r| <~ 0.35.
  const std::int32_t n = round_to_int_rne(f32_mul(x, kLog2E));
  const f32_bits nf = int32_to_f32(n);
  const f32_bits r = f32_sub(f32_sub(x, f32_mul(nf, kLn2Hi)), f32_mul(nf, kLn2Lo));
  // Step 3: Horner for e^r, c7 first.
  f32_bits p = kExpC[7];
  for (int k = 6; k >= 0; --k) p = f32_add(f32_mul(p, r), kExpC[k]);
  // Step 4: scale by 2^n in the exponent field.
  const int field = exp_field(p) + n;
  if (field <= 0) return kPosZero;
  if (field >= 255) return kF32PosInf;
  return add_to_exponent(p, n);
}

f32_bits recip(f32_bits x) {
  x = f32_daz(x);
  // Step 1.
  if (f32_is_nan(x)) return kF32CanonicalNan;
  const bool neg = is_neg(x);
  if (is_zero(x)) return neg ? kF32NegInf : kF32PosInf;
  if (f32_is_inf(x)) return neg ? kNegZero : kPosZero;
  // Step 2: |x| = m * 2^e, m in [1, 2).
  const f32_bits m = (x & kFracMask) | kF32One;
  const int e = exp_field(x) - 127;
  // Step 3: exact for a power of two; otherwise an initial estimate and three Newton steps.
  f32_bits y = kF32One;
  if (m != kF32One) {
    y = kRecipMagic - m;
    for (int it = 0; it < 3; ++it) y = f32_mul(y, f32_sub(kF32Two, f32_mul(m, y)));
  }
  // Step 4: scale by 2^-e (FTZ), then the sign of x.
  const int field = exp_field(y) - e;
  if (field <= 0) return neg ? kNegZero : kPosZero;
  return add_to_exponent(y, -e) | (neg ? kSignMask : 0u);
}

f32_bits rsqrt(f32_bits x) {
  x = f32_daz(x);
  // Step 1.
  if (f32_is_nan(x)) return kF32CanonicalNan;
  if (x == kNegZero) return kF32NegInf;
  if (x == kPosZero) return kF32PosInf;
  if (x == kF32PosInf) return kPosZero;
  if (is_neg(x)) return kF32CanonicalNan;  // any x < 0, including -inf
  // Step 2: x = m * 2^e, m in [1, 4), e even.
  f32_bits m;
  int e;
  split_even(x, m, e);
  // Step 3: exact for m = 1 (x a power of four); otherwise an initial estimate and three
  // Newton steps.
  const f32_bits y = rsqrt_sig(m);
  // Step 4: scale by 2^(-e/2). e/2 is in [-63, 63] and y in (0.5, 1], so this stays normal.
  return add_to_exponent(y, -(e / 2));
}

f32_bits sqrt(f32_bits x) {
  x = f32_daz(x);
  // Step 1.
  if (f32_is_nan(x)) return kF32CanonicalNan;
  if (is_zero(x)) return x;
  if (x == kF32PosInf) return kF32PosInf;
  if (is_neg(x)) return kF32CanonicalNan;
  // Steps 2-3: as RSQRT.
  f32_bits m;
  int e;
  split_even(x, m, e);
  const f32_bits y = rsqrt_sig(m);
  // Step 4: s = m * y, then one correction with the exact residual d = m - s*s.
  const f32_bits s = f32_mul(m, y);
  const f32_bits d = f32_sub(m, f32_mul(s, s));
  const f32_bits s2 = f32_add(s, f32_mul(f32_mul(kF32Half, y), d));
  // Step 5: scale by 2^(e/2); s2 in [1, 2] and e/2 in [-63, 63] keep it normal.
  return add_to_exponent(s2, e / 2);
}

f32_bits log(f32_bits x) {
  x = f32_daz(x);
  // Step 1.
  if (f32_is_nan(x)) return kF32CanonicalNan;
  if (is_zero(x)) return kF32NegInf;
  if (x == kF32PosInf) return kF32PosInf;
  if (is_neg(x)) return kF32CanonicalNan;
  // Step 2: x = m * 2^e with m in [sqrt(2)/2, sqrt(2)).
  f32_bits m = (x & kFracMask) | kF32One;
  int e = exp_field(x) - 127;
  if (m >= kSqrt2Bits) {
    m -= 0x00800000u;  // m / 2, exact
    e += 1;
  }
  // Step 3-4: f = m - 1 (exact); ym = f * P(f), P from g9.
  const f32_bits f = f32_sub(m, kF32One);
  f32_bits p = kLogG[9];
  for (int k = 8; k >= 0; --k) p = f32_add(f32_mul(p, f), kLogG[k]);
  const f32_bits ym = f32_mul(f, p);
  // Step 5: e * ln 2 in two parts, the small one first.
  const f32_bits big_e = int32_to_f32(e);
  return f32_add(f32_mul(big_e, kLn2Hi), f32_add(ym, f32_mul(big_e, kLn2Lo)));
}

f32_bits mul_exp2(f32_bits m, f32_bits q) {
  m = f32_daz(m);
  q = f32_daz(q);
  if (f32_is_nan(m) || f32_is_nan(q)) return kF32CanonicalNan;
  const f32_bits sign = m & kSignMask;
  if (f32_lt(q, kF32_Minus277)) return sign;  // 2^q is 0, also against an infinite m
  if (is_zero(m)) return m;
  if (f32_le(kF32_277, q) || f32_is_inf(m)) return sign | kF32PosInf;
  const std::int32_t n = round_to_int_rne(q);  // in [-277, 277]
  const f32_bits p = exp2_poly(f32_sub(q, int32_to_f32(n)));
  return f32_mul_pow2(m, p, n);  // p is positive and normal: the sign is m's
}

// --- TABLE ------------------------------------------------------------------------------------

std::optional<std::string> Table::invalid_reason() const {
  if (nseg == 0 || nseg > kMaxSegments) {
    return fmt::format("nseg {} is outside 1..{}", nseg, kMaxSegments);
  }
  if (degree > kMaxDegree) return fmt::format("degree {} is outside 0..{}", degree, kMaxDegree);
  if (coef.size() != nseg) {
    return fmt::format("{} coefficient rows for nseg {}", coef.size(), nseg);
  }
  return std::nullopt;
}

std::vector<std::uint32_t> Table::to_words() const {
  if (const auto why = invalid_reason()) throw std::invalid_argument("Table::to_words: " + *why);
  std::vector<std::uint32_t> w;
  w.reserve(words_for(nseg));
  w.push_back(nseg | (degree << 8) | (left_linear ? 1u << 10 : 0u) | (right_linear ? 1u << 11 : 0u) |
              (exp2 ? 1u << 12 : 0u) | (mul_x ? 1u << 13 : 0u) | (left_final ? 1u << 14 : 0u) |
              (right_final ? 1u << 15 : 0u));
  w.insert(w.end(), {lo, inv_w, left_a, left_b, right_a, right_b, 0u});
  for (const auto& c : coef) w.insert(w.end(), c.begin(), c.end());
  return w;
}

std::optional<Table> Table::from_words(std::span<const std::uint32_t> words, std::string* why) {
  const auto fail = [why](std::string reason) -> std::optional<Table> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  if (words.size() < kHeaderWords) {
    return fail(fmt::format("{} words: shorter than the {}-word header", words.size(), kHeaderWords));
  }
  const std::uint32_t hdr = words[0];
  if ((hdr & ~0xFFFFu) != 0) {
    return fail(fmt::format("header {:#010x}: reserved bits [31:16] are set", hdr));
  }
  Table t;
  t.nseg = hdr & 0xFFu;
  t.degree = (hdr >> 8) & 0x3u;
  t.left_linear = ((hdr >> 10) & 1u) != 0;
  t.right_linear = ((hdr >> 11) & 1u) != 0;
  t.exp2 = ((hdr >> 12) & 1u) != 0;
  t.mul_x = ((hdr >> 13) & 1u) != 0;
  t.left_final = ((hdr >> 14) & 1u) != 0;
  t.right_final = ((hdr >> 15) & 1u) != 0;
  if (t.nseg == 0 || t.nseg > kMaxSegments) {
    return fail(fmt::format("header {:#010x}: nseg {} is outside 1..{}", hdr, t.nseg, kMaxSegments));
  }
  if (words[7] != 0) return fail(fmt::format("reserved word 7 is {:#010x}, not 0", words[7]));
  if (words.size() != words_for(t.nseg)) {
    return fail(fmt::format("{} words for nseg {}: expected {}", words.size(), t.nseg, words_for(t.nseg)));
  }
  t.lo = words[1];
  t.inv_w = words[2];
  t.left_a = words[3];
  t.left_b = words[4];
  t.right_a = words[5];
  t.right_b = words[6];
  t.coef.resize(t.nseg);
  for (std::uint32_t i = 0; i < t.nseg; ++i) {
    for (std::size_t j = 0; j < 4; ++j) t.coef[i][j] = words[kHeaderWords + 4 * i + j];
  }
  return t;
}

namespace {

enum class Region { kLeft, kInside, kRight };

// Steps 2 to 4 for a non-NaN x: the value q and the region it came from.
f32_bits table_value(const Table& t, f32_bits x, Region& region) {
  // Step 2.
  const f32_bits tt = f32_mul(f32_sub(x, t.lo), t.inv_w);
  // Not in the step list: t is NaN only for a degenerate inv_w (0, inf or NaN, e.g.
  // x = inf with inv_w = 0). Neither boundary test holds then; the result is the NaN.
  region = Region::kInside;
  if (f32_is_nan(tt)) return kF32CanonicalNan;
  // Step 3: boundary rules. -0 is not < 0, so it falls in segment 0.
  if (f32_lt(tt, kPosZero)) {
    region = Region::kLeft;
    return t.left_linear ? f32_add(f32_mul(t.left_b, x), t.left_a) : canonical(t.left_a);
  }
  if (f32_le(int32_to_f32(static_cast<std::int32_t>(t.nseg)), tt)) {
    region = Region::kRight;
    return t.right_linear ? f32_add(f32_mul(t.right_b, x), t.right_a) : canonical(t.right_a);
  }
  // Step 4: tt in [0, nseg): i = floor(tt) < nseg, u = tt - i exact, Horner from c_{i,d}.
  const std::uint32_t i = floor_nonneg(tt);
  const f32_bits u = f32_sub(tt, int32_to_f32(static_cast<std::int32_t>(i)));
  const auto& c = t.coef.at(i);         // i < nseg == coef.size() for a valid table
  f32_bits p = canonical(c[t.degree]);  // a degree-0 table returns this stored word
  for (int j = static_cast<int>(t.degree) - 1; j >= 0; --j) p = f32_add(f32_mul(p, u), c[j]);
  return p;
}

}  // namespace

f32_bits eval(const Table& t, f32_bits x) {
  // Step 1.
  if (f32_is_nan(x)) return kF32CanonicalNan;
  Region region;
  const f32_bits q = table_value(t, x, region);
  // Step 5: the post-operation.
  if (f32_is_nan(q)) return kF32CanonicalNan;
  const bool final_rule = (region == Region::kLeft && t.left_final) || (region == Region::kRight && t.right_final);
  if (final_rule || (!t.exp2 && !t.mul_x)) return q;
  if (!t.exp2) return f32_mul(x, q);
  return mul_exp2(t.mul_x ? x : kF32One, q);
}

f32_bits apply(ActFunc func, const Table* table, f32_bits t) {
  switch (func) {
    case ActFunc::kIdentity: return t;
    case ActFunc::kTable:
      if (table == nullptr) throw std::invalid_argument("act::apply: TABLE without a table");
      return eval(*table, t);
    case ActFunc::kExp: return exp(t);
    case ActFunc::kExp2: return exp2(t);
    case ActFunc::kRecip: return recip(t);
    case ActFunc::kRsqrt: return rsqrt(t);
    case ActFunc::kSqrt: return sqrt(t);
    case ActFunc::kLog: return log(t);
  }
  throw std::invalid_argument(fmt::format("act::apply: func code {} is not defined", static_cast<unsigned>(func)));
}

}  // namespace systole::golden::act
