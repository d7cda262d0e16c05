// conv2d: the program (conv2d.hpp; docs/kernels.md section 11). The checks and the plan are in
// conv2d_plan.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "kernel_util.hpp"
#include "loop_dma.hpp"
#include "systole/driver/activations.hpp"
#include "systole/driver/program_check.hpp"
#include "systole/kernels/conv2d.hpp"

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

constexpr u32 kF32One = 0x3F800000u, kF32NegZero = 0x80000000u;
constexpr u32 kLookahead = 3;

// One output tile of a group: images [i0, i0 + ni), output rows [r0, r0 + nr).
struct Tile {
  u32 group, i0, ni, r0, nr;
  u32 npix(u32 ow) const { return ni * nr * ow; }
};

// A weight block's load: which block, into which slot, after which use, waiting for which use.
struct Load {
  u32 group, block, slot;
  i64 emit_after = -1;  // emitted after this use's MATMULs (-1: before the first)
  i64 wait_use = -1;    // the slot's previous reader (w_used count wait_use + 1), -1: none
};

class Conv2dBuilder {
 public:
  Conv2dBuilder(const golden::Config& cfg, const Conv2dParams& p, const Conv2dAddrs& a, const Conv2dPlan& pl)
      : cfg_(cfg), p_(p), a_(a), pl_(pl), b_(cfg), dma_(b_, cfg) {
    for (u32 i = 0; i < 2; ++i) {
      x_loaded_[i] = b_.semaphore(fmt::format("x{}", i));
      stored_[i] = b_.semaphore(fmt::format("st{}", i));
    }
    for (u32 i = 0; i < kLookahead; ++i) w_loaded_[i] = b_.semaphore(fmt::format("w{}", i));
    w_used_ = b_.semaphore("w_used");
    mm_ = b_.semaphore("mm");
    drained_ = b_.semaphore("drained");
    y_done_ = b_.semaphore("y_done");
    zeroed_ = b_.semaphore("zeroed");
    params0_ = b_.semaphore("params0");
    params_ = b_.semaphore("params");
    osz_ = golden::dtype_size(p.out);
    bsz_ = golden::dtype_size(p.bias_dtype);
    func_ = p.activation == "identity" ? golden::ActFunc::kIdentity : driver::activation(p.activation).func;
    hrc_ = pl.halo_rows * pl.halo_cols;
    for (u32 g = 0; g < p.groups; ++g) {
      for (u32 it = 0; it < pl.img_tiles; ++it) {
        for (u32 rt = 0; rt < pl.row_tiles; ++rt) {
          const u32 i0 = it * pl.imgs, r0 = rt * pl.rows;
          tiles_.push_back(Tile{g, i0, std::min(pl.imgs, p.n - i0), r0, std::min(pl.rows, p.oh() - r0)});
        }
      }
    }
    schedule_loads();
  }

  golden::ProgramBuilder& build() {
    prologue();
    for (u32 u = 0; u < std::min<u32>(2, static_cast<u32>(tiles_.size())); ++u) load_halo(u);
    emit_loads_after(-1);
    u32 use = 0;
    for (u32 u = 0; u < tiles_.size(); ++u) {
      zero_rows(u);
      for (u32 b = 0; b < pl_.blocks; ++b, ++use) {
        for (u32 j = b * pl_.gj; j < std::min(pl_.opass, (b + 1) * pl_.gj); ++j) {
          matmuls(u, use, b, j);
          epilogue(u, use, b, j);
        }
        b_.nop(golden::engine::kTensor, b_.signal(w_used_));
        emit_loads_after(use);
        store(u, use, b);
      }
      if (u + 2 < tiles_.size()) load_halo(u + 2);
    }
    b_.end();
    return b_;
  }

  u64 x_bytes() const { return x_bytes_; }

