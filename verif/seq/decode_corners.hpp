// Named corner cases for the decode_check tests (test_decode_check.cpp): every error code NOP,
// END, MATMUL and DMA can reach and the precedence pairs between them, built for one
// configuration (the vector instructions: decode_corners_vec.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "decode_bench.hpp"
#include "decode_gen.hpp"
#include "systole/golden/builder.hpp"

namespace systole::verif::seq {

using golden::ErrorCode;

// ---- named corner cases ----------------------------------------------------------------------
// Each case names the code the golden model must give (checked first, so the case tests what it
// says), then the RTL must agree with the golden model.
struct Corner {
  std::string name;
  Item item;
  ErrorCode want;
};

// The list and the helpers that build it.
class CornerList {
 public:
  explicit CornerList(const golden::Config& c) : c_(c) {}

 protected:
  template <class Op>
  static golden::Instruction insn(std::uint8_t engine, Op op) {
    golden::Instruction i;
    i.engine = engine;
    i.op = op;
    return i;
  }
  static golden::Instruction insn(std::uint8_t engine, const golden::Op& op) {
    golden::Instruction i;
    i.engine = engine;
    i.op = op;
    return i;
  }
  static golden::Instruction sync_nop(const golden::Sync& s) {
    golden::Instruction i = insn(golden::engine::kSeq, golden::Nop{});
    i.sync = s;
    return i;
  }
  // The encoding of `i` with word `w` changed to (w & ~clear) | set.
  static golden::EncodedInstruction words(const golden::Instruction& i, std::size_t w, std::uint32_t clear,
                                          std::uint32_t set) {
    golden::EncodedInstruction e = golden::encode(i);
    e[w] = (e[w] & ~clear) | set;
    return e;
  }
  static golden::Windows windows_rw(std::uint32_t base, std::uint32_t limit) {
    golden::Windows w{};
    w[1] = golden::Window{base, limit, true, true, true};
    return w;
  }
  void add(const std::string& name, const golden::Instruction& i, ErrorCode want, const golden::Windows& w = {}) {
    add_raw(name, golden::encode(i), want, w);
  }
  void add_raw(const std::string& name, const golden::EncodedInstruction& e, ErrorCode want,
               const golden::Windows& w = {}) {
    list_.push_back(Corner{name, Item{e, w, name}, want});
  }

  const golden::Config& c_;
  std::vector<Corner> list_;
};

class Corners : public CornerList {
 public:
  using CornerList::CornerList;

