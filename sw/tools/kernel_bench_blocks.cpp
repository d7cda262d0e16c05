// systole-kernel-bench's tables for the composed kernels (kernel_bench_blocks.hpp).
#include "kernel_bench_blocks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "systole/kernels/encoder.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::tools {

std::vector<std::uint32_t> parse_dims(const std::string& s, std::size_t count) {
  std::vector<std::uint32_t> v;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, 'x')) {
    try {
      std::size_t used = 0;
      const unsigned long x = std::stoul(part, &used);
      if (used != part.size() || x == 0 || x > 65536) throw std::invalid_argument(part);
      v.push_back(static_cast<std::uint32_t>(x));
    } catch (const std::exception&) {
      throw std::invalid_argument(fmt::format("'{}': expected {} numbers 1..65536 joined by 'x'", s, count));
    }
  }
  if (v.size() != count) throw std::invalid_argument(fmt::format("'{}': expected {} numbers joined by 'x'", s, count));
  return v;
}

BenchVerdict bench_mlp(sim::RtlDevice& dev, const std::vector<std::string>& shapes, std::uint64_t& seed,
                       double min_of_bound, double dram_bytes_per_cycle) {
  const golden::Config& cfg = dev.config();
  BenchVerdict v;
  if (shapes.empty()) return v;
  // The roofline: max(2 T D F / (P C), DRAM bytes / bandwidth), the bytes the kernel moves
  // (X, the weights once or per token tile, biases, Y: docs/kernels.md section 9.3).
  fmt::print(
      "\n| MLP (gelu_tanh, residual) | T | D | F | plan | cycles | bound | of bound | utilization | tensor busy | "
      "vector busy | DMA busy | result | wall s |\n");
  fmt::print("|:---|---:|---:|---:|:---|---:|---:|---:|---:|---:|---:|---:|:---|---:|\n");
  for (const std::string& s : shapes) {
    const std::vector<std::uint32_t> dims = parse_dims(s, 3);
    kernels::MlpParams p;
    p.tokens = dims[0];
    p.d = dims[1];
    p.f = dims[2];
    const kernels::MlpInputs in = kernels::random_mlp_inputs(seed++, p);
    const auto t0 = std::chrono::steady_clock::now();
    const kernels::MlpHostResult r = kernels::mlp(dev, p, in);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const kernels::MlpReference ref = kernels::reference_mlp(cfg, p, in);
    const auto& c = r.result.counters;
    const bool ok = r.y == ref.y && kernels::check_mlp_float64(p, in, ref, r.y).ok() &&
                    c.dram_rd_bytes == r.program.dram_rd_bytes && c.dram_wr_bytes == r.program.dram_wr_bytes;
    const double cycles = static_cast<double>(c.cycles.value_or(1));
    const double compute = static_cast<double>(r.program.macs) / (cfg.partitions * cfg.columns);
    const double memory = static_cast<double>(r.program.dram_rd_bytes + r.program.dram_wr_bytes) / dram_bytes_per_cycle;
    const double bound = std::max(compute, memory);
    v.ok = v.ok && ok;
    v.fast = v.fast && bound / cycles >= min_of_bound;
    auto share = [&](const std::optional<std::uint64_t>& busy) {
      return 100.0 * static_cast<double>(busy.value_or(0)) / cycles;
    };
    fmt::print("| mlp | {} | {} | {} | {} tiles of {}, weights {} | {:.0f} | {:.0f} | {:.1f}% | {:.1f}% | {:.1f}% | "
               "{:.1f}% | {:.1f}% | {} | {:.0f} |\n",
               p.tokens, p.d, p.f, r.program.plan.tiles, r.program.plan.tile,
               r.program.plan.resident ? "resident" : "streamed", cycles, bound, 100 * bound / cycles,
               100 * r.program.utilization(cfg, c.cycles.value_or(0)), share(c.busy_tensor), share(c.busy_vec),
               share(c.busy_dma), ok ? "bit-exact, within float64 bound" : "MISMATCH", wall);
    std::fflush(stdout);
  }
  return v;
}

std::optional<kernels::Conv2dParams> resnet50_layer(const std::string& name) {
  struct Layer {
    const char* name;
    std::uint32_t h, cin, cout, k, stride;
  };
  static constexpr Layer kLayers[] = {
      {"conv2-1x1", 56, 64, 64, 1, 1},     {"conv2-3x3", 56, 64, 64, 3, 1},
      {"conv2-1x1-up", 56, 64, 256, 1, 1}, {"conv3-3x3-s2", 56, 128, 128, 3, 2},
      {"conv3-3x3", 28, 128, 128, 3, 1},   {"conv4-3x3", 14, 256, 256, 3, 1},
      {"conv5-3x3", 7, 512, 512, 3, 1},    {"conv5-1x1-down-s2", 14, 1024, 2048, 1, 2},
  };
  for (const Layer& l : kLayers) {
    if (name != l.name) continue;
    kernels::Conv2dParams p;
    p.h = p.w = l.h;
    p.cin = l.cin;
    p.cout = l.cout;
    p.kh = p.kw = l.k;
    p.stride_h = p.stride_w = l.stride;
    p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = l.k / 2;
    p.bias = true;
    p.activation = "relu";
    return p;
  }
  return std::nullopt;
}

