// Attention, flash form: the program (attention.hpp; docs/kernels.md section 8). The checks and
// the plan are in attention_plan.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "kernel_util.hpp"
#include "loop_dma.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/kernels/attention.hpp"

namespace systole::kernels {

using golden::ActFunc;
using golden::AluOp;
using golden::Deps;
using golden::DType;
using golden::Space;
using golden::Tap;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

using detail::LoopDim;
using detail::LoopDma;
using detail::Side;

constexpr u32 kF32Max = 0x7F7FFFFFu, kF32One = 0x3F800000u, kF32MinNormal = 0x00800000u, kSign = 0x80000000u;
constexpr u32 kMaskValue = 0xFF61B1E6u;  // -3e38: a masked logit (exp of it, scaled, is 0)
// Statistics columns (bytes in the stats area): running max, bias, sum; chunk max, correction,
// chunk sum, reciprocal.
enum Col : u32 { kA = 0, kB = 4, kSum = 8, kT = 12, kC = 16, kP2 = 20, kR = 24 };

u32 ceil_div(u32 a, u32 b) { return (a + b - 1) / b; }

}  // namespace

namespace {

class AttentionBuilder {
 public:
  AttentionBuilder(const golden::Config& cfg, const AttentionParams& p, const AttentionAddrs& a,
                   const AttentionPlan& pl)
      : cfg_(cfg), p_(p), a_(a), pl_(pl), b_(cfg), dma_(b_, cfg) {
    for (const char* n : {"q0", "q1"}) q_loaded_.push_back(b_.semaphore(n));
    for (const char* n : {"k0", "k1"}) k_loaded_.push_back(b_.semaphore(n));
    for (const char* n : {"v0", "v1"}) v_loaded_.push_back(b_.semaphore(n));
    for (const char* n : {"st0", "st1"}) stored_.push_back(b_.semaphore(n));
    s_done_ = b_.semaphore("s_done");
    p_done_ = b_.semaphore("p_done");
    t_done_ = b_.semaphore("t_done");
    c_done_ = b_.semaphore("c_done");
    o_done_ = b_.semaphore("o_done");
    f_done_ = b_.semaphore("f_done");
    setup_ = b_.semaphore("setup");
    scale_ = std::bit_cast<u32>(p.effective_scale());
    ld_ = p.heads * p.d;
    // The blocks in program order.
    for (u32 h = 0; h < p.heads; ++h) {
      for (u32 qt = 0; qt < pl.q_tiles; ++qt) {
        const u32 q0 = qt * pl.bq, nq = std::min(pl.bq, p.sq - q0);
        const u32 kb_end = p.causal ? std::min(pl.k_blocks, (q0 + nq - 1) / pl.bk + 1) : pl.k_blocks;
        for (u32 kb = 0; kb < kb_end; ++kb) {
          Block blk{h, qt, q0, nq, kb * pl.bk, std::min(pl.bk, p.sk - kb * pl.bk), kb == 0, kb + 1 == kb_end, tiles_};
          blocks_.push_back(blk);
        }
        ++tiles_;
      }
    }
  }

  golden::ProgramBuilder& build() {
    identity();
    load_q(0);
    if (tiles_ > 1) load_q(1);
    for (u32 i = 0; i < std::min<u32>(2, static_cast<u32>(blocks_.size())); ++i) {
      load_k(i);
      load_v(i);
    }
    qk(0);
    // K^T of block i + 2 is loaded as soon as block i's Q K^T has run (early in program order,
    // so that the many MATMULs of the transposes and P V do not hold up its dispatch); V of
    // block i + 2 once block i's P V has run.
    for (u32 i = 0; i < blocks_.size(); ++i) {
      if (i + 1 < blocks_.size()) qk(i + 1);
      if (i + 2 < blocks_.size()) load_k(i + 2);
      softmax(i);
      transpose(i);
      copy_pt(i);
      pv(i);
      update_o(i);
      if (blocks_[i].last) finish(i);
      if (i + 2 < blocks_.size()) load_v(i + 2);
      if (blocks_[i].last && blocks_[i].tile + 2 < tiles_) load_q(blocks_[i].tile + 2);
    }
    b_.end();
    return b_;
  }

 private:
  struct Block {
    u32 head, qt, q0, nq, k0, nk;
    bool first, last;
    u32 tile;  // the (head, query tile) counter
  };
  static constexpr int kPd = 0;  // the loop that walks partitions (transposing loads)

