// The "kernel" case kind (kernel_case.hpp): parameters are deterministic and validated; the kind
// runs only where there is a vector engine; the generator reaches every reachable op x shape
// class x dtype bin; shrinking gives valid smaller cases; random calls on the fpga and default
// chips match the golden device.
#include <gtest/gtest.h>

#include <set>

#include "kernel_case.hpp"
#include "systole/sim/chip_sim.hpp"
#include "test_seed.hpp"

namespace systole::verif::regress {
namespace {

TEST(KernelCase, ParamsAreDeterministicAndValidated) {
  const CaseKind& k = kernel_kind();
  EXPECT_EQ(k.name(), "kernel");
  EXPECT_FALSE(k.supports("tiny"));
  EXPECT_TRUE(k.supports("default"));
  const std::uint64_t s = test_seed();
  for (const char* cfg : {"fpga", "default"}) {
    for (std::uint64_t i = 0; i < 20; ++i) {
      const Params p = k.generate(cfg, s + i);
      EXPECT_EQ(p, k.generate(cfg, s + i)) << cfg << " " << replay_command();
      EXPECT_EQ(parse_params(params_text(p)), p);
      const auto parse = [&](const Params& q) {
        const golden::Config c = golden::Config::by_name(cfg);
        if (q.at("op") == "gemm_fused") return (void)parse_fused_case(c, q);
        if (q.at("op") == "attention") return (void)parse_attention_case(c, q);
        if (q.at("op") == "mlp") return (void)parse_mlp_case(c, q);
        if (q.at("op") == "encoder") return (void)parse_encoder_case(c, q);
        if (q.at("op") == "conv2d") return (void)parse_conv2d_case(c, q);
        return (void)parse_kernel_case(c, q);
      };
      EXPECT_NO_THROW(parse(p)) << params_text(p);
      EXPECT_NO_THROW(k.coverage(cfg, p)) << params_text(p);
      for (const Params& q : k.shrink(cfg, p)) {
        EXPECT_NO_THROW(parse(q)) << params_text(q);
        EXPECT_NE(q, p);
      }
    }
  }
  const golden::Config def = golden::Config::standard();
  Params good = k.generate("default", s);
  auto rowwise_op = [](const std::string& op) { return op == "softmax" || op == "layernorm" || op == "rmsnorm"; };
  for (std::uint64_t i = 1; !rowwise_op(good.at("op")); ++i) good = k.generate("default", s + i);
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"op", "gelu"}, {"rows", "0"}, {"cols", "70000"}, {"in", "int8"}, {"scale", "2"}, {"bogus", "1"}}) {
    Params p = good;
    p[key] = value;
    try {
      (void)parse_kernel_case(def, p);
      ADD_FAILURE() << key << "=" << value << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
  Params p = good;
  p["chunk"] = "3000";
  p["cols"] = "5000";
  p["mask"] = "0";
  p["in"] = p["out"] = p["param"] = "fp32";
  p["op"] = "layernorm";
  EXPECT_THROW(parse_kernel_case(golden::Config::fpga(), p), std::invalid_argument) << "a chunk that does not fit";
  const Params fused = {{"op", "gemm_fused"}, {"rows", "5"},    {"k", "7"},        {"cols", "9"},
                        {"in", "bf16"},       {"out", "int8"},  {"param", "bf16"}, {"act", "silu"},
                        {"alpha", "1"},       {"bias", "both"}, {"residual", "1"}};
  EXPECT_NO_THROW(parse_fused_case(def, fused));
  for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
           {"in", "fp32"}, {"out", "int32"}, {"act", "swish"}, {"alpha", "3"}, {"bias", "diag"}, {"k", "0"}}) {
    Params q = fused;
    q[key] = value;
    try {
      (void)parse_fused_case(def, q);
      ADD_FAILURE() << key << "=" << value << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
}

TEST(KernelCase, GeneratorReachesEveryBin) {
  const CaseKind& k = kernel_kind();
  std::set<std::string> hit;
  const std::uint64_t s = test_seed();
  for (const char* cfg : {"fpga", "default"}) {
    for (std::uint64_t i = 0; i < 3000; ++i) {
      const Params p = k.generate(cfg, s + i);
      for (const std::string& b : k.bins(cfg, s + i, p)) hit.insert(b);
    }
  }
  for (const std::string& b : kernel_bin_grid()) EXPECT_TRUE(hit.count(b)) << b << " never drawn; " << replay_command();
}

TEST(KernelCase, RandomCallsMatchGolden) {
  const CaseKind& k = kernel_kind();
  const std::uint64_t s = test_seed();
  const std::vector<std::string> built = sim::chip_configs();
  for (const char* cfg : {"fpga", "default"}) {
    if (std::find(built.begin(), built.end(), cfg) == built.end()) continue;
    for (std::uint64_t i = 0; i < 8; ++i) {
      const Params p = k.generate(cfg, s + i);
      const Outcome o = k.run(cfg, s + i, p);
      EXPECT_TRUE(o.pass) << cfg << " " << params_text(p) << "\n" << o.message << "\n" << replay_command();
      EXPECT_GT(o.cycles, 0u);
    }
  }
}

}  // namespace
}  // namespace systole::verif::regress
