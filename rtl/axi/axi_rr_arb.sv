/// axi_rr_arb: round-robin arbiter for one AXI address channel (AR or AW) of N masters, with the
/// grant locked until the handshake.
/// The presented request is the first requesting master after the one granted last (cyclic), so
/// a master that keeps requesting is granted within N handshakes. Once a request is presented
/// (valid_o) and the downstream is not ready, the choice is locked until the handshake: neither
/// a new request of another master nor the round-robin pointer can change it, so the payload the
/// caller muxes with idx_o stays stable as AXI requires.
/// Zero latency: valid_o and idx_o follow req_i combinationally; valid_o never depends on
/// ready_i. en_i gates every grant (the AW channel's W-order FIFO has room); the caller must keep
/// en_i high while valid_o && !ready_i (a FIFO only fills on handshakes, so this holds).
`include "systole_assert.svh"

module axi_rr_arb #(
  parameter int N       = 5,
  parameter int IdxBits = (N > 1) ? $clog2(N) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // Requests (the masters' AxVALID) and the enable of every grant.
  input  logic [N-1:0]       req_i,
  input  logic               en_i,
  // Downstream: the presented request and its handshake.
  output logic               valid_o,
  input  logic               ready_i,
  output logic [IdxBits-1:0] idx_o,
  // One-hot handshake of the granted master this cycle (its AxREADY).
  output logic [N-1:0]       gnt_o
);

  logic               lock_q;  // a request was presented and not yet accepted
  logic [IdxBits-1:0] lock_idx_q, last_q, pick;

  // First requesting master after last_q, cyclically (last_q itself comes last).
  always_comb begin
    logic found;
    int   idx;
    pick  = last_q;
    found = 1'b0;
    for (int i = 1; i <= N; i++) begin
      idx = 32'(last_q) + i;
      if (idx >= N) idx = idx - N;
      if (!found && req_i[idx]) begin
        pick  = IdxBits'(idx);
        found = 1'b1;
      end
    end
  end

  assign idx_o   = lock_q ? lock_idx_q : pick;
  assign valid_o = en_i && req_i[idx_o];
  assign gnt_o   = (valid_o && ready_i) ? (N'(1) << idx_o) : '0;

  logic               lock_d;
  logic [IdxBits-1:0] last_d;
  assign lock_d = valid_o && !ready_i;
  assign last_d = (valid_o && ready_i) ? idx_o : last_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      lock_q     <= 1'b0;
      lock_idx_q <= '0;
      last_q     <= IdxBits'(N - 1);  // master 0 first after reset
    end else begin
      lock_q     <= lock_d;
      lock_idx_q <= idx_o;
      last_q     <= last_d;
    end
  end

  // A presented request stays presented, for the same master, until accepted.
  `ASSERT(lock_held, valid_o && !ready_i |=> valid_o && $stable(idx_o))
  `ASSERT(gnt_onehot, $onehot0(gnt_o))

endmodule
