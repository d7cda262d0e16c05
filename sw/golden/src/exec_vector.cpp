// Vector / activation engine on the golden model (docs/isa.md vector instructions).
// Operand ids for the race checker: 0 out, 1 in/in0, 2 in1/mask, 3 s0/scale CAP,
// 4 s1/bias CAP, 5 acc CAP (written).
#include <fmt/format.h>

#include <string>
#include <vector>

#include "exec_util.hpp"
#include "systole/golden/activation.hpp"

namespace systole::golden {
namespace {

using namespace detail;
using num::f32_bits;

// A TAP bound to the machine: element j of lane l.
class Operand {
 public:
  Operand(Machine& m, const Tap& t, std::uint8_t id) : m_(m), t_(t), id_(id), off_(tap_offsets(t)) {}
  std::size_t size() const { return off_.size(); }
  DType dtype() const { return t_.dtype; }
  std::uint32_t raw(std::uint32_t lane, std::size_t j) {
    return load_raw(m_, t_.space, t_.pstart + lane, off_[j], t_.dtype, id_);
  }
  f32_bits f32(std::uint32_t lane, std::size_t j) { return to_f32(t_.dtype, raw(lane, j)); }
  std::int32_t integer(std::uint32_t lane, std::size_t j) { return to_int(t_.dtype, raw(lane, j)); }
  void put_raw(std::uint32_t lane, std::size_t j, std::uint32_t v) {
    store_raw(m_, t_.space, t_.pstart + lane, off_[j], t_.dtype, v, id_);
  }
  void put_f32(std::uint32_t lane, std::size_t j, f32_bits v) { put_raw(lane, j, from_f32(t_.dtype, v)); }
  void put_int(std::uint32_t lane, std::size_t j, std::int32_t v) { put_raw(lane, j, from_int(t_.dtype, v)); }

