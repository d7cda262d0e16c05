// The minimizer: greedy shrinking of a failing case. kind.shrink() proposes simpler variants,
// most promising first; the first that still fails ("fail" or "error", not rejected parameters)
// becomes the case and shrink() is asked again, until no variant fails or the time is up.
//
// Minimizer is the step machine (the runner drives several at once through its pool, one
// candidate in flight each); minimize() runs one to the end with a CandidateRunner (a forked
// child with a timeout in systole-regress, anything in tests).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "case_kind.hpp"
#include "runner.hpp"

namespace systole::verif::regress {

// Whether a result counts as still failing.
inline bool still_failing(const JobResult& r) { return r.status != "pass" && !r.invalid; }

struct MinimizeResult {
  Params params;       // the smallest still failing (the start when nothing smaller failed)
  JobResult result;    // its result (the start's when nothing smaller failed: not re-run)
  unsigned steps = 0;  // accepted shrinks
  unsigned tried = 0;  // candidates run
  bool out_of_time = false;
};

class Minimizer {
 public:
  // `start` failed with `start_result`; `progress` (may be empty) gets a line per accepted step.
  Minimizer(const CaseKind& kind, std::string config, const Params& start, const JobResult& start_result, double time_s,
            std::function<void(const std::string&)> progress = {});
  // The next candidate to run, or nullopt when finished (none left, or out of time).
  std::optional<Params> next();
  // The result of the candidate next() returned last.
  void report(const JobResult& r);
  const MinimizeResult& result() const { return m_; }

 private:
  const CaseKind& kind_;
  std::string config_;
  std::chrono::steady_clock::time_point deadline_;
  std::function<void(const std::string&)> progress_;
  MinimizeResult m_;
  std::vector<Params> cands_;
  std::size_t next_ = 0;
  Params pending_;
  std::set<Params> tried_;  // shrink() of different cases may propose the same variant
};

using CandidateRunner = std::function<JobResult(const Params&)>;
MinimizeResult minimize(const CaseKind& kind, const std::string& config, const Params& start,
                        const JobResult& start_result, const CandidateRunner& run, double time_s,
                        const std::function<void(const std::string&)>& progress = {});

// A candidate as a Job for the pool: case_timeout(timeout_base, ...), log `log`.
Job candidate_job(const CaseKind& kind, const std::string& config, std::uint64_t seed, const Params& p,
                  double timeout_base, const std::filesystem::path& log);

}  // namespace systole::verif::regress
