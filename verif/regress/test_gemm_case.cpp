// Unit tests of the regression runner without the chip: parameter text, the GEMM generator
// (determinism, budget, dtypes, shape distribution, shrink candidates), parse errors, case
// planning and sharding, and the process pool, run loop and minimizer driven by fake kinds
// (a threshold failure, abort(), a hang, exceptions).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <thread>

#include "gemm_case.hpp"
#include "minimize.hpp"
#include "runner.hpp"

namespace systole::verif::regress {
namespace {

namespace fs = std::filesystem;
const std::vector<std::string> kCfgs = {"tiny", "fpga", "default"};

fs::path scratch(const std::string& name) {
  // Under the build tree (ctest's working directory), not /tmp.
  const fs::path d = fs::current_path() / fmt::format("test_gemm_case_scratch_{}_{}", getpid(), name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::uint64_t num(const Params& p, const char* k) { return std::stoull(p.at(k)); }

TEST(Params, TextRoundTrip) {
  const Params p = {{"M", "3"}, {"a", "row"}, {"dram_rl", "7"}, {"K", "5"}};
  EXPECT_EQ(params_text(p), "K=5 M=3 a=row dram_rl=7");
  EXPECT_EQ(parse_params(params_text(p)), p);
  EXPECT_EQ(parse_params("  x=1\ty=  z= "), (Params{{"x", "1"}, {"y", ""}, {"z", ""}}));
  for (const auto& cfg : kCfgs) {
    for (std::uint64_t s = 0; s < 50; ++s) {
      const Params g = gemm_kind().generate(cfg, s);
      EXPECT_EQ(parse_params(params_text(g)), g);
    }
  }
}

TEST(Params, ParseErrorsNameTheToken) {
  auto msg = [](std::string_view t) {
    try {
      parse_params(t);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(msg("M=3 K5").find("'K5': expected key=value"), std::string::npos) << msg("M=3 K5");
  EXPECT_NE(msg("=5").find("key before '=' is empty"), std::string::npos) << msg("=5");
  EXPECT_NE(msg("M=1 M=2").find("'M' is given twice"), std::string::npos) << msg("M=1 M=2");
}

TEST(GemmCase, GenerateIsDeterministicAndSeedDependent) {
  for (const auto& cfg : kCfgs) {
    std::set<std::string> seen;
    for (std::uint64_t s = 0; s < 40; ++s) {
      const Params p = gemm_kind().generate(cfg, s);
      EXPECT_EQ(p, gemm_kind().generate(cfg, s)) << cfg << " seed " << s;
      seen.insert(params_text(p));
    }
    EXPECT_EQ(seen.size(), 40u) << cfg;
  }
}

TEST(GemmCase, BudgetDtypesAndValidity) {
  for (const auto& name : kCfgs) {
    const golden::Config cfg = golden::Config::by_name(name);
    const std::uint64_t budget = gemm_max_macs(name), elems = gemm_max_elements(cfg, budget);
    for (std::uint64_t s = 0; s < 2000; ++s) {
      const Params p = gemm_kind().generate(name, s);
      GemmCase g;
      ASSERT_NO_THROW(g = parse_gemm_case(cfg, p)) << name << " " << params_text(p);
      const std::uint64_t M = g.M, K = g.K, N = g.N;
      EXPECT_LE(M * K * N, budget) << params_text(p);
      EXPECT_LE(std::max({M * K, K * N, M * N}), elems) << params_text(p);
      EXPECT_TRUE(cfg.tensor_dtype_enabled(g.in)) << params_text(p);
      EXPECT_EQ(g.out == golden::DType::kInt32, g.in == golden::DType::kInt8) << params_text(p);
      EXPECT_NO_THROW(gemm_kind().coverage(name, p));
    }
  }
}

TEST(GemmCase, BudgetOverride) {
  set_gemm_max_macs(5000);
  for (std::uint64_t s = 0; s < 300; ++s) {
    const Params p = gemm_kind().generate("default", s);
    EXPECT_LE(num(p, "M") * num(p, "K") * num(p, "N"), 5000u) << params_text(p);
  }
  set_gemm_max_macs(0);
  EXPECT_EQ(gemm_max_macs("default"), gemm_default_max_macs("default"));
}

bool prime(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

TEST(GemmCase, ShapeDistributionHitsTheEdges) {
  for (const auto& name : kCfgs) {
    const golden::Config cfg = golden::Config::by_name(name);
    std::map<std::string, unsigned> hits;
    for (std::uint64_t s = 0; s < 2000; ++s) {
      const Params p = gemm_kind().generate(name, s);
      for (const char* d : {"M", "K", "N"}) {
        const std::uint64_t v = num(p, d);
        if (v == 1) ++hits["1"];
        if (v == 2048) ++hits["2048"];
        if (v == cfg.nmax + 1) ++hits["nmax+1"];
        if (v == cfg.partitions + 1) ++hits["P+1"];
        if (v > 7 && prime(v)) ++hits["prime>7"];
        if (v > cfg.partitions && v % cfg.partitions == 0) ++hits["multiple of P"];
        if (v > cfg.columns && v % cfg.columns == 0) ++hits["multiple of C"];
      }
      if (num(p, "K") >= 8u * cfg.partitions) ++hits["long chain"];
      if (p.at("out") == "bf16") ++hits["bf16 out"];
      if (p.at("a") == "col") ++hits["A col"];
      if (num(p, "ldc") != 0) ++hits["ldc"];
      if (num(p, "b_off") % 2 == 1) ++hits["odd offset"];
      ++hits["fill " + p.at("fill")];
      const CoverageKey k = gemm_kind().coverage(name, p);
      ++hits["shape " + k.shape_class];
      ++hits["stall " + k.stall];
    }
    std::vector<std::string> want = {"1",
                                     "2048",
                                     "nmax+1",
                                     "P+1",
                                     "prime>7",
                                     "multiple of P",
                                     "multiple of C",
                                     "long chain",
                                     "A col",
                                     "ldc",
                                     "odd offset",
                                     "fill normal",
                                     "fill special",
                                     "fill extremes",
                                     "shape unit",
                                     "shape single_tile",
                                     "shape multi_tile",
                                     "shape large",
                                     "stall none",
                                     "stall latency",
                                     "stall backpressure",
                                     "stall reorder"};
    if (cfg.bf16) want.push_back("bf16 out");
    for (const auto& w : want) {
      // draw_dram() puts back-pressure on most cases: latency alone is rare (~0.5%).
      EXPECT_GE(hits[w], w == "stall latency" ? 3u : 20u) << name << ": " << w << " in 2000 cases";
    }
    EXPECT_GE(hits["long chain"], 200u) << name;
  }
}

TEST(GemmCase, ParseRejectsBadParameters) {
  const golden::Config tiny = golden::Config::tiny();
  const Params good = gemm_kind().generate("tiny", 1);
  auto error = [&](std::initializer_list<std::pair<const char*, const char*>> kv) {
    Params p = good;
    for (const auto& [k, v] : kv) p[k] = v;
    try {
      parse_gemm_case(tiny, p);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error({{"M", "0"}}).find("M=0: expected an integer in 1..2048"), std::string::npos);
  EXPECT_NE(error({{"N", "2049"}}).find("N=2049"), std::string::npos);
  EXPECT_NE(error({{"K", "12x"}}).find("K=12x"), std::string::npos);
  EXPECT_NE(error({{"in", "bf16"}, {"out", "fp32"}}).find("in=bf16 out=fp32 on tiny"), std::string::npos);
  EXPECT_NE(error({{"in", "half"}}).find("in=half: expected int8"), std::string::npos);
  EXPECT_NE(error({{"a", "diag"}}).find("a=diag: expected row or col"), std::string::npos);
  EXPECT_NE(error({{"fill", "zeros"}}).find("fill=zeros"), std::string::npos);
  EXPECT_NE(error({{"colour", "red"}}).find("unknown parameter 'colour'"), std::string::npos);
  EXPECT_NE(error({{"M", "10"}, {"K", "20"}, {"a", "row"}, {"lda", "19"}}).find("lda=19"), std::string::npos);
  // B and C packed, so that only A's allocation is too large whatever seed 1 drew for them.
  const auto too_big = {std::pair<const char*, const char*>{"M", "2048"},
                        {"K", "2048"},
                        {"a", "row"},
                        {"lda", "40000"},
                        {"ldb", "0"},
                        {"ldc", "0"}};
  EXPECT_NE(error(too_big).find("fit in the case's"), std::string::npos) << error(too_big);
  Params missing = good;
  missing.erase("ldb");
  EXPECT_THROW(parse_gemm_case(tiny, missing), std::invalid_argument);
}

TEST(GemmCase, ShrinkCandidatesAreValidAndSmaller) {
  for (const auto& name : kCfgs) {
    const golden::Config cfg = golden::Config::by_name(name);
    for (std::uint64_t s = 0; s < 100; ++s) {
      const Params p = gemm_kind().generate(name, s);
      const auto cands = gemm_kind().shrink(name, p);
      for (const Params& c : cands) {
        EXPECT_NE(c, p);
        ASSERT_NO_THROW(parse_gemm_case(cfg, c)) << params_text(c);
        EXPECT_LE(num(c, "M") * num(c, "K") * num(c, "N"), num(p, "M") * num(p, "K") * num(p, "N"));
      }
      const std::uint64_t macs = num(p, "M") * num(p, "K") * num(p, "N");
      if (macs > 1) {
        EXPECT_TRUE(std::any_of(cands.begin(), cands.end(), [&](const Params& c) {
          return num(c, "M") * num(c, "K") * num(c, "N") < macs;
        })) << params_text(p);
      }
    }
  }
}

// ---- planning ---------------------------------------------------------------------------------

class FakeKind : public CaseKind {
 public:
  explicit FakeKind(std::string n) : name_(std::move(n)) {}
  std::string name() const override { return name_; }
  Params generate(const std::string&, std::uint64_t seed) const override {
    return {{"M", std::to_string(1 + seed % 1000)}, {"mode", "pass"}};
  }
  Outcome run(const std::string&, std::uint64_t, const Params& p) const override {
    const std::string& mode = p.at("mode");
    const std::uint64_t m = std::stoull(p.at("M"));
    if (mode == "abort") {
      std::fprintf(stderr, "[%%Error] fake_assert.sv:12: Assertion failed in TOP.chip_top: x_stable\n");
      std::abort();
    }
    if (mode == "hang") std::this_thread::sleep_for(std::chrono::seconds(60));
    if (mode == "throw") throw std::runtime_error("device exploded");
    if (mode == "invalid") throw std::invalid_argument("mode=invalid: expected pass");
    Outcome o;
    o.pass = mode == "pass" || m <= 37;
    if (!o.pass) o.message = fmt::format("M={} > 37", m);
    o.cycles = 100;
    o.macs = 200;
    return o;
  }
  std::vector<Params> shrink(const std::string&, const Params& p) const override {
    const std::uint64_t m = std::stoull(p.at("M"));
    std::vector<Params> out;
    for (std::uint64_t v : {std::uint64_t{1}, m / 2, m - 1}) {
      if (v >= 1 && v < m) {
        Params q = p;
        q["M"] = std::to_string(v);
        out.push_back(q);
      }
    }
    return out;
  }
  CoverageKey coverage(const std::string&, const Params&) const override { return {}; }

 private:
  std::string name_;
};

TEST(Planning, SeedsAndSlots) {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t k = 0; k < 10000; ++k) seeds.insert(case_seed(42, k));
  EXPECT_EQ(seeds.size(), 10000u);
  EXPECT_NE(case_seed(42, 7), case_seed(43, 7));
  EXPECT_EQ(case_seed(42, 7), case_seed(42, 7));

  const FakeKind gemm("gemm"), dma("dma");
  const std::vector<std::string> two = {"tiny", "fpga"};
  std::map<std::pair<std::string, std::string>, unsigned> n;
  for (std::uint64_t k = 0; k < 800; ++k) {
    const CaseSlot s = case_slot(k, two, {&dma, &gemm});
    ++n[{s.config, s.kind->name()}];
    EXPECT_EQ(s.config, two[k % 2]);
  }
  EXPECT_EQ(n[std::make_pair(std::string("tiny"), std::string("dma"))], 100u);
  EXPECT_EQ(n[std::make_pair(std::string("fpga"), std::string("dma"))], 100u);
  EXPECT_EQ(n[std::make_pair(std::string("fpga"), std::string("gemm"))], 300u);
}

TEST(Planning, TimeoutScalesWithMacsOverTheBudget) {
  const std::uint64_t b = gemm_max_macs("tiny");
  EXPECT_EQ(case_timeout(100, "tiny", {{"M", "1"}, {"K", "1"}, {"N", "1"}}), 100);
  EXPECT_EQ(case_timeout(100, "tiny", {{"M", std::to_string(b)}, {"K", "3"}, {"N", "1"}}), 300);
  EXPECT_EQ(case_timeout(100, "tiny", {{"n_insn", "9"}}), 100);  // not a GEMM
}

TEST(Planning, ShardsPartitionTheIndices) {
  for (unsigned total = 1; total <= 7; ++total) {
    std::vector<unsigned> owner(100, 0);
    for (unsigned i = 0; i < total; ++i) {
      for (std::uint64_t k = 0; k < 100; ++k) owner[k] += in_shard(k, i, total);
    }
    for (std::uint64_t k = 0; k < 100; ++k) EXPECT_EQ(owner[k], 1u) << "index " << k << " of " << total << " shards";
  }
}

// ---- children -----------------------------------------------------------------------------------

TEST(Pool, ChildOutcomesAbortHangAndExceptions) {
  const FakeKind kind("fake");
  const fs::path dir = scratch("pool");
  auto job = [&](const std::string& mode, std::uint64_t m, double timeout) {
    Job j;
    j.kind = &kind;
    j.config = "tiny";
    j.params = {{"M", std::to_string(m)}, {"mode", mode}};
    j.timeout_s = timeout;
    j.log = dir / (mode + ".log");
    j.header = "header line";
    return run_in_child(j);
  };
  JobResult r = job("threshold", 10, 30);
  EXPECT_EQ(r.status, "pass");
  EXPECT_EQ(r.outcome.cycles, 100u);
  r = job("threshold", 50, 30);
  EXPECT_EQ(r.status, "fail");
  EXPECT_EQ(r.outcome.message, "M=50 > 37");
  r = job("abort", 1, 30);
  EXPECT_EQ(r.status, "error");
  EXPECT_NE(r.outcome.message.find("signal 6"), std::string::npos) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("Assertion failed in TOP.chip_top: x_stable"), std::string::npos)
      << r.outcome.message;
  const auto t0 = std::chrono::steady_clock::now();
  r = job("hang", 1, 1.0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  EXPECT_EQ(r.status, "error");
  EXPECT_NE(r.outcome.message.find("timeout after 1 s"), std::string::npos) << r.outcome.message;
  r = job("throw", 1, 30);
  EXPECT_EQ(r.status, "error");
  EXPECT_NE(r.outcome.message.find("device exploded"), std::string::npos) << r.outcome.message;
  EXPECT_FALSE(r.invalid);
  r = job("invalid", 1, 30);
  EXPECT_TRUE(r.invalid);
  fs::remove_all(dir);
}

TEST(Minimizer, ShrinksAThresholdFailureToTheEdge) {
  const FakeKind kind("fake");
  const Params start = {{"M", "1000"}, {"mode", "threshold"}};
  JobResult first;
  first.status = "fail";
  // In process, and through forked children as the runner does it.
  const MinimizeResult a = minimize(
      kind, "tiny", start, first, [&](const Params& p) { return run_case_here(kind, "tiny", 1, p); }, 60);
  EXPECT_EQ(a.params.at("M"), "38");
  EXPECT_EQ(a.result.status, "fail");
  EXPECT_FALSE(a.out_of_time);
  const fs::path dir = scratch("min");
  unsigned n = 0;
  const MinimizeResult b = minimize(
      kind, "tiny", start, first,
      [&](const Params& p) {
        return run_in_child(candidate_job(kind, "tiny", 1, p, 30, dir / fmt::format("{}.log", n++)));
      },
      60);
  EXPECT_EQ(b.params.at("M"), "38");
  EXPECT_EQ(b.steps, a.steps);
  // Out of time: stops at once with the start.
  const MinimizeResult c = minimize(
      kind, "tiny", start, first, [&](const Params& p) { return run_case_here(kind, "tiny", 1, p); }, 0);
  EXPECT_TRUE(c.out_of_time);
  EXPECT_EQ(c.params, start);
  fs::remove_all(dir);
}

// A kind whose cases fail when M > 37, so some of every run fail.
class ThresholdKind : public FakeKind {
 public:
  ThresholdKind() : FakeKind("gemm") {}
  Params generate(const std::string& c, std::uint64_t seed) const override {
    Params p = FakeKind::generate(c, seed);
    p["mode"] = "threshold";
    p["M"] = std::to_string(1 + seed % 60);
    return p;
  }
};

TEST(RunLoop, ShardsMergeToTheUnshardedRunAndFailuresAreMinimized) {
  const ThresholdKind kind;
  RunConfig rc;
  rc.configs = {"tiny", "fpga"};
  rc.kinds = {&kind};
  rc.count = 24;
  rc.base_seed = 1234;
  rc.jobs = 2;
  rc.quiet = true;
  rc.exe = "/x/systole-regress";
  rc.minimize_time_s = 30;
  rc.out = scratch("run");
  const Results all = run_regression(rc);
  ASSERT_EQ(all.cases.size(), 24u);
  unsigned fails = 0, minimized = 0;
  for (std::size_t i = 0; i < all.cases.size(); ++i) {
    const CaseRecord& c = all.cases[i];
    EXPECT_EQ(c.index, i);
    EXPECT_EQ(c.seed, case_seed(1234, i));
    EXPECT_EQ(c.config, rc.configs[i % 2]);
    const bool fail = std::stoull(parse_params(c.params).at("M")) > 37;
    EXPECT_EQ(c.status, fail ? "fail" : "pass");
    EXPECT_EQ(fs::exists(rc.out / "logs" / fmt::format("{}.log", i)), fail) << "pass logs go, failure logs stay";
    EXPECT_EQ(c.replay, fmt::format("/x/systole-regress replay --kind gemm --config {} --seed {}", c.config, c.seed));
    if (fail) ++fails;
    if (!c.minimized_params.empty()) {
      ++minimized;
      EXPECT_EQ(parse_params(c.minimized_params).at("M"), "38");
      EXPECT_NE(c.minimized_replay.find("--set 'M=38 mode=threshold'"), std::string::npos) << c.minimized_replay;
    }
  }
  EXPECT_GT(fails, 0u);
  EXPECT_EQ(minimized, std::min(fails, 5u));

  rc.minimize = false;
  std::vector<CaseRecord> merged;
  for (unsigned i = 0; i < 3; ++i) {
    rc.shard_index = i;
    rc.shard_count = 3;
    rc.out = scratch(fmt::format("shard{}", i));
    const Results r = run_regression(rc);
    EXPECT_EQ(r.meta.shard, fmt::format("{}/3", i));
    for (const CaseRecord& c : r.cases) EXPECT_EQ(c.index % 3, i);
    merged.insert(merged.end(), r.cases.begin(), r.cases.end());
    fs::remove_all(rc.out);
  }
  std::sort(merged.begin(), merged.end(), [](const auto& x, const auto& y) { return x.index < y.index; });
  ASSERT_EQ(merged.size(), all.cases.size());
  for (std::size_t i = 0; i < merged.size(); ++i) {
    EXPECT_EQ(merged[i].seed, all.cases[i].seed);
    EXPECT_EQ(merged[i].params, all.cases[i].params);
    EXPECT_EQ(merged[i].status, all.cases[i].status);
  }
  fs::remove_all(scratch("run"));
}

}  // namespace
}  // namespace systole::verif::regress
