// Reports of the regression on synthetic Results: JUnit counts, escaping and well-formedness
// (checked by python3's xml.etree in a child process), the HTML page's failures and histograms,
// functional-coverage arithmetic, the shard merge and read_results' errors.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "coverage.hpp"
#include "report.hpp"
#include "vec_program_gen.hpp"

namespace systole::verif::regress {
namespace {

namespace fs = std::filesystem;

// A message with everything XML and HTML must escape, plus a control character and broken UTF-8.
const std::string kNasty = "mismatch at C[1][2]: got \"0x7f\" <want 'x'> & more\x01\x1b[0m \xff end";

// A run of n cases over configs x kinds (case k: configs[k % nc], kinds[(k / nc) % nk]), every
// seventh failing and every thirteenth an error, utilization (k % 11) / 10 (so 100% occurs).
Results synthetic(std::uint64_t base, std::size_t n, std::vector<std::string> configs = {"tiny", "fpga"},
                  std::vector<std::string> kinds = {"gemm", "dma"}) {
  Results r;
  r.meta = {"2024-05-01T02:00:00Z", "node1", "systole-regress -n 40", base, "", configs, kinds, 2, 12.5};
  static const char* dtypes[] = {"int8", "bf16", "fp8"};
  static const char* shapes[] = {"unit", "single_tile", "multi_tile", "large"};
  static const char* values[] = {"normal", "special", "extremes"};
  static const char* stalls[] = {"none", "latency", "backpressure", "reorder"};
  for (std::size_t k = 0; k < n; ++k) {
    CaseRecord c;
    c.index = k;
    c.config = configs[k % configs.size()];
    c.kind = kinds[(k / configs.size()) % kinds.size()];
    c.seed = base * 1000003 + k * 7919;
    c.params = fmt::format("M={} K={} N={} in={}", k + 1, 2 * k + 1, 3, dtypes[k % 3]);
    c.status = k % 7 == 3 ? "fail" : k % 13 == 5 ? "error" : "pass";
    if (c.status != "pass") {
      c.message = k % 2 ? kNasty : fmt::format("case {} differs", k);
      c.minimized_params = "M=1 K=1 N=1";
      c.minimized_replay = fmt::format("systole-regress replay --kind {} --config {} --seed {} --set 'M=1 K=1 N=1'",
                                       c.kind, c.config, c.seed);
    }
    c.replay = fmt::format("systole-regress replay --kind {} --config {} --seed {}", c.kind, c.config, c.seed);
    if (c.status != "error") {
      c.cycles = 100 + k;
      c.macs = c.kind == "gemm" ? 10 * k + 1 : 0;
      c.utilization = c.kind == "gemm" ? static_cast<double>(k % 11) / 10.0 : 0.0;
    }
    c.wall_seconds = 0.25;
    c.dtype = c.kind == "gemm" ? dtypes[k % 3] : "fp32->bf16";
    c.shape_class = c.kind == "gemm" ? shapes[k % 4] : "dma";
    c.accumulate = c.kind == "gemm" && k % 5 == 0;
    c.values = c.kind == "gemm" ? values[k % 3] : "random";
    c.stall = stalls[k % 4];
    r.cases.push_back(c);
  }
  return r;
}

// A scratch directory under the test's working directory (the build tree).
fs::path scratch(const std::string& name) {
  auto d = fs::current_path() / "test_report_scratch" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// Runs python3 on script with the arguments; returns its stdout, fails the test on a non-zero exit.
std::string python(const std::string& script, const std::string& args) {
  const auto dir = scratch("py");
  std::ofstream(dir / "check.py") << script;
  const auto cmd = fmt::format("python3 {} {} 2>&1", (dir / "check.py").string(), args);
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "popen failed";
  char buf[4096];
  while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd << "\n" << out;
  return out;
}

// Parses the JUnit file with xml.etree (fails on malformed XML) and prints one line per suite
// "<name> tests failures errors testcases failure-elements error-elements", then every distinct
// failure message.
const char* kJunitCheck = R"(
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == 'testsuites', root.tag
print('total', root.get('tests'), root.get('failures'), root.get('errors'))
msgs = set()
for s in root.findall('testsuite'):
    cases = s.findall('testcase')
    print(s.get('name'), s.get('tests'), s.get('failures'), s.get('errors'), len(cases),
          sum(len(c.findall('failure')) for c in cases), sum(len(c.findall('error')) for c in cases),
          {p.get('name'): p.get('value') for p in s.find('properties')}['base_seed'])
    for c in cases:
        for f in c.findall('failure') + c.findall('error'):
            msgs.add(f.get('message'))
            assert 'replay --kind' in f.text, f.text
for m in sorted(msgs):
    print('MSG', repr(m))
)";

TEST(Report, EscapingKeepsTextSafe) {
  EXPECT_EQ(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(html_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(xml_escape("x\ty\nz"), "x&#9;y&#10;z");  // survives attribute-value normalization
  EXPECT_EQ(xml_escape(std::string("\x01\x1f\x7f", 3)), "\\x01\\x1f\\x7f");
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(xml_escape("caf\xc3\xa9 \xe2\x88\x9e"), "caf\xc3\xa9 \xe2\x88\x9e");  // valid UTF-8 kept
  EXPECT_EQ(xml_escape("\xff\xc3"), "\\xff\\xc3");                                // broken UTF-8 shown
  EXPECT_EQ(xml_escape("\xc0\xaf"), "\\xc0\\xaf");                                // overlong '/'
  EXPECT_EQ(xml_escape("\xed\xa0\x80"), "\\xed\\xa0\\x80");                       // a surrogate
  EXPECT_EQ(html_escape("\xef\xbf\xbe"), "\\xef\\xbf\\xbe");                      // U+FFFE
}

TEST(Report, JunitCountsAndWellFormed) {
  const auto r = synthetic(42, 40);
  const auto dir = scratch("junit");
  std::ofstream(dir / "junit.xml") << junit_xml(r);
  const auto out = python(kJunitCheck, (dir / "junit.xml").string());
  // Expected counts per (kind, config), computed independently of the report code.
  std::map<std::string, std::array<int, 3>> want;
  int fails = 0, errors = 0;
  for (const auto& c : r.cases) {
    auto& w = want[fmt::format("regress.{}.{}", c.kind, c.config)];
    ++w[0];
    w[1] += c.status == "fail";
    w[2] += c.status == "error";
    fails += c.status == "fail";
    errors += c.status == "error";
  }
  EXPECT_NE(out.find(fmt::format("total 40 {} {}\n", fails, errors)), std::string::npos) << out;
  for (const auto& [name, w] : want) {
    const auto line = fmt::format("{} {} {} {} {} {} {} 42\n", name, w[0], w[1], w[2], w[0], w[1], w[2]);
    EXPECT_NE(out.find(line), std::string::npos) << "missing: " << line << out;
  }
  // The nasty message parses back to itself, with control bytes and the broken byte made visible.
  EXPECT_NE(out.find(R"(MSG 'mismatch at C[1][2]: got "0x7f" <want \'x\'> & more\\x01\\x1b[0m \\xff end')"),
            std::string::npos)
      << out;
  EXPECT_EQ(junit_xml(r).find("<want"), std::string::npos);
}

TEST(Report, HtmlHasFailuresReplaysAndHistograms) {
  const auto r = synthetic(7, 60);
  const auto html = html_report(r);
  for (const auto& c : r.cases) {
    if (c.status == "pass") continue;
    // Whole <pre> blocks: the minimized replay starts with the plain one.
    EXPECT_NE(html.find("<pre>" + html_escape(c.replay) + "</pre>"), std::string::npos) << c.replay;
    EXPECT_NE(html.find("<pre>" + html_escape(c.minimized_replay) + "</pre>"), std::string::npos) << c.minimized_replay;
  }
  EXPECT_EQ(html.find("<want"), std::string::npos);  // the nasty message is escaped
  EXPECT_NE(html.find("&lt;want &#39;x&#39;&gt; &amp; more\\x01"), std::string::npos);
  // Self-contained: no script, no fetched resource.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // Failures come before the all-cases table.
  EXPECT_LT(html.find("id=failures"), html.find("All cases"));

  // Histogram of tiny by hand: GEMM cases with cycles, bucket min(9, floor(10 u)).
  std::array<std::uint64_t, 10> want{};
  for (const auto& c : r.cases)
    if (c.kind == "gemm" && c.config == "tiny" && c.cycles) ++want[std::min(9, static_cast<int>(c.utilization * 10))];
  EXPECT_EQ(utilization_histogram(r, "tiny"), want);
  EXPECT_GT(want[9], 0u);  // the synthetic run does contain 100% cases, counted in the last bucket
  const auto tiny = html.find("<h3>tiny:");
  ASSERT_NE(tiny, std::string::npos);
  std::size_t at = tiny;
  for (auto n : want) {
    at = html.find(fmt::format("class=\"count\">{}<", n), at);
    ASSERT_NE(at, std::string::npos) << "histogram count " << n;
    ++at;
  }
}

TEST(Report, CoverageBinsAndReachablePercent) {
  // tiny alone: int8 only, so 4 shapes x 2 acc x 3 values x 4 stalls = 96 reachable bins.
  auto r = synthetic(1, 0, {"tiny"}, {"gemm"});
  auto add = [&](std::string dtype, std::string shape, bool acc, std::string values, std::string stall) {
    CaseRecord c;
    c.kind = "gemm";
    c.config = "tiny";
    c.status = "pass";
    c.index = r.cases.size();
    c.dtype = dtype, c.shape_class = shape, c.accumulate = acc, c.values = values, c.stall = stall;
    r.cases.push_back(c);
  };
  add("int8", "unit", false, "normal", "none");
  add("int8", "unit", false, "normal", "none");  // same bin twice
  add("int8", "large", true, "extremes", "reorder");
  add("bf16", "unit", false, "normal", "none");  // a bin tiny cannot reach: counted, not reachable
  add("int8", "huge", false, "normal", "none");  // off the documented grid
  auto cov = functional_coverage(r);
  EXPECT_EQ(cov.reachable_dtypes, std::vector<std::string>{"int8"});
  EXPECT_EQ(cov.gemm_cases, 5u);
  EXPECT_EQ(cov.gemm_off_grid, 1u);
  EXPECT_EQ(cov.reachable_bins, 96u);
  EXPECT_EQ(cov.reachable_hit, 2u);
  EXPECT_EQ(cov.unhit.size(), 94u);
  EXPECT_DOUBLE_EQ(cov.reachable_percent(), 100.0 * 2 / 96);
  EXPECT_EQ((cov.gemm.at({"int8", "unit", false, "normal", "none"})), 2u);
  EXPECT_EQ((cov.gemm.at({"bf16", "unit", false, "normal", "none"})), 1u);
  EXPECT_EQ(bin_name(cov.unhit.front()), "int8/unit/noacc/normal/latency");  // grid order
  EXPECT_NE(html_report(r).find("2 of 96 reachable bins hit (2.1%)"), std::string::npos);
  const std::string text = coverage_text(cov, 2);
  EXPECT_NE(text.find("GEMM: 5 case(s); reachable bins (int8) hit 2 of 96 (2.1%); 1 case(s) outside the grid"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("shape    unit 3 single_tile 0 multi_tile 0 large 1"), std::string::npos) << text;
  EXPECT_NE(text.find("94 hole(s): int8/unit/noacc/normal/latency int8/unit/noacc/normal/backpressure ..."),
            std::string::npos)
      << text;

  // fpga adds bf16; default has all three dtypes.
  r.meta.configs = {"tiny", "fpga"};
  cov = functional_coverage(r);
  EXPECT_EQ(cov.reachable_dtypes, (std::vector<std::string>{"int8", "bf16"}));
  EXPECT_EQ(cov.reachable_bins, 192u);
  EXPECT_EQ(cov.reachable_hit, 3u);
  r.meta.configs = {"default"};
  EXPECT_EQ(functional_coverage(r).reachable_bins, 288u);
  r.meta.configs = {"nonesuch"};
  EXPECT_THROW(functional_coverage(r), std::invalid_argument);
  EXPECT_NE(html_report(r).find("Not computed"), std::string::npos);  // the rest of the page survives

  // DMA: cast x stall.
  auto d = synthetic(1, 8, {"tiny"}, {"dma"});
  cov = functional_coverage(d);
  EXPECT_EQ(cov.dma_cases, 8u);
  EXPECT_EQ(cov.dma.at({"fp32->bf16", "latency"}), 2u);
  EXPECT_EQ(cov.dma.at({"none", "latency"}), 0u);

  // Vector: every instruction's opcode/dtype/function bin, in the text and the page.
  Results v;
  CaseRecord vc;
  vc.kind = "vector";
  vc.config = "fpga";
  vc.bins = {"COPY/bf16/-", "ACTIVATE/fp32/exp", "COPY/bf16/-"};
  v.cases = {vc};
  cov = functional_coverage(v);
  EXPECT_EQ(cov.vec_cases, 1u);
  EXPECT_EQ(cov.vec.at("COPY/bf16/-"), 2u);
  EXPECT_EQ(cov.vec.at("ACTIVATE/fp32/exp"), 1u);
  EXPECT_EQ(cov.vec_unhit.size(), vec_bin_grid().size() - 2);
  EXPECT_NE(coverage_text(cov, 3).find("VECTOR: 1 program(s); opcode x dtype x function bins hit 2 of 71"),
            std::string::npos)
      << coverage_text(cov, 3);
  EXPECT_NE(html_report(v).find("<h2>Functional coverage: vector</h2>"), std::string::npos);
  EXPECT_NE(html_report(v).find("2 of 71 bins hit"), std::string::npos);
}

TEST(Report, MergeOfShardsEqualsUnsharded) {
  const auto whole = synthetic(99, 50);
  std::vector<Results> parts(3);
  for (std::size_t i = 0; i < 3; ++i) {
    parts[i].meta = whole.meta;
    parts[i].meta.shard = fmt::format("{}/3", i);
    parts[i].meta.wall_seconds = 10.0 + static_cast<double>(i);
    parts[i].meta.started = fmt::format("2024-05-01T02:00:0{}Z", 3 - i);
    for (const auto& c : whole.cases)
      if (c.index % 3 == i) parts[i].cases.push_back(c);
  }
  // Shards arrive in any order; a retried shard 1 (new host timing) arrives twice.
  auto retried = parts[1];
  for (auto& c : retried.cases) c.wall_seconds += 1.0;
  const auto m = merge_results({parts[2], parts[0], parts[1], retried});
  EXPECT_EQ(nlohmann::json(m.cases), nlohmann::json(whole.cases));
  EXPECT_EQ(m.meta.shard, "merged:4");
  EXPECT_EQ(m.meta.jobs, 8u);
  EXPECT_DOUBLE_EQ(m.meta.wall_seconds, 12.0);
  EXPECT_EQ(m.meta.started, "2024-05-01T02:00:01Z");
  EXPECT_EQ(m.meta.base_seed, 99u);
  EXPECT_EQ(m.meta.configs, whole.meta.configs);
}

TEST(Report, MergeRejectsPartsOfDifferentRuns) {
  const auto a = synthetic(5, 10);
  auto msg = [](const std::vector<Results>& p) {
    try {
      merge_results(p);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(msg({a, synthetic(6, 10)}).find("base seed 6"), std::string::npos);
  auto conflict = a;
  conflict.cases[4].status = "pass";
  conflict.cases[3].status = "pass";  // index 3 was a failure in a
  EXPECT_NE(msg({a, conflict}).find("case index 3"), std::string::npos) << msg({a, conflict});
  auto other = a;
  other.meta.configs = {"tiny"};
  EXPECT_NE(msg({a, other}).find("configs"), std::string::npos);
  other = a;
  other.meta.kinds = {"gemm"};
  EXPECT_NE(msg({a, other}).find("kinds"), std::string::npos);
  EXPECT_NE(msg({}).find("no results"), std::string::npos);
}

TEST(Report, WriteThenReadRoundTrips) {
  const auto r = synthetic(3, 25);
  const auto dir = scratch("roundtrip");
  write_reports(dir / "out", r);
  EXPECT_EQ(slurp(dir / "out" / "junit.xml"), junit_xml(r));
  EXPECT_EQ(slurp(dir / "out" / "report.html"), html_report(r));
  EXPECT_FALSE(fs::exists(dir / "out" / "results.json.tmp"));
  const auto back = read_results(dir / "out" / "results.json");
  // The broken UTF-8 byte of the nasty message becomes U+FFFD in JSON; everything else is exact.
  auto expect = nlohmann::json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  EXPECT_EQ(nlohmann::json(back).dump(), expect);
}

TEST(Report, ReadResultsErrorsNameTheFileAndTheProblem) {
  const auto dir = scratch("bad");
  auto msg = [](const fs::path& p) {
    try {
      read_results(p);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const auto missing = msg(dir / "nope.json");
  EXPECT_NE(missing.find("nope.json"), std::string::npos) << missing;
  EXPECT_NE(missing.find("No such file"), std::string::npos) << missing;

  std::ofstream(dir / "trunc.json") << R"({"meta": {"base_seed": 1}, "cases": [{"ind)";
  const auto trunc = msg(dir / "trunc.json");
  EXPECT_NE(trunc.find("trunc.json is not valid JSON"), std::string::npos) << trunc;

  std::ofstream(dir / "list.json") << "[1, 2]";
  EXPECT_NE(msg(dir / "list.json").find("expected an object"), std::string::npos);

  std::ofstream(dir / "type.json") << R"({"meta": {"base_seed": "one"}, "cases": []})";
  const auto type = msg(dir / "type.json");
  EXPECT_NE(type.find("type.json: a field has the wrong type"), std::string::npos) << type;

  std::ofstream(dir / "status.json") << R"({"meta": {}, "cases": [{"index": 4, "status": "flaky"}]})";
  const auto status = msg(dir / "status.json");
  EXPECT_NE(status.find("status 'flaky', expected pass, fail or error"), std::string::npos) << status;
}

}  // namespace
}  // namespace systole::verif::regress
