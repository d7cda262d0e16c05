// systole-regress: the nightly random regression (docs/verification.md).
//
//   systole-regress [run] [--configs tiny,fpga,default] [--kinds gemm,dma] [-n N | --time S] [--seed S]
//                   [-j J] [--out DIR] [--shard i/n] [--timeout S] [--no-minimize] [--minimize-time S]
//                   [--max-macs M] [--plan] [--min-coverage PCT]
//   systole-regress replay   --kind K --config C --seed S [--set 'k=v ...'] [--max-macs M]
//   systole-regress minimize --kind K --config C --seed S [--set 'k=v ...'] [--minimize-time S] [--out DIR]
//   systole-regress merge    --out DIR results.json...
//
// Exit status: 0 every case passed, 1 a case failed (or errored), 2 usage error (bad options,
// parameters the case kind rejects, inconsistent shards to merge), 130 a run interrupted
// (SIGINT/SIGTERM) with no failure among the cases it completed, 3 every case passed (or, with
// --plan, was generated) but the reachable GEMM bins hit fall below --min-coverage.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "coverage.hpp"
#include "gemm_case.hpp"
#include "minimize.hpp"
#include "report.hpp"
#include "runner.hpp"
#include "systole/sim/chip_sim.hpp"

using namespace systole::verif::regress;
using systole::verif::Params;
using systole::verif::params_text;
using systole::verif::parse_params;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kConfigs = {"tiny", "fpga", "default"};

const CaseKind& kind_by_name(const std::string& n) {
  if (n == "gemm") return gemm_kind();
  if (n == "dma") return dma_kind();
  if (n == "vector") return vec_kind();
  if (n == "kernel") return kernel_kind();
  if (n == "link") return link_kind();
  throw CLI::ValidationError("--kind", fmt::format("'{}': expected gemm, dma, vector, kernel or link", n));
}

std::string exe_path() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("systole-regress") : p.string();
}

std::string utc_stamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::uint64_t default_seed() {
  const char* s = std::getenv("SYSTOLE_SEED");
  if (s != nullptr && *s != '\0') return std::strtoull(s, nullptr, 0);
  return std::random_device{}() ^ (static_cast<std::uint64_t>(std::time(nullptr)) << 20);
}

void print_summary(const Results& r, const fs::path& out, bool stopped) {
  std::uint64_t pass = 0, fail = 0, error = 0, cycles = 0, n_util = 0;
  double util = 0;
  for (const CaseRecord& c : r.cases) {
    (c.status == "pass" ? pass : c.status == "fail" ? fail : error)++;
    cycles += c.cycles;
    if (c.macs > 0 && c.cycles > 0) util += c.utilization, ++n_util;
  }
  fmt::print("\n{} case(s): {} passed, {} failed, {} errors{}; {} chip cycles, mean utilization {:.1f}%, {:.0f} s\n",
             r.cases.size(), pass, fail, error, stopped ? " (interrupted)" : "", cycles,
             n_util ? 100.0 * util / static_cast<double>(n_util) : 0.0, r.meta.wall_seconds);
  fmt::print("base seed {}{}; reports in {}\n", r.meta.base_seed,
             r.meta.shard.empty() ? "" : fmt::format(", shard {}", r.meta.shard), out.string());
  fmt::print("functional coverage (all in report.html):\n{}", coverage_text(functional_coverage(r), 8));
  for (const CaseRecord& c : r.cases) {
    if (c.status == "pass") continue;
    fmt::print("\n{} case {} ({} on {}, seed {}): {}\n  params: {}\n  replay: {}\n",
               c.status == "fail" ? "FAIL" : "ERROR", c.index, c.kind, c.config, c.seed, c.message, c.params, c.replay);
    if (!c.minimized_replay.empty())
      fmt::print("  minimized: {}\n  replay minimized: {}\n", c.minimized_params, c.minimized_replay);
  }
}

bool below(const Coverage& cov, double min_coverage) {
  if (cov.reachable_percent() >= min_coverage) return false;
  fmt::print("functional coverage {:.1f}% of the reachable GEMM bins, below --min-coverage {}\n",
             cov.reachable_percent(), min_coverage);
  return true;
}

