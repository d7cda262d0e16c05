// The MLP block: the program (mlp.hpp; docs/kernels.md section 9). The checks and the plan are
// in mlp_plan.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "kernel_util.hpp"
#include "loop_dma.hpp"
#include "systole/driver/activations.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/kernels/mlp.hpp"

namespace systole::kernels {

using golden::Deps;
using golden::DType;
using golden::Space;
using golden::Tap;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using i64 = std::int64_t;

namespace {

using detail::LoopDim;
using detail::LoopDma;
using detail::Side;

constexpr u32 kF32One = 0x3F800000u;
constexpr u32 kLookahead = 3;  // weight loads in flight

class MlpBuilder {
 public:
  MlpBuilder(const golden::Config& cfg, const MlpParams& p, const MlpAddrs& a, const MlpPlan& pl)
      : cfg_(cfg), p_(p), a_(a), pl_(pl), b_(cfg), dma_(b_, cfg) {
    for (u32 i = 0; i < 2; ++i) {
      x_loaded_[i] = b_.semaphore(fmt::format("x{}", i));
      stored_[i] = b_.semaphore(fmt::format("st{}", i));
    }
    for (u32 i = 0; i < kLookahead; ++i) w_loaded_[i] = b_.semaphore(fmt::format("w{}", i));
    w_used_ = b_.semaphore("w_used");
    mm1_ = b_.semaphore("mm1");
    mm2_ = b_.semaphore("mm2");
    h_drained_ = b_.semaphore("h_drained");
    y_drained_ = b_.semaphore("y_drained");
    y_done_ = b_.semaphore("y_done");
    params0_ = b_.semaphore("params0");
    params_ = b_.semaphore("params");
    nb_ = pl.w1_blocks + pl.w2_blocks;
    // A ring never loads further ahead than its slots (the load waits for the slot's block).
    ahead_ = pl.resident ? kLookahead : std::min(kLookahead, pl.wslots);
    osz_ = golden::dtype_size(p.out);
    bsz_ = golden::dtype_size(p.bias);
    func_ = p.activation == "identity" ? golden::ActFunc::kIdentity : driver::activation(p.activation).func;
  }

  golden::ProgramBuilder& build() {
    prologue();
    for (u32 t = 0; t < std::min(pl_.x_slots, pl_.tiles); ++t) load_x(t);
    const u32 loads = pl_.resident ? nb_ : nb_ * pl_.tiles;
    for (u32 q = 0; q < std::min(ahead_, loads); ++q) load_w(q);
    for (u32 t = 0; t < pl_.tiles; ++t) {
      const u32 t0 = t * pl_.tile, nt = std::min(pl_.tile, p_.tokens - t0);
      for (u32 j = 0; j < pl_.fpass; ++j) {
        gemm1(t, j, nt);
        epi1(t, j, nt);
      }
      for (u32 i = 0; i < pl_.dpass; ++i) {
        gemm2(t, i, nt);
        epi2(t, i, nt);
      }
      store(t, t0, nt);
      if (t + pl_.x_slots < pl_.tiles) load_x(t + pl_.x_slots);
    }
    b_.end();
    return b_;
  }

 private:
  static golden::Scalar imm(u32 bits) { return golden::Scalar{false, bits, {}}; }
  Tap sb(DType t, u32 pcount, u32 off, u32 n) const { return golden::tap(Space::kSbuf, t, 0, pcount, off, {{n, 1}}); }
  Tap ps(u32 pcount, u32 word, u32 n) const {
    return golden::tap(Space::kPsum, DType::kFp32, 0, pcount, word * 4, {{n, 1}});
  }
  u32 xt(u32 t) const { return pl_.xt[t % pl_.x_slots]; }
  u32 lanes(u32 total, u32 pass) const { return std::min(cfg_.partitions, total - pass * cfg_.partitions); }
  void on_loads() { dma_.use_load_queues(); }
  void on_stores() { dma_.use_store_queues(); }

