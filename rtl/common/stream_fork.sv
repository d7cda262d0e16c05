/// stream_fork: hands one upstream valid/ready transfer to NumOut downstream ports, each port
/// taking it in its own cycle; there is no payload (the caller fans its data out itself and holds
/// it, as the handshake requires, until the upstream transfer completes).
/// in_sel_i picks the ports that get this transfer; an unselected port counts as served and sees
/// no valid. Port i is offered valid while in_valid_i is high, it is selected and it has not yet
/// taken this transfer (one taken flag per port); in_ready_o is high when every port has taken
/// the transfer, is unselected or takes it in this cycle, so the upstream handshake happens in
/// the cycle the last selected port takes it. The taken flags clear on that handshake and on clr_i.
/// Latency 0: out_valid_o follows in_valid_i in the same cycle (no register on the path).
/// Throughput: one transfer per cycle when every selected port is ready.
/// Handshakes: out_valid_o[i] never depends on out_ready_i; in_ready_o does, combinationally, on
/// every out_ready_i. The caller holds in_valid_i and in_sel_i until in_ready_o (asserted) except
/// in a clr_i cycle, which drops the transfer: ports that took it keep it, the others never see it.
/// Used by dma_rd and dma_wr: a DAP job goes to the address walker (DRAM only) and the data walker.
`include "systole_assert.svh"

module stream_fork #(
  parameter int NumOut = 2
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // Synchronous clear: forgets which ports took the current transfer.
  input  logic              clr_i,
  // Upstream transfer and the ports it goes to.
  input  logic              in_valid_i,
  output logic              in_ready_o,
  input  logic [NumOut-1:0] in_sel_i,
  // Downstream ports, bit i per port.
  output logic [NumOut-1:0] out_valid_o,
  input  logic [NumOut-1:0] out_ready_i
);

  logic [NumOut-1:0] taken_q, taken_d;

  assign out_valid_o = {NumOut{in_valid_i}} & in_sel_i & ~taken_q;
  assign in_ready_o  = &(taken_q | ~in_sel_i | out_ready_i);
  assign taken_d     = (clr_i || (in_valid_i && in_ready_o)) ? '0 : taken_q | (out_valid_o & out_ready_i);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) taken_q <= '0;
    else         taken_q <= taken_d;
  end

  `ASSERT_KNOWN(in_valid_known, in_valid_i)
  `ASSERT(in_valid_held, in_valid_i && !in_ready_o && !clr_i |=> in_valid_i)
  `ASSERT_STABLE(in_sel_stable, in_valid_i && !in_ready_o && !clr_i, in_sel_i)

endmodule
