/// dma_wr: the destination side of a DMA queue (docs/chip.md section 6, docs/dma.md). Takes the
/// destination DAPs (with the cast of their instruction) in order and writes the source side's
/// chunk stream, joined through dma_gearbox and converted by dma_cast lanes, to each pattern in
/// turn, one destination chunk per cycle.
///
/// DRAM destination: two dap_iters walk the same pattern. The address walker forms the write
/// bursts from the addresses alone (dap_iter's rule) and issues AW as soon as a burst is known,
/// ahead of the data, with at most WriteBursts bursts waiting for their B. The data walker cuts
/// the pattern into chunks (a run of dim 0 inside one beat, at most a row of source elements, or
/// one element); each chunk takes its source bytes from the gearbox once they are all there,
/// is cast, shifted to its place in the beat and merged into it with byte strobes (chunks
/// sharing a beat merge in iteration order, so the last write of a byte wins); a beat is queued
/// when its last chunk is in. W beats go out in AW order once their burst's AW has been accepted
/// (the arbiter forwards W in AW order); WLAST comes from the burst lengths.
/// On-chip destination (SBUF/PSUM): one write request per chunk on the side's requester (mem_xbar
/// format, steered to the SBUF or the PSUM crossbar, held until granted): a row write of one
/// partition with byte enables (a run of dim 0 inside one row) or a column write (one element in
/// each of up to P consecutive partitions). PSUM takes whole words.
/// Completion: chip_done_o pulses when an instruction's last on-chip write is granted,
/// dram_done_o when the B response of its last burst arrives (B comes in order, all bursts of
/// one ID). Every B is taken (BREADY always high).
/// stop_i (quiesce): no new AW, no new on-chip request, no completion; bursts already addressed
/// are completed with WSTRB = 0 (a W beat already presented keeps its payload until accepted).
/// idle_o: nothing outstanding on AXI (no AW presented, no W owed, no B awaited).
`include "systole_assert.svh"

module dma_wr #(
  parameter int Partitions  = 16,
  parameter int PartBits    = (Partitions > 1) ? $clog2(Partitions) : 1,
  parameter int RowAddrBits = 11,   // on-chip row addresses (the larger memory's)
  parameter int AxiDataBits = 256,
  parameter int WriteBursts = 8,
  parameter int RowBytes    = mem_pkg::row_bytes(AxiDataBits),
  parameter int RowCntBits  = $clog2(RowBytes) + 1
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          clr_i,
  input  logic                          stop_i,
  // Destination DAPs with their cast, one per instruction.
  input  logic                          job_valid_i,
  output logic                          job_ready_o,
  input  isa_pkg::dap_t                 job_dap_i,
  input  logic [1:0]                    job_cast_i,
  // Chunks from the source side (dma_rd's format).
  input  logic                          el_valid_i,
  output logic                          el_ready_o,
  input  logic [RowBytes*8-1:0]         el_data_i,
  input  logic [RowCntBits-1:0]         el_bytes_i,
  // AXI write address, data and response.
  output logic                          aw_valid_o,
  input  logic                          aw_ready_i,
  output logic [31:0]                   aw_addr_o,
  output logic [7:0]                    aw_len_o,
  output logic                          w_valid_o,
  input  logic                          w_ready_i,
  output logic [AxiDataBits-1:0]        w_data_o,
  output logic [AxiDataBits/8-1:0]      w_strb_o,
  output logic                          w_last_o,
  input  logic                          b_valid_i,
  output logic                          b_ready_o,
  // On-chip write requester (mem_xbar format), to the SBUF or the PSUM crossbar.
  output logic                          sb_en_o,
  output logic                          ps_en_o,
  output logic                          oc_col_o,
  output logic [PartBits-1:0]           oc_part_o,
  output logic [7:0]                    oc_np_o,
  output logic [RowAddrBits-1:0]        oc_row_o,
  output logic [$clog2(RowBytes)-1:0]   oc_off_o,
  output logic [1:0]                    oc_lg_o,
  output logic [RowBytes-1:0]           oc_be_o,
  output logic [RowBytes*8-1:0]         oc_wdata_o,
  input  logic                          sb_gnt_i,
  input  logic                          ps_gnt_i,
  // DRAM element bytes written this cycle; completions; nothing outstanding.
  output logic [7:0]                    wr_bytes_o,
  output logic                          dram_done_o,
  output logic                          chip_done_o,
  output logic                          idle_o
);

  localparam int BB      = AxiDataBits / 8;
  localparam int BeatLg  = $clog2(BB);
  localparam int OutBits = $clog2(WriteBursts + 1);
  localparam int WBufBeats = 2 * dma_pkg::MAX_BURST_BEATS;
  localparam int RB      = RowBytes;
  localparam int RowLg   = $clog2(RowBytes);
  localparam int Lanes   = RowBytes / 4;  // cast lanes: the 4-byte source elements of a row

  // ---- the job goes to both walkers (the address walker only for DRAM) ----------------------
  // Port 0 of the fork is the address walker, port 1 the data walker.
  logic       is_dram, a_job_valid, a_job_ready, t_job_valid, t_job_ready;
  logic [1:0] job_sel, job_out_valid, job_out_ready;
  assign is_dram       = job_dap_i.space == isa_pkg::SP_DRAM;
  assign job_sel       = {1'b1, is_dram};
  assign a_job_valid   = job_out_valid[0];
  assign t_job_valid   = job_out_valid[1];
  assign job_out_ready = {t_job_ready, a_job_ready};

  stream_fork #(.NumOut(2)) u_job_fork (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(job_valid_i), .in_ready_o(job_ready_o), .in_sel_i(job_sel),
    .out_valid_o(job_out_valid), .out_ready_i(job_out_ready)
  );

  // ---- address walker and AW ----------------------------------------------------------------
  logic             a_valid, a_ready, a_burst_last, a_last, aw_load, aw_hs, b_hs;
  logic [31:0]      a_burst_addr;
  logic [3:0]       a_burst_len;
  logic             aw_valid_q, aw_end_q;
  logic [31:0]      aw_addr_q;
  logic [3:0]       aw_len_q;
  logic [OutBits-1:0] b_out_q;  // bursts accepted on AW whose B has not come

  // As in dma_rd: each walker's consumer uses only some of its outputs, and no FIFO count is
  // needed (the burst counter bounds the FIFOs); the rest is left unconnected on purpose.
  /* verilator lint_off PINCONNECTEMPTY */
  dap_iter #(.PartBits(PartBits), .BeatLg(BeatLg), .RowLg(RowLg), .TagBits(1)) u_aw_iter (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(a_job_valid), .job_ready_o(a_job_ready), .job_dap_i(job_dap_i), .job_tag_i(1'b0),
    .job_lmax_i(8'hFF),
    .elem_valid_o(a_valid), .elem_ready_i(a_ready),
    .elem_part_o(), .elem_addr_o(), .elem_cnt_o(), .elem_col_o(), .elem_space_o(), .elem_size_lg_o(),
    .elem_tag_o(),
    .elem_last_o(a_last),
    .beat_last_o(), .burst_last_o(a_burst_last), .burst_addr_o(a_burst_addr), .burst_len_o(a_burst_len)
  );

  assign aw_load = a_valid && a_burst_last && !stop_i && (!aw_valid_q || aw_ready_i) &&
                   (32'(b_out_q) + 32'(aw_valid_q) < WriteBursts);
  assign a_ready = !stop_i && (!a_burst_last || aw_load);
  assign aw_hs   = aw_valid_q && aw_ready_i;
  assign b_hs    = b_valid_i;  // BREADY is always high
  assign aw_valid_o = aw_valid_q;
  assign aw_addr_o  = aw_addr_q;
  assign aw_len_o   = {4'd0, aw_len_q};
  assign b_ready_o  = 1'b1;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_valid_q <= 1'b0;
      b_out_q    <= '0;
    end else if (clr_i) begin
      aw_valid_q <= 1'b0;
      b_out_q    <= '0;
    end else begin
      if (aw_load)         aw_valid_q <= 1'b1;
      else if (aw_ready_i) aw_valid_q <= 1'b0;
      b_out_q <= b_out_q + OutBits'(aw_hs) - OutBits'(b_hs);
    end
  end
  always_ff @(posedge clk_i) begin
    if (aw_load) begin
      aw_addr_q <= a_burst_addr;
      aw_len_q  <= a_burst_len;
      aw_end_q  <= a_last;
    end
  end

  // Per accepted burst: its length for the W side (until its last W beat) and whether it ends
  // an instruction (until its B).
  logic       wlen_valid, wlen_pop, btag_valid, btag_end, wlen_in_ready, btag_in_ready;
  logic [3:0] wlen;
  fifo #(.Width(4), .Depth(WriteBursts), .PopOnlyWhenValid(1'b1)) u_wlen (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(aw_hs), .in_ready_o(wlen_in_ready), .in_data_i(aw_len_q),
    .out_valid_o(wlen_valid), .out_ready_i(wlen_pop), .out_data_o(wlen), .count_o()
  );
  fifo #(.Width(1), .Depth(WriteBursts), .PopOnlyWhenValid(1'b1)) u_btag (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(aw_hs), .in_ready_o(btag_in_ready), .in_data_i(aw_end_q),
    .out_valid_o(btag_valid), .out_ready_i(b_hs), .out_data_o(btag_end), .count_o()
  );
  assign dram_done_o = b_hs && btag_end && !stop_i;

  // ---- data walker: gearbox, cast, then pack (DRAM) or write (on chip) ----------------------
  logic                t_valid, t_ready, t_beat_last, t_last;
  logic [PartBits-1:0] t_part;
  logic [31:0]         t_addr;
  logic [7:0]          t_cnt, t_lmax, src_bytes, dst_bytes, row_elems;
  logic [1:0]          t_space, t_lg, t_cast, src_lg;
  logic                t_col;
  logic                both, pk_take, req, gnt;
  logic [AxiDataBits-1:0] pk_data_q, m_data;
  logic [BB-1:0]          pk_strb_q, m_strb;
  logic                   wbuf_in_ready, wbuf_valid, wbuf_pop;
  logic [AxiDataBits+BB-1:0] wbuf_out;

  // A chunk holds at most a row of source elements (all casts read 4-byte elements); a column at
  // most one element per partition.
  assign src_lg    = (job_cast_i == dma_pkg::CAST_NONE) ? isa_pkg::dtype_size_lg(job_dap_i.dtype) : 2'd2;
  assign row_elems = 8'(RB >> src_lg);
  assign t_lmax    = (32'(row_elems) > Partitions && job_dap_i.space != isa_pkg::SP_DRAM &&
                      job_dap_i.pdim_sel == 2'd3) ? 8'(Partitions) : row_elems;

  dap_iter #(.PartBits(PartBits), .BeatLg(BeatLg), .RowLg(RowLg), .TagBits(2)) u_dt_iter (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(t_job_valid), .job_ready_o(t_job_ready), .job_dap_i(job_dap_i), .job_tag_i(job_cast_i),
    .job_lmax_i(t_lmax),
    .elem_valid_o(t_valid), .elem_ready_i(t_ready),
    .elem_part_o(t_part), .elem_addr_o(t_addr), .elem_cnt_o(t_cnt), .elem_col_o(t_col),
    .elem_space_o(t_space), .elem_size_lg_o(t_lg), .elem_tag_o(t_cast), .elem_last_o(t_last),
    .beat_last_o(t_beat_last), .burst_last_o(), .burst_addr_o(), .burst_len_o()
  );

  // The chunk's source bytes (cnt x the source size: 4 for a cast) and destination bytes.
  assign src_bytes = (t_cast == dma_pkg::CAST_NONE) ? t_cnt << t_lg : t_cnt << 2;
  assign dst_bytes = t_cnt << t_lg;

  // ---- gearbox: the source chunks, re-cut to this side's chunks -----------------------------
  logic [RowCntBits:0]   gb_held;
  logic [RB*8-1:0]       gb_data, row;
  logic [RowCntBits-1:0] gb_take;
  logic                  have;

  dma_gearbox #(.RowBytes(RB), .CntBits(RowCntBits)) u_gear (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(el_valid_i), .in_ready_o(el_ready_o), .in_data_i(el_data_i), .in_bytes_i(el_bytes_i),
    .held_o(gb_held), .out_data_o(gb_data), .take_i(gb_take)
  );
  assign have    = 32'(gb_held) >= 32'(src_bytes);
  assign gb_take = t_ready ? RowCntBits'(src_bytes) : '0;

  // ---- cast: one lane per 4-byte source element of the row; results packed from byte 0 ------
  logic [Lanes*32-1:0] cast_res;
  always_comb begin
    row = gb_data;
    if (t_valid && t_cast != dma_pkg::CAST_NONE) begin
      row = '0;
      for (int i = 0; i < Lanes; i++) begin
        if (t_cast == dma_pkg::CAST_BF16) row[16*i +: 16] = cast_res[32*i +: 16];
        else                               row[8*i +: 8]   = cast_res[32*i +: 8];
      end
    end
  end
  for (genvar i = 0; i < Lanes; i++) begin : gen_cast
    dma_cast u_cast (
      .en_i(t_valid), .a_i(gb_data[32*i +: 32]), .mode_i(t_cast), .res_o(cast_res[32*i +: 32])
    );
  end

  // On chip: a row write puts the chunk at its byte offset in the row with byte enables over it;
  // a column write sends the packed elements (the crossbar places them).
  logic [RowLg-1:0] roff;
  logic [RB*8-1:0]  row_at;
  assign roff   = t_addr[RowLg-1:0];
  assign row_at = t_valid ? row << {roff, 3'b000} : '0;
  always_comb begin
    oc_be_o = '0;
    if (t_valid) begin
      for (int b = 0; b < RB; b++) begin
        oc_be_o[b] = 32'(b) >= 32'(roff) && 32'(b) < 32'(roff) + 32'(dst_bytes);
      end
    end
  end

  // The beat being packed with this chunk merged in: bytes [off, off + dst_bytes) of the beat.
  logic [AxiDataBits-1:0] row_beat, chunk_at;
  logic [BeatLg-1:0]      off;
  assign off      = t_addr[BeatLg-1:0];
  assign row_beat = row[AxiDataBits-1:0];
  assign chunk_at = t_valid ? row_beat << {off, 3'b000} : '0;
  always_comb begin
    m_data = pk_data_q;
    m_strb = pk_strb_q;
    if (t_valid) begin  // (only with a chunk: wide logic, evaluated every cycle otherwise)
      for (int b = 0; b < BB; b++) begin
        if (32'(b) >= 32'(off) && 32'(b) < 32'(off) + 32'(dst_bytes)) begin
          m_data[8*b +: 8] = chunk_at[8*b +: 8];
          m_strb[b]        = 1'b1;
        end
      end
    end
  end

  assign both       = t_valid && have && !stop_i;
  assign pk_take    = both && t_space == isa_pkg::SP_DRAM && (!t_beat_last || wbuf_in_ready);
  assign req        = both && t_space != isa_pkg::SP_DRAM;
  assign sb_en_o    = req && t_space == isa_pkg::SP_SBUF;
  assign ps_en_o    = req && t_space == isa_pkg::SP_PSUM;
  assign oc_col_o   = t_col;
  assign oc_part_o  = t_part;
  assign oc_np_o    = t_cnt;
  assign oc_row_o   = t_addr[RowLg +: RowAddrBits];
  assign oc_off_o   = roff;
  assign oc_lg_o    = t_lg;
  assign oc_wdata_o = t_col ? row : row_at;
  assign gnt        = (sb_en_o && sb_gnt_i) || (ps_en_o && ps_gnt_i);
  assign t_ready    = pk_take || gnt;
  assign chip_done_o = gnt && t_last;
  assign wr_bytes_o = pk_take ? dst_bytes : 8'd0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)     pk_strb_q <= '0;
    else if (clr_i)  pk_strb_q <= '0;
    else if (pk_take) pk_strb_q <= t_beat_last ? '0 : m_strb;
  end
  always_ff @(posedge clk_i) begin
    if (pk_take && !t_beat_last) pk_data_q <= m_data;
  end

  dma_buf #(.Width(AxiDataBits + BB), .Depth(WBufBeats), .PopOnlyWhenValid(1'b1)) u_wbuf (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(pk_take && t_beat_last), .in_ready_o(wbuf_in_ready), .in_data_i({m_strb, m_data}),
    .out_valid_o(wbuf_valid), .out_ready_i(wbuf_pop), .out_data_o(wbuf_out), .count_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // ---- W: a register stage, loaded in AW order; under stop_i beats with WSTRB = 0 ------------
  logic                   w_valid_q, w_last_q, w_load, w_last;
  logic [AxiDataBits-1:0] w_data_q;
  logic [BB-1:0]          w_strb_q;
  logic [3:0]             wcnt_q;

  assign w_last   = wcnt_q == wlen;
  assign w_load   = (!w_valid_q || w_ready_i) && wlen_valid && (stop_i || wbuf_valid);
  assign wbuf_pop = w_load && !stop_i;
  assign wlen_pop = w_load && w_last;
  assign w_valid_o = w_valid_q;
  assign w_data_o  = w_data_q;
  assign w_strb_o  = w_strb_q;
  assign w_last_o  = w_last_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      w_valid_q <= 1'b0;
      wcnt_q    <= '0;
    end else if (clr_i) begin
      w_valid_q <= 1'b0;
      wcnt_q    <= '0;
    end else begin
      if (w_load)         w_valid_q <= 1'b1;
      else if (w_ready_i) w_valid_q <= 1'b0;
      if (w_load) wcnt_q <= w_last ? '0 : wcnt_q + 4'd1;
    end
  end
  always_ff @(posedge clk_i) begin
    if (w_load) begin
      w_data_q <= stop_i ? '0 : wbuf_out[AxiDataBits-1:0];
      w_strb_q <= stop_i ? '0 : wbuf_out[AxiDataBits +: BB];
      w_last_q <= w_last;
    end
  end

  assign idle_o = !aw_valid_q && b_out_q == '0 && !w_valid_q && !wlen_valid;

  // On chip only the row and byte fields of the address are used.
  logic unused;
  assign unused = ^{t_addr};

  `ASSERT(b_expected, b_valid_i |-> b_out_q != '0)
  `ASSERT(wlen_room, aw_hs |-> wlen_in_ready && btag_in_ready)
  `ASSERT(btag_known, b_valid_i |-> btag_valid)

endmodule
