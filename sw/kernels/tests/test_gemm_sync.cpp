// GEMM kernel synchronization and structure: no vector instructions, no wait on a later signal
// (queue-depth safety, proven statically and run at queue depths 1, 2 and 4 on every
// configuration), race checker clean, and the static performance estimate.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gemm_test_util.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/golden/disasm.hpp"

using namespace systole;
using namespace systole::kernels;
using namespace systole::kernels::testing;
using golden::DType;

namespace {

GemmSpec spec(std::uint32_t M, std::uint32_t K, std::uint32_t N, DType in, DType out, Layout la = Layout::kRowMajor,
              Layout lb = Layout::kRowMajor) {
  GemmSpec s;
  s.M = M;
  s.K = K;
  s.N = N;
  s.in = in;
  s.out = out;
  s.a = {0x1000, la};
  s.b = {0x1000 + ((M * K * 2 + 4095) & ~4095u), lb};
  s.c = {s.b.addr + ((K * N * 2 + 4095) & ~4095u), Layout::kRowMajor};
  return s;
}

DType float_or_int(const golden::Config& cfg) { return cfg.bf16 ? DType::kBf16 : DType::kInt8; }

class GemmSync : public ::testing::TestWithParam<std::string> {};

}  // namespace

// The program uses only DMA, MATMUL, NOP on TENSOR and END: nothing the RTL chip lacks.
TEST_P(GemmSync, OnlyDmaMatmulNopEnd) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  const DType in = float_or_int(cfg);
  for (const DType out : {accumulator(in), in == DType::kInt8 ? DType::kInt32 : DType::kBf16}) {
    const GemmProgram p = build_gemm(cfg, spec(3 * cfg.columns + 1, 3 * cfg.partitions + 1, 70, in, out));
    for (std::size_t i = 0; i < p.instructions.size(); ++i) {
      const auto& insn = p.instructions[i];
      const golden::Opcode op = insn.opcode();
      const bool ok = op == golden::Opcode::kDma || op == golden::Opcode::kMatmul || op == golden::Opcode::kEnd ||
                      (op == golden::Opcode::kNop && insn.engine == golden::engine::kTensor);
      EXPECT_TRUE(ok) << "instruction " << i << ": " << golden::disassemble(insn);
    }
  }
}

// Static proof of queue-depth safety: every wait is reachable by earlier instructions alone
// (driver::dispatch_order_violations; the argument is in program_check.hpp). Many shapes, both modes.
TEST_P(GemmSync, NoWaitOnALaterSignal) {
  const golden::Config cfg = golden::Config::by_name(GetParam());
  const DType in = float_or_int(cfg);
  const std::uint32_t P = cfg.partitions, C = cfg.columns;
  for (const bool streaming : {false, true}) {
    for (const auto& s :
         {spec(1, 1, 1, in, accumulator(in)), spec(5 * C + 1, 9 * P + 1, 3 * cfg.nmax + 1, in, accumulator(in)),
          spec(C, 2 * P, 5, in, accumulator(in), Layout::kColMajor, Layout::kColMajor)}) {
      const GemmOptions o = streaming ? small_stages(cfg, in) : GemmOptions{};
      const GemmProgram p = build_gemm(cfg, s, o);
      const auto v = driver::dispatch_order_violations(p.instructions);
      EXPECT_TRUE(v.empty()) << v.front().describe();
      EXPECT_FALSE(p.estimate.deadlock);
    }
  }
}

// ... and in practice: the golden model stops with WATCHDOG when no engine can progress, so
// running with queue depths 1, 2 and 4 (besides the configuration's own) shows no deadlock.
TEST_P(GemmSync, RunsAtQueueDepthsOneTwoFour) {
  golden::Config base = golden::Config::by_name(GetParam());
  const bool large = base.partitions > 32;
  for (const std::uint32_t depth : {1u, 2u, 4u, base.queue_depth}) {
    golden::Config cfg = base;
    cfg.queue_depth = depth;
    auto dev = golden_device(cfg);
    std::mt19937_64 rng(seed() + depth);
    const DType in = float_or_int(cfg);
    const std::uint32_t P = cfg.partitions, C = cfg.columns;
    Case resident{2 * C + 1, (large ? 1 : 4) * P + 3, large ? 40 : cfg.nmax + 7, in, accumulator(in)};
    run_and_check(*dev, resident, rng);
    if (!large) {
      Case blocks{3 * C, 2 * P + 1, 40, in, accumulator(in), Layout::kColMajor, Layout::kColMajor};
      blocks.opts.max_block_n = 9;
      run_and_check(*dev, blocks, rng);
      Case streaming{2 * C + 1, 6 * P + 1, 33, in, accumulator(in), Layout::kRowMajor, Layout::kColMajor};
      streaming.opts = small_stages(cfg, in);
      run_and_check(*dev, streaming, rng);
    }
    if (::testing::Test::HasFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, GemmSync, ::testing::Values("tiny", "fpga", "default", "large"),
                         [](const auto& info) { return info.param; });

// The design point of the kernel: bf16 1024^3 on `default`. The static model (4 DMA queues at one
// element per cycle, 100-cycle DRAM latency) must predict >= 90% array utilization; docs/software.md
// section 5.4 quotes these numbers.
TEST(GemmEstimate, Default1024CubedBf16AboveNinetyPercent) {
  const golden::Config cfg = golden::Config::standard();
  GemmSpec s = spec(1024, 1024, 1024, DType::kBf16, DType::kFp32);
  s.b.addr = 0x400000;
  s.c.addr = 0x800000;
  const GemmProgram p = build_gemm(cfg, s);
  const auto& e = p.estimate;
  const std::uint64_t ideal = (std::uint64_t{1} << 30) / (cfg.partitions * cfg.columns);
  RecordProperty("cycles", std::to_string(e.cycles));
  std::printf("plan: %s\nestimate: %llu cycles (ideal %llu), utilization %.2f%%, %llu instructions, DRAM read %llu "
              "written %llu bytes\n",
              p.plan.describe().c_str(), static_cast<unsigned long long>(e.cycles),
              static_cast<unsigned long long>(ideal), 100 * e.utilization,
              static_cast<unsigned long long>(e.instructions), static_cast<unsigned long long>(e.dram_rd_bytes),
              static_cast<unsigned long long>(e.dram_wr_bytes));
  for (std::size_t q = 0; q < e.dma_busy.size(); ++q) {
    std::printf("  DMA%zu busy %llu cycles (%.1f%%)\n", q, static_cast<unsigned long long>(e.dma_busy[q]),
                100.0 * e.dma_busy[q] / e.cycles);
  }
  EXPECT_EQ(e.macs, std::uint64_t{1} << 30);
  EXPECT_GE(e.utilization, 0.90);
  EXPECT_EQ(p.plan.mode, GemmMode::kResidentB);
  EXPECT_GE(p.plan.chunk_n, cfg.partitions + 2 * cfg.columns + 2);  // back-to-back without bubbles
}

// The model is honest about what the kernel cannot fix: with K <= P every output element costs
// one DMA element for P x C MACs / K, so small-K GEMMs are DMA-bound.
TEST(GemmEstimate, SmallKIsDmaBound) {
  const golden::Config cfg = golden::Config::standard();
  GemmSpec s = spec(256, 16, 1024, DType::kBf16, DType::kFp32);
  const GemmProgram p = build_gemm(cfg, s);
  EXPECT_LT(p.estimate.utilization, 0.5);
  EXPECT_GT(p.estimate.utilization, 0.1);
}