// --plan: the cases generated, not run; their functional coverage and their MACs per configuration
// (what the night will cost). Exit 1 when a case cannot be generated.
int print_plan(const RunConfig& rc, double min_coverage) {
  const Results r = plan_regression(rc);
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> macs;  // config -> (GEMMs, MACs)
  std::uint64_t bad = 0;
  for (const CaseRecord& c : r.cases) {
    if (c.status == "error") {
      fmt::print("case {} ({} on {}, seed {}): {}\n", c.index, c.kind, c.config, c.seed, c.message);
      ++bad;
      continue;
    }
    if (c.kind != "gemm") continue;
    const Params p = parse_params(c.params);
    auto& [n, m] = macs[c.config];
    ++n;
    m += std::stoull(p.at("M")) * std::stoull(p.at("K")) * std::stoull(p.at("N"));
  }
  fmt::print("plan: {} case(s) generated, none run\n", r.cases.size());
  for (const auto& [cfg, nm] : macs)
    fmt::print("  {}: {} GEMM(s), {:.3g} MACs ({:.3g} per GEMM)\n", cfg, nm.first, static_cast<double>(nm.second),
               static_cast<double>(nm.second) / static_cast<double>(nm.first));
  const Coverage cov = functional_coverage(r);
  fmt::print("{}", coverage_text(cov, 1000));
  if (bad) return 1;
  return below(cov, min_coverage) ? 3 : 0;
}

