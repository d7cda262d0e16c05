/// vec_hazard: the vector engine's read-after-write check between overlapping instructions
/// (docs/vector_engine.md section 5a). It keeps the out TAP's range (space, partitions, bytes:
/// vec_tap_range) of up to three instructions: the one draining (its elements have all fired),
/// the one whose elements fire (the current one) and the one taken ahead (next). For the
/// instruction at the sequencer's slot it computes the ranges of everything it reads (in / in0,
/// in1 or mask, the s0 / s1 CAPs) and says whether any overlaps the draining one's or the
/// current one's writes: such an instruction is not taken before those writes are done.
/// Writes after reads need nothing (an instruction has read all its inputs when its last element
/// fires, before the next one's first), writes after writes are ordered by the single writer.
/// The acc CAP is not tracked: an ACTIVATE with acc is never overlapped.
module vec_hazard #(
  parameter int OffBits = 18
) (
  input  logic           clk_i,
  // The instruction at the slot, and the reads its opcode makes.
  input  isa_pkg::insn_t req_i,
  input  logic           req_r0_i,   // in / in0
  input  logic           req_r1_i,   // in1 / mask
  input  logic           req_s0c_i,  // the s0 (scale) CAP
  input  logic           req_s1c_i,  // the s1 (bias) CAP
  // Bookkeeping, as the engine's control moves instructions along.
  input  logic           take_i,     // the slot's instruction becomes the current one
  input  logic           ahead_i,    // the slot's instruction is taken ahead (next)
  input  logic           switch_i,   // current -> draining, next -> current
  input  logic           leave_i,    // current -> draining
  // What the slot's instruction reads overlaps the writes of the draining one / the current one
  // (each meaningful only while that instruction exists).
  output logic           raw_dr_o,
  output logic           raw_cur_o
);

  // A range: {space[1:0], plo[7:0], phi[7:0], lo, hi}.
  localparam int R = 2 + 8 + 8 + 2 * OffBits;

  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::vec_insn_t    v;
  isa_pkg::vec_sc_insn_t vs;
  /* verilator lint_on UNUSEDSIGNAL */
  assign v  = req_i;
  assign vs = req_i;

  // The TAPs: 0 in0, 1 in1, 2 out; the CAPs: 3 s0, 4 s1 (one element in each of out's lanes).
  // Their fields as flat vectors, k at [W*k +: W] (yosys 0.23 does not take a struct-typed
  // signal inside a generate block).
  logic [5*4-1:0]  dt;
  logic [5*18-1:0] off;
  logic [5*8-1:0]  ps, pc;
  logic [5*2-1:0]  sp;
  logic [5*36-1:0] n;
  logic [5*48-1:0] st;
  assign dt  = {vs.sc.col1.dtype, vs.sc.col0.dtype, v.out.dtype, v.in1.dtype, v.in0.dtype};
  assign off = {vs.sc.col1.offset, vs.sc.col0.offset, v.out.offset, v.in1.offset, v.in0.offset};
  assign ps  = {vs.sc.col1.pstart, vs.sc.col0.pstart, v.out.pstart, v.in1.pstart, v.in0.pstart};
  assign pc  = {v.out.pcount, v.out.pcount, v.out.pcount, v.in1.pcount, v.in0.pcount};
  assign sp  = {vs.sc.col1.space, vs.sc.col0.space, v.out.space, v.in1.space, v.in0.space};
  assign n   = {{3{12'd1}}, {3{12'd1}}, v.out.n2, v.out.n1, v.out.n0, v.in1.n2, v.in1.n1, v.in1.n0,
                v.in0.n2, v.in0.n1, v.in0.n0};
  assign st  = {48'd0, 48'd0, v.out.s2, v.out.s1, v.out.s0, v.in1.s2, v.in1.s1, v.in1.s0, v.in0.s2, v.in0.s1,
                v.in0.s0};

  logic [5*R-1:0] rng;
  for (genvar k = 0; k < 5; k++) begin : gen_range
    logic [7:0]         plo, phi;
    logic [OffBits-1:0] lo, hi;
    vec_tap_range #(.OffBits(OffBits)) u_range (
      .dtype_i(dt[4*k +: 4]), .offset_i(off[18*k +: 18]), .pstart_i(ps[8*k +: 8]), .pcount_i(pc[8*k +: 8]),
      .n_i(n[36*k +: 36]), .s_i(st[48*k +: 48]), .plo_o(plo), .phi_o(phi), .lo_o(lo), .hi_o(hi)
    );
    assign rng[k*R +: R] = {sp[2*k +: 2], plo, phi, lo, hi};
  end

  // Two ranges overlap: same space, a partition and a byte in common.
  function automatic logic overlap_f(logic [R-1:0] a, logic [R-1:0] b);
    logic [OffBits-1:0] alo, ahi, blo, bhi;
    logic [7:0]         aplo, aphi, bplo, bphi;
    {aplo, aphi, alo, ahi} = a[R-3:0];
    {bplo, bphi, blo, bhi} = b[R-3:0];
    overlap_f = a[R-1:R-2] == b[R-1:R-2] && aplo <= bphi && bplo <= aphi && alo <= bhi && blo <= ahi;
  endfunction

  logic [R-1:0] dr_q, cur_q, nx_q;  // the out ranges
  always_ff @(posedge clk_i) begin
    if (take_i) cur_q <= rng[2*R +: R];
    if (ahead_i) nx_q <= rng[2*R +: R];
    if (switch_i) begin
      dr_q  <= cur_q;
      cur_q <= nx_q;
    end
    if (leave_i) dr_q <= cur_q;
  end

  // Every read of the slot's instruction (ranges 0, 1, 3, 4) against both out ranges.
  logic [3:0] rd, ov_dr, ov_cur;
  assign rd = {req_s1c_i, req_s0c_i, req_r1_i, req_r0_i};
  for (genvar k = 0; k < 4; k++) begin : gen_read
    localparam int I = (k < 2) ? k : k + 1;
    assign ov_dr[k]  = rd[k] && overlap_f(rng[I*R +: R], dr_q);
    assign ov_cur[k] = rd[k] && overlap_f(rng[I*R +: R], cur_q);
  end
  assign raw_dr_o  = ov_dr != '0;
  assign raw_cur_o = ov_cur != '0;

endmodule