  Tap sb(DType t, u32 pcount, u32 off, u32 n) const { return golden::tap(Space::kSbuf, t, 0, pcount, off, {{n, 1}}); }
  Tap ps(u32 pcount, u32 word, u32 n) const {
    return golden::tap(Space::kPsum, DType::kFp32, 0, pcount, word * 4, {{n, 1}});
  }
  Tap col(u32 c, u32 n) const { return sb(DType::kFp32, n, pl_.stats + c, 1); }
  golden::Scalar capv(u32 c) const {
    return golden::Scalar{true, 0, golden::cap(Space::kSbuf, DType::kFp32, 0, pl_.stats + c)};
  }
  static golden::Scalar imm(u32 bits) { return golden::Scalar{false, bits, {}}; }
  Deps count(golden::Sem s, u64 n) const { return b_.wait(s, static_cast<u32>(n)); }

  // The identity [C x C] bf16 for the transposes: IOTA j - l, then (== 0).
  void identity() {
    const u32 C = cfg_.columns;
    b_.iota(sb(DType::kFp32, C, pl_.work, C), 0, 1, -1);
    golden::TensorScalar ts;
    ts.op0 = AluOp::kEq;
    ts.op1 = AluOp::kBypass;
    ts.s0 = imm(0);
    ts.s1 = imm(0);
    ts.in = sb(DType::kFp32, C, pl_.work, C);
    ts.out = sb(DType::kBf16, C, pl_.ident, C);
    b_.tensor_scalar(ts, b_.signal(setup_));
  }

  // Rows [r0, r0 + n) of head h of a [S, H d] tensor, transposed: feature f to partition f % P
  // of pass f / P (`stride` elements apart), row r to element r - r0.
  void load_transposed(u32 addr, u32 r0, u32 n, u32 h, u32 off, u32 stride, const Deps& d) {
    const u32 P = cfg_.partitions, full = p_.d / P, rest = p_.d % P;
    const u64 base = addr + (u64{r0} * ld_ + u64{h} * p_.d) * 2;
    auto piece = [&](u32 pass0, u32 passes, u32 rows) {
      LoopDma t;
      t.src = Side{Space::kDram, DType::kBf16, base + u64{pass0} * P * 2, 0, -1};
      t.dst = Side{Space::kSbuf, DType::kBf16, off + pass0 * stride * 2, 0, kPd};
      t.dims = {LoopDim{rows, 1, 1}, LoopDim{passes, static_cast<std::int64_t>(P), static_cast<std::int64_t>(stride)},
                LoopDim{n, static_cast<std::int64_t>(ld_), 1}, LoopDim{}};
      dma_.emit(t, 2, d);
    };
    if (full > 0) piece(0, full, P);
    if (rest > 0) piece(full, 1, rest);
  }

  void load_q(u32 tile) {
    const Block* blk = nullptr;
    for (const Block& b : blocks_) {
      if (b.tile == tile) {
        blk = &b;
        break;
      }
    }
    // The slot's previous tile (tile - 2) is free once its last Q K^T ran (its last block's PV).
    Deps d = tile >= 2 ? count(o_done_, last_block_of(tile - 2) + 1) : Deps{};
    load_transposed(a_.q, blk->q0, blk->nq, blk->head, pl_.qt[tile % 2], cfg_.columns,
                    d.and_signal(q_loaded_[tile % 2]));
  }

  u32 last_block_of(u32 tile) const {
    u32 last = 0;
    for (u32 i = 0; i < blocks_.size(); ++i)
      if (blocks_[i].tile == tile) last = i;
    return last;
  }

  // K^T of block i into slot i % 2 (free once block i - 2's Q K^T ran).
  void load_k(u32 i) {
    const Block& k = blocks_[i];
    const Deps d = (i >= 2 ? count(s_done_, i - 1) : Deps{}).and_signal(k_loaded_[i % 2]);
    load_transposed(a_.k, k.k0, k.nk, k.head, pl_.kt[i % 2], pl_.bk, d);
  }

