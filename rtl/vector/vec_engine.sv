/// vec_engine: the vector engine (docs/vector_engine.md): every vector instruction (COPY,
/// TENSOR_TENSOR, TENSOR_SCALAR, TENSOR_REDUCE, IOTA, SELECT, ACTIVATE with every function and
/// acc, TABLE_LOAD): engine slot VEC of the chip (chip_top, with EnableVector); its block bench
/// is verif/vector/test_vec_engine. The next instruction is taken while the last one drains
/// when docs/vector_engine.md section 5a allows (see the control below).
/// Per instruction: the CAPs a TENSOR_SCALAR or ACTIVATE names (s0 / scale, s1 / bias) are read
/// first (one block read each, through operand reader 0), then readers 0 and 1 stream the inputs
/// (in / in0, and in1 or SELECT's mask) while the writer gathers the output. Per lane: vec_lane
/// (read conversion, ALU; ACTIVATE's x * scale + bias), for ACTIVATE the function chain
/// (vec_act_chain, 14 stages, with the lane's table RAM), then vec_tail (the accumulator of
/// TENSOR_REDUCE and ACTIVATE's acc, the write conversion). ACTIVATE's acc CAP is written by a
/// second writer job after the out TAP's last write. TABLE_LOAD takes its words from reader 0
/// and writes the coefficient rows into every lane's RAM. done is pulsed when the writer's last
/// block write is granted (TABLE_LOAD: with its last word). TABLE_ERROR (rsp_o.terr) stops the
/// engine until clr_i. Memory ports: three block requesters per memory (reader 0, reader 1,
/// writer), each routed to SBUF or PSUM by its operand's space (vec_mem_route).
/// Throughput: one element per lane per cycle in steady state (TENSOR_REDUCE: one input element;
/// TABLE_LOAD: one word); between dependent instructions the pipeline drains (about 7 cycles, 21
/// after an ACTIVATE, plus about 5 per CAP and 4 for an acc CAP); independent ones overlap the
/// drain (6 and 8 cycles).
`include "systole_assert.svh"

module vec_engine #(
  parameter int Partitions = 16,
  parameter int RowBytes   = 32,
  parameter int OffBits    = 18,  // a TAP's byte offset
  parameter int RowBits    = OffBits - $clog2(RowBytes),
  parameter int PartBits   = (Partitions > 1) ? $clog2(Partitions) : 1,
  parameter int PsBanks    = 1,  // PSUM banks: ps_rows_i holds every bank's last read row
  parameter int PsBankLsb  = 0   // the bank number's first bit in a PSUM row address
) (
  input  logic                               clk_i,
  input  logic                               rst_ni,
  input  logic                               clr_i,
  // Sequencer slot.
  input  isa_pkg::eng_req_t                  req_i,
  output isa_pkg::eng_rsp_t                  rsp_o,
  // Block requesters, per memory (0 SBUF, 1 PSUM) and stream (0 reader 0, 1 reader 1,
  // 2 writer): requester m*3 + k at [(m*3 + k)*W +: W].
  output logic [5:0]                         blk_req_o,
  output logic [6*RowBits-1:0]               blk_row_o,
  output logic [6*PartBits-1:0]              blk_part_o,
  output logic [6*8-1:0]                     blk_np_o,
  input  logic [5:0]                         blk_gnt_i,
  // The writer's data (the same for both memories; only the granted one takes it).
  output logic [Partitions*RowBytes-1:0]     wr_be_o,
  output logic [Partitions*RowBytes*8-1:0]   wr_data_o,
  // The memories' rows (the cycle after a grant): SBUF's, and PSUM's per partition and bank
  // (partition p's bank b at row slot p*PsBanks + b, as psum.sv gives them).
  input  logic [Partitions*RowBytes*8-1:0]   sb_rows_i,
  input  logic [Partitions*PsBanks*RowBytes*8-1:0] ps_rows_i,
  output logic                               busy_o
);

  localparam int P = Partitions;

  // S_ACC..S_ACCW: ACTIVATE's acc CAP (start its writer job, emit the values, wait for the write).
  // S_TL: TABLE_LOAD takes its words. S_ERR: stopped by TABLE_ERROR until the soft reset (clr_i).
  typedef enum logic [3:0] {
    S_IDLE, S_CAP0, S_CAP1, S_START, S_RUN, S_ACC, S_ACCE, S_ACCW, S_TL, S_ERR
  } state_e;
  state_e state_q;

  // ---- the instruction -----------------------------------------------------------------------
  // Views of the instruction's words: each opcode reads only some of their fields.
  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::vec_insn_t    insn_q;
  isa_pkg::vec_scalars_t sc_q;
  isa_pkg::vec_ts_ctl_t  ts;
  isa_pkg::vec_alu_ctl_t alu;
  isa_pkg::vec_act_ctl_t act;
  isa_pkg::vec_tl_ctl_t  tl;
  isa_pkg::vec_sc_insn_t req_sc;
  isa_pkg::vec_ts_ctl_t  req_ts;
  isa_pkg::vec_act_ctl_t req_act;
  isa_pkg::vec_insn_t    req_v;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [7:0]            opc, req_opc;
  logic                  is_tt, is_ts, is_iota, is_sel, is_red, is_act, is_tl, uses_r1, uses_r0, int_path;
  logic                  s0c, s1c, req_s0c, req_s1c;  // the CAPs read (TENSOR_SCALAR s0/s1, ACTIVATE scale/bias)
  logic                  has_acc;
  isa_pkg::insn_t        req_insn;

  assign req_insn = req_i.insn;
  assign req_sc   = req_i.insn;
  assign req_ts   = req_insn.args[31:0];
  assign req_act  = req_insn.args[31:0];
  assign req_opc  = req_insn.head.hdr.opcode;
  assign req_s0c  = (req_opc == isa_pkg::OP_TENSOR_SCALAR && req_ts.s0_col) ||
                    (req_opc == isa_pkg::OP_ACTIVATE && req_act.scale_col);
  assign req_s1c  = (req_opc == isa_pkg::OP_TENSOR_SCALAR && req_ts.s1_col) ||
                    (req_opc == isa_pkg::OP_ACTIVATE && req_act.bias_col);
  assign ts       = insn_q.ctl;
  assign alu      = insn_q.ctl;
  assign act      = insn_q.ctl;
  assign tl       = insn_q.ctl;
  assign opc      = insn_q.head.hdr.opcode;
  assign is_tt    = opc == isa_pkg::OP_TENSOR_TENSOR;
  assign is_ts    = opc == isa_pkg::OP_TENSOR_SCALAR;
  assign is_iota  = opc == isa_pkg::OP_IOTA;
  assign is_sel   = opc == isa_pkg::OP_SELECT;
  assign is_red   = opc == isa_pkg::OP_TENSOR_REDUCE;
  assign is_act   = opc == isa_pkg::OP_ACTIVATE;
  assign is_tl    = opc == isa_pkg::OP_TABLE_LOAD;
  assign s0c      = (is_ts && ts.s0_col) || (is_act && act.scale_col);
  assign s1c      = (is_ts && ts.s1_col) || (is_act && act.bias_col);
  assign has_acc  = is_act && act.acc != isa_pkg::ACC_NONE;
  assign uses_r0  = !is_iota;
  assign uses_r1  = is_tt || is_sel;
  assign int_path = is_tt ? isa_pkg::alu_is_integer(alu.op) :
                    is_ts ? isa_pkg::alu_is_integer(ts.op0) :
                    is_iota ? isa_pkg::dtype_is_integer(insn_q.out.dtype) :
                    (is_red || is_act || is_tl) ? 1'b0 :
                    (isa_pkg::dtype_is_integer(insn_q.out.dtype) && isa_pkg::dtype_is_integer(insn_q.in0.dtype));

  // ---- operand streams -----------------------------------------------------------------------
  logic                 r0_job_valid, r0_job_ready, r1_job_valid, r1_job_ready, w_job_valid, w_job_ready;
  logic [PartBits-1:0]  r0_pstart;
  logic [1:0]           r0_lg;
  logic [OffBits-1:0]   r0_base;
  logic [3*12-1:0]      r0_n;
  logic [3*OffBits-1:0] r0_s;
  logic [1:0]           r0_space, r0_space_q, r1_space_q;
  logic                 wj_pend_q;  // the instruction's out job still waits for the writer
  logic                 w_tag;      // the writer's write in flight is PSUM's
  logic [2:0]           to_psum;  // per stream: its operand is in PSUM
  logic [2:0]           s_req, s_gnt;
  logic [3*RowBits-1:0] s_row;
  logic [3*PartBits-1:0] s_part;
  logic [3*8-1:0]       s_np;
  logic                 r0_valid, r0_ready, r1_valid, r1_ready, w_in_valid, w_in_ready, w_done;
  logic [P*32-1:0]      r0_data, r1_data, st_data;
  logic [P-1:0]         st_en;
  logic [2:0]           r0_at_end;  // the element ends dims 0..d of the in TAP

  // Byte strides of a TAP dim: the element stride scaled by the element size.
  function automatic logic [OffBits-1:0] bstride_f(logic [15:0] s, logic [1:0] lg);
    bstride_f = OffBits'(32'($signed(s)) <<< lg);
  endfunction
  // The three byte strides of a TAP (fields, not the struct: yosys 0.23 cannot select a member
  // of a struct argument).
  function automatic logic [3*OffBits-1:0] strides_f(logic [3:0] dt, logic [15:0] s0, logic [15:0] s1,
                                                     logic [15:0] s2);
    logic [1:0] lg;
    lg = isa_pkg::dtype_size_lg(dt);
    strides_f = {bstride_f(s2, lg), bstride_f(s1, lg), bstride_f(s0, lg)};
  endfunction

  // Reader 0: the CAPs, then in / in0. (The CAP's fields one by one: yosys 0.23 does not
  // take a struct-typed variable inside a procedure.)
  logic        cap1;
  logic [PartBits-1:0] c_pstart;
  logic [3:0]  c_dtype;
  logic [17:0] c_offset;
  logic [1:0]  c_space;
  assign cap1     = state_q == S_CAP1;
  assign c_pstart = PartBits'(cap1 ? sc_q.col1.pstart : sc_q.col0.pstart);
  assign c_dtype  = cap1 ? sc_q.col1.dtype : sc_q.col0.dtype;
  assign c_offset = cap1 ? sc_q.col1.offset : sc_q.col0.offset;
  assign c_space  = cap1 ? sc_q.col1.space : sc_q.col0.space;
  always_comb begin
    r0_job_valid = 1'b0;
    r0_pstart    = PartBits'(insn_q.in0.pstart);
    r0_lg        = isa_pkg::dtype_size_lg(insn_q.in0.dtype);
    r0_base      = OffBits'(insn_q.in0.offset);
    r0_n         = {insn_q.in0.n2, insn_q.in0.n1, insn_q.in0.n0};
    r0_s         = strides_f(insn_q.in0.dtype, insn_q.in0.s0, insn_q.in0.s1, insn_q.in0.s2);
    r0_space     = insn_q.in0.space;
    if (state_q == S_CAP0 || state_q == S_CAP1) begin
      r0_job_valid = !cap_loaded_q;
      r0_pstart    = c_pstart;
      r0_lg        = isa_pkg::dtype_size_lg(c_dtype);
      r0_base      = OffBits'(c_offset);
      r0_n         = {12'd1, 12'd1, 12'd1};
      r0_s         = '0;
      r0_space     = c_space;
    end else if (state_q == S_START) begin
      r0_job_valid = uses_r0;
    end
  end
  logic cap_loaded_q;  // the CAP's job was taken; waiting for its beat

  vec_reader #(
    .Partitions(P), .RowBytes(RowBytes), .OffBits(OffBits), .PsBanks(PsBanks), .PsBankLsb(PsBankLsb)
  ) u_rd0 (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(r0_job_valid), .job_ready_o(r0_job_ready),
    .job_pstart_i(r0_pstart), .job_np_i(is_tl ? insn_q.in0.pcount : insn_q.out.pcount), .job_lg_i(r0_lg),
    .job_base_i(r0_base), .job_n_i(r0_n), .job_s_i(r0_s),
    .rd_req_o(s_req[0]), .rd_row_o(s_row[0 +: RowBits]), .rd_part_o(s_part[0 +: PartBits]),
    .rd_np_o(s_np[0 +: 8]), .rd_psum_i(to_psum[0]), .rd_gnt_i(s_gnt[0]), .sb_rows_i, .ps_rows_i,
    .out_valid_o(r0_valid), .out_ready_i(r0_ready), .out_data_o(r0_data),
    .out_at_end_o(r0_at_end)
  );

  assign r1_job_valid = state_q == S_START && uses_r1;
  vec_reader #(
    .Partitions(P), .RowBytes(RowBytes), .OffBits(OffBits), .PsBanks(PsBanks), .PsBankLsb(PsBankLsb)
  ) u_rd1 (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(r1_job_valid), .job_ready_o(r1_job_ready),
    .job_pstart_i(PartBits'(insn_q.in1.pstart)), .job_np_i(insn_q.out.pcount),
    .job_lg_i(isa_pkg::dtype_size_lg(insn_q.in1.dtype)), .job_base_i(OffBits'(insn_q.in1.offset)),
    .job_n_i({insn_q.in1.n2, insn_q.in1.n1, insn_q.in1.n0}), .job_s_i(strides_f(insn_q.in1.dtype, insn_q.in1.s0, insn_q.in1.s1, insn_q.in1.s2)),
    .rd_req_o(s_req[1]), .rd_row_o(s_row[RowBits +: RowBits]), .rd_part_o(s_part[PartBits +: PartBits]),
    .rd_np_o(s_np[8 +: 8]), .rd_psum_i(to_psum[1]), .rd_gnt_i(s_gnt[1]), .sb_rows_i, .ps_rows_i,
    .out_valid_o(r1_valid), .out_ready_i(r1_ready), .out_data_o(r1_data),
    /* verilator lint_off PINCONNECTEMPTY */
    .out_at_end_o()
    /* verilator lint_on PINCONNECTEMPTY */
  );

  // The writer's jobs: the out TAP, then (ACTIVATE with acc) the acc CAP, one element per lane.
  logic                 acc_ph;
  logic [PartBits-1:0]  w_pstart;
  logic [3:0]           w_dtype;
  logic [OffBits-1:0]   w_base;
  logic [3*12-1:0]      w_n;
  logic [3*OffBits-1:0] w_s;
  assign acc_ph      = state_q == S_ACC || state_q == S_ACCE || state_q == S_ACCW;
  assign w_job_valid = wj_pend_q || state_q == S_ACC;
  assign w_pstart    = acc_ph ? PartBits'(sc_q.acc.pstart) : PartBits'(insn_q.out.pstart);
  assign w_dtype     = acc_ph ? sc_q.acc.dtype : insn_q.out.dtype;
  assign w_base      = acc_ph ? OffBits'(sc_q.acc.offset) : OffBits'(insn_q.out.offset);
  assign w_n         = acc_ph ? {12'd1, 12'd1, 12'd1} : {insn_q.out.n2, insn_q.out.n1, insn_q.out.n0};
  assign w_s         = acc_ph ? '0 : strides_f(insn_q.out.dtype, insn_q.out.s0, insn_q.out.s1, insn_q.out.s2);
  vec_writer #(.Partitions(P), .RowBytes(RowBytes), .OffBits(OffBits)) u_wr (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(w_job_valid), .job_ready_o(w_job_ready),
    .job_pstart_i(w_pstart), .job_np_i(insn_q.out.pcount),
    .job_lg_i(isa_pkg::dtype_size_lg(w_dtype)), .job_base_i(w_base),
    .job_n_i(w_n), .job_s_i(w_s),
    .job_tag_i((acc_ph ? sc_q.acc.space : insn_q.out.space) == isa_pkg::SP_PSUM),
    .in_valid_i(w_in_valid), .in_ready_o(w_in_ready), .in_data_i(st_data), .in_en_i(st_en),
    .wr_req_o(s_req[2]), .wr_row_o(s_row[2*RowBits +: RowBits]), .wr_part_o(s_part[2*PartBits +: PartBits]),
    .wr_np_o(s_np[16 +: 8]), .wr_tag_o(w_tag), .wr_be_o, .wr_data_o, .wr_gnt_i(s_gnt[2]), .done_o(w_done)
  );

  // Routing: stream k's requests go to the memory of its operand's space (each reader takes its
  // rows from the memory, and PSUM bank, that granted it).
  assign to_psum = {w_tag, r1_space_q == isa_pkg::SP_PSUM, r0_space_q == isa_pkg::SP_PSUM};
  vec_mem_route #(.RowBits(RowBits), .PartBits(PartBits)) u_route (
    .to_psum_i(to_psum), .s_req_i(s_req), .s_row_i(s_row), .s_part_i(s_part), .s_np_i(s_np),
    .s_gnt_o  (s_gnt),
    .blk_req_o, .blk_row_o, .blk_part_o, .blk_np_o, .blk_gnt_i
  );

  // ---- the lanes -----------------------------------------------------------------------------
  // vec_lanes: per lane vec_lane (one stage), for ACTIVATE the function chain (14 stages), then
  // vec_tail (one stage: accumulator, write conversion) whose output is the writer's input. The
  // whole pipeline advances together (adv) unless the tail holds an element the writer cannot
  // take.
  logic        src_valid, fire, adv, last_q;
  logic        l_valid_q, l_gend_q;  // the lane stage holds an element (ending a REDUCE group)
  logic        t_valid_q, first_q;   // the tail's output; the next tail element starts a group
  // Overlap (docs/vector_engine.md section 5a): every element carries its instruction's tag
  // (tag_q, toggled per instruction) through the lane stage (l_tag_q), the chain (c_tag_q, in
  // step with the chains' valid bits) or the bypass; the tail takes its context (integer path,
  // reduce, accumulate op, out dtype) from ctx_q by the element's tag, so the next instruction's
  // elements can follow the last one's through the pipeline.
  localparam int S = vec_act_pkg::STAGES;
  logic        tag_q, l_tag_q, t_tag, t_first, fst_q, l_fst_q;
  logic [S-1:0] c_tag_q, c_fst_q;  // the chain's elements: tag, first of its instruction
  logic [15:0] ctx_q;                // per tag: {int, red, acc_op[1:0], dt[3:0]}
  logic [7:0]  tctx;
  logic        t_int, t_red;
  logic [1:0]  t_acc_op;
  logic [3:0]  t_dt;
  logic        c_valid, t_in_valid, t_emit, acc_emit;
  logic [35:0] cnt_q;  // IOTA: the element index per dim (i0, i1, i2)
  logic [31:0] iota_q;  // base + j * step
  logic [P*32-1:0] s0_raw_q, s1_raw_q;
  logic        src_last, gend;
  logic [2:0]  red_mask;
  logic [1:0]  acc_op_v;  // the instruction's accumulate op (TENSOR_REDUCE's, or ACTIVATE's acc)
  assign acc_op_v   = is_red ? ((alu.op == isa_pkg::ALU_MAX) ? isa_pkg::ACC_MAX :
                                (alu.op == isa_pkg::ALU_MIN) ? isa_pkg::ACC_MIN : isa_pkg::ACC_ADD) :
                      is_act ? act.acc : isa_pkg::ACC_NONE;
  assign red_mask   = (alu.nred == 2'd1) ? 3'b001 : (alu.nred == 2'd2) ? 3'b011 : 3'b111;
  assign gend       = is_red && ((r0_at_end & red_mask) == red_mask);
  assign src_valid  = state_q == S_RUN && !last_q && (!uses_r0 || r0_valid) && (!uses_r1 || r1_valid);
  assign adv        = !t_valid_q || w_in_ready;
  assign fire       = src_valid && adv;
  assign r0_ready   = (fire && uses_r0) || ((state_q == S_CAP0 || state_q == S_CAP1) && cap_loaded_q) ||
                      state_q == S_TL;
  assign r1_ready   = fire && uses_r1;
  assign w_in_valid = t_valid_q;
  assign src_last   = uses_r0 ? (r0_at_end == 3'b111) :
                      (cnt_q[11:0] == insn_q.out.n0 - 12'd1 && cnt_q[23:12] == insn_q.out.n1 - 12'd1 &&
                       cnt_q[35:24] == insn_q.out.n2 - 12'd1);
  assign t_in_valid = is_act ? c_valid : l_valid_q;
  assign t_tag      = acc_ph ? tag_q : is_act ? c_tag_q[S-1] : l_tag_q;
  assign tctx       = t_tag ? ctx_q[15:8] : ctx_q[7:0];
  assign {t_int, t_red, t_acc_op, t_dt} = tctx;
  // An instruction's first element (marked when it fires) starts a group.
  assign t_first    = first_q || (acc_ph ? 1'b0 : is_act ? c_fst_q[S-1] : l_fst_q);
  assign t_emit     = !t_red || l_gend_q;
  assign acc_emit   = state_q == S_ACCE;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      l_valid_q <= 1'b0;
      t_valid_q <= 1'b0;
    end else if (clr_i) begin
      l_valid_q <= 1'b0;
      t_valid_q <= 1'b0;
    end else if (adv) begin
      l_valid_q <= fire;
      t_valid_q <= (t_in_valid && t_emit) || acc_emit;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      tag_q   <= 1'b0;
      first_q <= 1'b0;
      fst_q   <= 1'b0;
    end else if (clr_i) begin
      tag_q   <= 1'b0;
      first_q <= 1'b0;
      fst_q   <= 1'b0;
    end else begin
      if (take) tag_q <= !tag_q;
      if (state_q == S_START) fst_q <= 1'b1;
      else if (fire) fst_q <= 1'b0;
      if (adv && t_in_valid) first_q <= t_red && l_gend_q;
    end
  end

  always_ff @(posedge clk_i) begin
    if (adv && fire) begin
      l_gend_q <= gend;
      l_tag_q  <= tag_q;
      l_fst_q  <= fst_q;
    end
    if (adv) begin
      c_tag_q <= {c_tag_q[S-2:0], l_tag_q};
      c_fst_q <= {c_fst_q[S-2:0], l_fst_q};
    end
    // The instruction's tail context, under its tag (taken in the cycle before: tag_q is its).
    if (state_q == S_START) begin
      if (tag_q) ctx_q[15:8] <= {int_path, is_red, acc_op_v, insn_q.out.dtype};
      else ctx_q[7:0] <= {int_path, is_red, acc_op_v, insn_q.out.dtype};
    end
  end

  vec_lanes #(.Partitions(P)) u_lanes (
    .clk_i, .rst_ni, .clr_i,
    .prep_i       (state_q == S_START),
    .int_path_i   (int_path),
    .ts_i         (is_ts || is_act),
    .tt_i         (is_tt),
    .sel_i        (is_sel),
    .iota_i       (is_iota),
    .red_i        (t_red),
    .t_int_i      (t_int),
    .act_i        (is_act),
    .op0_i        (is_tt ? alu.op : is_ts ? ts.op0 : is_act ? isa_pkg::ALU_MUL : isa_pkg::ALU_BYPASS),
    .op1_i        (is_act ? isa_pkg::ALU_ADD : ts.op1),
    .rev0_i       (is_ts && ts.rev0),
    .rev1_i       (is_ts && ts.rev1),
    .dt_a_i       (is_iota ? isa_pkg::DT_INT32 : insn_q.in0.dtype),
    .dt_b_i       (insn_q.in1.dtype),
    .dt_out_i     (acc_ph ? sc_q.acc.dtype : t_dt),
    .s0_col_i     (s0c),
    .s1_col_i     (s1c),
    .s0_dt_i      (sc_q.col0.dtype),
    .s1_dt_i      (sc_q.col1.dtype),
    .s0_imm_i     (insn_q.imm),
    .s1_imm_i     (sc_q.imm1),
    .s0_col_data_i(s0_raw_q),
    .s1_col_data_i(s1_raw_q),
    .iota_base_i  (iota_q),
    .iota_pstep_i (sc_q.col0),  // IOTA's pstep is word 13, the col0 slot
    .acc_op_i     (t_acc_op),
    .func_i       (act.func),
    .slot_i       (act.slot),
    .th_i         (th_q),
    .tw_en_i      (tw_en),
    .tw_addr_i    (tw_addr),
    .tw_data_i    (tw_data),
    .fire_i       (fire),
    .adv_i        (adv),
    .a_i          (r0_data),
    .b_i          (r1_data),
    .l_valid_i    (l_valid_q),
    .t_valid_i    (t_in_valid),
    .first_i      (t_first),
    .acc_emit_i   (acc_emit),
    .c_valid_o    (c_valid),
    .y_o          (st_data),
    .en_o         (st_en)
  );

  // ---- activation tables: TABLE_LOAD ---------------------------------------------------------
  // The headers and valid bits here (vec_table_load), the coefficient rows in every lane's chain.
  localparam int TW = vec_act_pkg::TH_W;
  logic [4*TW-1:0] th_q;
  logic [3:0]      tvalid_q;
  logic            tl_beat, tl_bad, tl_end, tw_en;
  logic [7:0]      tw_addr;
  logic [127:0]    tw_data;
  assign tl_beat = state_q == S_TL && r0_valid;
  vec_table_load #(.TW(TW)) u_tl (
    .clk_i, .rst_ni, .clr_i,
    .start_i  (state_q == S_START && is_tl),
    .slot_i   (tl.slot),
    .n0_i     (insn_q.in0.n0),
    .n1_i     (insn_q.in0.n1),
    .n2_i     (insn_q.in0.n2),
    .beat_i   (tl_beat),
    .w_i      (r0_data[31:0]),  // lane 0: the TAP's pcount is 1
    .bad_o    (tl_bad),
    .end_o    (tl_end),
    .tw_en_o  (tw_en),
    .tw_addr_o(tw_addr),
    .tw_data_o(tw_data),
    .th_o     (th_q),
    .valid_o  (tvalid_q)
  );

  // ---- control -------------------------------------------------------------------------------
  // Overlap (docs/vector_engine.md section 5a): once every element of an instruction without
  // acc has entered the lanes (last_q) and its out job is in the writer, the engine is ready
  // for the next one while it drains (drain_q: its done still owed, dr_*: its out space and
  // path). The next is taken early only if it takes the same path (chain or bypass), reads
  // nothing (input TAPs, CAPs) in the drained one's out space, and is neither a TABLE_LOAD nor
  // an ACTIVATE TABLE on a slot never loaded (TABLE_ERROR names the oldest incomplete
  // instruction); otherwise it waits for the drain's done.
  logic take, started, act_bad_slot, drain_q, dr_act_q, early_ok, leave, own_done;
  logic [1:0] dr_space_q;
  logic req_r0, req_r1, req_act_op;
  assign req_v      = req_i.insn;
  assign req_act_op = req_opc == isa_pkg::OP_ACTIVATE;
  assign req_r0     = req_opc != isa_pkg::OP_IOTA;
  assign req_r1     = req_opc == isa_pkg::OP_TENSOR_TENSOR || req_opc == isa_pkg::OP_SELECT;
  assign early_ok   = req_opc != isa_pkg::OP_TABLE_LOAD && !act_bad_slot && req_act_op == dr_act_q &&
                      !(req_r0 && req_v.in0.space == dr_space_q) && !(req_r1 && req_v.in1.space == dr_space_q) &&
                      !(req_s0c && req_sc.sc.col0.space == dr_space_q) &&
                      !(req_s1c && req_sc.sc.col1.space == dr_space_q);
  assign take       = state_q == S_IDLE && req_i.valid && (!drain_q || early_ok) && !clr_i;
  assign started    = (!uses_r0 || r0_job_ready) && (!uses_r1 || r1_job_ready);
  assign act_bad_slot = req_opc == isa_pkg::OP_ACTIVATE && req_act.func == isa_pkg::ACT_TABLE &&
                        !tvalid_q[req_act.slot];
  // The instruction's own completion in S_RUN (a done while drain_q is the drained one's), and
  // leaving S_RUN early to drain.
  assign own_done   = state_q == S_RUN && w_done && !drain_q;
  assign leave      = state_q == S_RUN && last_q && !has_acc && !drain_q && !wj_pend_q && !w_done;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= S_IDLE;
      cap_loaded_q <= 1'b0;
      last_q       <= 1'b0;
      drain_q      <= 1'b0;
      wj_pend_q    <= 1'b0;
    end else if (clr_i) begin
      state_q      <= S_IDLE;
      cap_loaded_q <= 1'b0;
      last_q       <= 1'b0;
      drain_q      <= 1'b0;
      wj_pend_q    <= 1'b0;
    end else begin
      if (leave) drain_q <= 1'b1;
      else if (drain_q && w_done) drain_q <= 1'b0;
      if (state_q == S_START && started && !is_tl) wj_pend_q <= 1'b1;
      else if (wj_pend_q && w_job_ready) wj_pend_q <= 1'b0;
      unique case (state_q)
        S_IDLE: begin
          if (take) state_q <= act_bad_slot ? S_ERR : req_s0c ? S_CAP0 : req_s1c ? S_CAP1 : S_START;
        end
        S_CAP0, S_CAP1: begin
          if (r0_job_valid && r0_job_ready) cap_loaded_q <= 1'b1;
          if (cap_loaded_q && r0_valid) begin
            cap_loaded_q <= 1'b0;
            state_q      <= (state_q == S_CAP0 && s1c) ? S_CAP1 : S_START;
          end
        end
        S_START: if (started) begin
          state_q <= is_tl ? S_TL : S_RUN;
          last_q  <= 1'b0;
        end
        S_TL: if (tl_bad) state_q <= S_ERR;
              else if (tl_end) state_q <= S_IDLE;
        S_ERR: state_q <= S_ERR;  // until clr_i
        S_RUN: begin
          if (fire && src_last) last_q <= 1'b1;
          if (own_done) state_q <= has_acc ? S_ACC : S_IDLE;
          else if (leave) state_q <= S_IDLE;
        end
        S_ACC:  if (w_job_ready) state_q <= S_ACCE;
        S_ACCE: if (adv) state_q <= S_ACCW;
        S_ACCW: if (w_done) state_q <= S_IDLE;
        default: state_q <= S_IDLE;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (take) begin
      insn_q <= req_i.insn;
      sc_q   <= req_sc.sc;
    end
    if (leave) begin
      dr_space_q <= insn_q.out.space;
      dr_act_q   <= is_act;
    end
    if ((state_q == S_CAP0 || state_q == S_CAP1) && cap_loaded_q && r0_valid) begin
      if (state_q == S_CAP0) s0_raw_q <= r0_data;
      else s1_raw_q <= r0_data;
    end
    if (state_q == S_START) r1_space_q <= insn_q.in1.space;  // the space of reader 1's job
    if (r0_job_valid && r0_job_ready) r0_space_q <= r0_space;
    if (state_q == S_START) begin
      cnt_q  <= '0;
      iota_q <= insn_q.imm;
    end else if (fire && is_iota) begin  // only IOTA reads them (the others end with reader 0)
      iota_q <= iota_q + sc_q.imm1;
      if (cnt_q[11:0] != insn_q.out.n0 - 12'd1) begin
        cnt_q[11:0] <= cnt_q[11:0] + 12'd1;
      end else begin
        cnt_q[11:0] <= '0;
        if (cnt_q[23:12] != insn_q.out.n1 - 12'd1) begin
          cnt_q[23:12] <= cnt_q[23:12] + 12'd1;
        end else begin
          cnt_q[23:12] <= '0;
          cnt_q[35:24] <= cnt_q[35:24] + 12'd1;
        end
      end
    end
  end

  always_comb begin
    rsp_o           = '0;
    rsp_o.ready     = state_q == S_IDLE && (!drain_q || early_ok) && !clr_i;
    rsp_o.done      = (drain_q && w_done) || (own_done && !has_acc) || (state_q == S_ACCW && w_done) || tl_end;
    rsp_o.idle      = 1'b1;  // never on AXI
    rsp_o.beat      = fire;
    // TABLE_ERROR: a bad table in TABLE_LOAD, or ACTIVATE TABLE on a slot never loaded; the
    // engine then stops (S_ERR) until clr_i.
    rsp_o.terr      = (take && act_bad_slot) || tl_bad;
  end
  assign busy_o = state_q != S_IDLE || drain_q;

  logic supported;
  assign supported = req_insn.head.hdr.opcode == isa_pkg::OP_TENSOR_TENSOR ||
                     req_insn.head.hdr.opcode == isa_pkg::OP_TENSOR_SCALAR ||
                     req_insn.head.hdr.opcode == isa_pkg::OP_COPY ||
                     req_insn.head.hdr.opcode == isa_pkg::OP_IOTA ||
                     req_insn.head.hdr.opcode == isa_pkg::OP_SELECT ||
                     req_insn.head.hdr.opcode == isa_pkg::OP_TENSOR_REDUCE ||
                     req_insn.head.hdr.opcode == isa_pkg::OP_ACTIVATE ||
                     req_insn.head.hdr.opcode == isa_pkg::OP_TABLE_LOAD;
  `ASSERT(supported_op, take |-> supported)
  // The readers are free when an instruction starts (the last one's elements have all fired).
  `ASSERT(start_all_ready, state_q == S_START |-> started)

endmodule
