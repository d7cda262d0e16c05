// One encoder layer: random operands and the float64 checks (encoder.hpp; docs/kernels.md
// section 10).
#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <random>

#include "kernel_util.hpp"
#include "systole/kernels/attention.hpp"
#include "systole/kernels/encoder.hpp"
#include "systole/kernels/gemm_epilogue.hpp"
#include "systole/kernels/mlp.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {

using driver::Tensor;
using golden::DType;
using u64 = std::uint64_t;

namespace {

Tensor normal(std::mt19937_64& rng, std::vector<u64> shape, float mean, float sigma) {
  return detail::normal_tensor(rng, DType::kBf16, std::move(shape), mean, sigma);
}

// A row-major [rows, cols] matrix in double.
struct Mat {
  u64 rows = 0, cols = 0;
  std::vector<double> v;
  double& at(u64 r, u64 c) { return v[r * cols + c]; }
  double at(u64 r, u64 c) const { return v[r * cols + c]; }
};
Mat of(const Tensor& t) {
  Mat m{t.shape()[0], t.shape().size() > 1 ? t.shape()[1] : 1, std::vector<double>(t.size())};
  for (std::size_t i = 0; i < t.size(); ++i) m.v[i] = t.value(i);
  return m;
}
// a b + bias (+ residual)
Mat affine(const Mat& a, const Mat& b, const Mat& bias, const Mat* residual) {
  Mat c{a.rows, b.cols, std::vector<double>(a.rows * b.cols)};
  for (u64 i = 0; i < a.rows; ++i) {
    for (u64 j = 0; j < b.cols; ++j) {
      double s = bias.v[j] + (residual ? residual->at(i, j) : 0.0);
      for (u64 k = 0; k < a.cols; ++k) s += a.at(i, k) * b.at(k, j);
      c.at(i, j) = s;
    }
  }
  return c;
}
Mat layernorm(const Mat& x, const Mat& g, const Mat& b, double eps) {
  Mat y = x;
  for (u64 i = 0; i < x.rows; ++i) {
    double mean = 0, var = 0;
    for (u64 j = 0; j < x.cols; ++j) mean += x.at(i, j);
    mean /= static_cast<double>(x.cols);
    for (u64 j = 0; j < x.cols; ++j) var += (x.at(i, j) - mean) * (x.at(i, j) - mean);
    const double r = 1.0 / std::sqrt(var / static_cast<double>(x.cols) + eps);
    for (u64 j = 0; j < x.cols; ++j) y.at(i, j) = (x.at(i, j) - mean) * r * g.v[j] + b.v[j];
  }
  return y;
}

// The layer in double on X (docs/kernels.md section 10.3).
Mat layer64(const EncoderParams& p, const EncoderWeights& w, const Tensor& x) {
  const Mat X = of(x);
  const Mat q = affine(X, of(w.wq), of(w.bq), nullptr), k = affine(X, of(w.wk), of(w.bk), nullptr),
            v = affine(X, of(w.wv), of(w.bv), nullptr);
  const u64 S = p.seq, hd = p.d / p.heads;
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  Mat a{S, p.d, std::vector<double>(S * p.d)};
  std::vector<double> e(S);
  for (u64 h = 0; h < p.heads; ++h) {
    for (u64 i = 0; i < S; ++i) {
      double mx = -INFINITY, z = 0;
      for (u64 j = 0; j < S; ++j) {
        double s = 0;
        for (u64 f = 0; f < hd; ++f) s += q.at(i, h * hd + f) * k.at(j, h * hd + f);
        e[j] = s * scale;
        mx = std::max(mx, e[j]);
      }
      for (u64 j = 0; j < S; ++j) z += (e[j] = std::exp(e[j] - mx));
      for (u64 f = 0; f < hd; ++f) {
        double o = 0;
        for (u64 j = 0; j < S; ++j) o += e[j] * v.at(j, h * hd + f);
        a.at(i, h * hd + f) = o / z;
      }
    }
  }
  const Mat pr = affine(a, of(w.wo), of(w.bo), &X);
  const Mat h1 = layernorm(pr, of(w.ln1_gamma), of(w.ln1_beta), p.eps);
  Mat hid = affine(h1, of(w.w1), of(w.b1), nullptr);
  const bool tanh_form = p.activation == "gelu_tanh";
  for (double& t : hid.v) {
    t = tanh_form ? 0.5 * t * (1 + std::tanh(0.7978845608028654 * (t + 0.044715 * t * t * t)))
                  : 0.5 * t * (1 + std::erf(t / std::sqrt(2.0)));
  }
  const Mat m = affine(hid, of(w.w2), of(w.b2), &h1);
  return layernorm(m, of(w.ln2_gamma), of(w.ln2_beta), p.eps);
}

}  // namespace

