// Internal: the row-wise kernels' program builder (rowwise.hpp; docs/kernels.md section 2). The
// in-SBUF form is in rowwise_build.cpp, the online (chunked) form in rowwise_online.cpp.
#pragma once

#include <fmt/format.h>

#include <array>
#include <bit>

#include "loop_dma.hpp"
#include "systole/golden/numerics.hpp"
#include "systole/kernels/rowwise.hpp"

namespace systole::kernels::detail {

using golden::ActFunc;
using golden::AluOp;
using golden::Deps;
using golden::DType;
using golden::Space;
using golden::Tap;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

constexpr u32 kF32Max = 0x7F7FFFFFu;
constexpr u32 kF32MinNormal = 0x00800000u;  // 2^-126
constexpr u32 kF32One = 0x3F800000u;
constexpr u32 kF32NegZero = 0x80000000u;

inline u32 f32_bits(float f) { return std::bit_cast<u32>(f); }

// Statistics columns (fp32, byte offsets inside the 64-byte stats area). The online form's
// (rowwise_online.cpp) reuse the first five and add: T chunk statistic, C correction, P2 chunk
// partial, L log of the sum, B2 final bias, D/D2/Tmp LayerNorm's merge, Nm/M2 ping-pong pairs.
enum Col : u32 {
  kColA = 0,
  kColB = 4,
  kColSum = 8,
  kColR = 12,
  kColTail = 16,
  kColT = 16,
  kColC = 20,
  kColP2 = 24,
  kColL = 28,
  kColB2 = 32,
  kColD = 36,
  kColD2 = 40,
  kColTmp = 44,
  kColNm = 48,  // and 52
  kColM2 = 56,  // and 60
};

class RowwiseBuilder {
 public:
  RowwiseBuilder(const golden::Config& cfg, const RowwiseParams& p, const RowwiseAddrs& a, const RowwisePlan& plan)
      : cfg_(cfg), p_(p), a_(a), pl_(plan), b_(cfg), dma_(b_, cfg) {
    for (u32 i = 0; i < pl_.nbuf; ++i) {
      loaded_[i] = b_.semaphore(fmt::format("loaded{}", i));
      stored_[i] = b_.semaphore(fmt::format("stored{}", i));
    }
    computed_ = b_.semaphore("computed");
    last_signal_ = computed_;
    if (p_.op != RowOp::kSoftmax) {
      table_ = b_.semaphore("table");
      gamma0_ = b_.semaphore("params0");
      params_ = b_.semaphore("params");
    }
    inv_l_ = golden::num::double_to_f32_bits_rne(1.0 / p_.cols);
    stats_ = pl_.stats_off;
  }

  golden::ProgramBuilder& build() {
    if (pl_.online) {
      build_online();
      b_.end();
      return b_;
    }
    if (p_.op != RowOp::kSoftmax) prologue_params();
    for (u32 t = 0; t < std::min(pl_.nbuf, pl_.tiles); ++t) load(t);
    for (u32 t = 0; t < pl_.tiles; ++t) {
      compute(t);
      store(t);
      if (t + pl_.nbuf < pl_.tiles) load(t + pl_.nbuf);
    }
    b_.end();
    return b_;
  }

 private:
  u32 lanes(u32 t) const { return std::min(cfg_.partitions, p_.rows - t * cfg_.partitions); }
  u64 row0(u32 t) const { return u64{t} * cfg_.partitions; }

  // ---- DMA ------------------------------------------------------------------------------------
  // Rows [row0, row0 + n) of a [R, L] DRAM tensor at `addr` <-> partitions [0, n) at `off`.
  void move_rows(bool to_chip, DType t, u64 addr, u32 off, u32 n, const Deps& deps) {
    LoopDma d;
    const Side dram{Space::kDram, t, addr, 0, -1};
    const Side chip{Space::kSbuf, t, off, 0, 1};
    d.src = to_chip ? dram : chip;
    d.dst = to_chip ? chip : dram;
    const std::int64_t L = p_.cols;
    d.dims = {LoopDim{p_.cols, 1, 1}, LoopDim{n, to_chip ? L : 1, to_chip ? 1 : L}, LoopDim{}, LoopDim{}};
    dma_.emit(d, 1, deps);
  }

  // Loads on the first half of the DMA queues, stores on the second half.
  void load_queues() { dma_.use_load_queues(); }
  void store_queues() { dma_.use_store_queues(); }

