#include "systole/kernels/tp_mlp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "systole/collectives/collective.hpp"
#include "systole/kernels/gemm_epilogue.hpp"

namespace systole::kernels {
namespace {

using driver::Tensor;
using golden::DType;
using u64 = std::uint64_t;

MlpParams full_params(const TpMlpParams& p) {
  MlpParams m = p.mlp;
  m.out = DType::kFp32;
  return m;
}

collectives::Spec allreduce_spec(const TpMlpParams& p) {
  collectives::Spec s;
  s.kind = collectives::Kind::kAllReduce;
  s.chips = p.chips;
  s.count = u64{p.mlp.tokens} * p.mlp.d;
  s.dtype = DType::kFp32;
  s.op = collectives::RedOp::kSum;
  s.in_place = true;
  return s;
}

}  // namespace

void validate_tp_mlp(const golden::Config& cfg, const TpMlpParams& p) {
  if (p.chips < 1 || p.chips > 16) {
    throw KernelArgumentError(fmt::format("tensor-parallel MLP: chips = {}: expected 1..16", p.chips));
  }
  if (p.mlp.f % p.chips != 0) {
    throw KernelArgumentError(fmt::format(
        "tensor-parallel MLP: F = {} is not divisible by {} chips (each chip holds F/N features)", p.mlp.f, p.chips));
  }
  MlpParams shard = full_params(p);
  shard.f = p.mlp.f / p.chips;
  validate_mlp(cfg, shard);
}

TpShard tp_shard(const TpMlpParams& p, const MlpInputs& in, std::uint32_t chip) {
  const std::uint32_t fs = p.mlp.f / p.chips, f0 = chip * fs;
  TpShard s;
  s.params = full_params(p);
  s.params.f = fs;
  s.params.residual = p.mlp.residual && chip == 0;  // X and b2 are added once, by chip 0
  s.inputs.x = in.x;
  s.inputs.w1 = Tensor(DType::kBf16, {p.mlp.d, fs});
  for (u64 r = 0; r < p.mlp.d; ++r) {
    for (u64 c = 0; c < fs; ++c) s.inputs.w1.set_raw(r, c, in.w1.raw(r, f0 + c));
  }
  s.inputs.b1 = Tensor(in.b1.dtype(), {fs});
  for (u64 c = 0; c < fs; ++c) s.inputs.b1.set_raw(c, in.b1.raw(f0 + c));
  s.inputs.w2 = Tensor(DType::kBf16, {fs, p.mlp.d});
  for (u64 r = 0; r < fs; ++r) {
    for (u64 c = 0; c < p.mlp.d; ++c) s.inputs.w2.set_raw(r, c, in.w2.raw(f0 + r, c));
  }
  s.inputs.b2 = chip == 0 ? in.b2 : Tensor(in.b2.dtype(), {p.mlp.d});  // zeros elsewhere
  return s;
}

TpMlpResult tp_mlp(driver::MultiDevice& dev, const TpMlpParams& p, const MlpInputs& in) {
  const golden::Config& cfg = dev.config();
  validate_tp_mlp(cfg, p);
  const std::uint32_t n = p.chips;
  if (dev.size() != n) {
    throw KernelArgumentError(fmt::format("tensor-parallel MLP for {} chips on a {}-chip device", n, dev.size()));
  }
  // Every chip: its shard's inputs in one allocation (the same layout on every chip: the shards
  // have the same shapes), then Y, on which the all-reduce works in place.
  std::vector<TpShard> shards;
  std::vector<std::vector<std::uint8_t>> images(n);
  std::vector<std::uint32_t> offsets;
  for (std::uint32_t j = 0; j < n; ++j) {
    shards.push_back(tp_shard(p, in, j));
    const TpShard& s = shards.back();
    const MlpPackedWeights packed = pack_mlp_weights(cfg, plan_mlp(cfg, s.params), s.inputs.w1, s.inputs.w2);
    const std::vector<std::uint32_t> aux = epilogue_aux_image(s.params.activation);
    const std::vector<std::span<const std::uint8_t>> parts = {
        s.inputs.x.bytes(), packed.w1.bytes(),   s.inputs.b1.bytes(),
        packed.w2.bytes(),  s.inputs.b2.bytes(), {reinterpret_cast<const std::uint8_t*>(aux.data()), aux.size() * 4}};
    offsets.clear();
    for (const auto& part : parts) {
      offsets.push_back(static_cast<std::uint32_t>(images[j].size()));
      images[j].insert(images[j].end(), part.begin(), part.end());
      images[j].resize((images[j].size() + 63) / 64 * 64);
    }
  }
  const std::uint32_t in_base = dev.alloc_all(images[0].size(), 4096);
  for (std::uint32_t j = 0; j < n; ++j) dev.chip(j).upload(in_base, images[j]);
  const auto at = [&](std::size_t k) { return in_base + offsets[k]; };
  // The all-reduce in place on Y: its buffer is the MLP's output.
  const collectives::Spec ar_spec = allreduce_spec(p);
  TpMlpResult r;
  try {
    // Y first in the all-reduce's region (its input, in place; then its scratch).
    const std::uint32_t y = dev.alloc_all(collectives::buffer_bytes(ar_spec, cfg), 4096);
    const collectives::Plan ar = collectives::plan(ar_spec, cfg, y);
    std::vector<std::vector<golden::EncodedInstruction>> mlp_programs;
    for (std::uint32_t j = 0; j < n; ++j) {
      const MlpAddrs a{at(0), at(1), at(2), at(3), at(4), at(5), y};
      mlp_programs.push_back(build_mlp(cfg, shards[j].params, a).encoded);
    }
    // Phase 1: every chip its shard (no traffic between chips); phase 2: the all-reduce.
    const driver::MultiRunResult compute = dev.run(mlp_programs);
    const driver::MultiRunResult reduce = dev.run(ar.programs);
    r.races = compute.races;
    r.races.insert(r.races.end(), reduce.races.begin(), reduce.races.end());
    for (std::uint32_t j = 0; j < n; ++j) {
      r.link_tx_bytes += reduce.chips[j].counters.link_tx_bytes;
      r.y.push_back(dev.chip(j).download(y, DType::kFp32, {p.mlp.tokens, p.mlp.d}));
    }
    r.mlp_instructions = mlp_programs[0].size();
    r.allreduce_instructions = ar.programs[0].size();
    dev.free_all(y);
  } catch (...) {
    dev.free_all(in_base);
    throw;
  }
  dev.free_all(in_base);
  return r;
}

Tensor reference_tp_mlp(const golden::Config& cfg, const TpMlpParams& p, const MlpInputs& in) {
  validate_tp_mlp(cfg, p);
  collectives::Buffers partials;
  for (std::uint32_t j = 0; j < p.chips; ++j) {
    const TpShard s = tp_shard(p, in, j);
    const Tensor y = reference_mlp(cfg, s.params, s.inputs).y;
    partials.emplace_back(y.bytes().begin(), y.bytes().end());
  }
  const collectives::Buffers out = collectives::reference(allreduce_spec(p), partials, 0);
  Tensor y(DType::kFp32, {p.mlp.tokens, p.mlp.d});
  std::memcpy(y.bytes().data(), out[0].data(), out[0].size());
  return y;
}

}  // namespace systole::kernels