EncoderWeights random_encoder_weights(std::uint64_t seed, const EncoderParams& p) {
  std::mt19937_64 rng(seed);
  const u64 D = p.d, F = p.f;
  const float sd = 1.0f / std::sqrt(static_cast<float>(D)), sf = 1.0f / std::sqrt(static_cast<float>(F));
  EncoderWeights w;
  w.wq = normal(rng, {D, D}, 0, sd);
  w.wk = normal(rng, {D, D}, 0, sd);
  w.wv = normal(rng, {D, D}, 0, sd);
  w.wo = normal(rng, {D, D}, 0, sd);
  w.bq = normal(rng, {D}, 0, 0.5f);
  w.bk = normal(rng, {D}, 0, 0.5f);
  w.bv = normal(rng, {D}, 0, 0.5f);
  w.bo = normal(rng, {D}, 0, 0.5f);
  w.w1 = normal(rng, {D, F}, 0, sd);
  w.b1 = normal(rng, {F}, 0, 0.5f);
  w.w2 = normal(rng, {F, D}, 0, sf);
  w.b2 = normal(rng, {D}, 0, 0.5f);
  w.ln1_gamma = normal(rng, {D}, 1, 0.25f);
  w.ln1_beta = normal(rng, {D}, 0, 0.25f);
  w.ln2_gamma = normal(rng, {D}, 1, 0.25f);
  w.ln2_beta = normal(rng, {D}, 0, 0.25f);
  return w;
}

Tensor random_encoder_input(std::uint64_t seed, const EncoderParams& p) {
  std::mt19937_64 rng(seed ^ 0x656e636f646572ull);
  return normal(rng, {p.seq, p.d}, 0, 1);
}

EncoderFloat64Check check_encoder_float64(const golden::Config& cfg, const EncoderParams& p, const EncoderWeights& w,
                                          const Tensor& x, const EncoderTensors& got) {
  EncoderFloat64Check ck;
  auto add = [&](const char* stage, const auto& c) {
    ck.checked += c.checked;
    ck.worst_ratio = std::max(ck.worst_ratio, c.worst_ratio);
    if (!c.ok() && ck.violations == 0) ck.first_violation = fmt::format("{}: {}", stage, c.first_violation);
    ck.violations += c.violations;
  };
  auto projection = [&](const char* stage, const Tensor& a, const Tensor& wt, const Tensor& b, const Tensor* res,
                        const Tensor& c) {
    EpilogueInputs e;
    e.bias_col = b;
    if (res) e.residual = *res;
    add(stage, check_fused_float64(a, wt, e, c));
  };
  projection("Q", x, w.wq, w.bq, nullptr, got.q);
  projection("K", x, w.wk, w.bk, nullptr, got.k);
  projection("V", x, w.wv, w.bv, nullptr, got.v);
  AttentionParams ap;
  ap.heads = p.heads;
  ap.sq = ap.sk = p.seq;
  ap.d = p.d / p.heads;
  add("attention", check_attention_float64(cfg, ap, AttentionInputs{got.q, got.k, got.v}, got.a));
  projection("Wo projection", got.a, w.wo, w.bo, &x, got.p);
  auto layernorm_check = [&](const char* stage, const Tensor& in, const Tensor& g, const Tensor& b, const Tensor& y) {
    RowwiseInputs ri;
    ri.x = in;
    ri.gamma = g;
    ri.beta = b;
    add(stage, check_rowwise_float64(cfg, rowwise_params(RowOp::kLayerNorm, ri, y.dtype(), 1.0f, p.eps), ri, y));
  };
  layernorm_check("LayerNorm 1", got.p, w.ln1_gamma, w.ln1_beta, got.h1);
  MlpParams mp;
  mp.tokens = p.seq;
  mp.d = p.d;
  mp.f = p.f;
  mp.activation = p.activation;
  const MlpInputs mi{got.h1, w.w1, w.b1, w.w2, w.b2};
  add("MLP", check_mlp_float64(mp, mi, reference_mlp(cfg, mp, mi), got.m).combined());
  layernorm_check("LayerNorm 2", got.m, w.ln2_gamma, w.ln2_beta, got.y);
  const Mat y64 = layer64(p, w, x);
  for (std::size_t i = 0; i < got.y.size(); ++i) {
    ck.end_to_end_max_abs_error = std::max(ck.end_to_end_max_abs_error, std::fabs(got.y.value(i) - y64.v[i]));
  }
  return ck;
}

}  // namespace systole::kernels
