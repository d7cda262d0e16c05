// The "dma" case kind (dma_case.hpp): parameters are deterministic and validated; the generated
// programs cover every space pair, cast, queue and semaphores, pass the golden static checks and
// race checker (and race without their waits); random programs on the tiny and fpga chips match
// the golden device; a corrupted RTL result is reported at the right address; shrink() reaches a
// one-DMA program under a synthetic failure.
#include <gtest/gtest.h>

#include <set>

#include "dma_case.hpp"
#include "dma_patterns.hpp"
#include "dram_knobs.hpp"
#include "systole/driver/golden_device.hpp"
#include "systole/sim/chip_sim.hpp"
#include "systole/sim/rtl_device.hpp"
#include "test_seed.hpp"

namespace systole::verif::regress {
using namespace systole::sim;  // the simulated chip and its models (sim/)
namespace {

using golden::Space;

golden::Config chip_cfg(const std::string& name) { return golden::Config::by_name(name); }

DmaProgram program(const std::string& cfg, std::uint64_t seed, const Params& p) {
  return build_dma_program(chip_cfg(cfg), seed, DmaGenParams::from(p, chip_cfg(cfg)), 4096);
}

// Runs a program on the golden device alone; returns the race reports ("ERROR ..." on a stop).
std::vector<std::string> golden_races(const golden::Config& cfg, const DmaProgram& prog) {
  driver::GoldenDevice gold(cfg, 1u << 20, true);
  const std::uint32_t base = gold.alloc(dma_workspace_bytes(cfg), 4096);
  EXPECT_EQ(base, prog.layout.base);
  gold.upload(base, prog.image);
  std::vector<golden::EncodedInstruction> words;
  for (const auto& i : prog.items) words.push_back(golden::encode(i.insn));
  driver::RunOptions ro;
  ro.windows = prog.windows;
  try {
    return gold.run(words, ro).races;
  } catch (const std::exception& e) {
    return {std::string("ERROR ") + e.what()};
  }
}

TEST(DmaCase, ParamsAreDeterministicAndValidated) {
  const CaseKind& k = dma_kind();
  EXPECT_EQ(k.name(), "dma");
  const std::uint64_t s = test_seed();
  for (const char* cfg : {"tiny", "fpga", "default"}) {
    for (std::uint64_t i = 0; i < 20; ++i) {
      const Params p = k.generate(cfg, s + i);
      EXPECT_EQ(p, k.generate(cfg, s + i)) << cfg << " " << replay_command();
      EXPECT_EQ(parse_params(params_text(p)), p);
      EXPECT_TRUE(p.count("dram_rl") && p.count("n_insn") && p.count("mix"));
      const CoverageKey c = k.coverage(cfg, p);
      EXPECT_EQ(c.shape_class, "dma");
      EXPECT_EQ(c.values, "random");
      EXPECT_FALSE(c.accumulate);
      EXPECT_EQ(c.stall, stall_class(p));
      // The same (config, seed, params) is the same program.
      EXPECT_EQ(program(cfg, s + i, p).instructions(), program(cfg, s + i, p).instructions());
    }
    EXPECT_NE(k.generate(cfg, s), k.generate(cfg, s + 1));
  }
  const Params good = k.generate("tiny", s);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{{"n_insn", "0"},
                                                                                   {"queues", "3"},
                                                                                   {"mix", "000000000"},
                                                                                   {"mix", "12"},
                                                                                   {"casts", "fp32->int8"},
                                                                                   {"drop", "999"},
                                                                                   {"max_elems", "x"},
                                                                                   {"bogus", "1"},
                                                                                   {"dram_rl", "0"}}) {
    Params p = good;
    p[key] = value;
    EXPECT_THROW(k.run("tiny", s, p), std::invalid_argument) << key << "=" << value;
  }
}

// Without the RTL: many programs, all legal and race-free, covering what the kind promises.
TEST(DmaCase, GeneratedProgramsAreLegalRaceFreeAndCover) {
  const CaseKind& k = dma_kind();
  const std::uint64_t s = test_seed();
  for (const char* name : {"tiny", "fpga", "default"}) {
    const golden::Config cfg = chip_cfg(name);
    std::array<unsigned, 9> pairs{};
    std::set<std::string> casts, stalls;
    std::set<std::uint8_t> engines, sems;
    unsigned pdims = 0, waits = 0, nops = 0, raced_without_waits = 0;
    for (std::uint64_t i = 0; i < 100; ++i) {
      const Params p = k.generate(name, s + i);
      const DmaProgram prog = program(name, s + i, p);  // throws on a static-check failure
      for (unsigned j = 0; j < 9; ++j) pairs[j] += prog.pairs[j];
      pdims += prog.pdim_patterns;
      waits += prog.sync_waits;
      nops += prog.nops;
      stalls.insert(stall_class(p));
      for (const auto& it : prog.items) {
        engines.insert(it.insn.engine);
        if (it.insn.sync.wait_en) sems.insert(it.insn.sync.wait_sem);
        if (const auto* d = std::get_if<golden::Dma>(&it.insn.op); d && d->src.dtype != d->dst.dtype) {
          casts.insert(fmt::format("{}->{}", golden::dtype_name(d->src.dtype), golden::dtype_name(d->dst.dtype)));
        }
      }
      const auto races = golden_races(cfg, prog);
      ASSERT_TRUE(races.empty()) << name << " seed " << s + i << ": " << races.front() << "\n"
                                 << describe_dma_case(name, s + i, p) << "\n"
                                 << replay_command();
      // The waits are what keeps it race-free: without them the checker objects.
      if (prog.sync_waits > 0 && i % 5 == 0) {
        DmaProgram loose = prog;
        for (auto& it : loose.items) {
          it.insn.sync.wait_en = false;
          it.insn.sync.wait_sem = 0;
          it.insn.sync.wait_value = 0;
        }
        raced_without_waits += !golden_races(cfg, loose).empty();
      }
    }
    for (unsigned j = 0; j < 9; ++j) EXPECT_GE(pairs[j], 10u) << name << " space pair " << j;
    EXPECT_EQ(casts.size(), 3u) << name;
    EXPECT_EQ(engines.size(), cfg.dma_queues + 1) << name << ": every DMA queue and SEQ";
    EXPECT_GE(sems.size(), 8u) << name;
    EXPECT_GE(stalls.size(), 3u) << name;  // "latency" alone is rare in draw_dram (~0.5%)
    EXPECT_GT(pdims, 100u) << name;
    EXPECT_GT(waits, 50u) << name;
    EXPECT_GT(nops, 20u) << name;
    EXPECT_GT(raced_without_waits, 3u) << name;
  }
}

class DmaCaseRtl : public ::testing::TestWithParam<std::string> {};

TEST_P(DmaCaseRtl, RandomProgramsMatchGolden) {
  const std::string cfg = GetParam();
  const CaseKind& k = dma_kind();
  const std::uint64_t s = test_seed(true);
  for (std::uint64_t i = 0; i < 100; ++i) {
    const Params p = k.generate(cfg, s + i);
    const Outcome o = k.run(cfg, s + i, p);
    EXPECT_TRUE(o.pass) << cfg << " seed " << s + i << " params " << params_text(p) << "\n"
                        << o.message << "\n"
                        << describe_dma_case(cfg, s + i, p) << "\n"
                        << replay_command();
    EXPECT_GT(o.cycles, 0u);
    EXPECT_EQ(o.macs, 0u);
  }
}

// tiny and fpga, those of them this build has a model of (SYSTOLE_CHIP_CONFIGS).
std::vector<std::string> dma_rtl_configs() {
  std::vector<std::string> v;
  for (const std::string& c : chip_configs())
    if (c == "tiny" || c == "fpga") v.push_back(c);
  return v;
}
INSTANTIATE_TEST_SUITE_P(Configs, DmaCaseRtl, ::testing::ValuesIn(dma_rtl_configs()));
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DmaCaseRtl);

