// The golden model's configuration presets must equal configs/configs.json, the single source
// of the RTL parameters (scripts/lint.sh passes them to every module).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "systole/golden/config.hpp"

using systole::golden::Config;

TEST(Configs, GoldenPresetsMatchConfigsJson) {
  std::ifstream in(SYSTOLE_CONFIGS_JSON);
  ASSERT_TRUE(in) << "cannot open " << SYSTOLE_CONFIGS_JSON;
  const auto j = nlohmann::json::parse(in);
  int seen = 0;
  for (const Config& c : Config::all()) {
    ASSERT_TRUE(j.contains(c.name)) << c.name;
    const auto& p = j.at(c.name);
    EXPECT_EQ(p.at("Partitions"), c.partitions) << c.name;
    EXPECT_EQ(p.at("Columns"), c.columns) << c.name;
    EXPECT_EQ(p.at("Nmax"), c.nmax) << c.name;
    EXPECT_EQ(p.at("SbufBytes"), c.sbuf_bytes) << c.name;
    EXPECT_EQ(p.at("PsumBytes"), c.psum_bytes) << c.name;
    EXPECT_EQ(p.at("EnableInt8") == 1, c.int8) << c.name;
    EXPECT_EQ(p.at("EnableBf16") == 1, c.bf16) << c.name;
    EXPECT_EQ(p.at("EnableFp8") == 1, c.fp8) << c.name;
    EXPECT_EQ(p.at("DmaQueues"), c.dma_queues) << c.name;
    EXPECT_EQ(p.at("QueueDepth"), c.queue_depth) << c.name;
    EXPECT_EQ(p.at("AxiDataBits"), c.axi_data_bits) << c.name;
    EXPECT_EQ(p.at("EnableVector") == 1, c.vector_engine) << c.name;
    ++seen;
  }
  EXPECT_EQ(seen, 4);
  EXPECT_THROW(Config::by_name("huge"), std::invalid_argument);
}