 private:
  Machine& m_;
  const Tap& t_;
  std::uint8_t id_;
  std::vector<std::int64_t> off_;
};

std::uint32_t cap_raw(Machine& m, const Cap& c, std::uint32_t lane, std::uint8_t id) {
  return load_raw(m, c.space, c.pstart + lane, c.offset, c.dtype, id);
}

// A scalar operand on the float path: immediates are fp32 bit patterns.
f32_bits scalar_f32(Machine& m, const Scalar& s, std::uint32_t lane, std::uint8_t id) {
  if (s.from_col) return to_f32(s.col.dtype, cap_raw(m, s.col, lane, id));
  return to_f32(DType::kFp32, s.imm);
}
// On the integer path: immediates are int32.
std::int32_t scalar_int(Machine& m, const Scalar& s, std::uint32_t lane, std::uint8_t id) {
  if (s.from_col) return to_int(s.col.dtype, cap_raw(m, s.col, lane, id));
  return static_cast<std::int32_t>(s.imm);
}

using elem::alu_f32;
using elem::alu_int;

f32_bits reduce_f32(AccOp op, f32_bits a, f32_bits b) {
  switch (op) {
    case AccOp::kAdd: return num::f32_add(a, b);
    case AccOp::kMax: return num::f32_max(a, b);
    case AccOp::kMin: return num::f32_min(a, b);
    case AccOp::kNone: break;
  }
  return a;
}

AccOp as_acc(AluOp op) { return op == AluOp::kAdd ? AccOp::kAdd : (op == AluOp::kMax ? AccOp::kMax : AccOp::kMin); }

// COPY/SELECT conversion: integer to integer stays integer, anything else goes through fp32.
void convert_element(Operand& out, Operand& in, std::uint32_t lane, std::size_t j) {
  if (dtype_is_integer(out.dtype()) && dtype_is_integer(in.dtype())) {
    out.put_int(lane, j, in.integer(lane, j));
  } else {
    out.put_f32(lane, j, in.f32(lane, j));
  }
}

bool nonzero(Operand& mask, std::uint32_t lane, std::size_t j) {
  if (dtype_is_integer(mask.dtype())) return mask.integer(lane, j) != 0;
  return (mask.f32(lane, j) & 0x7FFFFFFFu) != 0;  // after DAZ; NaN counts as non-zero
}

f32_bits activation(Machine& m, const Activate& a, f32_bits t) {
  const act::Table* tab = nullptr;
  if (a.func == ActFunc::kTable) {
    tab = m.table(a.table);
    if (!tab)
      throw ExecFault{ErrorCode::kTableError, fmt::format("activation table slot {} was never loaded", a.table)};
  }
  return act::apply(a.func, tab, t);
}

}  // namespace

void exec_vector(Machine& m, const Instruction& insn) {
  std::visit(
      [&](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        if constexpr (std::is_same_v<T, TensorTensor>) {
          Operand out(m, op.out, 0), a(m, op.in0, 1), b(m, op.in1, 2);
          const bool integer = alu_is_integer(op.op);
          for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
            for (std::size_t j = 0; j < out.size(); ++j) {
              if (integer) {
                out.put_int(l, j, alu_int(op.op, a.integer(l, j), b.integer(l, j)));
              } else {
                out.put_f32(l, j, alu_f32(op.op, a.f32(l, j), b.f32(l, j)));
              }
            }
          }
        } else if constexpr (std::is_same_v<T, TensorScalar>) {
          Operand out(m, op.out, 0), in(m, op.in, 1);
          const bool integer = alu_is_integer(op.op0);
          for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
            if (integer) {
              const std::int32_t s0 = scalar_int(m, op.s0, l, 3), s1 = scalar_int(m, op.s1, l, 4);
              for (std::size_t j = 0; j < out.size(); ++j) {
                const std::int32_t x = in.integer(l, j);
                const std::int32_t t = op.rev0 ? alu_int(op.op0, s0, x) : alu_int(op.op0, x, s0);
                const std::int32_t y =
                    op.op1 == AluOp::kBypass ? t : (op.rev1 ? alu_int(op.op1, s1, t) : alu_int(op.op1, t, s1));
                out.put_int(l, j, y);
              }
            } else {
              const f32_bits s0 = scalar_f32(m, op.s0, l, 3), s1 = scalar_f32(m, op.s1, l, 4);
              for (std::size_t j = 0; j < out.size(); ++j) {
                const f32_bits x = in.f32(l, j);
                const f32_bits t = op.rev0 ? alu_f32(op.op0, s0, x) : alu_f32(op.op0, x, s0);
                const f32_bits y =
                    op.op1 == AluOp::kBypass ? t : (op.rev1 ? alu_f32(op.op1, s1, t) : alu_f32(op.op1, t, s1));
                out.put_f32(l, j, y);
              }
            }
          }
        } else if constexpr (std::is_same_v<T, TensorReduce>) {
          Operand out(m, op.out, 0), in(m, op.in, 1);
          std::size_t group = 1;
          for (unsigned d = 0; d < op.nred; ++d) group *= op.in.dims[d].count;
          for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
            for (std::size_t o = 0; o < out.size(); ++o) {
              f32_bits r = in.f32(l, o * group);
              for (std::size_t i = 1; i < group; ++i) r = reduce_f32(as_acc(op.op), r, in.f32(l, o * group + i));
              out.put_f32(l, o, r);
            }
          }
        } else if constexpr (std::is_same_v<T, Copy>) {
          Operand out(m, op.out, 0), in(m, op.in, 1);
          for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
            for (std::size_t j = 0; j < out.size(); ++j) convert_element(out, in, l, j);
          }
        } else if constexpr (std::is_same_v<T, Iota>) {
          Operand out(m, op.out, 0);
          for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
            for (std::size_t j = 0; j < out.size(); ++j) {
              const std::uint32_t v = static_cast<std::uint32_t>(op.base) +
                                      static_cast<std::uint32_t>(j) * static_cast<std::uint32_t>(op.step) +
                                      l * static_cast<std::uint32_t>(op.pstep);
              const auto iv = static_cast<std::int32_t>(v);
              if (dtype_is_integer(op.out.dtype)) {
                out.put_int(l, j, iv);
              } else {
                out.put_f32(l, j, num::int32_to_f32(iv));
              }
            }
          }
        } else if constexpr (std::is_same_v<T, Select>) {
          Operand out(m, op.out, 0), in(m, op.in, 1), mask(m, op.mask, 2);
          for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
            for (std::size_t j = 0; j < out.size(); ++j) {
              if (nonzero(mask, l, j)) convert_element(out, in, l, j);
            }
          }
        } else if constexpr (std::is_same_v<T, Activate>) {
          Operand out(m, op.out, 0), in(m, op.in, 1);
          std::vector<f32_bits> acc(op.out.pcount, 0);
          for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
            const f32_bits scale = scalar_f32(m, op.scale, l, 3), bias = scalar_f32(m, op.bias, l, 4);
            for (std::size_t j = 0; j < out.size(); ++j) {
              const f32_bits t = num::f32_add(num::f32_mul(in.f32(l, j), scale), bias);
              const f32_bits y = activation(m, op, t);
              out.put_f32(l, j, y);
              acc[l] = j == 0 ? y : reduce_f32(op.acc, acc[l], y);
            }
          }
          // The acc CAP after every element of out (isa.md ACTIVATE): where they overlap, acc wins.
          if (op.acc != AccOp::kNone) {
            for (std::uint32_t l = 0; l < op.out.pcount; ++l) {
              store_raw(m, op.acc_out.space, op.acc_out.pstart + l, op.acc_out.offset, op.acc_out.dtype,
                        from_f32(op.acc_out.dtype, acc[l]), 5);
            }
          }
        } else if constexpr (std::is_same_v<T, TableLoad>) {
          Operand in(m, op.in, 1);
          std::vector<std::uint32_t> words(in.size());
          for (std::size_t j = 0; j < words.size(); ++j) words[j] = in.raw(0, j);  // raw bits, no DAZ
          std::string why;
          auto table = act::Table::from_words(words, &why);
          if (!table) throw ExecFault{ErrorCode::kTableError, fmt::format("TABLE_LOAD slot {}: {}", op.slot, why)};
          m.load_table(op.slot, std::move(*table));
        } else {
          throw std::logic_error("internal: not a vector instruction");
        }
      },
      insn.op);
}

}  // namespace systole::golden
