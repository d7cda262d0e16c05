/// tap_reader: reads the elements of a tensor access pattern (a MATMUL's stationary or moving
/// TAP) from every SBUF partition at once through SBUF port A, and emits one beat per element:
/// lane p = the element in partition p (docs/chip.md section 5).
/// Jobs: a base byte offset, three counts and three byte strides (pattern_walker). Successive
/// elements in the same 8-byte word reuse the word read for the previous one, so a contiguous
/// stream requests port A once per 8 / element-size elements; the word is never reused across
/// jobs (a DMA may have written SBUF between two MATMULs). The port is shared: rd_req_o asks
/// for a read in this cycle, rd_gnt_i grants it, rd_data_i has the words the next cycle.
/// Throughput: one element per cycle while granted (or reusing); the next job starts in the
/// cycle after the last element of the previous one is issued, without a bubble.
`include "systole_assert.svh"

module tap_reader #(
  parameter int Partitions = 16,
  parameter int SbufBytes  = 65536,
  parameter int LaneBits   = 16,
  parameter int AddrBits   = $clog2(SbufBytes),
  parameter int Depth      = 4
) (
  input  logic                         clk_i,
  input  logic                         rst_ni,
  // Drops every job and element (error stop, soft reset).
  input  logic                         clr_i,
  // Jobs.
  input  logic                         job_valid_i,
  output logic                         job_ready_o,
  input  logic [AddrBits-1:0]          job_base_i,
  input  logic [3*12-1:0]              job_n_i,
  input  logic [3*AddrBits-1:0]        job_s_i,
  // SBUF port A.
  output logic                         rd_req_o,
  output logic [AddrBits-4:0]          rd_addr_o,
  input  logic                         rd_gnt_i,
  input  logic [Partitions*64-1:0]     rd_data_i,
  // Element beats.
  output logic                         out_valid_o,
  input  logic                         out_ready_i,
  output logic [Partitions*LaneBits-1:0] out_data_o
);

  localparam int CB = $clog2(Depth + 1);

  logic                active_q, have_word_q, s1_valid_q, s1_read_q;
  logic [AddrBits-4:0] word_q;
  logic [2:0]          s1_off_q;
  logic [Partitions*64-1:0] held_q, word;
  logic [AddrBits-1:0] addr;
  logic                last, reuse, room, issue, load;
  logic [CB-1:0]       count;
  logic                fifo_in_ready;  // always high: `room` reserves the slot before issue
  logic [Partitions*LaneBits-1:0] lanes;

  /* verilator lint_off PINCONNECTEMPTY */
  pattern_walker #(
    .Dims     (3),
    .CountBits(12),
    .AddrBits (AddrBits)
  ) u_walk (
    .clk_i,
    .rst_ni,
    .load_i(load),
    .base_i(job_base_i),
    .n_i   (job_n_i),
    .s_i   (job_s_i),
    .step_i  (issue),
    .addr_o  (addr),
    .last_o  (last),
    .at_end_o()  // group ends: the vector engine's reductions only
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // Room in the output FIFO for the element in stage 1 and one more.
  assign room      = 32'(count) + 32'(s1_valid_q) < Depth;
  assign reuse     = have_word_q && (word_q == addr[AddrBits-1:3]);
  assign rd_req_o  = active_q && room && !reuse && !clr_i;
  assign rd_addr_o = addr[AddrBits-1:3];
  assign issue     = active_q && room && (reuse || rd_gnt_i) && !clr_i;
  assign job_ready_o = (!active_q || (issue && last)) && !clr_i;
  assign load      = job_valid_i && job_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q    <= 1'b0;
      have_word_q <= 1'b0;
      s1_valid_q  <= 1'b0;
    end else if (clr_i) begin
      active_q    <= 1'b0;
      have_word_q <= 1'b0;
      s1_valid_q  <= 1'b0;
    end else begin
      s1_valid_q <= issue;
      if (load) begin
        active_q    <= 1'b1;
        have_word_q <= 1'b0;
      end else if (issue && last) begin
        active_q <= 1'b0;
      end
      if (issue && !reuse) have_word_q <= 1'b1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (issue) begin
      s1_off_q  <= addr[2:0];
      s1_read_q <= !reuse;
      if (!reuse) word_q <= addr[AddrBits-1:3];
    end
    if (s1_valid_q && s1_read_q) held_q <= rd_data_i;
  end

  // Stage 1: the word (just read, or the one held) and the element at its byte offset.
  assign word = s1_read_q ? rd_data_i : held_q;
  for (genvar p = 0; p < Partitions; p++) begin : gen_lane
    logic [63:0] w;
    assign w = word[p*64 +: 64] >> {s1_off_q, 3'b000};
    assign lanes[p*LaneBits +: LaneBits] = w[LaneBits-1:0];
    // The bits above the element are not part of it.
    logic unused_w;
    assign unused_w = ^w[63:LaneBits];
  end

  fifo #(
    .Width(Partitions * LaneBits),
    .Depth(Depth)
  ) u_out (
    .clk_i,
    .rst_ni,
    .clr_i,
    .in_valid_i (s1_valid_q),
    .in_ready_o (fifo_in_ready),
    .in_data_i  (lanes),
    .out_valid_o,
    .out_ready_i,
    .out_data_o,
    .count_o    (count)
  );

  `ASSERT_KNOWN(job_valid_known, job_valid_i)
  `ASSERT_STABLE(job_stable, job_valid_i && !job_ready_o && !clr_i, {job_base_i, job_n_i, job_s_i})
  `ASSERT(fifo_never_full_on_push, s1_valid_q |-> fifo_in_ready)

endmodule
