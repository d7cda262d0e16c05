// Case planning and the pool of forked children (runner.hpp).
#include "runner.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "gemm_case.hpp"

namespace systole::verif::regress {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::uint64_t case_seed(std::uint64_t base, std::uint64_t index) {
  auto mix = [](std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  return mix(mix(base) ^ index);
}

CaseSlot case_slot(std::uint64_t index, const std::vector<std::string>& configs,
                   const std::vector<const CaseKind*>& kinds) {
  CaseSlot s;
  s.config = configs.at(index % configs.size());
  if (kinds.size() == 1) {
    s.kind = kinds[0];
    return s;
  }
  std::vector<const CaseKind*> order = kinds;
  const auto main = std::find_if(order.begin(), order.end(), [](const CaseKind* k) { return k->name() == "gemm"; });
  if (main != order.end()) std::rotate(order.begin(), main, main + 1);
  // Counting per configuration, so that every configuration gets its share of each kind.
  const std::uint64_t round = index / configs.size();
  s.kind = round % 4 == 3 ? order[1 + (round / 4) % (order.size() - 1)] : order[0];
  if (!s.kind->supports(s.config)) s.kind = order[0];  // (the vector kind on a chip without the engine)
  return s;
}

bool in_shard(std::uint64_t index, unsigned shard_index, unsigned shard_count) {
  return shard_count <= 1 || index % shard_count == shard_index;
}

double case_timeout(double base, const std::string& config, const Params& p) {
  std::uint64_t macs = 1;
  for (const char* k : {"M", "K", "N"}) {
    const auto it = p.find(k);
    if (it == p.end()) return base;
    macs *= std::strtoull(it->second.c_str(), nullptr, 10);
  }
  std::uint64_t budget = 0;
  try {
    budget = gemm_max_macs(config);
  } catch (const std::exception&) {
    return base;
  }
  return budget && macs > budget ? base * static_cast<double>(macs) / static_cast<double>(budget) : base;
}

JobResult run_case_here(const CaseKind& kind, const std::string& config, std::uint64_t seed, const Params& p) {
  JobResult r;
  const auto t0 = Clock::now();
  try {
    r.outcome = kind.run(config, seed, p);
    r.status = r.outcome.pass ? "pass" : "fail";
  } catch (const std::invalid_argument& e) {
    r.status = "error";
    r.invalid = true;
    r.outcome = Outcome{};
    r.outcome.message = fmt::format("invalid parameters: {}", e.what());
  } catch (const std::exception& e) {
    r.status = "error";
    r.outcome = Outcome{};
    r.outcome.message = fmt::format("exception: {}", e.what());
  }
  r.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

namespace {

fs::path outcome_path(const fs::path& log) { return fs::path(log.string() + ".outcome"); }

void write_outcome(const fs::path& log, const JobResult& r) {
  const nlohmann::json j = {{"status", r.status},     {"message", r.outcome.message}, {"cycles", r.outcome.cycles},
                            {"macs", r.outcome.macs}, {"invalid", r.invalid},         {"wall_seconds", r.wall_seconds}};
  const fs::path tmp = log.string() + ".outcome.tmp";
  {
    std::ofstream f(tmp);
    f << j.dump();
    if (!f) return;
  }
  std::rename(tmp.c_str(), outcome_path(log).c_str());
}

std::optional<JobResult> read_outcome(const fs::path& log) {
  std::ifstream f(outcome_path(log));
  if (!f) return std::nullopt;
  try {
    const nlohmann::json j = nlohmann::json::parse(f);
    JobResult r;
    r.status = j.at("status").get<std::string>();
    r.outcome.message = j.at("message").get<std::string>();
    r.outcome.cycles = j.at("cycles").get<std::uint64_t>();
    r.outcome.macs = j.at("macs").get<std::uint64_t>();
    r.outcome.pass = r.status == "pass";
    r.invalid = j.at("invalid").get<bool>();
    r.wall_seconds = j.at("wall_seconds").get<double>();
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// "; log: " and the last `n` non-empty lines of a log after its first `skip` (the header), joined
// by " | "; empty when there are none.
std::string log_tail(const fs::path& log, std::size_t n, std::size_t skip) {
  std::ifstream f(log);
  std::vector<std::string> lines;
  for (std::string l; std::getline(f, l);) {
    if (skip > 0) {
      --skip;
      continue;
    }
    if (!l.empty()) lines.push_back(l.size() > 400 ? l.substr(0, 400) + "..." : l);
  }
  const std::size_t from = lines.size() > n ? lines.size() - n : 0;
  std::string s;
  for (std::size_t i = from; i < lines.size(); ++i) s += (s.empty() ? "; log: " : " | ") + lines[i];
  return s;
}

std::size_t header_lines(const Job& j) {
  return 1 + static_cast<std::size_t>(std::count(j.header.begin(), j.header.end(), '\n'));
}

// In the child: never returns.
[[noreturn]] void child_main(const Job& job, pid_t parent) {
  setpgid(0, 0);  // out of the terminal's process group: Ctrl-C reaches the parent only
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(125);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  const int fd = open(job.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
  }
  std::fprintf(stdout, "%s\n", job.header.c_str());
  std::fflush(stdout);
  const JobResult r = run_case_here(*job.kind, job.config, job.seed, job.params);
  std::fprintf(stdout, "%s: %s\n", r.status.c_str(), r.outcome.message.c_str());
  std::fflush(stdout);
  std::fflush(stderr);
  write_outcome(job.log, r);
  _exit(0);
}

std::string describe_death(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return fmt::format("the case process died of signal {} ({}{})", sig, strsignal(sig),
                       sig == SIGABRT ? ": an RTL assertion or a failed check aborted it" : "");
  }
  if (WIFEXITED(status))
    return fmt::format("the case process exited with code {} without an outcome", WEXITSTATUS(status));
  return "the case process ended without an outcome";
}

}  // namespace

Pool::Pool(unsigned jobs) : jobs_(std::max(1u, jobs)) {}

Pool::~Pool() { kill_all(); }

void Pool::start(const Job& job, std::uint64_t tag) {
  std::error_code ec;
  fs::remove(outcome_path(job.log), ec);
  if (!job.log.parent_path().empty()) fs::create_directories(job.log.parent_path(), ec);
  std::fflush(nullptr);  // the child must not inherit (and later repeat) buffered output
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(fmt::format("fork failed: {}", std::strerror(errno)));
  if (pid == 0) child_main(job, parent);
  running_.emplace(pid, Child{tag, job, Clock::now()});
}

std::vector<std::pair<std::uint64_t, JobResult>> Pool::poll(std::chrono::milliseconds wait) {
  std::vector<std::pair<std::uint64_t, JobResult>> done;
  const auto until = Clock::now() + wait;
  while (true) {
    for (auto it = running_.begin(); it != running_.end();) {
      const auto& [pid, ch] = *it;
      const double elapsed = std::chrono::duration<double>(Clock::now() - ch.start).count();
      int status = 0;
      pid_t w = waitpid(pid, &status, WNOHANG);
      bool timed_out = false;
      if (w == 0 && elapsed > ch.job.timeout_s) {
        kill(pid, SIGKILL);
        w = waitpid(pid, &status, 0);
        timed_out = true;
      }
      if (w == 0) {
        ++it;
        continue;
      }
      JobResult r;
      if (timed_out) {
        r.status = "error";
        r.outcome.message = fmt::format("timeout after {:.0f} s (killed){}", ch.job.timeout_s,
                                        log_tail(ch.job.log, 3, header_lines(ch.job)));
        r.wall_seconds = elapsed;
      } else if (auto o = read_outcome(ch.job.log)) {
        r = *o;
      } else {
        r.status = "error";
        r.outcome.message = describe_death(status) + log_tail(ch.job.log, 8, header_lines(ch.job));
        r.wall_seconds = elapsed;
      }
      std::error_code ec;
      fs::remove(outcome_path(ch.job.log), ec);
      done.emplace_back(ch.tag, std::move(r));
      it = running_.erase(it);
    }
    if (!done.empty() || running_.empty() || Clock::now() >= until) return done;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Pool::kill_all() {
  for (const auto& [pid, ch] : running_) kill(pid, SIGKILL);
  for (const auto& [pid, ch] : running_) {
    int status = 0;
    waitpid(pid, &status, 0);
    std::error_code ec;
    fs::remove(outcome_path(ch.job.log), ec);
  }
  running_.clear();
}

JobResult run_in_child(const Job& job) {
  Pool pool(1);
  pool.start(job, 0);
  while (true) {
    auto done = pool.poll(std::chrono::milliseconds(200));
    if (!done.empty()) return std::move(done.front().second);
  }
}

}  // namespace systole::verif::regress