  // V of block i into slot i % 2 (free once block i - 2's P V ran): key r to partition r % P,
  // chunk r / P, features along the partition.
  void load_v(u32 i) {
    const Block& k = blocks_[i];
    const u32 slot = i % 2, P = cfg_.partitions;
    const Deps d = (i >= 2 ? count(o_done_, i - 1) : Deps{}).and_signal(v_loaded_[slot]);
    const u64 base = a_.v + (u64{k.k0} * ld_ + u64{k.head} * p_.d) * 2;
    const u32 full = k.nk / P, rest = k.nk % P;
    auto piece = [&](u32 c0, u32 chunks, u32 keys) {
      LoopDma t;
      t.src = Side{Space::kDram, DType::kBf16, base + u64{c0} * P * ld_ * 2, 0, -1};
      t.dst = Side{Space::kSbuf, DType::kBf16, pl_.v[slot] + c0 * p_.d * 2, 0, 1};
      t.dims = {LoopDim{p_.d, 1, 1}, LoopDim{keys, static_cast<std::int64_t>(ld_), 1},
                LoopDim{chunks, static_cast<std::int64_t>(P) * ld_, static_cast<std::int64_t>(p_.d)}, LoopDim{}};
      dma_.emit(t, 2, d);
    };
    if (full > 0) piece(0, full, P);
    if (rest > 0) piece(full, 1, rest);
  }

  // On the tensor or vector queue: all waits but the last on NOPs.
  Deps on_pe(const std::vector<Deps>& waits) { return detail::wait_all(b_, golden::engine::kTensor, waits); }
  Deps on_vec(const std::vector<Deps>& waits) { return detail::wait_all(b_, golden::engine::kVec, waits); }

  void qk(u32 i) {
    const Block& k = blocks_[i];
    std::vector<Deps> waits;
    if (i == 0) waits.push_back(b_.after(setup_));
    if (k.first) waits.push_back(b_.after(q_loaded_[k.tile % 2]));
    if (i >= 2) waits.push_back(count(p_done_, i - 1));  // the S slot's previous reader
    waits.push_back(b_.after(k_loaded_[i % 2]));
    Deps d = on_pe(std::move(waits));
    const u32 P = cfg_.partitions;
    for (u32 j = 0; j < pl_.passes; ++j) {
      const u32 kp = std::min(P, p_.d - j * P);
      if (j + 1 == pl_.passes) d = d.and_signal(s_done_);
      b_.matmul(ps(k.nq, pl_.ps_s[i % 2], k.nk), sb(DType::kBf16, kp, pl_.qt[k.tile % 2] + j * pl_.bq * 2, k.nq),
                sb(DType::kBf16, kp, pl_.kt[i % 2] + j * pl_.bk * 2, k.nk), j == 0, d);
      d = Deps{};
    }
  }

  void softmax(u32 i) {
    const Block& k = blocks_[i];
    const u32 n = k.nq, s = scale_;
    Deps first = count(s_done_, i + 1);
    auto next = [&](bool last = false) {
      Deps d = first;
      first = Deps{};
      return last ? d.and_signal(p_done_) : d;
    };
    Tap src = ps(n, pl_.ps_s[i % 2], k.nk);
    if (p_.causal && k.k0 + k.nk - 1 > k.q0) {  // keys after some queries: mask them
      const Tap w = sb(DType::kFp32, n, pl_.work, k.nk);
      b_.iota(w, static_cast<std::int32_t>(k.k0) - static_cast<std::int32_t>(k.q0), 1, -1, next());
      golden::TensorScalar ts;  // (key - query > 0) * -3e38
      ts.op0 = AluOp::kGt;
      ts.op1 = AluOp::kMul;
      ts.s0 = imm(0);
      ts.s1 = imm(kMaskValue);
      ts.in = w;
      ts.out = w;
      b_.tensor_scalar(ts, next());
      b_.tensor_tensor(AluOp::kAdd, w, w, src, next());
      src = w;
    }
    auto exp_acc = [&](u32 acc_col, bool last) {
      golden::Activate a;
      a.func = ActFunc::kExp;
      a.acc = golden::AccOp::kAdd;
      a.scale = imm(s);
      a.bias = capv(kB);
      a.in = src;
      a.out = sb(DType::kBf16, n, pl_.pb, k.nk);
      a.acc_out = golden::cap(Space::kSbuf, DType::kFp32, 0, pl_.stats + acc_col);
      b_.activate(a, next(last));
    };
    auto bias = [&](u32 from) {  // b = min(-s m, FLT_MAX)
      golden::TensorScalar ts;
      ts.op0 = AluOp::kMul;
      ts.op1 = AluOp::kMin;
      ts.s0 = imm(s ^ kSign);
      ts.s1 = imm(kF32Max);
      ts.in = col(from, n);
      ts.out = col(kB, n);
      b_.tensor_scalar(ts, next());
    };
    if (k.first) {
      b_.tensor_reduce(AluOp::kMax, 1, col(kA, n), src, next());
      bias(kA);
      exp_acc(kSum, true);
      return;
    }
    b_.tensor_reduce(AluOp::kMax, 1, col(kT, n), src, next());
    b_.tensor_tensor(AluOp::kMax, col(kT, n), col(kA, n), col(kT, n), next());
    bias(kT);
    golden::Activate corr;  // exp(s m_old + b_new)
    corr.func = ActFunc::kExp;
    corr.scale = imm(s);
    corr.bias = capv(kB);
    corr.in = col(kA, n);
    corr.out = col(kC, n);
    b_.activate(corr, next());
    exp_acc(kP2, false);
    golden::TensorScalar upd;  // sum = sum * corr + chunk sum
    upd.op0 = AluOp::kMul;
    upd.op1 = AluOp::kAdd;
    upd.s0 = capv(kC);
    upd.s1 = capv(kP2);
    upd.in = col(kSum, n);
    upd.out = col(kSum, n);
    b_.tensor_scalar(upd, next());
    b_.copy(col(kA, n), col(kT, n), next(true));
  }

