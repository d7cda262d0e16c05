// One encoder layer composed from the kernels: checks, the device run and the architectural
// reference (encoder.hpp; docs/kernels.md section 10). Float64 and random operands are in
// encoder_check.cpp.
#include "systole/kernels/encoder.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>

#include "device_memory.hpp"
#include "kernel_util.hpp"
#include "systole/kernels/attention.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/kernels/gemm_epilogue.hpp"
#include "systole/kernels/mlp.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::kernels {

using driver::Tensor;
using golden::DType;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

AttentionParams attention_params(const EncoderParams& p) {
  AttentionParams a;
  a.heads = p.heads;
  a.sq = a.sk = p.seq;
  a.d = p.d / p.heads;
  return a;
}

MlpParams mlp_params(const EncoderParams& p) {
  MlpParams m;
  m.tokens = p.seq;
  m.d = p.d;
  m.f = p.f;
  m.activation = p.activation;
  return m;
}

RowwiseParams layernorm_params(const EncoderParams& p, DType out) {
  RowwiseParams r;
  r.op = RowOp::kLayerNorm;
  r.rows = p.seq;
  r.cols = p.d;
  r.out = out;
  r.eps = p.eps;
  return r;
}

void check_tensor(const Tensor& t, const char* what, std::vector<u64> shape) {
  detail::check_host_tensor("encoder-layer", t, what, DType::kBf16, shape);
}

}  // namespace

std::uint64_t EncoderParams::macs() const {
  return 4 * u64{seq} * d * d + 2 * u64{seq} * seq * d + 2 * u64{seq} * d * f;
}

EncoderParams bert_base_layer() {
  EncoderParams p;
  p.seq = 128;
  p.d = 768;
  p.heads = 12;
  p.f = 3072;
  return p;
}

void validate_encoder(const golden::Config& cfg, const EncoderParams& p) {
  auto fail = [](const std::string& m) { throw KernelArgumentError("encoder-layer: " + m); };
  if (p.seq == 0 || p.d == 0 || p.heads == 0 || p.f == 0) {
    fail(fmt::format("seq = {}, d = {}, heads = {}, f = {}: each must be at least 1", p.seq, p.d, p.heads, p.f));
  }
  if (p.d % p.heads != 0)
    fail(fmt::format("d = {} is not a multiple of heads = {}: expected D = H x head dim", p.d, p.heads));
  if (p.out != DType::kBf16 && p.out != DType::kFp32) {
    fail(fmt::format("output dtype {}: expected bf16 or fp32", golden::dtype_name(p.out)));
  }
  if (p.activation != "gelu_erf" && p.activation != "gelu_tanh") {
    fail(fmt::format("activation '{}': expected gelu_erf or gelu_tanh", p.activation));
  }
  if (!(p.eps > 0) || !std::isfinite(p.eps))
    fail(fmt::format("eps = {}: expected a finite value greater than 0", p.eps));
  // Each stage's own checks, their messages prefixed with the stage.
  auto stage = [&](const char* name, const auto& check) {
    try {
      check();
    } catch (const KernelArgumentError& e) {
      fail(fmt::format("the {} stage: {}", name, e.what()));
    }
  };
  stage("attention", [&] { validate_attention(cfg, attention_params(p)); });
  stage("MLP", [&] { validate_mlp(cfg, mlp_params(p)); });
  stage("LayerNorm", [&] { validate_rowwise(cfg, layernorm_params(p, p.out)); });
  stage("projection", [&] { validate_gemm_types(cfg, p.seq, p.d, p.d, DType::kBf16, DType::kBf16, true); });
}

std::uint64_t EncoderResult::cycles() const {
  u64 c = 0;
  for (const EncoderStage& s : stages) c += s.result.counters.cycles.value_or(0);
  return c;
}

bool EncoderResult::bytes_as_stated() const {
  for (const EncoderStage& s : stages) {
    if (s.result.counters.dram_rd_bytes != s.dram_rd_bytes || s.result.counters.dram_wr_bytes != s.dram_wr_bytes)
      return false;
  }
  return true;
}

bool EncoderResult::race_free() const {
  for (const EncoderStage& s : stages)
    if (!s.result.races.empty()) return false;
  return true;
}