// Parses args (given in order) into app: -1 to go on, else the exit status (0 after --help, 2 for
// a usage error, with CLI11's message printed).
int parse_args(CLI::App& app, const std::vector<std::string>& args) {
  try {
    std::vector<std::string> rev(args.rbegin(), args.rend());
    app.parse(rev);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return -1;
}

// GTEST_SHARD_STATUS_FILE: a runner that shards tests this way checks the program knows it.
void touch_shard_status_file() {
  if (const char* f = std::getenv("GTEST_SHARD_STATUS_FILE"); f != nullptr && *f != '\0')
    std::ofstream(f, std::ios::app);
}

int cmd_run(const std::vector<std::string>& args, const std::string& command) {
  CLI::App app{"systole-regress [run]: constrained-random cases on the Verilated chips against the golden model",
               "systole-regress"};
  app.footer("Other commands (each with --help): systole-regress replay | minimize | merge");
  // Default: the chips this build has a model of (SYSTOLE_CHIP_CONFIGS; all three unless limited).
  std::vector<std::string> configs = systole::sim::chip_configs(), kinds = {"gemm", "dma", "vector", "kernel", "link"};
  std::uint64_t count = 0, seed = 0, max_macs = 0;
  double time_s = 0, timeout = 600, minimize_time = 300;
  unsigned jobs = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  std::string out, shard;
  bool no_minimize = false, plan = false;
  double min_coverage = 0;
  app.add_option("--configs", configs, "configurations, comma separated")
      ->delimiter(',')
      ->check(CLI::IsMember(kConfigs));
  app.add_option("--kinds", kinds, "case kinds, comma separated (a DMA case every 4th index)")
      ->delimiter(',')
      ->check(CLI::IsMember({"gemm", "dma", "vector", "kernel", "link"}));
  auto* n_opt =
      app.add_option("-n,--count", count, "cases in the run (default 100 unless --time)")->check(CLI::PositiveNumber);
  auto* t_opt =
      app.add_option("--time", time_s, "stop starting cases after this many seconds")->check(CLI::PositiveNumber);
  auto* s_opt = app.add_option("--seed", seed, "base seed (default: SYSTOLE_SEED, else time-derived)");
  app.add_option("-j,--jobs", jobs, "cases at once (default: processors)")->check(CLI::Range(1u, 1024u));
  app.add_option("--out", out, "report and log directory (default build/regress/<UTC timestamp>)");
  app.add_option("--shard", shard, "run shard i of n (else GTEST_SHARD_INDEX / GTEST_TOTAL_SHARDS)");
  app.add_option("--timeout", timeout, "seconds per case, scaled up for cases over the MAC budget")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--no-minimize", no_minimize, "do not minimize failures");
  app.add_option("--minimize-time", minimize_time, "seconds of minimizing per failure (at most 5 failures)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-macs", max_macs, "MAC budget of a GEMM case (default per configuration)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--plan", plan, "generate the cases and print the functional coverage they reach; simulate nothing")
      ->excludes(t_opt);
  app.add_option("--min-coverage", min_coverage,
                 "exit 3 when the reachable GEMM bins hit are below this percentage (and nothing failed)")
      ->check(CLI::Range(0.0, 100.0));
  if (const int status = parse_args(app, args); status >= 0) return status;

  if (!plan) {  // a plan simulates nothing, so it may name chips this build has no model of
    const std::vector<std::string> built = systole::sim::chip_configs();
    for (const std::string& c : configs) {
      if (std::find(built.begin(), built.end(), c) == built.end()) {
        fmt::print(stderr, "--configs: {} has no chip model in this build (built: {}; cmake -DSYSTOLE_CHIP_CONFIGS)\n",
                   c, fmt::join(built, ","));
        return 2;
      }
    }
  }
  RunConfig rc;
  rc.configs = configs;
  for (const std::string& k : kinds) {
    const CaseKind* kp = &kind_by_name(k);
    if (std::find(rc.kinds.begin(), rc.kinds.end(), kp) == rc.kinds.end()) rc.kinds.push_back(kp);
  }
  // A configuration that none of the kinds runs on is a usage error, not a run of failing cases
  // (the vector kind on a chip without the vector engine).
  for (const std::string& c : configs) {
    if (std::none_of(rc.kinds.begin(), rc.kinds.end(), [&](const CaseKind* k) { return k->supports(c); })) {
      fmt::print(stderr,
                 "--configs {}: no case kind of --kinds {} runs on it (the vector kind needs a vector engine)\n", c,
                 fmt::join(kinds, ","));
      return 2;
    }
  }
  if (*n_opt) rc.count = count;
  if (*t_opt) rc.time_s = time_s;
  if (!*n_opt && !*t_opt) rc.count = 100;
  rc.base_seed = *s_opt ? seed : default_seed();
  rc.jobs = jobs;
  rc.out = fs::absolute(out.empty() ? fs::path("build/regress") / utc_stamp() : fs::path(out));
  if (!shard.empty()) {
    unsigned i = 0, n = 0;
    char slash = 0;
    std::istringstream is(shard);
    if (!(is >> i >> slash >> n) || slash != '/' || !is.eof() || n == 0 || i >= n) {
      fmt::print(stderr, "--shard {}: expected i/n with 0 <= i < n, e.g. 2/8\n", shard);
      return 2;
    }
    rc.shard_index = i, rc.shard_count = n;
  } else if (const char* ti = std::getenv("GTEST_TOTAL_SHARDS"); ti != nullptr && *ti != '\0') {
    const char* ii = std::getenv("GTEST_SHARD_INDEX");
    const long n = std::strtol(ti, nullptr, 10), i = ii ? std::strtol(ii, nullptr, 10) : -1;
    if (n < 1 || i < 0 || i >= n) {
      fmt::print(stderr, "GTEST_TOTAL_SHARDS={} GTEST_SHARD_INDEX={}: expected 0 <= index < total\n", ti, ii ? ii : "");
      return 2;
    }
    rc.shard_index = static_cast<unsigned>(i), rc.shard_count = static_cast<unsigned>(n);
  }
  touch_shard_status_file();
  rc.timeout_s = timeout;
  rc.minimize = !no_minimize;
  rc.minimize_time_s = minimize_time;
  set_gemm_max_macs(max_macs);
  rc.exe = exe_path();
  if (max_macs) rc.replay_extra = fmt::format(" --max-macs {}", max_macs);
  rc.command = command;

  fmt::print("systole-regress: base seed {}, configs {}, kinds {}, {}{}, {}\n", rc.base_seed,
             fmt::join(rc.configs, ","), fmt::join(kinds, ","),
             rc.count ? fmt::format("{} cases", *rc.count) : std::string("no case limit"),
             rc.time_s ? fmt::format(", {:.0f} s", *rc.time_s) : std::string(),
             plan ? std::string("plan only") : fmt::format("{} job(s), out {}", rc.jobs, rc.out.string()));
  if (rc.shard_count > 1) fmt::print("shard {}/{}\n", rc.shard_index, rc.shard_count);
  if (plan) return print_plan(rc, min_coverage);
  std::fflush(stdout);
  const Results r = run_regression(rc);
  write_reports(rc.out, r);
  print_summary(r, rc.out, interrupted());
  const bool failed =
      std::any_of(r.cases.begin(), r.cases.end(), [](const CaseRecord& c) { return c.status != "pass"; });
  if (failed) return 1;
  if (interrupted()) return 130;
  return below(functional_coverage(r), min_coverage) ? 3 : 0;
}

struct OneCase {
  std::string kind, config, set;
  std::uint64_t seed = 0, max_macs = 0;
};

void add_case_options(CLI::App& app, OneCase& c) {
  app.add_option("--kind", c.kind, "case kind")
      ->required()
      ->check(CLI::IsMember({"gemm", "dma", "vector", "kernel", "link"}));
  app.add_option("--config", c.config, "configuration")->required()->check(CLI::IsMember(kConfigs));
  app.add_option("--seed", c.seed, "the case's seed (from the run's report)")->required();
  app.add_option("--set", c.set, "parameter overrides, 'k=v k=v' (e.g. a minimized case)");
  app.add_option("--max-macs", c.max_macs, "the run's --max-macs, if it had one")->check(CLI::PositiveNumber);
}

// The case's parameters with the --set overrides; nullopt after printing what was wrong.
std::optional<Params> case_params(const OneCase& c) {
  try {
    set_gemm_max_macs(c.max_macs);
    Params p = kind_by_name(c.kind).generate(c.config, c.seed);
    for (const auto& [k, v] : parse_params(c.set)) p[k] = v;
    return p;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "{}\n", e.what());
    return std::nullopt;
  }
}

