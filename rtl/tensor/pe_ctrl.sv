/// pe_ctrl: issues MATMUL instructions to the tensor engine (docs/chip.md section 5).
/// Takes the instruction at the PE queue's issue point (its semaphore wait already satisfied),
/// decodes the three TAPs (docs/isa.md MATMUL; the static checks have run), and in one cycle
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
  input  logic [511:0]                insn_i,
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

  // The instruction word and the TAP words carry fields this module does not need (header,
  // spaces, dtypes of out/moving, the words the static checks in decode_check have already
  // validated), and the strides are computed in 32 bits before being cut to the address width:
  // the unused bits are expected, hence the waiver for this section only.
  /* verilator lint_off UNUSEDSIGNAL */
  // ---- fields (docs/isa.md TAP: a0 offset/dtype/space/pstart, a1 pcount/n0/n1, a2 n2/s0, a3 s1/s2)
  logic        start;
  logic [31:0] o0, o1, o2, o3, t0, t1, t2, t3, m0, m1, m2, m3;
  assign start = insn_i[2*32];
  logic unused_header;  // header (w0, w1: opcode, engine, semaphores) and reserved w3
  assign unused_header = ^{insn_i[127:65], insn_i[63:0]};
  assign {o3, o2, o1, o0} = insn_i[4*32 +: 128];
  assign {t3, t2, t1, t0} = insn_i[8*32 +: 128];
  assign {m3, m2, m1, m0} = insn_i[12*32 +: 128];

  function automatic logic [35:0] counts(logic [31:0] a1, logic [31:0] a2);
    counts = {a2[11:0], a1[31:20], a1[19:8]};
  endfunction
  // Strides in elements (16-bit signed) scaled to bytes (<< lg) in W-bit two's complement.
  function automatic logic [3*32-1:0] strides(logic [31:0] a2, logic [31:0] a3, int lg);
    logic [31:0] s0, s1, s2;
    s0 = 32'($signed(a2[31:16])) << lg;
    s1 = 32'($signed(a3[15:0])) << lg;
    s2 = 32'($signed(a3[31:16])) << lg;
    strides = {s2, s1, s0};
  endfunction

  logic [3:0]  dtype;
  logic        wide;  // bf16: 2-byte elements
  logic [15:0] m_size, n_size;
  logic [8:0]  k;
  logic [3*32-1:0] s_stat, s_mov, s_out;

  assign dtype  = t0[21:18];
  assign wide   = dtype == 4'd2;
  assign k      = {1'b0, t1[7:0]};
  assign m_size = 16'(o1[7:0]);
  // N = out free size (= moving free size); legal values are <= Nmax, so 16 bits hold it.
  assign n_size = 16'(16'(o1[19:8]) * 16'(o1[31:20]) * 16'(o2[11:0]));
  assign s_stat = wide ? strides(t2, t3, 1) : strides(t2, t3, 0);
  assign s_mov  = wide ? strides(m2, m3, 1) : strides(m2, m3, 0);
  assign s_out  = strides(o2, o3, 0);

  /* verilator lint_on UNUSEDSIGNAL */

  always_comb begin
    cmd_o        = '0;
    cmd_o.dtype  = (dtype == 4'd2) ? tensor_pkg::DT_BF16 :
                   (dtype == 4'd3) ? tensor_pkg::DT_FP8 : tensor_pkg::DT_INT8;
    cmd_o.start  = start;
    cmd_o.pstart = t0[31:24];
    cmd_o.k      = k;
    cmd_o.m      = 9'(m_size);
    cmd_o.n      = n_size;
    cmd_o.addr   = '0;  // the out mapper places the beats; the engine's index is unused
  end

  assign stat_base_o = t0[SbAddrBits-1:0];
  assign stat_n_o    = counts(t1, t2);
  assign mov_base_o  = m0[SbAddrBits-1:0];
  assign mov_n_o     = counts(m1, m2);
  assign out_base_o  = o0[PsAddrBits+1:2];
  assign out_n_o     = counts(o1, o2);
  assign out_pstart_o = PartBits'(o0[31:24]);
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
