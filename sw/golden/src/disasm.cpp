#include "systole/golden/disasm.hpp"

#include <array>
#include <fmt/format.h>

namespace systole::golden {

std::string engine_name(std::uint8_t e) {
  if (e == engine::kSeq) return "SEQ";
  if (e == engine::kTensor) return "TENSOR";
  if (e == engine::kVec) return "VEC";
  if (e >= engine::kDma0 && e < engine::kDma0 + engine::kMaxDmaQueues) return fmt::format("DMA{}", e - engine::kDma0);
  return fmt::format("E{}", e);
}

namespace {

// Dims innermost first as "count:stride"; a single unit-stride dim prints as just its count.
std::string format_dims(std::span<const Dim> dims) {
  std::size_t last = 0;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i].count != 1) last = i;
  }
  if (last == 0 && dims[0].stride == 1) return fmt::format("[{}]", dims[0].count);
  std::string s = "[";
  for (std::size_t i = 0; i <= last; ++i) {
    s += fmt::format("{}{}:{}", i ? "," : "", dims[i].count, dims[i].stride);
  }
  return s + "]";
}

std::string format_scalar(const Scalar& s, bool integer) {
  if (s.from_col) return format_cap(s.col);
  if (integer) return fmt::format("{}", static_cast<std::int32_t>(s.imm));
  return fmt::format("0x{:08x}", s.imm);
}

}  // namespace

std::string format_tap(const Tap& t) {
  return fmt::format("{}[{}+{}]@0x{:x}:{}{}", space_name(t.space), t.pstart, t.pcount, t.offset, dtype_name(t.dtype),
                     format_dims(t.dims));
}

std::string format_cap(const Cap& c) {
  return fmt::format("{}[{}]@0x{:x}:{}", space_name(c.space), c.pstart, c.offset, dtype_name(c.dtype));
}

std::string format_dap(const Dap& d) {
  // A remote destination is prefixed with its chip and suffixed with its remote signal:
  // "chip3:SBUF[...]...+s5".
  const std::string chip = d.remote ? fmt::format("chip{}:", d.chip) : std::string();
  const std::string rsig = d.rsig_en ? fmt::format("+s{}", d.rsig_sem) : std::string();
  if (d.space == Space::kDram) {
    return fmt::format("{}DRAM@0x{:x}:{}{}{}", chip, d.addr, dtype_name(d.dtype), format_dims(d.dims), rsig);
  }
  // Partitions as [pstart:count:stride]; a partition dim other than 3 is shown as "/pdim=N".
  const std::array<Dim, 3> free = dap_free_dims(d);
  return fmt::format("{}{}[{}:{}:{}{}]@0x{:x}:{}{}{}", chip, space_name(d.space), d.pstart, d.dims[d.pdim].count,
                     d.dims[d.pdim].stride, d.pdim == 3 ? std::string() : fmt::format("/pdim={}", d.pdim), d.addr,
                     dtype_name(d.dtype), format_dims(std::span<const Dim>(free.data(), 3)), rsig);
}

std::string disassemble(const Instruction& insn) {
  std::string s(opcode_name(insn.opcode()));
  std::visit(
      [&](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, Nop>) {
          if (op.remote) s += fmt::format(" remote chip{} signal s{}", op.chip, op.sem);
        } else if constexpr (std::is_same_v<T, Matmul>) {
          s += fmt::format("{} out={} stat={} mov={}", op.start ? " start" : " acc", format_tap(op.out),
                           format_tap(op.stationary), format_tap(op.moving));
        } else if constexpr (std::is_same_v<T, TensorTensor>) {
          s += fmt::format(" {} out={} in0={} in1={}", alu_name(op.op), format_tap(op.out), format_tap(op.in0),
                           format_tap(op.in1));
        } else if constexpr (std::is_same_v<T, TensorScalar>) {
          const bool integer = alu_is_integer(op.op0);
          s += fmt::format(" out={} in={} op0={}{} s0={} op1={}{} s1={}", format_tap(op.out), format_tap(op.in),
                           alu_name(op.op0), op.rev0 ? "(rev)" : "", format_scalar(op.s0, integer), alu_name(op.op1),
                           op.rev1 ? "(rev)" : "", format_scalar(op.s1, integer));
        } else if constexpr (std::is_same_v<T, TensorReduce>) {
          s += fmt::format(" {} nred={} out={} in={}", alu_name(op.op), op.nred, format_tap(op.out), format_tap(op.in));
        } else if constexpr (std::is_same_v<T, Copy>) {
          s += fmt::format(" out={} in={}", format_tap(op.out), format_tap(op.in));
        } else if constexpr (std::is_same_v<T, Iota>) {
          s += fmt::format(" out={} base={} step={} pstep={}", format_tap(op.out), op.base, op.step, op.pstep);
        } else if constexpr (std::is_same_v<T, Select>) {
          s += fmt::format(" out={} in={} mask={}", format_tap(op.out), format_tap(op.in), format_tap(op.mask));
        } else if constexpr (std::is_same_v<T, Activate>) {
          s += fmt::format(" {}", act_name(op.func));
          if (op.func == ActFunc::kTable) s += fmt::format("[{}]", op.table);
          s += fmt::format(" out={} in={} scale={} bias={}", format_tap(op.out), format_tap(op.in),
                           format_scalar(op.scale, false), format_scalar(op.bias, false));
          if (op.acc != AccOp::kNone) s += fmt::format(" acc={}->{}", acc_name(op.acc), format_cap(op.acc_out));
        } else if constexpr (std::is_same_v<T, TableLoad>) {
          s += fmt::format(" slot={} in={}", op.slot, format_tap(op.in));
        } else if constexpr (std::is_same_v<T, Dma>) {
          s += fmt::format(" dst={} src={}", format_dap(op.dst), format_dap(op.src));
        }
      },
      insn.op);
  if (insn.sync.wait_en) s += fmt::format(" wait s{}>={}", insn.sync.wait_sem, insn.sync.wait_value);
  if (insn.sync.signal_en) s += fmt::format(" signal s{}", insn.sync.signal_sem);
  return s;
}

std::string disassemble(std::span<const EncodedInstruction> program) {
  std::string out;
  for (std::size_t i = 0; i < program.size(); ++i) {
    const Decoded d = decode(program[i]);
    if (d.insn) {
      out += fmt::format("{:5}  {:<6} {}\n", i, engine_name(d.insn->engine), disassemble(*d.insn));
    } else {
      out += fmt::format("{:5}  {:<6} <illegal: {}>\n", i, "?", d.fault.detail);
    }
  }
  return out;
}

}  // namespace systole::golden
