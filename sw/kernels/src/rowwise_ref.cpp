// Row-wise kernels: the architectural reference and the random operands (rowwise.hpp). The
// reference performs the program's fp32 operations in the program's order (docs/kernels.md
// section 2), with the golden model's element functions: bit-exact with any correct backend.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <bit>
#include <cmath>
#include <functional>
#include <random>

#include "systole/golden/element.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {

using driver::Tensor;
using golden::DType;
namespace num = golden::num;
using num::f32_bits;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

constexpr f32_bits kF32Max = 0x7F7FFFFFu, kF32MinNormal = 0x00800000u, kF32One = 0x3F800000u, kF32NegZero = 0x80000000u;

// Stored as fp32 and read back (what a work row or a column holds).
f32_bits via_f32(f32_bits v) { return golden::elem::to_f32(DType::kFp32, golden::elem::from_f32(DType::kFp32, v)); }

// One row of the program's view: pieces as RowwisePlan walks them (n0 x n1, then a tail).
struct RowWalk {
  u32 cols, head;  // head = n0 * n1
  explicit RowWalk(u32 l) : cols(l) {
    const u32 n1 = (l + 4094) / 4095;
    head = (l / n1) * n1;
  }
  // A reduction as the program does it: left to right over the head, then over the tail, then
  // head op tail.
  f32_bits reduce(const std::function<f32_bits(f32_bits, f32_bits)>& op, const std::function<f32_bits(u32)>& f) const {
    f32_bits r = via_f32(f(0));
    for (u32 j = 1; j < head; ++j) r = via_f32(op(r, f(j)));
    if (head == cols) return r;
    f32_bits t = via_f32(f(head));
    for (u32 j = head + 1; j < cols; ++j) t = via_f32(op(t, f(j)));
    return via_f32(op(r, t));
  }
};

f32_bits max_op(f32_bits a, f32_bits b) { return num::f32_max(a, b); }
f32_bits add_op(f32_bits a, f32_bits b) { return num::f32_add(a, b); }

}  // namespace

RowwiseParams rowwise_params(RowOp op, const RowwiseInputs& in, DType out, float scale, float eps) {
  RowwiseParams p;
  p.op = op;
  if (in.x.shape().size() != 2) {
    throw KernelArgumentError(
        fmt::format("{}: x is {}: expected a matrix [rows, cols]", row_op_name(op), in.x.describe()));
  }
  p.rows = static_cast<u32>(in.x.shape()[0]);
  p.cols = static_cast<u32>(in.x.shape()[1]);
  p.in = in.x.dtype();
  p.out = out;
  p.scale = scale;
  p.eps = eps;
  auto need = [&](const std::optional<Tensor>& t, const char* name, std::vector<std::uint64_t> shape) {
    if (!t) throw KernelArgumentError(fmt::format("{}: {} is missing", row_op_name(op), name));
    if (t->shape() != shape) {
      throw KernelArgumentError(fmt::format("{}: {} is {}: expected {} elements in shape [{}]", row_op_name(op), name,
                                            t->describe(), shape.size() == 1 ? shape[0] : shape[0] * shape[1],
                                            fmt::join(shape, ", ")));
    }
  };
  if (op == RowOp::kSoftmax) {
    if (in.mask) {
      need(in.mask, "mask", {p.rows, p.cols});
      p.mask = true;
      p.mask_dtype = in.mask->dtype();
    }
  } else {
    need(in.gamma, "gamma", {p.cols});
    p.param = in.gamma->dtype();
    if (op == RowOp::kLayerNorm) {
      need(in.beta, "beta", {p.cols});
      if (in.beta->dtype() != p.param) {
        throw KernelArgumentError(fmt::format("layernorm: gamma is {} and beta {}: expected one dtype for both",
                                              golden::dtype_name(p.param), golden::dtype_name(in.beta->dtype())));
      }
    }
  }
  return p;
}

namespace {

// The online form (docs/kernels.md section 2.4; rowwise_online.cpp), row by row.
class OnlineRef {
 public:
  OnlineRef(const RowwiseParams& p, const RowwiseInputs& in, u32 chunk, Tensor& y)
      : p_(p), in_(in), chunk_(chunk), chunks_((p.cols + chunk - 1) / chunk), y_(y) {}