EncoderResult encoder_layer(driver::Device& dev, const EncoderParams& p, const EncoderWeights& w, const Tensor& x) {
  const golden::Config& cfg = dev.config();
  validate_encoder(cfg, p);
  const u64 S = p.seq, D = p.d, F = p.f;
  check_tensor(x, "x", {S, D});
  for (const auto& [t, what] :
       {std::pair{&w.wq, "wq"}, std::pair{&w.wk, "wk"}, std::pair{&w.wv, "wv"}, std::pair{&w.wo, "wo"}})
    check_tensor(*t, what, {D, D});
  for (const auto& [t, what] :
       {std::pair{&w.bq, "bq"}, std::pair{&w.bk, "bk"}, std::pair{&w.bv, "bv"}, std::pair{&w.bo, "bo"},
        std::pair{&w.b2, "b2"}, std::pair{&w.ln1_gamma, "ln1_gamma"}, std::pair{&w.ln1_beta, "ln1_beta"},
        std::pair{&w.ln2_gamma, "ln2_gamma"}, std::pair{&w.ln2_beta, "ln2_beta"}})
    check_tensor(*t, what, {D});
  check_tensor(w.w1, "w1", {D, F});
  check_tensor(w.b1, "b1", {F});
  check_tensor(w.w2, "w2", {F, D});

  detail::Allocations mem(dev);
  auto put = [&](const Tensor& t) {
    const u32 a = mem.alloc(t.bytes().size());
    dev.upload(a, t);
    return a;
  };
  const u64 act = S * D * 2;
  const u32 ax = put(x), aq = mem.alloc(act), ak = mem.alloc(act), av = mem.alloc(act), aa = mem.alloc(act),
            ap = mem.alloc(act), ah1 = mem.alloc(act), am = mem.alloc(act);
  const u64 yb = S * D * golden::dtype_size(p.out);
  const u32 ay = mem.alloc(yb);
  EncoderResult r;
  auto record = [&](const char* name, driver::RunResult res, u64 rd, u64 wr, u64 macs, u64 instructions) {
    r.stages.push_back(EncoderStage{name, std::move(res), rd, wr, macs, instructions});
  };
  auto run = [&](const std::vector<golden::EncodedInstruction>& prog, const golden::Windows& win) {
    driver::RunOptions ro;
    ro.windows = win;
    return dev.run(prog, ro);
  };
  using detail::window;

  // Q, K, V and the output projection: GEMMs with a fused bias (and residual X for Wo).
  auto projection = [&](const char* name, u32 a, const Tensor& wt, const Tensor& bias, u32 c, bool residual) {
    const u32 wb = put(wt), bb = put(bias);
    GemmSpec s;
    s.M = p.seq;
    s.K = s.N = p.d;
    s.in = s.out = DType::kBf16;
    s.a = GemmOperand{a, Layout::kRowMajor, 0};
    s.b = GemmOperand{wb, Layout::kRowMajor, 0};
    s.c = GemmOperand{c, Layout::kRowMajor, 0};
    GemmEpilogue e;
    e.bias_col = EpilogueVector{bb, DType::kBf16};
    if (residual) e.residual = EpilogueMatrix{ax, DType::kBf16, Layout::kRowMajor, 0};
    s.epilogue = e;
    GemmRun g = run_gemm(dev, s);
    record(name, std::move(g.result), g.program.estimate.dram_rd_bytes, g.program.estimate.dram_wr_bytes, S * D * D,
           g.program.encoded.size());
  };
  projection("q", ax, w.wq, w.bq, aq, false);
  projection("k", ax, w.wk, w.bk, ak, false);
  projection("v", ax, w.wv, w.bv, av, false);
  {
    const AttentionParams ap_ = attention_params(p);
    const AttentionAddrs addrs{aq, ak, av, aa};
    const AttentionProgram prog = build_attention(cfg, ap_, addrs);
    golden::Windows win{};
    win[0] = window(aq, act, false);
    win[1] = window(ak, act, false);
    win[2] = window(av, act, false);
    win[3] = window(aa, act, true);
    record("attention", run(prog.encoded, win), prog.dram_rd_bytes, prog.dram_wr_bytes, prog.useful_macs,
           prog.encoded.size());
  }
  projection("wo", aa, w.wo, w.bo, ap, true);
  // LayerNorm: gamma, beta and the square table's image in one read-only allocation.
  auto layernorm = [&](const char* name, u32 in, const Tensor& g, const Tensor& b, u32 out, DType odt) {
    const RowwiseParams rp = layernorm_params(p, odt);
    const std::vector<u32> aux = rowwise_aux_image(rp);
    const detail::PackedRegion par = detail::upload_packed(dev, mem, {g.bytes(), b.bytes(), detail::word_bytes(aux)});
    RowwiseAddrs a;
    a.x = in;
    a.y = out;
    a.gamma = par.at[0];
    a.beta = par.at[1];
    a.aux = par.at[2];
    const RowwiseProgram prog = build_rowwise(cfg, rp, a);
    golden::Windows win{};
    win[0] = window(in, act, false);
    win[1] = window(out, S * D * golden::dtype_size(odt), true);
    win[2] = window(par.base, par.bytes, false);
    record(name, run(prog.encoded, win), prog.dram_rd_bytes, prog.dram_wr_bytes, 0, prog.encoded.size());
  };
  layernorm("layernorm1", ap, w.ln1_gamma, w.ln1_beta, ah1, DType::kBf16);
  {
    // The MLP's weights, biases and table image in one read-only allocation.
    const MlpParams mp = mlp_params(p);
    const std::vector<u32> aux = epilogue_aux_image(mp.activation);
    const MlpPackedWeights packed = pack_mlp_weights(cfg, plan_mlp(cfg, mp), w.w1, w.w2);
    const detail::PackedRegion par = detail::upload_packed(
        dev, mem, {packed.w1.bytes(), w.b1.bytes(), packed.w2.bytes(), w.b2.bytes(), detail::word_bytes(aux)});
    MlpAddrs a;
    a.x = ah1;
    a.w1 = par.at[0];
    a.b1 = par.at[1];
    a.w2 = par.at[2];
    a.b2 = par.at[3];
    a.aux = par.at[4];
    a.y = am;
    const MlpProgram prog = build_mlp(cfg, mp, a);
    golden::Windows win{};
    win[0] = window(ah1, act, false);
    win[1] = window(par.base, par.bytes, false);
    win[2] = window(am, act, true);
    record("mlp", run(prog.encoded, win), prog.dram_rd_bytes, prog.dram_wr_bytes, prog.macs, prog.encoded.size());
  }
  layernorm("layernorm2", am, w.ln2_gamma, w.ln2_beta, ay, p.out);

  auto get = [&](u32 addr) { return dev.download(addr, DType::kBf16, {S, D}); };
  r.t = EncoderTensors{get(aq), get(ak), get(av), get(aa), get(ap), get(ah1), get(am), dev.download(ay, p.out, {S, D})};
  return r;
}

