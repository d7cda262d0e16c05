// The `systole` CLI's shared options and reporting (cli_common.hpp).
#include "cli_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "npy.hpp"
#include "systole/sim/axi_memory.hpp"

namespace systole::cli {

using json = nlohmann::json;

void add_run_options(CLI::App* sub, RunArgs& r, bool estimate) {
  sub->add_option("--backend", r.backend, "golden or rtl")->check(CLI::IsMember({"golden", "rtl"}));
  sub->add_option("--config", r.config, "hardware configuration")
      ->check(CLI::IsMember({"tiny", "fpga", "default", "large"}));
  sub->add_option("--seed", r.seed, "seed of the random operands");
  sub->add_option("--save", r.save_dir,
                  "write the inputs and the output as .npy files (NumPy 1.0) into this directory");
  sub->add_flag("--json", r.json, "print one JSON object instead of the summary");
  sub->add_option("--trace", r.trace, "waveform file (FST) of the simulated chip, rtl backend only");
  sub->add_option("--trace-window", r.trace_window,
                  "START:END: trace only these cycles, counted from the program's start (keeps files small)");
  sub->add_option("--timeline", r.timeline,
                  estimate ? "trace-event file (JSON: ui.perfetto.dev, chrome://tracing) of the run (rtl backend), or "
                             "of the timing model's estimate (--estimate-only)"
                           : "trace-event file (JSON: ui.perfetto.dev, chrome://tracing) of the run (rtl backend)");
  sub->add_flag("--no-race-check", r.no_race_check, "golden backend: run without the race checker (faster)");
  sub->add_option("--dram-latency", r.dram_latency, "rtl backend: DRAM read and write latency in cycles")
      ->check(CLI::Range(1u, 100000u));
  sub->add_option("--dram-bytes-per-cycle", r.dram_bytes_per_cycle,
                  "rtl backend: DRAM bandwidth in bytes per cycle, R and W together (0: unlimited)")
      ->check(CLI::Range(0.0, 4096.0));
  if (estimate) {
    sub->add_flag("--estimate-only", r.estimate_only,
                  "print the plan and the static cycle estimate (driver/timing_model.hpp) without running");
  }
}

RunSetup check_run_args(const RunArgs& r, bool estimate) {
  RunSetup s;
  if (!r.timeline.empty() && r.backend != "rtl" && !r.estimate_only) {
    throw UsageError(fmt::format("--timeline {} needs --backend rtl{}: the {} backend has no cycles", r.timeline,
                                 estimate ? " or --estimate-only" : "", r.backend));
  }
  if (!r.trace_window.empty()) {
    unsigned long long b = 0, e = 0;
    char tail = 0;
    if (r.trace.empty()) throw UsageError(fmt::format("--trace-window {} needs --trace FILE.fst", r.trace_window));
    if (std::sscanf(r.trace_window.c_str(), "%llu:%llu%c", &b, &e, &tail) != 2 || e <= b) {
      throw UsageError(fmt::format(
          "--trace-window '{}': expected START:END, cycles from the program's start with START < END (e.g. 1000:3000)",
          r.trace_window));
    }
    s.win_begin = b;
    s.win_end = e;
  }
  if (!r.trace.empty() && r.backend != "rtl") {
    throw UsageError(
        fmt::format("--trace {} needs --backend rtl: the {} backend has no waveforms", r.trace, r.backend));
  }
  if ((r.dram_latency || r.dram_bytes_per_cycle) && r.backend != "rtl" && !r.estimate_only) {
    throw UsageError(
        fmt::format("--dram-latency and --dram-bytes-per-cycle need --backend rtl{}: the {} backend has no cycles",
                    estimate ? " or --estimate-only" : "", r.backend));
  }
  // The DRAM the run sees: the options given, else the simulated memory's defaults.
  const sim::AxiMemoryConfig mem_defaults{};
  s.rd_latency = r.dram_latency.value_or(mem_defaults.read_latency);
  s.wr_latency = r.dram_latency.value_or(mem_defaults.write_latency);
  s.dram_bpc = r.dram_bytes_per_cycle.value_or(mem_defaults.bytes_per_cycle);
  s.timing.dram_latency = s.rd_latency;
  s.timing.dram_write_latency = s.wr_latency;
  s.timing.dram_bytes_per_cycle = s.dram_bpc;
  return s;
}

std::unique_ptr<driver::Device> open_device(const RunArgs& r, const RunSetup& s, std::uint64_t operand_bytes) {
  driver::DeviceOptions dopts;
  dopts.dram_bytes = std::min<std::uint64_t>(
      std::uint64_t{1} << 32, std::max<std::uint64_t>(dopts.dram_bytes, operand_bytes * 5 / 4 + (64u << 20)));
  dopts.race_check = !r.no_race_check;
  dopts.dram_latency = r.dram_latency;
  dopts.dram_bytes_per_cycle = r.dram_bytes_per_cycle;
  std::unique_ptr<driver::Device> dev = driver::make_device(r.backend, r.config, dopts);
  if (!r.trace.empty()) dev->enable_trace(r.trace);
  if (s.win_end != 0) dev->set_trace_window(s.win_begin, s.win_end);
  if (!r.timeline.empty()) dev->enable_timeline(r.timeline);
  return dev;
}

json opt_json(const std::optional<std::uint64_t>& v) { return v ? json(*v) : json(nullptr); }
json opt_json(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

namespace {

std::optional<double> share(const std::optional<std::uint64_t>& busy, const std::optional<std::uint64_t>& cycles) {
  if (!busy || !cycles || *cycles == 0) return std::nullopt;
  return static_cast<double>(*busy) / static_cast<double>(*cycles);
}

}  // namespace

std::string races_text(const RunArgs& r, const driver::RunResult& run) {
  if (r.backend != "golden") return fmt::format("not checked (the {} backend has no race checker)", r.backend);
  if (r.no_race_check) return "not checked";
  return run.races.empty() ? std::string("none (race checker on)") : run.races.front();
}

void print_backend_line(driver::Device& dev) {
  const golden::Config& cfg = dev.config();
  fmt::print("backend {}, configuration {} (P={}, C={}, NMAX={}, {} DMA queues, queue depth {})\n", dev.backend_name(),
             cfg.name, cfg.partitions, cfg.columns, cfg.nmax, cfg.dma_queues, cfg.queue_depth);
}

golden::DType parse_dtype(const std::string& s) {
  using golden::DType;
  if (s == "int8") return DType::kInt8;
  if (s == "bf16") return DType::kBf16;
  if (s == "fp8") return DType::kFp8;
  if (s == "int32") return DType::kInt32;
  if (s == "fp32") return DType::kFp32;
  throw std::invalid_argument("unknown dtype " + s);
}

std::string save_npy(const std::string& dir,
                     std::initializer_list<std::pair<const char*, const driver::Tensor*>> tensors) {
  if (dir.empty()) return "";
  std::filesystem::create_directories(dir);
  std::string files;
  for (const auto& [name, t] : tensors) {
    if (t == nullptr) continue;
    const std::string file = std::string(name) + ".npy";
    tools::write_npy(std::filesystem::path(dir) / file, tools::to_npy(*t));
    files += (files.empty() ? "" : ", ") + file;
  }
  return files;
}

void add_run_json(json& j, const RunArgs& r, const RunSetup& s, driver::Device& dev, const driver::RunResult& run,
                  double seconds) {
  const auto& c = run.counters;
  j["races"] = run.races;
  j["backend"] = dev.backend_name();
  j["config"] = dev.config().name;
  j["seed"] = r.seed;
  j["instructions"] = run.program_length;
  j["cycles"] = opt_json(c.cycles);
  j["engines_busy"] = {{"tensor", opt_json(share(c.busy_tensor, c.cycles))},
                       {"vector", opt_json(share(c.busy_vec, c.cycles))},
                       {"dma", opt_json(share(c.busy_dma, c.cycles))}};
  if (dev.backend_name() == "rtl") {
    j["dram_latency"] = {{"read", s.rd_latency}, {"write", s.wr_latency}};
    j["dram_bytes_per_cycle"] = s.dram_bpc;
  }
  j["macs"] = c.macs;
  j["dram_bytes_read"] = c.dram_rd_bytes;
  j["dram_bytes_written"] = c.dram_wr_bytes;
  if (!r.save_dir.empty()) j["saved"] = r.save_dir;
  if (!r.trace.empty()) j["trace"] = r.trace;
  if (!r.timeline.empty()) j["timeline"] = r.timeline;
  j["seconds"] = seconds;
}

void print_run_summary(const RunArgs& r, const RunSetup& s, driver::Device& dev, const driver::RunResult& run,
                       double seconds) {
  const auto& c = run.counters;
  fmt::print("cycles:        {}\n", c.cycles ? fmt::format("{}", *c.cycles)
                                             : fmt::format("n/a (the {} backend has no cycles)", dev.backend_name()));
  const auto pct = [](const std::optional<double>& v) { return v ? fmt::format("{:.1f}%", 100 * *v) : "n/a"; };
  if (c.cycles) {
    fmt::print("engines busy:  tensor {}, vector {}, DMA {} of the cycles\n", pct(share(c.busy_tensor, c.cycles)),
               pct(share(c.busy_vec, c.cycles)), pct(share(c.busy_dma, c.cycles)));
  }
  if (dev.backend_name() == "rtl") {
    fmt::print("DRAM:          latency {} read / {} write cycles, {}\n", s.rd_latency, s.wr_latency,
               s.dram_bpc > 0 ? fmt::format("{} bytes per cycle", s.dram_bpc) : std::string("unlimited bandwidth"));
  }
  fmt::print("instructions:  {} in the program, {} retired\n", run.program_length, c.instructions);
  fmt::print("DRAM read:     {} bytes\n", c.dram_rd_bytes);
  fmt::print("DRAM written:  {} bytes\n", c.dram_wr_bytes);
  if (!r.trace.empty()) {
    fmt::print("trace:         {} (FST{})\n", r.trace,
               s.win_end != 0 ? fmt::format(", cycles {} to {} from START", s.win_begin, s.win_end) : std::string());
  }
  if (!r.timeline.empty()) fmt::print("timeline:      {} (ui.perfetto.dev, chrome://tracing)\n", r.timeline);
  if (c.cycles) {
    fmt::print("simulated:     {:.2f} s wall clock for the whole run ({:.0f} chip cycles/s)\n", seconds,
               static_cast<double>(*c.cycles) / seconds);
  }
}

}  // namespace systole::cli
