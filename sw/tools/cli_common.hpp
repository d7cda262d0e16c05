// The `systole` CLI's shared contract (docs/software.md section 3): the options every kernel
// subcommand takes (--backend, --config, --seed, --save, --json, --trace, --trace-window,
// --timeline, --no-race-check, --dram-latency, --dram-bytes-per-cycle), their checks, the device
// they open and the exit statuses.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "systole/driver/device.hpp"
#include "systole/driver/timing_model.hpp"

namespace systole::cli {

inline constexpr int kExitMatch = 0, kExitMismatch = 1, kExitUsage = 2, kExitDevice = 3;

// A bad combination of options: main() prints "error: <what>" and exits with kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunArgs {
  std::string backend = "golden", config = "default";
  std::uint64_t seed = 1;
  std::string save_dir, trace, timeline, trace_window;
  bool json = false, no_race_check = false, estimate_only = false;
  std::optional<unsigned> dram_latency;        // rtl: DRAM read and write latency (cycles)
  std::optional<double> dram_bytes_per_cycle;  // rtl: DRAM bandwidth, R and W together (0: unlimited)
};

// Registers the shared options on a subcommand (--estimate-only only when `estimate` is set).
void add_run_options(CLI::App* sub, RunArgs& r, bool estimate);

// The checked options: the trace window and the DRAM the run (and the static model) sees.
struct RunSetup {
  std::uint64_t win_begin = 0, win_end = 0;
  unsigned rd_latency = 0, wr_latency = 0;
  double dram_bpc = 0;
  driver::TimingModel timing;
};
// Throws UsageError for options that do not go together (--trace without rtl, ...); `estimate`:
// the subcommand has --estimate-only.
RunSetup check_run_args(const RunArgs& r, bool estimate);

// Opens the backend with a DRAM large enough for `operand_bytes` (plus room for the program),
// the race checker as asked, tracing and the timeline as asked.
std::unique_ptr<driver::Device> open_device(const RunArgs& r, const RunSetup& s, std::uint64_t operand_bytes);

// The verdict's JSON fields: status, bit_exact, first_mismatch (element index or null), and the
// float64 check's within_bound, max_abs_error, worst_error_over_bound (any kernel's check).
template <class Float64Check>
void add_verdict_json(nlohmann::json& j, bool match, std::int64_t bad, const Float64Check& f) {
  j["status"] = match ? "match" : "mismatch";
  j["bit_exact"] = bad < 0;
  j["first_mismatch"] = bad < 0 ? nlohmann::json(nullptr) : nlohmann::json(bad);
  j["within_bound"] = f.ok();
  j["max_abs_error"] = f.max_abs_error;
  j["worst_error_over_bound"] = f.worst_ratio;
}

nlohmann::json opt_json(const std::optional<std::uint64_t>& v);
nlohmann::json opt_json(const std::optional<double>& v);

// The JSON fields every kernel reports about the run: backend, config, seed, cycles, the
// engines' busy shares, DRAM settings (rtl), DRAM bytes, races, saved/trace/timeline, seconds.
void add_run_json(nlohmann::json& j, const RunArgs& r, const RunSetup& s, driver::Device& dev,
                  const driver::RunResult& run, double seconds);
// The same as summary lines ("cycles:", "engines busy:", "DRAM:", ...).
void print_run_summary(const RunArgs& r, const RunSetup& s, driver::Device& dev, const driver::RunResult& run,
                       double seconds);
// "races:" line text.
std::string races_text(const RunArgs& r, const driver::RunResult& run);
// "backend rtl, configuration default (P=16, C=16, ...)".
void print_backend_line(driver::Device& dev);

// "int8", "bf16", "fp8", "int32", "fp32" (std::invalid_argument otherwise).
golden::DType parse_dtype(const std::string& s);
// Writes <name>.npy for each tensor given (not null) into `dir` and returns "A.npy, B.npy" (nothing
// and "" when dir is empty).
std::string save_npy(const std::string& dir,
                     std::initializer_list<std::pair<const char*, const driver::Tensor*>> tensors);

}  // namespace systole::cli