EncoderTensors reference_encoder(const golden::Config& cfg, const EncoderParams& p, const EncoderWeights& w,
                                 const Tensor& x) {
  validate_encoder(cfg, p);
  EncoderTensors t;
  auto projection = [&](const Tensor& a, const Tensor& wt, const Tensor& bias, const Tensor* residual) {
    EpilogueInputs e;
    e.bias_col = bias;
    if (residual) e.residual = *residual;
    return reference_epilogue(reference_gemm(cfg, a, wt, DType::kFp32), e, DType::kBf16);
  };
  t.q = projection(x, w.wq, w.bq, nullptr);
  t.k = projection(x, w.wk, w.bk, nullptr);
  t.v = projection(x, w.wv, w.bv, nullptr);
  t.a = reference_attention(cfg, attention_params(p), AttentionInputs{t.q, t.k, t.v});
  t.p = projection(t.a, w.wo, w.bo, &x);
  auto layernorm = [&](const Tensor& in, const Tensor& g, const Tensor& b, DType out) {
    RowwiseInputs ri;
    ri.x = in;
    ri.gamma = g;
    ri.beta = b;
    return reference_rowwise(cfg, layernorm_params(p, out), ri);
  };
  t.h1 = layernorm(t.p, w.ln1_gamma, w.ln1_beta, DType::kBf16);
  t.m = reference_mlp(cfg, mlp_params(p), MlpInputs{t.h1, w.w1, w.b1, w.w2, w.b2}).y;
  t.y = layernorm(t.m, w.ln2_gamma, w.ln2_beta, p.out);
  return t;
}

std::string first_encoder_mismatch(const EncoderTensors& got, const EncoderTensors& want) {
  const std::pair<const char*, const Tensor EncoderTensors::*> stages[] = {
      {"Q", &EncoderTensors::q},
      {"K", &EncoderTensors::k},
      {"V", &EncoderTensors::v},
      {"attention output", &EncoderTensors::a},
      {"Wo projection + residual", &EncoderTensors::p},
      {"LayerNorm 1", &EncoderTensors::h1},
      {"MLP", &EncoderTensors::m},
      {"LayerNorm 2 (Y)", &EncoderTensors::y}};
  for (const auto& [name, field] : stages) {
    const Tensor& g = got.*field;
    const Tensor& w = want.*field;
    if (g.shape() != w.shape() || g.dtype() != w.dtype())
      return fmt::format("{}: {} instead of {}", name, g.describe(), w.describe());
    if (const std::int64_t bad = first_mismatch(g, w); bad >= 0) {
      const u64 i = static_cast<u64>(bad), n = g.shape()[1];
      return fmt::format("{} (row {}, column {}): 0x{:x}, expected 0x{:x}", name, i / n, i % n, g.raw(i), w.raw(i));
    }
  }
  return "";
}

}  // namespace systole::kernels