  // P [nq x nk] (queries on partitions) to P^T chunks [C keys x nq] in PSUM, on the array.
  void transpose(u32 i) {
    const Block& k = blocks_[i];
    const u32 C = cfg_.columns, chunks = ceil_div(k.nk, C);
    Deps d = count(p_done_, i + 1);
    for (u32 c = 0; c < chunks; ++c) {
      const u32 kc = std::min(C, k.nk - c * C);
      if (c + 1 == chunks) d = d.and_signal(t_done_);
      b_.matmul(ps(kc, pl_.ps_pt + c * pl_.bq, k.nq), sb(DType::kBf16, k.nq, pl_.pb + c * C * 2, kc),
                sb(DType::kBf16, k.nq, pl_.ident, k.nq), true, d);
      d = Deps{};
    }
  }

  void copy_pt(u32 i) {
    const Block& k = blocks_[i];
    const u32 C = cfg_.columns, chunks = ceil_div(k.nk, C), lanes = std::min(C, k.nk);
    // Chunk c's nq columns at c * bq: one COPY of every chunk (a short last chunk's extra lanes
    // carry values no MATMUL reads).
    const u32 n = (chunks - 1) * pl_.bq + k.nq;
    b_.copy(sb(DType::kBf16, lanes, pl_.ptb, n), ps(lanes, pl_.ps_pt, n), count(t_done_, i + 1).and_signal(c_done_));
  }

  void pv(u32 i) {
    const Block& k = blocks_[i];
    const u32 P = cfg_.partitions, chunks = ceil_div(k.nk, P);
    Deps d = on_pe({b_.after(v_loaded_[i % 2]), count(c_done_, i + 1)});
    for (u32 c = 0; c < chunks; ++c) {
      const u32 kc = std::min(P, k.nk - c * P);
      if (c + 1 == chunks) d = d.and_signal(o_done_);
      b_.matmul(ps(k.nq, pl_.ps_o, p_.d), sb(DType::kBf16, kc, pl_.ptb + c * pl_.bq * 2, k.nq),
                sb(DType::kBf16, kc, pl_.v[i % 2] + c * p_.d * 2, p_.d), c == 0, d);
      d = Deps{};
    }
  }

  void update_o(u32 i) {
    const Block& k = blocks_[i];
    const Tap acc = sb(DType::kFp32, k.nq, pl_.oacc, p_.d), blk = ps(k.nq, pl_.ps_o, p_.d);
    const Deps w = count(o_done_, i + 1);
    if (k.first) {
      b_.copy(acc, blk, w);
      return;
    }
    golden::TensorScalar ts;  // O = O * corr + O_block
    ts.op0 = AluOp::kMul;
    ts.op1 = AluOp::kBypass;
    ts.s0 = capv(kC);
    ts.s1 = imm(0);
    ts.in = acc;
    ts.out = acc;
    b_.tensor_scalar(ts, w);
    b_.tensor_tensor(AluOp::kAdd, acc, acc, blk);
  }

