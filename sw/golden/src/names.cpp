// Names of ISA enumerations and error codes (docs/isa.md), used by the disassembler and messages.
#include "systole/golden/errors.hpp"
#include "systole/golden/isa.hpp"

namespace systole::golden {

// ---- names ------------------------------------------------------------------------------------
std::uint32_t dtype_size(DType t) {
  switch (t) {
    case DType::kInt8: return 1;
    case DType::kFp8: return 1;
    case DType::kBf16: return 2;
    case DType::kFp32: return 4;
    case DType::kInt32: return 4;
  }
  return 0;
}
bool dtype_is_integer(DType t) { return t == DType::kInt8 || t == DType::kInt32; }
std::string_view dtype_name(DType t) {
  switch (t) {
    case DType::kInt8: return "int8";
    case DType::kBf16: return "bf16";
    case DType::kFp8: return "fp8";
    case DType::kFp32: return "fp32";
    case DType::kInt32: return "int32";
  }
  return "?";
}
std::string_view space_name(Space s) {
  switch (s) {
    case Space::kNone: return "none";
    case Space::kSbuf: return "SBUF";
    case Space::kPsum: return "PSUM";
    case Space::kDram: return "DRAM";
  }
  return "?";
}
std::string_view opcode_name(Opcode o) {
  switch (o) {
    case Opcode::kNop: return "NOP";
    case Opcode::kEnd: return "END";
    case Opcode::kMatmul: return "MATMUL";
    case Opcode::kTensorTensor: return "TENSOR_TENSOR";
    case Opcode::kTensorScalar: return "TENSOR_SCALAR";
    case Opcode::kTensorReduce: return "TENSOR_REDUCE";
    case Opcode::kCopy: return "COPY";
    case Opcode::kIota: return "IOTA";
    case Opcode::kSelect: return "SELECT";
    case Opcode::kActivate: return "ACTIVATE";
    case Opcode::kTableLoad: return "TABLE_LOAD";
    case Opcode::kDma: return "DMA";
  }
  return "?";
}
std::string_view alu_name(AluOp o) {
  static constexpr std::string_view kNames[] = {"add", "sub", "mul", "max", "min", "eq",  "ne", "lt",
                                                "le",  "gt",  "ge",  "and", "or",  "xor", "?",  "bypass"};
  return kNames[static_cast<unsigned>(o) & 15u];
}
bool alu_is_integer(AluOp op) { return op == AluOp::kAnd || op == AluOp::kOr || op == AluOp::kXor; }
std::string_view act_name(ActFunc f) {
  static constexpr std::string_view kNames[kNumActFuncs] = {"identity", "table", "exp",  "exp2",
                                                            "recip",    "rsqrt", "sqrt", "log"};
  const auto i = static_cast<unsigned>(f);
  return i < kNumActFuncs ? kNames[i] : "?";
}
std::string_view acc_name(AccOp a) {
  static constexpr std::string_view kNames[] = {"none", "add", "max", "min"};
  return kNames[static_cast<unsigned>(a) & 3u];
}
std::string_view error_name(ErrorCode c) {
  switch (c) {
    case ErrorCode::kNone: return "NONE";
    case ErrorCode::kIllegalInstruction: return "ILLEGAL_INSTRUCTION";
    case ErrorCode::kBadOperand: return "BAD_OPERAND";
    case ErrorCode::kShapeMismatch: return "SHAPE_MISMATCH";
    case ErrorCode::kPatternOutOfRange: return "PATTERN_OUT_OF_RANGE";
    case ErrorCode::kProtection: return "PROTECTION";
    case ErrorCode::kAxiError: return "AXI_ERROR";
    case ErrorCode::kSemOverflow: return "SEM_OVERFLOW";
    case ErrorCode::kTableError: return "TABLE_ERROR";
    case ErrorCode::kProgramBounds: return "PROGRAM_BOUNDS";
    case ErrorCode::kWatchdog: return "WATCHDOG";
    case ErrorCode::kLinkError: return "LINK_ERROR";
  }
  return "?";
}

Opcode Instruction::opcode() const {
  static constexpr Opcode kByIndex[] = {Opcode::kNop,          Opcode::kEnd,          Opcode::kMatmul,
                                        Opcode::kTensorTensor, Opcode::kTensorScalar, Opcode::kTensorReduce,
                                        Opcode::kCopy,         Opcode::kIota,         Opcode::kSelect,
                                        Opcode::kActivate,     Opcode::kTableLoad,    Opcode::kDma};
  return kByIndex[op.index()];
}

}  // namespace systole::golden