BenchVerdict bench_conv2d(sim::RtlDevice& dev, const std::vector<std::string>& layers, std::uint32_t batch,
                          std::uint64_t& seed, double min_of_roofline, double dram_bytes_per_cycle) {
  const golden::Config& cfg = dev.config();
  BenchVerdict v;
  if (layers.empty()) return v;
  fmt::print(
      "\n| conv2d (ResNet-50, bias + relu) | N | input | kernel | Cin -> Cout | stride | plan | cycles | roofline | "
      "of roofline | tensor busy | DMA busy | result | wall s |\n");
  fmt::print("|:---|---:|---:|---:|---:|---:|:---|---:|---:|---:|---:|---:|:---|---:|\n");
  for (const std::string& name : layers) {
    kernels::Conv2dParams p = *resnet50_layer(name);
    p.n = batch;
    const kernels::Conv2dInputs in = kernels::random_conv2d_inputs(seed++, p);
    const auto t0 = std::chrono::steady_clock::now();
    const kernels::Conv2dHostResult r = kernels::conv2d(dev, p, in);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& c = r.result.counters;
    const bool ok = r.y == kernels::reference_conv2d(cfg, p, in) && kernels::check_conv2d_float64(p, in, r.y).ok() &&
                    c.dram_rd_bytes == r.program.dram_rd_bytes && c.dram_wr_bytes == r.program.dram_wr_bytes;
    const double cycles = static_cast<double>(c.cycles.value_or(1));
    const double roof = kernels::conv2d_roofline_cycles(cfg, p, dram_bytes_per_cycle);
    v.ok = v.ok && ok;
    v.fast = v.fast && roof / cycles >= min_of_roofline;
    fmt::print(
        "| {} | {} | {}x{} | {}x{} | {} -> {} | {} | {} tiles of {} px, weights {} | {:.0f} | {:.0f} | {:.1f}% | "
        "{:.1f}% | {:.1f}% | {} | {:.0f} |\n",
        name, p.n, p.h, p.w, p.kh, p.kw, p.cin, p.cout, p.stride_h, r.program.plan.tiles, r.program.plan.npix,
        r.program.plan.resident ? "resident" : "streamed", cycles, roof, 100 * roof / cycles,
        100.0 * static_cast<double>(c.busy_tensor.value_or(0)) / cycles,
        100.0 * static_cast<double>(c.busy_dma.value_or(0)) / cycles,
        ok ? "bit-exact, within float64 bound" : "MISMATCH", wall);
    std::fflush(stdout);
  }
  return v;
}

BenchVerdict bench_encoder(sim::RtlDevice& dev, const std::vector<std::string>& shapes, std::uint64_t& seed) {
  const golden::Config& cfg = dev.config();
  BenchVerdict v;
  if (shapes.empty()) return v;
  fmt::print("\n| encoder layer | S | D | H | F | cycles | utilization | q+k+v | attention | wo | layernorm1 | mlp | "
             "layernorm2 | result | wall s |\n");
  fmt::print("|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|---:|\n");
  for (const std::string& s : shapes) {
    kernels::EncoderParams p;
    if (s == "bert-base-layer") {
      p = kernels::bert_base_layer();
    } else {
      const std::vector<std::uint32_t> d = parse_dims(s, 4);
      p.seq = d[0];
      p.d = d[1];
      p.heads = d[2];
      p.f = d[3];
    }
    const kernels::EncoderWeights w = kernels::random_encoder_weights(seed, p);
    const driver::Tensor x = kernels::random_encoder_input(seed++, p);
    const auto t0 = std::chrono::steady_clock::now();
    const kernels::EncoderResult r = kernels::encoder_layer(dev, p, w, x);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool ok = kernels::first_encoder_mismatch(r.t, kernels::reference_encoder(cfg, p, w, x)).empty() &&
                    kernels::check_encoder_float64(cfg, p, w, x, r.t).ok() && r.bytes_as_stated();
    v.ok = v.ok && ok;
    const double cycles = static_cast<double>(r.cycles());
    std::vector<double> share;
    double qkv = 0;
    for (const auto& st : r.stages) {
      const double c = static_cast<double>(st.result.counters.cycles.value_or(0));
      if (st.name == "q" || st.name == "k" || st.name == "v") {
        qkv += c;
        if (st.name == "v") share.push_back(qkv);
      } else {
        share.push_back(c);
      }
    }
    std::string cols;
    for (double c : share) cols += fmt::format(" {:.1f}% |", 100 * c / cycles);
    fmt::print("| {} | {} | {} | {} | {} | {:.0f} | {:.1f}% |{} {} | {:.0f} |\n", s, p.seq, p.d, p.heads, p.f, cycles,
               100 * static_cast<double>(p.macs()) / (cycles * cfg.partitions * cfg.columns), cols,
               ok ? "bit-exact, within float64 bounds" : "MISMATCH", wall);
    std::fflush(stdout);
  }
  return v;
}

}  // namespace systole::tools
