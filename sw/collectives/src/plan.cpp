#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "chunks.hpp"
#include "plan_detail.hpp"
#include "systole/collectives/collective.hpp"
#include "systole/golden/system.hpp"

namespace systole::collectives {

using golden::DType;

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::kAllReduce: return "allreduce";
    case Kind::kReduceScatter: return "reducescatter";
    case Kind::kAllGather: return "allgather";
    case Kind::kBroadcast: return "broadcast";
    case Kind::kAllToAll: return "alltoall";
    case Kind::kSendRecv: return "sendrecv";
  }
  return "?";
}

std::string_view redop_name(RedOp r) {
  switch (r) {
    case RedOp::kSum: return "sum";
    case RedOp::kMax: return "max";
    case RedOp::kMin: return "min";
  }
  return "?";
}

std::string_view algorithm_name(Algorithm a) {
  switch (a) {
    case Algorithm::kAuto: return "auto";
    case Algorithm::kRing: return "ring";
    case Algorithm::kDirect: return "direct";
    case Algorithm::kRecursiveDoubling: return "recursive-doubling";
  }
  return "?";
}

Algorithm parse_algorithm(std::string_view s) {
  for (Algorithm a : {Algorithm::kAuto, Algorithm::kRing, Algorithm::kDirect, Algorithm::kRecursiveDoubling}) {
    if (algorithm_name(a) == s) return a;
  }
  throw std::invalid_argument(
      fmt::format("unknown algorithm '{}' (expected auto, ring, direct or recursive-doubling)", s));
}

Algorithm resolved_algorithm(const Spec& s) {
  if (s.kind != Kind::kAllReduce) return Algorithm::kRing;
  if (s.algorithm != Algorithm::kAuto) return s.algorithm;
  const bool pow2 = s.chips > 1 && (s.chips & (s.chips - 1)) == 0;
  return pow2 && s.count * golden::dtype_size(s.dtype) <= kSmallMessageBytes ? Algorithm::kRecursiveDoubling
                                                                             : Algorithm::kRing;
}

Kind parse_kind(std::string_view s) {
  for (Kind k :
       {Kind::kAllReduce, Kind::kReduceScatter, Kind::kAllGather, Kind::kBroadcast, Kind::kAllToAll, Kind::kSendRecv}) {
    if (kind_name(k) == s) return k;
  }
  throw std::invalid_argument(fmt::format(
      "unknown collective '{}' (expected allreduce, reducescatter, allgather, broadcast, alltoall or sendrecv)", s));
}

RedOp parse_redop(std::string_view s) {
  for (RedOp r : {RedOp::kSum, RedOp::kMax, RedOp::kMin}) {
    if (redop_name(r) == s) return r;
  }
  throw std::invalid_argument(fmt::format("unknown reduction '{}' (expected sum, max or min)", s));
}

void validate(const Spec& s, const golden::Config& cfg) {
  if (s.chips < 1 || s.chips > 128) throw std::invalid_argument(fmt::format("chips = {}: expected 1..128", s.chips));
  if (s.dtype != DType::kFp32 && s.dtype != DType::kBf16 && s.dtype != DType::kInt32) {
    throw std::invalid_argument(
        fmt::format("dtype {}: collectives move fp32, bf16 or int32", golden::dtype_name(s.dtype)));
  }
  if ((s.kind == Kind::kBroadcast || s.kind == Kind::kSendRecv) && s.root >= s.chips) {
    throw std::invalid_argument(fmt::format("root = {}: expected a chip 0..{}", s.root, s.chips - 1));
  }
  if (s.kind == Kind::kSendRecv && (s.peer >= s.chips || s.peer == s.root)) {
    throw std::invalid_argument(
        fmt::format("peer = {}: expected a chip 0..{} other than the root {}", s.peer, s.chips - 1, s.root));
  }
  if (s.kind == Kind::kAllToAll && s.in_place) {
    throw std::invalid_argument("alltoall in place is not supported: give separate input and output buffers");
  }
  if (s.algorithm != Algorithm::kAuto && s.kind != Kind::kAllReduce) {
    throw std::invalid_argument(
        fmt::format("algorithm {}: only all-reduce has a choice of algorithm", algorithm_name(s.algorithm)));
  }
  if (s.algorithm == Algorithm::kRecursiveDoubling && (s.chips & (s.chips - 1)) != 0) {
    throw std::invalid_argument(
        fmt::format("recursive doubling needs a power-of-two number of chips, not {}", s.chips));
  }
  const bool reduces = s.kind == Kind::kAllReduce || s.kind == Kind::kReduceScatter;
  if (reduces && !cfg.vector_engine) {
    throw std::invalid_argument(
        fmt::format("{} reduces on the vector engine, which configuration '{}' lacks", kind_name(s.kind), cfg.name));
  }
  const std::uint64_t bytes = std::max(input_elements(s), output_elements(s)) * golden::dtype_size(s.dtype);
  if (bytes > (1ull << 30)) {
    throw std::invalid_argument(fmt::format("{} bytes per buffer: at most 1 GiB per chip", bytes));
  }
}