 private:
  static golden::Scalar imm(u32 bits) { return golden::Scalar{false, bits, {}}; }
  Tap sb(DType t, u32 pcount, u32 off, u32 n) const { return golden::tap(Space::kSbuf, t, 0, pcount, off, {{n, 1}}); }
  Tap ps(u32 pcount, u32 word, u32 n) const {
    return golden::tap(Space::kPsum, DType::kFp32, 0, pcount, word * 4, {{n, 1}});
  }
  void on_loads() { dma_.use_load_queues(); }
  void on_stores() { dma_.use_store_queues(); }
  u32 chunk_lanes(u32 j) const { return std::min(cfg_.columns, pl_.cout_g - j * cfg_.columns); }
  u32 pass_lanes(u32 k) const { return std::min(cfg_.partitions, pl_.cin_g - k * cfg_.partitions); }

  // Uses of weight blocks, in program order: for each tile, each block. Streaming: every use
  // loads its block into the ring; resident: a group's blocks load once, each into its own slot.
  void schedule_loads() {
    const u32 uses = static_cast<u32>(tiles_.size()) * pl_.blocks;
    std::vector<i64> last_use(pl_.wslots, -1);
    for (u32 use = 0; use < uses; ++use) {
      const u32 u = use / pl_.blocks, b = use % pl_.blocks;
      const Tile& t = tiles_[u];
      const bool first_of_group = u == 0 || tiles_[u - 1].group != t.group;
      if (!pl_.resident || first_of_group) {
        Load l{t.group, b, pl_.resident ? b : static_cast<u32>(loads_.size() % pl_.wslots)};
        l.wait_use = last_use[l.slot];
        load_of_use_.push_back(static_cast<i64>(loads_.size()));
        loads_.push_back(l);
      } else {
        load_of_use_.push_back(-1);
      }
      use_slot_.push_back(pl_.resident ? b : static_cast<u32>((loads_.size() - 1) % pl_.wslots));
      last_use[use_slot_.back()] = use;
    }
    // A load is emitted once its slot's previous reader is in the program and the load
    // kLookahead before it has been used (so at most kLookahead are in flight).
    std::vector<i64> first_use(loads_.size(), -1);
    for (u32 use = 0; use < uses; ++use)
      if (load_of_use_[use] >= 0) first_use[static_cast<std::size_t>(load_of_use_[use])] = use;
    const u32 ahead = pl_.resident ? kLookahead : std::min(kLookahead, pl_.wslots);
    for (std::size_t i = 0; i < loads_.size(); ++i) {
      loads_[i].emit_after = std::max(loads_[i].wait_use, i >= ahead ? first_use[i - ahead] : i64{-1});
    }
    ahead_ = ahead;
  }
  void emit_loads_after(i64 use) {
    for (std::size_t i = 0; i < loads_.size(); ++i)
      if (loads_[i].emit_after == use) load_w(static_cast<u32>(i));
  }

