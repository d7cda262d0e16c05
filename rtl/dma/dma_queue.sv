/// dma_queue: one DMA queue of the chip (docs/isa.md DMA, docs/chip.md section 6). Executes the
/// DMA instructions handed to it at its issue point, in order: element j of the source pattern
/// goes to element j of the destination pattern, converted by the instruction's cast.
///
/// Structure: the accepted instruction's source DAP waits in a slot for dma_rd (source side:
/// DRAM read bursts or SBUF/PSUM reads, one element per cycle), its destination DAP and cast in a
/// slot for dma_wr (destination side: DRAM write bursts with strobes or SBUF/PSUM writes). The
/// two sides are joined by dma_rd's element FIFO; each side walks its patterns with dap_iters.
///
/// Ordering (isa.md: instructions on one engine take effect in program order). The destination
/// side writes the element stream in order, so writes of consecutive instructions never
/// reorder (DRAM writes share one AXI ID; on-chip writes come from one requester in order), and
/// every element is read before it, or anything after it, is written. The only hazard is a read
/// overtaking an earlier instruction's write: an instruction is therefore accepted only when no
/// instruction in flight writes the space it reads (SBUF, PSUM or DRAM). Otherwise the source
/// side of instruction i+1 (its AR bursts included) overlaps the tail of instruction i.
///
/// Completion: rsp_o.done pulses, in instruction order, when every destination write of the
/// instruction is done (on chip: granted; DRAM: B received). Every R and B response is checked:
/// an SLVERR/DECERR gives one rsp_o.err pulse (the first erroneous beat of an R burst, or the B),
/// with its response and direction, a cycle after the handshake; the queue keeps running.
/// stop_i (quiesce, held until clr_i): no new instruction, AR, AW or on-chip access, no
/// completion; addressed write bursts finish with WSTRB = 0; every R and B is taken and dropped.
/// rsp_o.idle: nothing outstanding on AXI or on chip and, unless stopped, no instruction in
/// flight.
/// Throughput: one element per cycle for patterns that coalesce into bursts.
`include "systole_assert.svh"

module dma_queue #(
  parameter int Partitions  = 16,
  parameter int SbufBytes   = 65536,
  parameter int PsumBytes   = 8192,
  parameter int AxiDataBits = 256,
  parameter int ReadBursts  = 8,      // outstanding AXI read bursts
  parameter int PartBits    = (Partitions > 1) ? $clog2(Partitions) : 1,
  // The chunk stream and the on-chip row ports (docs/dma.md): a row of max(AXI beat, 8) bytes.
  parameter int RowBytes    = mem_pkg::row_bytes(AxiDataBits),
  parameter int RowAddrBits = $clog2(((SbufBytes > PsumBytes) ? SbufBytes : PsumBytes) / RowBytes),
  parameter int OffBits     = $clog2(RowBytes),
  // PSUM's banks of 512 words (psum.sv) and the first bit of the bank number in a row address.
  parameter int PsBanks     = mem_pkg::psum_banks(PsumBytes),
  parameter int PsBankLsb   = $clog2(PsumBytes / RowBytes) - ((PsBanks > 1) ? $clog2(PsBanks) : 0)
) (
  input  logic clk_i, rst_ni,
  input  logic clr_i,           // synchronous flush: drop everything (used after quiesce)
  input  logic stop_i,          // quiesce
  // Engine slot (isa_pkg engine issue interface): the DMA instruction (isa_pkg::dma_insn_t) at
  // the queue's issue point, semaphore wait already satisfied; rsp_o.done pulses once per
  // completed instruction, in order; rsp_o.idle: nothing in progress, nothing outstanding on
  // AXI or on chip; rsp_o.err pulses when an R or B response was SLVERR/DECERR (err_resp: its
  // RRESP/BRESP, err_write: a B response); rsp_o.beat: an AXI data beat or an on-chip element
  // access this cycle.
  input  isa_pkg::eng_req_t req_i,
  output isa_pkg::eng_rsp_t rsp_o,
  output logic busy_o,          // an instruction is in progress
  output logic stall_dram_o,    // an instruction needs AXI but no R/W beat moved this cycle
  output logic [15:0] rd_bytes_o, // DRAM element bytes read this cycle
  output logic [15:0] wr_bytes_o, // DRAM element bytes written this cycle
  // AXI4 master, no IDs.
  output logic ar_valid_o, input logic ar_ready_i, output logic [31:0] ar_addr_o, output logic [7:0] ar_len_o,
  input  logic r_valid_i, output logic r_ready_o, input logic [AxiDataBits-1:0] r_data_i,
  input  logic [1:0] r_resp_i, input logic r_last_i,
  output logic aw_valid_o, input logic aw_ready_i, output logic [31:0] aw_addr_o, output logic [7:0] aw_len_o,
  output logic w_valid_o, input logic w_ready_i, output logic [AxiDataBits-1:0] w_data_o,
  output logic [AxiDataBits/8-1:0] w_strb_o, output logic w_last_o,
  input  logic b_valid_i, output logic b_ready_o, input logic [1:0] b_resp_i,
  // On-chip requesters (mem_xbar format): 0 = the source side (reads), 1 = the destination side
  // (writes), each steered to the SBUF or the PSUM crossbar; the memories' rows (read data).
  output logic [1:0] sb_en_o, output logic [1:0] ps_en_o, output logic [1:0] oc_we_o,
  output logic [1:0] oc_col_o, output logic [2*PartBits-1:0] oc_part_o, output logic [2*8-1:0] oc_np_o,
  output logic [2*RowAddrBits-1:0] oc_row_o, output logic [2*OffBits-1:0] oc_off_o,
  output logic [2*2-1:0] oc_lg_o, output logic [2*RowBytes-1:0] oc_be_o,
  output logic [2*RowBytes*8-1:0] oc_wdata_o,
  input  logic [1:0] sb_gnt_i, input logic [1:0] ps_gnt_i,
  input  logic [Partitions*RowBytes*8-1:0] sb_rows_i,
  input  logic [Partitions*PsBanks*RowBytes*8-1:0] ps_rows_i  // every bank's row (psum.sv)
);

  localparam int BeatLg   = $clog2(AxiDataBits / 8);
  localparam int InFlight = 8;  // instructions accepted and not yet completed
  localparam int CntBits  = $clog2(InFlight + 1);

  // ---- the instruction ----------------------------------------------------------------------
  isa_pkg::dma_insn_t insn;
  isa_pkg::dap_t      dst_in, src_in;
  logic [1:0]         dst_sp_in, src_sp_in;
  assign insn      = req_i.insn;
  assign dst_in    = insn.dst;
  assign src_in    = insn.src;
  assign dst_sp_in = dst_in.space;
  assign src_sp_in = src_in.space;

  // ---- in flight: dst space of each accepted instruction, counts by space -------------------
  logic               if_in_ready, if_valid, retire, accept, hazard, head_dram;
  logic [2:0]         if_head;  // {needs AXI, dst space}
  logic [CntBits-1:0] n_sb_q, n_ps_q, n_dram_q, n_axi_q, cmp_dram_q, cmp_chip_q;
  logic               in_axi, dram_done, chip_done;
  assign in_axi = dst_sp_in == isa_pkg::SP_DRAM || src_sp_in == isa_pkg::SP_DRAM;

  // Its count is not needed (the counts by space are): count_o is left unconnected on purpose.
  /* verilator lint_off PINCONNECTEMPTY */
  fifo #(.Width(3), .Depth(InFlight), .PopOnlyWhenValid(1'b1)) u_inflight (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(accept), .in_ready_o(if_in_ready), .in_data_i({in_axi, dst_sp_in}),
    .out_valid_o(if_valid), .out_ready_i(retire), .out_data_o(if_head), .count_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  assign hazard = (src_sp_in == isa_pkg::SP_SBUF && n_sb_q != '0) ||
                  (src_sp_in == isa_pkg::SP_PSUM && n_ps_q != '0) ||
                  (src_sp_in == isa_pkg::SP_DRAM && n_dram_q != '0);

  // ---- slots for the two sides --------------------------------------------------------------
  logic          src_v_q, dst_v_q, rd_job_ready, wr_job_ready, insn_ready;
  isa_pkg::dap_t src_q, dst_q;
  logic [1:0]    cast_q;

  assign insn_ready = !stop_i && !clr_i && !src_v_q && !dst_v_q && if_in_ready && !hazard;
  assign accept     = req_i.valid && insn_ready;
  assign rsp_o.ready = insn_ready;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      src_v_q <= 1'b0;
      dst_v_q <= 1'b0;
    end else if (clr_i) begin
      src_v_q <= 1'b0;
      dst_v_q <= 1'b0;
    end else begin
      if (accept)            src_v_q <= 1'b1;
      else if (rd_job_ready) src_v_q <= 1'b0;
      if (accept)            dst_v_q <= 1'b1;
      else if (wr_job_ready) dst_v_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (accept) begin
      src_q  <= src_in;
      dst_q  <= dst_in;
      cast_q <= dma_pkg::cast_mode(src_in.dtype, dst_in.dtype);
    end
  end

  // ---- the two sides ------------------------------------------------------------------------
  // The chunk stream between the sides: up to a row per cycle.
  localparam int RowCntBits = $clog2(RowBytes) + 1;
  logic                  el_valid, el_ready, rd_idle, wr_idle;
  logic [RowBytes*8-1:0] el_data;
  logic [RowCntBits-1:0] el_bytes;
  logic [7:0]            rd_bytes, wr_bytes;

  dma_rd #(
    .Partitions(Partitions), .RowAddrBits(RowAddrBits),
    .AxiDataBits(AxiDataBits), .ReadBursts(ReadBursts), .RowBytes(RowBytes), .RowCntBits(RowCntBits),
    .PsBanks(PsBanks), .PsBankLsb(PsBankLsb)
  ) u_rd (
    .clk_i, .rst_ni, .clr_i, .stop_i,
    .job_valid_i(src_v_q), .job_ready_o(rd_job_ready), .job_dap_i(src_q),
    .ar_valid_o, .ar_ready_i, .ar_addr_o, .ar_len_o,
    .r_valid_i, .r_ready_o, .r_data_i, .r_last_i,
    .sb_en_o(sb_en_o[0]), .ps_en_o(ps_en_o[0]), .oc_col_o(oc_col_o[0]),
    .oc_part_o(oc_part_o[0 +: PartBits]), .oc_np_o(oc_np_o[0 +: 8]), .oc_row_o(oc_row_o[0 +: RowAddrBits]),
    .oc_off_o(oc_off_o[0 +: OffBits]), .oc_lg_o(oc_lg_o[0 +: 2]),
    .sb_gnt_i(sb_gnt_i[0]), .ps_gnt_i(ps_gnt_i[0]), .sb_rows_i, .ps_rows_i,
    .el_valid_o(el_valid), .el_ready_i(el_ready), .el_data_o(el_data), .el_bytes_o(el_bytes),
    .rd_bytes_o(rd_bytes), .idle_o(rd_idle)
  );

  dma_wr #(
    .Partitions(Partitions), .RowAddrBits(RowAddrBits),
    .AxiDataBits(AxiDataBits), .WriteBursts(ReadBursts), .RowBytes(RowBytes), .RowCntBits(RowCntBits)
  ) u_wr (
    .clk_i, .rst_ni, .clr_i, .stop_i,
    .job_valid_i(dst_v_q), .job_ready_o(wr_job_ready), .job_dap_i(dst_q), .job_cast_i(cast_q),
    .el_valid_i(el_valid), .el_ready_o(el_ready), .el_data_i(el_data), .el_bytes_i(el_bytes),
    .aw_valid_o, .aw_ready_i, .aw_addr_o, .aw_len_o,
    .w_valid_o, .w_ready_i, .w_data_o, .w_strb_o, .w_last_o,
    .b_valid_i, .b_ready_o,
    .sb_en_o(sb_en_o[1]), .ps_en_o(ps_en_o[1]), .oc_col_o(oc_col_o[1]),
    .oc_part_o(oc_part_o[PartBits +: PartBits]), .oc_np_o(oc_np_o[8 +: 8]),
    .oc_row_o(oc_row_o[RowAddrBits +: RowAddrBits]), .oc_off_o(oc_off_o[OffBits +: OffBits]),
    .oc_lg_o(oc_lg_o[2 +: 2]), .oc_be_o(oc_be_o[RowBytes +: RowBytes]),
    .oc_wdata_o(oc_wdata_o[RowBytes*8 +: RowBytes*8]), .sb_gnt_i(sb_gnt_i[1]), .ps_gnt_i(ps_gnt_i[1]),
    .wr_bytes_o(wr_bytes), .dram_done_o(dram_done), .chip_done_o(chip_done), .idle_o(wr_idle)
  );

  // Requester 0 only reads, requester 1 only writes.
  assign oc_we_o                    = 2'b10;
  assign oc_be_o[0 +: RowBytes]      = '0;
  assign oc_wdata_o[0 +: RowBytes*8] = '0;

  // ---- completion, in order -----------------------------------------------------------------
  // Completions of DRAM-destination instructions (from B) and of on-chip ones (last write
  // granted) are each in order; the head of the in-flight FIFO retires when its kind has one.
  assign head_dram = if_head[1:0] == isa_pkg::SP_DRAM;
  assign retire    = if_valid && !stop_i && (head_dram ? cmp_dram_q != '0 : cmp_chip_q != '0);
  assign rsp_o.done = retire;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      n_sb_q <= '0; n_ps_q <= '0; n_dram_q <= '0; n_axi_q <= '0; cmp_dram_q <= '0; cmp_chip_q <= '0;
    end else if (clr_i) begin
      n_sb_q <= '0; n_ps_q <= '0; n_dram_q <= '0; n_axi_q <= '0; cmp_dram_q <= '0; cmp_chip_q <= '0;
    end else begin
      n_sb_q   <= n_sb_q + CntBits'(accept && dst_sp_in == isa_pkg::SP_SBUF)
                         - CntBits'(retire && if_head[1:0] == isa_pkg::SP_SBUF);
      n_ps_q   <= n_ps_q + CntBits'(accept && dst_sp_in == isa_pkg::SP_PSUM)
                         - CntBits'(retire && if_head[1:0] == isa_pkg::SP_PSUM);
      n_dram_q <= n_dram_q + CntBits'(accept && dst_sp_in == isa_pkg::SP_DRAM) - CntBits'(retire && head_dram);
      n_axi_q  <= n_axi_q + CntBits'(accept && in_axi) - CntBits'(retire && if_head[2]);
      cmp_dram_q <= cmp_dram_q + CntBits'(dram_done) - CntBits'(retire && head_dram);
      cmp_chip_q <= cmp_chip_q + CntBits'(chip_done) - CntBits'(retire && !head_dram);
    end
  end

  assign busy_o = if_valid;
  assign rsp_o.idle = (stop_i || !if_valid) && rd_idle && wr_idle;

  // ---- errors ---------------------------------------------------------------------------------
  logic r_err, b_err, r_err_burst_q, err_q, err_write_q;
  logic [1:0] err_resp_q;
  assign r_err = r_valid_i && r_resp_i[1] && !r_err_burst_q;  // first erroneous beat of a burst
  assign b_err = b_valid_i && b_resp_i[1];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      r_err_burst_q <= 1'b0;
      err_q         <= 1'b0;
    end else if (clr_i) begin
      r_err_burst_q <= 1'b0;
      err_q         <= 1'b0;
    end else begin
      if (r_valid_i) r_err_burst_q <= !r_last_i && (r_err_burst_q || r_resp_i[1]);
      err_q <= r_err || b_err;
    end
  end
  always_ff @(posedge clk_i) begin
    if (r_err || b_err) begin
      err_resp_q  <= r_err ? r_resp_i : b_resp_i;
      err_write_q <= !r_err;
    end
  end
  assign rsp_o.err       = err_q;
  assign rsp_o.err_resp  = err_resp_q;
  assign rsp_o.err_write = err_write_q;
  assign rsp_o.terr      = 1'b0;  // no tables here

  // ---- activity -------------------------------------------------------------------------------
  logic r_hs, w_hs;
  assign r_hs         = r_valid_i && r_ready_o;
  assign w_hs         = w_valid_o && w_ready_i;
  // Registered: the response goes to the sequencer's semaphores and counters, which must not
  // depend combinationally on the chip's AXI inputs (in Verilator such logic is evaluated on
  // every half cycle); the watchdog sees the progress a cycle later.
  logic beat_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) beat_q <= 1'b0;
    else         beat_q <= r_hs || w_hs || |(sb_en_o & sb_gnt_i) || |(ps_en_o & ps_gnt_i);
  end
  assign rsp_o.beat   = beat_q;
  assign stall_dram_o = n_axi_q != '0 && !r_hs && !w_hs;
  assign rd_bytes_o   = 16'(rd_bytes);
  assign wr_bytes_o   = 16'(wr_bytes);

  // The head words (opcode, engine, semaphores: the sequencer's business).
  logic unused;
  assign unused = ^{insn.head};

  // ---- AXI rules ------------------------------------------------------------------------------
  `ASSERT(ar_hold, ar_valid_o && !ar_ready_i |=> ar_valid_o)
  `ASSERT_STABLE(ar_stable, ar_valid_o && !ar_ready_i, {ar_addr_o, ar_len_o})
  `ASSERT(aw_hold, aw_valid_o && !aw_ready_i |=> aw_valid_o)
  `ASSERT_STABLE(aw_stable, aw_valid_o && !aw_ready_i, {aw_addr_o, aw_len_o})
  `ASSERT(w_hold, w_valid_o && !w_ready_i |=> w_valid_o)
  `ASSERT_STABLE(w_stable, w_valid_o && !w_ready_i, {w_data_o, w_strb_o, w_last_o})
  // Bursts: aligned to the beat, at most 16 beats, inside one 4 KiB page.
  `ASSERT(ar_burst, ar_valid_o |-> ar_addr_o[BeatLg-1:0] == '0 && ar_len_o < 8'd16 &&
                    32'(ar_addr_o[11:BeatLg]) + 32'(ar_len_o) < (4096 >> BeatLg))
  `ASSERT(aw_burst, aw_valid_o |-> aw_addr_o[BeatLg-1:0] == '0 && aw_len_o < 8'd16 &&
                    32'(aw_addr_o[11:BeatLg]) + 32'(aw_len_o) < (4096 >> BeatLg))
  `ASSERT(in_order_done, retire |-> if_valid)
  `ASSERT_KNOWN(insn_valid_known, req_i.valid)

endmodule
