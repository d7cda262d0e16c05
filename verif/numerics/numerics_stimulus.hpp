// Operand generators for the numerics RTL tests (test_numerics_rtl.cpp).
//
// Uniform bit patterns rarely hit what breaks floating-point hardware (ties, cancellation,
// range edges), so every generator mixes uniform patterns with biased ones aimed at those.
// Everything here is deterministic given the seed: the RNG is our own (xoshiro256**) and
// bounded draws use our own multiply-shift, so a seed replays identically on any host.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace systole::verif::stim {

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) {
      seed += 0x9E3779B97F4A7C15ull;
      std::uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() {
    const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }
  std::uint32_t u32() { return static_cast<std::uint32_t>(next() >> 32); }
  // Uniform in [0, n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(u32()) * n) >> 32);
  }
  // Uniform in [lo, hi].
  int range(int lo, int hi) { return lo + static_cast<int>(below(static_cast<std::uint32_t>(hi - lo + 1))); }
  bool coin() { return (next() >> 63) != 0; }
  template <class T, std::size_t N>
  T pick(const std::array<T, N>& table) {
    return table[below(static_cast<std::uint32_t>(N))];
  }

 private:
  std::array<std::uint64_t, 4> s_{};
};

struct Operands {
  std::uint32_t x = 0;  // first operand (the accumulator for int8_mac)
  std::uint32_t y = 0;
  std::uint32_t z = 0;
};

constexpr std::uint32_t f32_make(std::uint32_t sign, std::uint32_t exp, std::uint32_t frac) {
  return (sign << 31) | ((exp & 0xFFu) << 23) | (frac & 0x7FFFFFu);
}
constexpr std::uint32_t f32_exp(std::uint32_t x) { return (x >> 23) & 0xFFu; }
constexpr std::uint32_t f32_frac(std::uint32_t x) { return x & 0x7FFFFFu; }

// Values that are special in the numerics contract: zeros, infinities, NaNs of several
// payloads and both signs, denormals, the normal-range edges, 1.0.
inline constexpr std::array<std::uint32_t, 24> kF32Specials = {
    0x00000000u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00000u, 0x7F800001u, 0xFF800001u,
    0x7FFFFFFFu, 0xFFFFFFFFu, 0x7FA00000u, 0x00000001u, 0x80000001u, 0x007FFFFFu, 0x807FFFFFu, 0x00400000u,
    0x00800000u, 0x80800000u, 0x00800001u, 0x7F7FFFFFu, 0xFF7FFFFFu, 0x7F000000u, 0x3F800000u, 0xBF800000u};

// A 23-bit fraction: random, or one of the shapes that exercise rounding and carries.
inline std::uint32_t frac23(Rng& rng) {
  switch (rng.below(8)) {
    case 0: return 0;
    case 1: return 0x7FFFFFu;                        // carries on any increment
    case 2: return 1u << rng.below(23);              // a single bit
    case 3: return rng.u32() & 0xFFu;                // low bits only: sticky
    case 4: return 0x7FFFFFu ^ (rng.u32() & 0xFFu);  // almost all ones
    default: return rng.u32() & 0x7FFFFFu;
  }
}

// An fp32 operand: uniform bits, a special, or a value biased towards the range edges.
inline std::uint32_t f32_any(Rng& rng) {
  const std::uint32_t s = rng.coin() ? 1u : 0u;
  switch (rng.below(8)) {
    case 0:
    case 1: return rng.u32();
    case 2: return rng.pick(kF32Specials);
    case 3: return f32_make(s, static_cast<std::uint32_t>(rng.range(0, 4)), frac23(rng));      // near 2^-126
    case 4: return f32_make(s, static_cast<std::uint32_t>(rng.range(250, 255)), frac23(rng));  // near 2^128
    case 5: return f32_make(s, static_cast<std::uint32_t>(rng.range(118, 136)), frac23(rng));  // near 1
    default: return f32_make(s, static_cast<std::uint32_t>(rng.range(1, 254)), frac23(rng));
  }
}

// An fp32 normal number (exponent 1..254).
inline std::uint32_t f32_normal(Rng& rng) {
  return f32_make(rng.coin() ? 1u : 0u, static_cast<std::uint32_t>(rng.range(1, 254)), frac23(rng));
}

