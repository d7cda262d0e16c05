/// link_port: one end of a chip-to-chip link (docs/links.md sections 1 to 4 and 9), the RTL of
/// the C++ reference systole::link::Port: go-back-N reliability with a replay buffer, cumulative
/// piggybacked ACKs, NAK once per error episode, credits per VC, the TRAIN handshake with 32-bit
/// epochs, keep-alive and silence detection, escalation to LINK_ERROR.
/// Wire: a TX and an RX channel of {valid, sof, 128-bit beat}, one beat per cycle, a 256-byte flit
/// in 16 beats (beat b = flit bytes 16b..16b+15, little-endian; sof on beat 0). At most one flit
/// starts every 16 cycles each way. link_tx serializes (and holds the replay buffer), link_rx
/// deserializes (and holds the RX buffers), link_ctrl is the protocol, link_counters counts.
/// User side: packets of 0..244 bytes as a flit-wide bus (payload byte i at in_payload_i[8i +: 8];
/// bytes from len up are sent as given, the C++ model sends zeros there: the receiver ignores
/// them). Send: in_valid_i with in_vc_i, in_dst_i, in_len_i, in_payload_i is taken when
/// in_ready_o[in_vc_i] (the C++ can_send(vc): up, confirmed, the VC's TX register free; from the
/// state after this cycle's RX path and TX choice, so combinational from the port's registers).
/// Receive: out_count_o holds the packets each VC's RX buffer holds ({VC 1, VC 0}); the head of
/// VC out_vc_i is on out_dst_o/out_len_o/out_payload_o, valid while out_valid_o[out_vc_i], and
/// out_ready_i pops it (returns its credit). Not popping stalls the far sender.
/// Latency: a flit's last beat in, its packet in the RX buffer two cycles later.
module link_port #(
  parameter int unsigned ReplayFlits   = 35,
  parameter int unsigned RxFlits0      = 35,
  parameter int unsigned RxFlits1      = 35,
  parameter int unsigned AckCoalesce   = 32,
  parameter int unsigned ReplayLimit   = 4,
  parameter int unsigned RetrainLimit  = 3,
  parameter int unsigned ReplayTimeout = 1680,
  parameter int unsigned TrainTimeout  = 1680,
  parameter int unsigned TrainInterval = 32,
  parameter int unsigned KeepAlive     = 560,
  parameter int unsigned SilenceLimit  = 1680
) (
  input  logic          clk_i,
  input  logic          rst_ni,          // power-on: epoch 0
  input  logic          reset_i,         // a reset of this end (C++ reset()): epoch + 1
  input  logic          retrain_i,       // a management retrain (C++ request_retrain())
  // The wire.
  output logic          tx_valid_o,
  output logic          tx_sof_o,
  output logic [127:0]  tx_beat_o,
  input  logic          rx_valid_i,
  input  logic          rx_sof_i,
  input  logic [127:0]  rx_beat_i,
  // Send.
  input  logic          in_valid_i,
  output logic [1:0]    in_ready_o,
  input  logic          in_vc_i,
  input  logic [7:0]    in_dst_i,
  input  logic [7:0]    in_len_i,
  input  logic [1951:0] in_payload_i,
  // Receive.
  output logic [15:0]   out_count_o,
  output logic [1:0]    out_valid_o,
  input  logic          out_vc_i,
  input  logic          out_ready_i,
  output logic [7:0]    out_dst_o,
  output logic [7:0]    out_len_o,
  output logic [1951:0] out_payload_o,
  // LINK_ERROR and status.
  output logic          down_o,
  output logic [2:0]    reason_o,        // link_pkg::Err*, valid while down_o
  output logic [1:0]    state_o,         // link_pkg::St*
  output logic          confirmed_o,
  output logic [31:0]   epoch_o,
  output logic [11:0]   next_seq_o,
  output logic [15:0]   credits_o,
  // Counters for the CSRs (cumulative).
  output logic [31:0]   cnt_flits_tx_o,
  output logic [31:0]   cnt_flits_rx_o,
  output logic [31:0]   cnt_bytes_tx_o,
  output logic [31:0]   cnt_bytes_rx_o,
  output logic [31:0]   cnt_crc_errors_o,
  output logic [31:0]   cnt_replays_o,
  output logic [31:0]   cnt_retrains_o,
  output logic [31:0]   cnt_timeouts_o,
  output logic [31:0]   cnt_link_downs_o,
  output logic [31:0]   cnt_protocol_errors_o,
  output logic [31:0]   cnt_sessions_o
);

  localparam int unsigned SlotW = (ReplayFlits > 1) ? $clog2(ReplayFlits) : 1;

  logic             rx_flit, rx_crc_ok, rx_push, rx_push_vc, rx_clr, pop, pop_ok;
  logic [143:0]     rx_flit_bits;  // the received header and payload bytes 0..9
  logic             tx_ready, tx_start, tx_from_ram, tx_store;
  logic [63:0]      tx_hdr;
  logic [1951:0]    tx_payload;
  logic [SlotW-1:0] tx_slot;
  logic [15:0]      count;
  logic [17:0]      cnt_ev;
  logic [7:0]       cnt_bytes_tx, cnt_bytes_rx;

  assign out_count_o = count;
  assign out_valid_o = {count[15:8] != 8'd0 && !rx_clr, count[7:0] != 8'd0 && !rx_clr};
  // A pop during a flush (rx_clr) is not taken: link_ctrl gates it (pop_ok).
  assign pop = out_ready_i && (out_vc_i ? count[15:8] != 8'd0 : count[7:0] != 8'd0);

  link_rx #(
    .RxFlits0(RxFlits0),
    .RxFlits1(RxFlits1)
  ) u_rx (
    .clk_i,
    .rst_ni,
    .rx_valid_i,
    .rx_sof_i,
    .rx_beat_i,
    .flit_valid_o (rx_flit),
    .flit_crc_ok_o(rx_crc_ok),
    .flit_o       (rx_flit_bits),
    .push_i       (rx_push),
    .push_vc_i    (rx_push_vc),
    .clr_i        (rx_clr),
    .out_count_o  (count),
    .out_vc_i,
    .pop_i        (pop_ok),
    .out_dst_o,
    .out_len_o,
    .out_payload_o
  );

  link_ctrl #(
    .ReplayFlits  (ReplayFlits),
    .RxFlits0     (RxFlits0),
    .RxFlits1     (RxFlits1),
    .AckCoalesce  (AckCoalesce),
    .ReplayLimit  (ReplayLimit),
    .RetrainLimit (RetrainLimit),
    .ReplayTimeout(ReplayTimeout),
    .TrainTimeout (TrainTimeout),
    .TrainInterval(TrainInterval),
    .KeepAlive    (KeepAlive),
    .SilenceLimit (SilenceLimit)
  ) u_ctrl (
    .clk_i,
    .rst_ni,
    .reset_i,
    .retrain_i,
    .rx_flit_i     (rx_flit),
    .rx_crc_ok_i   (rx_crc_ok),
    .rx_hdr_i      (rx_flit_bits[63:0]),
    .rx_ctl_i      (rx_flit_bits[143:64]),
    .rx_push_o     (rx_push),
    .rx_push_vc_o  (rx_push_vc),
    .rx_clr_o      (rx_clr),
    .rx_count_i    (count),
    .tx_ready_i    (tx_ready),
    .tx_start_o    (tx_start),
    .tx_hdr_o      (tx_hdr),
    .tx_payload_o  (tx_payload),
    .tx_from_ram_o (tx_from_ram),
    .tx_store_o    (tx_store),
    .tx_slot_o     (tx_slot),
    .in_valid_i,
    .in_ready_o,
    .in_vc_i,
    .in_dst_i,
    .in_len_i,
    .in_payload_i,
    .pop_i         (pop),
    .pop_vc_i      (out_vc_i),
    .pop_ok_o      (pop_ok),
    .state_o,
    .confirmed_o,
    .down_o,
    .reason_o,
    .epoch_o,
    .next_seq_o,
    .credits_o,
    .cnt_ev_o      (cnt_ev),
    .cnt_bytes_tx_o(cnt_bytes_tx),
    .cnt_bytes_rx_o(cnt_bytes_rx)
  );

  link_counters u_counters (
    .clk_i,
    .rst_ni,
    .ev_i             (cnt_ev),
    .bytes_tx_i       (cnt_bytes_tx),
    .bytes_rx_i       (cnt_bytes_rx),
    .flits_tx_o       (cnt_flits_tx_o),
    .flits_rx_o       (cnt_flits_rx_o),
    .bytes_tx_o       (cnt_bytes_tx_o),
    .bytes_rx_o       (cnt_bytes_rx_o),
    .crc_errors_o     (cnt_crc_errors_o),
    .replays_o        (cnt_replays_o),
    .retrains_o       (cnt_retrains_o),
    .timeouts_o       (cnt_timeouts_o),
    .link_downs_o     (cnt_link_downs_o),
    .protocol_errors_o(cnt_protocol_errors_o),
    .sessions_o       (cnt_sessions_o)
  );

  link_tx #(.ReplayFlits(ReplayFlits)) u_tx (
    .clk_i,
    .rst_ni,
    .abort_i   (reset_i),
    .ready_o   (tx_ready),
    .start_i   (tx_start),
    .hdr_i     (tx_hdr),
    .payload_i (tx_payload),
    .from_ram_i(tx_from_ram),
    .store_i   (tx_store),
    .slot_i    (tx_slot),
    .tx_valid_o,
    .tx_sof_o,
    .tx_beat_o
  );

endmodule
