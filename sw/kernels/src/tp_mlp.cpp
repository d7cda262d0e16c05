#include "systole/kernels/tp_mlp.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "systole/collectives/collective.hpp"
#include "systole/golden/race_checker.hpp"
#include "systole/golden/system.hpp"
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

u64 align4k(u64 x) { return (x + 4095) / 4096 * 4096; }

}  // namespace

void validate_tp_mlp(const golden::Config& cfg, const TpMlpParams& p) {
  if (p.chips < 1 || p.chips > 16) {
    throw KernelArgumentError(fmt::format("tensor-parallel MLP: chips = {}: expected 1..16", p.chips));
  }
  if (p.mlp.f % p.chips != 0) {
    throw KernelArgumentError(
        fmt::format("tensor-parallel MLP: F = {} is not divisible by {} chips (each chip holds F/N features)", p.mlp.f,
                    p.chips));
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

TpMlpResult tp_mlp_golden(const golden::Config& cfg, const TpMlpParams& p, const MlpInputs& in) {
  validate_tp_mlp(cfg, p);
  const std::uint32_t n = p.chips;
  // Every chip: its shard's inputs from 0x1000, then Y (the all-reduce's buffer, in place) and
  // the all-reduce programs, then the MLP program.
  struct ChipImage {
    std::vector<std::uint8_t> bytes;
    MlpAddrs addrs;
  };
  std::vector<ChipImage> images(n);
  std::vector<TpShard> shards;
  u64 end = 0;
  for (std::uint32_t j = 0; j < n; ++j) {
    shards.push_back(tp_shard(p, in, j));
    const TpShard& s = shards.back();
    const MlpPackedWeights packed = pack_mlp_weights(cfg, plan_mlp(cfg, s.params), s.inputs.w1, s.inputs.w2);
    const std::vector<std::uint32_t> aux = epilogue_aux_image(s.params.activation);
    const std::vector<std::span<const std::uint8_t>> parts = {
        s.inputs.x.bytes(), packed.w1.bytes(), s.inputs.b1.bytes(), packed.w2.bytes(), s.inputs.b2.bytes(),
        {reinterpret_cast<const std::uint8_t*>(aux.data()), aux.size() * 4}};
    std::vector<std::uint32_t> at;
    ChipImage& img = images[j];
    for (const auto& part : parts) {
      at.push_back(0x1000 + static_cast<std::uint32_t>(img.bytes.size()));
      img.bytes.insert(img.bytes.end(), part.begin(), part.end());
      img.bytes.resize((img.bytes.size() + 63) / 64 * 64);
    }
    img.addrs = MlpAddrs{at[0], at[1], at[2], at[3], at[4], at[5], 0};
    end = std::max(end, 0x1000 + img.bytes.size());
  }
  const collectives::Plan ar = collectives::plan(allreduce_spec(p), cfg, static_cast<std::uint32_t>(align4k(end)));
  const std::uint32_t mlp_prog = ar.layout.dram_end;
  std::vector<std::vector<golden::EncodedInstruction>> mlp_programs;
  for (std::uint32_t j = 0; j < n; ++j) {
    images[j].addrs.y = ar.layout.in_addr;
    mlp_programs.push_back(build_mlp(cfg, shards[j].params, images[j].addrs).encoded);
  }
  std::size_t longest = 0;
  for (const auto& prog : mlp_programs) longest = std::max(longest, prog.size());
  const u64 dram = align4k(mlp_prog + longest * golden::kInstructionBytes);

  golden::System sys(cfg, n, dram);
  golden::RaceChecker rc(sys.config(), 16, n);
  sys.set_race_checker(&rc);
  for (std::uint32_t j = 0; j < n; ++j) {
    sys.chip(j).windows()[0] = golden::Window{0, static_cast<std::uint32_t>(dram - 1), true, true, true};
    sys.chip(j).write_dram(0x1000, images[j].bytes);
  }
  TpMlpResult r;
  // Phase 1: every chip its shard of the MLP (no traffic between chips); phase 2: the all-reduce.
  const golden::SystemResult compute = sys.run_programs(mlp_programs, mlp_prog);
  for (std::uint32_t j = 0; j < n; ++j) {
    if (!compute.chips[j].done) {
      throw std::runtime_error(fmt::format("tensor-parallel MLP: chip {} stopped: {}", j, compute.chips[j].detail));
    }
  }
  for (const golden::Race& race : rc.races()) r.races.push_back(race.describe());
  sys.clear_semaphores();
  const golden::SystemResult reduce = sys.run_programs(ar.programs, ar.layout.prog_addr);
  for (std::uint32_t j = 0; j < n; ++j) {
    if (!reduce.chips[j].done) {
      throw std::runtime_error(fmt::format("tensor-parallel MLP: chip {}'s all-reduce stopped: {}", j,
                                           reduce.chips[j].detail));
    }
    r.link_tx_bytes += reduce.chips[j].counters.link_tx_bytes;
  }
  for (const golden::Race& race : rc.races()) r.races.push_back(race.describe());
  for (std::uint32_t j = 0; j < n; ++j) {
    Tensor y(DType::kFp32, {p.mlp.tokens, p.mlp.d});
    sys.chip(j).read_dram(ar.layout.in_addr, y.bytes());
    r.y.push_back(std::move(y));
  }
  r.mlp_instructions = mlp_programs[0].size();
  r.allreduce_instructions = ar.programs[0].size();
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