  void row(u32 r) {
    r_ = r;
    switch (p_.op) {
      case RowOp::kSoftmax: softmax(); break;
      case RowOp::kLayerNorm: layernorm(); break;
      case RowOp::kRmsNorm: rmsnorm(); break;
    }
  }

 private:
  f32_bits x(u32 j) const { return golden::elem::to_f32(p_.in, in_.x.raw(u64{r_} * p_.cols + j)); }
  f32_bits param(const std::optional<Tensor>& t, u32 j) const { return golden::elem::to_f32(p_.param, t->raw(j)); }
  void put(u32 j, f32_bits v) { y_.set_raw(u64{r_} * p_.cols + j, golden::elem::from_f32(p_.out, v)); }
  u32 lo(u32 c) const { return c * chunk_; }
  u32 hi(u32 c) const { return std::min(p_.cols, (c + 1) * chunk_); }
  // A left-to-right reduction over chunk c.
  f32_bits reduce(u32 c, f32_bits (*op)(f32_bits, f32_bits), const std::function<f32_bits(u32)>& f) const {
    f32_bits r = via_f32(f(lo(c)));
    for (u32 j = lo(c) + 1; j < hi(c); ++j) r = via_f32(op(r, f(j)));
    return r;
  }
  // softmax's v (the mask steps) and the scale left for the exponentials.
  f32_bits value(u32 j, f32_bits& s) const {
    s = std::bit_cast<f32_bits>(p_.scale);
    if (!p_.mask) return x(j);
    const f32_bits sx = s != kF32One ? via_f32(num::f32_mul(x(j), s)) : x(j);
    const f32_bits m = golden::elem::to_f32(p_.mask_dtype, in_.mask->raw(u64{r_} * p_.cols + j));
    s = kF32One;
    return via_f32(num::f32_add(sx, m));
  }
  void softmax() {
    f32_bits s = 0, m = 0, b = 0, sum = 0;
    auto v = [&](u32 j) { return value(j, s); };
    (void)v(0);  // sets s
    for (u32 c = 0; c < chunks_; ++c) {
      const f32_bits mc = reduce(c, max_op, v);
      const f32_bits mn = c == 0 ? mc : via_f32(num::f32_max(m, mc));
      b = via_f32(num::f32_min(num::f32_mul(mn, s ^ 0x80000000u), kF32Max));
      const f32_bits part =
          reduce(c, add_op, [&](u32 j) { return golden::act::exp(num::f32_add(num::f32_mul(v(j), s), b)); });
      if (c == 0) {
        sum = part;
      } else {
        const f32_bits corr = via_f32(golden::act::exp(num::f32_add(num::f32_mul(m, s), b)));
        sum = via_f32(num::f32_add(num::f32_mul(sum, corr), part));
      }
      m = mn;
    }
    const f32_bits l = via_f32(golden::act::log(num::f32_add(num::f32_mul(sum, kF32One), kF32MinNormal)));
    const f32_bits b2 = via_f32(num::f32_sub(b, l));
    for (u32 j = 0; j < p_.cols; ++j) put(j, golden::act::exp(num::f32_add(num::f32_mul(v(j), s), b2)));
  }
  f32_bits square_sum(u32 c, f32_bits bias) const {
    const auto& sq = square_table();
    return reduce(c, add_op, [&](u32 j) {
      return golden::act::apply(golden::ActFunc::kTable, &sq, num::f32_add(num::f32_mul(x(j), kF32One), bias));
    });
  }
  f32_bits rstd(f32_bits q) const {
    const f32_bits inv_l = num::double_to_f32_bits_rne(1.0 / p_.cols), eps = std::bit_cast<f32_bits>(p_.eps);
    return via_f32(golden::act::rsqrt(num::f32_add(num::f32_mul(q, inv_l), eps)));
  }
  void layernorm() {
    f32_bits nm = 0, m2 = 0;
    for (u32 c = 0; c < chunks_; ++c) {
      const double nc = hi(c) - lo(c), n_old = lo(c), n_new = n_old + nc;
      const f32_bits t = reduce(c, add_op, [&](u32 j) { return x(j); });
      const f32_bits nmc = via_f32(num::f32_mul(t, num::double_to_f32_bits_rne(-1.0 / nc)));
      const f32_bits part = square_sum(c, nmc);
      if (c == 0) {
        nm = nmc;
        m2 = part;
        continue;
      }
      const f32_bits d = via_f32(num::f32_sub(nm, nmc));
      nm = via_f32(num::f32_add(num::f32_mul(d, num::double_to_f32_bits_rne(-nc / n_new)), nm));
      const f32_bits d2 = via_f32(num::f32_mul(d, d));
      const f32_bits tmp =
          via_f32(num::f32_add(num::f32_mul(d2, num::double_to_f32_bits_rne(n_old * nc / n_new)), part));
      m2 = via_f32(num::f32_add(m2, tmp));
    }
    const f32_bits r = rstd(m2);
    for (u32 j = 0; j < p_.cols; ++j) {
      f32_bits w = via_f32(num::f32_mul(num::f32_add(x(j), nm), r));
      w = via_f32(num::f32_mul(w, param(in_.gamma, j)));
      put(j, num::f32_add(w, param(in_.beta, j)));
    }
  }
  void rmsnorm() {
    f32_bits q = 0;
    for (u32 c = 0; c < chunks_; ++c) {
      const f32_bits part = square_sum(c, kF32NegZero);
      q = c == 0 ? part : via_f32(num::f32_add(q, part));
    }
    const f32_bits r = rstd(q);
    for (u32 j = 0; j < p_.cols; ++j) put(j, num::f32_mul(via_f32(num::f32_mul(x(j), r)), param(in_.gamma, j)));
  }