  void load(u32 t) {
    load_queues();
    const u32 slot = t % pl_.nbuf, n = lanes(t);
    // Tile t >= nbuf reuses the slot of tile t - nbuf; the first tiles' loads wait for tile 0's, so
    // that tile 0 arrives at the full bandwidth and the vector engine starts sooner.
    const Deps d =
        (t >= pl_.nbuf ? b_.after(stored_[slot]) : (t > 0 ? b_.after(loaded_[0]) : Deps{})).and_signal(loaded_[slot]);
    const u64 isz = golden::dtype_size(p_.in);
    move_rows(true, p_.in, a_.x + row0(t) * p_.cols * isz, pl_.io_off[slot], n, d);
    if (p_.mask) {
      const u64 msz = golden::dtype_size(p_.mask_dtype);
      move_rows(true, p_.mask_dtype, a_.mask + row0(t) * p_.cols * msz, pl_.mask_off[slot], n, d);
    }
  }

  void store(u32 t) {
    store_queues();
    const u32 slot = t % pl_.nbuf;
    const u64 osz = golden::dtype_size(p_.out);
    move_rows(false, p_.out, a_.y + row0(t) * p_.cols * osz, pl_.io_off[slot], lanes(t),
              b_.after(computed_).and_signal(stored_[slot]));
  }

