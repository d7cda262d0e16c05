/// vec_reader: reads one TAP operand of a vector instruction (docs/vector_engine.md section 4) for
/// all lanes at once: element j of lane l is at partition pstart + l, byte offset addr(j) of
/// the pattern (pattern_walker over three dims, byte strides). The partitions are read together
/// by a block request to the memory's crossbar (the same row in partitions pstart ..
/// pstart + pcount - 1); successive elements in the same row reuse the rows read for the
/// previous one, so a contiguous operand asks for the port once per RowBytes / size elements.
/// Rows are never reused across jobs. rd_req_o asks for the block this cycle, rd_gnt_i grants
/// it, rd_rows_i has the memory's rows (all partitions, absolute slots) the next cycle.
/// Beats: lane l's element (its size's bits, zero-extended to 32), and at_end per dim (the
/// element ends a group of dims 0..d when at_end[d:0] are all set; the last element has all
/// three). Lanes l >= pcount carry no element (don't care).
/// Throughput: one element per cycle while granted or reusing; the next job starts in the cycle
/// after the previous job's last element is issued. Latency: issue to beat, 2 cycles.
/// Requires Partitions a power of two (the lanes rotate modulo P) and pstart + pcount <= P.
`include "systole_assert.svh"

module vec_reader #(
  parameter int Partitions = 16,
  parameter int RowBytes   = 32,
  parameter int OffBits    = 18,  // a byte offset inside a partition
  parameter int Depth      = 4,   // beats buffered (>= 3 for one element per cycle)
  parameter int RowBits    = OffBits - $clog2(RowBytes),
  parameter int PartBits   = (Partitions > 1) ? $clog2(Partitions) : 1
) (
  input  logic                            clk_i,
  input  logic                            rst_ni,
  // Drops the job and every beat (error stop, soft reset).
  input  logic                            clr_i,
  // Jobs: the TAP (byte offset, counts, strides scaled to bytes) and its lanes.
  input  logic                            job_valid_i,
  output logic                            job_ready_o,
  input  logic [PartBits-1:0]             job_pstart_i,
  input  logic [7:0]                      job_np_i,
  input  logic [1:0]                      job_lg_i,     // log2 of the element's bytes
  input  logic [OffBits-1:0]              job_base_i,
  input  logic [3*12-1:0]                 job_n_i,
  input  logic [3*OffBits-1:0]            job_s_i,
  // Block reads.
  output logic                            rd_req_o,
  output logic [RowBits-1:0]              rd_row_o,
  output logic [PartBits-1:0]             rd_part_o,
  output logic [7:0]                      rd_np_o,
  input  logic                            rd_gnt_i,
  input  logic [Partitions*RowBytes*8-1:0] rd_rows_i,
  // Element beats.
  output logic                            out_valid_o,
  input  logic                            out_ready_i,
  output logic [Partitions*32-1:0]        out_data_o,
  output logic [2:0]                      out_at_end_o
);

  localparam int P   = Partitions;
  localparam int RB  = RowBytes;
  localparam int OB  = $clog2(RB);  // byte inside a row
  localparam int CB  = $clog2(Depth + 1);
  localparam int W   = P * 32 + 3;

  if ((P & (P - 1)) != 0 || RB < 4 || (RB & (RB - 1)) != 0) begin : gen_param_check
    $error("vec_reader: Partitions and RowBytes (>= 4) must be powers of two");
  end

  logic                active_q, have_row_q;
  logic [RowBits-1:0]  row_q;
  logic [PartBits-1:0] pstart_q;
  logic [7:0]          np_q;
  logic [1:0]          lg_q;
  logic [OffBits-1:0]  addr;
  logic [2:0]          at_end;
  logic                last, reuse, room, issue, load;
  logic [CB-1:0]       count;
  logic                fifo_in_ready;  // always high: `room` reserves the slot before issue

  // Stage 1: the element issued (its rows read this cycle, or held); stage 2: its lanes.
  logic                s1_valid_q, s1_read_q, s2_valid_q;
  logic [OB-1:0]       s1_off_q;
  logic [2:0]          s1_end_q, s2_end_q;
  logic [1:0]          s1_lg_q;      // the element's job: the next job may be loaded already
  logic [PartBits-1:0] s1_pstart_q;
  logic [P*RB*8-1:0]   held_q;
  logic [P*32-1:0]     s2_data_q;

  pattern_walker #(
    .Dims     (3),
    .CountBits(12),
    .AddrBits (OffBits)
  ) u_walk (
    .clk_i,
    .rst_ni,
    .load_i  (load),
    .base_i  (job_base_i),
    .n_i     (job_n_i),
    .s_i     (job_s_i),
    .step_i  (issue),
    .addr_o  (addr),
    .last_o  (last),
    .at_end_o(at_end)
  );

  assign room        = 32'(count) + 32'(s1_valid_q) + 32'(s2_valid_q) < Depth;
  assign reuse       = have_row_q && (row_q == addr[OffBits-1:OB]);
  assign rd_req_o    = active_q && room && !reuse && !clr_i;
  assign rd_row_o    = addr[OffBits-1:OB];
  assign rd_part_o   = pstart_q;
  assign rd_np_o     = np_q;
  assign issue       = active_q && room && (reuse || rd_gnt_i) && !clr_i;
  assign job_ready_o = (!active_q || (issue && last)) && !clr_i;
  assign load        = job_valid_i && job_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q   <= 1'b0;
      have_row_q <= 1'b0;
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
    end else if (clr_i) begin
      active_q   <= 1'b0;
      have_row_q <= 1'b0;
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
    end else begin
      s1_valid_q <= issue;
      s2_valid_q <= s1_valid_q;
      if (issue && !reuse) have_row_q <= 1'b1;
      // A new job never reuses the previous job's rows (other partitions, and an engine may
      // have written them since); load wins over its last element's read.
      if (load) begin
        active_q   <= 1'b1;
        have_row_q <= 1'b0;
      end else if (issue && last) begin
        active_q <= 1'b0;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (load) begin
      pstart_q <= job_pstart_i;
      np_q     <= job_np_i;
      lg_q     <= job_lg_i;
    end
    if (issue) begin
      s1_off_q    <= addr[OB-1:0];
      s1_read_q   <= !reuse;
      s1_end_q    <= at_end;
      s1_lg_q     <= lg_q;
      s1_pstart_q <= pstart_q;
      if (!reuse) row_q <= addr[OffBits-1:OB];
    end
    // The element of every partition at the row offset, rotated so lane l has partition
    // pstart + l; computed only when an element is in stage 1 (simulation speed).
    if (s1_valid_q) begin
      logic [P*RB*8-1:0] rows;
      logic [P*32-1:0]   elems;
      logic [31:0]       mask, word;
      rows = s1_read_q ? rd_rows_i : held_q;
      if (s1_read_q) held_q <= rd_rows_i;
      mask = s1_lg_q == 2'd0 ? 32'h0000_00FF : (s1_lg_q == 2'd1 ? 32'h0000_FFFF : 32'hFFFF_FFFF);
      // An element is aligned to its size: it lies in the 32-bit word at off / 4 (a select
      // among the row's words, not a shift of the whole row).
      for (int p = 0; p < P; p++) begin
        word = '0;
        for (int w = 0; w < RB / 4; w++) begin
          if (32'(w) == 32'(s1_off_q[OB-1:2])) word = rows[p*RB*8 + w*32 +: 32];
        end
        elems[p*32 +: 32] = (word >> {s1_off_q[1:0], 3'b000}) & mask;
      end
      for (int l = 0; l < P; l++) begin
        s2_data_q[l*32 +: 32] <= elems[32'(PartBits'(32'(s1_pstart_q) + 32'(l)))*32 +: 32];
      end
      s2_end_q <= s1_end_q;
    end
  end

  fifo #(
    .Width(W),
    .Depth(Depth)
  ) u_out (
    .clk_i,
    .rst_ni,
    .clr_i,
    .in_valid_i (s2_valid_q),
    .in_ready_o (fifo_in_ready),
    .in_data_i  ({s2_end_q, s2_data_q}),
    .out_valid_o,
    .out_ready_i,
    .out_data_o ({out_at_end_o, out_data_o}),
    .count_o    (count)
  );

  `ASSERT_KNOWN(job_valid_known, job_valid_i)
  `ASSERT_STABLE(job_stable, job_valid_i && !job_ready_o && !clr_i,
                 {job_pstart_i, job_np_i, job_lg_i, job_base_i, job_n_i, job_s_i})
  `ASSERT(job_lanes_in_range, job_valid_i |-> job_np_i != 8'd0 && 32'(job_pstart_i) + 32'(job_np_i) <= P)
  `ASSERT(fifo_never_full_on_push, s2_valid_q |-> fifo_in_ready)

endmodule
