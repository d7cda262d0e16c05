/// fifo: synchronous first-in first-out queue with valid/ready on both sides.
/// Depth entries (any Depth >= 1), registered storage; out_valid_o is high while not empty and
/// in_ready_o while not full (neither depends on the other side's valid or ready). clr_i empties
/// it. count_o is the number of entries (for credit schemes). Latency: an entry pushed in cycle
/// t can be popped in cycle t+1. Throughput: one push and one pop per cycle.
/// What the caller promises is asserted: PushOnlyWhenReady (the default, and every user in the
/// chip): it pushes only while in_ready_o, so a push into a full FIFO, an entry silently lost, is
/// an error; 0 makes in_valid_i an ordinary handshake that may wait (payload held meanwhile).
/// PopOnlyWhenValid: it pops only while out_valid_o (its out_ready_i means "take the head"), so a
/// pop of an empty FIFO is an error; 0 (default) makes out_ready_i an ordinary ready.
`include "systole_assert.svh"

module fifo #(
  parameter int Width = 8,
  parameter int Depth = 2,
  parameter int CountBits = $clog2(Depth + 1),
  parameter bit PushOnlyWhenReady = 1'b1,
  parameter bit PopOnlyWhenValid  = 1'b0
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // Synchronous clear: drops every entry.
  input  logic                 clr_i,
  // Push side.
  input  logic                 in_valid_i,
  output logic                 in_ready_o,
  input  logic [Width-1:0]     in_data_i,
  // Pop side.
  output logic                 out_valid_o,
  input  logic                 out_ready_i,
  output logic [Width-1:0]     out_data_o,
  // Number of entries held.
  output logic [CountBits-1:0] count_o
);

  localparam int PtrBits = (Depth > 1) ? $clog2(Depth) : 1;

  logic [Width-1:0]     mem_q [Depth];
  logic [PtrBits-1:0]   rd_q, wr_q;
  logic [CountBits-1:0] count_q;
  logic                 push, pop;

  assign in_ready_o  = count_q != CountBits'(Depth);
  assign out_valid_o = count_q != '0;
  assign out_data_o  = mem_q[rd_q];
  assign count_o     = count_q;
  assign push        = in_valid_i && in_ready_o;
  assign pop         = out_valid_o && out_ready_i;

  function automatic logic [PtrBits-1:0] incr(logic [PtrBits-1:0] p);
    logic [PtrBits-1:0] r;
    r = (32'(p) == Depth - 1) ? '0 : p + PtrBits'(1);
    incr = r;
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q    <= '0;
      wr_q    <= '0;
      count_q <= '0;
    end else if (clr_i) begin
      rd_q    <= '0;
      wr_q    <= '0;
      count_q <= '0;
    end else begin
      if (push) wr_q <= incr(wr_q);
      if (pop)  rd_q <= incr(rd_q);
      count_q <= count_q + CountBits'(push) - CountBits'(pop);
    end
  end

  always_ff @(posedge clk_i) begin
    if (push) mem_q[wr_q] <= in_data_i;
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