int cmd_replay(const std::vector<std::string>& args) {
  CLI::App app{"systole-regress replay: one case, in this process (runs under gdb; an assertion shows directly)",
               "systole-regress replay"};
  OneCase c;
  add_case_options(app, c);
  if (const int status = parse_args(app, args); status >= 0) return status;
  const std::optional<Params> generated = case_params(c);
  if (!generated) return 2;
  const Params& p = *generated;
  fmt::print("{} on {}, seed {}: {}\n", c.kind, c.config, c.seed, params_text(p));
  std::fflush(stdout);
  const JobResult r = run_case_here(kind_by_name(c.kind), c.config, c.seed, p);
  fmt::print("{} ({:.1f} s, {} cycles, {} MACs){}{}\n", r.status, r.wall_seconds, r.outcome.cycles, r.outcome.macs,
             r.outcome.message.empty() ? "" : ": ", r.outcome.message);
  return r.status == "pass" ? 0 : r.invalid ? 2 : 1;
}

int cmd_minimize(const std::vector<std::string>& args) {
  CLI::App app{"systole-regress minimize: shrink one failing case while it still fails", "systole-regress minimize"};
  OneCase c;
  double time_s = 300, timeout = 600;
  std::string out;
  add_case_options(app, c);
  app.add_option("--minimize-time", time_s, "seconds of minimizing")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--timeout", timeout, "seconds per candidate")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--out", out, "candidate logs (default build/regress/minimize-<UTC timestamp>)");
  if (const int status = parse_args(app, args); status >= 0) return status;
  const std::optional<Params> generated = case_params(c);
  if (!generated) return 2;
  const Params& p = *generated;
  const CaseKind& kind = kind_by_name(c.kind);
  const fs::path dir =
      fs::absolute(out.empty() ? fs::path("build/regress") / ("minimize-" + utc_stamp()) : fs::path(out));
  fs::create_directories(dir);
  unsigned n = 0;
  auto run = [&](const Params& q) {
    const fs::path log = dir / fmt::format("cand{}.log", n++);
    JobResult r = run_in_child(candidate_job(kind, c.config, c.seed, q, timeout, log));
    std::error_code ec;
    if (!still_failing(r)) fs::remove(log, ec);
    return r;
  };
  fmt::print("{} on {}, seed {}: {}\n", c.kind, c.config, c.seed, params_text(p));
  std::fflush(stdout);
  const JobResult first = run(p);
  fmt::print("{}{}{}\n", first.status, first.outcome.message.empty() ? "" : ": ", first.outcome.message);
  if (first.invalid) return 2;
  if (!still_failing(first)) {
    fmt::print("the case does not fail: nothing to minimize\n");
    return 0;
  }
  const MinimizeResult m = minimize(kind, c.config, p, first, run, time_s, [](const std::string& s) {
    fmt::print("{}\n", s);
    std::fflush(stdout);
  });
  RunConfig rc;
  rc.exe = exe_path();
  if (c.max_macs) rc.replay_extra = fmt::format(" --max-macs {}", c.max_macs);
  fmt::print("{} step(s), {} candidate(s) run{}; logs in {}\nminimized: {}\n{}: {}\nreplay: {}\n", m.steps, m.tried,
             m.out_of_time ? ", stopped by --minimize-time" : "", dir.string(), params_text(m.params), m.result.status,
             m.result.outcome.message, replay_command(rc, c.kind, c.config, c.seed, &m.params));
  return 1;
}

int cmd_merge(const std::vector<std::string>& args) {
  CLI::App app{"systole-regress merge: join the results.json of the shards of one run into one report",
               "systole-regress merge"};
  std::string out;
  std::vector<std::string> inputs;
  app.add_option("--out", out, "directory of the merged reports")->required();
  app.add_option("results", inputs, "results.json of each shard")->required()->check(CLI::ExistingFile);
  if (const int status = parse_args(app, args); status >= 0) return status;
  Results r;
  try {
    std::vector<Results> parts;
    for (const std::string& f : inputs) parts.push_back(read_results(f));
    r = merge_results(parts);
    write_reports(out, r);
  } catch (const std::runtime_error& e) {
    fmt::print(stderr, "merge: {}\n", e.what());
    return 2;
  }
  print_summary(r, out, false);
  return std::any_of(r.cases.begin(), r.cases.end(), [](const CaseRecord& c) { return c.status != "pass"; }) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = exe_path();
  for (const std::string& a : args) command += " " + a;
  const std::string sub = args.empty() ? "" : args.front();
  if (sub == "replay" || sub == "minimize" || sub == "merge" || sub == "run") args.erase(args.begin());
  try {
    if (sub == "replay") return cmd_replay(args);
    if (sub == "minimize") return cmd_minimize(args);
    if (sub == "merge") return cmd_merge(args);
    return cmd_run(args, command);
  } catch (const std::exception& e) {
    fmt::print(stderr, "systole-regress: {}\n", e.what());
    return 2;
  }
}
