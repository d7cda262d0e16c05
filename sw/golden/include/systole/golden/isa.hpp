// The Systole instruction set as C++ values (docs/isa.md), with the binary encoding.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "systole/golden/errors.hpp"

namespace systole::golden {

enum class DType : std::uint8_t { kInt8 = 1, kBf16 = 2, kFp8 = 3, kFp32 = 4, kInt32 = 5 };
enum class Space : std::uint8_t { kNone = 0, kSbuf = 1, kPsum = 2, kDram = 3 };

enum class Opcode : std::uint8_t {
  kNop = 0x00,
  kEnd = 0x01,
  kMatmul = 0x10,
  kTensorTensor = 0x20,
  kTensorScalar = 0x21,
  kTensorReduce = 0x22,
  kCopy = 0x23,
  kIota = 0x24,
  kSelect = 0x25,
  kActivate = 0x26,
  kTableLoad = 0x27,
  kDma = 0x30,
};

// Engine ids (docs/isa.md section 1). DMA queue q is kDma0 + q.
namespace engine {
inline constexpr std::uint8_t kSeq = 0;
inline constexpr std::uint8_t kTensor = 1;
inline constexpr std::uint8_t kVec = 2;
inline constexpr std::uint8_t kDma0 = 4;
inline constexpr std::uint8_t kMaxDmaQueues = 8;
inline constexpr std::uint8_t kCount = 16;  // the 4-bit field
constexpr std::uint8_t dma(unsigned q) { return static_cast<std::uint8_t>(kDma0 + q); }
}  // namespace engine

enum class AluOp : std::uint8_t {
  kAdd = 0,
  kSub = 1,
  kMul = 2,
  kMax = 3,
  kMin = 4,
  kEq = 5,
  kNe = 6,
  kLt = 7,
  kLe = 8,
  kGt = 9,
  kGe = 10,
  kAnd = 11,
  kOr = 12,
  kXor = 13,
  kBypass = 15,
};
bool alu_is_integer(AluOp op);

enum class ActFunc : std::uint8_t {
  kIdentity = 0,
  kTable = 1,
  kExp = 2,
  kExp2 = 3,
  kRecip = 4,
  kRsqrt = 5,
  kSqrt = 6,
  kLog = 7,
};
inline constexpr unsigned kNumActFuncs = 8;  // codes 8..15 are reserved
enum class AccOp : std::uint8_t { kNone = 0, kAdd = 1, kMax = 2, kMin = 3 };

std::uint32_t dtype_size(DType t);
bool dtype_is_integer(DType t);
std::string_view dtype_name(DType t);
std::string_view space_name(Space s);
std::string_view opcode_name(Opcode o);
std::string_view alu_name(AluOp o);
std::string_view act_name(ActFunc f);
std::string_view acc_name(AccOp a);

struct Dim {
  std::uint32_t count = 1;
  std::int32_t stride = 1;  // in elements (partitions for an on-chip DAP's dim pdim)
  bool operator==(const Dim&) const = default;
};

// Tensor access pattern: lanes = partitions, up to three free dims (docs/isa.md section 3).
struct Tap {
  Space space = Space::kNone;
  DType dtype = DType::kFp32;
  std::uint32_t pstart = 0;
  std::uint32_t pcount = 1;
  std::uint32_t offset = 0;  // bytes inside a partition
  std::array<Dim, 3> dims{};
  std::uint64_t free_size() const { return std::uint64_t{dims[0].count} * dims[1].count * dims[2].count; }
  bool present() const { return space != Space::kNone; }
  bool operator==(const Tap&) const = default;
};

// Column access pattern: one element per lane.
struct Cap {
  Space space = Space::kNone;
  DType dtype = DType::kFp32;
  std::uint32_t pstart = 0;
  std::uint32_t offset = 0;
  bool present() const { return space != Space::kNone; }
  bool operator==(const Cap&) const = default;
};

// DMA access pattern: four dims; on chip, dim `pdim` (default 3) walks partitions (its stride
// counts partitions) and the other three walk bytes of a partition. DRAM patterns have pdim 3
// (the encoded field is 3 - pdim, so 0 in the default case).
struct Dap {
  Space space = Space::kNone;
  DType dtype = DType::kInt8;
  std::uint32_t pstart = 0;
  std::uint32_t addr = 0;
  std::array<Dim, 4> dims{};
  std::uint8_t pdim = 3;
  // Chip-to-chip (docs/isa.md DMA, docs/links.md section 5); only in a DMA's dst. `remote`: the
  // elements are written on chip `chip` (d5[31], d5[30:24]); `rsig_en`: after the last of them,
  // semaphore `rsig_sem` of that chip is incremented (d6[31], d6[28:24]).
  bool remote = false;
  std::uint8_t chip = 0;
  bool rsig_en = false;
  std::uint8_t rsig_sem = 0;
  std::uint64_t size() const { return std::uint64_t{dims[0].count} * dims[1].count * dims[2].count * dims[3].count; }
  bool operator==(const Dap&) const = default;
};

// The three dims of an on-chip DAP that walk bytes of a partition (all but `pdim`, in order).
std::array<Dim, 3> dap_free_dims(const Dap& d);
// DMA dtype pairs (docs/isa.md DMA): the same dtype (a raw copy), or fp32 -> bf16 / fp8 and
// int32 -> int8 (numerics.md section 4).
bool dma_cast_allowed(DType src, DType dst);

struct Sync {
  bool wait_en = false;
  std::uint8_t wait_sem = 0;
  std::uint32_t wait_value = 0;
  bool signal_en = false;
  std::uint8_t signal_sem = 0;
  bool operator==(const Sync&) const = default;
};

// A scalar operand: an immediate (fp32 bits or int32) or a per-partition column.
struct Scalar {
  bool from_col = false;
  std::uint32_t imm = 0;
  Cap col{};
  bool operator==(const Scalar&) const = default;
};

// A NOP on a DMA queue may increment a semaphore of another chip (`remote`, w2[31]; chip
// w2[30:24]; semaphore w2[4:0]), after every earlier write of its queue to that chip.
struct Nop {
  bool remote = false;
  std::uint8_t chip = 0;
  std::uint8_t sem = 0;
  bool operator==(const Nop&) const = default;
};
struct End {
  bool operator==(const End&) const = default;
};
struct Matmul {
  Tap out, stationary, moving;
  bool start = true;
  bool operator==(const Matmul&) const = default;
};
struct TensorTensor {
  AluOp op = AluOp::kAdd;
  Tap out, in0, in1;
  bool operator==(const TensorTensor&) const = default;
};
struct TensorScalar {
  AluOp op0 = AluOp::kMul, op1 = AluOp::kBypass;
  bool rev0 = false, rev1 = false;
  Scalar s0, s1;
  Tap out, in;
  bool operator==(const TensorScalar&) const = default;
};
struct TensorReduce {
  AluOp op = AluOp::kAdd;
  std::uint8_t nred = 1;
  Tap out, in;
  bool operator==(const TensorReduce&) const = default;
};
struct Copy {
  Tap out, in;
  bool operator==(const Copy&) const = default;
};
struct Iota {
  Tap out;
  std::int32_t base = 0, step = 1, pstep = 0;
  bool operator==(const Iota&) const = default;
};
struct Select {
  Tap out, in, mask;
  bool operator==(const Select&) const = default;
};
struct Activate {
  ActFunc func = ActFunc::kIdentity;
  std::uint8_t table = 0;
  AccOp acc = AccOp::kNone;
  Scalar scale{false, 0x3F800000u, {}};
  Scalar bias{};
  Cap acc_out{};
  Tap out, in;
  bool operator==(const Activate&) const = default;
};
struct TableLoad {
  std::uint8_t slot = 0;
  Tap in;
  bool operator==(const TableLoad&) const = default;
};
struct Dma {
  Dap dst, src;
  bool operator==(const Dma&) const = default;
};

using Op = std::variant<Nop, End, Matmul, TensorTensor, TensorScalar, TensorReduce, Copy, Iota, Select, Activate,
                        TableLoad, Dma>;

struct Instruction {
  std::uint8_t engine = engine::kSeq;
  Sync sync{};
  Op op{Nop{}};
  Opcode opcode() const;
  bool operator==(const Instruction&) const = default;
};

inline constexpr std::size_t kInstructionWords = 16;
inline constexpr std::size_t kInstructionBytes = 64;
using EncodedInstruction = std::array<std::uint32_t, kInstructionWords>;

// Binary encoding. Throws EncodeError when a field does not fit its bits.
EncodedInstruction encode(const Instruction& insn);

// Binary decoding with the encoding-level checks of docs/isa.md section 6 steps 1-2 that do not
// depend on the configuration. On failure the Fault holds ILLEGAL_INSTRUCTION and a reason.
// The remaining ILLEGAL_INSTRUCTION checks (DMA queue and VEC engine present, DRAM DAP pstart and
// pdim_sel zero) are the first checks of validate(): same code, same precedence.
struct Decoded {
  std::optional<Instruction> insn;
  Fault fault;
};
Decoded decode(std::span<const std::uint32_t, kInstructionWords> words);

}  // namespace systole::golden
