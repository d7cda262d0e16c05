/// axil_checker: AXI4-Lite protocol checker on one slave port (docs/chip.md section 9): chip_top
/// puts one on the host port s_axil_*. Only inputs, simulation only, like axi_checker: the
/// rules are assertions and their counters are compiled out with them (SYNTHESIS, iverilog).
///
/// Rules (assertion names in brackets):
/// - VALID and READY of every channel known [<ch>_handshake_known]; every VALID held until its
///   READY [<ch>_valid_held] with a stable payload [<ch>_stable]: AW, W, AR from the host, B, R
///   from the slave.
/// - B only for a write whose AW and W were both accepted in earlier cycles [b_after_aw_and_w];
///   R only for a read whose AR was accepted in an earlier cycle [r_after_ar].
/// - The counters behind them hold MaxOutstanding transactions per channel
///   [tracking_overflow_<aw|w|ar>]: a firing one means the parameter is too small.
`include "systole_assert.svh"

module axil_checker #(
  parameter int AddrBits       = 12,
  parameter int MaxOutstanding = 4
) (
  input logic                clk_i,
  input logic                rst_ni,
  input logic                aw_valid_i,
  input logic                aw_ready_i,
  input logic [AddrBits-1:0] aw_addr_i,
  input logic                w_valid_i,
  input logic                w_ready_i,
  input logic [31:0]         w_data_i,
  input logic [3:0]          w_strb_i,
  input logic                b_valid_i,
  input logic                b_ready_i,
  input logic [1:0]          b_resp_i,
  input logic                ar_valid_i,
  input logic                ar_ready_i,
  input logic [AddrBits-1:0] ar_addr_i,
  input logic                r_valid_i,
  input logic                r_ready_i,
  input logic [31:0]         r_data_i,
  input logic [1:0]          r_resp_i
);

`ifndef SYSTOLE_ASSERT_OFF

  localparam int CntBits = $clog2(MaxOutstanding + 1);

  `ASSERT_KNOWN(aw_handshake_known, {aw_valid_i, aw_ready_i})
  `ASSERT_KNOWN(w_handshake_known, {w_valid_i, w_ready_i})
  `ASSERT_KNOWN(b_handshake_known, {b_valid_i, b_ready_i})
  `ASSERT_KNOWN(ar_handshake_known, {ar_valid_i, ar_ready_i})
  `ASSERT_KNOWN(r_handshake_known, {r_valid_i, r_ready_i})
  `ASSERT(aw_valid_held, aw_valid_i && !aw_ready_i |=> aw_valid_i)
  `ASSERT_STABLE(aw_stable, aw_valid_i && !aw_ready_i, aw_addr_i)
  `ASSERT(w_valid_held, w_valid_i && !w_ready_i |=> w_valid_i)
  `ASSERT_STABLE(w_stable, w_valid_i && !w_ready_i, {w_data_i, w_strb_i})
  `ASSERT(b_valid_held, b_valid_i && !b_ready_i |=> b_valid_i)
  `ASSERT_STABLE(b_stable, b_valid_i && !b_ready_i, b_resp_i)
  `ASSERT(ar_valid_held, ar_valid_i && !ar_ready_i |=> ar_valid_i)
  `ASSERT_STABLE(ar_stable, ar_valid_i && !ar_ready_i, ar_addr_i)
  `ASSERT(r_valid_held, r_valid_i && !r_ready_i |=> r_valid_i)
  `ASSERT_STABLE(r_stable, r_valid_i && !r_ready_i, {r_data_i, r_resp_i})

  // Accepted and not yet answered: write addresses, write data, reads.
  logic [CntBits-1:0] aw_cnt_q, w_cnt_q, ar_cnt_q;
  logic               aw_hs, w_hs, b_hs, ar_hs, r_hs;
  assign aw_hs = aw_valid_i && aw_ready_i;
  assign w_hs  = w_valid_i && w_ready_i;
  assign b_hs  = b_valid_i && b_ready_i;
  assign ar_hs = ar_valid_i && ar_ready_i;
  assign r_hs  = r_valid_i && r_ready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_cnt_q <= '0;
      w_cnt_q  <= '0;
      ar_cnt_q <= '0;
    end else begin
      // A response without its request is reported below; the counts do not wrap on it.
      aw_cnt_q <= aw_cnt_q + CntBits'(aw_hs) - CntBits'(b_hs && aw_cnt_q != '0);
      w_cnt_q  <= w_cnt_q + CntBits'(w_hs) - CntBits'(b_hs && w_cnt_q != '0);
      ar_cnt_q <= ar_cnt_q + CntBits'(ar_hs) - CntBits'(r_hs && ar_cnt_q != '0);
    end
  end

  `ASSERT(tracking_overflow_aw, aw_hs |-> 32'(aw_cnt_q) < MaxOutstanding)
  `ASSERT(tracking_overflow_w, w_hs |-> 32'(w_cnt_q) < MaxOutstanding)
  `ASSERT(tracking_overflow_ar, ar_hs |-> 32'(ar_cnt_q) < MaxOutstanding)
  `ASSERT(b_after_aw_and_w, b_valid_i |-> aw_cnt_q != '0 && w_cnt_q != '0)
  `ASSERT(r_after_ar, r_valid_i |-> ar_cnt_q != '0)

`else  // SYSTOLE_ASSERT_OFF

  // Without assertions (synthesis, iverilog) the checker is an empty module: its inputs are
  // unused on purpose (the `unused` sink is what Verilator's -Wall accepts for that).
  logic unused;
  assign unused = ^{clk_i, rst_ni, aw_valid_i, aw_ready_i, aw_addr_i, w_valid_i, w_ready_i, w_data_i,
                    w_strb_i, b_valid_i, b_ready_i, b_resp_i, ar_valid_i, ar_ready_i, ar_addr_i,
                    r_valid_i, r_ready_i, r_data_i, r_resp_i, 32'(MaxOutstanding)};

`endif  // SYSTOLE_ASSERT_OFF

endmodule
