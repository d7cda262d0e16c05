// The "link" case kind (link_case.hpp): parameters are deterministic and validated; tiny gets
// no reductions; shrinking gives valid smaller cases; random collectives pass on the golden
// system; the generator reaches every bin of the grid over enough seeds.
#include <gtest/gtest.h>

#include <set>

#include "link_case.hpp"
#include "test_seed.hpp"

namespace systole::verif::regress {
namespace {

TEST(LinkCase, ParamsAreDeterministicAndValidated) {
  const CaseKind& k = link_kind();
  EXPECT_EQ(k.name(), "link");
  const std::uint64_t s = test_seed();
  for (const char* cfg : {"tiny", "fpga", "default"}) {
    const golden::Config c = golden::Config::by_name(cfg);
    for (std::uint64_t i = 0; i < 40; ++i) {
      const Params p = k.generate(cfg, s + i);
      EXPECT_EQ(p, k.generate(cfg, s + i)) << cfg << " " << replay_command();
      EXPECT_EQ(parse_params(params_text(p)), p);
      EXPECT_NO_THROW(parse_link_case(c, p)) << params_text(p);
      if (std::string(cfg) == "tiny") {
        EXPECT_TRUE(p.at("collective") != "allreduce" && p.at("collective") != "reducescatter") << params_text(p);
      }
      for (const Params& q : k.shrink(cfg, p)) {
        EXPECT_NO_THROW(parse_link_case(c, q)) << params_text(q);
        EXPECT_NE(q, p);
      }
    }
  }
  Params bad = k.generate("fpga", 1);
  bad["dtype"] = "int8";
  EXPECT_THROW(parse_link_case(golden::Config::fpga(), bad), std::invalid_argument);
  bad = k.generate("fpga", 1);
  bad["chips"] = "17";
  EXPECT_THROW(parse_link_case(golden::Config::fpga(), bad), std::invalid_argument);
}

TEST(LinkCase, RandomCollectivesPassOnTheGoldenSystem) {
  const CaseKind& k = link_kind();
  const std::uint64_t s = test_seed();
  for (const char* cfg : {"tiny", "fpga", "default"}) {
    for (std::uint64_t i = 0; i < 8; ++i) {
      const Params p = k.generate(cfg, s + i);
      const Outcome o = k.run(cfg, s + i, p);
      EXPECT_TRUE(o.pass) << cfg << " " << params_text(p) << ": " << o.message << " " << replay_command();
    }
  }
}

// Over 4000 seeds every collective x dtype x size class bin is generated.
TEST(LinkCase, GeneratorCoversTheGrid) {
  const CaseKind& k = link_kind();
  std::set<std::string> hit;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    const Params p = k.generate("default", i);
    for (const auto& b : k.bins("default", i, p)) hit.insert(b);
  }
  std::vector<std::string> holes;
  for (const auto& b : link_bin_grid()) {
    if (!hit.count(b)) holes.push_back(b);
  }
  EXPECT_TRUE(holes.empty()) << holes.size() << " bins never generated, first " << holes.front();
}

}  // namespace
}  // namespace systole::verif::regress
