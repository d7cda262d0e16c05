// The activation functions of ACTIVATE re-implemented step by step from docs/numerics.md
// section 6 (only num::f32_add/f32_mul, host arithmetic where exact, and bit manipulation), and
// TABLE evaluated from the TABLE_LOAD words themselves: the reference of test_vector_act.cpp,
// sharing no code with activation.cpp.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "vector_ref.hpp"

namespace isaref::act_ref {

constexpr f32_bits kInf = 0x7F800000u;
inline int field(f32_bits x) { return static_cast<int>((x >> 23) & 0xFFu); }
inline f32_bits add(f32_bits a, f32_bits b) { return num::f32_add(a, b); }
inline f32_bits sub(f32_bits a, f32_bits b) { return num::f32_add(a, b ^ kSign); }
inline f32_bits mul(f32_bits a, f32_bits b) { return num::f32_mul(a, b); }
inline f32_bits bits(float f) { return std::bit_cast<f32_bits>(f); }

inline f32_bits doc_exp2(f32_bits x) {
  x = daz(x);
  if (is_nan(x)) return kNaN;
  if (host(x) >= 128.0f) return kInf;
  if (host(x) < -126.0f) return 0;
  const float nf = std::nearbyint(host(x));  // ties to even in the default rounding mode
  const int n = static_cast<int>(nf);
  const f32_bits r = sub(x, bits(nf));
  const std::array<f32_bits, 7> c = {0x3F800000, 0x3F317218, 0x3E75FDF0, 0x3D635847,
                                     0x3C1D955B, 0x3AAEC3FF, 0x39218489};
  f32_bits p = c[6];
  for (int k = 5; k >= 0; --k) p = add(mul(p, r), c[static_cast<std::size_t>(k)]);
  const int f = field(p) + n;
  if (f <= 0) return 0;
  if (f >= 255) return kInf;
  return p + (static_cast<std::uint32_t>(n) << 23);
}
inline f32_bits doc_exp(f32_bits x) {
  x = daz(x);
  if (is_nan(x)) return kNaN;
  if (host(x) >= 89.0f) return kInf;
  if (host(x) < -88.0f) return 0;
  const float nf = std::nearbyint(host(mul(x, 0x3FB8AA3B)));
  const int n = static_cast<int>(nf);
  const f32_bits r = sub(sub(x, mul(bits(nf), 0x3F317200u)), mul(bits(nf), 0x35BFBE8Eu));
  const std::array<f32_bits, 8> c = {0x3F800000, 0x3F800000, 0x3F000000, 0x3E2AAAAB,
                                     0x3D2AAAAB, 0x3C088889, 0x3AB60B61, 0x39500D01};
  f32_bits p = c[7];
  for (int k = 6; k >= 0; --k) p = add(mul(p, r), c[static_cast<std::size_t>(k)]);
  const int f = field(p) + n;
  if (f <= 0) return 0;
  if (f >= 255) return kInf;
  return p + (static_cast<std::uint32_t>(n) << 23);
}

inline f32_bits doc_recip(f32_bits x) {
  x = daz(x);
  if (is_nan(x)) return kNaN;
  const f32_bits sign = x & kSign, mag = x & ~kSign;
  if (mag == 0) return sign | kInf;
  if (mag == kInf) return sign;
  const f32_bits m = (x & 0x007FFFFFu) | 0x3F800000u;
  const int e = field(x) - 127;
  f32_bits y = 0x3F800000u;  // exact for a power of two
  if (m != 0x3F800000u) {
    y = 0x7EF311C7u - m;
    for (int i = 0; i < 3; ++i) y = mul(y, sub(0x40000000u, mul(m, y)));
  }
  if (field(y) - e <= 0) return sign;
  return (y - (static_cast<std::uint32_t>(e) << 23)) | sign;
}

inline f32_bits doc_rsqrt(f32_bits x) {
  x = daz(x);
  if (is_nan(x)) return kNaN;
  if (x == kSign) return kSign | kInf;
  if (x == 0) return kInf;
  if (x == kInf) return 0;
  if (x & kSign) return kNaN;
  f32_bits m = (x & 0x007FFFFFu) | 0x3F800000u;
  int e = field(x) - 127;
  if (e % 2 != 0) {
    m = mul(m, 0x40000000u);  // exact
    e -= 1;
  }
  f32_bits y = 0x3F800000u;  // exact for a power of four
  if (m != 0x3F800000u) {
    const f32_bits h = mul(0x3F000000u, m);
    y = 0x5F3759DFu - (m >> 1);
    for (int i = 0; i < 3; ++i) y = mul(y, sub(0x3FC00000u, mul(h, mul(y, y))));
  }
  return y - (static_cast<std::uint32_t>(e / 2) << 23);
}

inline f32_bits doc_sqrt(f32_bits x) {
  x = daz(x);
  if (is_nan(x)) return kNaN;
  if ((x & ~kSign) == 0 || x == kInf) return x;
  if (x & kSign) return kNaN;
  f32_bits m = (x & 0x007FFFFFu) | 0x3F800000u;
  int e = field(x) - 127;
  if (e % 2 != 0) {
    m = mul(m, 0x40000000u);
    e -= 1;
  }
  f32_bits y = 0x3F800000u;
  if (m != 0x3F800000u) {
    const f32_bits h = mul(0x3F000000u, m);
    y = 0x5F3759DFu - (m >> 1);
    for (int i = 0; i < 3; ++i) y = mul(y, sub(0x3FC00000u, mul(h, mul(y, y))));
  }
  const f32_bits s = mul(m, y);
  const f32_bits s2 = add(s, mul(mul(0x3F000000u, y), sub(m, mul(s, s))));
  return s2 + (static_cast<std::uint32_t>(e / 2) << 23);
}

inline f32_bits doc_log(f32_bits x) {
  x = daz(x);
  if (is_nan(x)) return kNaN;
  if ((x & ~kSign) == 0) return kSign | kInf;
  if (x == kInf) return kInf;
  if (x & kSign) return kNaN;
  f32_bits m = (x & 0x007FFFFFu) | 0x3F800000u;
  int e = field(x) - 127;
  if (m >= 0x3FB504F4u) {
    m = mul(m, 0x3F000000u);  // m / 2, exact
    e += 1;
  }
  const f32_bits f = sub(m, 0x3F800000u);
  const std::array<f32_bits, 10> g = {0x3F800000, 0xBEFFFFFC, 0x3EAAAAA8, 0xBE800214, 0x3E4CD23B,
                                      0xBE2A13D4, 0x3E113438, 0xBE079616, 0x3E043DC6, 0xBD9C7049};
  f32_bits p = g[9];
  for (int k = 8; k >= 0; --k) p = add(mul(p, f), g[static_cast<std::size_t>(k)]);
  const f32_bits ym = mul(f, p), big_e = bits(static_cast<float>(e));
  return add(mul(big_e, 0x3F317200u), add(ym, mul(big_e, 0x35BFBE8Eu)));
}

// m * 2^q rounded once (TABLE step 5.4), in host double arithmetic: m * p is exact in a double
// (24 x 24 bits) and so is the scaling by 2^n (|n| <= 277); the one rounding to 24 bits is done
// by hand so that FTZ applies to the rounded value, not to an IEEE denormal.
inline f32_bits doc_mul_exp2(f32_bits m, f32_bits q) {
  m = daz(m);
  q = daz(q);
  if (is_nan(m) || is_nan(q)) return kNaN;
  const f32_bits sign = m & kSign;
  if (host(q) < -277.0f) return sign;
  if ((m & ~kSign) == 0) return m;
  if (host(q) >= 277.0f || (m & ~kSign) == kInf) return sign | kInf;
  const float nf = std::nearbyint(host(q));
  const f32_bits r = sub(q, bits(nf));
  const std::array<f32_bits, 7> c = {0x3F800000, 0x3F317218, 0x3E75FDF0, 0x3D635847,
                                     0x3C1D955B, 0x3AAEC3FF, 0x39218489};
  f32_bits p = c[6];
  for (int k = 5; k >= 0; --k) p = add(mul(p, r), c[static_cast<std::size_t>(k)]);
  const double v = std::ldexp(static_cast<double>(host(m)) * static_cast<double>(host(p)), static_cast<int>(nf));
  int ex = 0;
  const double frac = std::frexp(std::fabs(v), &ex);  // |v| = frac * 2^ex, frac in [0.5, 1)
  const double rounded = std::ldexp(std::nearbyint(std::ldexp(frac, 24)), ex - 24);
  if (rounded < 0x1p-126) return sign;
  if (rounded >= 0x1p128) return sign | kInf;
  return sign | bits(static_cast<float>(rounded));
}

// TABLE from its TABLE_LOAD image (numerics.md section 6, activation.hpp word layout).
inline f32_bits doc_table(const std::vector<std::uint32_t>& w, f32_bits x) {
  const std::uint32_t nseg = w[0] & 0xFFu, deg = (w[0] >> 8) & 3u;
  const bool left_linear = (w[0] >> 10) & 1u, right_linear = (w[0] >> 11) & 1u;
  const bool exp2 = (w[0] >> 12) & 1u, mul_x = (w[0] >> 13) & 1u;
  const bool left_final = (w[0] >> 14) & 1u, right_final = (w[0] >> 15) & 1u;
  if (is_nan(daz(x))) return kNaN;
  const f32_bits t = mul(sub(x, w[1]), w[2]);
  if (is_nan(t)) return kNaN;  // not covered by the document; the generated tables never get here
  // Stored words used as results follow the fp32 output rules (DAZ, canonical NaN).
  auto out = [](f32_bits v) { return is_nan(v) ? kNaN : daz(v); };
  f32_bits q;
  bool final_rule = false;
  if (host(daz(t)) < 0.0f) {
    q = left_linear ? add(mul(w[4], x), w[3]) : out(w[3]);
    final_rule = left_final;
  } else if (host(daz(t)) >= static_cast<float>(nseg)) {
    q = right_linear ? add(mul(w[6], x), w[5]) : out(w[5]);
    final_rule = right_final;
  } else {
    const auto i = static_cast<std::uint32_t>(std::floor(host(daz(t))));
    const f32_bits u = sub(t, bits(static_cast<float>(i)));
    const std::uint32_t* c = &w[8 + 4 * i];
    q = is_nan(c[deg]) ? kNaN : daz(c[deg]);
    for (int j = static_cast<int>(deg) - 1; j >= 0; --j) q = add(mul(q, u), c[j]);
  }
  if (is_nan(q)) return kNaN;
  if (final_rule || (!exp2 && !mul_x)) return q;
  if (!exp2) return mul(x, q);
  return doc_mul_exp2(mul_x ? x : kOne, q);
}

using Tables = std::array<std::vector<std::uint32_t>, 4>;  // TABLE_LOAD images by slot

inline f32_bits doc_func(const Activate& a, const Tables& tables, f32_bits t) {
  switch (a.func) {
    case ActFunc::kIdentity: return t;
    case ActFunc::kTable: return doc_table(tables.at(a.table), t);
    case ActFunc::kExp: return doc_exp(t);
    case ActFunc::kExp2: return doc_exp2(t);
    case ActFunc::kRecip: return doc_recip(t);
    case ActFunc::kRsqrt: return doc_rsqrt(t);
    case ActFunc::kSqrt: return doc_sqrt(t);
    case ActFunc::kLog: return doc_log(t);
  }
  throw std::logic_error("bad func");
}

// y = f(add(mul(x, scale), bias)); out = y converted; acc reduces the fp32 y left to right.

}  // namespace isaref::act_ref