// The comparison can fail: bytes changed in the RTL's DRAM after the run are reported at their
// address, with both values and the instruction that wrote them.
TEST(DmaCase, CorruptedRtlResultIsReported) {
  const std::uint64_t s = test_seed();
  Params p = dma_kind().generate("tiny", s);
  p["n_insn"] = "6";
  std::uint32_t flipped = 0;
  const auto flip = [&](auto pick) {
    return DmaRunHooks{[&, pick](RtlDevice& rtl, const DmaProgram& prog) {
      flipped = pick(prog);
      const std::uint8_t v = rtl.sim().memory().load<std::uint8_t>(flipped);
      rtl.sim().memory().store<std::uint8_t>(flipped, static_cast<std::uint8_t>(v ^ 0x10));
    }};
  };
  // A byte of the SBUF dump (written by the dump DMA).
  Outcome o = run_dma_case("tiny", s, p, flip([](const DmaProgram& prog) { return prog.layout.sb_dump + 5; }));
  EXPECT_FALSE(o.pass);
  EXPECT_NE(o.message.find(fmt::format("DRAM byte 0x{:x} (dump of SBUF partition 0", flipped)), std::string::npos)
      << o.message;
  EXPECT_NE(o.message.find("(1 bytes differ"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("that SBUF byte was last written by instruction"), std::string::npos) << o.message;
  // A guard byte nobody writes.
  o = run_dma_case("tiny", s, p, flip([](const DmaProgram& prog) { return prog.layout.base + 3; }));
  EXPECT_FALSE(o.pass);
  EXPECT_NE(o.message.find(fmt::format("DRAM byte 0x{:x}", flipped)), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("no instruction writes it"), std::string::npos) << o.message;
  // Untouched, the same case passes.
  o = run_dma_case("tiny", s, p);
  EXPECT_TRUE(o.pass) << o.message << "\n" << replay_command();
}

// A greedy minimizer (as the runner's) with a synthetic failure "the program has a random DMA
// out of PSUM": shrink() must take it down to that one DMA.
TEST(DmaCase, ShrinkReducesInstructions) {
  const CaseKind& k = dma_kind();
  const std::uint64_t s = test_seed();
  auto from_psum = [](const DmaProgram& prog) {
    unsigned n = 0;
    for (const auto& it : prog.items) {
      const auto* d = std::get_if<golden::Dma>(&it.insn.op);
      n += d && it.role.rfind("random", 0) == 0 && d->src.space == Space::kPsum;
    }
    return n;
  };
  unsigned done = 0;
  for (std::uint64_t i = 0; i < 40 && done < 5; ++i) {
    Params p = k.generate("fpga", s + i);
    if (from_psum(program("fpga", s + i, p)) == 0 || std::stoul(p.at("n_insn")) < 6) continue;
    const unsigned n0 = static_cast<unsigned>(std::stoul(p.at("n_insn")));
    const auto first = k.shrink("fpga", p);
    ASSERT_FALSE(first.empty());
    EXPECT_EQ(first.front().at("n_insn"), std::to_string(n0 / 2));
    for (int steps = 0; steps < 500; ++steps) {
      bool progressed = false;
      for (const Params& q : k.shrink("fpga", p)) {
        if (from_psum(program("fpga", s + i, q)) > 0) {
          p = q;
          progressed = true;
          break;
        }
      }
      if (!progressed) break;
    }
    const DmaProgram prog = program("fpga", s + i, p);
    EXPECT_EQ(prog.random_dmas, 1u) << params_text(p);
    EXPECT_EQ(from_psum(prog), 1u);
    EXPECT_EQ(p.at("dram_reorder"), "0");
    ++done;
  }
  EXPECT_GE(done, 3u);
}

}  // namespace
}  // namespace systole::verif::regress