  // O / sum into the stage, then the store.
  void finish(u32 i) {
    const Block& k = blocks_[i];
    const u32 st = k.tile % 2;
    Deps w = k.tile >= 2 ? on_vec({b_.after(stored_[st])}) : Deps{};
    golden::Activate r;
    r.func = ActFunc::kRecip;
    r.scale = imm(kF32One);
    r.bias = imm(kF32MinNormal);
    r.in = col(kSum, k.nq);
    r.out = col(kR, k.nq);
    b_.activate(r, w);
    golden::TensorScalar ts;
    ts.op0 = AluOp::kMul;
    ts.op1 = AluOp::kBypass;
    ts.s0 = capv(kR);
    ts.s1 = imm(0);
    ts.in = sb(DType::kFp32, k.nq, pl_.oacc, p_.d);
    ts.out = sb(p_.out, k.nq, pl_.ostage[st], p_.d);
    b_.tensor_scalar(ts, b_.signal(f_done_));
    const u64 osz = golden::dtype_size(p_.out);
    LoopDma t;
    t.src = Side{Space::kSbuf, p_.out, pl_.ostage[st], 0, 1};
    t.dst = Side{Space::kDram, p_.out, a_.o + (u64{k.q0} * ld_ + u64{k.head} * p_.d) * osz, 0, -1};
    t.dims = {LoopDim{p_.d, 1, 1}, LoopDim{k.nq, 1, static_cast<std::int64_t>(ld_)}, LoopDim{}, LoopDim{}};
    dma_.emit(t, 1, b_.after(f_done_).and_signal(stored_[st]));
  }

  const golden::Config& cfg_;
  const AttentionParams& p_;
  const AttentionAddrs& a_;
  const AttentionPlan& pl_;
  golden::ProgramBuilder b_;
  detail::DmaEmitter dma_;
  std::vector<golden::Sem> q_loaded_, k_loaded_, v_loaded_, stored_;
  golden::Sem s_done_, p_done_, t_done_, c_done_, o_done_, f_done_, setup_;
  std::vector<Block> blocks_;
  u32 tiles_ = 0, scale_ = 0, ld_ = 0;
};

}  // namespace

AttentionProgram build_attention(const golden::Config& cfg, const AttentionParams& p, const AttentionAddrs& a) {
  AttentionProgram out;
  out.plan = plan_attention(cfg, p);
  const u64 row = u64{p.heads} * p.d;
  for (const auto& [what, addr, rows, esz] :
       {std::tuple{"Q", a.q, p.sq, 2u}, std::tuple{"K", a.k, p.sk, 2u}, std::tuple{"V", a.v, p.sk, 2u},
        std::tuple{"O", a.o, p.sq, static_cast<u32>(golden::dtype_size(p.out))}}) {
    if (u64{addr} + u64{rows} * row * esz > (u64{1} << 32)) {
      throw KernelArgumentError(
          fmt::format("attention: {} at 0x{:x} does not fit in 32-bit DRAM addresses", what, addr));
    }
  }
  // docs/kernels.md section 8.3: Q once, K and V once per (head, query tile) for the blocks it
  // computes, O once.
  u64 kv_rows = 0;
  {
    const AttentionPlan& pl = out.plan;
    for (u32 qt = 0; qt < pl.q_tiles; ++qt) {
      const u32 q_last = std::min(p.sq, (qt + 1) * pl.bq) - 1;
      const u32 kb_end = p.causal ? std::min(pl.k_blocks, q_last / pl.bk + 1) : pl.k_blocks;
      const u64 keys = std::min<u64>(p.sk, u64{kb_end} * pl.bk);
      kv_rows += keys;
      out.useful_macs += 2 * u64{q_last + 1 - qt * pl.bq} * keys * p.d * p.heads;
    }
  }
  out.dram_rd_bytes = u64{p.sq} * row * 2 + 2 * kv_rows * p.heads * p.d * 2;
  out.dram_wr_bytes = u64{p.sq} * row * golden::dtype_size(p.out);
  AttentionBuilder ab(cfg, p, a, out.plan);
  const golden::ProgramBuilder& b = ab.build();
  out.instructions = b.instructions();
  if (const auto v = driver::dispatch_order_violations(out.instructions); !v.empty()) {
    throw std::logic_error("attention: internal error: " + v.front().describe());
  }
  out.encoded = b.finish();
  return out;
}

}  // namespace systole::kernels
