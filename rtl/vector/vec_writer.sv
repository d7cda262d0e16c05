/// vec_writer: writes the out TAP of a vector instruction (docs/vector_engine.md section 4) for
/// all lanes at once: lane l's element j goes to partition pstart + l, byte offset addr(j) of
/// the pattern (pattern_walker over three dims, byte strides). Elements are gathered per
/// partition in a row buffer with byte enables while the pattern stays in one row; when it
/// leaves the row (or at the job's last element) the buffer becomes the pending write, one
/// block request to the crossbar (the same row in partitions pstart .. pstart + pcount - 1, each
/// with its own data and byte enables at its absolute slot). A stride of 0 ("last write wins")
/// holds because elements enter the buffer in order. A lane whose in_en_i is low (SELECT's mask,
/// lanes >= pcount) writes nothing.
/// Throughput: one element per cycle while the pending write is granted before the buffer
/// fills the next row (a contiguous output asks for the port once per RowBytes / size
/// elements). done_o pulses when the write holding a job's last element is granted: every
/// effect of the job is then in the memory. The next job is taken once the last element of
/// the previous one has left the buffer.
`include "systole_assert.svh"

module vec_writer #(
  parameter int Partitions = 16,
  parameter int RowBytes   = 32,
  parameter int OffBits    = 18,  // a byte offset inside a partition
  parameter int RowBits    = OffBits - $clog2(RowBytes),
  parameter int PartBits   = (Partitions > 1) ? $clog2(Partitions) : 1
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  // Drops the job, the buffer and the pending write (error stop, soft reset).
  input  logic                             clr_i,
  // Jobs: the out TAP (byte offset, counts, strides scaled to bytes) and its lanes.
  input  logic                             job_valid_i,
  output logic                             job_ready_o,
  input  logic [PartBits-1:0]              job_pstart_i,
  input  logic [7:0]                       job_np_i,
  input  logic [1:0]                       job_lg_i,     // log2 of the element's bytes
  input  logic [OffBits-1:0]               job_base_i,
  input  logic [3*12-1:0]                  job_n_i,
  input  logic [3*OffBits-1:0]             job_s_i,
  input  logic                             job_tag_i,    // carried to the job's writes (wr_tag_o)
  // Element beats: lane l's element in the low bytes of its 32 bits.
  input  logic                             in_valid_i,
  output logic                             in_ready_o,
  input  logic [Partitions*32-1:0]         in_data_i,
  input  logic [Partitions-1:0]            in_en_i,
  // Block writes.
  output logic                             wr_req_o,
  output logic [RowBits-1:0]               wr_row_o,
  output logic [PartBits-1:0]              wr_part_o,
  output logic [7:0]                       wr_np_o,
  output logic                             wr_tag_o,     // the write's job's job_tag_i
  output logic [Partitions*RowBytes-1:0]   wr_be_o,
  output logic [Partitions*RowBytes*8-1:0] wr_data_o,
  input  logic                             wr_gnt_i,
  // A job's writes are all granted.
  output logic                             done_o
);

  localparam int P  = Partitions;
  localparam int RB = RowBytes;
  localparam int OB = $clog2(RB);  // byte inside a row

  if ((P & (P - 1)) != 0 || RB < 4 || (RB & (RB - 1)) != 0) begin : gen_param_check
    $error("vec_writer: Partitions and RowBytes (>= 4) must be powers of two");
  end

  logic                active_q, flush_q, tag_q, pend_tag_q;
  logic [PartBits-1:0] pstart_q;
  logic [7:0]          np_q;
  logic [1:0]          lg_q;
  logic [OffBits-1:0]  addr;
  logic                last, load, accept, same, move_old, pend_free, to_pend;

  // The row being gathered, and the write waiting for its grant.
  logic                buf_dirty_q, pend_valid_q, pend_last_q;
  logic [RowBits-1:0]  buf_row_q, pend_row_q;
  logic [PartBits-1:0] pend_part_q;  // the pending write's job may be over (the next one loaded)
  logic [7:0]          pend_np_q;
  logic [P*RB-1:0]     buf_be_q, pend_be_q;
  logic [P*RB*8-1:0]   buf_data_q, pend_data_q;

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
    .step_i  (accept),
    .addr_o  (addr),
    .last_o  (last),
    /* verilator lint_off PINCONNECTEMPTY */
    .at_end_o()  // the writer needs only the last element
    /* verilator lint_on PINCONNECTEMPTY */
  );

  assign same        = buf_dirty_q && buf_row_q == addr[OffBits-1:OB];
  assign move_old    = buf_dirty_q && !same;
  assign pend_free   = !pend_valid_q || wr_gnt_i;
  assign in_ready_o  = active_q && !flush_q && (!move_old || pend_free) && !clr_i;
  assign accept      = in_valid_i && in_ready_o;
  // The last element goes to the pending write with its row when the pending slot is free
  // and no older row needs it; otherwise it waits in the buffer (flush_q).
  assign to_pend     = accept && last && !move_old && pend_free;
  assign job_ready_o = !active_q && !flush_q && !clr_i;
  assign load        = job_valid_i && job_ready_o;

  assign wr_req_o  = pend_valid_q;
  assign wr_row_o  = pend_row_q;
  assign wr_part_o = pend_part_q;
  assign wr_np_o   = pend_np_q;
  assign wr_tag_o  = pend_tag_q;
  assign wr_be_o   = pend_be_q;
  assign wr_data_o = pend_data_q;
  assign done_o    = pend_valid_q && wr_gnt_i && pend_last_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q     <= 1'b0;
      flush_q      <= 1'b0;
      buf_dirty_q  <= 1'b0;
      pend_valid_q <= 1'b0;
      pend_last_q  <= 1'b0;
    end else if (clr_i) begin
      active_q     <= 1'b0;
      flush_q      <= 1'b0;
      buf_dirty_q  <= 1'b0;
      pend_valid_q <= 1'b0;
      pend_last_q  <= 1'b0;
    end else begin
      if (wr_gnt_i) pend_valid_q <= 1'b0;
      if (load) active_q <= 1'b1;
      if (flush_q && pend_free) begin  // the job's last row
        pend_valid_q <= 1'b1;
        pend_last_q  <= 1'b1;
        buf_dirty_q  <= 1'b0;
        flush_q      <= 1'b0;
      end
      if (accept) begin
        if (move_old) begin
          pend_valid_q <= 1'b1;
          pend_last_q  <= 1'b0;
        end
        if (last) active_q <= 1'b0;
        if (to_pend) begin
          pend_valid_q <= 1'b1;
          pend_last_q  <= 1'b1;
          buf_dirty_q  <= 1'b0;
        end else begin
          buf_dirty_q <= 1'b1;
          flush_q     <= last;
        end
      end
    end
  end

  // Data paths (no reset): the job's lanes, the buffer merge and the pending write.
  always_ff @(posedge clk_i) begin
    if (load) begin
      pstart_q <= job_pstart_i;
      np_q     <= job_np_i;
      lg_q     <= job_lg_i;
      tag_q    <= job_tag_i;
    end
    if ((flush_q && pend_free) || (accept && (move_old || to_pend))) begin
      pend_part_q <= pstart_q;
      pend_np_q   <= np_q;
      pend_tag_q  <= tag_q;
    end
    if (flush_q && pend_free) begin
      pend_row_q  <= buf_row_q;
      pend_be_q   <= buf_be_q;
      pend_data_q <= buf_data_q;
    end
    // The element merged into its row (computed only for an accepted element). An element is
    // aligned to its size, so it lies in one 32-bit word of the row: each word of each
    // partition is a fixed place that takes the element, replicated, under a byte mask (no write
    // at a variable index: cheap for yosys and for the Verilated model).
    if (accept) begin
      logic [P*RB-1:0]     be;
      logic [P*RB*8-1:0]   data;
      logic [PartBits-1:0] l;
      logic [OB-1:0]       off;
      logic [31:0]         elem, rep;
      logic [3:0]          m4;
      be   = same ? buf_be_q : '0;
      data = buf_data_q;
      off  = addr[OB-1:0];
      m4   = (lg_q == 2'd0 ? 4'b0001 : (lg_q == 2'd1 ? 4'b0011 : 4'b1111)) << off[1:0];
      for (int p = 0; p < P; p++) begin
        l    = PartBits'(32'(p) - 32'(pstart_q));
        elem = in_data_i[32'(l)*32 +: 32];
        rep  = lg_q == 2'd0 ? {4{elem[7:0]}} : (lg_q == 2'd1 ? {2{elem[15:0]}} : elem);
        for (int w = 0; w < RB / 4; w++) begin
          if (in_en_i[l] && 32'(l) < 32'(np_q) && 32'(w) == 32'(off[OB-1:2])) begin
            for (int i = 0; i < 4; i++) begin
              if (m4[i]) begin
                be[p*RB + w*4 + i]              = 1'b1;
                data[(p*RB + w*4 + i)*8 +: 8]   = rep[i*8 +: 8];
              end
            end
          end
        end
      end
      if (move_old) begin
        pend_row_q  <= buf_row_q;
        pend_be_q   <= buf_be_q;
        pend_data_q <= buf_data_q;
      end
      if (to_pend) begin
        pend_row_q  <= addr[OffBits-1:OB];
        pend_be_q   <= be;
        pend_data_q <= data;
      end else begin
        buf_row_q  <= addr[OffBits-1:OB];
        buf_be_q   <= be;
        buf_data_q <= data;
      end
    end
  end

  `ASSERT_KNOWN(job_valid_known, job_valid_i)
  `ASSERT_STABLE(job_stable, job_valid_i && !job_ready_o && !clr_i,
                 {job_pstart_i, job_np_i, job_lg_i, job_base_i, job_n_i, job_s_i})
  `ASSERT(job_lanes_in_range, job_valid_i |-> job_np_i != 8'd0 && 32'(job_pstart_i) + 32'(job_np_i) <= P)
  `ASSERT(gnt_only_pending, wr_gnt_i |-> pend_valid_q)
  `ASSERT(element_in_row, accept |-> 32'(addr[OB-1:0]) + (32'd1 << lg_q) <= RB)

endmodule
