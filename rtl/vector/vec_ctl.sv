/// vec_ctl: the vector engine's control (docs/vector_engine.md sections 5 and 5a): the state of
/// the current instruction (CAP reads, start, run, ACTIVATE's acc CAP, TABLE_LOAD, error stop),
/// when the next one is taken, and the sequencer's ready / done / terr. The engine (vec_engine)
/// holds the instructions and the datapath; it loads the current one at take_o (or from the
/// next one at switch_o) and the next one at ahead_o.
/// Overlap, in two ways:
/// - Drain: once every element of an instruction without acc has fired (last_o) and its out
///   job is in the writer, it is left to drain (its done still owed) and the next one is taken
///   as usual (take_o), early.
/// - Ahead: while the current instruction (without acc) streams, the next one is taken ahead
///   (ahead_o); its reader jobs load as soon as the readers issue the current one's last
///   elements (reader 0: its CAPs first, one element each, then in / in0), and once the current
///   one's last element has fired and the next one's CAP elements have arrived (they follow the
///   current one's elements out of reader 0), the engine switches to it (switch_o: the current
///   one drains, the next one's elements fire from the next cycle).
/// Either only if the next one takes the same path (function chain or bypass), reads nothing
/// (input TAPs, CAPs) in the bytes the instructions before it still write (vec_hazard), and is
/// neither a TABLE_LOAD nor an ACTIVATE TABLE on a slot never loaded (TABLE_ERROR names the
/// oldest incomplete instruction); otherwise it waits. At most three are in the engine: one
/// draining, one firing, one ahead. ready depends on no grant of the same cycle.
/// The current one may complete before the switch (its done then, cur_done_q), when the next
/// one's CAP elements come late.
`include "systole_assert.svh"

module vec_ctl #(
  parameter int OffBits = 18
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  input  logic              clr_i,
  // The sequencer's slot.
  input  isa_pkg::eng_req_t req_i,
  output isa_pkg::eng_rsp_t rsp_o,
  output logic              busy_o,
  input  logic [3:0]        tvalid_i,     // the table slots loaded
  // The current instruction (vec_decode of the engine's insn_q) and the next one.
  input  logic              act_i,        // ACTIVATE: the function chain
  input  logic              acc_i,        // ACTIVATE with acc
  input  logic              tl_i,         // TABLE_LOAD
  input  logic              r0_i,         // uses reader 0 / reader 1
  input  logic              r1_i,
  input  logic              s1c_i,        // reads the s1 (bias) CAP
  input  logic              nx_r0_i,      // the next one uses reader 0 / reader 1
  input  logic              nx_r1_i,
  input  logic              nx_s0c_i,     // the next one reads the s0 / s1 CAP
  input  logic              nx_s1c_i,
  // Moves.
  output logic              take_o,       // the slot's instruction becomes the current one
  output logic              ahead_o,      // the slot's instruction is taken as the next one
  output logic              switch_o,     // the next one becomes the current one
  // The current instruction's phase.
  output logic              cap_o,        // its CAPs are read (reader 0 job: the CAP of cap_sel1_o)
  output logic              cap_sel1_o,   // reader 0's CAP job is the s1 CAP (else s0)
  output logic              cap_beat_o,   // a CAP's elements leave reader 0 (the current or next one's)
  output logic              beat1_o,      // they are the s1 CAP's (else s0's)
  output logic              start_o,      // its reader jobs load (readers free), scalars convert
  output logic              run_o,        // its elements fire
  output logic              last_o,       // its last element has fired
  output logic              tl_run_o,     // TABLE_LOAD takes its words
  output logic              acc_ph_o,     // its acc CAP: the writer job, the values, the write
  output logic              acc_emit_o,   // the acc CAP's values leave the tail
  // Jobs.
  output logic              r0_job_o,     // reader 0 job valid (the CAP, the current's or the next's in0)
  output logic              r1_job_o,
  output logic              nx_r0_job_o,  // the reader's job is the next instruction's in0 / in1
  output logic              nx_r1_job_o,
  output logic              nx_cap_job_o, // reader 0's job is a CAP of the next instruction
  input  logic              r0_job_ready_i,
  input  logic              r1_job_ready_i,
  input  logic              r0_valid_i,   // reader 0 has an element (the CAP's)
  output logic              w_job_o,      // the writer's job valid (out TAP, or acc CAP)
  input  logic              w_job_ready_i,
  // Progress.
  input  logic              fire_i,       // an element of the current instruction fires
  input  logic              src_last_i,   // it is the last one
  input  logic              adv_i,
  input  logic              w_done_i,     // the writer's job is all written
  input  logic              tl_bad_i,     // TABLE_LOAD: a bad table
  input  logic              tl_end_i      // TABLE_LOAD: its last word
);

  // S_ACC..S_ACCW: ACTIVATE's acc CAP (start its writer job, emit the values, wait for the write).
  // S_TL: TABLE_LOAD takes its words. S_ERR: stopped by TABLE_ERROR until the soft reset (clr_i).
  typedef enum logic [3:0] {
    S_IDLE, S_CAP0, S_CAP1, S_START, S_RUN, S_ACC, S_ACCE, S_ACCW, S_TL, S_ERR
  } state_e;
  state_e state_q;

  logic cap_loaded_q;  // the CAP's job was taken; waiting for its beat
  logic last_q, drain_q, dr_act_q, wj_pend_q, nx_valid_q, nx_r0_ld_q, nx_r1_ld_q, cur_done_q;
  // The next instruction's CAP jobs loaded (c0/c1) and their elements taken (g0/g1).
  logic nx_c0_ld_q, nx_c1_ld_q, nx_g0_q, nx_g1_q, nx_c0_job, nx_c1_job, nx_beat, nx_caps;
  logic take_ok, ahead_ok, started, leave, own_done, nx_loaded, raw_dr, raw_cur;
  logic req_r0, req_r1, req_s0c, req_s1c, req_act, req_tl, req_bad_slot;

  assign cap_o      = state_q == S_CAP0 || state_q == S_CAP1;
  assign cap_sel1_o = cap_o ? state_q == S_CAP1 : nx_c1_job;
  // The next one's CAP elements leave reader 0 after every element of the current one (the
  // last has fired, or the current one does not use reader 0), s0's first.
  assign nx_beat    = state_q == S_RUN && nx_valid_q && (last_q || !r0_i) && r0_valid_i &&
                      ((nx_c0_ld_q && !nx_g0_q) || (nx_c1_ld_q && !nx_g1_q));
  assign cap_beat_o = (cap_o && cap_loaded_q && r0_valid_i) || nx_beat;
  assign beat1_o    = cap_o ? state_q == S_CAP1 : !(nx_c0_ld_q && !nx_g0_q);
  assign start_o    = state_q == S_START;
  assign run_o      = state_q == S_RUN;
  assign last_o     = last_q;
  assign tl_run_o   = state_q == S_TL;
  assign acc_ph_o   = state_q == S_ACC || state_q == S_ACCE || state_q == S_ACCW;
  assign acc_emit_o = state_q == S_ACCE;

  /* verilator lint_off PINCONNECTEMPTY */
  vec_decode u_req_dec (
    .insn_i(req_i.insn), .tvalid_i,
    .tt_o(), .ts_o(), .iota_o(), .sel_o(), .red_o(), .act_o(req_act), .tl_o(req_tl),
    .uses_r0_o(req_r0), .uses_r1_o(req_r1), .s0c_o(req_s0c), .s1c_o(req_s1c), .acc_o(),
    .bad_slot_o(req_bad_slot), .int_o(), .op0_o(), .op1_o(), .ctx_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */
  vec_hazard #(.OffBits(OffBits)) u_haz (
    .clk_i,
    .req_i    (req_i.insn),
    .req_r0_i (req_r0),
    .req_r1_i (req_r1),
    .req_s0c_i(req_s0c),
    .req_s1c_i(req_s1c),
    .take_i   (take_o),
    .ahead_i  (ahead_o),
    .switch_i (switch_o),
    .leave_i  (leave),
    .raw_dr_o (raw_dr),
    .raw_cur_o(raw_cur)
  );

  // Taken as usual (early, while one drains, if the rule allows).
  assign take_ok  = state_q == S_IDLE && (!drain_q || (!req_tl && !req_bad_slot && req_act == dr_act_q && !raw_dr)) &&
                    !clr_i;
  assign take_o   = take_ok && req_i.valid;
  // Ahead: only while the current one's last element has not fired (from then on it leaves or
  // completes as without overlap).
  assign ahead_ok = state_q == S_RUN && !nx_valid_q && !acc_i && !last_q && !req_tl && !req_bad_slot &&
                    req_act == act_i && !raw_cur && !(drain_q && raw_dr) && !clr_i;
  assign ahead_o  = ahead_ok && req_i.valid;
  assign started  = (!r0_i || r0_job_ready_i) && (!r1_i || r1_job_ready_i);
  // The current one's own completion in S_RUN (a done while drain_q is the draining one's), and
  // leaving S_RUN early to drain.
  assign own_done = state_q == S_RUN && w_done_i && !drain_q;
  assign leave    = state_q == S_RUN && last_q && !acc_i && !drain_q && !wj_pend_q && !w_done_i && !nx_valid_q;
  // The switch: the next one's CAP elements taken (in an earlier cycle) and reader jobs loaded
  // (or loading), the current one's out job in the writer, its last element firing (or fired),
  // and no other draining (or its done now).
  assign nx_caps   = (!nx_s0c_i || nx_g0_q) && (!nx_s1c_i || nx_g1_q);
  assign nx_loaded = (!nx_r0_i || nx_r0_ld_q || (r0_job_ready_i && nx_r0_job_o)) &&
                     (!nx_r1_i || nx_r1_ld_q || r1_job_ready_i);
  assign switch_o  = state_q == S_RUN && nx_valid_q && nx_caps && nx_loaded && (last_q || (fire_i && src_last_i)) &&
                     !wj_pend_q && (!drain_q || w_done_i) && !clr_i;

  // Reader 0 takes the next one's jobs in order: the s0 CAP, the s1 CAP, in / in0.
  assign nx_c0_job    = state_q == S_RUN && nx_valid_q && nx_s0c_i && !nx_c0_ld_q;
  assign nx_c1_job    = state_q == S_RUN && nx_valid_q && nx_s1c_i && !nx_c1_ld_q && (!nx_s0c_i || nx_c0_ld_q);
  assign nx_cap_job_o = nx_c0_job || nx_c1_job;
  assign nx_r0_job_o  = state_q == S_RUN && nx_valid_q && nx_r0_i && !nx_r0_ld_q && (!nx_s0c_i || nx_c0_ld_q) &&
                        (!nx_s1c_i || nx_c1_ld_q);
  assign nx_r1_job_o  = state_q == S_RUN && nx_valid_q && nx_r1_i && !nx_r1_ld_q;
  assign r0_job_o     = cap_o ? !cap_loaded_q : (state_q == S_START) ? r0_i : (nx_cap_job_o || nx_r0_job_o);
  assign r1_job_o    = (state_q == S_START && r1_i) || nx_r1_job_o;
  assign w_job_o     = wj_pend_q || state_q == S_ACC;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= S_IDLE;
      cap_loaded_q <= 1'b0;
      last_q       <= 1'b0;
      drain_q      <= 1'b0;
      wj_pend_q    <= 1'b0;
      nx_valid_q   <= 1'b0;
      cur_done_q   <= 1'b0;
    end else if (clr_i) begin
      state_q      <= S_IDLE;
      cap_loaded_q <= 1'b0;
      last_q       <= 1'b0;
      drain_q      <= 1'b0;
      wj_pend_q    <= 1'b0;
      nx_valid_q   <= 1'b0;
      cur_done_q   <= 1'b0;
    end else begin
      // At a switch the current one drains unless its own done is now (then the draining one,
      // if any, is done too: writes complete in order).
      if (leave) drain_q <= 1'b1;
      else if (switch_o) drain_q <= !cur_done_q && !own_done;
      else if (drain_q && w_done_i) drain_q <= 1'b0;
      if ((state_q == S_START && started && !tl_i) || switch_o) wj_pend_q <= 1'b1;
      else if (wj_pend_q && w_job_ready_i) wj_pend_q <= 1'b0;
      if (ahead_o) begin
        nx_valid_q <= 1'b1;
        {nx_r0_ld_q, nx_r1_ld_q, nx_c0_ld_q, nx_c1_ld_q, nx_g0_q, nx_g1_q} <= '0;
      end else if (switch_o) begin
        nx_valid_q <= 1'b0;
      end else begin
        if (nx_r0_job_o && r0_job_ready_i) nx_r0_ld_q <= 1'b1;
        if (nx_r1_job_o && r1_job_ready_i) nx_r1_ld_q <= 1'b1;
        if (nx_c0_job && r0_job_ready_i) nx_c0_ld_q <= 1'b1;
        if (nx_c1_job && r0_job_ready_i) nx_c1_ld_q <= 1'b1;
        if (nx_beat && !beat1_o) nx_g0_q <= 1'b1;
        if (nx_beat && beat1_o) nx_g1_q <= 1'b1;
      end
      // The current one complete while the next one waits for its CAPs (then the switch finds
      // nothing to drain).
      if (switch_o) cur_done_q <= 1'b0;
      else if (own_done && nx_valid_q) cur_done_q <= 1'b1;
      unique case (state_q)
        S_IDLE: begin
          if (take_o) state_q <= req_bad_slot ? S_ERR : req_s0c ? S_CAP0 : req_s1c ? S_CAP1 : S_START;
        end
        S_CAP0, S_CAP1: begin
          if (r0_job_o && r0_job_ready_i) cap_loaded_q <= 1'b1;
          if (cap_beat_o) begin
            cap_loaded_q <= 1'b0;
            state_q      <= (state_q == S_CAP0 && s1c_i) ? S_CAP1 : S_START;
          end
        end
        S_START: if (started) begin
          state_q <= tl_i ? S_TL : S_RUN;
          last_q  <= 1'b0;
        end
        S_TL: if (tl_bad_i) state_q <= S_ERR;
              else if (tl_end_i) state_q <= S_IDLE;
        S_ERR: state_q <= S_ERR;  // until clr_i
        S_RUN: begin
          if (switch_o) last_q <= 1'b0;
          else if (fire_i && src_last_i) last_q <= 1'b1;
          if (switch_o) state_q <= S_RUN;
          else if (own_done && !nx_valid_q) state_q <= acc_i ? S_ACC : S_IDLE;
          else if (leave) state_q <= S_IDLE;
        end
        S_ACC:  if (w_job_ready_i) state_q <= S_ACCE;
        S_ACCE: if (adv_i) state_q <= S_ACCW;
        S_ACCW: if (w_done_i) state_q <= S_IDLE;
        default: state_q <= S_IDLE;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (leave || switch_o) dr_act_q <= act_i;
  end

  always_comb begin
    rsp_o       = '0;
    rsp_o.ready = take_ok || ahead_ok;
    rsp_o.done  = (drain_q && w_done_i) || (own_done && !acc_i) || (state_q == S_ACCW && w_done_i) || tl_end_i;
    rsp_o.idle  = 1'b1;  // never on AXI
    rsp_o.beat  = fire_i;
    // TABLE_ERROR: a bad table in TABLE_LOAD, or ACTIVATE TABLE on a slot never loaded; the
    // engine then stops (S_ERR) until clr_i.
    rsp_o.terr  = (take_o && req_bad_slot) || tl_bad_i;
  end
  assign busy_o = state_q != S_IDLE || drain_q;

  logic supported;
  assign supported = req_i.insn.head.hdr.opcode == isa_pkg::OP_TENSOR_TENSOR ||
                     req_i.insn.head.hdr.opcode == isa_pkg::OP_TENSOR_SCALAR ||
                     req_i.insn.head.hdr.opcode == isa_pkg::OP_COPY ||
                     req_i.insn.head.hdr.opcode == isa_pkg::OP_IOTA ||
                     req_i.insn.head.hdr.opcode == isa_pkg::OP_SELECT ||
                     req_i.insn.head.hdr.opcode == isa_pkg::OP_TENSOR_REDUCE ||
                     req_i.insn.head.hdr.opcode == isa_pkg::OP_ACTIVATE ||
                     req_i.insn.head.hdr.opcode == isa_pkg::OP_TABLE_LOAD;
  `ASSERT(supported_op, take_o |-> supported)
  // The readers are free when an instruction starts (the last one's elements have all fired).
  `ASSERT(start_all_ready, state_q == S_START |-> started)
  // Once complete, the current one is not completed again before the switch.
  `ASSERT(done_once, cur_done_q |-> !own_done)
  // The next one waits only while the current one runs.
  `ASSERT(ahead_in_run, nx_valid_q |-> state_q == S_RUN)

endmodule
