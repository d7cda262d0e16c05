// The host reference of docs/collectives.md: the same documented order, computed directly on
// the host from the inputs, and a float64 check of the reductions.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <stdexcept>

#include "chunks.hpp"
#include "systole/collectives/collective.hpp"
#include "systole/golden/element.hpp"
#include "systole/golden/numerics.hpp"

namespace systole::collectives {
namespace {

using golden::DType;

std::uint32_t load(const std::vector<std::uint8_t>& b, std::uint64_t e, std::uint32_t size) {
  std::uint32_t v = 0;
  std::memcpy(&v, b.data() + e * size, size);
  return v;
}

void store(std::vector<std::uint8_t>& b, std::uint64_t e, std::uint32_t size, std::uint32_t v) {
  std::memcpy(b.data() + e * size, &v, size);
}

// One step of the vector engine's TENSOR_TENSOR: the running value first, then the chip's own.
std::uint32_t combine(const Spec& s, std::uint32_t running, std::uint32_t own) {
  namespace elem = golden::elem;
  const golden::AluOp op = s.op == RedOp::kSum   ? golden::AluOp::kAdd
                           : s.op == RedOp::kMax ? golden::AluOp::kMax
                                                 : golden::AluOp::kMin;
  return elem::from_f32(s.dtype, elem::alu_f32(op, elem::to_f32(s.dtype, running), elem::to_f32(s.dtype, own)));
}

double value(DType t, std::uint32_t raw) {
  switch (t) {
    case DType::kFp32: return golden::num::f32_to_double(raw);
    case DType::kBf16: return golden::num::bf16_to_double(static_cast<golden::num::bf16_bits>(raw));
    default: return static_cast<double>(static_cast<std::int32_t>(raw));
  }
}

void check_sizes(const Spec& s, const Buffers& bufs, std::uint64_t elements, const char* what) {
  if (bufs.size() != s.chips) {
    throw std::invalid_argument(what + std::string(": one buffer per chip expected"));
  }
  for (const auto& b : bufs) {
    if (b.size() != elements * golden::dtype_size(s.dtype)) {
      throw std::invalid_argument(what + std::string(": a buffer has the wrong size"));
    }
  }
}

}  // namespace

Buffers reference(const Spec& s, const Buffers& inputs, std::uint8_t fill) {
  check_sizes(s, inputs, input_elements(s), "reference inputs");
  const std::uint32_t n = s.chips, size = golden::dtype_size(s.dtype);
  Buffers out(n, std::vector<std::uint8_t>(output_elements(s) * size, fill));
  if (s.in_place) out = inputs;  // the same buffer: in and out sizes agree in place
  switch (s.kind) {
    case Kind::kAllToAll:
      for (std::uint32_t i = 0; i < n; ++i) {
        for (std::uint32_t j = 0; j < n; ++j) {
          for (std::uint64_t e = 0; e < s.count; ++e)
            store(out[j], i * s.count + e, size, load(inputs[i], j * s.count + e, size));
        }
      }
      return out;
    case Kind::kSendRecv:
      for (std::uint64_t e = 0; e < s.count; ++e) store(out[s.peer], e, size, load(inputs[s.root], e, size));
      return out;
    default: break;
  }
  const Algorithm algo = resolved_algorithm(s);
  if (algo == Algorithm::kDirect) {
    // Every element reduced in chip order: ((x_0 op x_1) op x_2) ...
    for (std::uint64_t e = 0; e < s.count; ++e) {
      std::uint32_t v = load(inputs[0], e, size);
      for (std::uint32_t k = 1; k < n; ++k) v = combine(s, v, load(inputs[k], e, size));
      for (std::uint32_t c = 0; c < n; ++c) store(out[c], e, size, v);
    }
    return out;
  }
  if (algo == Algorithm::kRecursiveDoubling) {
    // Step k pairs chip i with i ^ 2^k; both compute (lower chip's value) op (higher chip's).
    std::vector<std::uint32_t> v(n), next(n);
    for (std::uint64_t e = 0; e < s.count; ++e) {
      for (std::uint32_t c = 0; c < n; ++c) v[c] = load(inputs[c], e, size);
      for (std::uint32_t bit = 1; bit < n; bit <<= 1) {
        for (std::uint32_t c = 0; c < n; ++c) next[c] = combine(s, v[std::min(c, c ^ bit)], v[std::max(c, c ^ bit)]);
        v.swap(next);
      }
      for (std::uint32_t c = 0; c < n; ++c) store(out[c], e, size, v[c]);
    }
    return out;
  }
  const bool reduces = s.kind == Kind::kAllReduce || s.kind == Kind::kReduceScatter;
  for (const detail::Flow& f : detail::ring_flows(s)) {
    for (std::uint64_t e = 0; e < f.n; ++e) {
      std::uint32_t v = load(inputs[f.first], f.in_lo + e, size);
      if (reduces) {
        // Along the ring from the flow's first chip: ((x_first op x_next) op x_next2) ...
        for (std::uint32_t k = 1; k < n; ++k) {
          v = combine(s, v, load(inputs[detail::ring_step(f.first, f.dir, k, n)], f.in_lo + e, size));
        }
      }
      if (s.kind == Kind::kReduceScatter) {
        store(out[detail::ring_step(f.first, f.dir, n - 1, n)], f.out_lo + e, size, v);
      } else {
        for (std::uint32_t c = 0; c < n; ++c) store(out[c], f.out_lo + e, size, v);
      }
    }
  }
  return out;
}

Buffers random_inputs(const Spec& s, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::uint32_t size = golden::dtype_size(s.dtype);
  Buffers in(s.chips, std::vector<std::uint8_t>(input_elements(s) * size));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const std::int32_t bound = (1 << 19) / static_cast<std::int32_t>(std::max(1u, s.chips));
  std::uniform_int_distribution<std::int32_t> ints(-bound, bound);
  for (auto& b : in) {
    for (std::size_t e = 0; e < b.size() / size; ++e) {
      std::uint32_t v = 0;
      if (s.dtype == DType::kInt32) {
        v = static_cast<std::uint32_t>(ints(rng));
      } else {
        float f = normal(rng);
        if (rng() % 16 == 0) f = static_cast<float>(static_cast<int>(f * 4.0f));
        std::memcpy(&v, &f, 4);
        if (s.dtype == DType::kBf16) v = golden::num::f32_to_bf16(v);
      }
      std::memcpy(b.data() + e * size, &v, size);
    }
  }
  return in;
}

Accuracy check_accuracy(const Spec& s, const Buffers& inputs, const Buffers& outputs) {
  check_sizes(s, inputs, input_elements(s), "accuracy inputs");
  check_sizes(s, outputs, output_elements(s), "accuracy outputs");
  Accuracy a;
  if (s.kind != Kind::kAllReduce && s.kind != Kind::kReduceScatter) return a;  // copies: bit-exact
  const std::uint32_t n = s.chips, size = golden::dtype_size(s.dtype);
  // Unit roundoff of the running value's format (int32 runs through fp32).
  const double u = s.dtype == DType::kBf16 ? std::ldexp(1.0, -8) : std::ldexp(1.0, -24);
  for (std::uint64_t e = 0; e < s.count; ++e) {
    for (std::uint32_t c = 0; c < (s.kind == Kind::kAllReduce ? 1u : n); ++c) {
      // All-reduce: element e of every chip; reduce-scatter: element e of chip c's block c.
      const std::uint64_t in_e = s.kind == Kind::kAllReduce ? e : std::uint64_t{c} * s.count + e;
      double exact = value(s.dtype, load(inputs[0], in_e, size)), magnitude = std::fabs(exact);
      for (std::uint32_t i = 1; i < n; ++i) {
        const double x = value(s.dtype, load(inputs[i], in_e, size));
        exact = s.op == RedOp::kSum ? exact + x : s.op == RedOp::kMax ? std::fmax(exact, x) : std::fmin(exact, x);
        magnitude += std::fabs(x);
      }
      // A sum rounds at each of its N-1 steps and each input may round into fp32 (int32):
      // 2N u sum|x|; max and min only round their inputs: u |x|.
      const double allowed = s.op == RedOp::kSum ? 2.0 * n * u * magnitude : u * std::fabs(exact);
      const std::uint64_t out_e = s.kind == Kind::kAllReduce || !s.in_place ? e : std::uint64_t{c} * s.count + e;
      const std::uint32_t chips_to_check = s.kind == Kind::kAllReduce ? n : 1;
      for (std::uint32_t k = 0; k < chips_to_check; ++k) {
        const std::uint32_t chip = s.kind == Kind::kAllReduce ? k : c;
        const double err = std::fabs(value(s.dtype, load(outputs[chip], out_e, size)) - exact);
        a.max_abs_error = std::fmax(a.max_abs_error, err);
        a.max_allowed = std::fmax(a.max_allowed, allowed);
        if (!(err <= allowed)) ++a.violations;
      }
    }
  }
  return a;
}

}  // namespace systole::collectives
