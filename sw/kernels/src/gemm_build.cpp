// GEMM program emission (gemm.hpp; docs/software.md "GEMM kernel").
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "gemm_epilogue_emit.hpp"
#include "loop_dma.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/kernels/gemm.hpp"

namespace systole::kernels {

using golden::Deps;
using golden::DType;
using golden::Space;
using u32 = std::uint32_t;
using u64 = std::uint64_t;
using i64 = std::int64_t;

namespace {

using detail::LoopDim;
using detail::LoopDma;
using detail::Side;

class GemmBuilder {
 public:
  GemmBuilder(const golden::Config& cfg, const GemmSpec& s, const GemmPlan& p)
      : cfg_(cfg), s_(s), p_(p), b_(cfg), dma_(b_, cfg) {
    P_ = cfg.partitions;
    C_ = cfg.columns;
    isz_ = golden::dtype_size(s.in);
    osz_ = golden::dtype_size(s.out);
    acc_ = s.in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
    lda_ = effective_ld(s.a, s.M, s.K);
    ldb_ = effective_ld(s.b, s.K, s.N);
    ldc_ = effective_ld(s.c, s.M, s.N);
    for (int i = 0; i < 2; ++i) {
      a_full_[i] = b_.semaphore(fmt::format("a_full{}", i));
      b_full_[i] = b_.semaphore(fmt::format("b_full{}", i));
    }
    mm_ = b_.semaphore("mm");
    if (s.epilogue) {
      epi_ = std::make_unique<detail::EpilogueEmitter>(cfg, s, p, b_, dma_);
      psum_free_.resize(p.psum_slots);
    } else {
      for (u32 i = 0; i < p.psum_slots; ++i) drained_.push_back(b_.semaphore(fmt::format("drained{}", i)));
    }
  }

  golden::ProgramBuilder& build() {
    if (epi_) epi_->prologue();
    if (p_.mode == GemmMode::kResidentB) {
      build_resident();
    } else {
      build_streaming();
    }
    b_.end();
    return b_;
  }

 private:
  // ---- tile geometry ------------------------------------------------------------------------
  u32 kt(u32 j) const { return j + 1 == p_.npass ? p_.last_kt : P_; }
  u32 m0(u32 mi) const { return mi * C_; }
  u32 mt(u32 mi) const { return std::min(C_, s_.M - mi * C_); }
  u32 n0(u32 nb) const { return p_.block_start(nb); }
  u32 nw(u32 nb) const { return p_.block_width(nb, s_.N); }

  Side dram_side(DType t, u64 addr) const { return Side{Space::kDram, t, addr, 0, -1}; }
  Side chip_side(Space sp, DType t, u64 offset, int pdim) const { return Side{sp, t, offset, 0, pdim}; }

  // Passes [j0, j0 + nj) of A^T for rows [m0, m0 + m) into the A slot at `off` (byte offset of
  // pass j0; passes C elements apart). The last pass may have fewer than P rows: its own DMA.
  void load_a(u32 m0, u32 m, u32 j0, u32 nj, u64 off, const Deps& deps) {
    const u32 full_end = std::min(j0 + nj, p_.last_kt < P_ ? p_.npass - 1 : p_.npass);
    if (full_end > j0) load_a_passes(m0, m, j0, full_end - j0, P_, off, deps);
    if (j0 + nj > full_end) load_a_passes(m0, m, full_end, 1, p_.last_kt, off + u64{full_end - j0} * C_ * isz_, deps);
  }
  void load_a_passes(u32 m0, u32 m, u32 j0, u32 nj, u32 kp, u64 off, const Deps& deps) {
    LoopDma t;
    const i64 L = lda_, P = P_, C = C_;
    if (s_.a.layout == Layout::kRowMajor) {
      // A[m][k] at m*lda + k: a contiguous row spreads over the partitions (pdim 0).
      t.src = dram_side(s_.in, s_.a.addr + (u64{m0} * lda_ + u64{j0} * P_) * isz_);
      t.dst = chip_side(Space::kSbuf, s_.in, off, 0);
      t.dims = {LoopDim{kp, 1, 1}, LoopDim{nj, P, C}, LoopDim{m, L, 1}, LoopDim{}};
      dma_.emit(t, 2, deps);
    } else {
      // A[m][k] at k*lda + m: runs of m elements per partition (pdim 1).
      t.src = dram_side(s_.in, s_.a.addr + (u64{j0} * P_ * lda_ + m0) * isz_);
      t.dst = chip_side(Space::kSbuf, s_.in, off, 1);
      t.dims = {LoopDim{m, 1, 1}, LoopDim{kp, L, 1}, LoopDim{nj, P * L, C}, LoopDim{}};
      dma_.emit(t, 1, deps);
    }
  }

