// The row-wise kernels' online form (docs/kernels.md section 2.4): a tile's rows in chunks, read
// twice. Read A merges per-chunk statistics into running ones (softmax: running max and sum of
// exponentials rescaled as the max grows; LayerNorm: count, mean and sum of squared deviations
// merged by the parallel-variance formula; RMSNorm: sum of squares); read B writes the output
// chunk by chunk. Jobs (tile, read, chunk) go through the I/O slots in turn, as tiles do in the
// in-SBUF form.
#include "rowwise_builder.hpp"

namespace systole::kernels::detail {

namespace {

u32 f32_of(double v) { return golden::num::double_to_f32_bits_rne(v); }
constexpr u32 kSign = 0x80000000u;

}  // namespace

RowwiseBuilder::Job RowwiseBuilder::job(u32 j) const {
  if (pl_.chunk_major) {  // read A of every tile, then read B chunk by chunk across the tiles
    const u32 a = pl_.tiles * pl_.chunks;
    if (j < a) return Job{j / pl_.chunks, j % pl_.chunks, j % pl_.nbuf, false};
    const u32 b = j - a;
    return Job{b % pl_.tiles, b / pl_.tiles, j % pl_.nbuf, true};
  }
  const u32 per_tile = 2 * pl_.chunks, k = j % per_tile;
  return Job{j / per_tile, k % pl_.chunks, j % pl_.nbuf, k >= pl_.chunks};
}

u32 RowwiseBuilder::readb_index(u32 j) const {
  const Job k = job(j);
  return pl_.chunk_major ? k.chunk * pl_.tiles + k.tile : k.tile * pl_.chunks + k.chunk;
}

void RowwiseBuilder::chunk_params(u32 c) {
  load_queues();
  const u32 len = chunk_len(c), slot = c % 2;
  const u64 psz = golden::dtype_size(p_.param), c0 = u64{c} * pl_.chunk;
  const u32 par = static_cast<u32>((u64{len} * psz + 63) & ~u64{63});
  const u32 np = p_.op == RowOp::kLayerNorm ? 2 : 1;
  // The slot's previous chunk (c - 2) must have been used by every tile.
  const Deps free = c >= 2 ? b_.after(param_free_[slot]) : Deps{};
  for (u32 i = 0; i < np; ++i) {
    LoopDma g;
    g.src = Side{Space::kDram, p_.param, (i == 0 ? a_.gamma : a_.beta) + c0 * psz, 0, -1};
    g.dst = Side{Space::kSbuf, p_.param, pl_.param_off[slot] + i * par, 0, -1};
    g.dims = {LoopDim{len, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
    dma_.emit(g, 0, free.and_signal(param0_[slot]));
  }
  for (u32 i = 0; i < np; ++i) {
    LoopDma bc;
    bc.src = Side{Space::kSbuf, p_.param, pl_.param_off[slot] + i * par, 0, 1};
    bc.dst = Side{Space::kSbuf, p_.param, pl_.param_off[slot] + i * par, 1, 1};
    bc.dims = {LoopDim{len, 1, 1}, LoopDim{cfg_.partitions - 1, 0, 1}, LoopDim{}, LoopDim{}};
    dma_.emit(bc, 1, b_.after(param0_[slot]).and_signal(param_loaded_[slot]));
  }
}

void RowwiseBuilder::build_online() {
  for (u32 i = 0; i < pl_.nbuf; ++i) released_[i] = b_.semaphore(fmt::format("released{}", i));
  if (p_.op != RowOp::kSoftmax && pl_.params_resident) {
    prologue_params();  // the table and the whole row's parameters, once
  } else if (p_.op != RowOp::kSoftmax) {
    // Per slot (input slot, or parameter slot chunk-major): a broadcast waits for a count, which
    // another slot's parameter load could make up before its own chunk's last piece lands.
    const u32 n = pl_.chunk_major ? 2 : pl_.nbuf;
    for (u32 i = 0; i < n; ++i) param0_[i] = b_.semaphore(fmt::format("param_chunk{}", i));
    // The square table (the parameters come per chunk with read B).
    LoopDma tbl;
    tbl.src = Side{Space::kDram, DType::kFp32, a_.aux, 0, -1};
    tbl.dst = Side{Space::kSbuf, DType::kFp32, pl_.table_off, 0, -1};
    const u32 words = static_cast<u32>(square_table().to_words().size());
    tbl.dims = {LoopDim{words, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
    dma_.emit(tbl, 0, b_.signal(table_));
    b_.table_load(0, golden::tap(Space::kSbuf, DType::kFp32, 0, 1, pl_.table_off, {{words, 1}}), b_.after(table_));
  }
  for (u32 i = 0; i < pl_.nout; ++i) out_free_[i] = b_.semaphore(fmt::format("out_free{}", i));
  if (pl_.chunk_major) {
    for (u32 i = 0; i < 2; ++i) {
      param_loaded_[i] = b_.semaphore(fmt::format("param_loaded{}", i));
      param_free_[i] = b_.semaphore(fmt::format("param_free{}", i));
    }
  }
  const u32 jobs = pl_.tiles * 2 * pl_.chunks;
  for (u32 j = 0; j < std::min(pl_.nbuf, jobs); ++j) online_load(j);
  if (pl_.chunk_major) {
    for (u32 c = 0; c < std::min(2u, pl_.chunks); ++c) chunk_params(c);
  }
  for (u32 j = 0; j < jobs; ++j) {
    online_vector(j);
    const Job k = job(j);
    if (k.output) online_store(j);
    if (pl_.chunk_major && k.output && k.tile + 1 == pl_.tiles) {
      // Chunk k.chunk's parameters are read by every tile: its slot takes chunk + 2.
      b_.nop(golden::engine::kVec, b_.signal(param_free_[k.chunk % 2]));
      if (k.chunk + 2 < pl_.chunks) chunk_params(k.chunk + 2);
    }
    if (j + pl_.nbuf < jobs) online_load(j + pl_.nbuf);
  }
}

void RowwiseBuilder::online_load(u32 j) {
  load_queues();
  const Job k = job(j);
  const u32 n = lanes(k.tile), len = chunk_len(k.chunk);
  const u64 first = row0(k.tile) * p_.cols + u64{k.chunk} * pl_.chunk;  // element (row0, chunk start)
  const Deps free = j >= pl_.nbuf ? b_.after(released_[k.slot]) : (j > 0 ? b_.after(loaded_[0]) : Deps{});
  const Deps d = free.and_signal(loaded_[k.slot]);
  auto rows = [&](DType t, u64 addr, u32 off) {
    LoopDma m;
    m.src = Side{Space::kDram, t, addr + first * golden::dtype_size(t), 0, -1};
    m.dst = Side{Space::kSbuf, t, off, 0, 1};
    m.dims = {LoopDim{len, 1, 1}, LoopDim{n, static_cast<std::int64_t>(p_.cols), 1}, LoopDim{}, LoopDim{}};
    dma_.emit(m, 1, d);
  };
  rows(p_.in, a_.x, pl_.io_off[k.slot]);
  if (p_.mask) rows(p_.mask_dtype, a_.mask, pl_.mask_off[k.slot]);
  if (k.output && p_.op != RowOp::kSoftmax && !pl_.params_resident && !pl_.chunk_major) {
    // gamma (and beta) of the chunk into partition 0, then copied to partitions 1..P-1.
    const u64 psz = golden::dtype_size(p_.param), c0 = u64{k.chunk} * pl_.chunk;
    const u32 par = static_cast<u32>((u64{len} * psz + 63) & ~u64{63});
    const u32 np = p_.op == RowOp::kLayerNorm ? 2 : 1;
    for (u32 i = 0; i < np; ++i) {
      LoopDma g;
      g.src = Side{Space::kDram, p_.param, (i == 0 ? a_.gamma : a_.beta) + c0 * psz, 0, -1};
      g.dst = Side{Space::kSbuf, p_.param, pl_.param_off[k.slot] + i * par, 0, -1};
      g.dims = {LoopDim{len, 1, 1}, LoopDim{}, LoopDim{}, LoopDim{}};
      dma_.emit(g, 0, free.and_signal(param0_[k.slot]));
    }
    for (u32 i = 0; i < np; ++i) {
      LoopDma bc;
      bc.src = Side{Space::kSbuf, p_.param, pl_.param_off[k.slot] + i * par, 0, 1};
      bc.dst = Side{Space::kSbuf, p_.param, pl_.param_off[k.slot] + i * par, 1, 1};
      bc.dims = {LoopDim{len, 1, 1}, LoopDim{cfg_.partitions - 1, 0, 1}, LoopDim{}, LoopDim{}};
      dma_.emit(bc, 1, b_.after(param0_[k.slot]).and_signal(loaded_[k.slot]));
    }
  }
}

// Output job b (counting read-B jobs from 0) uses output slot b % nout.
u32 RowwiseBuilder::out_slot(u32 j) const { return readb_index(j) % pl_.nout; }

void RowwiseBuilder::online_store(u32 j) {
  store_queues();
  const Job k = job(j);
  const u32 n = lanes(k.tile), len = chunk_len(k.chunk), o = out_slot(j);
  const u64 first = row0(k.tile) * p_.cols + u64{k.chunk} * pl_.chunk;
  LoopDma m;
  m.src = Side{Space::kSbuf, p_.out, pl_.out_off[o], 0, 1};
  m.dst = Side{Space::kDram, p_.out, a_.y + first * golden::dtype_size(p_.out), 0, -1};
  m.dims = {LoopDim{len, 1, 1}, LoopDim{n, 1, static_cast<std::int64_t>(p_.cols)}, LoopDim{}, LoopDim{}};
  // After the job's vector instructions (their last one released the input slot).
  dma_.emit(m, 1, b_.after(released_[k.slot]).and_signal(out_free_[o]));
}

void RowwiseBuilder::online_vector(u32 j) {
  const Job k = job(j);
  const u32 n = lanes(k.tile), len = chunk_len(k.chunk), io = pl_.io_off[k.slot];
  first_ = true;
  first_deps_ = b_.after(loaded_[k.slot]);
  last_signal_ = released_[k.slot];
  const bool first_out = k.output && k.chunk == 0;
  const u32 out = k.output ? pl_.out_off[out_slot(j)] : 0;
  if (k.output && readb_index(j) >= pl_.nout) {  // the output slot's previous store
    b_.nop(golden::engine::kVec, b_.after(out_free_[out_slot(j)]));
  }
  stats_ = pl_.stats_off + k.tile * pl_.stats_stride;
  if (pl_.chunk_major && k.output && k.tile == 0) {  // the chunk's parameters, once per chunk
    b_.nop(golden::engine::kVec, b_.after(param_loaded_[k.chunk % 2]));
  }
  if (p_.op == RowOp::kSoftmax) {
    if (k.output) {
      softmax_output(n, len, io, pl_.mask_off[k.slot], out, first_out);
    } else {
      softmax_stats(n, len, k.chunk, io, pl_.mask_off[k.slot]);
    }
  } else if (k.output) {
    // The chunk's gamma and beta: in the resident row, or in the slot's parameter area.
    const u64 psz = golden::dtype_size(p_.param);
    const u32 c0 = static_cast<u32>(u64{k.chunk} * pl_.chunk * psz);
    const u32 slot_beta = pl_.param_off[k.slot] + static_cast<u32>((u64{len} * psz + 63) & ~u64{63});
    if (pl_.params_resident) {
      norm_output(n, len, io, pl_.gamma_off + c0, pl_.beta_off + c0, out, first_out);
    } else if (pl_.chunk_major) {
      const u32 ps = pl_.param_off[k.chunk % 2];
      norm_output(n, len, io, ps, ps + static_cast<u32>((u64{len} * psz + 63) & ~u64{63}), out, first_out);
    } else {
      norm_output(n, len, io, pl_.param_off[k.slot], slot_beta, out, first_out);
    }
  } else {
    norm_stats(n, len, k.chunk, io);
  }
}

std::pair<DType, u32> RowwiseBuilder::softmax_values(u32 n, u32 len, u32 io, u32 mask, u32& s) {
  s = f32_bits(p_.scale);
  if (!p_.mask) return {p_.in, io};
  const u32 w = pl_.work_off;
  const Tap work = chunk_row(DType::kFp32, w, n, len);
  if (s != kF32One) {
    golden::TensorScalar ts;
    ts.op0 = AluOp::kMul;
    ts.op1 = AluOp::kBypass;
    ts.s0 = imm(s);
    ts.s1 = imm(0);
    ts.in = chunk_row(p_.in, io, n, len);
    ts.out = work;
    b_.tensor_scalar(ts, next());
    b_.tensor_tensor(AluOp::kAdd, work, work, chunk_row(p_.mask_dtype, mask, n, len), next());
  } else {
    b_.tensor_tensor(AluOp::kAdd, work, chunk_row(p_.in, io, n, len), chunk_row(p_.mask_dtype, mask, n, len), next());
  }
  s = kF32One;
  return {DType::kFp32, w};
}

void RowwiseBuilder::softmax_stats(u32 n, u32 len, u32 c, u32 io, u32 mask) {
  u32 s = 0;
  const auto [vt, v] = softmax_values(n, len, io, mask, s);
  const Tap vals = chunk_row(vt, v, n, len), work = chunk_row(DType::kFp32, pl_.work_off, n, len);
  auto exp_acc = [&](u32 acc_col) {
    golden::Activate a;
    a.func = ActFunc::kExp;
    a.acc = golden::AccOp::kAdd;
    a.scale = imm(s);
    a.bias = colv(kColB);
    a.in = vals;
    a.out = work;
    a.acc_out = cap(acc_col);
    return a;
  };
  const bool last_chunk = c + 1 == pl_.chunks;
  if (c == 0) {
    b_.tensor_reduce(AluOp::kMax, 1, col(kColA, n), vals, next());
    col_scalar(AluOp::kMul, s ^ kSign, AluOp::kMin, kF32Max, kColA, kColB, n);
    b_.activate(exp_acc(kColSum), next(true));
    return;
  }
  (void)last_chunk;
  b_.tensor_reduce(AluOp::kMax, 1, col(kColT, n), vals, next());
  b_.tensor_tensor(AluOp::kMax, col(kColT, n), col(kColA, n), col(kColT, n), next());
  col_scalar(AluOp::kMul, s ^ kSign, AluOp::kMin, kF32Max, kColT, kColB, n);
  golden::Activate corr;  // exp(s m_old + b_new): the old sum's rescaling (0 while m_old = -inf)
  corr.func = ActFunc::kExp;
  corr.scale = imm(s);
  corr.bias = colv(kColB);
  corr.in = col(kColA, n);
  corr.out = col(kColC, n);
  b_.activate(corr, next());
  b_.activate(exp_acc(kColP2), next());
  golden::TensorScalar upd;  // sum = sum * corr + part
  upd.op0 = AluOp::kMul;
  upd.op1 = AluOp::kAdd;
  upd.s0 = colv(kColC);
  upd.s1 = colv(kColP2);
  upd.in = col(kColSum, n);
  upd.out = col(kColSum, n);
  b_.tensor_scalar(upd, next());
  b_.copy(col(kColA, n), col(kColT, n), next(true));
}

void RowwiseBuilder::softmax_output(u32 n, u32 len, u32 io, u32 mask, u32 out, bool first) {
  if (first) {  // b2 = b - ln(sum + 2^-126): y = exp(s v + b2)
    col_activate(ActFunc::kLog, kF32One, kF32MinNormal, kColSum, kColL, n);
    b_.tensor_tensor(AluOp::kSub, col(kColB2, n), col(kColB, n), col(kColL, n), next());
  }
  u32 s = 0;
  const auto [vt, v] = softmax_values(n, len, io, mask, s);
  golden::Activate a;
  a.func = ActFunc::kExp;
  a.scale = imm(s);
  a.bias = colv(kColB2);
  a.in = chunk_row(vt, v, n, len);
  a.out = chunk_row(p_.out, out, n, len);
  b_.activate(a, next(true));
}

void RowwiseBuilder::norm_stats(u32 n, u32 len, u32 c, u32 io) {
  const Tap x = chunk_row(p_.in, io, n, len), work = chunk_row(DType::kFp32, pl_.work_off, n, len);
  auto square_acc = [&](golden::Scalar bias, u32 acc_col, bool last) {
    golden::Activate a;
    a.func = ActFunc::kTable;
    a.acc = golden::AccOp::kAdd;
    a.scale = imm(kF32One);
    a.bias = bias;
    a.in = x;
    a.out = work;
    a.acc_out = cap(acc_col);
    b_.activate(a, next(last));
  };
  if (p_.op == RowOp::kRmsNorm) {
    if (c == 0) {
      square_acc(imm(kF32NegZero), kColSum, true);
    } else {
      square_acc(imm(kF32NegZero), kColP2, false);
      b_.tensor_tensor(AluOp::kAdd, col(kColSum, n), col(kColSum, n), col(kColP2, n), next(true));
    }
    return;
  }
  // LayerNorm: -mean in kColNm + 4 (c % 2), the sum of squared deviations in kColM2 + 4 (c % 2).
  const u32 nm = kColNm + 4 * (c % 2), m2 = kColM2 + 4 * (c % 2);
  const u32 nm_old = kColNm + 4 * ((c + 1) % 2), m2_old = kColM2 + 4 * ((c + 1) % 2);
  const double nc = len, n_old = double(c) * pl_.chunk, n_new = n_old + nc;
  b_.tensor_reduce(AluOp::kAdd, 1, col(kColT, n), x, next());
  if (c == 0) {
    col_scalar(AluOp::kMul, f32_of(-1.0 / nc), AluOp::kBypass, 0, kColT, nm, n);
    square_acc(colv(nm), m2, true);
    return;
  }
  col_scalar(AluOp::kMul, f32_of(-1.0 / nc), AluOp::kBypass, 0, kColT, kColC, n);  // -mean of the chunk
  square_acc(colv(kColC), kColP2, false);
  b_.tensor_tensor(AluOp::kSub, col(kColD, n), col(nm_old, n), col(kColC, n), next());  // mean_c - mean
  golden::TensorScalar mean;  // -mean_new = d * (-nc / n_new) + (-mean_old)
  mean.op0 = AluOp::kMul;
  mean.op1 = AluOp::kAdd;
  mean.s0 = imm(f32_of(-nc / n_new));
  mean.s1 = colv(nm_old);
  mean.in = col(kColD, n);
  mean.out = col(nm, n);
  b_.tensor_scalar(mean, next());
  b_.tensor_tensor(AluOp::kMul, col(kColD2, n), col(kColD, n), col(kColD, n), next());
  golden::TensorScalar corr;  // d^2 n_old nc / n_new + M2_chunk
  corr.op0 = AluOp::kMul;
  corr.op1 = AluOp::kAdd;
  corr.s0 = imm(f32_of(n_old * nc / n_new));
  corr.s1 = colv(kColP2);
  corr.in = col(kColD2, n);
  corr.out = col(kColTmp, n);
  b_.tensor_scalar(corr, next());
  b_.tensor_tensor(AluOp::kAdd, col(m2, n), col(m2_old, n), col(kColTmp, n), next(true));
}

void RowwiseBuilder::norm_output(u32 n, u32 len, u32 io, u32 g, u32 be, u32 out, bool first) {
  const u32 last = (pl_.chunks - 1) % 2;
  const u32 q = p_.op == RowOp::kLayerNorm ? kColM2 + 4 * last : kColSum;
  if (first) col_activate(ActFunc::kRsqrt, inv_l_, f32_bits(p_.eps), q, kColR, n);
  const Tap x = chunk_row(p_.in, io, n, len), work = chunk_row(DType::kFp32, pl_.work_off, n, len);
  const Tap gamma = chunk_row(p_.param, g, n, len), beta = chunk_row(p_.param, be, n, len);
  const Tap y = chunk_row(p_.out, out, n, len);
  golden::TensorScalar ts;
  ts.in = x;
  ts.out = work;
  if (p_.op == RowOp::kLayerNorm) {
    ts.op0 = AluOp::kAdd;
    ts.s0 = colv(kColNm + 4 * last);
    ts.op1 = AluOp::kMul;
    ts.s1 = colv(kColR);
    b_.tensor_scalar(ts, next());
    b_.tensor_tensor(AluOp::kMul, work, work, gamma, next());
    b_.tensor_tensor(AluOp::kAdd, y, work, beta, next(true));
  } else {
    ts.op0 = AluOp::kMul;
    ts.s0 = colv(kColR);
    ts.op1 = AluOp::kBypass;
    ts.s1 = imm(0);
    b_.tensor_scalar(ts, next());
    b_.tensor_tensor(AluOp::kMul, y, work, gamma, next(true));
  }
}

}  // namespace systole::kernels::detail
