// --timeline (sim/timeline.hpp): the trace-event file of a GEMM on the Verilated chip is valid
// Chrome/Perfetto JSON, and its instruction spans agree with the chip's own counters: one span
// per instruction of each engine, the last one ending when CYCLES says the program ended, the
// DRAM read counter track carrying at least the bytes DRAM_RD_BYTES counts.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>

#include "systole/kernels/gemm.hpp"
#include "systole/kernels/gemm_check.hpp"
#include "systole/sim/chip_sim.hpp"
#include "systole/sim/rtl_device.hpp"

namespace systole::verif {
namespace {

using nlohmann::json;

TEST(ChipTimeline, SpansAgreeWithTheCounters) {
  const auto cfgs = sim::chip_configs();
  const std::string cfg_name = std::find(cfgs.begin(), cfgs.end(), "tiny") != cfgs.end() ? "tiny" : cfgs.front();
  sim::RtlDevice dev(cfg_name);
  const auto path =
      std::filesystem::temp_directory_path() / ("systole_timeline_" + std::to_string(::getpid()) + ".json");
  dev.enable_timeline(path.string());
  std::mt19937_64 rng(5);
  const golden::DType in = golden::DType::kInt8;
  const driver::Tensor a = kernels::random_matrix(rng, in, 9, 21);
  const driver::Tensor b = kernels::random_matrix(rng, in, 21, 30);
  const kernels::GemmHostResult r = kernels::gemm(dev, a, b, golden::DType::kInt32);
  ASSERT_LT(kernels::first_mismatch(r.c, kernels::reference_gemm(dev.config(), a, b, golden::DType::kInt32)), 0);
  const driver::Counters& k = r.run.result.counters;

  std::ifstream f(path);
  ASSERT_TRUE(f.good()) << path;
  const json j = json::parse(f);  // throws (fails the test) on malformed JSON
  std::filesystem::remove(path);
  ASSERT_TRUE(j.contains("traceEvents") && j["traceEvents"].is_array());

  // Expected instructions per track: track 0 the tensor engine, 1 + q DMA queue q, then SEQ.
  const unsigned slots = dev.config().dma_queues + 1;
  std::map<unsigned, unsigned> want;
  for (const golden::Instruction& insn : r.run.program.instructions) {
    const unsigned t = insn.engine == golden::engine::kSeq      ? slots
                       : insn.engine == golden::engine::kTensor ? 0
                                                                : 1u + (insn.engine - golden::engine::kDma0);
    ++want[t];
  }
  std::map<unsigned, unsigned> got;
  std::uint64_t last_end = 0, spans = 0;
  double read_bytes = 0;
  std::uint64_t prev_c = 0;
  bool first_c = true;
  for (const json& e : j["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid")) << e.dump();
    const std::string ph = e["ph"];
    ASSERT_TRUE(ph == "X" || ph == "M" || ph == "C") << e.dump();
    if (ph == "X") {
      ASSERT_TRUE(e.contains("ts") && e.contains("dur") && e.contains("tid") && e.contains("name")) << e.dump();
      EXPECT_GE(e["dur"].get<std::uint64_t>(), 1u) << e.dump();
      if (e["cat"] == "insn") {
        ++got[e["tid"].get<unsigned>() / 16];
        ++spans;
        last_end = std::max(last_end, e["ts"].get<std::uint64_t>() + e["dur"].get<std::uint64_t>());
        ASSERT_TRUE(e.contains("args") && e["args"].contains("index")) << e.dump();
      }
    } else if (ph == "C") {
      const std::uint64_t ts = e["ts"];
      if (!first_c) read_bytes += e["args"]["read"].get<double>() * static_cast<double>(ts - prev_c);
      first_c = false;
      prev_c = ts;
    }
  }
  EXPECT_EQ(got, want) << "one span per instruction of each engine";
  EXPECT_EQ(spans, k.instructions) << "the INSTRUCTIONS counter";
  ASSERT_TRUE(k.cycles.has_value());
  // CYCLES counts from START to END's completion; the spans are cycles from the START write.
  EXPECT_NEAR(static_cast<double>(last_end), static_cast<double>(*k.cycles), 8.0);
  // The bandwidth windows end at the last full window: they carry at most the beats' bytes and,
  // with the tail, at least what DRAM_RD_BYTES counts minus one window's worth.
  const double bus = dev.config().axi_data_bits / 8.0;
  EXPECT_GE(read_bytes + 64 * bus, static_cast<double>(k.dram_rd_bytes));
}

TEST(ChipTimeline, OtherBackendsSayTheyHaveNoCycles) {
  auto gold = driver::make_device("golden", "tiny");
  EXPECT_THROW(gold->enable_timeline("x.json"), std::runtime_error);
}

}  // namespace
}  // namespace systole::verif
