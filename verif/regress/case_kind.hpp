// The kinds of random case the regression runs (GEMM, DMA program, vector program, kernel call,
// collective over several chips), behind one
// interface so the
// runner, the minimizer and the reports treat them alike.
//
// A case is (kind, config, seed). generate() turns the seed into the full parameter set (shape,
// dtypes, layouts, strides, offsets, value class, DRAM behaviour ...) as key=value pairs; run()
// executes exactly those parameters (operand values are drawn from the seed and the parameters),
// so a case replays from (kind, config, seed) and a minimized case from (kind, config, seed,
// params). run() executes on the configuration's Verilated chip (RtlDevice) and on the golden
// device and compares bit-exactly; it is called in a child process of the runner (an RTL
// assertion aborts the process, a hang is killed by the runner's timeout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "params.hpp"

namespace systole::verif::regress {

struct Outcome {
  bool pass = false;
  std::string message;                 // what differed (first mismatch, counters, protocol violations); empty on pass
  std::uint64_t cycles = 0, macs = 0;  // chip counters of the run (0 when not available)
};

// Functional coverage attributes of a case (regress_record.hpp documents the values).
struct CoverageKey {
  std::string dtype, shape_class, values, stall;
  bool accumulate = false;
};

class CaseKind {
 public:
  virtual ~CaseKind() = default;
  virtual std::string name() const = 0;
  // Whether the kind runs on this configuration (the vector kind needs the vector engine); the
  // runner gives an unsupported slot to the main kind.
  virtual bool supports(const std::string& /*config*/) const { return true; }
  // Every parameter of the case (config, seed); deterministic.
  virtual Params generate(const std::string& config, std::uint64_t seed) const = 0;
  // Runs the case; throws std::invalid_argument (message says which key and what was expected)
  // for parameters it cannot take. Failures of the design are reported in Outcome, not thrown.
  virtual Outcome run(const std::string& config, std::uint64_t seed, const Params& p) const = 0;
  // Smaller or simpler variants of p, the most promising first; the minimizer keeps the first
  // that still fails and asks again, until none fails.
  virtual std::vector<Params> shrink(const std::string& config, const Params& p) const = 0;
  virtual CoverageKey coverage(const std::string& config, const Params& p) const = 0;
  // Instruction-level coverage bins of the case (the vector kind: "OP/dtype/function" of every
  // vector instruction of its program); none for the others.
  virtual std::vector<std::string> bins(const std::string& /*config*/, std::uint64_t /*seed*/,
                                        const Params& /*p*/) const {
    return {};
  }
};

const CaseKind& gemm_kind();    // gemm_case.cpp
const CaseKind& dma_kind();     // dma_case.cpp
const CaseKind& vec_kind();     // vec_case.cpp
const CaseKind& kernel_kind();  // kernel_case.cpp
const CaseKind& link_kind();    // link_case.cpp: collectives over several chips

}  // namespace systole::verif::regress
