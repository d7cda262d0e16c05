/// decode_check: the sequencer's decoder and static checker (isa.md section 6, docs/chip.md
/// section 4). For each instruction it reports the first static error in precedence order,
/// ILLEGAL_INSTRUCTION > BAD_OPERAND > SHAPE_MISMATCH > PATTERN_OUT_OF_RANGE > PROTECTION, or 0,
/// exactly as the golden model's decode() + validate() with Config::vector_engine = HasVector:
/// NOP, END, MATMUL and DMA are checked in full, and with HasVector the vector instructions
/// (0x20..0x27, field checks in decode_vec) and NOP on engine VEC; without it (the chip until the
/// vector engine exists) vector opcodes and anything naming engine VEC are ILLEGAL_INSTRUCTION, as
/// are unknown opcodes. Within one of those steps every failing check gives the same code, so each
/// step is an OR of its checks.
///
/// Handshakes (valid/ready; payload stable while valid && !ready; valid never from ready):
///   in  : the 16 words of one instruction. They are read in place over the check's steps
///         (no 512-bit copy): in_ready_o rises in the step that produces the result, and the
///         protection windows must be stable meanwhile (csr.md: window writes are ignored while
///         BUSY). Assertions check both.
///   out : the error code and engine (the header's `engine`) of each instruction, in order, from
///         a register.
/// Latency from in_valid_i to out_valid_o: 1 cycle (NOP, END, any other opcode; vector opcodes
/// without HasVector), 4 (MATMUL; every vector opcode with HasVector), 5 (DMA). Throughput: one
/// instruction every max(latency, 2) cycles; a step that waits for the output register to drain
/// holds everything else.
///
/// Arithmetic: four shared multipliers (unsigned 16 x signed 25 bits), one per pattern dim,
/// reused in every step; range sums and compares in pattern_range. Steps:
///   MATMUL 0..2: range of out / stationary / moving (multipliers 0..2) and that TAP's n0*n1
///                (multiplier 3);
///          3   : (n0*n1)*n2 of the three TAPs (exact 36-bit free sizes) -> SHAPE; result.
///   vector 0..3: the same on the TAPs at w4 / w8 / w12 (out, in0 or in, in1 or mask), the range
///                of a slot without a TAP ignored; in step 3 multiplier 3 makes n1*n2 of the TAP
///                at w8 (TENSOR_REDUCE's kept inputs). CAP ranges need no multiplier.
///   DMA    0..1: range of dst / src; a DRAM range is kept for the next step's protection check;
///          2   : n0*n1 and n2*n3 of dst and src; protection of src;
///          3..4: size of dst, then src, as four 16 x 24-bit partial products -> SHAPE; result.
/// The exact 64-bit DMA sizes are what golden compares (dst.size() != src.size()).
/// Area: the four multipliers dominate; each is a 17 x 25-bit signed product (the size of one
/// xc7 DSP48E1 multiplier). In iCE40 LUTs (no DSP is left beside the tiny array) yosys 0.23
/// makes ~1100 LUT4s of each: the whole block is ~8.1k LUT4s for tiny (synth_ice40). HasVector
/// adds decode_vec (~470 LUT4s and 160 SB_CARRY synthesized alone for fpga); inside the block
/// the LUT4 count stayed within abc's run-to-run spread (fpga: ~8.1k LUT4s with and without,
/// +150 SB_CARRY; synth_xilinx ~4.4k LUTs either way).
`include "systole_assert.svh"

module decode_check #(
  parameter int Partitions = 16,
  parameter int Columns    = 16,
  parameter int Nmax       = 512,
  parameter int SbufBytes  = 65536,
  parameter int PsumBytes  = 8192,
  parameter int EnableInt8 = 1,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int DmaQueues  = 4,
  // 1: the vector engine is present (engine VEC, vector instructions checked); 0: it is absent.
  parameter int HasVector  = 0
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  // Instruction in: word i (isa.md w0..w15) at [32*i +: 32] (the views of isa_pkg).
  input  logic         in_valid_i,
  output logic         in_ready_o,
  input  logic [isa_pkg::INSN_BITS-1:0] in_words_i,
  // DRAM protection windows (csr.md section 5): window i at [32*i +: 32] and
  // [3*i +: 3] = {WRITE, READ, EN}.
  input  logic [127:0] win_base_i,
  input  logic [127:0] win_limit_i,
  input  logic [11:0]  win_ctrl_i,
  // Result: error code (isa.md section 5, 0 = OK) and the engine it is dispatched to.
  output logic         out_valid_o,
  input  logic         out_ready_i,
  output logic [7:0]   out_code_o,
  output logic [3:0]   out_engine_o
);

  localparam int NW = seq_pkg::NUM_WINDOWS;

  // ---- fields -------------------------------------------------------------------------------
  // The words seen as any instruction, as a MATMUL and as a DMA (isa_pkg views). A vector
  // instruction's TAPs are at the words of MATMUL's: out, stat = in0 / in, mov = in1 / mask.
  isa_pkg::insn_t        insn;
  isa_pkg::matmul_insn_t mm;
  isa_pkg::dma_insn_t    dma;
  isa_pkg::hdr_t         hdr;
  isa_pkg::tap_t         out_t, stat_t, mov_t;  // MATMUL operands
  isa_pkg::dap_t         dst_d, src_d;          // DMA operands

  assign insn   = in_words_i;
  assign mm     = in_words_i;
  assign dma    = in_words_i;
  assign hdr    = insn.head.hdr;
  assign out_t  = mm.out;
  assign stat_t = mm.stat;
  assign mov_t  = mm.mov;
  assign dst_d  = dma.dst;
  assign src_d  = dma.src;
  // The head is read through `insn`; MATMUL's start bit has no static check.
  logic unused_views;
  assign unused_views = ^{mm.head, mm.start, dma.head};

  // ---- checks on fields alone: steps 1-3 (and MATMUL's partition-count shapes) ---------------
  logic op_nop, op_end, op_mm, op_dma, op_vec;
  logic eng_dma, eng_ok, hdr_bad;
  logic ill, ill_mm, ill_dma, bad, te_ok, shape_fields;
  // The vector field checks (decode_vec), and the free sizes it compares (below).
  logic        vec_any, vec_ill, vec_bad, vec_shape, vec_cap_pat;
  logic [2:0]  vec_taps;
  logic [35:0] fs_out, fs_stat, fs_mov;

  always_comb begin
    op_nop  = hdr.opcode == isa_pkg::OP_NOP;
    op_end  = hdr.opcode == isa_pkg::OP_END;
    op_mm   = hdr.opcode == isa_pkg::OP_MATMUL;
    op_dma  = hdr.opcode == isa_pkg::OP_DMA;
    op_vec  = (HasVector != 0) && vec_any;

    // A NOP may run on SEQ, the tensor engine, an existing DMA queue or, when present, VEC.
    eng_dma = (hdr.engine >= isa_pkg::ENG_DMA0)
           && ({1'b0, hdr.engine} < {1'b0, isa_pkg::ENG_DMA0} + 5'(DmaQueues));
    eng_ok  = (op_nop && ((hdr.engine == isa_pkg::ENG_SEQ) || (hdr.engine == isa_pkg::ENG_TENSOR) || eng_dma
                          || ((HasVector != 0) && (hdr.engine == isa_pkg::ENG_VEC))))
           || (op_end && (hdr.engine == isa_pkg::ENG_SEQ))
           || (op_mm  && (hdr.engine == isa_pkg::ENG_TENSOR))
           || (op_dma && eng_dma)
           || (op_vec && (hdr.engine == isa_pkg::ENG_VEC));
    // Semaphore ids < 32; wait/signal fields zero when not enabled.
    hdr_bad = (hdr.rsv != 2'd0) || (hdr.wait_sem[7:5] != 3'd0) || (hdr.signal_sem[7:5] != 3'd0)
           || (!hdr.wait_en && ((hdr.wait_sem != 8'd0) || (insn.head.wait_value != 32'd0)))
           || (!hdr.signal_en && (hdr.signal_sem != 8'd0));

    // Operands: required, with a defined dtype; reserved bits zero; a DRAM DAP without pstart
    // or pdim_sel (the first checks of golden validate()'s DMA branch, also ILLEGAL).
    ill_mm  = (mm.rsv2 != 31'd0) || (mm.rsv3 != 32'd0)
           || isa_pkg::operand_illegal(out_t.space, out_t.dtype) || (out_t.rsv != 4'd0)
           || isa_pkg::operand_illegal(stat_t.space, stat_t.dtype) || (stat_t.rsv != 4'd0)
           || isa_pkg::operand_illegal(mov_t.space, mov_t.dtype) || (mov_t.rsv != 4'd0);
    ill_dma = isa_pkg::operand_illegal(dst_d.space, dst_d.dtype) || (dst_d.rsv5 != 8'd0) || (dst_d.rsv6 != 8'd0)
           || isa_pkg::operand_illegal(src_d.space, src_d.dtype) || (src_d.rsv5 != 8'd0) || (src_d.rsv6 != 8'd0)
           || ((dst_d.space == isa_pkg::SP_DRAM) && ((dst_d.pstart != 8'd0) || (dst_d.pdim_sel != 2'd0)))
           || ((src_d.space == isa_pkg::SP_DRAM) && ((src_d.pstart != 8'd0) || (src_d.pdim_sel != 2'd0)));
    ill = !(op_nop || op_end || op_mm || op_dma || op_vec) || !eng_ok || hdr_bad
       || ((op_nop || op_end) && (insn.args != '0))
       || (op_end && hdr.signal_en) || (op_mm && ill_mm) || (op_dma && ill_dma) || (op_vec && vec_ill);

    te_ok = ((mov_t.dtype == isa_pkg::DT_INT8) && (EnableInt8 != 0))
         || ((mov_t.dtype == isa_pkg::DT_BF16) && (EnableBf16 != 0))
         || ((mov_t.dtype == isa_pkg::DT_FP8)  && (EnableFp8 != 0));
    if (op_mm) begin
      bad = (out_t.space != isa_pkg::SP_PSUM) || (stat_t.space != isa_pkg::SP_SBUF)
         || (mov_t.space != isa_pkg::SP_SBUF) || (stat_t.dtype != mov_t.dtype) || !te_ok
         || (out_t.dtype != ((mov_t.dtype == isa_pkg::DT_INT8) ? isa_pkg::DT_INT32 : isa_pkg::DT_FP32));
    end else if (op_dma) begin
      bad = isa_pkg::psum_narrow(dst_d.space, dst_d.dtype) || isa_pkg::psum_narrow(src_d.space, src_d.dtype)
         || !isa_pkg::dma_cast_ok(src_d.dtype, dst_d.dtype);
    end else begin
      bad = vec_bad;
    end
    shape_fields = (stat_t.pstart != mov_t.pstart) || (stat_t.pcount != mov_t.pcount)
                || ({24'd0, mov_t.pcount} > 32'(Partitions));
  end

  // ---- steps --------------------------------------------------------------------------------
  logic [2:0]          step_q, step_d, last_step;
  seq_pkg::mul_mode_e  mode;
  logic                advance, fire;
  logic                out_valid_q;

  always_comb begin
    last_step = (op_mm || op_vec) ? 3'd3 : op_dma ? 3'd4 : 3'd0;
    if ((op_mm || op_vec) && (step_q == 3'd3)) begin
      mode = seq_pkg::MUL_FREE;
    end else if (op_dma && (step_q == 3'd2)) begin
      mode = seq_pkg::MUL_SIZE1;
    end else if (op_dma && (step_q >= 3'd3)) begin
      mode = seq_pkg::MUL_SIZE2;
    end else begin
      mode = seq_pkg::MUL_RANGE;
    end
  end

  assign in_ready_o = (step_q == last_step) && !out_valid_q;
  assign fire       = in_valid_i && in_ready_o;
  assign advance    = in_valid_i && ((step_q != last_step) || !out_valid_q);
  assign step_d     = !advance ? step_q : (step_q == last_step) ? 3'd0 : step_q + 3'd1;

  // ---- shared multipliers -------------------------------------------------------------------
  seq_pkg::pat_t         pat;      // the pattern of a MUL_RANGE step, and its strides
  logic [95:0]           pat_str;
  // The selected operand; its reserved fields were checked above, not here.
  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::tap_t         tap_sel;
  isa_pkg::dap_t         dap_sel;
  /* verilator lint_on UNUSEDSIGNAL */
  // Flat vectors, element i at [width*i +: width] (yosys 0.23 cannot range-select an element of
  // a 2-D packed array).
  localparam int MA = seq_pkg::MUL_A;
  localparam int MB = seq_pkg::MUL_B;
  localparam int MP = seq_pkg::MUL_P;
  logic [4*32-1:0]       hold_q, hold_d;  // n0*n1 of the TAPs; n0*n1, n2*n3 of the DAPs
  logic [4*MA-1:0]       mul_a;
  logic [4*MB-1:0]       mul_b;
  logic [4*MP-1:0]       mul_p;

  always_comb begin
    unique case (step_q[1:0])
      2'd0:    tap_sel = out_t;
      2'd1:    tap_sel = stat_t;
      default: tap_sel = mov_t;
    endcase
    dap_sel = step_q[0] ? src_d : dst_d;
    if (op_dma) begin
      pat.is_tap = 1'b0;
      pat.space  = dap_sel.space;
      pat.dtype  = dap_sel.dtype;
      pat.pdim   = ~dap_sel.pdim_sel;  // 3 - pdim_sel
      pat.pstart = dap_sel.pstart;
      pat.pcount = 8'd0;
      pat.base   = dap_sel.addr;
      pat.cnt    = {dap_sel.n3, dap_sel.n2, dap_sel.n1, dap_sel.n0};
      pat_str    = {dap_sel.s3, dap_sel.s2, dap_sel.s1, dap_sel.s0};
    end else begin
      pat.is_tap = 1'b1;
      pat.space  = tap_sel.space;
      pat.dtype  = tap_sel.dtype;
      pat.pdim   = 2'd3;
      pat.pstart = tap_sel.pstart;
      pat.pcount = tap_sel.pcount;
      pat.base   = {14'd0, tap_sel.offset};
      pat.cnt    = {16'd1, 4'd0, tap_sel.n2, 4'd0, tap_sel.n1, 4'd0, tap_sel.n0};
      pat_str    = {24'd0, {8{tap_sel.s2[15]}}, tap_sel.s2, {8{tap_sel.s1[15]}}, tap_sel.s1,
                    {8{tap_sel.s0[15]}}, tap_sel.s0};
    end
  end

  always_comb begin
    for (int i = 0; i < 4; i++) begin
      mul_a[MA*i +: MA] = pat.cnt[16*i +: 16] - 16'd1;
      mul_b[MB*i +: MB] = {pat_str[24*i + 23], pat_str[24*i +: 24]};
    end
    unique case (mode)
      seq_pkg::MUL_RANGE: begin
        if (pat.is_tap) begin  // a TAP has three dims: multiplier 3 starts its free size
          mul_a[MA*3 +: MA] = pat.cnt[15:0];
          mul_b[MB*3 +: MB] = {9'd0, pat.cnt[31:16]};
        end
      end
      seq_pkg::MUL_FREE: begin
        mul_a[0 +: MA] = {4'd0, out_t.n2};
        mul_b[0 +: MB] = {1'b0, hold_q[0 +: 24]};
        mul_a[MA*1 +: MA] = {4'd0, stat_t.n2};
        mul_b[MB*1 +: MB] = {1'b0, hold_q[32*1 +: 24]};
        mul_a[MA*2 +: MA] = {4'd0, mov_t.n2};
        mul_b[MB*2 +: MB] = {1'b0, hold_q[32*2 +: 24]};
        // n1*n2 of the TAP at w8 (TENSOR_REDUCE); idle without the vector engine.
        mul_a[MA*3 +: MA] = (HasVector != 0) ? {4'd0, stat_t.n1} : 16'd0;
        mul_b[MB*3 +: MB] = (HasVector != 0) ? {13'd0, stat_t.n2} : 25'd0;
      end
      seq_pkg::MUL_SIZE1: begin
        mul_a[0 +: MA] = dst_d.n0;
        mul_b[0 +: MB] = {9'd0, dst_d.n1};
        mul_a[MA*1 +: MA] = dst_d.n2;
        mul_b[MB*1 +: MB] = {9'd0, dst_d.n3};
        mul_a[MA*2 +: MA] = src_d.n0;
        mul_b[MB*2 +: MB] = {9'd0, src_d.n1};
        mul_a[MA*3 +: MA] = src_d.n2;
        mul_b[MB*3 +: MB] = {9'd0, src_d.n3};
      end
      default: begin  // MUL_SIZE2: A * B with A = hold_q[31:0], B = hold_q[63:32]
        mul_a[0 +: MA]    = hold_q[47:32];
        mul_b[0 +: MB]    = {1'b0, hold_q[23:0]};
        mul_a[MA*1 +: MA] = hold_q[47:32];
        mul_b[MB*1 +: MB] = {17'd0, hold_q[31:24]};
        mul_a[MA*2 +: MA] = hold_q[63:48];
        mul_b[MB*2 +: MB] = {1'b0, hold_q[23:0]};
        mul_a[MA*3 +: MA] = hold_q[63:48];
        mul_b[MB*3 +: MB] = {17'd0, hold_q[31:24]};
      end
    endcase
  end

  for (genvar i = 0; i < 4; i++) begin : gen_mul
    // Operands extended to the product width so that both tools multiply exactly the same way;
    // the product of a 17-bit and a 25-bit signed value fits in 41 bits.
    logic signed [seq_pkg::MUL_P-1:0] a_s, b_s, p_s;
    assign a_s = {{(MP - MA){1'b0}}, mul_a[MA*i +: MA]};
    assign b_s = {{(MP - MB){mul_b[MB*i + MB-1]}}, mul_b[MB*i +: MB]};
    assign p_s      = a_s * b_s;
    assign mul_p[MP*i +: MP] = p_s;
  end

  // ---- results of a step --------------------------------------------------------------------
  logic        range_bad, range_dram;
  logic [31:0] range_lo, range_hi;

  pattern_range #(
    .Partitions(Partitions),
    .SbufBytes (SbufBytes),
    .PsumBytes (PsumBytes)
  ) u_range (
    .pat_i (pat),
    .ext_i (mul_p),
    .bad_o (range_bad),
    .dram_o(range_dram),
    .lo_o  (range_lo),
    .hi_o  (range_hi)
  );

  // The free sizes of MUL_FREE (outside the always_comb below, which also reads decode_vec's
  // shape result: one block would be a combinational loop to Verilator).
  assign fs_out   = mul_p[0 +: 36];
  assign fs_stat  = mul_p[MP*1 +: 36];
  assign fs_mov   = mul_p[MP*2 +: 36];

  // Without a vector engine decode_vec is not built: its outputs are constants (no vector
  // instruction), so neither synthesis nor the Verilated model carries its checks.
  if (HasVector != 0) begin : gen_vec
    logic [23:0] stat_n12;
    assign stat_n12 = mul_p[MP*3 +: 24];
    decode_vec #(
      .Partitions(Partitions),
      .SbufBytes (SbufBytes),
      .PsumBytes (PsumBytes)
    ) u_vec (
      .words_i  (in_words_i),
      .fs_out_i (fs_out),
      .fs_in0_i (fs_stat),
      .fs_in1_i (fs_mov),
      .in0_n12_i(stat_n12),
      .vec_o    (vec_any),
      .taps_o   (vec_taps),
      .ill_o    (vec_ill),
      .bad_o    (vec_bad),
      .shape_o  (vec_shape),
      .cap_pat_o(vec_cap_pat)
    );
  end else begin : gen_no_vec
    assign vec_any     = 1'b0;
    assign vec_taps    = '0;
    assign vec_ill     = 1'b0;
    assign vec_bad     = 1'b0;
    assign vec_shape   = 1'b0;
    assign vec_cap_pat = 1'b0;
  end

  // t_q: the DRAM byte range {hi, lo} of the DAP checked in the previous step (its protection
  // is checked in this one, tchk_q says whether it is DRAM); in DMA step 4, dst's size.
  logic [63:0] t_q, t_d, size;
  logic        tchk_q, tchk_d, win_hit;
  logic        pat_q, pat_d, prot_q, prot_d;
  logic        shape;
  logic [7:0]  code;

  always_comb begin
    // Protection: the whole range inside one enabled window with the permission (write for
    // dst, checked in step 1; read for src, in step 2).
    win_hit = 1'b0;
    for (int w = 0; w < NW; w++) begin
      if (win_ctrl_i[3*w] && ((step_q == 3'd1) ? win_ctrl_i[3*w+2] : win_ctrl_i[3*w+1])
          && (t_q[31:0] >= win_base_i[32*w +: 32]) && (t_q[63:32] <= win_limit_i[32*w +: 32])) begin
        win_hit = 1'b1;
      end
    end

    // A * B = B[15:0]*A[23:0] + B[15:0]*A[31:24]<<24 + B[31:16]*A[23:0]<<16 + B[31:16]*A[31:24]<<40.
    size = {24'd0, mul_p[0 +: 40]} + {16'd0, mul_p[MP*1 +: 24], 24'd0}
         + {8'd0, mul_p[MP*2 +: 40], 16'd0} + {mul_p[MP*3 +: 24], 40'd0};

    // Next state of the per-instruction registers (taken only when the step advances).
    pat_d  = (step_q == 3'd0) ? 1'b0 : pat_q;
    prot_d = (step_q == 3'd0) ? 1'b0 : prot_q;
    tchk_d = tchk_q;
    t_d    = t_q;
    hold_d = hold_q;
    // A vector instruction's slot without a TAP (vec_taps) has no range.
    if (mode == seq_pkg::MUL_RANGE) pat_d = pat_d || (range_bad && (!op_vec || vec_taps[step_q[1:0]]));
    if (op_dma && ((step_q == 3'd1) || (step_q == 3'd2)) && tchk_q && !win_hit) prot_d = 1'b1;
    if (op_dma && (step_q <= 3'd1)) begin
      t_d    = {range_hi, range_lo};
      tchk_d = range_dram;
    end
    for (int i = 0; i < 3; i++) begin
      if ((op_mm || op_vec) && (step_q == 3'(i))) hold_d[32*i +: 32] = {8'd0, mul_p[MP*3 +: 24]};
    end
    if (mode == seq_pkg::MUL_SIZE1) begin
      for (int i = 0; i < 4; i++) hold_d[32*i +: 32] = mul_p[MP*i +: 32];
    end
    if (op_dma && (step_q == 3'd3)) begin
      t_d       = size;
      hold_d[0 +: 32] = hold_q[32*2 +: 32];
      hold_d[32*1 +: 32] = hold_q[32*3 +: 32];
    end

    // The result, in the last step.
    if (op_mm) begin
      shape = shape_fields || (fs_stat > 36'(Columns)) || (fs_mov > 36'(Nmax))
           || ({28'd0, out_t.pcount} != fs_stat) || (fs_out != fs_mov);
    end else if (op_vec) begin
      shape = vec_shape;
    end else begin
      shape = size != t_q;
    end
    code = isa_pkg::ERR_NONE;
    if (ill) begin
      code = isa_pkg::ERR_ILLEGAL;
    end else if (op_mm || op_dma || op_vec) begin
      if (bad) begin
        code = isa_pkg::ERR_BAD_OPND;
      end else if (shape) begin
        code = isa_pkg::ERR_SHAPE;
      end else if (pat_q || (op_vec && vec_cap_pat)) begin
        code = isa_pkg::ERR_PATTERN;
      end else if (prot_q) begin
        code = isa_pkg::ERR_PROTECTION;
      end
    end
  end

  // ---- registers ----------------------------------------------------------------------------
  logic [7:0] out_code_q;
  logic [3:0] out_engine_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      step_q <= '0;
      pat_q  <= 1'b0;
      prot_q <= 1'b0;
      tchk_q <= 1'b0;
      t_q    <= '0;
      hold_q <= '0;
    end else if (advance) begin
      step_q <= step_d;
      pat_q  <= pat_d;
      prot_q <= prot_d;
      tchk_q <= tchk_d;
      t_q    <= t_d;
      hold_q <= hold_d;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_valid_q  <= 1'b0;
      out_code_q   <= '0;
      out_engine_q <= '0;
    end else if (fire) begin
      out_valid_q  <= 1'b1;
      out_code_q   <= code;
      out_engine_q <= hdr.engine;
    end else if (out_ready_i) begin
      out_valid_q  <= 1'b0;
    end
  end

  assign out_valid_o  = out_valid_q;
  assign out_code_o   = out_code_q;
  assign out_engine_o = out_engine_q;

  // ---- assertions ---------------------------------------------------------------------------
  // The words and windows are read in place: the producer must hold them.
  `ASSERT(in_valid_held, in_valid_i && !in_ready_o |=> in_valid_i)
  `ASSERT_STABLE(in_words_stable, in_valid_i && !in_ready_o, in_words_i)
  `ASSERT_STABLE(win_stable, in_valid_i && !in_ready_o, {win_base_i, win_limit_i, win_ctrl_i})
  `ASSERT(out_valid_held, out_valid_o && !out_ready_i |=> out_valid_o)
  `ASSERT_STABLE(out_stable, out_valid_o && !out_ready_i, {out_code_o, out_engine_o})
  `ASSERT(step_idle, !in_valid_i |-> step_q == 3'd0)
  `ASSERT(step_bound, in_valid_i |-> step_q <= last_step)
  `ASSERT_KNOWN(out_known, {out_valid_o, out_code_o, out_engine_o})

endmodule
