// One case of the random regression and its outcome: what results.json stores per case, what the
// reports (JUnit XML, HTML, functional coverage) and the shard merge read. docs/verification.md
// describes the runner; this header is the contract between the runner (systole-regress) and the
// report writers.
//
// A case is reproducible from (kind, config, seed) alone: the generator derives every choice
// (shape, dtypes, layouts, strides, offsets, values, DRAM behaviour) from the seed. `params` is
// the canonical text of the generated case ("M=3 K=5 N=7 in=int8 ..."): the runner accepts it
// back as overrides (`--set`), which is how a minimized case replays.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace systole::verif::regress {

struct CaseRecord {
  std::string kind;              // "gemm" | "dma" | "vector"
  std::string config;            // "tiny" | "fpga" | "default"
  std::uint64_t seed = 0;        // the case's own seed
  std::uint64_t index = 0;       // the case's position in the run (seed = case_seed(base, index))
  std::string params;            // canonical "key=value key=value ..." of the generated case
  std::string status;            // "pass" | "fail" (mismatch) | "error" (crash, assertion, timeout)
  std::string message;           // first failure or error (empty on pass)
  std::uint64_t cycles = 0;      // chip CYCLES counter of the run (0 when not reached)
  std::uint64_t macs = 0;        // chip MACS counter
  double utilization = 0;        // macs / (P x C x cycles), 0 when cycles == 0
  double wall_seconds = 0;       // host time of the case (informative only)
  std::string replay;            // the exact shell command that replays this case
  std::string minimized_params;  // failures: the smallest params still failing ("" if not minimized)
  std::string minimized_replay;  // failures: the command replaying the minimized case
  // Functional coverage attributes (docs/verification.md, "Functional coverage").
  std::string dtype;              // gemm: input dtype name; dma: the cast ("none", "fp32->bf16", ...)
  std::string shape_class;        // gemm: "unit" | "single_tile" | "multi_tile" | "large"; dma: "dma"
  bool accumulate = false;        // gemm: K > P (PSUM accumulates a chain of passes); dma: false
  std::string values;             // gemm: "normal" | "special" | "extremes"; dma: "random"
  std::string stall;              // "none" | "latency" | "backpressure" | "reorder"
  std::vector<std::string> bins;  // vector: "OP/dtype/function" of every vector instruction
};

// What the run was: enough to say how to reproduce all of it.
struct RunMeta {
  std::string started;  // ISO 8601 UTC
  std::string host;
  std::string command;  // the command line of the run (of one shard when merged: the first)
  std::uint64_t base_seed = 0;
  std::string shard;  // "i/n" ("" = unsharded; "merged:n" after a merge)
  std::vector<std::string> configs;
  std::vector<std::string> kinds;
  unsigned jobs = 1;
  double wall_seconds = 0;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CaseRecord, kind, config, seed, index, params, status, message, cycles,
                                                macs, utilization, wall_seconds, replay, minimized_params,
                                                minimized_replay, dtype, shape_class, accumulate, values, stall, bins)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunMeta, started, host, command, base_seed, shard, configs, kinds, jobs,
                                                wall_seconds)

// results.json: {"meta": RunMeta, "cases": [CaseRecord...]}, cases in index order.
struct Results {
  RunMeta meta;
  std::vector<CaseRecord> cases;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Results, meta, cases)

}  // namespace systole::verif::regress
