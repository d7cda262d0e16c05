// The run loop of systole-regress (runner.hpp): starts the cases of this shard through the pool,
// records their outcomes, shows progress, then minimizes the first failures in parallel.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>
#include <stdexcept>

#include "minimize.hpp"
#include "runner.hpp"
#include "systole/golden/config.hpp"

namespace systole::verif::regress {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_stop_signal(int) { g_stop = 1; }

void install_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sa.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills the runner outright
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=,:") ==
                        std::string::npos) {
    return s;
  }
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

double utilization(const std::string& config, std::uint64_t macs, std::uint64_t cycles) {
  if (cycles == 0) return 0;
  try {
    const golden::Config c = golden::Config::by_name(config);
    return static_cast<double>(macs) / (static_cast<double>(c.partitions) * c.columns * static_cast<double>(cycles));
  } catch (const std::exception&) {
    return 0;
  }
}

// The live progress line: rewritten in place on a terminal, a plain line every 15 s otherwise.
class Progress {
 public:
  explicit Progress(bool quiet) : quiet_(quiet), tty_(isatty(STDOUT_FILENO) != 0), t0_(Clock::now()) {}
  void update(const Results& r, std::size_t running, std::optional<std::uint64_t> total, std::optional<double> time_s,
              bool force = false) {
    if (quiet_) return;
    const auto now = Clock::now();
    if (!force && now - last_ < (tty_ ? std::chrono::milliseconds(500) : std::chrono::seconds(15))) return;
    last_ = now;
    std::uint64_t pass = 0, fail = 0, error = 0, n_util = 0;
    double util = 0;
    for (const CaseRecord& c : r.cases) {
      (c.status == "pass" ? pass : c.status == "fail" ? fail : error)++;
      if (c.macs > 0 && c.cycles > 0) {
        util += c.utilization;
        ++n_util;
      }
    }
    const double mins = std::chrono::duration<double>(now - t0_).count() / 60.0;
    std::string where = total ? fmt::format("{}/{}", r.cases.size(), *total) : fmt::format("{}", r.cases.size());
    if (time_s) {
      const double left = std::max(0.0, *time_s - mins * 60.0);
      where += fmt::format(", {}:{:02} left", static_cast<int>(left) / 60, static_cast<int>(left) % 60);
    }
    const std::string line =
        fmt::format("[{}] pass {} fail {} error {} | {:.1f} cases/min | util {:.1f}% | {} running", where, pass, fail,
                    error, mins > 0 ? static_cast<double>(r.cases.size()) / mins : 0,
                    n_util ? 100.0 * util / static_cast<double>(n_util) : 0.0, running);
    if (tty_) {
      std::fprintf(stdout, "\r%-100s", line.c_str());
      shown_ = true;
    } else {
      std::fprintf(stdout, "%s\n", line.c_str());
    }
    std::fflush(stdout);
  }
  // A line of its own (a failure, a minimizer step), above the progress line.
  void print(const std::string& s) {
    if (quiet_) return;
    if (tty_ && shown_) std::fprintf(stdout, "\r%-100s\r", "");
    std::fprintf(stdout, "%s\n", s.c_str());
    std::fflush(stdout);
    last_ = {};
  }
  void finish() {
    if (!quiet_ && tty_ && shown_) std::fprintf(stdout, "\n");
    shown_ = false;
  }

 private:
  bool quiet_, tty_;
  bool shown_ = false;
  Clock::time_point t0_, last_{};
};

}  // namespace

bool interrupted() { return g_stop != 0; }

std::string replay_command(const RunConfig& rc, const std::string& kind, const std::string& config, std::uint64_t seed,
                           const Params* params) {
  std::string s = fmt::format("{} replay --kind {} --config {} --seed {}{}", shell_quote(rc.exe), kind, config, seed,
                              rc.replay_extra);
  if (params) s += " --set " + shell_quote(params_text(*params));
  return s;
}