  // The table image and the biases (element e to partition e % P, column e / P).
  void prologue() {
    on_loads();
    detail::emit_table_load(b_, dma_, p_.activation, a_.aux, pl_.table, params0_);
    for (const auto& [addr, n, off] : {std::tuple{a_.b1, p_.f, pl_.b1}, std::tuple{a_.b2, p_.d, pl_.b2}}) {
      const u32 P = cfg_.partitions, full = n / P, rest = n % P;
      if (full > 0) {
        LoopDma d;
        d.src = Side{Space::kDram, p_.bias, addr, 0, -1};
        d.dst = Side{Space::kSbuf, p_.bias, off, 0, 0};
        d.dims = {LoopDim{P, 1, 1}, LoopDim{full, P, 1}, LoopDim{}, LoopDim{}};
        dma_.emit(d, 1, b_.signal(params_));
      }
      if (rest > 0) {
        LoopDma d;
        d.src = Side{Space::kDram, p_.bias, addr + u64{full} * P * bsz_, 0, -1};
        d.dst = Side{Space::kSbuf, p_.bias, off + full * static_cast<u32>(bsz_), 0, 0};
        d.dims = {LoopDim{rest, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
        dma_.emit(d, 0, b_.signal(params_));
      }
    }
    b_.nop(golden::engine::kVec, b_.after(params_));
  }

  // Tokens [t0, t0 + nt) of a [tokens, D] matrix and feature-major SBUF (feature e on partition
  // e % P of pass e / P, `T` elements per pass, token r at element r - t0), either way.
  LoopDma transposed(bool to_chip, u64 dram, DType t, u32 off, u32 pass0, u32 passes, u32 rows, u32 nt) const {
    const u32 P = cfg_.partitions;
    const Side chip{Space::kSbuf, t, off + pass0 * pl_.tile * static_cast<u32>(golden::dtype_size(t)), 0, 0};
    const Side mem{Space::kDram, t, dram + u64{pass0} * P * golden::dtype_size(t), 0, -1};
    LoopDma x;
    x.src = to_chip ? mem : chip;
    x.dst = to_chip ? chip : mem;
    const i64 along = P, across = pl_.tile, tok = p_.d;
    x.dims = {LoopDim{rows, 1, 1}, LoopDim{passes, to_chip ? along : across, to_chip ? across : along},
              LoopDim{nt, to_chip ? tok : 1, to_chip ? 1 : tok}, LoopDim{}};
    return x;
  }
  void transfer(bool to_chip, u64 dram, DType t, u32 off, u32 nt, const Deps& d) {
    const u32 P = cfg_.partitions, full = p_.d / P, rest = p_.d % P;
    if (full > 0) dma_.emit(transposed(to_chip, dram, t, off, 0, full, P, nt), 2, d);
    if (rest > 0) dma_.emit(transposed(to_chip, dram, t, off, full, 1, rest, nt), 2, d);
  }

  void load_x(u32 t) {
    on_stores();  // X tiles wait for the same event as the stores (the slot's last tile finished)
    const u32 n = pl_.x_slots;
    const Deps d = (t >= n ? b_.wait(y_done_, t - n + 1) : Deps{}).and_signal(x_loaded_[t % n]);
    transfer(true, a_.x + u64{t} * pl_.tile * p_.d * 2, DType::kBf16, xt(t),
             std::min(pl_.tile, p_.tokens - t * pl_.tile), d);
  }

  void store(u32 t, u32 t0, u32 nt) {
    on_stores();
    transfer(false, a_.y + u64{t0} * p_.d * osz_, p_.out, pl_.ystage[t % 2], nt,
             b_.wait(y_done_, t + 1).and_signal(stored_[t % 2]));
  }

  // Weight block `b` (W1 blocks first, then W2's) of sequence number q into its slot: rows in
  // passes (row r on partition r % P of pass r / P), its columns along the partition.
  u32 slot_of(u32 q) const { return pl_.resident ? q % nb_ : q % pl_.wslots; }
  void load_w(u32 q) {
    on_loads();
    const u32 b = q % nb_, P = cfg_.partitions;
    const bool w1 = b < pl_.w1_blocks;
    const u32 g = w1 ? pl_.g1 : pl_.g2, rows = w1 ? p_.d : p_.f, ld = w1 ? p_.f : p_.d;
    const u32 c0 = (w1 ? b : b - pl_.w1_blocks) * g * P, cols = std::min(ld, c0 + g * P) - c0;
    const u32 off = pl_.wslot0 + slot_of(q) * pl_.wslot_bytes;
    // Packed (pack_mlp_weights): the block is a row-major [rows, cols] matrix after the earlier
    // blocks' rows x c0 elements: one contiguous read.
    const u64 base = (w1 ? a_.w1 : a_.w2) + u64{c0} * rows * 2;
    // Streaming: the slot's previous block must have been used. Resident: block q - ahead (the
    // load before it on the same semaphore) must have been used too, so that this load's
    // signals cannot make up the count its MATMULs wait for before its own last piece lands.
    Deps d{};
    if (!pl_.resident && q >= pl_.wslots) d = b_.wait(w_used_, q - pl_.wslots + 1);
    if (pl_.resident && q >= ahead_) d = b_.wait(w_used_, q - ahead_ + 1);
    d = d.and_signal(w_loaded_[q % ahead_]);
    const u32 full = rows / P, rest = rows % P;
    auto piece = [&](u32 pass0, u32 passes, u32 prow) {
      LoopDma t;
      t.src = Side{Space::kDram, DType::kBf16, base + u64{pass0} * P * cols * 2, 0, -1};
      t.dst = Side{Space::kSbuf, DType::kBf16, off + pass0 * g * P * 2, 0, 1};
      t.dims = {LoopDim{cols, 1, 1}, LoopDim{prow, cols, 1},
                LoopDim{passes, static_cast<i64>(P) * cols, static_cast<i64>(g) * P}, LoopDim{}};
      dma_.emit(t, 1, d);
    };
    if (full > 0) piece(0, full, P);
    if (rest > 0) piece(full, 1, rest);
  }

  Deps on_pe(const std::vector<Deps>& waits) { return detail::wait_all(b_, golden::engine::kTensor, waits); }

  // Before the first chunk of a weight block: its load. After its last: `w_used`, and the load
  // ahead_ blocks on.
  void block_start(u32 t, u32 b, bool first_chunk, std::vector<Deps>& waits) const {
    if (first_chunk && (!pl_.resident || t == 0)) waits.push_back(b_.after(w_loaded_[(t * nb_ + b) % ahead_]));
  }
  void block_end(u32 t, u32 b) {
    const u32 q = t * nb_ + b;
    if (!pl_.resident || t == 0) b_.nop(golden::engine::kTensor, b_.signal(w_used_));
    const u32 loads = pl_.resident ? nb_ : nb_ * pl_.tiles;
    if (q + ahead_ < loads) load_w(q + ahead_);
  }
  u32 weight_off(u32 t, u32 b) const { return pl_.wslot0 + slot_of(t * nb_ + b) * pl_.wslot_bytes; }

  // H^T chunk j (features jP ..) of tile t: D passes of W1's columns (stationary) times X^T.
  void gemm1(u32 t, u32 j, u32 nt) {
    const u32 c = t * pl_.fpass + j, b = j / pl_.g1, jj = j % pl_.g1, fc = lanes(p_.f, j);
    std::vector<Deps> waits;
    if (j == 0) waits.push_back(b_.after(x_loaded_[t % pl_.x_slots]));
    block_start(t, b, jj == 0, waits);
    if (c >= 2) waits.push_back(b_.wait(h_drained_, c - 1));
    Deps d = on_pe(waits);
    const u32 w = weight_off(t, b);
    for (u32 k = 0; k < pl_.dpass; ++k) {
      const u32 kp = lanes(p_.d, k);
      if (k + 1 == pl_.dpass) d = d.and_signal(mm1_);
      b_.matmul(ps(fc, pl_.ps_h[c % 2], nt), sb(DType::kBf16, kp, w + (k * pl_.g1 + jj) * cfg_.partitions * 2, fc),
                sb(DType::kBf16, kp, xt(t) + k * pl_.tile * 2, nt), k == 0, d);
      d = Deps{};
    }
    if (jj + 1 == pl_.g1 || j + 1 == pl_.fpass) block_end(t, b);
  }

  // H^T chunk j = act(PSUM + b1) in bf16: one ACTIVATE (b1 a per-lane scalar).
  void epi1(u32 t, u32 j, u32 nt) {
    const u32 c = t * pl_.fpass + j, fc = lanes(p_.f, j);
    golden::Activate a;
    a.func = func_;
    a.scale = imm(kF32One);
    a.bias = golden::Scalar{true, 0, golden::cap(Space::kSbuf, p_.bias, 0, pl_.b1 + j * static_cast<u32>(bsz_))};
    a.in = ps(fc, pl_.ps_h[c % 2], nt);
    a.out = sb(DType::kBf16, fc, pl_.h + j * pl_.tile * 2, nt);
    b_.activate(a, b_.wait(mm1_, c + 1).and_signal(h_drained_));
  }

  // Y^T chunk i (model features iP ..) of tile t: F passes of W2's columns times H^T.
  void gemm2(u32 t, u32 i, u32 nt) {
    const u32 c = t * pl_.dpass + i, b = i / pl_.g2, ii = i % pl_.g2, dc = lanes(p_.d, i);
    std::vector<Deps> waits;
    if (i == 0) waits.push_back(b_.wait(h_drained_, (t + 1) * pl_.fpass));
    block_start(t, pl_.w1_blocks + b, ii == 0, waits);
    // The slot's previous reader: chunk c - 2's PSUM-reading instruction, as it signalled.
    if (c >= 2) waits.push_back(b_.wait(y_reader_[c - 2].first, y_reader_[c - 2].second));
    Deps d = on_pe(waits);
    const u32 w = weight_off(t, pl_.w1_blocks + b);
    for (u32 j = 0; j < pl_.fpass; ++j) {
      const u32 kp = lanes(p_.f, j);
      if (j + 1 == pl_.fpass) d = d.and_signal(mm2_);
      b_.matmul(ps(dc, pl_.ps_y[c % 2], nt), sb(DType::kBf16, kp, w + (j * pl_.g2 + ii) * cfg_.partitions * 2, dc),
                sb(DType::kBf16, kp, pl_.h + j * pl_.tile * 2, nt), j == 0, d);
      d = Deps{};
    }
    if (ii + 1 == pl_.g2 || i + 1 == pl_.dpass) block_end(t, pl_.w1_blocks + b);
  }

  // Y^T chunk i = (PSUM + b2) [+ X^T] in the output dtype, into the tile's stage.
  void epi2(u32 t, u32 i, u32 nt) {
    const u32 c = t * pl_.dpass + i, dc = lanes(p_.d, i);
    const bool last = i + 1 == pl_.dpass;
    if (i == 0 && t >= 2) b_.nop(golden::engine::kVec, b_.after(stored_[t % 2]));
    const Tap stage = sb(p_.out, dc, pl_.ystage[t % 2] + i * pl_.tile * static_cast<u32>(osz_), nt);
    golden::Activate a;
    a.func = golden::ActFunc::kIdentity;
    a.scale = imm(kF32One);
    a.bias = golden::Scalar{true, 0, golden::cap(Space::kSbuf, p_.bias, 0, pl_.b2 + i * static_cast<u32>(bsz_))};
    a.in = ps(dc, pl_.ps_y[c % 2], nt);
    const Deps w = b_.wait(mm2_, c + 1);
    if (!p_.residual) {
      a.out = stage;
      b_.activate(a, w.and_signal(last ? y_done_ : y_drained_));
      y_reader_.emplace_back(last ? y_done_ : y_drained_, b_.signals(last ? y_done_ : y_drained_));
      return;
    }
    a.out = sb(DType::kFp32, dc, pl_.work, nt);
    b_.activate(a, w.and_signal(y_drained_));
    y_reader_.emplace_back(y_drained_, b_.signals(y_drained_));
    const Deps d = last ? b_.signal(y_done_) : Deps{};
    b_.tensor_tensor(golden::AluOp::kAdd, stage, a.out, sb(DType::kBf16, dc, xt(t) + i * pl_.tile * 2, nt), d);
  }

  const golden::Config& cfg_;
  const MlpParams& p_;
  const MlpAddrs& a_;
  const MlpPlan& pl_;
  golden::ProgramBuilder b_;
  detail::DmaEmitter dma_;
  golden::Sem x_loaded_[2]{}, stored_[2]{}, w_loaded_[kLookahead]{};
  golden::Sem w_used_{}, mm1_{}, mm2_{}, h_drained_{}, y_drained_{}, y_done_{}, params0_{}, params_{};
  std::vector<std::pair<golden::Sem, u32>> y_reader_;  // per Y chunk: what its PSUM reader signalled
  u32 nb_ = 0, ahead_ = 1;
  u64 osz_ = 0, bsz_ = 0;
  golden::ActFunc func_ = golden::ActFunc::kIdentity;
};

}  // namespace

MlpProgram build_mlp(const golden::Config& cfg, const MlpParams& p, const MlpAddrs& a) {
  MlpProgram out;
  out.plan = plan_mlp(cfg, p);
  const u64 bsz = golden::dtype_size(p.bias), osz = golden::dtype_size(p.out);
  const u64 aux = epilogue_aux_image(p.activation).size() * 4;
  for (const auto& [what, addr, bytes] :
       {std::tuple{"X", a.x, u64{p.tokens} * p.d * 2}, std::tuple{"W1", a.w1, u64{p.d} * p.f * 2},
        std::tuple{"W2", a.w2, u64{p.f} * p.d * 2}, std::tuple{"b1", a.b1, u64{p.f} * bsz},
        std::tuple{"b2", a.b2, u64{p.d} * bsz}, std::tuple{"the table image", a.aux, aux},
        std::tuple{"Y", a.y, u64{p.tokens} * p.d * osz}}) {
    if (u64{addr} + bytes > (u64{1} << 32)) {
      throw KernelArgumentError(fmt::format("mlp: {} at 0x{:x} does not fit in 32-bit DRAM addresses", what, addr));
    }
  }
  // docs/kernels.md section 9.3: X once, the weights once (resident) or once per token tile,
  // the biases and the table once, Y once.
  const u64 weights = 2 * u64{p.d} * p.f * 2;
  out.dram_rd_bytes =
      u64{p.tokens} * p.d * 2 + weights * (out.plan.resident ? 1 : out.plan.tiles) + (u64{p.f} + p.d) * bsz + aux;
  out.dram_wr_bytes = u64{p.tokens} * p.d * osz;
  out.macs = 2 * u64{p.tokens} * p.d * p.f;
  MlpBuilder mb(cfg, p, a, out.plan);
  const golden::ProgramBuilder& b = mb.build();
  out.instructions = b.instructions();
  if (const auto v = driver::dispatch_order_violations(out.instructions); !v.empty()) {
    throw std::logic_error("mlp: internal error: " + v.front().describe());
  }
  out.encoded = b.finish();
  return out;
}

}  // namespace systole::kernels
