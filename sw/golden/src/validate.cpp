// Static checks (docs/isa.md section 6). Each check throws a Fault; validate() catches the first.
#include "systole/golden/validate.hpp"

#include <fmt/format.h>

#include <string>

namespace systole::golden {

ByteRange element_span(std::span<const Dim> dims) {
  ByteRange r{0, 0};
  for (const Dim& d : dims) {
    const std::int64_t ext = (static_cast<std::int64_t>(d.count) - 1) * d.stride;
    (ext < 0 ? r.lo : r.hi) += ext;
  }
  return r;
}

namespace {

struct Fail {
  Fault fault;
};

[[noreturn]] void fail(ErrorCode c, std::string why) { throw Fail{Fault{c, std::move(why)}}; }

class Checker {
 public:
  Checker(const Config& cfg, const Windows& win, const ChipIdentity& chip) : cfg_(cfg), win_(win), chip_(chip) {}

  // Step 3: operand kinds.
  void onchip_space(Space s, const char* name, bool allow_psum = true) {
    if (s == Space::kSbuf || (s == Space::kPsum && allow_psum)) return;
    fail(ErrorCode::kBadOperand, fmt::format("{}: space {} not allowed here", name, space_name(s)));
  }
  void psum_dtype(Space s, DType t, const char* name) {
    if (s == Space::kPsum && dtype_size(t) != 4) {
      fail(ErrorCode::kBadOperand, fmt::format("{}: PSUM holds 32-bit words, got {}", name, dtype_name(t)));
    }
  }
  void tap_kind(const Tap& t, const char* name, bool allow_psum = true) {
    onchip_space(t.space, name, allow_psum);
    psum_dtype(t.space, t.dtype, name);
  }
  void cap_kind(const Cap& c, const char* name) {
    onchip_space(c.space, name);
    psum_dtype(c.space, c.dtype, name);
  }
  void integer_dtype(DType t, const char* name) {
    if (!dtype_is_integer(t)) {
      fail(ErrorCode::kBadOperand, fmt::format("{}: integer op needs int8 or int32, got {}", name, dtype_name(t)));
    }
  }

  // Step 4: shapes.
  void same_lanes(const Tap& a, const Tap& b, const char* an, const char* bn) {
    if (a.pcount != b.pcount) {
      fail(ErrorCode::kShapeMismatch, fmt::format("{} has {} partitions but {} has {}", an, a.pcount, bn, b.pcount));
    }
  }
  void same_free(const Tap& a, const Tap& b, const char* an, const char* bn) {
    if (a.free_size() != b.free_size()) {
      fail(ErrorCode::kShapeMismatch,
           fmt::format("{} has free size {} but {} has {}", an, a.free_size(), bn, b.free_size()));
    }
  }
  void same_shape(const Tap& a, const Tap& b, const char* an, const char* bn) {
    same_lanes(a, b, an, bn);
    same_free(a, b, an, bn);
  }

  // Step 5: patterns.
  std::uint32_t space_bytes(Space s) const { return s == Space::kPsum ? cfg_.psum_bytes : cfg_.sbuf_bytes; }