  // Passes [j0, j0 + nj) of B for columns [n0, n0 + n) into the B slot at `off` (pass j0;
  // passes `row` elements apart).
  void load_b(u32 n0, u32 n, u32 j0, u32 nj, u64 off, u32 row, const Deps& deps) {
    const u32 full_end = std::min(j0 + nj, p_.last_kt < P_ ? p_.npass - 1 : p_.npass);
    if (full_end > j0) load_b_passes(n0, n, j0, full_end - j0, P_, off, row, deps);
    if (j0 + nj > full_end) {
      load_b_passes(n0, n, full_end, 1, p_.last_kt, off + u64{full_end - j0} * row * isz_, row, deps);
    }
  }
  void load_b_passes(u32 n0, u32 n, u32 j0, u32 nj, u32 kp, u64 off, u32 row, const Deps& deps) {
    LoopDma t;
    const i64 L = ldb_, P = P_, R = row;
    if (s_.b.layout == Layout::kRowMajor) {
      // B[k][n] at k*ldb + n: runs of n elements per partition (pdim 1).
      t.src = dram_side(s_.in, s_.b.addr + (u64{j0} * P_ * ldb_ + n0) * isz_);
      t.dst = chip_side(Space::kSbuf, s_.in, off, 1);
      t.dims = {LoopDim{n, 1, 1}, LoopDim{kp, L, 1}, LoopDim{nj, P * L, R}, LoopDim{}};
      dma_.emit(t, 1, deps);
    } else {
      // B[k][n] at n*ldb + k: a contiguous column spreads over the partitions (pdim 0).
      t.src = dram_side(s_.in, s_.b.addr + (u64{n0} * ldb_ + u64{j0} * P_) * isz_);
      t.dst = chip_side(Space::kSbuf, s_.in, off, 0);
      t.dims = {LoopDim{kp, 1, 1}, LoopDim{nj, P, R}, LoopDim{n, L, 1}, LoopDim{}};
      dma_.emit(t, 2, deps);
    }
  }

  // PSUM slot -> C[m0 .. m0+m)[n0 .. n0+n), casting to bf16 when C is bf16.
  void drain(u32 m0, u32 m, u32 n0, u32 n, u32 slot, const Deps& deps) {
    LoopDma t;
    const i64 L = ldc_;
    const u64 off = u64{slot} * p_.psum_slot_words * 4;
    if (s_.c.layout == Layout::kRowMajor) {
      t.src = chip_side(Space::kPsum, acc_, off, 1);
      t.dst = dram_side(s_.out, s_.c.addr + (u64{m0} * ldc_ + n0) * osz_);
      t.dims = {LoopDim{n, 1, 1}, LoopDim{m, 1, L}, LoopDim{}, LoopDim{}};
      dma_.emit(t, 1, deps);
    } else {
      t.src = chip_side(Space::kPsum, acc_, off, 0);
      t.dst = dram_side(s_.out, s_.c.addr + (u64{n0} * ldc_ + m0) * osz_);
      t.dims = {LoopDim{m, 1, 1}, LoopDim{n, 1, L}, LoopDim{}, LoopDim{}};
      dma_.emit(t, 1, deps);
    }
  }

  // MATMUL of pass j (slot-local pass jj) for an m-tile and an n-chunk into a PSUM slot.
  void matmul(u32 j, u32 jj, u32 a_slot, u32 b_slot, u32 m, u32 c0, u32 n, u32 psum_slot, bool start,
              const Deps& deps) {
    const u32 k = kt(j);
    const u32 stat_off = p_.a_off[a_slot] + jj * C_ * isz_;
    const u32 mov_off = p_.b_off[b_slot] + (jj * p_.block_n + c0) * isz_;
    const u32 out_off = psum_slot * p_.psum_slot_words * 4;
    b_.matmul(golden::tap(Space::kPsum, acc_, 0, m, out_off, {{n, 1}}),
              golden::tap(Space::kSbuf, s_.in, 0, k, stat_off, {{m, 1}}),
              golden::tap(Space::kSbuf, s_.in, 0, k, mov_off, {{n, 1}}), start, deps);
  }

