/// pe_ctrl: issues MATMUL instructions to the tensor engine (docs/chip.md section 5).
/// Takes the instruction at the tensor engine queue's issue point (its semaphore wait already
/// satisfied), decodes the three TAPs (docs/isa.md MATMUL, isa_pkg::matmul_insn_t; the static
/// checks have run), and in one cycle
/// hands out the tensor engine command and the jobs of the stationary reader, the moving
/// reader and the out mapper, and records the MATMUL as in flight. Completion is in order:
/// done_o pulses two cycles after the out mapper sent the MATMUL's last PSUM beat (PSUM has
/// written it by then), with its useful MACs K*M*N. busy_o: a MATMUL is in flight.
/// Throughput: one MATMUL per cycle can issue while the engine's command slot and the job
/// FIFOs have room; the engine overlaps consecutive MATMULs (stationary double buffer).
`include "systole_assert.svh"

module pe_ctrl #(
  parameter int Partitions = 16,
  parameter int SbufBytes  = 65536,
  parameter int PsumBytes  = 8192,
  parameter int InFlight   = 4,
  parameter int SbAddrBits = $clog2(SbufBytes),
  parameter int PsAddrBits = $clog2(PsumBytes / 4),
  parameter int PartBits   = $clog2(Partitions + 1)
) (
  input  logic                        clk_i,
  input  logic                        rst_ni,
  input  logic                        clr_i,
  // Instruction at the issue point.
  input  logic                        insn_valid_i,
  output logic                        insn_ready_o,
  input  logic [isa_pkg::INSN_BITS-1:0] insn_i,
  // Tensor engine command.
  output logic                        cmd_valid_o,
  input  logic                        cmd_ready_i,
  output tensor_pkg::cmd_t            cmd_o,
  // Stationary and moving reader jobs (byte offsets and byte strides).
  output logic                        stat_valid_o,
  input  logic                        stat_ready_i,
  output logic                        mov_valid_o,
  input  logic                        mov_ready_i,
  output logic [SbAddrBits-1:0]       stat_base_o,
  output logic [3*12-1:0]             stat_n_o,
  output logic [3*SbAddrBits-1:0]     stat_s_o,
  output logic [SbAddrBits-1:0]       mov_base_o,
  output logic [3*12-1:0]             mov_n_o,
  output logic [3*SbAddrBits-1:0]     mov_s_o,
  // Out mapper job (PSUM words).
  output logic                        out_valid_o,
  input  logic                        out_ready_i,
  output logic [PsAddrBits-1:0]       out_base_o,
  output logic [3*12-1:0]             out_n_o,
  output logic [3*PsAddrBits-1:0]     out_s_o,
  output logic [PartBits-1:0]         out_pstart_o,
  // The out mapper's last beat of a MATMUL.
  input  logic                        out_last_i,
  // Completion, in order.
  output logic                        done_o,
  output logic [31:0]                 done_macs_o,
  output logic                        busy_o
);

  // The instruction carries fields this module does not need (header, reserved words, spaces,
  // dtypes of out/moving, the fields the static checks in decode_check have already validated),
  // and the strides are computed in 32 bits before being cut to the address width: the unused
  // bits are expected, hence the waiver for this section only.
  /* verilator lint_off UNUSEDSIGNAL */
  // ---- fields (isa_pkg::matmul_insn_t: out, stationary and moving TAPs) ----------------------
  isa_pkg::matmul_insn_t mm;
  isa_pkg::tap_t         out_t, stat_t, mov_t;
  logic                  start;
  assign mm     = insn_i;
  assign start  = mm.start;
  assign out_t  = mm.out;
  assign stat_t = mm.stat;
  assign mov_t  = mm.mov;

  // Strides in elements (16-bit signed) scaled to bytes (<< lg) in W-bit two's complement.
  function automatic logic [3*32-1:0] strides(logic [15:0] s0, logic [15:0] s1, logic [15:0] s2,
                                              int lg);
    logic [31:0] b0, b1, b2;
    b0 = 32'($signed(s0)) << lg;
    b1 = 32'($signed(s1)) << lg;
    b2 = 32'($signed(s2)) << lg;
    strides = {b2, b1, b0};
  endfunction

  logic [3:0]  dtype;
  logic        wide;  // bf16: 2-byte elements
  logic [15:0] m_size, n_size;
  logic [8:0]  k;
  logic [3*32-1:0] s_stat, s_mov, s_out;

  assign dtype  = stat_t.dtype;
  assign wide   = dtype == isa_pkg::DT_BF16;
  assign k      = {1'b0, stat_t.pcount};
  assign m_size = 16'(out_t.pcount);
  // N = out free size (= moving free size); legal values are <= Nmax, so 16 bits hold it.
  assign n_size = 16'(16'(out_t.n0) * 16'(out_t.n1) * 16'(out_t.n2));
  assign s_stat = wide ? strides(stat_t.s0, stat_t.s1, stat_t.s2, 1)
                       : strides(stat_t.s0, stat_t.s1, stat_t.s2, 0);
  assign s_mov  = wide ? strides(mov_t.s0, mov_t.s1, mov_t.s2, 1)
                       : strides(mov_t.s0, mov_t.s1, mov_t.s2, 0);
  assign s_out  = strides(out_t.s0, out_t.s1, out_t.s2, 0);

  /* verilator lint_on UNUSEDSIGNAL */

  always_comb begin
    cmd_o        = '0;
    cmd_o.dtype  = (dtype == isa_pkg::DT_BF16) ? tensor_pkg::MM_BF16 :
                   (dtype == isa_pkg::DT_FP8) ? tensor_pkg::MM_FP8 : tensor_pkg::MM_INT8;
    cmd_o.start  = start;
    cmd_o.pstart = stat_t.pstart;
    cmd_o.k      = k;
    cmd_o.m      = 9'(m_size);
    cmd_o.n      = n_size;
    cmd_o.addr   = '0;  // the out mapper places the beats; the engine's index is unused
  end

  // Bases from the TAP offsets (SBUF bytes; PSUM 4-byte words, the out dtype being 32-bit) and
  // the counts {n2, n1, n0}.
  assign stat_base_o = stat_t.offset[SbAddrBits-1:0];
  assign stat_n_o    = {stat_t.n2, stat_t.n1, stat_t.n0};
  assign mov_base_o  = mov_t.offset[SbAddrBits-1:0];
  assign mov_n_o     = {mov_t.n2, mov_t.n1, mov_t.n0};
  assign out_base_o  = out_t.offset[PsAddrBits+1:2];
  assign out_n_o     = {out_t.n2, out_t.n1, out_t.n0};
  assign out_pstart_o = PartBits'(out_t.pstart);
  for (genvar d = 0; d < 3; d++) begin : gen_s
    assign stat_s_o[d*SbAddrBits +: SbAddrBits] = s_stat[d*32 +: SbAddrBits];
    assign mov_s_o[d*SbAddrBits +: SbAddrBits]  = s_mov[d*32 +: SbAddrBits];
    assign out_s_o[d*PsAddrBits +: PsAddrBits]  = s_out[d*32 +: PsAddrBits];
  end

  // ---- issue: everything accepts in the same cycle -------------------------------------------
  logic track_ready, issue;
  assign issue        = insn_valid_i && cmd_ready_i && stat_ready_i && mov_ready_i && out_ready_i &&
                        track_ready && !clr_i;
  assign insn_ready_o = issue;
  // Valids are offered only together (each consumer sees valid with all others ready), so
  // no consumer ever takes a job alone; the valid is a function of the readies here, which is
  // safe because all four are this module's own FIFOs / the engine's command register.
  assign cmd_valid_o  = issue;
  assign stat_valid_o = issue;
  assign mov_valid_o  = issue;
  assign out_valid_o  = issue;

  // ---- completion -------------------------------------------------------------------------
  logic [31:0] macs;
  logic        trk_valid, last_q, last_q2;
  logic [$clog2(InFlight+1)-1:0] trk_count;
  logic        unused_trk;
  assign unused_trk = ^trk_count;
  assign macs = 32'(k) * 32'(m_size) * 32'(n_size);

  fifo #(
    .Width(32),
    .Depth(InFlight)
  ) u_track (
    .clk_i,
    .rst_ni,
    .clr_i,
    .in_valid_i (issue),
    .in_ready_o (track_ready),
    .in_data_i  (macs),
    .out_valid_o(trk_valid),
    .out_ready_i(last_q2),
    .out_data_o (done_macs_o),
    .count_o    (trk_count)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      last_q  <= 1'b0;
      last_q2 <= 1'b0;
    end else if (clr_i) begin
      last_q  <= 1'b0;
      last_q2 <= 1'b0;
    end else begin
      last_q  <= out_last_i;
      last_q2 <= last_q;
    end
  end
  assign done_o = last_q2;
  assign busy_o = trk_valid;

  `ASSERT(done_has_matmul, last_q2 |-> trk_valid)
  `ASSERT(k_legal, insn_valid_i |-> (k != 9'd0) && (k <= 9'(Partitions)))

endmodule