  const RowwiseParams& p_;
  const RowwiseInputs& in_;
  u32 chunk_, chunks_;
  Tensor& y_;
  u32 r_ = 0;
};

}  // namespace

Tensor reference_rowwise(const golden::Config& cfg, const RowwiseParams& p, const RowwiseInputs& in) {
  Tensor y(p.out, {p.rows, p.cols});
  const RowwisePlan plan = plan_rowwise(cfg, p);
  if (plan.online) {
    OnlineRef ref(p, in, plan.chunk, y);
    for (u32 r = 0; r < p.rows; ++r) ref.row(r);
    return y;
  }
  const RowWalk walk(p.cols);
  const f32_bits inv_l = num::double_to_f32_bits_rne(1.0 / p.cols);
  const f32_bits eps = std::bit_cast<f32_bits>(p.eps);
  std::vector<f32_bits> w(p.cols);
  for (u32 r = 0; r < p.rows; ++r) {
    auto x = [&](u32 j) { return golden::elem::to_f32(p.in, in.x.raw(u64{r} * p.cols + j)); };
    auto put = [&](u32 j, f32_bits v) { y.set_raw(u64{r} * p.cols + j, golden::elem::from_f32(p.out, v)); };
    auto param = [&](const std::optional<Tensor>& t, u32 j) { return golden::elem::to_f32(p.param, t->raw(j)); };
    switch (p.op) {
      case RowOp::kSoftmax: {
        f32_bits s = std::bit_cast<f32_bits>(p.scale);
        std::vector<f32_bits> v(p.cols);
        for (u32 j = 0; j < p.cols; ++j) v[j] = x(j);
        if (p.mask) {
          for (u32 j = 0; j < p.cols; ++j) {
            const f32_bits sx = s != kF32One ? via_f32(num::f32_mul(v[j], s)) : v[j];
            v[j] = via_f32(num::f32_add(sx, golden::elem::to_f32(p.mask_dtype, in.mask->raw(u64{r} * p.cols + j))));
          }
          s = kF32One;
        }
        const f32_bits m = walk.reduce(max_op, [&](u32 j) { return v[j]; });
        const f32_bits b = via_f32(num::f32_min(num::f32_mul(m, s ^ 0x80000000u), kF32Max));
        for (u32 j = 0; j < p.cols; ++j) w[j] = golden::act::exp(num::f32_add(num::f32_mul(v[j], s), b));
        const f32_bits z = walk.reduce(add_op, [&](u32 j) { return w[j]; });
        const f32_bits rz = via_f32(golden::act::recip(num::f32_add(num::f32_mul(z, kF32One), kF32MinNormal)));
        for (u32 j = 0; j < p.cols; ++j) put(j, num::f32_mul(via_f32(w[j]), rz));
        break;
      }
      case RowOp::kLayerNorm: {
        const f32_bits sum = walk.reduce(add_op, x);
        const f32_bits n = via_f32(num::f32_mul(sum, inv_l ^ 0x80000000u));
        const auto& sq = square_table();
        const f32_bits q = walk.reduce(add_op, [&](u32 j) {
          return golden::act::apply(golden::ActFunc::kTable, &sq, num::f32_add(num::f32_mul(x(j), kF32One), n));
        });
        const f32_bits rs = via_f32(golden::act::rsqrt(num::f32_add(num::f32_mul(q, inv_l), eps)));
        for (u32 j = 0; j < p.cols; ++j) {
          f32_bits v = via_f32(num::f32_mul(num::f32_add(x(j), n), rs));
          v = via_f32(num::f32_mul(v, param(in.gamma, j)));
          put(j, num::f32_add(v, param(in.beta, j)));
        }
        break;
      }
      case RowOp::kRmsNorm: {
        const auto& sq = square_table();
        const f32_bits q = walk.reduce(add_op, [&](u32 j) {
          return golden::act::apply(golden::ActFunc::kTable, &sq,
                                    num::f32_add(num::f32_mul(x(j), kF32One), kF32NegZero));
        });
        const f32_bits rs = via_f32(golden::act::rsqrt(num::f32_add(num::f32_mul(q, inv_l), eps)));
        for (u32 j = 0; j < p.cols; ++j) {
          const f32_bits v = via_f32(num::f32_mul(x(j), rs));
          put(j, num::f32_mul(v, param(in.gamma, j)));
        }
        break;
      }
    }
  }
  return y;
}