// fp32_add operand pairs.
inline Operands add_pair(Rng& rng) {
  Operands o;
  const std::uint32_t a = f32_normal(rng);
  const std::uint32_t ea = f32_exp(a);
  const std::uint32_t sb = rng.coin() ? 1u : 0u;
  switch (rng.below(10)) {
    case 0: o = {rng.u32(), rng.u32(), 0}; break;
    case 1: o = {f32_any(rng), f32_any(rng), 0}; break;
    case 2: {  // cancellation: opposite signs, exponents 0..3 apart
      const int eb = static_cast<int>(ea) - rng.range(0, 3);
      o = {a, f32_make((a >> 31) ^ 1u, static_cast<std::uint32_t>(eb < 0 ? 0 : eb), frac23(rng)), 0};
      break;
    }
    case 3: {  // near-equal magnitudes, either sign: exact zeros and massive cancellation
      const std::uint32_t mag = (a & 0x7FFFFFFFu) + static_cast<std::uint32_t>(rng.range(-4, 4));
      o = {a, (sb << 31) | (mag & 0x7FFFFFFFu), 0};
      break;
    }
    case 4: {  // the smaller operand around half an ulp of the larger: rounding ties
      const int eb = static_cast<int>(ea) - rng.range(22, 27);
      const std::array<std::uint32_t, 4> fr = {0u, 1u, 0x7FFFFFu, rng.u32() & 0x7FFFFFu};
      o = {a, f32_make(sb, static_cast<std::uint32_t>(eb < 0 ? 0 : eb), rng.pick(fr)), 0};
      break;
    }
    case 5: {  // tiny operands: results straddling 2^-126 (FTZ)
      o = {f32_make(rng.coin(), static_cast<std::uint32_t>(rng.range(0, 26)), frac23(rng)),
           f32_make(sb, static_cast<std::uint32_t>(rng.range(0, 26)), frac23(rng)), 0};
      break;
    }
    case 6: {  // huge operands: overflow to inf, rounding up into 2^128
      o = {f32_make(rng.coin(), static_cast<std::uint32_t>(rng.range(226, 254)), frac23(rng)),
           f32_make(sb, static_cast<std::uint32_t>(rng.range(226, 254)), frac23(rng)), 0};
      break;
    }
    case 7: o = {rng.pick(kF32Specials), f32_any(rng), 0}; break;
    default: {  // any exponent distance up to beyond the 27-bit alignment window
      const int eb = static_cast<int>(ea) - rng.range(0, 40);
      o = {a, f32_make(sb, static_cast<std::uint32_t>(eb < 0 ? 0 : eb), frac23(rng)), 0};
      break;
    }
  }
  if (rng.coin()) std::swap(o.x, o.y);  // the adder must not care about operand order
  return o;
}

// bf16 operands: specials, and exponent pairs whose product sits on a range edge.
inline constexpr std::array<std::uint16_t, 16> kBf16Specials = {0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0xFFC0,
                                                                0x7F81, 0xFFFF, 0x0001, 0x807F, 0x0080, 0x8080,
                                                                0x7F7F, 0xFF7F, 0x3F80, 0xBF80};

inline std::uint16_t bf16_make(std::uint32_t s, std::uint32_t e, std::uint32_t f) {
  return static_cast<std::uint16_t>((s << 15) | ((e & 0xFFu) << 7) | (f & 0x7Fu));
}

// Two bf16 exponents (1..254) whose biased sum minus 127 is `target`, or false.
inline bool bf16_exp_pair(Rng& rng, int target, std::uint32_t& ea, std::uint32_t& eb) {
  const int a = rng.range(1, 254);
  const int b = target + 127 - a;
  if (b < 1 || b > 254) return false;
  ea = static_cast<std::uint32_t>(a);
  eb = static_cast<std::uint32_t>(b);
  return true;
}

