/// dma_rd: the source side of a DMA queue (docs/chip.md section 6, docs/dma.md). Takes the source
/// DAPs of the queue's instructions in order and produces their elements, in iteration order, as
/// a stream of chunks: up to RowBytes bytes of consecutive elements (raw src bits) packed from
/// byte 0, with their byte count.
///
/// DRAM source: two dap_iters walk the same pattern. The address walker coalesces the elements
/// into INCR read bursts (dap_iter's rule) and issues each burst only when fewer than
/// ReadBursts are outstanding and the read buffer has room reserved for all of its beats, so R is
/// never back-pressured (RREADY is always high). The data walker follows the beats as they come
/// back in order and takes one chunk per cycle out of the head beat (a run of dim 0 inside the
/// beat, or one element), popping the beat after its last chunk. The address walker may run a
/// whole instruction ahead of the data walker.
/// On-chip source (SBUF/PSUM): one request per chunk on the side's requester (mem_xbar format,
/// steered to the SBUF or the PSUM crossbar: held until granted, the memories' rows the cycle
/// after the grant): a row read of one partition (a run of dim 0 inside one row) or a column read
/// (one element in each of up to P consecutive partitions); the chunk is cut out of the rows and
/// packed. A request is made only when the chunk FIFO has room for its data. PSUM presents the
/// last read row of each of its PsBanks banks (psum.sv); the reader takes the bank its row
/// address names (row address bits [PsBankLsb +: log2(PsBanks)]).
/// stop_i (quiesce): no new AR (one already presented stays until accepted) and no new on-chip
/// request; R beats are still taken and dropped. idle_o: nothing outstanding on AXI or on chip.
`include "systole_assert.svh"

module dma_rd #(
  parameter int Partitions  = 16,
  parameter int PartBits    = (Partitions > 1) ? $clog2(Partitions) : 1,
  parameter int RowAddrBits = 11,   // on-chip row addresses (the larger memory's)
  parameter int AxiDataBits = 256,
  parameter int ReadBursts  = 8,
  parameter int RowBytes    = mem_pkg::row_bytes(AxiDataBits),
  parameter int RowCntBits  = $clog2(RowBytes) + 1,
  parameter int PsBanks     = 1,    // PSUM banks (rows of every bank on ps_rows_i)
  parameter int PsBankLsb   = 0     // the bank number's first bit in a PSUM row address
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          clr_i,
  input  logic                          stop_i,
  // Source DAPs, one per instruction.
  input  logic                          job_valid_i,
  output logic                          job_ready_o,
  input  isa_pkg::dap_t                 job_dap_i,
  // AXI read address and data.
  output logic                          ar_valid_o,
  input  logic                          ar_ready_i,
  output logic [31:0]                   ar_addr_o,
  output logic [7:0]                    ar_len_o,
  input  logic                          r_valid_i,
  output logic                          r_ready_o,
  input  logic [AxiDataBits-1:0]        r_data_i,
  input  logic                          r_last_i,
  // On-chip read requester (mem_xbar format), to the SBUF or the PSUM crossbar, and the
  // memories' rows.
  output logic                          sb_en_o,
  output logic                          ps_en_o,
  output logic                          oc_col_o,
  output logic [PartBits-1:0]           oc_part_o,
  output logic [7:0]                    oc_np_o,
  output logic [RowAddrBits-1:0]        oc_row_o,
  output logic [$clog2(RowBytes)-1:0]   oc_off_o,
  output logic [1:0]                    oc_lg_o,
  input  logic                          sb_gnt_i,
  input  logic                          ps_gnt_i,
  input  logic [Partitions*RowBytes*8-1:0] sb_rows_i,
  input  logic [Partitions*PsBanks*RowBytes*8-1:0] ps_rows_i,
  // Chunks: bytes [0, el_bytes_o) of el_data_o (the bytes above are not defined).
  output logic                          el_valid_o,
  input  logic                          el_ready_i,
  output logic [RowBytes*8-1:0]         el_data_o,
  output logic [RowCntBits-1:0]         el_bytes_o,
  // DRAM element bytes that left this side this cycle; nothing outstanding.
  output logic [7:0]                    rd_bytes_o,
  output logic                          idle_o
);

  localparam int BeatLg   = $clog2(AxiDataBits / 8);
  localparam int BufBeats = dma_pkg::MAX_BURST_BEATS * ReadBursts;
  localparam int ResvBits = $clog2(BufBeats + 1) + 1;
  localparam int OutBits  = $clog2(ReadBursts + 1);
  localparam int ElDepth  = 4;
  localparam int RowLg    = $clog2(RowBytes);
  localparam int RB       = RowBytes;
  localparam int ColLanes = (RowBytes < Partitions) ? RowBytes : Partitions;  // column elements
  localparam int RBW      = RowBytes * 8;
  localparam int PsBankB  = (PsBanks > 1) ? $clog2(PsBanks) : 1;

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

  // ---- address walker and AR ----------------------------------------------------------------
  logic              a_valid, a_ready, a_burst_last, ar_load, credit_ok;
  logic [31:0]       a_burst_addr;
  logic [3:0]        a_burst_len;
  logic              ar_valid_q;
  logic [31:0]       ar_addr_q;
  logic [3:0]        ar_len_q;
  logic [ResvBits-1:0] resv_q;     // read-buffer beats reserved by bursts issued, not yet popped
  logic [OutBits-1:0]  r_out_q;    // bursts accepted on AR whose last R beat has not come
  logic              rbuf_pop, r_hs, r_done;

  // The address walker's consumer needs only the burst of each element, the data walker's only
  // the element and its beat: the other outputs are left unconnected on purpose (also the read
  // buffer's count, the reservation counter does that job).
  /* verilator lint_off PINCONNECTEMPTY */
  dap_iter #(.PartBits(PartBits), .BeatLg(BeatLg), .RowLg(RowLg), .TagBits(1)) u_ar_iter (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(a_job_valid), .job_ready_o(a_job_ready), .job_dap_i(job_dap_i), .job_tag_i(1'b0),
    .job_lmax_i(8'hFF),
    .elem_valid_o(a_valid), .elem_ready_i(a_ready),
    .elem_part_o(), .elem_addr_o(), .elem_cnt_o(), .elem_col_o(), .elem_space_o(), .elem_size_lg_o(),
    .elem_tag_o(),
    .elem_last_o(),
    .beat_last_o(), .burst_last_o(a_burst_last), .burst_addr_o(a_burst_addr), .burst_len_o(a_burst_len)
  );

  assign credit_ok = (32'(r_out_q) + 32'(ar_valid_q) < ReadBursts) &&
                     (32'(resv_q) + 32'(a_burst_len) + 1 <= BufBeats);
  assign ar_load   = a_valid && a_burst_last && !stop_i && (!ar_valid_q || ar_ready_i) && credit_ok;
  assign a_ready   = !stop_i && (!a_burst_last || ar_load);

  assign ar_valid_o = ar_valid_q;
  assign ar_addr_o  = ar_addr_q;
  assign ar_len_o   = {4'd0, ar_len_q};
  assign r_ready_o  = 1'b1;  // room for every beat was reserved when its AR was issued
  assign r_hs       = r_valid_i;
  assign r_done     = r_valid_i && r_last_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_valid_q <= 1'b0;
      resv_q     <= '0;
      r_out_q    <= '0;
    end else if (clr_i) begin
      ar_valid_q <= 1'b0;
      resv_q     <= '0;
      r_out_q    <= '0;
    end else begin
      if (ar_load)         ar_valid_q <= 1'b1;
      else if (ar_ready_i) ar_valid_q <= 1'b0;
      resv_q  <= resv_q + (ar_load ? ResvBits'(a_burst_len) + ResvBits'(1) : '0) - ResvBits'(rbuf_pop);
      r_out_q <= r_out_q + OutBits'(ar_valid_q && ar_ready_i) - OutBits'(r_done);
    end
  end
  always_ff @(posedge clk_i) begin
    if (ar_load) begin
      ar_addr_q <= a_burst_addr;
      ar_len_q  <= a_burst_len;
    end
  end

  // ---- read buffer ----------------------------------------------------------------------------
  logic                   rbuf_valid, rbuf_in_ready;
  logic [AxiDataBits-1:0] rbuf_data;
  dma_buf #(.Width(AxiDataBits), .Depth(BufBeats), .PopOnlyWhenValid(1'b1)) u_rbuf (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(r_hs && !stop_i), .in_ready_o(rbuf_in_ready), .in_data_i(r_data_i),
    .out_valid_o(rbuf_valid), .out_ready_i(rbuf_pop), .out_data_o(rbuf_data), .count_o()
  );

  // ---- data walker ------------------------------------------------------------------------------
  logic                t_valid, t_ready, t_beat_last, t_last;
  logic [PartBits-1:0] t_part;
  logic [31:0]         t_addr;
  logic [7:0]          t_cnt, t_lmax;
  logic [1:0]          t_space, t_lg;
  logic                el_push, el_in_ready, room, dram_take, req, gnt, inflight_q, psum_q;
  logic [2:0]          el_count;
  logic [RowLg-1:0]    off_q;
  logic [1:0]          lg_q;
  logic [7:0]          cnt_q;
  logic [PartBits-1:0] part_q;
  logic [PsBankB-1:0]  bank_q;  // the PSUM bank read
  logic                col_q, t_col;
  logic [RB*8-1:0]     dram_chunk, chip_chunk, el_in;
  logic [7:0]          dram_bytes;
  logic [RowCntBits-1:0] el_in_bytes;

  // Chunks hold at most a row of source elements (a DRAM beat holds at most that many); a column
  // at most one element per partition.
  logic [7:0] row_elems;
  assign row_elems = 8'(RB >> isa_pkg::dtype_size_lg(job_dap_i.dtype));
  assign t_lmax    = (32'(row_elems) > Partitions && job_dap_i.space != isa_pkg::SP_DRAM &&
                      job_dap_i.pdim_sel == 2'd3) ? 8'(Partitions) : row_elems;

  dap_iter #(.PartBits(PartBits), .BeatLg(BeatLg), .RowLg(RowLg), .TagBits(1)) u_dt_iter (
    .clk_i, .rst_ni, .clr_i,
    .job_valid_i(t_job_valid), .job_ready_o(t_job_ready), .job_dap_i(job_dap_i), .job_tag_i(1'b0),
    .job_lmax_i(t_lmax),
    .elem_valid_o(t_valid), .elem_ready_i(t_ready),
    .elem_part_o(t_part), .elem_addr_o(t_addr), .elem_cnt_o(t_cnt), .elem_col_o(t_col),
    .elem_space_o(t_space), .elem_size_lg_o(t_lg), .elem_tag_o(), .elem_last_o(t_last),
    .beat_last_o(t_beat_last), .burst_last_o(), .burst_addr_o(), .burst_len_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // The chunk in the head beat: the beat shifted down to the chunk's first byte (the bytes above
  // the chunk are cleared by the consumer's byte count).
  assign dram_bytes = t_cnt << t_lg;
  logic [RBW-1:0] head_beat;  // the head beat, zero-extended to a row
  assign head_beat  = RBW'(rbuf_data);
  assign dram_chunk = (t_valid && rbuf_valid) ? head_beat >> {t_addr[BeatLg-1:0], 3'b000} : '0;

  // The chunk in the rows read the cycle before: a row of one partition shifted down to the
  // chunk's first byte, or each partition's element at the chunk's byte offset, packed.
  always_comb begin
    logic [Partitions*32-1:0] at_off;  // partition p's 32-bit word at the chunk's offset
    logic [RB*8-1:0]          row_p;
    logic [31:0]              w;
    at_off     = '0;
    row_p      = '0;
    w          = '0;
    chip_chunk = '0;
    if (inflight_q) begin  // (only then: this is wide logic, evaluated every cycle otherwise)
      if (col_q) begin
        for (int p = 0; p < Partitions; p++) begin
          row_p = psum_q ? ps_rows_i[(p*PsBanks + 32'(bank_q))*RB*8 +: RB*8] : sb_rows_i[p*RB*8 +: RB*8];
          w     = row_p[(32'(off_q) >> 2)*32 +: 32];
          at_off[p*32 +: 32] = w >> {off_q[1:0], 3'b000};
        end
        for (int i = 0; i < ColLanes; i++) begin
          w = (32'(part_q) + i < Partitions) ? at_off[(32'(part_q) + i)*32 +: 32] : 32'd0;
          if (lg_q == 2'd0)      chip_chunk[8*i +: 8] = w[7:0];
          else if (lg_q == 2'd1) begin if (2*i < RB) chip_chunk[16*i +: 16] = w[15:0]; end
          else                   begin if (4*i < RB) chip_chunk[32*i +: 32] = w; end
        end
      end else begin
        row_p = psum_q ? ps_rows_i[(32'(part_q)*PsBanks + 32'(bank_q))*RB*8 +: RB*8]
                       : sb_rows_i[32'(part_q)*RB*8 +: RB*8];
        chip_chunk = row_p >> {off_q, 3'b000};
      end
    end
  end

  // Room in the chunk FIFO for the data of every read in flight and of this one.
  assign room      = 32'(el_count) + 32'(inflight_q) < ElDepth;
  assign dram_take = t_valid && t_space == isa_pkg::SP_DRAM && rbuf_valid && room && !inflight_q && !stop_i;
  assign rbuf_pop  = dram_take && t_beat_last;
  assign req       = t_valid && t_space != isa_pkg::SP_DRAM && room && !stop_i;
  assign sb_en_o   = req && t_space == isa_pkg::SP_SBUF;
  assign ps_en_o   = req && t_space == isa_pkg::SP_PSUM;
  assign oc_col_o  = t_col;
  assign oc_part_o = t_part;
  assign oc_np_o   = t_cnt;
  assign oc_row_o  = t_addr[RowLg +: RowAddrBits];
  assign oc_off_o  = t_addr[RowLg-1:0];
  assign oc_lg_o   = t_lg;
  assign gnt       = (sb_en_o && sb_gnt_i) || (ps_en_o && ps_gnt_i);
  assign t_ready   = dram_take || gnt;
  assign el_push   = dram_take || inflight_q;
  assign el_in       = inflight_q ? chip_chunk : dram_chunk;
  assign el_in_bytes = inflight_q ? RowCntBits'(cnt_q << lg_q) : RowCntBits'(dram_bytes);
  assign rd_bytes_o  = dram_take ? dram_bytes : 8'd0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)     inflight_q <= 1'b0;
    else if (clr_i)  inflight_q <= 1'b0;
    else             inflight_q <= gnt;
  end
  always_ff @(posedge clk_i) begin
    if (gnt) begin
      off_q  <= t_addr[RowLg-1:0];
      lg_q   <= t_lg;
      cnt_q  <= t_cnt;
      part_q <= t_part;
      bank_q <= (PsBanks > 1) ? oc_row_o[PsBankLsb +: PsBankB] : '0;
      col_q  <= t_col;
      psum_q <= t_space == isa_pkg::SP_PSUM;
    end
  end

  fifo #(.Width(RowCntBits + RB*8), .Depth(ElDepth), .PopOnlyWhenValid(1'b1)) u_el (
    .clk_i, .rst_ni, .clr_i,
    .in_valid_i(el_push), .in_ready_o(el_in_ready), .in_data_i({el_in_bytes, el_in}),
    .out_valid_o(el_valid_o), .out_ready_i(el_ready_i && el_valid_o), .out_data_o({el_bytes_o, el_data_o}),
    .count_o(el_count)
  );

  assign idle_o = !ar_valid_q && r_out_q == '0 && !inflight_q;

  // On chip the row and offset fields of the address are used; the job-last flag is not needed.
  logic unused;
  assign unused = ^{t_addr, t_last};

  `ASSERT(r_expected, r_valid_i |-> r_out_q != '0)
  `ASSERT(rbuf_never_full, r_valid_i && !stop_i |-> rbuf_in_ready)
  `ASSERT(el_room, el_push |-> el_in_ready)
  `ASSERT(no_pop_empty, rbuf_pop |-> rbuf_valid)

endmodule