  // All but the last wait go on NOPs on the TENSOR queue (one wait per instruction); the last is
  // returned for the MATMUL itself.
  Deps on_pe(std::vector<Deps> waits) {
    if (waits.empty()) return Deps{};
    for (std::size_t i = 0; i + 1 < waits.size(); ++i) b_.nop(golden::engine::kTensor, waits[i]);
    return waits.back();
  }

  // One accumulation group: all passes of one n-chunk of one m-tile into PSUM slot g % slots,
  // then its drain. `first_waits` are the waits of the group's first MATMUL besides the PSUM slot.
  void group(u32 mi, u32 nb, u32 c0, u32 n, u32 a_slot, u32 b_slot, std::vector<Deps> first_waits) {
    const u32 slot = group_ % p_.psum_slots;
    if (group_ >= p_.psum_slots) first_waits.push_back(psum_free(slot));
    if (epi_) epi_->before_group(m0(mi), mt(mi), n0(nb) + c0, n);
    Deps d = on_pe(std::move(first_waits));
    for (u32 j = 0; j < p_.npass; ++j) {
      if (j + 1 == p_.npass) d = d.and_signal(mm_);
      matmul(j, j, a_slot, b_slot, mt(mi), c0, n, slot, j == 0, d);
      d = Deps{};
    }
    finish_group(mi, m0(mi), mt(mi), n0(nb) + c0, n, slot);
  }

  // What the first MATMUL into PSUM slot `slot` waits for (its previous group read out).
  Deps psum_free(u32 slot) { return epi_ ? psum_free_[slot] : b_.after(drained_[slot]); }
  // The group's accumulators out of PSUM: the plain drain, or the fused epilogue.
  void finish_group(u32 mi, u32 m0, u32 m, u32 n0, u32 n, u32 slot) {
    if (epi_) {
      psum_free_[slot] = epi_->after_group(mi, m0, m, n0, n, slot, mm_);
    } else {
      drain(m0, m, n0, n, slot, b_.after(mm_).and_signal(drained_[slot]));
    }
    ++group_;
  }

  void build_resident() {
    const u32 steps = p_.n_blocks * p_.m_tiles;
    std::array<Deps, 2> a_release{}, b_release{};  // when an A / B slot is free again
    // Prologue: B block 0 and A tile 0.
    load_b(n0(0), nw(0), 0, p_.npass, p_.b_off[0], p_.block_n, b_.signal(b_full_[0]));
    load_a(m0(0), mt(0), 0, p_.npass, p_.a_off[0], b_.signal(a_full_[0]));
    for (u32 t = 0; t < steps; ++t) {
      const u32 nb = t / p_.m_tiles, mi = t % p_.m_tiles;
      // Prefetch the next step's A^T tile into the other slot once its last reader is done.
      if (t + 1 < steps) {
        const u32 mi1 = (t + 1) % p_.m_tiles, s1 = (t + 1) % 2;
        load_a(m0(mi1), mt(mi1), 0, p_.npass, p_.a_off[s1], a_release[s1].and_signal(a_full_[s1]));
      }
      // A piece of the next n-block of B, spread over the steps of this block (all but the
      // last when there are several, to leave slack).
      if (nb + 1 < p_.n_blocks) {
        const u32 spread = p_.m_tiles > 1 ? p_.m_tiles - 1 : 1;
        if (mi < spread) {
          const u32 j0 = static_cast<u32>(u64{p_.npass} * mi / spread);
          const u32 j1 = static_cast<u32>(u64{p_.npass} * (mi + 1) / spread);
          const u32 s1 = (nb + 1) % 2;
          if (j1 > j0) {
            load_b(n0(nb + 1), nw(nb + 1), j0, j1 - j0, p_.b_off[s1] + u64{j0} * p_.block_n * isz_, p_.block_n,
                   b_release[s1].and_signal(b_full_[s1]));
          }
        }
      }
      const u32 a_slot = t % 2, b_slot = nb % 2;
      for (u32 c0 = 0; c0 < nw(nb); c0 += p_.chunk_n) {
        std::vector<Deps> waits;
        if (c0 == 0) {
          if (mi == 0) waits.push_back(b_.after(b_full_[b_slot]));
          waits.push_back(b_.after(a_full_[a_slot]));
        }
        group(mi, nb, c0, std::min(p_.chunk_n, nw(nb) - c0), a_slot, b_slot, std::move(waits));
      }
      a_release[a_slot] = b_.after(mm_);
      if (mi + 1 == p_.m_tiles) b_release[b_slot] = b_.after(mm_);
    }
  }

