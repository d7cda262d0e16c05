// Collectives over a multi-chip Systole system (docs/collectives.md): the per-chip programs of
// all-reduce, reduce-scatter, all-gather, broadcast, all-to-all and send/recv, their host
// reference in the same fixed reduction order, and a runner on the golden system.
//
// Counts follow NCCL: all-reduce and broadcast move `count` elements per chip; reduce-scatter
// leaves `count` per chip from N*count inputs; all-gather gathers N*count from `count` per chip;
// all-to-all sends `count` elements to every peer (N*count in and out); send/recv moves `count`
// elements from chip `root` to chip `peer`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "systole/driver/multi_device.hpp"
#include "systole/golden/config.hpp"
#include "systole/golden/isa.hpp"

namespace systole::collectives {

enum class Kind : std::uint8_t { kAllReduce, kReduceScatter, kAllGather, kBroadcast, kAllToAll, kSendRecv };
enum class RedOp : std::uint8_t { kSum, kMax, kMin };
// All-reduce algorithms (docs/collectives.md section 3a): the ring; direct (every chip reduces its
// chunk from every other's, for all-to-all topologies); recursive doubling (log2 N exchanges of
// the whole buffer, for small messages; N a power of two). kAuto: recursive doubling when N is a
// power of two > 1 and a chip's buffer is at most kSmallMessageBytes, else the ring.
enum class Algorithm : std::uint8_t { kAuto, kRing, kDirect, kRecursiveDoubling };
inline constexpr std::uint64_t kSmallMessageBytes = 4096;

std::string_view kind_name(Kind k);  // "allreduce", ...
std::string_view redop_name(RedOp r);
std::string_view algorithm_name(Algorithm a);  // "auto", "ring", "direct", "recursive-doubling"
Algorithm parse_algorithm(std::string_view s);
Kind parse_kind(std::string_view s);    // throws std::invalid_argument naming the choices
RedOp parse_redop(std::string_view s);  // "sum", "max", "min"

struct Spec {
  Kind kind = Kind::kAllReduce;
  std::uint32_t chips = 2;
  std::uint64_t count = 0;
  golden::DType dtype = golden::DType::kFp32;  // fp32, bf16 or int32
  RedOp op = RedOp::kSum;
  std::uint32_t root = 0;                  // broadcast root; send/recv sender
  std::uint32_t peer = 1;                  // send/recv receiver
  bool in_place = false;                   // output where the input is (all-gather: the input is chip i's block)
  bool both_directions = true;             // ring collectives split every chunk over both ring directions
  Algorithm algorithm = Algorithm::kAuto;  // all-reduce only
};

// The all-reduce algorithm a spec runs (kAuto resolved); the ring for every other collective.
Algorithm resolved_algorithm(const Spec& s);

// Throws std::invalid_argument with what is wrong and what is expected.
void validate(const Spec& s, const golden::Config& cfg);

// Elements of the input and the output buffer on each chip (the same on every chip).
std::uint64_t input_elements(const Spec& s);
std::uint64_t output_elements(const Spec& s);
// Bytes each chip sends over links for one run (what busbw counts: NCCL's definition divides
// the algorithm bandwidth, not this).
std::uint64_t link_bytes_per_chip(const Spec& s);

// Where the buffers are in every chip's DRAM.
struct Layout {
  std::uint32_t in_addr = 0, out_addr = 0;  // equal when in place
  std::uint32_t scratch_addr = 0;           // direct and recursive doubling: received buffers
  std::uint32_t prog_addr = 0;
  std::uint32_t dram_end = 0;  // first byte past everything (the DRAM a chip needs)
};

struct Plan {
  Spec spec;
  Layout layout;
  std::uint32_t tile_width = 0;                                   // elements per partition of a tile
  std::uint32_t slots = 0;                                        // receive/result/operand slots per ring direction
  std::vector<std::vector<golden::EncodedInstruction>> programs;  // per chip
};

// The programs of one collective for every chip of the system (configuration `cfg`: every
// chip has the vector engine and at least 2 DMA queues). Buffers and programs are placed from
// DRAM address `base` (4 KiB aligned) up, so that a kernel can put the collective after its own
// data (in place on a result it computed).
Plan plan(const Spec& s, const golden::Config& cfg, std::uint32_t base = 0x1000);

// Host reference: every chip's output buffer (output_elements), from every chip's input
// (input_elements; raw little-endian element bytes), computed element by element in the order
// docs/collectives.md fixes, with the vector engine's arithmetic (read to fp32, operate,
// convert back at every step). Output bytes no chip writes keep their initial value: the input
// in place, else `fill`.
using Buffers = std::vector<std::vector<std::uint8_t>>;
Buffers reference(const Spec& s, const Buffers& inputs, std::uint8_t fill);

// Inputs from a seed (tests, the CLI, the regression): fp32/bf16 normal values, one in 16 an
// integer (exact ties and signed zeros in sums), int32 values of at most 2^19 / N in magnitude so
// that every partial sum stays exact through fp32 (docs/collectives.md section 2).
Buffers random_inputs(const Spec& s, std::uint64_t seed);

// A float64 reference of the same reduction (any order) and the bound the result must meet:
// |got - exact| <= bound(element) (docs/collectives.md "accuracy").
struct Accuracy {
  double max_abs_error = 0;
  double max_allowed = 0;
  std::uint64_t violations = 0;
};
Accuracy check_accuracy(const Spec& s, const Buffers& inputs, const Buffers& outputs);

// Runs one collective on a multi-chip device (make_multi_device: the golden system today):
// allocates the buffers on every chip (the same addresses everywhere), uploads every chip's
// input, fills out-of-place output buffers with `fill`, plans, runs, downloads the outputs.
struct RunOutcome {
  Plan plan;
  Buffers outputs;                  // per chip, output_elements
  std::vector<std::string> races;   // across the chips (golden backend)
  std::uint64_t link_tx_bytes = 0;  // summed over chips (what the programs sent)
};
RunOutcome run(driver::MultiDevice& dev, const Spec& s, const Buffers& inputs, std::uint8_t fill = 0xA5);
// The bytes of the buffers a plan lays out from its base (input, output, scratch; 4 KiB
// aligned): what a caller allocates (on every chip) before plan(spec, cfg, base).
std::uint64_t buffer_bytes(const Spec& s, const golden::Config& cfg);
// DRAM per chip that run() needs (buffers, programs and the allocator's alignment).
std::uint64_t dram_bytes_needed(const Spec& s, const golden::Config& cfg);

}  // namespace systole::collectives
