/// vec_engine: the vector engine (docs/vector_engine.md): every vector instruction (COPY,
/// TENSOR_TENSOR, TENSOR_SCALAR, TENSOR_REDUCE, IOTA, SELECT, ACTIVATE with every function and
/// acc, TABLE_LOAD): engine slot VEC of the chip (chip_top, with EnableVector); its block bench
/// is verif/vector/test_vec_engine. Instructions overlap (docs/vector_engine.md section 5a;
/// the control is vec_ctl): the next one is taken while the last one drains, or ahead while it
/// streams (its CAPs and first rows read behind the last one's elements).
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
/// TABLE_LOAD: one word). Between instructions: taken ahead, about 1 cycle (plus about 1 per
/// CAP); otherwise the start (about 5 cycles, plus about 5 per CAP) and, after a read-after-write
/// hazard, the pipeline's drain (7 cycles, 21 after an ACTIVATE; 4 more for an acc CAP).

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

  // The control (vec_ctl): the current instruction's phase, and when the next one is taken.
  logic take, ahead, switch_nx, st_cap, cap_sel1, cap_beat, beat1, st_start, st_run, last_q, st_tl, acc_ph, acc_emit;
  logic nx_r0_job, nx_r1_job, nx_cap_job;

  // ---- the instructions ----------------------------------------------------------------------
  // Up to three: the one at the sequencer's slot (req_i), the current one whose elements fire
  // (insn_q, sc_q) and the next one, taken ahead while the current one streams (nx_*: section
  // 5a). Each is decoded by a vec_decode.
  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::vec_insn_t    insn_q, nx_q;
  isa_pkg::vec_scalars_t sc_q, nx_sc_q;
  isa_pkg::vec_alu_ctl_t alu;
  isa_pkg::vec_ts_ctl_t  ts;
  isa_pkg::vec_act_ctl_t act;
  isa_pkg::vec_tl_ctl_t  tl;
  isa_pkg::vec_sc_insn_t req_sc;
  /* verilator lint_on UNUSEDSIGNAL */
  logic                  is_tt, is_ts, is_iota, is_sel, is_red, is_act, is_tl, uses_r1, uses_r0, int_path;
  logic                  s0c, s1c, has_acc;
  logic [3:0]            op0, op1;
  logic [7:0]            ctx;
  logic                  nx_r0, nx_r1, nx_s0c, nx_s1c, nx_int;
  logic [7:0]            nx_ctx;
  isa_pkg::insn_t        cur_w, nx_w;

  assign cur_w    = insn_q;
  assign nx_w     = nx_q;
  assign req_sc   = req_i.insn;
  assign ts       = insn_q.ctl;
  assign alu      = insn_q.ctl;
  assign act      = insn_q.ctl;
  assign tl       = insn_q.ctl;

  /* verilator lint_off PINCONNECTEMPTY */
  vec_decode u_dec (
    .insn_i(cur_w), .tvalid_i(tvalid_q),
    .tt_o(is_tt), .ts_o(is_ts), .iota_o(is_iota), .sel_o(is_sel), .red_o(is_red), .act_o(is_act), .tl_o(is_tl),
    .uses_r0_o(uses_r0), .uses_r1_o(uses_r1), .s0c_o(s0c), .s1c_o(s1c), .acc_o(has_acc), .bad_slot_o(),
    .int_o(int_path), .op0_o(op0), .op1_o(op1), .ctx_o(ctx)
  );
  vec_decode u_nx_dec (
    .insn_i(nx_w), .tvalid_i(tvalid_q),
    .tt_o(), .ts_o(), .iota_o(), .sel_o(), .red_o(), .act_o(), .tl_o(),
    .uses_r0_o(nx_r0), .uses_r1_o(nx_r1), .s0c_o(nx_s0c), .s1c_o(nx_s1c), .acc_o(), .bad_slot_o(),
    .int_o(nx_int), .op0_o(), .op1_o(), .ctx_o(nx_ctx)
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // ---- operand streams -----------------------------------------------------------------------
  logic                 r0_job_valid, r0_job_ready, r1_job_valid, r1_job_ready, w_job_valid, w_job_ready;
  logic [1:0]           r0_space_q, r1_space_q;
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

  // Reader 0's job: a CAP (s0 / scale, s1 / bias) of the current instruction or of the next one,
  // as a TAP of one element per lane; else in / in0 of the next one (taken ahead) or of the
  // current one. (Whole TAPs through continuous assignments: yosys 0.23 does not take a
  // struct-typed variable inside a procedure.)
  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::tap_t         r0_tap, cap_tap;  // their reserved bits unused
  isa_pkg::vec_scalars_t csc;
  /* verilator lint_on UNUSEDSIGNAL */
  isa_pkg::cap_t         ccol;
  assign csc     = nx_cap_job ? nx_sc_q : sc_q;
  assign ccol    = cap_sel1 ? csc.col1 : csc.col0;
  assign cap_tap = {48'd0, 4'd0, 12'd1, 12'd1, 12'd1, nx_cap_job ? nx_q.out.pcount : insn_q.out.pcount, ccol};
  assign r0_tap  = (st_cap || nx_cap_job) ? cap_tap : nx_r0_job ? nx_q.in0 : insn_q.in0;

  vec_reader #(
    .Partitions(P), .RowBytes(RowBytes), .OffBits(OffBits), .PsBanks(PsBanks), .PsBankLsb(PsBankLsb)
  ) u_rd0 (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(r0_job_valid), .job_ready_o(r0_job_ready),
    .job_pstart_i(PartBits'(r0_tap.pstart)), .job_np_i(r0_tap.pcount),
    .job_lg_i(isa_pkg::dtype_size_lg(r0_tap.dtype)), .job_base_i(OffBits'(r0_tap.offset)),
    .job_n_i({r0_tap.n2, r0_tap.n1, r0_tap.n0}), .job_s_i(strides_f(r0_tap.dtype, r0_tap.s0, r0_tap.s1, r0_tap.s2)),
    .rd_req_o(s_req[0]), .rd_row_o(s_row[0 +: RowBits]), .rd_part_o(s_part[0 +: PartBits]),
    .rd_np_o(s_np[0 +: 8]), .rd_psum_i(to_psum[0]), .rd_gnt_i(s_gnt[0]), .sb_rows_i, .ps_rows_i,
    .out_valid_o(r0_valid), .out_ready_i(r0_ready), .out_data_o(r0_data),
    .out_at_end_o(r0_at_end)
  );

  // Reader 1: in1 / mask, of the current instruction or the next one.
  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::tap_t r1_tap;  // its reserved bits unused
  /* verilator lint_on UNUSEDSIGNAL */
  assign r1_tap       = nx_r1_job ? nx_q.in1 : insn_q.in1;
  vec_reader #(
    .Partitions(P), .RowBytes(RowBytes), .OffBits(OffBits), .PsBanks(PsBanks), .PsBankLsb(PsBankLsb)
  ) u_rd1 (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(r1_job_valid), .job_ready_o(r1_job_ready),
    .job_pstart_i(PartBits'(r1_tap.pstart)), .job_np_i(r1_tap.pcount),
    .job_lg_i(isa_pkg::dtype_size_lg(r1_tap.dtype)), .job_base_i(OffBits'(r1_tap.offset)),
    .job_n_i({r1_tap.n2, r1_tap.n1, r1_tap.n0}), .job_s_i(strides_f(r1_tap.dtype, r1_tap.s0, r1_tap.s1, r1_tap.s2)),
    .rd_req_o(s_req[1]), .rd_row_o(s_row[RowBits +: RowBits]), .rd_part_o(s_part[PartBits +: PartBits]),
    .rd_np_o(s_np[8 +: 8]), .rd_psum_i(to_psum[1]), .rd_gnt_i(s_gnt[1]), .sb_rows_i, .ps_rows_i,
    .out_valid_o(r1_valid), .out_ready_i(r1_ready), .out_data_o(r1_data),
    /* verilator lint_off PINCONNECTEMPTY */
    .out_at_end_o()
    /* verilator lint_on PINCONNECTEMPTY */
  );

  // The writer's jobs: the out TAP, then (ACTIVATE with acc) the acc CAP, one element per lane.
  logic [PartBits-1:0]  w_pstart;
  logic [3:0]           w_dtype;
  logic [OffBits-1:0]   w_base;
  logic [3*12-1:0]      w_n;
  logic [3*OffBits-1:0] w_s;
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
  // rows from the memory, and PSUM bank, that granted it). A reader's space changes when it
  // loads a job: its previous job's rows have all been granted by then.
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
  logic        src_valid, fire, adv;
  logic        l_valid_q, l_gend_q;  // the lane stage holds an element (ending a REDUCE group)
  logic        t_valid_q, first_q;   // the tail's output; the next tail element starts a group
  // Overlap (docs/vector_engine.md section 5a): every element carries its instruction's tag
  // (tag_q, toggled per instruction) through the lane stage (l_tag_q), the chain (c_tag_q, in
  // step with the chains' valid bits) or the bypass; the tail takes its context (integer path,
  // reduce, accumulate op, out dtype) from ctx_q by the element's tag, so the next instruction's
  // elements can follow the last one's through the pipeline. The lane stage also keeps its
  // element's function and slot for the chain (l_func_q, l_slot_q: the next instruction may fire behind it).
  localparam int S = vec_act_pkg::STAGES;
  logic        tag_q, l_tag_q, t_tag, t_first, fst_q, l_fst_q;
  logic [3:0]  l_func_q;  // the lane stage's element's function and table slot
  logic [1:0]  l_slot_q;
  logic [S-1:0] c_tag_q, c_fst_q;  // the chain's elements: tag, first of its instruction
  logic [15:0] ctx_q;                // per tag: {int, red, acc_op[1:0], dt[3:0]}
  logic [7:0]  tctx;
  logic        t_int, t_red;
  logic [1:0]  t_acc_op;
  logic [3:0]  t_dt;
  logic        c_valid, t_in_valid, t_emit;
  logic [31:0] iota_v;  // IOTA: base + j * step
  logic        iota_last;
  logic [P*32-1:0] s0_raw_q, s1_raw_q;
  logic        src_last, gend, prep;
  logic [2:0]  red_mask;
  assign red_mask   = (alu.nred == 2'd1) ? 3'b001 : (alu.nred == 2'd2) ? 3'b011 : 3'b111;
  assign gend       = is_red && ((r0_at_end & red_mask) == red_mask);
  assign src_valid  = st_run && !last_q && (!uses_r0 || r0_valid) && (!uses_r1 || r1_valid);
  assign adv        = !t_valid_q || w_in_ready;
  assign fire       = src_valid && adv;
  assign r0_ready   = (fire && uses_r0) || cap_beat || st_tl;
  assign r1_ready   = fire && uses_r1;
  assign w_in_valid = t_valid_q;
  assign src_last   = uses_r0 ? (r0_at_end == 3'b111) : iota_last;
  assign t_in_valid = is_act ? c_valid : l_valid_q;
  assign t_tag      = acc_ph ? tag_q : is_act ? c_tag_q[S-1] : l_tag_q;
  assign tctx       = t_tag ? ctx_q[15:8] : ctx_q[7:0];
  assign {t_int, t_red, t_acc_op, t_dt} = tctx;
  // An instruction's first element (marked when it fires) starts a group.
  assign t_first    = first_q || (acc_ph ? 1'b0 : is_act ? c_fst_q[S-1] : l_fst_q);
  assign t_emit     = !t_red || l_gend_q;
  // The lanes convert the scalars of the instruction about to fire: the current one before its
  // first element, or the next one when the engine switches to it (its CAP elements taken).
  assign prep       = st_start || switch_nx;

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
      if (take || switch_nx) tag_q <= !tag_q;
      if (prep) fst_q <= 1'b1;
      else if (fire) fst_q <= 1'b0;
      if (adv && t_in_valid) first_q <= t_red && l_gend_q;
    end
  end

  always_ff @(posedge clk_i) begin
    if (adv && fire) begin
      l_gend_q <= gend;
      l_tag_q  <= tag_q;
      l_fst_q  <= fst_q;
      l_func_q <= act.func;
      l_slot_q <= act.slot;
    end
    if (adv) begin
      c_tag_q <= {c_tag_q[S-2:0], l_tag_q};
      c_fst_q <= {c_fst_q[S-2:0], l_fst_q};
    end
    // The instruction's tail context, under its tag: at S_START tag_q is already its (toggled
    // at the take); at a switch to the next one, the toggled tag.
    if (st_start) begin
      if (tag_q) ctx_q[15:8] <= ctx;
      else ctx_q[7:0] <= ctx;
    end else if (switch_nx) begin
      if (!tag_q) ctx_q[15:8] <= nx_ctx;
      else ctx_q[7:0] <= nx_ctx;
    end
  end

  vec_lanes #(.Partitions(P)) u_lanes (
    .clk_i, .rst_ni, .clr_i,
    .prep_i       (prep),
    .prep_int_i   (switch_nx ? nx_int : int_path),
    .int_path_i   (int_path),
    .ts_i         (is_ts || is_act),
    .tt_i         (is_tt),
    .sel_i        (is_sel),
    .iota_i       (is_iota),
    .red_i        (t_red),
    .t_int_i      (t_int),
    .act_i        (is_act),
    .op0_i        (op0),
    .op1_i        (op1),
    .rev0_i       (is_ts && ts.rev0),
    .rev1_i       (is_ts && ts.rev1),
    .dt_a_i       (is_iota ? isa_pkg::DT_INT32 : insn_q.in0.dtype),
    .dt_b_i       (insn_q.in1.dtype),
    .dt_out_i     (acc_ph ? sc_q.acc.dtype : t_dt),
    .s0_col_i     (switch_nx ? nx_s0c : s0c),
    .s1_col_i     (switch_nx ? nx_s1c : s1c),
    .s0_dt_i      (switch_nx ? nx_sc_q.col0.dtype : sc_q.col0.dtype),
    .s1_dt_i      (switch_nx ? nx_sc_q.col1.dtype : sc_q.col1.dtype),
    .s0_imm_i     (switch_nx ? nx_q.imm : insn_q.imm),
    .s1_imm_i     (switch_nx ? nx_sc_q.imm1 : sc_q.imm1),
    .s0_col_data_i(s0_raw_q),
    .s1_col_data_i(s1_raw_q),
    .iota_base_i  (iota_v),
    .iota_pstep_i (sc_q.col0),  // IOTA's pstep is word 13, the col0 slot
    .acc_op_i     (t_acc_op),
    .func_i       (l_func_q),
    .slot_i       (l_slot_q),
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
  assign tl_beat = st_tl && r0_valid;
  vec_table_load #(.TW(TW)) u_tl (
    .clk_i, .rst_ni, .clr_i,
    .start_i  (st_start && is_tl),
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
  vec_ctl #(.OffBits(OffBits)) u_ctl (
    .clk_i, .rst_ni, .clr_i,
    .req_i, .rsp_o, .busy_o,
    .tvalid_i      (tvalid_q),
    .act_i         (is_act),
    .acc_i         (has_acc),
    .tl_i          (is_tl),
    .r0_i          (uses_r0),
    .r1_i          (uses_r1),
    .s1c_i         (s1c),
    .nx_s0c_i      (nx_s0c),
    .nx_s1c_i      (nx_s1c),
    .nx_r0_i       (nx_r0),
    .nx_r1_i       (nx_r1),
    .take_o        (take),
    .ahead_o       (ahead),
    .switch_o      (switch_nx),
    .cap_o         (st_cap),
    .cap_sel1_o    (cap_sel1),
    .cap_beat_o    (cap_beat),
    .beat1_o       (beat1),
    .start_o       (st_start),
    .run_o         (st_run),
    .last_o        (last_q),
    .tl_run_o      (st_tl),
    .acc_ph_o      (acc_ph),
    .acc_emit_o    (acc_emit),
    .r0_job_o      (r0_job_valid),
    .r1_job_o      (r1_job_valid),
    .nx_r0_job_o   (nx_r0_job),
    .nx_cap_job_o  (nx_cap_job),
    .nx_r1_job_o   (nx_r1_job),
    .r0_job_ready_i(r0_job_ready),
    .r1_job_ready_i(r1_job_ready),
    .r0_valid_i    (r0_valid),
    .w_job_o       (w_job_valid),
    .w_job_ready_i (w_job_ready),
    .fire_i        (fire),
    .src_last_i    (src_last),
    .adv_i         (adv),
    .w_done_i      (w_done),
    .tl_bad_i      (tl_bad),
    .tl_end_i      (tl_end)
  );

  always_ff @(posedge clk_i) begin
    if (take) begin
      insn_q <= req_i.insn;
      sc_q   <= req_sc.sc;
    end else if (switch_nx) begin
      insn_q <= nx_q;
      sc_q   <= nx_sc_q;
    end
    if (ahead) begin
      nx_q    <= req_i.insn;
      nx_sc_q <= req_sc.sc;
    end
    if (cap_beat) begin
      if (!beat1) s0_raw_q <= r0_data;
      else s1_raw_q <= r0_data;
    end
    // The space of each reader's job (its previous job's rows are all granted when it loads).
    if (r0_job_valid && r0_job_ready) r0_space_q <= r0_tap.space;
    if (r1_job_valid && r1_job_ready) r1_space_q <= r1_tap.space;
  end

  // IOTA's elements (only IOTA reads them: the others end with reader 0).
  vec_iota u_iota (
    .clk_i,
    .load_i   (st_start || switch_nx),
    .base_i   (switch_nx ? nx_q.imm : insn_q.imm),
    .step_i   (sc_q.imm1),
    .n_i      ({insn_q.out.n2, insn_q.out.n1, insn_q.out.n0}),
    .step_en_i(fire && is_iota),
    .value_o  (iota_v),
    .last_o   (iota_last)
  );

endmodule