  // Streaming: stage = (n-block, m-tile, k-stage); A and B tiles of a stage in slot stage % 2,
  // both signalling a_full[slot].
  void build_streaming() {
    const u32 ks_n = p_.k_stages, steps = p_.n_blocks * p_.m_tiles, stages = steps * ks_n;
    std::array<Deps, 2> release{};
    auto load_stage = [&](u32 st, const Deps& deps) {
      const u32 t = st / ks_n, ks = st % ks_n, nb = t / p_.m_tiles, mi = t % p_.m_tiles, slot = st % 2;
      const u32 j0 = ks * p_.stage_passes, nj = std::min(p_.stage_passes, p_.npass - j0);
      load_a(m0(mi), mt(mi), j0, nj, p_.a_off[slot], deps);
      load_b(n0(nb), nw(nb), j0, nj, p_.b_off[slot], p_.block_n, deps);
    };
    load_stage(0, b_.signal(a_full_[0]));
    for (u32 st = 0; st < stages; ++st) {
      const u32 t = st / ks_n, ks = st % ks_n, nb = t / p_.m_tiles, mi = t % p_.m_tiles, slot = st % 2;
      if (st + 1 < stages) load_stage(st + 1, release[(st + 1) % 2].and_signal(a_full_[(st + 1) % 2]));
      const u32 psum_slot = group_ % p_.psum_slots;
      std::vector<Deps> waits;
      if (ks == 0 && group_ >= p_.psum_slots) waits.push_back(psum_free(psum_slot));
      if (ks == 0 && epi_) epi_->before_group(m0(mi), mt(mi), n0(nb), nw(nb));
      waits.push_back(b_.after(a_full_[slot]));
      Deps d = on_pe(std::move(waits));
      const u32 j0 = ks * p_.stage_passes, j1 = std::min(p_.npass, j0 + p_.stage_passes);
      for (u32 j = j0; j < j1; ++j) {
        if (j + 1 == j1) d = d.and_signal(mm_);
        matmul(j, j - j0, slot, slot, mt(mi), 0, nw(nb), psum_slot, j == 0, d);
        d = Deps{};
      }
      release[slot] = b_.after(mm_);
      if (ks + 1 == ks_n) finish_group(mi, m0(mi), mt(mi), n0(nb), nw(nb), psum_slot);
    }
  }

