// The regression runner's machinery: which case index k is (config, kind, seed, shard), a pool
// of forked children that run cases with a per-case timeout, and the run loop that drives the
// pool, shows progress and produces the Results (systole-regress run; docs/verification.md).
//
// Every case runs in its own child process: an RTL assertion aborts only that child, a hang is
// killed at its timeout, and the parent keeps going. The child writes its stdout/stderr to a log
// file and its outcome to "<log>.outcome" (written to a temporary name and renamed, so a child
// killed mid-write leaves none); a child that ends without an outcome is an "error" whose
// message is how it died plus the last lines of its log (an assertion names itself there).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "case_kind.hpp"
#include "regress_record.hpp"

namespace systole::verif::regress {

// ---- case planning --------------------------------------------------------------------------
// The seed of case `index` of a run with base seed `base` (splitmix64 of both): any case
// replays alone, and neighbouring indices get unrelated seeds.
std::uint64_t case_seed(std::uint64_t base, std::uint64_t index);
// Case k runs on configs[k % configs.size()]. With one kind every case is of that kind; with
// several, the first is the main one (gemm when present) and every 4th case of each
// configuration is of another (in turn); a slot whose kind does not run on the configuration
// (CaseKind::supports: the vector kind on tiny) goes to the main kind.
struct CaseSlot {
  std::string config;
  const CaseKind* kind = nullptr;
};
CaseSlot case_slot(std::uint64_t index, const std::vector<std::string>& configs,
                   const std::vector<const CaseKind*>& kinds);
// Shard i of n runs the indices k with k % n == i.
bool in_shard(std::uint64_t index, unsigned shard_index, unsigned shard_count);
// Wall-clock limit of a case: `base` seconds, times M*K*N over the configuration's MAC budget
// when the case has M, K, N parameters above it (minimized and --set cases may).
double case_timeout(double base, const std::string& config, const Params& p);

// ---- running one case -------------------------------------------------------------------------
struct JobResult {
  std::string status;    // "pass" | "fail" | "error"
  Outcome outcome;       // outcome.message holds the error text for "error"
  bool invalid = false;  // run() rejected the parameters (std::invalid_argument)
  double wall_seconds = 0;
};
// In this process (replay): exceptions become "error" results; nothing is caught beyond that.
JobResult run_case_here(const CaseKind& kind, const std::string& config, std::uint64_t seed, const Params& p);

struct Job {
  const CaseKind* kind = nullptr;
  std::string config;
  std::uint64_t seed = 0;
  Params params;
  double timeout_s = 600;
  std::filesystem::path log;  // the child's stdout and stderr
  std::string header;         // first line of the log (what the case is, its replay command)
};

// Up to `jobs` children at once. Not thread-safe; one pool per process at a time.
class Pool {
 public:
  explicit Pool(unsigned jobs);
  ~Pool();  // kills what still runs
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  bool full() const { return running_.size() >= jobs_; }
  std::size_t running() const { return running_.size(); }
  // Forks a child for the job; `tag` comes back with its result.
  void start(const Job& job, std::uint64_t tag);
  // Reaps finished children and kills those past their timeout; waits up to `wait` for the first.
  std::vector<std::pair<std::uint64_t, JobResult>> poll(std::chrono::milliseconds wait);
  // SIGKILL to every child, reaped; their results are dropped.
  void kill_all();

 private:
  struct Child {
    std::uint64_t tag;
    Job job;
    std::chrono::steady_clock::time_point start;
  };
  unsigned jobs_;
  std::map<int, Child> running_;  // by pid
};

// One job in a child, waited for (the minimizer's candidates, tests).
JobResult run_in_child(const Job& job);

// ---- the run ----------------------------------------------------------------------------------
struct RunConfig {
  std::vector<std::string> configs;
  std::vector<const CaseKind*> kinds;
  std::optional<std::uint64_t> count;  // cases in the whole (unsharded) run
  std::optional<double> time_s;        // stop starting cases after this
  std::uint64_t base_seed = 0;
  unsigned jobs = 1;
  std::filesystem::path out;  // logs/ and the reports
  unsigned shard_index = 0, shard_count = 1;
  double timeout_s = 600;  // per case, scaled by case_timeout()
  bool minimize = true;
  double minimize_time_s = 300;  // per failure
  unsigned minimize_max = 5;     // failures minimized
  std::string exe;               // absolute path of systole-regress, for the replay commands
  std::string replay_extra;      // appended to every replay command (e.g. " --max-macs 1000")
  std::string command;           // this run's command line (RunMeta)
  bool quiet = false;            // no progress line or summary (tests)
};

// "<exe> replay --kind K --config C --seed S<extra>" and, with params, " --set '<params>'".
std::string replay_command(const RunConfig& rc, const std::string& kind, const std::string& config, std::uint64_t seed,
                           const Params* params = nullptr);

// Case `index` of the run, generated: fills c's kind, config, index, seed, replay, params and
// coverage attributes (status and outcome stay empty) and returns the parameters. Throws what
// the kind's generate() throws.
Params plan_case(const RunConfig& rc, std::uint64_t index, CaseRecord& c);
// The meta of a run with these options (started now, this host).
RunMeta run_meta(const RunConfig& rc);
// Every case of the run (rc.count of them, this shard's indices) generated but not run, status
// empty ("error" with the reason where generation failed): what `run` with the same options
// would simulate, and so the functional coverage it would reach (systole-regress run --plan).
// Throws std::invalid_argument without rc.count.
Results plan_regression(const RunConfig& rc);

// Runs the cases (SIGINT/SIGTERM stop it early: running cases are killed and dropped, the
// completed ones kept), minimizes up to minimize_max failures, returns the results. The caller
// writes the reports. Cases in index order.
Results run_regression(const RunConfig& rc);

// Set by the SIGINT/SIGTERM handlers that run_regression() installs.
bool interrupted();

}  // namespace systole::verif::regress