inline Operands bf16_pair(Rng& rng) {
  const auto any = [&rng]() -> std::uint32_t { return rng.coin() ? rng.pick(kBf16Specials) : (rng.u32() & 0xFFFFu); };
  switch (rng.below(6)) {
    case 0: return {rng.u32() & 0xFFFFu, rng.u32() & 0xFFFFu, 0};
    case 1: return {any(), any(), 0};
    case 2:
    case 3:
    case 4: {  // product exponent near 0 (FTZ edge) or near 255 (overflow edge)
      const int target = rng.coin() ? rng.range(-2, 2) : rng.range(252, 256);
      std::uint32_t ea = 127, eb = 127;
      while (!bf16_exp_pair(rng, target, ea, eb)) {
      }
      return {bf16_make(rng.coin(), ea, rng.u32()), bf16_make(rng.coin(), eb, rng.u32()), 0};
    }
    default:
      return {bf16_make(rng.coin(), static_cast<std::uint32_t>(rng.range(100, 154)), rng.u32()),
              bf16_make(rng.coin(), static_cast<std::uint32_t>(rng.range(100, 154)), rng.u32()), 0};
  }
}

inline Operands fp8_pair(Rng& rng) {
  constexpr std::array<std::uint32_t, 10> kSpecial = {0x00, 0x80, 0x7F, 0xFF, 0x7E, 0xFE, 0x01, 0x07, 0x08, 0x38};
  const auto one = [&]() { return rng.below(4) == 0 ? rng.pick(kSpecial) : (rng.u32() & 0xFFu); };
  return {one(), one(), 0};
}

inline Operands mac_operands(Rng& rng) {
  constexpr std::array<std::uint32_t, 8> kAcc = {0x00000000u, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu,
                                                 0x7FFFC000u, 0x80003F80u, 0x00000001u, 0x7FFFFFFEu};
  constexpr std::array<std::uint32_t, 6> kByte = {0x80, 0x7F, 0xFF, 0x00, 0x01, 0x81};
  const std::uint32_t acc = rng.coin() ? rng.u32() : rng.pick(kAcc) + static_cast<std::uint32_t>(rng.range(-2, 2));
  const auto byte = [&]() { return rng.below(5) == 0 ? rng.pick(kByte) : (rng.u32() & 0xFFu); };
  return {acc, byte(), byte()};
}

// fp32 -> bf16: any value, or upper halves with the dropped half on and around the tie.
inline std::uint32_t to_bf16_input(Rng& rng) {
  if (rng.coin()) return f32_any(rng);
  const std::array<std::uint32_t, 6> low = {0x0000u, 0x7FFFu, 0x8000u, 0x8001u, 0xFFFFu, rng.u32() & 0xFFFFu};
  const std::uint32_t upper = rng.coin() ? (rng.u32() >> 16) : (f32_any(rng) >> 16);
  return (upper << 16) | rng.pick(low);
}

// fp32 -> fp8: exponents spanning fp8 underflow (below 2^-10) to saturation (above 2^9), with
// the bits below the fp8 rounding point set to a tie, just below it, or just above it.
inline std::uint32_t to_fp8_input(Rng& rng) {
  if (rng.below(4) == 0) return f32_any(rng);
  const std::uint32_t e = static_cast<std::uint32_t>(rng.range(112, 137));
  std::uint32_t frac = rng.u32() & 0x7FFFFFu;
  // The guard bit: 19 for an fp8 normal; one higher per binade below 2^-6 (fp32 field 121).
  const int guard = e >= 121 ? 19 : 19 + static_cast<int>(121 - e);
  if (guard <= 22) {
    const std::uint32_t below_mask = (1u << (guard + 1)) - 1u;
    const std::array<std::uint32_t, 4> tail = {1u << guard, (1u << guard) - 1u, (1u << guard) | 1u,
                                               rng.u32() & below_mask};
    frac = (frac & ~below_mask) | rng.pick(tail);
  }
  return f32_make(rng.coin(), e, frac);
}

// fp32 -> int8: integers, half-integers and their neighbours one ulp away, up to beyond the
// saturation points, plus anything.
inline std::uint32_t to_int8_input(Rng& rng) {
  if (rng.below(4) == 0) return f32_any(rng);
  const int n = rng.range(-140, 140);
  const float base = static_cast<float>(n) + (rng.coin() ? 0.5f : 0.0f);
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(base);
  const int step = rng.range(-2, 2);
  // Moving the bit pattern by one moves the magnitude by one ulp (away from zero if positive).
  return (bits & 0x7FFFFFFFu) == 0 ? bits : bits + static_cast<std::uint32_t>(step);
}

}  // namespace systole::verif::stim
