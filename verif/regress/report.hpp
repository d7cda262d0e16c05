// Reports of a regression run: results.json (the record every other report and the shard merge
// read back), JUnit XML for CI servers, and one self-contained static HTML page (totals, failures
// with their replay commands, utilization histograms, functional coverage, every case).
// Shards of one night's run (--shard i/n, GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS, a Slurm job
// array, a CI matrix) each write their own results.json; merge_results() joins them into the
// Results the unsharded run would have produced.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "regress_record.hpp"

namespace systole::verif::regress {

// Writes dir/results.json, dir/junit.xml and dir/report.html (creating dir). Each file is written
// to a temporary name and renamed, so a reader never sees half a report. Throws
// std::runtime_error naming the file on an I/O failure.
void write_reports(const std::filesystem::path& dir, const Results& r);

// Reads a results.json; throws std::runtime_error naming the file and what is wrong (missing,
// not JSON, not {"meta":..., "cases":[...]}, a field of the wrong type, an unknown status).
Results read_results(const std::filesystem::path& results_json);

// Joins the results of the shards of one run: cases sorted by index, meta.shard "merged:<parts>",
// jobs summed, wall time the maximum, started the earliest. Throws std::runtime_error when the
// parts have different base seeds or configs/kinds lists, or hold the same index with different
// content (the same index with the same content, e.g. from a retried shard, is kept once;
// wall_seconds, being host timing, is not part of the content).
Results merge_results(const std::vector<Results>& parts);

// The three report texts (write_reports writes exactly these).
std::string results_json(const Results& r);
std::string junit_xml(const Results& r);
std::string html_report(const Results& r);

// Escaping for XML (text and attribute values) and HTML. Both make any byte string safe: control
// characters XML 1.0 cannot carry and bytes that are not UTF-8 are shown as "\xHH" text.
std::string xml_escape(std::string_view s);
std::string html_escape(std::string_view s);

// Ten 10% buckets of the utilization of config's GEMM cases that ran (cycles > 0); 100% falls in
// the last bucket.
std::array<std::uint64_t, 10> utilization_histogram(const Results& r, const std::string& config);

// Counts of a set of cases, as the JUnit suites and the HTML tables show them.
struct Tally {
  std::uint64_t cases = 0, pass = 0, fail = 0, error = 0;
  std::uint64_t cycles = 0;  // summed chip cycles
  double wall_seconds = 0;   // summed host time of the cases
  // Utilization over the cases that did MACs (macs > 0); util_cases == 0 when there were none.
  std::uint64_t util_cases = 0;
  double util_sum = 0, util_min = 0, util_max = 0;
  void add(const CaseRecord& c);
  double util_mean() const { return util_cases ? util_sum / static_cast<double>(util_cases) : 0; }
};

// The (kind, config) groups of a run in report order: meta.kinds x meta.configs first, then any
// other group the cases hold (sorted), each with its cases' positions in r.cases.
struct Group {
  std::string kind, config;
  std::vector<std::size_t> cases;
  Tally tally;
};
std::vector<Group> groups(const Results& r);

}  // namespace systole::verif::regress