Params plan_case(const RunConfig& rc, std::uint64_t index, CaseRecord& c) {
  const CaseSlot slot = case_slot(index, rc.configs, rc.kinds);
  c.kind = slot.kind->name();
  c.config = slot.config;
  c.index = index;
  c.seed = case_seed(rc.base_seed, index);
  c.replay = replay_command(rc, c.kind, c.config, c.seed);
  Params p = slot.kind->generate(c.config, c.seed);
  c.params = params_text(p);
  const CoverageKey cov = slot.kind->coverage(c.config, p);
  c.dtype = cov.dtype;
  c.shape_class = cov.shape_class;
  c.accumulate = cov.accumulate;
  c.values = cov.values;
  c.stall = cov.stall;
  c.bins = slot.kind->bins(c.config, c.seed, p);
  return p;
}

RunMeta run_meta(const RunConfig& rc) {
  RunMeta m;
  m.started = utc_now();
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  m.host = host;
  m.command = rc.command;
  m.base_seed = rc.base_seed;
  m.shard = rc.shard_count > 1 ? fmt::format("{}/{}", rc.shard_index, rc.shard_count) : "";
  m.configs = rc.configs;
  for (const CaseKind* k : rc.kinds) m.kinds.push_back(k->name());
  m.jobs = rc.jobs;
  return m;
}

Results plan_regression(const RunConfig& rc) {
  if (!rc.count) throw std::invalid_argument("a plan needs a case count (-n), not a time budget");
  Results res;
  res.meta = run_meta(rc);
  for (std::uint64_t k = rc.shard_count > 1 ? rc.shard_index : 0; k < *rc.count; k += std::max(1u, rc.shard_count)) {
    CaseRecord c;
    try {
      plan_case(rc, k, c);
    } catch (const std::exception& e) {
      c.status = "error";
      c.message = fmt::format("generating the case failed: {}", e.what());
    }
    res.cases.push_back(std::move(c));
  }
  return res;
}

