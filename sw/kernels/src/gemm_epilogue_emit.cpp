// The fused epilogue's program emission (gemm_epilogue_emit.hpp; docs/kernels.md section 7.2).
#include "gemm_epilogue_emit.hpp"

#include <fmt/format.h>

#include <bit>

#include "kernel_util.hpp"
#include "systole/driver/activations.hpp"

namespace systole::kernels::detail {

using golden::Deps;
using golden::DType;
using golden::Space;
using u32 = std::uint32_t;
using u64 = std::uint64_t;

namespace {

constexpr u32 kF32One = 0x3F800000u, kF32NegZero = 0x80000000u;

golden::Scalar imm(u32 bits) { return golden::Scalar{false, bits, {}}; }

}  // namespace

LoopDma tile_transfer(bool to_chip, const Side& chip, const Side& dram, Layout layout, u32 ld, u32 rows, u32 cols) {
  // Element (r, c) of the tile: DRAM r * ld + c (row-major) or c * ld + r (column-major);
  // on chip partition r, element c.
  const std::int64_t L = ld;
  const std::int64_t dram_col = layout == Layout::kRowMajor ? 1 : L, dram_row = layout == Layout::kRowMajor ? L : 1;
  LoopDma t;
  t.src = to_chip ? dram : chip;
  t.dst = to_chip ? chip : dram;
  t.dims = {LoopDim{cols, to_chip ? dram_col : 1, to_chip ? 1 : dram_col},
            LoopDim{rows, to_chip ? dram_row : 1, to_chip ? 1 : dram_row}, LoopDim{}, LoopDim{}};
  return t;
}

EpilogueEmitter::EpilogueEmitter(const golden::Config& cfg, const GemmSpec& s, const GemmPlan& p,
                                 golden::ProgramBuilder& b, DmaEmitter& dma)
    : cfg_(cfg), s_(s), e_(*s.epilogue), p_(p), b_(b), dma_(dma) {
  acc_ = s.in == DType::kInt8 ? DType::kInt32 : DType::kFp32;
  ldc_ = effective_ld(s.c, s.M, s.N);
  if (e_.residual) {
    ldr_ = e_.residual->ld != 0 ? e_.residual->ld : (e_.residual->layout == Layout::kRowMajor ? s.N : s.M);
  }
  func_ = e_.activation == "identity" ? golden::ActFunc::kIdentity : driver::activation(e_.activation).func;
  params0_ = b_.semaphore("epi_params0");
  // The table has a semaphore of its own: TABLE_LOAD waits for a count, and a count shared with
  // the bias's load could be reached by the bias before the table's last piece.
  if (!epilogue_aux_image(e_.activation).empty()) table_ = b_.semaphore("epi_table");
  params_ = b_.semaphore("epi_params");
  drained_ = b_.semaphore("epi_drained");
  for (int i = 0; i < 2; ++i) {
    stored_[i] = b_.semaphore(fmt::format("epi_stored{}", i));
    epi_[i] = b_.semaphore(fmt::format("epi_done{}", i));
    if (e_.residual) rloaded_[i] = b_.semaphore(fmt::format("epi_res{}", i));
  }
}

void EpilogueEmitter::prologue() {
  bool any = false;
  emit_table_load(b_, dma_, e_.activation, e_.aux, p_.epi.table_off, table_);
  if (e_.bias_row) {  // element i to partition i % C, column i / C
    const DType t = e_.bias_row->dtype;
    const u32 C = cfg_.columns, full = s_.M / C, rest = s_.M % C;
    const u64 esz = golden::dtype_size(t);
    if (full > 0) {
      LoopDma d;
      d.src = Side{Space::kDram, t, e_.bias_row->addr, 0, -1};
      d.dst = Side{Space::kSbuf, t, p_.epi.lane_bias_off, 0, 0};
      d.dims = {LoopDim{C, 1, 1}, LoopDim{full, C, 1}, LoopDim{}, LoopDim{}};
      dma_.emit(d, 1, b_.signal(params_));
    }
    if (rest > 0) {
      LoopDma d;
      d.src = Side{Space::kDram, t, e_.bias_row->addr + u64{full} * C * esz, 0, -1};
      d.dst = Side{Space::kSbuf, t, p_.epi.lane_bias_off + full * esz, 0, 0};
      d.dims = {LoopDim{rest, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
      dma_.emit(d, 0, b_.signal(params_));
    }
    any = true;
  }
  if (e_.bias_col) {  // into partition 0, then copied to partitions 1..C-1
    const DType t = e_.bias_col->dtype;
    LoopDma d;
    d.src = Side{Space::kDram, t, e_.bias_col->addr, 0, -1};
    d.dst = Side{Space::kSbuf, t, p_.epi.free_bias_off, 0, -1};
    d.dims = {LoopDim{s_.N, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
    if (cfg_.columns > 1) {
      dma_.emit(d, 0, b_.signal(params0_));
      LoopDma bc;
      bc.src = Side{Space::kSbuf, t, p_.epi.free_bias_off, 0, 1};
      bc.dst = Side{Space::kSbuf, t, p_.epi.free_bias_off, 1, 1};
      bc.dims = {LoopDim{s_.N, 1, 1}, LoopDim{cfg_.columns - 1, 0, 1}, LoopDim{}, LoopDim{}};
      dma_.emit(bc, 1, b_.after(params0_).and_signal(params_));
    } else {
      dma_.emit(d, 0, b_.signal(params_));
    }
    any = true;
  }
  if (any) b_.nop(golden::engine::kVec, b_.after(params_));
}

golden::Tap EpilogueEmitter::lanes(Space sp, DType t, u32 off, u32 m, u32 n) const {
  return golden::tap(sp, t, 0, m, off, {{n, 1}});
}

void EpilogueEmitter::before_group(u32 m0, u32 m, u32 n0, u32 n) {
  if (!e_.residual) return;
  const u32 e = group_ % 2;
  const EpilogueMatrix& r = *e_.residual;
  const u64 rsz = golden::dtype_size(r.dtype);
  const u64 first = r.layout == Layout::kRowMajor ? u64{m0} * ldr_ + n0 : u64{n0} * ldr_ + m0;
  const LoopDma t = tile_transfer(true, Side{Space::kSbuf, r.dtype, p_.epi.res_off[e], 0, 1},
                                  Side{Space::kDram, r.dtype, r.addr + first * rsz, 0, -1}, r.layout, ldr_, m, n);
  dma_.emit(t, 1, (group_ >= 2 ? b_.after(epi_[e]) : Deps{}).and_signal(rloaded_[e]));
}

Deps EpilogueEmitter::after_group(u32 mi, u32 m0, u32 m, u32 n0, u32 n, u32 slot, golden::Sem mm) {
  const u32 e = group_ % 2;
  // The first instruction waits for the accumulation; NOPs on the vector queue wait for the
  // stage's previous store and the residual tile.
  std::vector<Deps> waits;
  if (group_ >= 2) waits.push_back(b_.after(stored_[e]));
  if (e_.residual) waits.push_back(b_.after(rloaded_[e]));
  for (const Deps& w : waits) b_.nop(golden::engine::kVec, w);
  Deps first = b_.after(mm);

  const golden::Tap psum = lanes(Space::kPsum, acc_, slot * p_.psum_slot_words * 4, m, n);
  const golden::Tap work = lanes(Space::kSbuf, DType::kFp32, p_.epi.work_off, m, n);
  const golden::Tap stage = lanes(Space::kSbuf, s_.out, p_.epi.stage_off[e], m, n);
  const u32 alpha = std::bit_cast<u32>(e_.alpha);
  u32 left = p_.epi.passes;
  // The instruction that reads PSUM last frees the slot (`drained`), the last one the stage (`epi`).
  auto deps = [&](bool reads_psum) {
    Deps d = first;
    first = Deps{};
    --left;
    if (left == 0) return d.and_signal(epi_[e]);
    return reads_psum ? d.and_signal(drained_) : d;
  };
  golden::Tap src = psum;
  u32 scale = alpha;
  if (e_.bias_col) {
    const golden::Tap bias = lanes(Space::kSbuf, e_.bias_col->dtype,
                                   p_.epi.free_bias_off + n0 * golden::dtype_size(e_.bias_col->dtype), m, n);
    if (alpha != kF32One) {
      golden::TensorScalar ts;
      ts.op0 = golden::AluOp::kMul;
      ts.op1 = golden::AluOp::kBypass;
      ts.s0 = imm(alpha);
      ts.s1 = imm(0);
      ts.in = psum;
      ts.out = work;
      b_.tensor_scalar(ts, deps(true));
      b_.tensor_tensor(golden::AluOp::kAdd, work, work, bias, deps(false));
    } else {
      b_.tensor_tensor(golden::AluOp::kAdd, work, psum, bias, deps(true));
    }
    src = work;
    scale = kF32One;
  }
  golden::Activate a;
  a.func = func_;
  a.scale = imm(scale);
  a.bias = e_.bias_row ? golden::Scalar{true, 0,
                                        golden::cap(Space::kSbuf, e_.bias_row->dtype, 0,
                                                    p_.epi.lane_bias_off + mi * golden::dtype_size(e_.bias_row->dtype))}
                       : imm(kF32NegZero);
  a.in = src;
  a.out = e_.residual ? work : stage;
  b_.activate(a, deps(!e_.bias_col));
  if (e_.residual) {
    const golden::Tap res = lanes(Space::kSbuf, e_.residual->dtype, p_.epi.res_off[e], m, n);
    b_.tensor_tensor(golden::AluOp::kAdd, stage, work, res, deps(false));
  }
  const Deps psum_free = p_.epi.passes == 1 ? b_.after(epi_[e]) : b_.after(drained_);

  // The stage to C.
  const u64 osz = golden::dtype_size(s_.out);
  const u64 first_c = s_.c.layout == Layout::kRowMajor ? u64{m0} * ldc_ + n0 : u64{n0} * ldc_ + m0;
  const LoopDma t =
      tile_transfer(false, Side{Space::kSbuf, s_.out, p_.epi.stage_off[e], 0, 1},
                    Side{Space::kDram, s_.out, s_.c.addr + first_c * osz, 0, -1}, s_.c.layout, ldc_, m, n);
  dma_.emit(t, 1, b_.after(epi_[e]).and_signal(stored_[e]));
  ++group_;
  return psum_free;
}

}  // namespace systole::kernels::detail
