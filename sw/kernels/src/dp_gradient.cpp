#include "systole/kernels/dp_gradient.hpp"

#include <fmt/format.h>

#include <cstring>
#include <random>

#include "kernel_util.hpp"
#include "systole/collectives/collective.hpp"
#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/kernels/kernel_error.hpp"

namespace systole::kernels {
namespace {

using driver::Tensor;
using golden::DType;
using u64 = std::uint64_t;

Tensor rows(const Tensor& t, u64 r0, u64 n) {
  const u64 cols = t.shape()[1];
  Tensor out(t.dtype(), {n, cols});
  std::memcpy(out.bytes().data(), t.bytes().data() + r0 * cols * t.element_bytes(), n * cols * t.element_bytes());
  return out;
}

collectives::Spec allreduce_spec(const DpGradParams& p) {
  collectives::Spec s;
  s.chips = p.chips;
  s.count = u64{p.d_in} * p.d_out;
  s.dtype = DType::kFp32;
  s.in_place = true;
  return s;
}

}  // namespace

DpGradInputs random_dp_inputs(std::uint64_t seed, const DpGradParams& p) {
  std::mt19937_64 rng(seed);
  return {detail::normal_tensor(rng, DType::kBf16, {p.batch, p.d_in}, 0.0f, 1.0f),
          detail::normal_tensor(rng, DType::kBf16, {p.batch, p.d_out}, 0.0f, 0.1f)};
}

void validate_dp_gradient(const golden::Config& cfg, const DpGradParams& p) {
  if (p.chips < 1 || p.chips > 16) {
    throw KernelArgumentError(fmt::format("data-parallel gradient: chips = {}: expected 1..16", p.chips));
  }
  if (p.batch == 0 || p.batch % p.chips != 0) {
    throw KernelArgumentError(
        fmt::format("data-parallel gradient: batch = {} must be a positive multiple of the {} chips (a shard per chip)",
                    p.batch, p.chips));
  }
  validate_gemm_types(cfg, p.d_in, p.batch / p.chips, p.d_out, DType::kBf16, DType::kFp32);
}

DpGradResult dp_gradient(driver::MultiDevice& dev, const DpGradParams& p, const DpGradInputs& in) {
  const golden::Config& cfg = dev.config();
  validate_dp_gradient(cfg, p);
  detail::check_host_tensor("data-parallel gradient", in.x, "x", DType::kBf16, {p.batch, p.d_in});
  detail::check_host_tensor("data-parallel gradient", in.dy, "dy", DType::kBf16, {p.batch, p.d_out});
  if (dev.size() != p.chips) {
    throw KernelArgumentError(
        fmt::format("data-parallel gradient for {} chips on a {}-chip device", p.chips, dev.size()));
  }
  const u64 shard = p.batch / p.chips;
  const u64 xb = detail::align64(shard * p.d_in * 2), dyb = detail::align64(shard * p.d_out * 2);
  const std::uint32_t x = dev.alloc_all(xb + dyb);
  // dW first in the all-reduce's region (its input, in place; then its scratch).
  const std::uint32_t dw = dev.alloc_all(collectives::buffer_bytes(allreduce_spec(p), cfg), 4096);
  DpGradResult r;
  for (std::uint32_t j = 0; j < p.chips; ++j) {
    dev.chip(j).upload(x, rows(in.x, j * shard, shard).bytes());
    dev.chip(j).upload(static_cast<std::uint32_t>(x + xb), rows(in.dy, j * shard, shard).bytes());
  }
  // dW_j = X_j^T dY_j: A = X_j^T is X_j read column-major.
  GemmSpec g;
  g.M = p.d_in;
  g.K = static_cast<std::uint32_t>(shard);
  g.N = p.d_out;
  g.in = DType::kBf16;
  g.out = DType::kFp32;
  g.a = GemmOperand{x, Layout::kColMajor, 0};
  g.b = GemmOperand{static_cast<std::uint32_t>(x + xb), Layout::kRowMajor, 0};
  g.c = GemmOperand{dw, Layout::kRowMajor, 0};
  GemmOptions o;
  o.dram_bytes = dev.chip(0).dram_size();
  const GemmProgram prog = build_gemm(cfg, g, o);
  const std::vector<std::vector<golden::EncodedInstruction>> gemms(p.chips, prog.encoded);
  const driver::MultiRunResult compute = dev.run(gemms);
  const collectives::Plan ar = collectives::plan(allreduce_spec(p), cfg, dw);
  const driver::MultiRunResult reduce = dev.run(ar.programs);
  r.races = compute.races;
  r.races.insert(r.races.end(), reduce.races.begin(), reduce.races.end());
  for (std::uint32_t j = 0; j < p.chips; ++j) {
    r.link_tx_bytes += reduce.chips[j].counters.link_tx_bytes;
    r.dw.push_back(dev.chip(j).download(dw, DType::kFp32, {p.d_in, p.d_out}));
  }
  dev.free_all(dw);
  dev.free_all(x);
  return r;
}

Tensor reference_dp_gradient(const golden::Config& cfg, const DpGradParams& p, const DpGradInputs& in) {
  validate_dp_gradient(cfg, p);
  const u64 shard = p.batch / p.chips;
  collectives::Buffers partials;
  for (std::uint32_t j = 0; j < p.chips; ++j) {
    const Tensor g = reference_gemm(cfg, driver::transpose(rows(in.x, j * shard, shard)), rows(in.dy, j * shard, shard),
                                    DType::kFp32);
    partials.emplace_back(g.bytes().begin(), g.bytes().end());
  }
  const collectives::Buffers out = collectives::reference(allreduce_spec(p), partials, 0);
  Tensor dw(DType::kFp32, {p.d_in, p.d_out});
  std::memcpy(dw.bytes().data(), out[0].data(), out[0].size());
  return dw;
}

}  // namespace systole::kernels