Results run_regression(const RunConfig& rc) {
  install_handlers();
  g_stop = 0;
  const auto t0 = Clock::now();
  Results res;
  res.meta = run_meta(rc);
  const fs::path logs = rc.out / "logs";
  fs::create_directories(logs);

  std::optional<std::uint64_t> total;
  if (rc.count) {
    std::uint64_t n = 0;
    for (std::uint64_t k = 0; k < *rc.count; ++k) n += in_shard(k, rc.shard_index, rc.shard_count);
    total = n;
  }
  Progress progress(rc.quiet);
  Pool pool(rc.jobs);
  std::map<std::uint64_t, CaseRecord> running;  // by index
  std::uint64_t next = rc.shard_count > 1 ? rc.shard_index : 0;
  const std::uint64_t step = std::max(1u, rc.shard_count);
  auto more = [&] {
    if (rc.count && next >= *rc.count) return false;
    if (rc.time_s && std::chrono::duration<double>(Clock::now() - t0).count() >= *rc.time_s) return false;
    return g_stop == 0;
  };
  auto record_done = [&](CaseRecord c) {
    if (c.status != "pass") {
      progress.print(fmt::format("{} case {} ({} on {}, seed {}): {}\n  replay: {}",
                                 c.status == "fail" ? "FAIL" : "ERROR", c.index, c.kind, c.config, c.seed, c.message,
                                 c.replay));
    }
    const auto pos = std::upper_bound(res.cases.begin(), res.cases.end(), c.index,
                                      [](std::uint64_t i, const CaseRecord& x) { return i < x.index; });
    res.cases.insert(pos, std::move(c));
  };

  while (true) {
    while (!pool.full() && more()) {
      const std::uint64_t k = next;
      next += step;
      const CaseSlot slot = case_slot(k, rc.configs, rc.kinds);
      CaseRecord c;
      Params p;
      try {
        p = plan_case(rc, k, c);
      } catch (const std::exception& e) {
        c.status = "error";
        c.message = fmt::format("generating the case failed: {}", e.what());
        record_done(std::move(c));
        continue;
      }
      Job job;
      job.kind = slot.kind;
      job.config = c.config;
      job.seed = c.seed;
      job.params = p;
      job.timeout_s = case_timeout(rc.timeout_s, c.config, p);
      job.log = logs / fmt::format("{}.log", k);
      job.header =
          fmt::format("case {}: {} on {}, seed {}: {}\nreplay: {}", k, c.kind, c.config, c.seed, c.params, c.replay);
      pool.start(job, k);
      running.emplace(k, std::move(c));
    }
    if (pool.running() == 0 && (!more() || g_stop)) break;
    for (auto& [k, r] : pool.poll(std::chrono::milliseconds(100))) {
      CaseRecord c = std::move(running.at(k));
      running.erase(k);
      c.status = r.status;
      c.message = r.outcome.message;
      c.cycles = r.outcome.cycles;
      c.macs = r.outcome.macs;
      c.utilization = utilization(c.config, c.macs, c.cycles);
      c.wall_seconds = r.wall_seconds;
      if (c.status == "pass") {
        std::error_code ec;
        fs::remove(logs / fmt::format("{}.log", k), ec);
      } else {
        c.message += fmt::format(" (log: {})", (logs / fmt::format("{}.log", k)).string());
      }
      record_done(std::move(c));
    }
    if (g_stop) {
      pool.kill_all();
      break;
    }
    progress.update(res, pool.running(), total, rc.time_s);
  }
  progress.update(res, 0, total, rc.time_s, true);
  progress.finish();

  // Minimize the first failures, all at once (one candidate in flight per failure).
  if (rc.minimize && !g_stop) {
    struct Active {
      std::size_t pos;  // in res.cases
      std::unique_ptr<Minimizer> m;
      const CaseKind* kind;
      bool busy = false, done = false;
      unsigned n = 0;
    };
    std::vector<Active> act;
    for (std::size_t i = 0; i < res.cases.size() && act.size() < rc.minimize_max; ++i) {
      const CaseRecord& c = res.cases[i];
      if (c.status == "pass" || c.params.empty() || c.message.rfind("invalid parameters", 0) == 0) continue;
      const CaseKind* kind = nullptr;
      for (const CaseKind* k : rc.kinds) kind = k->name() == c.kind ? k : kind;
      JobResult start;
      start.status = c.status;
      start.outcome.message = c.message;
      try {
        auto m = std::make_unique<Minimizer>(*kind, c.config, parse_params(c.params), start, rc.minimize_time_s,
                                             [&progress, idx = c.index](const std::string& s) {
                                               progress.print(fmt::format("minimize case {}: {}", idx, s));
                                             });
        act.push_back(Active{i, std::move(m), kind});
      } catch (const std::exception& e) {
        progress.print(fmt::format("minimize case {}: cannot shrink: {}", c.index, e.what()));
      }
    }
    if (!act.empty()) {
      progress.print(fmt::format("minimizing {} failure(s), up to {:.0f} s each", act.size(), rc.minimize_time_s));
    }
    while (!g_stop) {
      for (std::size_t a = 0; a < act.size() && !pool.full(); ++a) {
        Active& x = act[a];
        if (x.busy || x.done) continue;
        const auto cand = x.m->next();
        if (!cand) {
          x.done = true;
          continue;
        }
        const CaseRecord& c = res.cases[x.pos];
        pool.start(candidate_job(*x.kind, c.config, c.seed, *cand, rc.timeout_s,
                                 logs / fmt::format("{}.min{}.log", c.index, x.n++)),
                   a);
        x.busy = true;
      }
      if (pool.running() == 0) break;
      for (auto& [a, r] : pool.poll(std::chrono::milliseconds(200))) {
        act[a].busy = false;
        act[a].m->report(r);
      }
    }
    pool.kill_all();
    for (Active& x : act) {
      CaseRecord& c = res.cases[x.pos];
      const MinimizeResult& m = x.m->result();
      if (m.steps == 0) continue;
      c.minimized_params = params_text(m.params);
      c.minimized_replay = replay_command(rc, c.kind, c.config, c.seed, &m.params);
    }
    // Candidate logs: only the minimized case's own log is worth keeping; they all start with
    // their parameters, so the minimized replay is enough.
    std::vector<fs::path> cand_logs;
    for (const auto& e : fs::directory_iterator(logs)) {
      if (e.path().filename().string().find(".min") != std::string::npos) cand_logs.push_back(e.path());
    }
    for (const fs::path& f : cand_logs) fs::remove(f);
  }
  res.meta.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return res;
}

}  // namespace systole::verif::regress