  std::vector<Corner> build() {
    using golden::Dim;
    using golden::Dma;
    using golden::Matmul;
    const std::uint32_t P = c_.partitions, C = c_.columns, Q = c_.dma_queues;
    const std::uint32_t SB = c_.sbuf_bytes, PB = c_.psum_bytes;
    const std::uint32_t N = std::min<std::uint32_t>(c_.nmax, 16);
    const auto Ps = static_cast<std::int32_t>(P);

    // ---- headers, NOP, END, opcodes
    add("nop_seq", insn(golden::engine::kSeq, golden::Nop{}), ErrorCode::kNone);
    add("nop_pe", insn(golden::engine::kTensor, golden::Nop{}), ErrorCode::kNone);
    // Engine VEC and the vector opcodes: refused when the vector engine is absent.
    const bool vec = c_.vector_engine;
    const ErrorCode vec_ok = vec ? ErrorCode::kNone : ErrorCode::kIllegalInstruction;
    add(vec ? "nop_vec" : "nop_vec_absent", insn(golden::engine::kVec, golden::Nop{}), vec_ok);
    add("nop_engine_3", insn(3, golden::Nop{}), ErrorCode::kIllegalInstruction);
    add("nop_engine_12", insn(12, golden::Nop{}), ErrorCode::kIllegalInstruction);
    add("nop_last_dma_queue", insn(golden::engine::dma(Q - 1), golden::Nop{}), ErrorCode::kNone);
    add("nop_missing_dma_queue", insn(golden::engine::dma(Q), golden::Nop{}), ErrorCode::kIllegalInstruction);
    add_raw("nop_w15_nonzero", words(insn(0, golden::Nop{}), 15, 0, 0x80000000u), ErrorCode::kIllegalInstruction);
    add_raw("nop_w2_nonzero", words(insn(0, golden::Nop{}), 2, 0, 1), ErrorCode::kIllegalInstruction);
    {
      golden::Instruction i = insn(0, golden::End{});
      i.sync = golden::Sync{true, 31, 0xFFFFFFFFu, false, 0};
      add("end_waits_sem31", i, ErrorCode::kNone);
      i.sync = golden::Sync{false, 0, 0, true, 3};
      add("end_signals", i, ErrorCode::kIllegalInstruction);
    }
    add("end_on_pe", insn(1, golden::End{}), ErrorCode::kIllegalInstruction);
    add_raw("header_reserved_bit14", words(insn(0, golden::Nop{}), 0, 0, 1u << 14), ErrorCode::kIllegalInstruction);
    add_raw("header_reserved_bit15", words(insn(0, golden::Nop{}), 0, 0, 1u << 15), ErrorCode::kIllegalInstruction);
    add("wait_sem_32", sync_nop(golden::Sync{true, 32, 1, false, 0}), ErrorCode::kIllegalInstruction);
    add("signal_sem_31", sync_nop(golden::Sync{false, 0, 0, true, 31}), ErrorCode::kNone);
    add("signal_sem_32", sync_nop(golden::Sync{false, 0, 0, true, 32}), ErrorCode::kIllegalInstruction);
    add("wait_value_without_wait_en", sync_nop(golden::Sync{false, 0, 7, false, 0}), ErrorCode::kIllegalInstruction);
    add("wait_sem_without_wait_en", sync_nop(golden::Sync{false, 5, 0, false, 0}), ErrorCode::kIllegalInstruction);
    add("signal_sem_without_signal_en", sync_nop(golden::Sync{false, 0, 0, false, 9}), ErrorCode::kIllegalInstruction);
    for (std::uint32_t op : {0x02u, 0x11u, 0x28u, 0x2Fu, 0x31u, 0xFFu}) {
      add_raw(fmt::format("unknown_opcode_0x{:02x}", op), words(insn(0, golden::Nop{}), 0, 0, op),
              ErrorCode::kIllegalInstruction);
    }
    const golden::Tap va = golden::tap(golden::Space::kSbuf, golden::DType::kBf16, 0, 1, 0, {{8, 1}});
    const golden::Tap vb = golden::tap(golden::Space::kSbuf, golden::DType::kBf16, 0, 1, 64, {{8, 1}});
    add("vector_copy_on_vec", insn(golden::engine::kVec, golden::Copy{va, vb}), vec_ok);
    add("vector_iota_on_vec", insn(golden::engine::kVec, golden::Iota{va, 0, 1, 0}), vec_ok);
    add("vector_copy_on_pe", insn(golden::engine::kTensor, golden::Copy{va, vb}), ErrorCode::kIllegalInstruction);
    {
      golden::Instruction i = insn(golden::engine::kVec, golden::TableLoad{0, va});  // bf16: not a table
      add("vector_table_load_on_vec", i, vec ? ErrorCode::kBadOperand : ErrorCode::kIllegalInstruction);
    }

    // ---- MATMUL
    const auto stat = golden::tap(golden::Space::kSbuf, golden::DType::kInt8, 0, P, 0, {{C, 1}});
    const auto mov = golden::tap(golden::Space::kSbuf, golden::DType::kInt8, 0, P, 256, {{N, 1}});
    const auto out = golden::tap(golden::Space::kPsum, golden::DType::kInt32, 0, C, 0, {{N, 1}});
    const Matmul mm{out, stat, mov, true};
    auto mmx = [&](const std::function<void(Matmul&)>& f) {
      Matmul m = mm;
      f(m);
      return insn(golden::engine::kTensor, m);
    };
    add("matmul_ok", insn(golden::engine::kTensor, mm), ErrorCode::kNone);
    add("matmul_accumulate_ok", mmx([](Matmul& m) { m.start = false; }), ErrorCode::kNone);
    add("matmul_on_engine_0", insn(0, mm), ErrorCode::kIllegalInstruction);
    add("matmul_on_dma0", insn(golden::engine::dma(0), mm), ErrorCode::kIllegalInstruction);
    add_raw("matmul_w2_bit1", words(insn(1, mm), 2, 0, 2), ErrorCode::kIllegalInstruction);
    add_raw("matmul_w3_nonzero", words(insn(1, mm), 3, 0, 1u << 31), ErrorCode::kIllegalInstruction);
    add_raw("matmul_tap_reserved_a2_bit12", words(insn(1, mm), 14, 0, 1u << 12), ErrorCode::kIllegalInstruction);
    add_raw("matmul_out_absent", words(insn(1, mm), 4, 0x00C00000u, 0), ErrorCode::kIllegalInstruction);
    add_raw("matmul_moving_dtype_0", words(insn(1, mm), 12, 0x003C0000u, 0), ErrorCode::kIllegalInstruction);
    add_raw("matmul_stationary_dtype_6", words(insn(1, mm), 8, 0x003C0000u, 6u << 18), ErrorCode::kIllegalInstruction);
    add("matmul_out_in_sbuf", mmx([](Matmul& m) { m.out.space = golden::Space::kSbuf; }), ErrorCode::kBadOperand);
    add("matmul_out_in_dram", mmx([](Matmul& m) { m.out.space = golden::Space::kDram; }), ErrorCode::kBadOperand);
    add("matmul_out_int8_in_psum", mmx([](Matmul& m) { m.out.dtype = golden::DType::kInt8; }), ErrorCode::kBadOperand);
    add("matmul_out_fp32_for_int8", mmx([](Matmul& m) { m.out.dtype = golden::DType::kFp32; }), ErrorCode::kBadOperand);
    add("matmul_stationary_in_psum", mmx([](Matmul& m) { m.stationary.space = golden::Space::kPsum; }),
        ErrorCode::kBadOperand);
    add("matmul_moving_in_dram", mmx([](Matmul& m) { m.moving.space = golden::Space::kDram; }), ErrorCode::kBadOperand);
    add("matmul_dtype_mismatch", mmx([](Matmul& m) { m.moving.dtype = golden::DType::kFp8; }), ErrorCode::kBadOperand);
    add("matmul_fp32_inputs", mmx([](Matmul& m) {
          m.stationary.dtype = m.moving.dtype = golden::DType::kFp32;
          m.out.dtype = golden::DType::kFp32;
        }),
        ErrorCode::kBadOperand);
    for (golden::DType t : {golden::DType::kBf16, golden::DType::kFp8}) {
      const bool on = c_.tensor_dtype_enabled(t);
      add(fmt::format("matmul_{}_{}", golden::dtype_name(t), on ? "enabled" : "disabled"), mmx([&](Matmul& m) {
            m.stationary.dtype = m.moving.dtype = t;
            m.out.dtype = golden::DType::kFp32;
            m.stationary.offset = 0;
            m.moving.offset = 512;
          }),
          on ? ErrorCode::kNone : ErrorCode::kBadOperand);
    }
    add("matmul_K_above_P", mmx([&](Matmul& m) { m.stationary.pcount = m.moving.pcount = P + 1; }),
        ErrorCode::kShapeMismatch);
    add("matmul_M_above_C", mmx([&](Matmul& m) {
          m.stationary.dims[0].count = C + 1;
          m.out.pcount = C + 1;
        }),
        ErrorCode::kShapeMismatch);
    add("matmul_N_at_NMAX", mmx([&](Matmul& m) {
          m.moving.dims[0].count = m.out.dims[0].count = c_.nmax / 4;
          m.moving.dims[1] = m.out.dims[1] = Dim{4, 0};
          m.moving.offset = 0;
          m.stationary.offset = SB - C;
          m.out.dims[0].stride = m.out.dims[1].stride = 0;
        }),
        ErrorCode::kNone);
    add("matmul_N_above_NMAX", mmx([&](Matmul& m) {
          m.moving.dims[0].count = m.out.dims[0].count = c_.nmax + 1;
          m.moving.dims[0].stride = m.out.dims[0].stride = 0;
        }),
        ErrorCode::kShapeMismatch);
    add("matmul_pstart_differs", mmx([](Matmul& m) { m.moving.pstart = 1; }), ErrorCode::kShapeMismatch);
    add("matmul_pcount_differs", mmx([](Matmul& m) { m.moving.pcount -= 1; }), ErrorCode::kShapeMismatch);
    add("matmul_out_pcount_not_M", mmx([](Matmul& m) { m.out.pcount -= 1; }), ErrorCode::kShapeMismatch);
    add("matmul_out_free_not_N", mmx([](Matmul& m) { m.out.dims[1].count = 2; }), ErrorCode::kShapeMismatch);
    add("matmul_same_N_other_factors", mmx([&](Matmul& m) {
          m.out.dims[0] = Dim{1, 0};
          m.out.dims[2] = Dim{N, 1};
        }),
        ErrorCode::kNone);
    add("matmul_zero_counts_consistent", mmx([](Matmul& m) { m.moving.dims[2].count = m.out.dims[1].count = 0; }),
        ErrorCode::kPatternOutOfRange);
    add("matmul_out_zero_count_only", mmx([](Matmul& m) { m.out.dims[2].count = 0; }), ErrorCode::kShapeMismatch);
    add("matmul_moving_fits_partition_end", mmx([&](Matmul& m) { m.moving.offset = SB - N; }), ErrorCode::kNone);
    add("matmul_moving_one_past_partition_end", mmx([&](Matmul& m) { m.moving.offset = SB - N + 1; }),
        ErrorCode::kPatternOutOfRange);
    add("matmul_out_fits_psum_end", mmx([&](Matmul& m) { m.out.offset = PB - 4 * N; }), ErrorCode::kNone);
    add("matmul_out_one_word_past_psum_end", mmx([&](Matmul& m) { m.out.offset = PB - 4 * N + 4; }),
        ErrorCode::kPatternOutOfRange);
    add("matmul_out_misaligned", mmx([](Matmul& m) { m.out.offset = 2; }), ErrorCode::kPatternOutOfRange);
    add("matmul_out_negative_stride_to_0", mmx([&](Matmul& m) {
          m.out.dims[0].stride = -1;
          m.out.offset = 4 * (N - 1);
        }),
        ErrorCode::kNone);
    add("matmul_out_negative_stride_below_0", mmx([&](Matmul& m) {
          m.out.dims[0].stride = -1;
          m.out.offset = 4 * (N - 2);
        }),
        ErrorCode::kPatternOutOfRange);
    add("matmul_lanes_past_P", mmx([&](Matmul& m) { m.out.pstart = P - C + 1; }), ErrorCode::kPatternOutOfRange);
    add("matmul_K_lanes_past_P", mmx([&](Matmul& m) {
          m.stationary.pcount = m.moving.pcount = 1;
          m.stationary.pstart = m.moving.pstart = P;
        }),
        ErrorCode::kPatternOutOfRange);
    add("matmul_huge_stride", mmx([](Matmul& m) { m.moving.dims[0].stride = 32767; }), ErrorCode::kPatternOutOfRange);
    // Precedence.
    add_raw("prec_reserved_bit_and_K_above_P",
            words(mmx([&](Matmul& m) { m.stationary.pcount = m.moving.pcount = P + 1; }), 3, 0, 1),
            ErrorCode::kIllegalInstruction);
    add("prec_bad_engine_and_bad_operand", insn(0, mmx([](Matmul& m) { m.out.space = golden::Space::kSbuf; }).op),
        ErrorCode::kIllegalInstruction);
    add("prec_bad_operand_and_shape", mmx([&](Matmul& m) {
          m.out.dtype = golden::DType::kFp32;
          m.moving.pcount = P + 1;
        }),
        ErrorCode::kBadOperand);
    add("prec_shape_and_pattern", mmx([&](Matmul& m) {
          m.out.pcount -= 1;
          m.moving.offset = SB;
        }),
        ErrorCode::kShapeMismatch);

    // ---- DMA
    using golden::Space;
    const auto dram8 = golden::dram(golden::DType::kInt8, 0x1000, {{16, 1}, {P, 16}});
    const auto sbuf8 = golden::onchip(Space::kSbuf, golden::DType::kInt8, 0, P, 0, {{16, 1}});
    const Dma load{sbuf8, dram8};
    golden::Windows rd{};
    rd[2] = golden::Window{0x1000, 0x1000 + 16 * P - 1, true, true, false};
    auto dx = [&](const std::function<void(Dma&)>& f, std::uint8_t eng = 4) {
      Dma d = load;
      f(d);
      return insn(eng, d);
    };
    add("dma_load_ok", insn(golden::engine::dma(0), load), ErrorCode::kNone, rd);
    add("dma_last_queue_ok", insn(golden::engine::dma(Q - 1), load), ErrorCode::kNone, rd);
    add("dma_missing_queue", insn(golden::engine::dma(Q), load), ErrorCode::kIllegalInstruction, rd);
    add("dma_on_pe", insn(golden::engine::kTensor, load), ErrorCode::kIllegalInstruction, rd);
    add("dma_dram_pstart", dx([](Dma& d) { d.src.pstart = 1; }), ErrorCode::kIllegalInstruction, rd);
    add("dma_dram_pdim_sel", dx([](Dma& d) { d.src.pdim = 2; }), ErrorCode::kIllegalInstruction, rd);
    add_raw("dma_src_absent", words(insn(4, load), 12, 0x30000000u, 0), ErrorCode::kIllegalInstruction, rd);
    add_raw("dma_dst_dtype_7", words(insn(4, load), 5, 0x0F000000u, 7u << 24), ErrorCode::kIllegalInstruction, rd);
    add_raw("dma_reserved_d5", words(insn(4, load), 7, 0, 1u << 24), ErrorCode::kIllegalInstruction, rd);
    add_raw("dma_reserved_d6", words(insn(4, load), 15, 0, 1u << 31), ErrorCode::kIllegalInstruction, rd);
    add("dma_psum_int8", dx([](Dma& d) { d.dst.space = Space::kPsum; }), ErrorCode::kBadOperand, rd);
    add("dma_psum_bf16", dx([](Dma& d) {
          d.dst.space = Space::kPsum;
          d.dst.dtype = d.src.dtype = golden::DType::kBf16;
        }),
        ErrorCode::kBadOperand, rd);
    const auto dram32 = golden::dram(golden::DType::kFp32, 0x1000, {{16, 1}, {P, 16}});
    golden::Windows rd32{};
    rd32[0] = golden::Window{0x1000, 0x1000 + 64 * P - 1, true, true, false};
    for (auto [s, d, ok] : {std::tuple{golden::DType::kFp32, golden::DType::kBf16, true},
                            std::tuple{golden::DType::kFp32, golden::DType::kFp8, true},
                            std::tuple{golden::DType::kInt32, golden::DType::kInt8, true},
                            std::tuple{golden::DType::kFp32, golden::DType::kInt8, false},
                            std::tuple{golden::DType::kBf16, golden::DType::kFp32, false},
                            std::tuple{golden::DType::kInt8, golden::DType::kInt32, false},
                            std::tuple{golden::DType::kInt32, golden::DType::kFp32, false}}) {
      Dma m{sbuf8, dram32};
      m.src.dtype = s;
      m.dst.dtype = d;
      add(fmt::format("dma_cast_{}_to_{}", golden::dtype_name(s), golden::dtype_name(d)), insn(4, m),
          ok ? ErrorCode::kNone : ErrorCode::kBadOperand, rd32);
    }
    add("dma_psum_fp32_to_dram",
        insn(4, Dma{golden::dram(golden::DType::kFp32, 0x1000, {{16, 1}, {P, 16}}),
                    golden::onchip(Space::kPsum, golden::DType::kFp32, 0, P, 0, {{16, 1}})}),
        ErrorCode::kNone, windows_rw(0x1000, 0x1000 + 64 * P - 1));
    add("dma_size_mismatch", dx([](Dma& d) { d.src.dims[0].count = 15; }), ErrorCode::kShapeMismatch, rd);
    add("dma_transposing_load_pdim0", dx([&](Dma& d) {
          d.dst = golden::onchip_pdim(Space::kSbuf, golden::DType::kInt8, 0, 0,
                                      {Dim{P, 1}, Dim{16, 1}, Dim{1, 0}, Dim{1, 0}}, 0);
          d.src = golden::dram(golden::DType::kInt8, 0x1000, {{P, 1}, {16, Ps}});
        }),
        ErrorCode::kNone, rd);
    add("dma_pdim0_past_P", dx([&](Dma& d) {
          d.dst = golden::onchip_pdim(Space::kSbuf, golden::DType::kInt8, 1, 0,
                                      {Dim{P, 1}, Dim{16, 1}, Dim{1, 0}, Dim{1, 0}}, 0);
          d.src = golden::dram(golden::DType::kInt8, 0x1000, {{P, 1}, {16, Ps}});
        }),
        ErrorCode::kPatternOutOfRange, rd);
    add("dma_pdim1_negative_partition_stride", dx([&](Dma& d) {
          d.dst = golden::onchip_pdim(Space::kSbuf, golden::DType::kInt8, P - 1, 0,
                                      {Dim{16, 1}, Dim{P, -1}, Dim{1, 0}, Dim{1, 0}}, 1);
        }),
        ErrorCode::kNone, rd);
    add("dma_pdim1_negative_partition_stride_below_0", dx([&](Dma& d) {
          d.dst = golden::onchip_pdim(Space::kSbuf, golden::DType::kInt8, P - 2, 0,
                                      {Dim{16, 1}, Dim{P, -1}, Dim{1, 0}, Dim{1, 0}}, 1);
        }),
        ErrorCode::kPatternOutOfRange, rd);
    add("dma_sbuf_fits_end", dx([&](Dma& d) { d.dst.addr = SB - 16; }), ErrorCode::kNone, rd);
    add("dma_sbuf_one_past_end", dx([&](Dma& d) { d.dst.addr = SB - 15; }), ErrorCode::kPatternOutOfRange, rd);
    add("dma_sbuf_addr_above_4G_minus_1", dx([&](Dma& d) { d.dst.addr = 0xFFFFFFF0u; }), ErrorCode::kPatternOutOfRange,
        rd);
    add("dma_zero_counts_both", dx([](Dma& d) { d.dst.dims[1].count = d.src.dims[2].count = 0; }),
        ErrorCode::kPatternOutOfRange, rd);
    add("dma_dram_misaligned", dx([](Dma& d) {
          d.src.dtype = golden::DType::kFp32;
          d.dst.dtype = golden::DType::kBf16;
          d.src.addr = 0x1002;
        }),
        ErrorCode::kPatternOutOfRange, windows_rw(0, 0xFFFFFFFFu));
    // DRAM ranges at 0 and 2^32.
    const std::uint32_t span = 16 * P;
    add("dma_dram_ends_at_4G", dx([&](Dma& d) { d.src.addr = static_cast<std::uint32_t>((1ull << 32) - span); }),
        ErrorCode::kNone, windows_rw(static_cast<std::uint32_t>((1ull << 32) - span), 0xFFFFFFFFu));
    add("dma_dram_one_past_4G", dx([&](Dma& d) { d.src.addr = static_cast<std::uint32_t>((1ull << 32) - span + 1); }),
        ErrorCode::kPatternOutOfRange, windows_rw(0, 0xFFFFFFFFu));
    add("dma_dram_negative_stride_to_0", dx([&](Dma& d) {
          d.src.dims[1].stride = -16;
          d.src.addr = 16 * (P - 1);
        }),
        ErrorCode::kNone, windows_rw(0, span - 1));
    add("dma_dram_negative_stride_below_0", dx([&](Dma& d) {
          d.src.dims[1].stride = -16;
          d.src.addr = 16 * (P - 1) - 1;
        }),
        ErrorCode::kPatternOutOfRange, windows_rw(0, 0xFFFFFFFFu));
    add("dma_dram_max_stride", dx([&](Dma& d) {
          d.src = golden::dram(golden::DType::kInt8, 0, {{16, 1}, {P, 1}, {2, 8388607}});
          d.dst.dims[0].count = 32;
        }),
        ErrorCode::kNone, windows_rw(0, 0xFFFFFFFFu));
    add("dma_dram_min_stride", dx([&](Dma& d) {
          d.src = golden::dram(golden::DType::kInt32, 0xFFFFFFF0u, {{16, 1}, {P, 1}, {256, -8388608}});
          d.dst = golden::onchip(Space::kSbuf, golden::DType::kInt8, 0, P, 0, {{16, 1}, {256, 0}});
        }),
        ErrorCode::kPatternOutOfRange, windows_rw(0, 0xFFFFFFFFu));
    // 64-bit element counts (stride 0): equal, and equal only modulo 2^32 / 2^48.
    auto big = [&](std::array<std::uint32_t, 4> dn, std::array<std::uint32_t, 4> sn) {
      return dx([=](Dma& d) {
        d.dst = golden::dram(golden::DType::kInt8, 0x100, {{dn[0], 0}, {dn[1], 0}, {dn[2], 0}, {dn[3], 0}});
        d.src = golden::dram(golden::DType::kInt8, 0x200, {{sn[0], 0}, {sn[1], 0}, {sn[2], 0}, {sn[3], 0}});
      });
    };
    const golden::Windows all = windows_rw(0, 0xFFFFFFFFu);
    add("dma_size_2^32_equal", big({256, 256, 256, 256}, {16, 4096, 256, 256}), ErrorCode::kNone, all);
    add("dma_size_differs_above_bit_32", big({256, 256, 256, 256}, {256, 256, 256, 512}), ErrorCode::kShapeMismatch,
        all);
    add("dma_size_differs_above_bit_48", big({4096, 4096, 4096, 16}, {4096, 4096, 4096, 32}), ErrorCode::kShapeMismatch,
        all);
    add("dma_size_max_equal", big({65535, 65535, 65535, 65535}, {65535, 65535, 65535, 65535}), ErrorCode::kNone, all);
    add("dma_size_max_differs_by_one_count", big({65535, 65535, 65535, 65535}, {65535, 65535, 65535, 65534}),
        ErrorCode::kShapeMismatch, all);
    // Protection windows.
    golden::Windows w = rd;
    add("dma_window_exact", insn(4, load), ErrorCode::kNone, w);
    w[2].base += 1;
    add("dma_window_misses_first_byte", insn(4, load), ErrorCode::kProtection, w);
    w = rd;
    w[2].limit -= 1;
    add("dma_window_misses_last_byte", insn(4, load), ErrorCode::kProtection, w);
    w = rd;
    w[2].read = false;
    w[2].write = true;
    add("dma_window_write_only_for_a_read", insn(4, load), ErrorCode::kProtection, w);
    w = rd;
    w[2].enable = false;
    add("dma_window_disabled", insn(4, load), ErrorCode::kProtection, w);
    w = rd;
    w[2].limit -= 1;
    w[3] = golden::Window{0x1001, 0x1000 + 16 * P - 1, true, true, false};
    add("dma_two_windows_each_missing_a_byte", insn(4, load), ErrorCode::kProtection, w);
    add("dma_no_windows", insn(4, load), ErrorCode::kProtection, golden::Windows{});
    {
      const Dma store{dram8, sbuf8};
      add("dma_store_read_window", insn(4, store), ErrorCode::kProtection, rd);
      golden::Windows ww = rd;
      ww[2].write = true;
      add("dma_store_rw_window", insn(4, store), ErrorCode::kNone, ww);
      const Dma copy{golden::dram(golden::DType::kInt8, 0x8000, {{16, 1}, {P, 16}}), dram8};
      golden::Windows cw = rd;
      cw[0] = golden::Window{0x8000, 0x8000 + 16 * P - 1, true, false, true};
      add("dma_dram_to_dram_ok", insn(4, copy), ErrorCode::kNone, cw);
      cw[2].enable = false;
      add("dma_dram_to_dram_src_unprotected", insn(4, copy), ErrorCode::kProtection, cw);
      cw = rd;
      add("dma_dram_to_dram_dst_unprotected", insn(4, copy), ErrorCode::kProtection, cw);
    }
    // Precedence.
    add("prec_dram_pstart_and_bad_cast", dx([](Dma& d) {
          d.src.pstart = 3;
          d.src.dtype = golden::DType::kBf16;
        }),
        ErrorCode::kIllegalInstruction, rd);
    add("prec_missing_queue_and_pattern", insn(golden::engine::dma(Q), dx([&](Dma& d) { d.dst.addr = SB; }).op),
        ErrorCode::kIllegalInstruction, rd);
    add("prec_bad_cast_and_size", dx([](Dma& d) {
          d.src.dtype = golden::DType::kBf16;
          d.src.dims[0].count = 3;
        }),
        ErrorCode::kBadOperand, rd);
    add("prec_psum_narrow_and_pattern", dx([&](Dma& d) {
          d.dst.space = Space::kPsum;
          d.dst.addr = SB + 7;
        }),
        ErrorCode::kBadOperand, rd);
    add("prec_size_and_pattern", dx([&](Dma& d) {
          d.src.dims[0].count = 15;
          d.dst.addr = SB;
        }),
        ErrorCode::kShapeMismatch, rd);
    add_raw("prec_reserved_bit_and_protection", words(insn(4, load), 8, 0, 1u << 31), ErrorCode::kIllegalInstruction,
            golden::Windows{});
    add("prec_bad_cast_and_protection", dx([](Dma& d) { d.src.dtype = golden::DType::kFp8; }), ErrorCode::kBadOperand,
        golden::Windows{});
    add("prec_size_and_protection", dx([](Dma& d) { d.dst.dims[0].count = 8; }), ErrorCode::kShapeMismatch,
        golden::Windows{});
    add("prec_pattern_and_protection", dx([&](Dma& d) { d.dst.addr = SB; }), ErrorCode::kPatternOutOfRange,
        golden::Windows{});
    add("prec_src_pattern_and_dst_protection", dx([&](Dma& d) {
          d.dst = golden::dram(golden::DType::kInt8, 0x1000, {{16, 1}, {P, 16}});
          d.src = golden::onchip(Space::kSbuf, golden::DType::kInt8, 0, P, SB, {{16, 1}});
        }),
        ErrorCode::kPatternOutOfRange, golden::Windows{});
    return std::move(list_);
  }
};

}  // namespace systole::verif::seq