  const golden::Config& cfg_;
  const GemmSpec& s_;
  const GemmPlan& p_;
  golden::ProgramBuilder b_;
  detail::DmaEmitter dma_;
  u32 P_ = 0, C_ = 0, isz_ = 0, osz_ = 0;
  u32 lda_ = 0, ldb_ = 0, ldc_ = 0;  // leading dimensions in elements (packed when the spec says 0)
  DType acc_ = DType::kFp32;
  golden::Sem a_full_[2], b_full_[2], mm_;
  std::vector<golden::Sem> drained_;
  std::unique_ptr<detail::EpilogueEmitter> epi_;
  std::vector<Deps> psum_free_;  // with an epilogue: per PSUM slot, what frees it
  u32 group_ = 0;
};

}  // namespace

namespace {

GemmProgram build_planned(const golden::Config& cfg, const GemmSpec& spec, const GemmPlan& plan,
                          const driver::TimingModel& timing) {
  GemmProgram out;
  out.plan = plan;
  GemmBuilder gb(cfg, spec, out.plan);
  const golden::ProgramBuilder& b = gb.build();
  out.instructions = b.instructions();
  // The kernel's own guarantee (docs/software.md section 5.3): never a wait on a later signal.
  if (const auto v = driver::dispatch_order_violations(out.instructions); !v.empty()) {
    throw std::logic_error("gemm: internal error: " + v.front().describe());
  }
  out.encoded = b.finish();
  out.estimate = driver::estimate_program(cfg, out.instructions, timing);
  return out;
}

}  // namespace

namespace {

Layout flip(Layout l) { return l == Layout::kRowMajor ? Layout::kColMajor : Layout::kRowMajor; }

GemmProgram build_one_way(const golden::Config& cfg, const GemmSpec& spec, const GemmOptions& opts,
                          std::uint64_t rd_limit);

// Whether candidate a is preferred to b: within the DRAM read limit first (a fused epilogue must
// not read more than the plain GEMM plus its own inputs), then fewer estimated cycles.
bool better(const GemmProgram& a, const GemmProgram& b, std::uint64_t rd_limit) {
  const bool ina = a.estimate.dram_rd_bytes <= rd_limit, inb = b.estimate.dram_rd_bytes <= rd_limit;
  if (ina != inb) return ina;
  return a.estimate.cycles < b.estimate.cycles;
}

// The epilogue's own DRAM reads: the biases, the residual (unless it is C) and the table image.
std::uint64_t epilogue_input_bytes(const GemmSpec& s) {
  const GemmEpilogue& e = *s.epilogue;
  std::uint64_t n = epilogue_aux_image(e.activation).size() * 4;
  if (e.bias_col) n += std::uint64_t{s.N} * golden::dtype_size(e.bias_col->dtype);
  if (e.bias_row) n += std::uint64_t{s.M} * golden::dtype_size(e.bias_row->dtype);
  if (e.residual && e.residual->addr != s.c.addr) {
    n += std::uint64_t{s.M} * s.N * golden::dtype_size(e.residual->dtype);
  }
  return n;
}

}  // namespace

GemmProgram build_gemm(const golden::Config& cfg, const GemmSpec& spec, const GemmOptions& opts) {
  // A fused epilogue moves no more DRAM bytes than the plain GEMM plus its inputs (the same tiles
  // when the epilogue's SBUF allows, docs/kernels.md section 7.2): candidates within that limit
  // come first.
  std::uint64_t rd_limit = ~std::uint64_t{0};
  if (spec.epilogue) {
    GemmSpec plain = spec;
    plain.epilogue.reset();
    plain.out = spec.in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
    rd_limit = build_gemm(cfg, plain, opts).estimate.dram_rd_bytes + epilogue_input_bytes(spec);
  }
  GemmProgram best = build_one_way(cfg, spec, opts, rd_limit);
  const bool both_biases = spec.epilogue && spec.epilogue->bias_col && spec.epilogue->bias_row;
  // With both biases the order ((alpha acc) + bias_col) + bias_row fixes the lanes (docs/kernels.md).
  if (!opts.no_transpose && !both_biases && spec.N < spec.M) {
    // C^T [N, M] = B^T [N, K] A^T [K, M]: the same bytes, each operand seen in the other layout
    // (a row-major matrix is its transpose in column-major order, with the same ld).
    GemmSpec t = spec;
    t.M = spec.N;
    t.N = spec.M;
    t.a = {spec.b.addr, flip(spec.b.layout), spec.b.ld};
    t.b = {spec.a.addr, flip(spec.a.layout), spec.a.ld};
    t.c = {spec.c.addr, flip(spec.c.layout), spec.c.ld};
    if (spec.epilogue) t.epilogue = detail::transpose_epilogue(*spec.epilogue);
    GemmProgram alt = build_one_way(cfg, t, opts, rd_limit);
    if (better(alt, best, rd_limit)) {
      alt.plan.transposed = true;
      best = std::move(alt);
    }
  }
  return best;
}

namespace {

GemmProgram build_one_way(const golden::Config& cfg, const GemmSpec& spec, const GemmOptions& opts,
                          std::uint64_t rd_limit) {
  const GemmPlan plan = plan_gemm(cfg, spec, opts);
  GemmProgram best = build_planned(cfg, spec, plan, opts.timing);
  if (plan.first_block_n != plan.block_n) {
    // A narrower first n-block starts the array sooner but costs one more pass over A: keep
    // whichever the timing model finds faster.
    GemmOptions uniform = opts;
    uniform.uniform_blocks = true;
    GemmProgram alt = build_planned(cfg, spec, plan_gemm(cfg, spec, uniform), opts.timing);
    if (better(alt, best, rd_limit)) best = std::move(alt);
  }
  if (plan.mode == GemmMode::kStreaming && !opts.max_stage_passes) {
    // Smaller stages: less of the first B load and of the last MATMULs exposed, more
    // instructions; the timing model decides (halving down to one pass).
    for (std::uint32_t kc = plan.stage_passes / 2; kc >= 1; kc /= 2) {
      GemmOptions smaller = opts;
      smaller.max_stage_passes = kc;
      const GemmPlan sp = plan_gemm(cfg, spec, smaller);
      if (sp.mode != GemmMode::kStreaming) break;
      GemmProgram alt = build_planned(cfg, spec, sp, opts.timing);
      if (better(alt, best, rd_limit)) best = std::move(alt);
    }
  }
  return best;
}

}  // namespace

}  // namespace systole::kernels
