/// link_counters: the link port's statistics for the CSRs (docs/links.md section 9), cumulative
/// 32-bit counters (wrapping) of the events link_ctrl reports each cycle. Only the power-on reset
/// clears them (a reset of the port, reset_i, keeps them, as the C++ Counters); sessions starts
/// at 1, the session the power-on reset starts.
module link_counters (
  input  logic        clk_i,
  input  logic        rst_ni,
  // Events of this cycle: {sessions, protocol errors, link downs, timeouts, retrains, replays,
  // CRC errors, flits rx, flits tx}, a 2-bit count each; payload bytes sent and accepted.
  input  logic [17:0] ev_i,
  input  logic [7:0]  bytes_tx_i,
  input  logic [7:0]  bytes_rx_i,
  output logic [31:0] flits_tx_o,
  output logic [31:0] flits_rx_o,
  output logic [31:0] bytes_tx_o,
  output logic [31:0] bytes_rx_o,
  output logic [31:0] crc_errors_o,
  output logic [31:0] replays_o,
  output logic [31:0] retrains_o,
  output logic [31:0] timeouts_o,
  output logic [31:0] link_downs_o,
  output logic [31:0] protocol_errors_o,
  output logic [31:0] sessions_o
);

  logic [9*32-1:0] cnt_q;  // in the order of ev_i, 32 bits each
  logic [31:0] btx_q, brx_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= {32'd1, {8 * 32{1'b0}}};  // sessions 1
      btx_q <= '0;
      brx_q <= '0;
    end else begin
      for (int i = 0; i < 9; i++) cnt_q[32*i +: 32] <= cnt_q[32*i +: 32] + 32'(ev_i[2*i +: 2]);
      btx_q <= btx_q + 32'(bytes_tx_i);
      brx_q <= brx_q + 32'(bytes_rx_i);
    end
  end

  assign flits_tx_o        = cnt_q[0 +: 32];
  assign flits_rx_o        = cnt_q[32 +: 32];
  assign crc_errors_o      = cnt_q[64 +: 32];
  assign replays_o         = cnt_q[96 +: 32];
  assign retrains_o        = cnt_q[128 +: 32];
  assign timeouts_o        = cnt_q[160 +: 32];
  assign link_downs_o      = cnt_q[192 +: 32];
  assign protocol_errors_o = cnt_q[224 +: 32];
  assign sessions_o        = cnt_q[256 +: 32];
  assign bytes_tx_o        = btx_q;
  assign bytes_rx_o        = brx_q;

endmodule