  // gamma (and beta) into partition 0, then copied to partitions 1..P-1; the table image into
  // partition 0 and TABLE_LOAD into slot 0. The vector engine waits for all of it with a NOP.
  void prologue_params() {
    LoopDma tbl;
    tbl.src = Side{Space::kDram, DType::kFp32, a_.aux, 0, -1};
    tbl.dst = Side{Space::kSbuf, DType::kFp32, pl_.table_off, 0, -1};
    const u32 words = static_cast<u32>(square_table().to_words().size());
    tbl.dims = {LoopDim{words, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
    dma_.emit(tbl, 0, b_.signal(table_));
    const std::array<std::pair<u32, u32>, 2> params = {std::pair{a_.gamma, pl_.gamma_off},
                                                       std::pair{a_.beta, pl_.beta_off}};
    const u32 np = p_.op == RowOp::kLayerNorm ? 2 : 1;
    for (u32 i = 0; i < np; ++i) {
      LoopDma g;
      g.src = Side{Space::kDram, p_.param, params[i].first, 0, -1};
      g.dst = Side{Space::kSbuf, p_.param, params[i].second, 0, -1};
      g.dims = {LoopDim{p_.cols, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
      dma_.emit(g, 0, b_.signal(gamma0_));
    }
    for (u32 i = 0; i < np; ++i) {
      LoopDma bc;  // partition 0 -> partitions 1..P-1 (source partition stride 0)
      bc.src = Side{Space::kSbuf, p_.param, params[i].second, 0, 1};
      bc.dst = Side{Space::kSbuf, p_.param, params[i].second, 1, 1};
      bc.dims = {LoopDim{p_.cols, 1, 1}, LoopDim{cfg_.partitions - 1, 0, 1}, LoopDim{}, LoopDim{}};
      dma_.emit(bc, 1, b_.after(gamma0_).and_signal(params_));
    }
    b_.table_load(0, golden::tap(Space::kSbuf, DType::kFp32, 0, 1, pl_.table_off, {{words, 1}}), b_.after(table_));
    b_.nop(golden::engine::kVec, b_.after(params_));
  }

  // ---- vector operands ---------------------------------------------------------------------
  // Piece 0 (n0 x n1 elements) or 1 (the tail) of the row at `off`, `n` lanes.
  Tap row(DType t, u32 off, u32 n, int piece) const {
    if (piece == 0) {
      return golden::tap(Space::kSbuf, t, 0, n, off, {{pl_.n0, 1}, {pl_.n1, static_cast<std::int32_t>(pl_.n0)}});
    }
    return golden::tap(Space::kSbuf, t, 0, n, off + pl_.n0 * pl_.n1 * golden::dtype_size(t), {{pl_.tail, 1}});
  }
  int pieces() const { return pl_.tail != 0 ? 2 : 1; }
  Tap col(u32 c, u32 n) const { return golden::tap(Space::kSbuf, DType::kFp32, 0, n, stats_ + c, {{1, 1}}); }
  golden::Cap cap(u32 c) const { return golden::cap(Space::kSbuf, DType::kFp32, 0, stats_ + c); }
  static golden::Scalar imm(u32 bits) { return golden::Scalar{false, bits, {}}; }
  golden::Scalar colv(u32 c) const { return golden::Scalar{true, 0, cap(c)}; }

  // The first instruction of a tile waits for its load; `last` is set on the last one.
  Deps next(bool last = false) {
    Deps d = first_ ? first_deps_ : Deps{};
    first_ = false;
    if (last) d = d.and_signal(last_signal_);
    return d;
  }

  // ---- instruction helpers: one instruction per piece, reductions combined -------------------
  void reduce(AluOp op, DType t, u32 off, u32 n, u32 c) {
    b_.tensor_reduce(op, pl_.n1 > 1 ? 2 : 1, col(c, n), row(t, off, n, 0), next());
    if (pieces() == 2) {
      b_.tensor_reduce(op, 1, col(kColTail, n), row(t, off, n, 1), next());
      b_.tensor_tensor(op, col(c, n), col(c, n), col(kColTail, n), next());
    }
  }
  // ACTIVATE over the row (in -> out); with acc, the lane's reduction lands in column c.
  void activate(ActFunc f, golden::AccOp acc, golden::Scalar scale, golden::Scalar bias, DType ti, u32 in_off, DType to,
                u32 out_off, u32 n, u32 c) {
    for (int k = 0; k < pieces(); ++k) {
      golden::Activate a;
      a.func = f;
      a.acc = acc;
      a.scale = scale;
      a.bias = bias;
      a.in = row(ti, in_off, n, k);
      a.out = row(to, out_off, n, k);
      if (acc != golden::AccOp::kNone) a.acc_out = cap(k == 0 ? c : kColTail);
      b_.activate(a, next());
    }
    if (acc != golden::AccOp::kNone && pieces() == 2) {
      b_.tensor_tensor(AluOp::kAdd, col(c, n), col(c, n), col(kColTail, n), next());
    }
  }
  void scalar(AluOp op0, golden::Scalar s0, AluOp op1, golden::Scalar s1, DType ti, u32 in_off, DType to, u32 out_off,
              u32 n, bool last = false) {
    for (int k = 0; k < pieces(); ++k) {
      golden::TensorScalar ts;
      ts.op0 = op0;
      ts.op1 = op1;
      ts.s0 = s0;
      ts.s1 = s1;
      ts.in = row(ti, in_off, n, k);
      ts.out = row(to, out_off, n, k);
      b_.tensor_scalar(ts, next(last && k + 1 == pieces()));
    }
  }
  void binary(AluOp op, DType ta, u32 a_off, DType tb, u32 b_off, DType to, u32 out_off, u32 n, bool last = false) {
    for (int k = 0; k < pieces(); ++k) {
      b_.tensor_tensor(op, row(to, out_off, n, k), row(ta, a_off, n, k), row(tb, b_off, n, k),
                       next(last && k + 1 == pieces()));
    }
  }
  // An op on the n x 1 statistics columns.
  void col_scalar(AluOp op0, u32 s0, AluOp op1, u32 s1, u32 in_c, u32 out_c, u32 n) {
    golden::TensorScalar ts;
    ts.op0 = op0;
    ts.op1 = op1;
    ts.s0 = imm(s0);
    ts.s1 = imm(s1);
    ts.in = col(in_c, n);
    ts.out = col(out_c, n);
    b_.tensor_scalar(ts, next());
  }
  void col_activate(ActFunc f, u32 scale, u32 bias, u32 in_c, u32 out_c, u32 n) {
    golden::Activate a;
    a.func = f;
    a.scale = imm(scale);
    a.bias = imm(bias);
    a.in = col(in_c, n);
    a.out = col(out_c, n);
    b_.activate(a, next());
  }

  // ---- the tiles -------------------------------------------------------------------------------
  void compute(u32 t) {
    const u32 slot = t % pl_.nbuf, n = lanes(t), io = pl_.io_off[slot], w = pl_.work_in_io ? io : pl_.work_off;
    first_ = true;
    first_deps_ = b_.after(loaded_[slot]);
    switch (p_.op) {
      case RowOp::kSoftmax: softmax(n, io, pl_.mask_off[slot], w); break;
      case RowOp::kLayerNorm: layernorm(n, io, w); break;
      case RowOp::kRmsNorm: rmsnorm(n, io, w); break;
    }
  }

  void softmax(u32 n, u32 io, u32 mask, u32 w) {
    DType vt = p_.in;  // the values v the max and the exponentials read
    u32 v = io, s = f32_bits(p_.scale);
    if (p_.mask) {
      if (s != kF32One) {
        scalar(AluOp::kMul, imm(s), AluOp::kBypass, imm(0), p_.in, io, DType::kFp32, w, n);
        binary(AluOp::kAdd, DType::kFp32, w, p_.mask_dtype, mask, DType::kFp32, w, n);
      } else {
        binary(AluOp::kAdd, p_.in, io, p_.mask_dtype, mask, DType::kFp32, w, n);
      }
      vt = DType::kFp32;
      v = w;
      s = kF32One;
    }
    reduce(AluOp::kMax, vt, v, n, kColA);
    col_scalar(AluOp::kMul, s ^ 0x80000000u, AluOp::kMin, kF32Max, kColA, kColB, n);
    activate(ActFunc::kExp, golden::AccOp::kAdd, imm(s), colv(kColB), vt, v, DType::kFp32, w, n, kColSum);
    col_activate(ActFunc::kRecip, kF32One, kF32MinNormal, kColSum, kColR, n);
    scalar(AluOp::kMul, colv(kColR), AluOp::kBypass, imm(0), DType::kFp32, w, p_.out, io, n, true);
  }

  void layernorm(u32 n, u32 io, u32 w) {
    reduce(AluOp::kAdd, p_.in, io, n, kColA);
    col_scalar(AluOp::kMul, inv_l_ ^ 0x80000000u, AluOp::kBypass, 0, kColA, kColB, n);
    activate(ActFunc::kTable, golden::AccOp::kAdd, imm(kF32One), colv(kColB), p_.in, io, DType::kFp32, w, n, kColSum);
    col_activate(ActFunc::kRsqrt, inv_l_, f32_bits(p_.eps), kColSum, kColR, n);
    scalar(AluOp::kAdd, colv(kColB), AluOp::kMul, colv(kColR), p_.in, io, DType::kFp32, w, n);
    binary(AluOp::kMul, DType::kFp32, w, p_.param, pl_.gamma_off, DType::kFp32, w, n);
    binary(AluOp::kAdd, DType::kFp32, w, p_.param, pl_.beta_off, p_.out, io, n, true);
  }

  void rmsnorm(u32 n, u32 io, u32 w) {
    activate(ActFunc::kTable, golden::AccOp::kAdd, imm(kF32One), imm(kF32NegZero), p_.in, io, DType::kFp32, w, n,
             kColSum);
    col_activate(ActFunc::kRsqrt, inv_l_, f32_bits(p_.eps), kColSum, kColR, n);
    scalar(AluOp::kMul, colv(kColR), AluOp::kBypass, imm(0), p_.in, io, DType::kFp32, w, n);
    binary(AluOp::kMul, DType::kFp32, w, p_.param, pl_.gamma_off, p_.out, io, n, true);
  }

  // ---- the online form (rowwise_online.cpp) ---------------------------------------------------
  struct Job {
    u32 tile, chunk, slot;
    bool output;  // the second read (B), else the statistics read (A)
  };
  Job job(u32 j) const;
  u32 chunk_len(u32 c) const { return std::min(pl_.chunk, p_.cols - c * pl_.chunk); }
  void build_online();
  void online_load(u32 j);
  void online_vector(u32 j);
  void online_store(u32 j);
  u32 out_slot(u32 j) const;
  u32 readb_index(u32 j) const;  // the job's place among the read-B jobs
  void chunk_params(u32 c);      // chunk-major: chunk c's gamma (and beta) into parameter slot c % 2
  // The values v the statistics and the exponentials read (the mask and the scale applied to x
  // first when there is a mask); returns their dtype and offset and sets s (the scale left).
  std::pair<DType, u32> softmax_values(u32 n, u32 len, u32 io, u32 mask, u32& s);
  void softmax_stats(u32 n, u32 len, u32 c, u32 io, u32 mask);
  void softmax_output(u32 n, u32 len, u32 io, u32 mask, u32 out, bool first);
  void norm_stats(u32 n, u32 len, u32 c, u32 io);
  void norm_output(u32 n, u32 len, u32 io, u32 gamma, u32 beta, u32 out, bool first);
  Tap chunk_row(DType t, u32 off, u32 n, u32 len) const { return golden::tap(Space::kSbuf, t, 0, n, off, {{len, 1}}); }
  golden::Sem released_[3]{}, param0_[3]{}, out_free_[3]{}, param_loaded_[2]{}, param_free_[2]{};
  golden::Sem last_signal_{};  // what the last vector instruction of a job signals

  const golden::Config& cfg_;
  const RowwiseParams& p_;
  const RowwiseAddrs& a_;
  const RowwisePlan& pl_;
  golden::ProgramBuilder b_;
  detail::DmaEmitter dma_;
  golden::Sem loaded_[3], stored_[3], computed_, table_, gamma0_, params_;
  u32 inv_l_ = 0;
  u32 stats_ = 0;  // the statistics columns in use (a tile's, chunk-major)
  bool first_ = false;
  Deps first_deps_{};
};

}  // namespace systole::kernels::detail