  // The table image and the biases (channel g cout_g + j C + l to partition l, column g opass + j).
  void prologue() {
    on_loads();
    detail::emit_table_load(b_, dma_, p_.activation, a_.aux, pl_.table, params0_);
    if (p_.bias) {
      const u32 C = cfg_.columns, cg = pl_.cout_g;
      if (cg <= C) {  // one chunk per group: one DMA for every group
        LoopDma d;
        d.src = Side{Space::kDram, p_.bias_dtype, a_.bias, 0, -1};
        d.dst = Side{Space::kSbuf, p_.bias_dtype, pl_.bias, 0, 0};
        d.dims = {LoopDim{cg, 1, 1}, LoopDim{p_.groups, cg, 1}, LoopDim{}, LoopDim{}};
        dma_.emit(d, 1, b_.signal(params_));
      } else {
        for (u32 g = 0; g < p_.groups; ++g) {
          const u32 full = cg / C, rest = cg % C;
          const u64 src = a_.bias + u64{g} * cg * bsz_;
          const u32 col = pl_.bias + g * pl_.opass * static_cast<u32>(bsz_);
          LoopDma d;
          d.src = Side{Space::kDram, p_.bias_dtype, src, 0, -1};
          d.dst = Side{Space::kSbuf, p_.bias_dtype, col, 0, 0};
          d.dims = {LoopDim{C, 1, 1}, LoopDim{full, C, 1}, LoopDim{}, LoopDim{}};
          dma_.emit(d, 1, b_.signal(params_));
          if (rest > 0) {
            d.src.addr = src + u64{full} * C * bsz_;
            d.dst.addr = col + full * static_cast<u32>(bsz_);
            d.dims = {LoopDim{rest, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
            dma_.emit(d, 0, b_.signal(params_));
          }
        }
      }
    }
    if (p_.bias) b_.nop(golden::engine::kVec, b_.after(params_));  // (the table: TABLE_LOAD waited)
    // The padding columns of both halo slots: never written by a load, zeroed once.
    const u32 left = std::min(pl_.halo_cols, p_.pad_left);
    const u32 right = pl_.halo_cols - std::min<u32>(pl_.halo_cols, p_.pad_left + p_.w);
    const u32 lines = pl_.imgs * pl_.halo_rows * pl_.cpass;
    for (u32 s = 0; s < 2; ++s) {
      auto zero = [&](u32 col0, u32 n) {
        if (n == 0) return;
        // Lines (rows of every image and pass) are halo_cols apart; split into TAP counts.
        for (u32 l0 = 0; l0 < lines; l0 += 4095) {
          const u32 nl = std::min<u32>(4095, lines - l0);
          b_.iota(
              golden::tap(Space::kSbuf, DType::kBf16, 0, cfg_.partitions, pl_.halo[s] + (l0 * pl_.halo_cols + col0) * 2,
                          {{n, 1}, {nl, static_cast<std::int32_t>(pl_.halo_cols)}}),
              0, 0, 0, b_.signal(zeroed_));
        }
      };
      zero(0, left);
      zero(pl_.halo_cols - right, right);
    }
  }

  // The input rows and columns of tile u that lie inside the image (the rest stay zero).
  struct Window {
    i64 ih0;           // input row of halo row 0
    u32 hr_lo, hr_hi;  // valid halo rows
    u32 hc_lo, hc_hi;  // valid halo columns
    u32 halo_rows;
  };
  Window window(const Tile& t) const {
    Window w{};
    w.halo_rows = (t.nr - 1) * p_.stride_h + (p_.kh - 1) * p_.dil_h + 1;
    w.ih0 = static_cast<i64>(t.r0) * p_.stride_h - p_.pad_top;
    w.hr_lo = static_cast<u32>(std::clamp<i64>(-w.ih0, 0, w.halo_rows));
    w.hr_hi = static_cast<u32>(std::clamp<i64>(static_cast<i64>(p_.h) - w.ih0, w.hr_lo, w.halo_rows));
    w.hc_lo = std::min(pl_.halo_cols, p_.pad_left);
    w.hc_hi = std::min<u32>(pl_.halo_cols, p_.pad_left + p_.w);
    return w;
  }

  void load_halo(u32 u) {
    on_stores();  // halo tiles wait for the same kind of event as the stores (earlier MATMULs)
    const Tile& t = tiles_[u];
    const Window w = window(t);
    const u32 s = u % 2, P = cfg_.partitions, full = pl_.cin_g / P, rest = pl_.cin_g % P;
    // The slot's previous tile (u - 2) must have run its MATMULs.
    Deps d = (u >= 2 ? b_.after(mm_) : Deps{}).and_signal(x_loaded_[s]);
    if (w.hr_hi <= w.hr_lo || w.hc_hi <= w.hc_lo) return;  // all padding: zeros only
    const u32 rows = w.hr_hi - w.hr_lo, cols = w.hc_hi - w.hc_lo;
    for (u32 i = 0; i < t.ni; ++i) {
      const u64 pix = (u64{t.i0 + i} * p_.h + static_cast<u64>(w.ih0 + w.hr_lo)) * p_.w + (w.hc_lo - p_.pad_left);
      const u64 src = a_.x + (pix * p_.cin + u64{t.group} * pl_.cin_g) * 2;
      const u32 dst = pl_.halo[s] + ((i * hrc_) + w.hr_lo * pl_.halo_cols + w.hc_lo) * 2;
      auto piece = [&](u32 pass0, u32 passes, u32 lanes) {
        LoopDma x;
        x.src = Side{Space::kDram, DType::kBf16, src + u64{pass0} * P * 2, 0, -1};
        x.dst = Side{Space::kSbuf, DType::kBf16, dst + pass0 * pl_.imgs * hrc_ * 2, 0, 0};
        x.dims = {LoopDim{lanes, 1, 1}, LoopDim{passes, P, static_cast<i64>(pl_.imgs) * hrc_}, LoopDim{cols, p_.cin, 1},
                  LoopDim{rows, static_cast<i64>(p_.w) * p_.cin, pl_.halo_cols}};
        dma_.emit(x, 3, d);
        x_bytes_ += u64{lanes} * passes * cols * rows * 2;
      };
      if (full > 0) piece(0, full, P);
      if (rest > 0) piece(full, 1, rest);
    }
  }

  // Tile u's halo rows outside the image (top and bottom padding) to zero, in every image and
  // pass. The vector queue is in order: the slot's previous tile's epilogues, which waited for
  // its MATMULs, come first.
  void zero_rows(u32 u) {
    const Tile& t = tiles_[u];
    const Window w = window(t);
    const u32 s = u % 2;
    auto zero = [&](u32 hr0, u32 n) {
      if (n == 0) return;
      // Images of the tile and passes are imgs x hrc apart / hrc apart: walk (pass, image) pairs.
      for (u32 k = 0; k < pl_.cpass; ++k) {
        b_.iota(golden::tap(Space::kSbuf, DType::kBf16, 0, cfg_.partitions,
                            pl_.halo[s] + ((k * pl_.imgs) * hrc_ + hr0 * pl_.halo_cols) * 2,
                            {{pl_.halo_cols, 1},
                             {n, static_cast<std::int32_t>(pl_.halo_cols)},
                             {t.ni, static_cast<std::int32_t>(t.ni > 1 ? hrc_ : 0)}}),
                0, 0, 0, b_.signal(zeroed_));
      }
    };
    zero(0, w.hr_lo);
    zero(w.hr_hi, w.halo_rows - w.hr_hi);
  }

  void load_w(u32 i) {
    on_loads();
    const Load& l = loads_[i];
    const u32 P = cfg_.partitions, C = cfg_.columns, taps = p_.kh * p_.kw;
    const u32 c0 = l.block * pl_.gj * C, cols = std::min(pl_.cout_g, c0 + pl_.gj * C) - c0;
    const u64 rows = u64{taps} * pl_.cin_g;
    // Packed (pack_conv2d_weights): group g's [taps cin_g, cout_g] split in column blocks, each
    // row-major after the blocks before it.
    const u64 base = a_.w + (u64{l.group} * rows * pl_.cout_g + rows * c0) * 2;
    const u32 off = pl_.wslot0 + l.slot * pl_.wslot_bytes;
    // The slot's previous reader, and the use of the load `ahead_` before it on the same
    // semaphore (emit_after covers both): its signals then cannot make up the count the MATMULs
    // wait for before its own last piece lands.
    Deps d = l.emit_after >= 0 ? b_.wait(w_used_, static_cast<u32>(l.emit_after + 1)) : Deps{};
    d = d.and_signal(w_loaded_[i % ahead_]);
    const u32 full = pl_.cin_g / P, rest = pl_.cin_g % P;
    auto piece = [&](u32 pass0, u32 passes, u32 lanes) {
      LoopDma t;
      t.src = Side{Space::kDram, DType::kBf16, base + u64{pass0} * P * cols * 2, 0, -1};
      t.dst = Side{Space::kSbuf, DType::kBf16, off + pass0 * pl_.gj * C * 2, 0, 1};
      t.dims = {LoopDim{cols, 1, 1}, LoopDim{lanes, cols, 1},
                LoopDim{passes, static_cast<i64>(P) * cols, static_cast<i64>(pl_.gj) * C},
                LoopDim{taps, static_cast<i64>(pl_.cin_g) * cols, static_cast<i64>(pl_.cpass) * pl_.gj * C}};
      dma_.emit(t, 3, d);
    };
    if (full > 0) piece(0, full, P);
    if (rest > 0) piece(full, 1, rest);
  }

  Deps on_pe(const std::vector<Deps>& waits) { return detail::wait_all(b_, golden::engine::kTensor, waits); }

  // Output chunk j of tile u: a MATMUL per (kernel tap, input pass), the tap's window of the
  // halo as the moving operand.
  void matmuls(u32 u, u32 use, u32 b, u32 j) {
    const Tile& t = tiles_[u];
    const u32 c = chunk_++, jj = j - b * pl_.gj, coc = chunk_lanes(j), ow = p_.ow();
    std::vector<Deps> waits;
    if (j == 0) {
      waits.push_back(b_.after(x_loaded_[u % 2]));
      if (b_.signals(zeroed_) > 0) waits.push_back(b_.after(zeroed_));
    }
    if (jj == 0 && load_of_use_[use] >= 0)
      waits.push_back(b_.after(w_loaded_[static_cast<u32>(load_of_use_[use]) % ahead_]));
    if (c >= 2) waits.push_back(b_.wait(reader_[c - 2].first, reader_[c - 2].second));
    Deps d = on_pe(waits);
    const u32 w = pl_.wslot0 + use_slot_[use] * pl_.wslot_bytes, taps = p_.kh * p_.kw;
    const u32 n = t.npix(ow), total = taps * pl_.cpass;
    u32 i = 0;
    for (u32 kh = 0; kh < p_.kh; ++kh) {
      for (u32 kw = 0; kw < p_.kw; ++kw) {
        for (u32 k = 0; k < pl_.cpass; ++k, ++i) {
          const u32 kp = pass_lanes(k), tap = kh * p_.kw + kw;
          const u32 mov = pl_.halo[u % 2] + ((k * pl_.imgs) * hrc_ + kh * p_.dil_h * pl_.halo_cols + kw * p_.dil_w) * 2;
          const Tap moving = golden::tap(Space::kSbuf, DType::kBf16, 0, kp, mov,
                                         {{ow, static_cast<std::int32_t>(p_.stride_w)},
                                          {t.nr, static_cast<std::int32_t>(p_.stride_h * pl_.halo_cols)},
                                          {t.ni, static_cast<std::int32_t>(t.ni > 1 ? hrc_ : 0)}});
          if (i + 1 == total) d = d.and_signal(mm_);
          b_.matmul(ps(coc, pl_.ps[c % 2], n),
                    sb(DType::kBf16, kp, w + ((tap * pl_.cpass + k) * pl_.gj + jj) * cfg_.columns * 2, coc), moving,
                    i == 0, d);
          d = Deps{};
        }
      }
    }
  }

  // act(PSUM + bias) in the output dtype into the block's stage; the block's last chunk signals
  // y_done (the store waits for it), the others `drained`.
  void epilogue(u32 u, u32 use, u32 b, u32 j) {
    const Tile& t = tiles_[u];
    const u32 c = chunk_ - 1, jj = j - b * pl_.gj, coc = chunk_lanes(j), n = t.npix(p_.ow());
    const bool last = j + 1 == std::min(pl_.opass, (b + 1) * pl_.gj);
    if (jj == 0 && use >= 2) b_.nop(golden::engine::kVec, b_.after(stored_[use % 2]));
    golden::Activate a;
    a.func = func_;
    a.scale = imm(kF32One);
    a.bias = p_.bias ? golden::Scalar{true, 0,
                                      golden::cap(Space::kSbuf, p_.bias_dtype, 0,
                                                  pl_.bias + (t.group * pl_.opass + j) * static_cast<u32>(bsz_))}
                     : imm(kF32NegZero);
    a.in = ps(coc, pl_.ps[c % 2], n);
    a.out = sb(p_.out, coc, pl_.stage[use % 2] + jj * pl_.npix * static_cast<u32>(osz_), n);
    const golden::Sem s = last ? y_done_ : drained_;
    b_.activate(a, b_.wait(mm_, c + 1).and_signal(s));
    reader_.push_back({s, b_.signals(s)});
  }

  // The block's stage to Y: channels along partitions, chunks, then the tile's pixels (one run
  // of the block's channels per pixel).
  void store(u32 u, u32 use, u32 b) {
    on_stores();
    const Tile& t = tiles_[u];
    const u32 C = cfg_.columns, j0 = b * pl_.gj, j1 = std::min(pl_.opass, (b + 1) * pl_.gj);
    const u32 n = t.npix(p_.ow());
    const u64 pix0 = (u64{t.i0} * p_.oh() + t.r0) * p_.ow();
    const u64 ch0 = u64{t.group} * pl_.cout_g + u64{j0} * C;
    const Deps d = b_.after(y_done_).and_signal(stored_[use % 2]);
    auto piece = [&](u32 jfirst, u32 chunks, u32 lanes) {
      LoopDma x;
      x.src = Side{Space::kSbuf, p_.out, pl_.stage[use % 2] + (jfirst - j0) * pl_.npix * static_cast<u32>(osz_), 0, 0};
      x.dst = Side{Space::kDram, p_.out, a_.y + (pix0 * p_.cout + ch0 + u64{jfirst - j0} * C) * osz_, 0, -1};
      x.dims = {LoopDim{lanes, 1, 1}, LoopDim{chunks, pl_.npix, C}, LoopDim{n, 1, p_.cout}, LoopDim{}};
      dma_.emit(x, 2, d);
    };
    const bool partial = chunk_lanes(j1 - 1) < C;
    if (j1 - j0 - (partial ? 1 : 0) > 0) piece(j0, j1 - j0 - (partial ? 1 : 0), C);
    if (partial) piece(j1 - 1, 1, chunk_lanes(j1 - 1));
  }

  const golden::Config& cfg_;
  const Conv2dParams& p_;
  const Conv2dAddrs& a_;
  const Conv2dPlan& pl_;
  golden::ProgramBuilder b_;
  detail::DmaEmitter dma_;
  golden::Sem x_loaded_[2]{}, stored_[2]{}, w_loaded_[kLookahead]{};
  golden::Sem w_used_{}, mm_{}, drained_{}, y_done_{}, zeroed_{}, params0_{}, params_{};
  std::vector<Tile> tiles_;
  std::vector<Load> loads_;
  std::vector<i64> load_of_use_;
  std::vector<u32> use_slot_;
  std::vector<std::pair<golden::Sem, u32>> reader_;  // per chunk: what its epilogue signalled
  u32 hrc_ = 0, ahead_ = 1, chunk_ = 0;
  u64 osz_ = 0, bsz_ = 0, x_bytes_ = 0;
  golden::ActFunc func_ = golden::ActFunc::kIdentity;
};

}  // namespace

Conv2dProgram build_conv2d(const golden::Config& cfg, const Conv2dParams& p, const Conv2dAddrs& a) {
  Conv2dProgram out;
  out.plan = plan_conv2d(cfg, p);
  const u64 xb = u64{p.n} * p.h * p.w * p.cin * 2, wb = u64{p.kh} * p.kw * (p.cin / p.groups) * p.cout * 2;
  const u64 bb = p.bias ? u64{p.cout} * golden::dtype_size(p.bias_dtype) : 0;
  const u64 aux = epilogue_aux_image(p.activation).size() * 4;
  const u64 yb = u64{p.n} * p.oh() * p.ow() * p.cout * golden::dtype_size(p.out);
  for (const auto& [what, addr, bytes] :
       {std::tuple{"X", a.x, xb}, std::tuple{"W", a.w, wb}, std::tuple{"the bias", a.bias, bb},
        std::tuple{"the table image", a.aux, aux}, std::tuple{"Y", a.y, yb}}) {
    if (u64{addr} + bytes > (u64{1} << 32)) {
      throw KernelArgumentError(fmt::format("conv2d: {} at 0x{:x} does not fit in 32-bit DRAM addresses", what, addr));
    }
  }
  Conv2dBuilder cb(cfg, p, a, out.plan);
  const golden::ProgramBuilder& b = cb.build();
  // docs/kernels.md section 11.3: each tile's halo rows inside the image, the weights once per
  // group (resident) or once per tile, the bias and the table once, Y once.
  out.dram_rd_bytes = cb.x_bytes() + wb * (out.plan.resident ? 1 : out.plan.tiles) + bb + aux;
  out.dram_wr_bytes = yb;
  out.macs = p.macs();
  out.instructions = b.instructions();
  if (const auto v = driver::dispatch_order_violations(out.instructions); !v.empty()) {
    throw std::logic_error("conv2d: internal error: " + v.front().describe());
  }
  out.encoded = b.finish();
  return out;
}

}  // namespace systole::kernels