namespace {

std::uint32_t encode(DType t, float v) {
  const f32_bits bits = std::bit_cast<f32_bits>(v);
  return t == DType::kBf16 ? num::f32_to_bf16(bits) : bits;
}

}  // namespace

RowwiseInputs random_rowwise_inputs(std::uint64_t seed, const RowwiseParams& p) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n01(0.0f, 1.0f);
  RowwiseInputs in;
  in.x = Tensor(p.in, {p.rows, p.cols});
  for (u32 r = 0; r < p.rows; ++r) {
    const float offset = 4.0f * n01(rng);
    for (u32 j = 0; j < p.cols; ++j) in.x.set_raw(u64{r} * p.cols + j, encode(p.in, offset + 2.0f * n01(rng)));
  }
  if (p.op == RowOp::kSoftmax && p.mask) {
    in.mask = Tensor(p.mask_dtype, {p.rows, p.cols});
    const float ninf = -std::numeric_limits<float>::infinity();
    for (u32 r = 0; r < p.rows; ++r) {
      const bool all = rng() % 8 == 0;  // a fully masked row: zeros out, never NaN
      for (u32 j = 0; j < p.cols; ++j) {
        in.mask->set_raw(u64{r} * p.cols + j, encode(p.mask_dtype, all || rng() % 4 == 0 ? ninf : 0.0f));
      }
    }
  }
  if (p.op != RowOp::kSoftmax) {
    in.gamma = Tensor(p.param, {p.cols});
    for (u32 j = 0; j < p.cols; ++j) in.gamma->set_raw(j, encode(p.param, 1.0f + 0.25f * n01(rng)));
    if (p.op == RowOp::kLayerNorm) {
      in.beta = Tensor(p.param, {p.cols});
      for (u32 j = 0; j < p.cols; ++j) in.beta->set_raw(j, encode(p.param, 0.5f * n01(rng)));
    }
  }
  return in;
}

}  // namespace systole::kernels