  void counts_nonzero(std::span<const Dim> dims, const char* name) {
    for (std::size_t i = 0; i < dims.size(); ++i) {
      if (dims[i].count == 0) fail(ErrorCode::kPatternOutOfRange, fmt::format("{}: n{} is 0", name, i));
    }
  }
  void aligned(std::uint64_t offset, DType t, const char* name) {
    if (offset % dtype_size(t) != 0) {
      fail(ErrorCode::kPatternOutOfRange,
           fmt::format("{}: offset {} is not a multiple of the {}-byte element", name, offset, dtype_size(t)));
    }
  }
  void partitions(std::int64_t lo, std::int64_t hi, const char* name) {
    if (lo < 0 || hi >= static_cast<std::int64_t>(cfg_.partitions)) {
      fail(ErrorCode::kPatternOutOfRange,
           fmt::format("{}: partitions {}..{} outside 0..{}", name, lo, hi, cfg_.partitions - 1));
    }
  }
  void bytes_in_partition(std::uint32_t offset, std::span<const Dim> dims, DType t, Space s, const char* name) {
    const ByteRange e = element_span(dims);
    const std::int64_t sz = dtype_size(t);
    const std::int64_t lo = offset + e.lo * sz;
    const std::int64_t hi = offset + (e.hi + 1) * sz - 1;
    if (lo < 0 || hi >= space_bytes(s)) {
      fail(ErrorCode::kPatternOutOfRange, fmt::format("{}: bytes {}..{} outside the {}-byte {} partition", name, lo, hi,
                                                      space_bytes(s), space_name(s)));
    }
  }
  void tap_pattern(const Tap& t, const char* name) {
    if (t.pcount == 0) fail(ErrorCode::kPatternOutOfRange, fmt::format("{}: pcount is 0", name));
    counts_nonzero(t.dims, name);
    aligned(t.offset, t.dtype, name);
    partitions(t.pstart, std::int64_t{t.pstart} + t.pcount - 1, name);
    bytes_in_partition(t.offset, t.dims, t.dtype, t.space, name);
  }
  void cap_pattern(const Cap& c, std::uint32_t lanes, const char* name) {
    aligned(c.offset, c.dtype, name);
    partitions(c.pstart, std::int64_t{c.pstart} + lanes - 1, name);
    const Dim one{1, 1};
    bytes_in_partition(c.offset, std::span<const Dim>(&one, 1), c.dtype, c.space, name);
  }
  // Returns the DRAM byte range for the protection step.
  ByteRange dap_pattern(const Dap& d, const char* name) {
    counts_nonzero(d.dims, name);
    aligned(d.addr, d.dtype, name);
    const std::int64_t sz = dtype_size(d.dtype);
    if (d.space == Space::kDram) {
      const ByteRange e = element_span(d.dims);
      const ByteRange b{d.addr + e.lo * sz, d.addr + (e.hi + 1) * sz - 1};
      if (b.lo < 0 || b.hi > 0xFFFFFFFFll) {
        fail(ErrorCode::kPatternOutOfRange,
             fmt::format("{}: DRAM bytes {}..{} outside the 32-bit address space", name, b.lo, b.hi));
      }
      return b;
    }
    const ByteRange p = element_span(std::span<const Dim>(&d.dims[d.pdim], 1));
    partitions(d.pstart + p.lo, d.pstart + p.hi, name);
    const std::array<Dim, 3> free = dap_free_dims(d);
    bytes_in_partition(d.addr, free, d.dtype, d.space, name);
    return ByteRange{};
  }

  // Step 6.
  void protection(const ByteRange& b, bool write, const char* name) {
    for (const Window& w : win_) {
      if (!w.enable || (write ? !w.write : !w.read)) continue;
      if (b.lo >= w.base && b.hi <= w.limit) return;
    }
    fail(ErrorCode::kProtection, fmt::format("{}: DRAM bytes 0x{:x}..0x{:x} are not inside an enabled window with {} "
                                             "permission",
                                             name, b.lo, b.hi, write ? "write" : "read"));
  }

  // A remote operation names another chip of the system (step 3, BAD_OPERAND).
  void remote_chip(std::uint32_t chip, const char* name) {
    if (chip_.count <= 1) {
      fail(ErrorCode::kBadOperand, fmt::format("{}: remote chip {} but this is a single-chip system", name, chip));
    }
    if (chip >= chip_.count || chip == chip_.id) {
      fail(ErrorCode::kBadOperand, fmt::format("{}: remote chip {} is not another chip of this system (chips 0..{}, "
                                               "this one is {})",
                                               name, chip, chip_.count - 1, chip_.id));
    }
  }

  void check(const Instruction& insn);

