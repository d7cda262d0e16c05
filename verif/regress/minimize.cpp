// Greedy minimizer (minimize.hpp).
#include "minimize.hpp"

#include <fmt/format.h>

namespace systole::verif::regress {

Minimizer::Minimizer(const CaseKind& kind, std::string config, const Params& start, const JobResult& start_result,
                     double time_s, std::function<void(const std::string&)> progress)
    : kind_(kind),
      config_(std::move(config)),
      deadline_(std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(time_s))),
      progress_(std::move(progress)) {
  m_.params = start;
  m_.result = start_result;
  tried_.insert(start);
  cands_ = kind_.shrink(config_, start);
}

std::optional<Params> Minimizer::next() {
  if (std::chrono::steady_clock::now() >= deadline_) {
    m_.out_of_time = next_ < cands_.size();
    next_ = cands_.size();
    return std::nullopt;
  }
  while (next_ < cands_.size()) {
    const Params& c = cands_[next_++];
    if (tried_.insert(c).second) {
      pending_ = c;
      return pending_;
    }
  }
  return std::nullopt;
}

void Minimizer::report(const JobResult& r) {
  ++m_.tried;
  if (!still_failing(r)) return;
  m_.params = pending_;
  m_.result = r;
  ++m_.steps;
  if (progress_) progress_(fmt::format("step {}: {} ({})", m_.steps, params_text(m_.params), r.status));
  cands_ = kind_.shrink(config_, m_.params);
  next_ = 0;
}

MinimizeResult minimize(const CaseKind& kind, const std::string& config, const Params& start,
                        const JobResult& start_result, const CandidateRunner& run, double time_s,
                        const std::function<void(const std::string&)>& progress) {
  Minimizer m(kind, config, start, start_result, time_s, progress);
  while (auto c = m.next()) m.report(run(*c));
  return m.result();
}

Job candidate_job(const CaseKind& kind, const std::string& config, std::uint64_t seed, const Params& p,
                  double timeout_base, const std::filesystem::path& log) {
  Job job;
  job.kind = &kind;
  job.config = config;
  job.seed = seed;
  job.params = p;
  job.timeout_s = case_timeout(timeout_base, config, p);
  job.log = log;
  job.header = fmt::format("minimize candidate: {} on {} seed {}: {}", kind.name(), config, seed, params_text(p));
  return job;
}

}  // namespace systole::verif::regress
