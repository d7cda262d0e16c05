/// dma_buf: first-in first-out buffer of wide entries (AXI beats) on a memory with a registered
/// read port, so that it maps to block RAM on FPGA (rtl/common/fifo.sv reads asynchronously,
/// which only suits small FIFOs). The head is held in an output register (first word fall
/// through): out_data_o is the oldest entry whenever out_valid_o is high.
/// Capacity: Depth entries in the memory plus one in the output register. in_ready_o is high
/// while the memory has room (independent of the pop side); count_o counts every entry held.
/// clr_i empties it. Latency: an entry pushed into an empty buffer is at the output two cycles
/// later. Throughput: one push and one pop per cycle.
/// The caller's promises are asserted as in rtl/common/fifo.sv: PushOnlyWhenReady (default)
/// no push while full; PopOnlyWhenValid no pop while empty.
`include "systole_assert.svh"

module dma_buf #(
  parameter int Width = 64,
  parameter int Depth = 16,
  parameter int CountBits = $clog2(Depth + 2),
  parameter bit PushOnlyWhenReady = 1'b1,
  parameter bit PopOnlyWhenValid  = 1'b0
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 clr_i,
  // Push side.
  input  logic                 in_valid_i,
  output logic                 in_ready_o,
  input  logic [Width-1:0]     in_data_i,
  // Pop side.
  output logic                 out_valid_o,
  input  logic                 out_ready_i,
  output logic [Width-1:0]     out_data_o,
  // Entries held (memory and output register).
  output logic [CountBits-1:0] count_o
);

  localparam int PtrBits = (Depth > 1) ? $clog2(Depth) : 1;

  logic [Width-1:0]     mem_q [Depth];
  logic [PtrBits-1:0]   rd_q, wr_q;
  logic [CountBits-1:0] n_q;      // entries in the memory
  logic                 out_valid_q, push, fill;

  function automatic logic [PtrBits-1:0] incr(logic [PtrBits-1:0] p);
    incr = (32'(p) == Depth - 1) ? '0 : p + PtrBits'(1);
  endfunction

  assign in_ready_o  = n_q != CountBits'(Depth);
  assign push        = in_valid_i && in_ready_o;
  // The output register takes the next entry when it is empty or being popped.
  assign fill        = (n_q != '0) && (!out_valid_q || out_ready_i);
  assign out_valid_o = out_valid_q;
  assign count_o     = n_q + CountBits'(out_valid_q);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q        <= '0;
      wr_q        <= '0;
      n_q         <= '0;
      out_valid_q <= 1'b0;
    end else if (clr_i) begin
      rd_q        <= '0;
      wr_q        <= '0;
      n_q         <= '0;
      out_valid_q <= 1'b0;
    end else begin
      if (push) wr_q <= incr(wr_q);
      if (fill) rd_q <= incr(rd_q);
      n_q <= n_q + CountBits'(push) - CountBits'(fill);
      if (fill)             out_valid_q <= 1'b1;
      else if (out_ready_i) out_valid_q <= 1'b0;
    end
  end

  // The memory: one write port, one registered read port (block RAM shape).
  always_ff @(posedge clk_i) begin
    if (push) mem_q[wr_q] <= in_data_i;
    if (fill) out_data_o <= mem_q[rd_q];
  end

  `ASSERT_KNOWN(in_valid_known, in_valid_i)
  `ASSERT_KNOWN(out_ready_known, out_ready_i)
  if (PushOnlyWhenReady) begin : gen_push_checked
    `ASSERT(no_push_when_full, in_valid_i |-> in_ready_o)
  end else begin : gen_push_handshake
    `ASSERT_STABLE(in_data_stable, in_valid_i && !in_ready_o && !clr_i, in_data_i)
  end
  if (PopOnlyWhenValid) begin : gen_pop_checked
    `ASSERT(no_pop_when_empty, out_ready_i |-> out_valid_o)
  end

endmodule
