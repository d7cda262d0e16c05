// The "vector" case kind (vec_case.hpp): parameters are deterministic and validated; the kind
// runs only where there is a vector engine; the generated programs pass the golden static
// checks and race checker and, over a few hundred seeds, reach every opcode x dtype x function
// bin; random programs on the fpga and default chips match the golden device, including
// programs that stop with TABLE_ERROR (then a correct program runs after the soft reset).
#include <gtest/gtest.h>

#include <set>

#include "systole/driver/golden_device.hpp"
#include "systole/golden/disasm.hpp"
#include "systole/sim/chip_sim.hpp"
#include "test_seed.hpp"
#include "vec_case.hpp"

namespace systole::verif::regress {
namespace {

VecProgram program(const std::string& cfg, std::uint64_t seed, const Params& p) {
  const golden::Config c = golden::Config::by_name(cfg);
  return build_vec_program(c, seed, VecGenParams::from(p, c), 4096);
}

// Runs a program on the golden device alone: its race reports, or "stop <code>" on an error.
std::vector<std::string> golden_run(const golden::Config& cfg, const VecProgram& prog) {
  driver::GoldenDevice gold(cfg, 2u << 20, true);
  const std::uint32_t base = gold.alloc(vec_workspace_bytes(cfg), 4096);
  EXPECT_EQ(base, prog.layout.base);
  gold.upload(base, prog.image);
  std::vector<golden::EncodedInstruction> words;
  for (const auto& i : prog.items) words.push_back(golden::encode(i.insn));
  driver::RunOptions ro;
  ro.windows = prog.windows;
  try {
    return gold.run(words, ro).races;
  } catch (const driver::DeviceError& e) {
    return {std::string("stop ") + std::string(golden::error_name(e.code()))};
  }
}

// The disassembly of the instruction a race report names first ("instruction N ..."), for the
// failure message.
std::string named_instruction(const VecProgram& prog, const std::string& report) {
  const std::size_t at = report.find("instruction ");
  if (at == std::string::npos) return {};
  const std::size_t index = std::stoul(report.substr(at + 12));
  return index < prog.items.size() ? "\n  " + golden::disassemble(prog.items[index].insn) : std::string{};
}

TEST(VecCase, ParamsAreDeterministicAndValidated) {
  const CaseKind& k = vec_kind();
  EXPECT_EQ(k.name(), "vector");
  EXPECT_FALSE(k.supports("tiny"));
  EXPECT_TRUE(k.supports("fpga"));
  EXPECT_TRUE(k.supports("default"));
  EXPECT_THROW(program("tiny", 1, {}), std::invalid_argument);
  const std::uint64_t s = test_seed();
  for (const char* cfg : {"fpga", "default"}) {
    for (std::uint64_t i = 0; i < 10; ++i) {
      const Params p = k.generate(cfg, s + i);
      EXPECT_EQ(p, k.generate(cfg, s + i)) << cfg << " " << replay_command();
      EXPECT_EQ(parse_params(params_text(p)), p);
      EXPECT_TRUE(p.count("dram_rl") && p.count("n_insn") && p.count("tables"));
      EXPECT_EQ(k.coverage(cfg, p).shape_class, "vector");
      EXPECT_EQ(program(cfg, s + i, p).instructions(), program(cfg, s + i, p).instructions());
      EXPECT_EQ(k.bins(cfg, s + i, p), program(cfg, s + i, p).bins);
    }
  }
  const Params good = k.generate("fpga", s);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{{"n_insn", "0"},
                                                                                   {"queues", "5"},
                                                                                   {"vec", "10"},
                                                                                   {"tables", "2"},
                                                                                   {"values", "huge"},
                                                                                   {"drop", "999"},
                                                                                   {"bogus", "1"}}) {
    Params p = good;
    p[key] = value;
    try {
      (void)program("fpga", s, p);
      ADD_FAILURE() << key << "=" << value << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
  Params none = good;
  none["vec"] = none["mm"] = none["dma"] = "0";
  EXPECT_THROW(program("fpga", s, none), std::invalid_argument);
}

// Every bin of the grid within 400 generated programs (generation only), and the first of them
// legal and race-free on the golden device.
TEST(VecCase, ProgramsReachEveryBinAndAreRaceFree) {
  const CaseKind& k = vec_kind();
  const golden::Config cfg = golden::Config::by_name("default");
  std::set<std::string> hit;
  unsigned matmuls = 0, dmas = 0, stops = 0;
  const std::uint64_t s = test_seed();
  for (std::uint64_t i = 0; i < 400; ++i) {
    const Params p = k.generate("default", s + i);
    const VecProgram prog = program("default", s + i, p);
    hit.insert(prog.bins.begin(), prog.bins.end());
    matmuls += prog.matmuls;
    dmas += prog.dmas;
    if (i < 40) {
      const auto r = golden_run(cfg, prog);
      if (!r.empty() && r.front() == "stop TABLE_ERROR") {
        ++stops;
      } else {
        EXPECT_TRUE(r.empty()) << "seed " << s + i << ": " << r.front() << named_instruction(prog, r.front()) << "\n"
                               << replay_command();
      }
    }
  }
  for (const std::string& b : vec_bin_grid()) EXPECT_TRUE(hit.count(b)) << "bin never generated: " << b;
  EXPECT_GT(matmuls, 100u);
  EXPECT_GT(dmas, 100u);
  EXPECT_GT(stops, 0u) << "no program stopped with TABLE_ERROR";
}

// Random programs on the chips with a vector engine that this build has models of (fpga and
// default), bit-exact with the golden device; with tables=0 the ACTIVATE TABLEs stop the
// program, on both, at the same instruction.
TEST(VecCaseRtl, RandomProgramsMatchGolden) {
  const CaseKind& k = vec_kind();
  const std::uint64_t s = test_seed();
  unsigned chips = 0;
  for (const std::string& cfg : sim::chip_configs()) {
    if (!k.supports(cfg)) continue;
    ++chips;
    for (std::uint64_t i = 0; i < 4; ++i) {
      Params p = k.generate(cfg, s + i);
      if (i == 3) p["tables"] = "0", p["vec"] = "9", p["n_insn"] = "24";
      const Outcome o = k.run(cfg, s + i, p);
      EXPECT_TRUE(o.pass) << cfg << " seed " << s + i << " " << params_text(p) << ": " << o.message << "\n"
                          << describe_vec_case(cfg, s + i, p) << "\n"
                          << replay_command();
    }
  }
  EXPECT_GT(chips, 0u) << "no chip model with a vector engine in this build";
}

}  // namespace
}  // namespace systole::verif::regress