std::uint64_t input_elements(const Spec& s) {
  switch (s.kind) {
    case Kind::kReduceScatter:
    case Kind::kAllToAll: return std::uint64_t{s.chips} * s.count;
    case Kind::kAllGather: return s.in_place ? std::uint64_t{s.chips} * s.count : s.count;
    default: return s.count;
  }
}

std::uint64_t output_elements(const Spec& s) {
  switch (s.kind) {
    case Kind::kAllGather:
    case Kind::kAllToAll: return std::uint64_t{s.chips} * s.count;
    case Kind::kReduceScatter: return s.in_place ? std::uint64_t{s.chips} * s.count : s.count;
    default: return s.count;
  }
}

std::uint64_t link_bytes_per_chip(const Spec& s) {
  const std::uint64_t n = s.chips, size = golden::dtype_size(s.dtype);
  switch (s.kind) {
    case Kind::kAllReduce: return 2 * (n - 1) * s.count * size / n;
    case Kind::kReduceScatter:
    case Kind::kAllGather:
    case Kind::kAllToAll: return (n - 1) * s.count * size;
    case Kind::kBroadcast: return n > 1 ? s.count * size : 0;
    case Kind::kSendRecv: return s.count * size;
  }
  return 0;
}

namespace detail {

Tiling choose_tiling(const Spec& s, const golden::Config& cfg) {
  const std::uint32_t size = golden::dtype_size(s.dtype);
  const std::uint32_t align = 64 / size;  // tiles start on 64-byte boundaries
  for (std::uint32_t slots : {4u, 2u, 1u}) {
    // Two directions x three kinds of slot.
    std::uint32_t w = cfg.sbuf_bytes / (2 * 3 * slots * size);
    w = std::min<std::uint32_t>(w, 512) / align * align;
    if (w >= align) return Tiling{w, slots};
  }
  throw std::invalid_argument(fmt::format("configuration '{}': SBUF too small for a collective tile", cfg.name));
}

}  // namespace detail

namespace {

// Where the buffers lie from `base` (input, output, scratch; programs after them), without the
// programs: what plan() fills in and what buffer_bytes() measures.
Layout buffer_layout(const Spec& s, std::uint32_t base) {
  if (base % 4096 != 0) throw std::invalid_argument(fmt::format("plan: base 0x{:x} is not 4 KiB aligned", base));
  const std::uint64_t size = golden::dtype_size(s.dtype);
  auto align = [](std::uint64_t x) { return (x + 4095) / 4096 * 4096; };
  Layout l;
  l.in_addr = base;
  const std::uint64_t in_end = align(l.in_addr + input_elements(s) * size);
  l.out_addr = s.in_place ? l.in_addr : static_cast<std::uint32_t>(in_end);
  const std::uint64_t out_end = s.in_place ? in_end : align(l.out_addr + output_elements(s) * size);
  // Received buffers of the direct all-reduce (a chunk per source chip) and of recursive
  // doubling (the whole buffer per step).
  const Algorithm algo = resolved_algorithm(s);
  std::uint64_t scratch = 0;
  if (algo == Algorithm::kDirect)
    scratch = std::uint64_t{s.chips} * detail::split_point(s.count + s.chips - 1, s.chips, 1);
  if (algo == Algorithm::kRecursiveDoubling) scratch = std::uint64_t{detail::log2_exact(s.chips)} * s.count;
  l.scratch_addr = static_cast<std::uint32_t>(out_end);
  l.prog_addr = static_cast<std::uint32_t>(align(out_end + scratch * size));
  return l;
}

}  // namespace

std::uint64_t buffer_bytes(const Spec& s, const golden::Config& cfg) {
  validate(s, cfg);
  return std::max<std::uint64_t>(buffer_layout(s, 0x1000).prog_addr - 0x1000, 4096);
}

Plan plan(const Spec& s, const golden::Config& chip_cfg, std::uint32_t base) {
  validate(s, chip_cfg);
  const golden::Config cfg = golden::system_config(chip_cfg, s.chips);
  Plan p;
  p.spec = s;
  p.layout = buffer_layout(s, base);
  const Algorithm algo = resolved_algorithm(s);
  auto align = [](std::uint64_t x) { return (x + 4095) / 4096 * 4096; };
  const detail::Tiling t = detail::choose_tiling(s, cfg);
  p.tile_width = t.width;
  p.slots = t.slots;
  if (s.kind == Kind::kAllToAll || s.kind == Kind::kSendRecv) {
    p.programs = detail::direct_programs(s, cfg, p.layout);
  } else if (algo == Algorithm::kDirect) {
    p.programs = detail::direct_allreduce_programs(s, cfg, p.layout, t);
  } else if (algo == Algorithm::kRecursiveDoubling) {
    p.programs = detail::recursive_doubling_programs(s, cfg, p.layout, t);
  } else {
    p.programs = detail::ring_programs(s, cfg, p.layout, t);
  }
  std::size_t longest = 0;
  for (const auto& prog : p.programs) longest = std::max(longest, prog.size());
  p.layout.dram_end = static_cast<std::uint32_t>(align(p.layout.prog_addr + longest * golden::kInstructionBytes));
  return p;
}

}  // namespace systole::collectives