 private:
  const Config& cfg_;
  const Windows& win_;
  const ChipIdentity& chip_;
};

void Checker::check(const Instruction& insn) {
  // Step 1 (configuration-dependent part): the DMA queue must exist.
  if (insn.engine >= engine::kDma0 && insn.engine < engine::kDma0 + engine::kMaxDmaQueues &&
      insn.engine - engine::kDma0 >= static_cast<int>(cfg_.dma_queues)) {
    fail(ErrorCode::kIllegalInstruction, fmt::format("DMA queue {} does not exist in configuration '{}' ({} queues)",
                                                     insn.engine - engine::kDma0, cfg_.name, cfg_.dma_queues));
  }
  if (insn.engine == engine::kVec && !cfg_.vector_engine) {
    fail(ErrorCode::kIllegalInstruction,
         fmt::format("engine VEC is not present in this configuration ('{}' without the vector engine)", cfg_.name));
  }
  const auto* nop = std::get_if<Nop>(&insn.op);
  const auto* dma = std::get_if<Dma>(&insn.op);
  if (((nop && nop->remote) || (dma && dma->dst.remote)) && cfg_.link_ports == 0) {
    fail(ErrorCode::kIllegalInstruction,
         fmt::format("remote operation on a chip without chip-to-chip ports (configuration '{}': the remote bits "
                     "are reserved)",
                     cfg_.name));
  }
  std::visit(
      [&](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Nop>) {
          if (op.remote) remote_chip(op.chip, "NOP");
        } else if constexpr (std::is_same_v<T, Matmul>) {
          tap_kind(op.out, "out");
          tap_kind(op.stationary, "stationary", false);
          tap_kind(op.moving, "moving", false);
          if (op.out.space != Space::kPsum) fail(ErrorCode::kBadOperand, "out: MATMUL writes PSUM");
          if (op.stationary.dtype != op.moving.dtype) {
            fail(ErrorCode::kBadOperand, fmt::format("stationary is {} but moving is {}",
                                                     dtype_name(op.stationary.dtype), dtype_name(op.moving.dtype)));
          }
          if (!cfg_.tensor_dtype_enabled(op.moving.dtype)) {
            fail(ErrorCode::kBadOperand, fmt::format("dtype {} is not enabled for the tensor engine in '{}'",
                                                     dtype_name(op.moving.dtype), cfg_.name));
          }
          const DType want = op.moving.dtype == DType::kInt8 ? DType::kInt32 : DType::kFp32;
          if (op.out.dtype != want) {
            fail(ErrorCode::kBadOperand,
                 fmt::format("out: {} inputs accumulate into {}, got {}", dtype_name(op.moving.dtype), dtype_name(want),
                             dtype_name(op.out.dtype)));
          }
          if (op.stationary.pstart != op.moving.pstart || op.stationary.pcount != op.moving.pcount) {
            fail(ErrorCode::kShapeMismatch,
                 fmt::format("stationary partitions {}+{} differ from moving partitions {}+{}", op.stationary.pstart,
                             op.stationary.pcount, op.moving.pstart, op.moving.pcount));
          }
          if (op.moving.pcount > cfg_.partitions) {
            fail(ErrorCode::kShapeMismatch, fmt::format("K = {} exceeds P = {}", op.moving.pcount, cfg_.partitions));
          }
          if (op.stationary.free_size() > cfg_.columns) {
            fail(ErrorCode::kShapeMismatch,
                 fmt::format("M = {} exceeds C = {}", op.stationary.free_size(), cfg_.columns));
          }
          if (op.moving.free_size() > cfg_.nmax) {
            fail(ErrorCode::kShapeMismatch, fmt::format("N = {} exceeds NMAX = {}", op.moving.free_size(), cfg_.nmax));
          }
          if (op.out.pcount != op.stationary.free_size()) {
            fail(ErrorCode::kShapeMismatch,
                 fmt::format("out has {} partitions but M = {}", op.out.pcount, op.stationary.free_size()));
          }
          same_free(op.out, op.moving, "out", "moving");
          tap_pattern(op.out, "out");
          tap_pattern(op.stationary, "stationary");
          tap_pattern(op.moving, "moving");
        } else if constexpr (std::is_same_v<T, TensorTensor>) {
          tap_kind(op.out, "out");
          tap_kind(op.in0, "in0");
          tap_kind(op.in1, "in1");
          if (alu_is_integer(op.op)) {
            integer_dtype(op.out.dtype, "out");
            integer_dtype(op.in0.dtype, "in0");
            integer_dtype(op.in1.dtype, "in1");
          }
          same_shape(op.out, op.in0, "out", "in0");
          same_shape(op.out, op.in1, "out", "in1");
          tap_pattern(op.out, "out");
          tap_pattern(op.in0, "in0");
          tap_pattern(op.in1, "in1");
        } else if constexpr (std::is_same_v<T, TensorScalar>) {
          tap_kind(op.out, "out");
          tap_kind(op.in, "in");
          if (op.s0.from_col) cap_kind(op.s0.col, "s0");
          if (op.s1.from_col) cap_kind(op.s1.col, "s1");
          if (alu_is_integer(op.op0)) {
            integer_dtype(op.out.dtype, "out");
            integer_dtype(op.in.dtype, "in");
            if (op.s0.from_col) integer_dtype(op.s0.col.dtype, "s0");
            if (op.s1.from_col) integer_dtype(op.s1.col.dtype, "s1");
          }
          same_shape(op.out, op.in, "out", "in");
          tap_pattern(op.out, "out");
          tap_pattern(op.in, "in");
          if (op.s0.from_col) cap_pattern(op.s0.col, op.out.pcount, "s0");
          if (op.s1.from_col) cap_pattern(op.s1.col, op.out.pcount, "s1");
        } else if constexpr (std::is_same_v<T, TensorReduce>) {
          tap_kind(op.out, "out");
          tap_kind(op.in, "in");
          same_lanes(op.out, op.in, "out", "in");
          std::uint64_t kept = 1;
          for (unsigned d = op.nred; d < 3; ++d) kept *= op.in.dims[d].count;
          if (op.out.free_size() != kept) {
            fail(ErrorCode::kShapeMismatch, fmt::format("out free size {} but reducing {} dims of in leaves {}",
                                                        op.out.free_size(), op.nred, kept));
          }
          tap_pattern(op.out, "out");
          tap_pattern(op.in, "in");
        } else if constexpr (std::is_same_v<T, Copy>) {
          tap_kind(op.out, "out");
          tap_kind(op.in, "in");
          same_shape(op.out, op.in, "out", "in");
          tap_pattern(op.out, "out");
          tap_pattern(op.in, "in");
        } else if constexpr (std::is_same_v<T, Iota>) {
          tap_kind(op.out, "out");
          tap_pattern(op.out, "out");
        } else if constexpr (std::is_same_v<T, Select>) {
          tap_kind(op.out, "out");
          tap_kind(op.in, "in");
          tap_kind(op.mask, "mask");
          same_shape(op.out, op.in, "out", "in");
          same_shape(op.out, op.mask, "out", "mask");
          tap_pattern(op.out, "out");
          tap_pattern(op.in, "in");
          tap_pattern(op.mask, "mask");
        } else if constexpr (std::is_same_v<T, Activate>) {
          tap_kind(op.out, "out");
          tap_kind(op.in, "in");
          if (op.scale.from_col) cap_kind(op.scale.col, "scale");
          if (op.bias.from_col) cap_kind(op.bias.col, "bias");
          if (op.acc_out.present()) cap_kind(op.acc_out, "acc");
          same_shape(op.out, op.in, "out", "in");
          tap_pattern(op.out, "out");
          tap_pattern(op.in, "in");
          if (op.scale.from_col) cap_pattern(op.scale.col, op.out.pcount, "scale");
          if (op.bias.from_col) cap_pattern(op.bias.col, op.out.pcount, "bias");
          if (op.acc_out.present()) cap_pattern(op.acc_out, op.out.pcount, "acc");
        } else if constexpr (std::is_same_v<T, TableLoad>) {
          tap_kind(op.in, "in", false);
          if (op.in.dtype != DType::kFp32) fail(ErrorCode::kBadOperand, "in: a table is fp32 words");
          if (op.in.pcount != 1) {
            fail(ErrorCode::kShapeMismatch, fmt::format("in: a table comes from 1 partition, got {}", op.in.pcount));
          }
          tap_pattern(op.in, "in");
        } else if constexpr (std::is_same_v<T, Dma>) {
          if (op.dst.space == Space::kDram && op.dst.pstart != 0) {
            fail(ErrorCode::kIllegalInstruction, "dst: pstart must be 0 for DRAM");
          }
          if (op.src.space == Space::kDram && op.src.pstart != 0) {
            fail(ErrorCode::kIllegalInstruction, "src: pstart must be 0 for DRAM");
          }
          if (op.dst.space == Space::kDram && op.dst.pdim != 3) {
            fail(ErrorCode::kIllegalInstruction, "dst: the partition-dimension field must be 0 for DRAM");
          }
          if (op.src.space == Space::kDram && op.src.pdim != 3) {
            fail(ErrorCode::kIllegalInstruction, "src: the partition-dimension field must be 0 for DRAM");
          }
          if (op.dst.remote) remote_chip(op.dst.chip, "dst");
          psum_dtype(op.dst.space, op.dst.dtype, "dst");
          psum_dtype(op.src.space, op.src.dtype, "src");
          if (!dma_cast_allowed(op.src.dtype, op.dst.dtype)) {
            fail(ErrorCode::kBadOperand,
                 fmt::format("dst is {} but src is {}: a DMA copies one dtype or casts fp32 to bf16/fp8 or int32 "
                             "to int8",
                             dtype_name(op.dst.dtype), dtype_name(op.src.dtype)));
          }
          if (op.dst.size() != op.src.size()) {
            fail(ErrorCode::kShapeMismatch,
                 fmt::format("dst has {} elements but src has {}", op.dst.size(), op.src.size()));
          }
          const ByteRange d = dap_pattern(op.dst, "dst");
          const ByteRange s = dap_pattern(op.src, "src");
          // A remote DRAM destination is checked by the chip that owns it, against its windows.
          if (op.dst.space == Space::kDram && !op.dst.remote) protection(d, true, "dst");
          if (op.src.space == Space::kDram) protection(s, false, "src");
        }
      },
      insn.op);
}

}  // namespace

Fault validate(const Instruction& insn, const Config& cfg, const Windows& windows, const ChipIdentity& chip) {
  try {
    Checker(cfg, windows, chip).check(insn);
  } catch (const Fail& f) {
    return f.fault;
  }
  return {};
}

}  // namespace systole::golden
