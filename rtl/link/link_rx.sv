/// link_rx: the RX wire of a link port and its RX buffers (docs/links.md sections 1, 3 and 9).
/// Deserializes the 16 beats of a flit (sof_i on the first) while link_crc32c checks it; the
/// cycle after the last beat, flit_valid_o is high for one cycle with the flit's bits 0..143
/// (header, payload bytes 0..9) and whether its CRC matched. Beats outside a flit (the tail of a flit whose sender was reset, a
/// framing error) are ignored. The port's RX path then decides: push_i stores the flit's packet
/// (len, dst, payload) in the RX buffer of push_vc_i in that same cycle.
/// RX buffers: RxFlits0 and RxFlits1 entries, one memory; the user reads the head of VC
/// out_vc_i (out_count_o says how many each VC holds) and pop_i takes it. clr_i (a fresh session)
/// empties both.
module link_rx #(
  parameter int unsigned RxFlits0 = 35,
  parameter int unsigned RxFlits1 = 35
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  // The wire.
  input  logic          rx_valid_i,
  input  logic          rx_sof_i,
  input  logic [127:0]  rx_beat_i,
  // A received flit, for the port's RX path.
  output logic          flit_valid_o,
  output logic          flit_crc_ok_o,
  output logic [143:0]  flit_o,        // its bits 0..143: header, payload bytes 0..9
  // Store its packet.
  input  logic          push_i,
  input  logic          push_vc_i,
  input  logic          clr_i,
  // The user.
  output logic [15:0]   out_count_o,   // {VC 1, VC 0}, 8 bits each
  input  logic          out_vc_i,
  input  logic          pop_i,
  output logic [7:0]    out_dst_o,
  output logic [7:0]    out_len_o,
  output logic [1951:0] out_payload_o
);

  localparam int unsigned Depth = RxFlits0 + RxFlits1;
  localparam int unsigned PtrW = $clog2(Depth);
  localparam int unsigned EntryW = 1968;  // {payload, dst, len}

  logic [2015:0]     flit_q;
  logic              flit_valid_q, crc_ok_q;
  logic              eof, ok;
  logic [3:0]        idx;
  logic              in_flit_q;
  logic [3:0]        beat_q;
  logic [EntryW-1:0] mem_q [Depth];
  logic [PtrW-1:0]   wr0_q, wr1_q, rd0_q, rd1_q, head;
  logic [7:0]        cnt0_q, cnt1_q;
  logic              push0, push1, pop0, pop1;

  // The received CRC is compared inside (crc_ok); framing errors are beats ignored below.
  /* verilator lint_off PINCONNECTEMPTY */
  link_crc32c #(.FlitBeats(16)) u_crc (
    .clk_i,
    .rst_ni,
    .valid_i    (rx_valid_i),
    .sof_i      (rx_sof_i),
    .beat_i     (rx_beat_i),
    .eof_o      (eof),
    .crc_o      (),
    .crc_ok_o   (ok),
    .frame_err_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // The beat index, kept like link_crc32c's: a sof restarts the flit.
  assign idx = rx_sof_i ? 4'd0 : beat_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      flit_q       <= '0;
      flit_valid_q <= 1'b0;
      crc_ok_q     <= 1'b0;
      in_flit_q    <= 1'b0;
      beat_q       <= '0;
    end else begin
      flit_valid_q <= eof;
      crc_ok_q     <= ok;
      if (rx_valid_i && (rx_sof_i || in_flit_q)) begin
        beat_q    <= idx + 4'd1;
        in_flit_q <= idx != 4'd15;
        if (idx == 4'd15) flit_q[1920 +: 96] <= rx_beat_i[95:0];
        else flit_q[idx*128 +: 128] <= rx_beat_i;
      end
    end
  end

  assign flit_valid_o  = flit_valid_q;
  assign flit_crc_ok_o = crc_ok_q;
  assign flit_o        = flit_q[143:0];

  // The RX buffers: VC 0 in entries 0..RxFlits0-1, VC 1 in RxFlits0..Depth-1.
  assign head          = out_vc_i ? rd1_q : rd0_q;
  assign out_count_o   = {cnt1_q, cnt0_q};
  assign out_len_o     = mem_q[head][7:0];
  assign out_dst_o     = mem_q[head][15:8];
  assign out_payload_o = mem_q[head][EntryW-1:16];
  assign push0 = push_i && !push_vc_i;
  assign push1 = push_i && push_vc_i;
  assign pop0  = pop_i && !out_vc_i;
  assign pop1  = pop_i && out_vc_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr0_q  <= '0;
      rd0_q  <= '0;
      wr1_q  <= PtrW'(RxFlits0);
      rd1_q  <= PtrW'(RxFlits0);
      cnt0_q <= '0;
      cnt1_q <= '0;
    end else if (clr_i) begin
      wr0_q  <= '0;
      rd0_q  <= '0;
      wr1_q  <= PtrW'(RxFlits0);
      rd1_q  <= PtrW'(RxFlits0);
      cnt0_q <= '0;
      cnt1_q <= '0;
    end else begin
      if (push0) wr0_q <= (32'(wr0_q) == RxFlits0 - 1) ? '0 : wr0_q + PtrW'(1);
      if (pop0) rd0_q <= (32'(rd0_q) == RxFlits0 - 1) ? '0 : rd0_q + PtrW'(1);
      if (push1) wr1_q <= (32'(wr1_q) == Depth - 1) ? PtrW'(RxFlits0) : wr1_q + PtrW'(1);
      if (pop1) rd1_q <= (32'(rd1_q) == Depth - 1) ? PtrW'(RxFlits0) : rd1_q + PtrW'(1);
      cnt0_q <= cnt0_q + 8'(push0) - 8'(pop0);
      cnt1_q <= cnt1_q + 8'(push1) - 8'(pop1);
    end
  end

  // The buffer memory (no reset: an inferable RAM).
  always_ff @(posedge clk_i) begin
    if (push_i) mem_q[push_vc_i ? wr1_q : wr0_q] <= {flit_q[2015:64], flit_q[63:56], flit_q[55:48]};
  end

endmodule
