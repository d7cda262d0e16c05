// Semaphores for the random multi-engine programs of the regression (the dma and vector case
// kinds): every instruction is given the waits that order it after each earlier instruction of
// another stream whose bytes it touches (a write against a read or a write), and nothing else
// except the extra waits and dispatch barriers the seed asks for.
//
// A stream is one in-order engine slot (a DMA queue, the tensor engine, the vector engine). Each
// stream signals only its own semaphore, so a count names a prefix of that stream's (in-order)
// completions; counts only name earlier instructions, so dispatch cannot deadlock
// (driver/program_check.hpp). When an instruction needs more than one wait, the others go on
// NOPs of its own stream just before it ("sync NOP").
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"
#include "systole/golden/validate.hpp"

namespace systole::verif::regress {

// A byte range [lo, hi) of one partition of a space (partition 0 for DRAM).
struct ByteSpan {
  golden::Space space = golden::Space::kNone;
  std::uint32_t partition = 0;
  std::uint64_t lo = 0, hi = 0;
};
// What an instruction reads and writes, merged and sorted.
struct Footprint {
  std::vector<ByteSpan> reads, writes;
};
// Sorts and merges touching or overlapping spans.
std::vector<ByteSpan> merge_spans(std::vector<ByteSpan> v);
bool overlaps(const std::vector<ByteSpan>& a, const std::vector<ByteSpan>& b);
bool conflict(const Footprint& a, const Footprint& b);

// One instruction of a program as the scheduler sees it and gives it back.
struct ProgItem {
  golden::Instruction insn;
  std::string role;  // "fill SBUF", "random 3", "sync NOP", "barrier NOP", "END", ...
  Footprint fp;
};

struct SyncStats {
  unsigned sync_waits = 0, extra_waits = 0, nops = 0;
};

// `works`: the program's instructions in program order, each on a stream (stream[i] <
// engines.size(); engines[s] is the stream's engine id, its insn.engine is set from it). `sems`:
// the semaphore id of each stream. `sync`: % of instructions given an extra wait nothing needs.
// Returns the program with waits, signals and NOPs, without END.
std::vector<ProgItem> schedule_streams(const std::vector<ProgItem>& works, const std::vector<unsigned>& stream,
                                       const std::vector<std::uint8_t>& engines, const std::vector<std::uint8_t>& sems,
                                       unsigned sync, std::mt19937_64& sr, SyncStats& stats);

// Appends END and checks the program: every instruction passes the golden static checks and the
// dispatch-order rule; std::logic_error naming `who` (a generator bug must not pass for a design
// bug) otherwise.
void end_and_check(std::vector<ProgItem>& items, const golden::Config& cfg, const golden::Windows& windows,
                   const char* who);

}  // namespace systole::verif::regress
