// systole-demo's multi-chip lines (demo_multichip.hpp): collectives, the tensor-parallel MLP and
// the data-parallel gradient on the golden multi-chip system.
#include "demo_multichip.hpp"

#include <fmt/format.h>

#include <cstring>

#include "systole/collectives/collective.hpp"
#include "systole/driver/multi_device.hpp"
#include "systole/kernels/dp_gradient.hpp"
#include "systole/kernels/tp_mlp.hpp"

namespace systole::tools {
namespace {

using collectives::Kind;

struct Case {
  Kind kind;
  std::uint32_t chips;
  std::uint64_t count;
  golden::DType dtype;
  collectives::RedOp op;
};

bool run_collective(const golden::Config& cfg, const Case& c, std::uint64_t seed) {
  collectives::Spec s;
  s.kind = c.kind;
  s.chips = c.chips;
  s.count = c.count;
  s.dtype = c.dtype;
  s.op = c.op;
  const std::uint32_t size = golden::dtype_size(s.dtype);
  driver::DeviceOptions o;
  o.dram_bytes = collectives::dram_bytes_needed(s, cfg);
  auto dev = driver::make_multi_device("golden", cfg.name, s.chips, o);
  const collectives::Buffers in = collectives::random_inputs(s, seed);
  const collectives::RunOutcome r = collectives::run(*dev, s, in);
  const bool exact = r.outputs == collectives::reference(s, in, 0xA5);
  const collectives::Accuracy a = collectives::check_accuracy(s, in, r.outputs);
  const bool ok = exact && a.violations == 0 && r.races.empty();
  const bool reduces = s.kind == Kind::kAllReduce || s.kind == Kind::kReduceScatter;
  fmt::print("{:<14} {:>5} {:>9} {:<6} {:<4} {:<19} {:<8} {:>10}\n", collectives::kind_name(s.kind), s.chips,
             collectives::input_elements(s) * size, golden::dtype_name(s.dtype),
             reduces ? collectives::redop_name(s.op) : "-",
             s.kind == Kind::kAllToAll ? std::string_view("direct")
                                       : collectives::algorithm_name(collectives::resolved_algorithm(s)),
             ok ? "match" : "MISMATCH", r.link_tx_bytes);
  return ok;
}

}  // namespace

int run_multichip_demo(const golden::Config& cfg, std::uint64_t seed) {
  fmt::print("\nMulti-chip (issue 16) on the golden system, ideal links: every chip bit-exact with the host\n");
  fmt::print("reference in the documented order, within the float64 bound, no race across chips.\n\n");
  fmt::print("{:<14} {:>5} {:>9} {:<6} {:<4} {:<19} {:<8} {:>10}\n", "collective", "chips", "bytes", "dtype", "op",
             "algorithm", "status", "link bytes");
  std::vector<Case> cases;
  if (cfg.vector_engine) {
    cases.push_back({Kind::kAllReduce, 4, 131072, golden::DType::kBf16, collectives::RedOp::kSum});
    cases.push_back({Kind::kAllReduce, 8, 1000, golden::DType::kFp32, collectives::RedOp::kSum});
    cases.push_back({Kind::kReduceScatter, 3, 5000, golden::DType::kInt32, collectives::RedOp::kMax});
  }
  cases.push_back({Kind::kAllGather, 5, 3001, golden::DType::kBf16, collectives::RedOp::kSum});
  cases.push_back({Kind::kAllToAll, 4, 4099, golden::DType::kFp32, collectives::RedOp::kSum});
  int failed = 0;
  for (const Case& c : cases) {
    try {
      failed += run_collective(cfg, c, seed++) ? 0 : 1;
    } catch (const std::exception& e) {
      fmt::print("{:<14} ERROR {}\n", collectives::kind_name(c.kind), e.what());
      ++failed;
    }
  }
  if (!cfg.vector_engine) return failed;
  try {
    kernels::TpMlpParams p;
    p.chips = 4;
    p.mlp.tokens = 32;
    p.mlp.d = 64;
    p.mlp.f = 256;
    const kernels::MlpInputs in = kernels::random_mlp_inputs(seed, p.mlp);
    auto dev = driver::make_multi_device("golden", cfg.name, p.chips);
    const kernels::TpMlpResult r = kernels::tp_mlp(*dev, p, in);
    const driver::Tensor want = kernels::reference_tp_mlp(cfg, p, in);
    bool ok = r.races.empty();
    for (const auto& y : r.y) ok = ok && y == want;
    fmt::print("{:<14} {:>5} tokens {} x d {} x f {} (F split over the chips, then an all-reduce)  {}\n", "tp-mlp",
               p.chips, p.mlp.tokens, p.mlp.d, p.mlp.f, ok ? "match" : "MISMATCH");
    failed += ok ? 0 : 1;
  } catch (const std::exception& e) {
    fmt::print("{:<14} ERROR {}\n", "tp-mlp", e.what());
    ++failed;
  }
  try {
    kernels::DpGradParams p;
    p.chips = 4;
    p.batch = 128;
    p.d_in = 48;
    p.d_out = 40;
    const kernels::DpGradInputs in = kernels::random_dp_inputs(seed, p);
    auto dev = driver::make_multi_device("golden", cfg.name, p.chips);
    const kernels::DpGradResult r = kernels::dp_gradient(*dev, p, in);
    const driver::Tensor want = kernels::reference_dp_gradient(cfg, p, in);
    bool ok = r.races.empty();
    for (const auto& dw : r.dw) ok = ok && dw == want;
    fmt::print("{:<14} {:>5} batch {} x {} -> {} (the batch split, dW all-reduced)  {}\n", "dp-gradient", p.chips,
               p.batch, p.d_in, p.d_out, ok ? "match" : "MISMATCH");
    failed += ok ? 0 : 1;
  } catch (const std::exception& e) {
    fmt::print("{:<14} ERROR {}\n", "dp-gradient", e.what());
    ++failed;
  }
  return failed;
}

}  // namespace systole::tools
