/// decode_vec: the field checks of the vector instructions (isa.md section 4, opcodes 0x20..0x27)
/// for decode_check, exactly as the golden model's decode() (after the header) and validate()
/// with the vector engine present. Combinational; each output is an OR of its checks:
///   ill_o     ILLEGAL_INSTRUCTION: reserved bits and words zero, required TAPs present with a
///             defined dtype, op / func / nred codes, an immediate or CAP given with its
///             alternative, integer and float ops mixed (TENSOR_SCALAR), a table slot without
///             TABLE, the acc op without the acc CAP or the other way round (ACTIVATE);
///   bad_o     BAD_OPERAND: TAPs and selected CAPs in SBUF or PSUM (PSUM only 32-bit), integer
///             ops on int8/int32 only, TABLE_LOAD from SBUF fp32;
///   shape_o   SHAPE_MISMATCH: pcount and free size of every TAP equal to out's, TENSOR_REDUCE's
///             out free size = the product of the input counts not reduced, TABLE_LOAD pcount 1;
///   cap_pat_o PATTERN_OUT_OF_RANGE of the selected CAPs: offset aligned to the dtype, partitions
///             pstart .. pstart + out.pcount - 1 inside [0, Partitions), the element inside the
///             partition of its space.
/// The TAPs' own pattern ranges are decode_check's (pattern_range, shared multipliers): taps_o
/// says which of w4 (out), w8 (in0 / in), w12 (in1 / mask) hold a TAP whose range counts. The free
/// sizes come from the same multipliers; shape_o is meaningful only in the step that has them.
module decode_vec #(
  parameter int Partitions = 16,
  parameter int SbufBytes  = 65536,
  parameter int PsumBytes  = 8192
) (
  // The instruction (word i at [32*i +: 32]).
  input  logic [isa_pkg::INSN_BITS-1:0] words_i,
  // n0*n1*n2 of the TAPs at w4, w8, w12 and n1*n2 of the one at w8 (exact).
  input  logic [35:0]                   fs_out_i,
  input  logic [35:0]                   fs_in0_i,
  input  logic [35:0]                   fs_in1_i,
  input  logic [23:0]                   in0_n12_i,
  // A vector opcode, and the TAP slots it uses ([0] w4, [1] w8, [2] w12).
  output logic                          vec_o,
  output logic [2:0]                    taps_o,
  // The checks (meaningful when vec_o).
  output logic                          ill_o,
  output logic                          bad_o,
  output logic                          shape_o,
  output logic                          cap_pat_o
);

  // ---- views ---------------------------------------------------------------------------------
  isa_pkg::vec_insn_t    vi;
  isa_pkg::vec_sc_insn_t vs;
  isa_pkg::vec_alu_ctl_t alu;
  isa_pkg::vec_ts_ctl_t  ts;
  isa_pkg::vec_act_ctl_t act;
  isa_pkg::vec_tl_ctl_t  tl;
  isa_pkg::tap_t         out_t, in_t, in1_t;
  isa_pkg::cap_t         col0, col1, acc_c;
  isa_pkg::hdr_t         hdr;

  assign vi    = words_i;
  assign vs    = words_i;
  assign alu   = vi.ctl;
  assign ts    = vi.ctl;
  assign act   = vi.ctl;
  assign tl    = vi.ctl;
  assign out_t = vi.out;
  assign in_t  = vi.in0;
  assign in1_t = vi.in1;
  assign col0  = vs.sc.col0;
  assign col1  = vs.sc.col1;
  assign acc_c = vs.sc.acc;
  assign hdr   = vi.head.hdr;
  // The header is decode_check's; w0..w11 are read through vi; the rev bits and the table slots
  // have no static check.
  logic unused_views;
  assign unused_views = ^{vi.head.wait_value, hdr.engine, hdr.wait_en, hdr.signal_en, hdr.rsv,
                          hdr.wait_sem, hdr.signal_sem, vs.rest, ts.rev0, ts.rev1, tl.slot};

  // ---- helpers (fields, not views: see isa_pkg) ----------------------------------------------
  // A required TAP: present, defined dtype, reserved bits zero.
  function automatic logic tap_ill(logic [1:0] space, logic [3:0] dt, logic [3:0] rsv);
    tap_ill = isa_pkg::operand_illegal(space, dt) || (rsv != 4'd0);
  endfunction

  // An immediate / CAP pair: with `col` the immediate word is 0 and the CAP present with a defined
  // dtype; without, the CAP word is 0.
  function automatic logic scalar_ill(logic col, logic [31:0] imm, logic [1:0] space, logic [3:0] dt,
                                      logic cap_zero);
    scalar_ill = col ? ((imm != 32'd0) || isa_pkg::operand_illegal(space, dt)) : !cap_zero;
  endfunction

  // Operand kind of a TAP or CAP: SBUF, or PSUM with a 32-bit dtype.
  function automatic logic kind_bad(logic [1:0] space, logic [3:0] dt);
    kind_bad = ((space != isa_pkg::SP_SBUF) && (space != isa_pkg::SP_PSUM))
            || isa_pkg::psum_narrow(space, dt);
  endfunction

  // Pattern of a CAP over `lanes` lanes (golden cap_pattern).
  function automatic logic cap_range_bad(logic [1:0] space, logic [3:0] dt, logic [7:0] pstart,
                                         logic [17:0] offset, logic [7:0] lanes);
    logic [1:0]  sh;
    logic [19:0] end_b;  // one past the element's last byte
    sh    = isa_pkg::dtype_size_lg(dt);
    end_b = {2'd0, offset} + (20'd1 << sh);
    cap_range_bad = ((sh == 2'd1) && offset[0]) || ((sh == 2'd2) && (offset[1:0] != 2'd0))
                 || (({1'b0, pstart} + {1'b0, lanes}) > 9'(Partitions))
                 || (end_b > ((space == isa_pkg::SP_PSUM) ? 20'(PsumBytes) : 20'(SbufBytes)));
  endfunction

  // ---- checks --------------------------------------------------------------------------------
  logic op_tt, op_ts, op_tr, op_cp, op_io, op_se, op_ac, op_tl;
  logic int0, int1, acc_on, col0_on, col1_on;
  logic ill_tt, ill_ts, ill_tr, ill_io, ill_ac, ill_tl, ill_two;
  logic int_bad, cap_bad, lanes_ne, free_ne;
  logic [23:0] kept;

  always_comb begin
    op_tt = hdr.opcode == isa_pkg::OP_TENSOR_TENSOR;
    op_ts = hdr.opcode == isa_pkg::OP_TENSOR_SCALAR;
    op_tr = hdr.opcode == isa_pkg::OP_TENSOR_REDUCE;
    op_cp = hdr.opcode == isa_pkg::OP_COPY;
    op_io = hdr.opcode == isa_pkg::OP_IOTA;
    op_se = hdr.opcode == isa_pkg::OP_SELECT;
    op_ac = hdr.opcode == isa_pkg::OP_ACTIVATE;
    op_tl = hdr.opcode == isa_pkg::OP_TABLE_LOAD;
    vec_o  = op_tt || op_ts || op_tr || op_cp || op_io || op_se || op_ac || op_tl;
    taps_o = {op_tt || op_se, !op_io, !op_tl};

    // The checks only for a vector instruction (decode_check reads them only then); the
    // Verilated model skips them for every other instruction at decode (simulation speed).
    {int0, int1, col0_on, col1_on, acc_on} = '0;
    {ill_tt, ill_ts, ill_tr, ill_io, ill_ac, ill_tl, ill_two} = '0;
    {int_bad, cap_bad} = '0;
    ill_o     = 1'b0;
    bad_o     = 1'b0;
    cap_pat_o = 1'b0;
    if (vec_o) begin
      // TENSOR_SCALAR: both ops integer (op1 may be BYPASS then) or neither.
      int0 = isa_pkg::alu_is_integer(ts.op0);
      int1 = isa_pkg::alu_is_integer(ts.op1) || ((ts.op1 == isa_pkg::ALU_BYPASS) && int0);
      // The CAPs in use: TENSOR_SCALAR s0 / s1, ACTIVATE scale / bias (the same bits) and acc.
      col0_on = op_ts ? ts.s0_col : act.scale_col;
      col1_on = op_ts ? ts.s1_col : act.bias_col;
      acc_on  = op_ac && (acc_c.space != isa_pkg::SP_NONE);

      // ILLEGAL_INSTRUCTION, per format. Every opcode's out TAP but TABLE_LOAD's is required; in0 / in
      // is required but for IOTA (zero there). ill_two: out and in0 / in required, w3 zero (the
      // formats without an immediate).
      ill_two = tap_ill(out_t.space, out_t.dtype, out_t.rsv) || tap_ill(in_t.space, in_t.dtype, in_t.rsv)
             || (vi.imm != 32'd0);
      ill_tt  = ill_two || (alu.rsv != 26'd0) || (alu.nred != 2'd0) || (alu.op == 4'd14)
             || (alu.op == isa_pkg::ALU_BYPASS) || tap_ill(in1_t.space, in1_t.dtype, in1_t.rsv);
      ill_ts  = tap_ill(out_t.space, out_t.dtype, out_t.rsv) || tap_ill(in_t.space, in_t.dtype, in_t.rsv)
             || (ts.rsv != 20'd0) || (ts.op0 == 4'd14) || (ts.op1 == 4'd14) || (ts.op0 == isa_pkg::ALU_BYPASS)
             || (int0 != int1) || (acc_c != '0)  // w15 reserved
             || scalar_ill(ts.s0_col, vi.imm, col0.space, col0.dtype, col0 == '0)
             || scalar_ill(ts.s1_col, vs.sc.imm1, col1.space, col1.dtype, col1 == '0);
      ill_tr  = ill_two || (alu.rsv != 26'd0) || (alu.nred == 2'd0) || (in1_t != '0)
             || !((alu.op == isa_pkg::ALU_ADD) || (alu.op == isa_pkg::ALU_MAX) || (alu.op == isa_pkg::ALU_MIN));
      ill_io  = tap_ill(out_t.space, out_t.dtype, out_t.rsv) || (vi.ctl != 32'd0) || (in_t != '0)
             || (col1 != '0) || (acc_c != '0);
      ill_ac  = tap_ill(out_t.space, out_t.dtype, out_t.rsv) || tap_ill(in_t.space, in_t.dtype, in_t.rsv)
             || (act.rsv != 22'd0) || (act.func > isa_pkg::ACT_LOG)
             || ((act.func != isa_pkg::ACT_TABLE) && (act.slot != 2'd0))
             || scalar_ill(act.scale_col, vi.imm, col0.space, col0.dtype, col0 == '0)
             || scalar_ill(act.bias_col, vs.sc.imm1, col1.space, col1.dtype, col1 == '0)
             || (acc_on ? !isa_pkg::dtype_valid(acc_c.dtype) : (acc_c != '0))
             || ((act.acc != isa_pkg::ACC_NONE) != acc_on);
      ill_tl  = tap_ill(in_t.space, in_t.dtype, in_t.rsv) || (tl.rsv != 30'd0) || (vi.imm != 32'd0)
             || (out_t != '0) || (in1_t != '0);
      ill_o = (op_tt && ill_tt) || (op_ts && ill_ts) || (op_tr && ill_tr) || (op_io && ill_io)
           || (op_ac && ill_ac) || (op_tl && ill_tl)
           || ((op_cp || op_se) && (ill_two || (vi.ctl != 32'd0)))
           || (op_cp && (in1_t != '0))
           || (op_se && tap_ill(in1_t.space, in1_t.dtype, in1_t.rsv));

      // BAD_OPERAND. Integer ops: TENSOR_TENSOR's op, TENSOR_SCALAR's op0 (op1 agrees).
      cap_bad = (col0_on && kind_bad(col0.space, col0.dtype)) || (col1_on && kind_bad(col1.space, col1.dtype))
             || (acc_on && kind_bad(acc_c.space, acc_c.dtype));
      int_bad = !isa_pkg::dtype_is_integer(out_t.dtype) || !isa_pkg::dtype_is_integer(in_t.dtype)
             || (op_tt && !isa_pkg::dtype_is_integer(in1_t.dtype))
             || (op_ts && col0_on && !isa_pkg::dtype_is_integer(col0.dtype))
             || (op_ts && col1_on && !isa_pkg::dtype_is_integer(col1.dtype));
      if (op_tl) begin
        bad_o = (in_t.space != isa_pkg::SP_SBUF) || (in_t.dtype != isa_pkg::DT_FP32);
      end else begin
        bad_o = kind_bad(out_t.space, out_t.dtype)
             || (taps_o[1] && kind_bad(in_t.space, in_t.dtype))
             || (taps_o[2] && kind_bad(in1_t.space, in1_t.dtype))
             || ((op_ts || op_ac) && cap_bad)
             || (op_tt && isa_pkg::alu_is_integer(alu.op) && int_bad)
             || (op_ts && int0 && int_bad);
      end

      // PATTERN_OUT_OF_RANGE of the CAPs in use (their lanes are out's).
      cap_pat_o = (op_ts || op_ac)
               && ((col0_on && cap_range_bad(col0.space, col0.dtype, col0.pstart, col0.offset, out_t.pcount))
                || (col1_on && cap_range_bad(col1.space, col1.dtype, col1.pstart, col1.offset, out_t.pcount))
                || (acc_on && cap_range_bad(acc_c.space, acc_c.dtype, acc_c.pstart, acc_c.offset, out_t.pcount)));
    end
  end

  // SHAPE_MISMATCH, in a block of its own: the free sizes come from decode_check's multipliers,
  // whose inputs depend on vec_o (one block would be a combinational loop to Verilator).
  always_comb begin
    // TENSOR_REDUCE keeps the input counts above the nred reduced ones.
    unique case (alu.nred)
      2'd1:    kept = in0_n12_i;
      2'd2:    kept = {12'd0, in_t.n2};
      default: kept = 24'd1;
    endcase
    lanes_ne = (out_t.pcount != in_t.pcount) || (taps_o[2] && (out_t.pcount != in1_t.pcount));
    free_ne  = op_tr ? (fs_out_i != {12'd0, kept})
                     : ((fs_out_i != fs_in0_i) || (taps_o[2] && (fs_out_i != fs_in1_i)));
    if (op_tl) begin
      shape_o = in_t.pcount != 8'd1;
    end else begin
      shape_o = !op_io && (lanes_ne || free_ne);
    end
  end

endmodule
