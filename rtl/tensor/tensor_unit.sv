/// tensor_unit: the tensor engine of the chip (docs/chip.md section 5): pe_ctrl issues MATMULs,
/// two tap_readers fetch the stationary and moving tiles through SBUF port A (moving first,
/// stationary in the cycles the moving reader leaves free), tensor_engine computes, and
/// out_mapper places the results on the PSUM PE port. Completion (rsp_o.done) is in order.
`include "systole_assert.svh"

module tensor_unit #(
  parameter int Partitions = 16,
  parameter int Columns    = 16,
  parameter int Nmax       = 512,
  parameter int SbufBytes  = 65536,
  parameter int PsumBytes  = 8192,
  parameter int EnableInt8 = 1,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int SbAddrBits = $clog2(SbufBytes),
  parameter int PsAddrBits = $clog2(PsumBytes / 4)
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       clr_i,
  // Engine slot (isa_pkg engine issue interface): the MATMUL (isa_pkg::matmul_insn_t) at the
  // tensor engine queue's issue point; completions in order. The unit is never on the AXI bus
  // (idle, no errors, no beats): its work in flight is dropped by clr_i.
  input  isa_pkg::eng_req_t          req_i,
  output isa_pkg::eng_rsp_t          rsp_o,
  // Completion side band: the MACs of the completing MATMUL (with rsp_o.done), work in flight.
  output logic [31:0]                done_macs_o,
  output logic                       busy_o,
  // SBUF port A.
  output logic                       sb_en_o,
  output logic [SbAddrBits-4:0]      sb_addr_o,
  input  logic [Partitions*64-1:0]   sb_rdata_i,
  // PSUM PE port.
  output logic                       ps_valid_o,
  output logic [Partitions*32-1:0]   ps_data_o,
  output logic [PsAddrBits-1:0]      ps_addr_o,
  output logic [Partitions-1:0]      ps_mask_o,
  output logic                       ps_acc_o,
  output logic                       ps_fp_o
);

  localparam int LaneBits = (EnableBf16 != 0) ? 16 : 8;
  localparam int PartBits = $clog2(Partitions + 1);
  localparam int TeAddrBits = $clog2(PsumBytes / 4);

  logic cmd_valid, cmd_ready;
  tensor_pkg::cmd_t cmd;
  logic stat_job_valid, stat_job_ready, mov_job_valid, mov_job_ready, out_job_valid, out_job_ready;
  logic [SbAddrBits-1:0]   stat_base, mov_base;
  logic [3*12-1:0]         stat_n, mov_n, out_n;
  logic [3*SbAddrBits-1:0] stat_s, mov_s;
  logic [PsAddrBits-1:0]   out_base;
  logic [3*PsAddrBits-1:0] out_s;
  logic [PartBits-1:0]     out_pstart;
  logic                    out_last;

  // Job FIFOs between pe_ctrl and the readers / out mapper: a MATMUL can issue while the
  // previous one is still being read or written out (the out mapper is busy with MATMUL i
  // until its last beat, long after MATMUL i+1 could start loading its stationary tile).
  localparam int SJW = SbAddrBits + 36 + 3 * SbAddrBits;
  localparam int OJW = PsAddrBits + 36 + 3 * PsAddrBits + PartBits;
  logic           sj_valid, sj_ready, mj_valid, mj_ready, oj_valid, oj_ready;
  logic [SJW-1:0] sj_data, mj_data;
  logic [OJW-1:0] oj_data;

  // The engine slot.
  logic                         insn_valid, insn_ready, done;
  logic [isa_pkg::INSN_BITS-1:0] insn_words;
  assign insn_valid      = req_i.valid;
  assign insn_words      = req_i.insn;
  assign rsp_o.ready     = insn_ready;
  assign rsp_o.done      = done;
  assign rsp_o.idle      = 1'b1;
  assign rsp_o.err       = 1'b0;
  assign rsp_o.err_resp  = 2'b00;
  assign rsp_o.err_write = 1'b0;
  assign rsp_o.beat      = 1'b0;
  assign rsp_o.terr      = 1'b0;

  pe_ctrl #(
    .Partitions(Partitions),
    .SbufBytes (SbufBytes),
    .PsumBytes (PsumBytes)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .clr_i,
    .insn_valid_i(insn_valid),
    .insn_ready_o(insn_ready),
    .insn_i      (insn_words),
    .cmd_valid_o (cmd_valid),
    .cmd_ready_i (cmd_ready),
    .cmd_o       (cmd),
    .stat_valid_o(sj_valid),
    .stat_ready_i(sj_ready),
    .mov_valid_o (mj_valid),
    .mov_ready_i (mj_ready),
    .stat_base_o (sj_data[SbAddrBits-1:0]),
    .stat_n_o    (sj_data[SbAddrBits +: 36]),
    .stat_s_o    (sj_data[SbAddrBits+36 +: 3*SbAddrBits]),
    .mov_base_o  (mj_data[SbAddrBits-1:0]),
    .mov_n_o     (mj_data[SbAddrBits +: 36]),
    .mov_s_o     (mj_data[SbAddrBits+36 +: 3*SbAddrBits]),
    .out_valid_o (oj_valid),
    .out_ready_i (oj_ready),
    .out_base_o  (oj_data[PsAddrBits-1:0]),
    .out_n_o     (oj_data[PsAddrBits +: 36]),
    .out_s_o     (oj_data[PsAddrBits+36 +: 3*PsAddrBits]),
    .out_pstart_o(oj_data[PsAddrBits+36+3*PsAddrBits +: PartBits]),
    .out_last_i  (out_last),
    .done_o      (done),
    .done_macs_o,
    .busy_o
  );

  // The job FIFOs' occupancy counts (count_o) are not needed here: left unconnected on purpose.
  /* verilator lint_off PINCONNECTEMPTY */
  logic [SJW-1:0] sj_q, mj_q;
  logic [OJW-1:0] oj_q;
  fifo #(.Width(SJW), .Depth(2)) u_sj (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(sj_valid), .in_ready_o(sj_ready), .in_data_i(sj_data),
    .out_valid_o(stat_job_valid), .out_ready_i(stat_job_ready), .out_data_o(sj_q), .count_o()
  );
  fifo #(.Width(SJW), .Depth(2)) u_mj (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(mj_valid), .in_ready_o(mj_ready), .in_data_i(mj_data),
    .out_valid_o(mov_job_valid), .out_ready_i(mov_job_ready), .out_data_o(mj_q), .count_o()
  );
  fifo #(.Width(OJW), .Depth(4)) u_oj (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(oj_valid), .in_ready_o(oj_ready), .in_data_i(oj_data),
    .out_valid_o(out_job_valid), .out_ready_i(out_job_ready), .out_data_o(oj_q), .count_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */
  assign {stat_s, stat_n, stat_base} = sj_q;
  assign {mov_s, mov_n, mov_base}    = mj_q;
  assign {out_pstart, out_s, out_n, out_base} = oj_q;

  // ---- SBUF port A: the moving reader first -----------------------------------------------
  logic                    stat_req, mov_req, stat_gnt, mov_gnt;
  logic [SbAddrBits-4:0]   stat_addr, mov_addr;
  assign mov_gnt   = mov_req;
  assign stat_gnt  = stat_req && !mov_req;
  assign sb_en_o   = stat_req || mov_req;
  assign sb_addr_o = mov_req ? mov_addr : stat_addr;

  logic stat_valid, stat_ready, mov_valid, mov_ready;
  logic [Partitions*LaneBits-1:0] stat_data, mov_data;

  tap_reader #(
    .Partitions(Partitions),
    .SbufBytes (SbufBytes),
    .LaneBits  (LaneBits)
  ) u_stat (
    .clk_i,
    .rst_ni,
    .clr_i,
    .job_valid_i(stat_job_valid),
    .job_ready_o(stat_job_ready),
    .job_base_i (stat_base),
    .job_n_i    (stat_n),
    .job_s_i    (stat_s),
    .rd_req_o   (stat_req),
    .rd_addr_o  (stat_addr),
    .rd_gnt_i   (stat_gnt),
    .rd_data_i  (sb_rdata_i),
    .out_valid_o(stat_valid),
    .out_ready_i(stat_ready),
    .out_data_o (stat_data)
  );

  tap_reader #(
    .Partitions(Partitions),
    .SbufBytes (SbufBytes),
    .LaneBits  (LaneBits)
  ) u_mov (
    .clk_i,
    .rst_ni,
    .clr_i,
    .job_valid_i(mov_job_valid),
    .job_ready_o(mov_job_ready),
    .job_base_i (mov_base),
    .job_n_i    (mov_n),
    .job_s_i    (mov_s),
    .rd_req_o   (mov_req),
    .rd_addr_o  (mov_addr),
    .rd_gnt_i   (mov_gnt),
    .rd_data_i  (sb_rdata_i),
    .out_valid_o(mov_valid),
    .out_ready_i(mov_ready),
    .out_data_o (mov_data)
  );

  // ---- the array ----------------------------------------------------------------------------
  logic                    te_valid, te_ready, te_acc, te_fp, te_err;
  logic [Columns*32-1:0]   te_data;
  logic [TeAddrBits-1:0]   te_addr;
  logic [Columns-1:0]      te_mask;

  tensor_engine #(
    .Partitions(Partitions),
    .Columns   (Columns),
    .Nmax      (Nmax),
    .PsumBytes (PsumBytes),
    .EnableInt8(EnableInt8),
    .EnableBf16(EnableBf16),
    .EnableFp8 (EnableFp8)
  ) u_te (
    .clk_i,
    .rst_ni      (rst_ni && !clr_i),
    .cmd_valid_i (cmd_valid),
    .cmd_ready_o (cmd_ready),
    .cmd_data_i  (cmd),
    .stat_valid_i(stat_valid),
    .stat_ready_o(stat_ready),
    .stat_data_i (stat_data),
    .mov_valid_i (mov_valid),
    .mov_ready_o (mov_ready),
    .mov_data_i  (mov_data),
    .psum_valid_o(te_valid),
    .psum_ready_i(te_ready),
    .psum_data_o (te_data),
    .psum_addr_o (te_addr),
    .psum_mask_o (te_mask),
    .psum_acc_o  (te_acc),
    .psum_fp_o   (te_fp),
    .err_o       (te_err)
  );
  // The engine's dense element index is not needed: out_mapper walks the out TAP.
  logic unused_te;
  assign unused_te = ^te_addr;

  out_mapper #(
    .Partitions(Partitions),
    .Columns   (Columns),
    .PsumBytes (PsumBytes)
  ) u_out (
    .clk_i,
    .rst_ni,
    .clr_i,
    .job_valid_i (out_job_valid),
    .job_ready_o (out_job_ready),
    .job_base_i  (out_base),
    .job_n_i     (out_n),
    .job_s_i     (out_s),
    .job_pstart_i(out_pstart),
    .te_valid_i  (te_valid),
    .te_ready_o  (te_ready),
    .te_data_i   (te_data),
    .te_mask_i   (te_mask),
    .te_acc_i    (te_acc),
    .te_fp_i     (te_fp),
    .pe_valid_o  (ps_valid_o),
    .pe_data_o   (ps_data_o),
    .pe_addr_o   (ps_addr_o),
    .pe_mask_o   (ps_mask_o),
    .pe_acc_o    (ps_acc_o),
    .pe_fp_o     (ps_fp_o),
    .last_o      (out_last)
  );

  // A command the static checks let through is always in range for the engine.
  `ASSERT(engine_command_legal, !te_err)

endmodule
