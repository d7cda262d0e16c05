/// link_tx: the TX wire of a link port (docs/links.md sections 1, 2 and 9): serializes one
/// 256-byte flit into 16 beats of 128 bits, bytes 16b..16b+15 little-endian in beat b, and puts
/// the CRC-32C (link_crc32c) in the top 32 bits of the last beat. It holds the replay buffer: a
/// RAM of ReplayFlits x 16 beats (128-bit words, synchronous write, asynchronous read), written
/// beat by beat while a new sequenced flit goes out (store_i) and read beat by beat when one is
/// sent again (from_ram_i), and the headers of its entries. A replayed flit keeps its kind, vc,
/// credits, len and dst and takes seq, the ACK and the epoch from hdr_i (those of its new start).
/// Handshake: ready_o while no flit is on the wire or its last beat goes out this cycle; start_i
/// (only while ready_o) starts a flit whose first beat goes out the next cycle, so flits follow
/// back to back, one per 16 cycles. abort_i (a reset of the port) cuts the flit being sent.
module link_tx #(
  parameter int unsigned ReplayFlits = 35,
  parameter int unsigned SlotW = (ReplayFlits > 1) ? $clog2(ReplayFlits) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             abort_i,
  // The next flit, from the port's TX choice.
  output logic             ready_o,
  input  logic             start_i,
  input  logic [63:0]      hdr_i,       // with from_ram_i: only seq, ACK and epoch
  input  logic [1951:0]    payload_i,   // flit bits 64..2015, unless from_ram_i
  input  logic             from_ram_i,  // payload from replay slot slot_i
  input  logic             store_i,     // a new sequenced flit: its beats go to slot slot_i
  input  logic [SlotW-1:0] slot_i,
  // The wire.
  output logic             tx_valid_o,
  output logic             tx_sof_o,
  output logic [127:0]     tx_beat_o
);

  localparam int unsigned AddrW = SlotW + 4;

  logic             busy_q, from_ram_q, store_q;
  logic [3:0]       idx_q;
  logic [63:0]      hdr_q;
  logic [1951:0]    pay_q;
  logic [SlotW-1:0] slot_q;
  logic [2047:0]    flit;
  logic [127:0]     raw, ram_beat;
  logic [AddrW-1:0] addr;
  logic [31:0]      crc;
  logic             last;

  // Replay buffer: slot s, beat b at word 16 s + b; the header of slot s.
  logic [127:0] mem_q [ReplayFlits * 16];
  logic [63:0]  hmem_q [ReplayFlits];
  // The header bits a replay keeps: kind, vc, credits0/1, len, dst (not seq, ACK, epoch).
  localparam logic [63:0] KeepMask = 64'hFFFF_0FFF_F000_0007;

  assign addr      = {slot_q, idx_q};
  assign ram_beat  = mem_q[addr];
  assign flit      = {32'd0, pay_q, hdr_q};
  assign last      = idx_q == 4'd15;
  assign ready_o   = !busy_q || last;
  always_comb begin
    raw = from_ram_q ? ram_beat : flit[idx_q*128 +: 128];
    if (idx_q == 4'd0) raw[63:0] = hdr_q;
  end

  // Only the CRC is needed here: the TX side frames its own beats.
  /* verilator lint_off PINCONNECTEMPTY */
  link_crc32c #(.FlitBeats(16)) u_crc (
    .clk_i,
    .rst_ni,
    .valid_i    (busy_q),
    .sof_i      (busy_q && idx_q == 4'd0),
    .beat_i     (raw),
    .eof_o      (),
    .crc_o      (crc),
    .crc_ok_o   (),
    .frame_err_o()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  assign tx_valid_o = busy_q;
  assign tx_sof_o   = busy_q && idx_q == 4'd0;
  assign tx_beat_o  = last ? {crc, raw[95:0]} : raw;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q     <= 1'b0;
      from_ram_q <= 1'b0;
      store_q    <= 1'b0;
      idx_q      <= '0;
      hdr_q      <= '0;
      pay_q      <= '0;
      slot_q     <= '0;
    end else if (abort_i) begin
      busy_q <= 1'b0;
      idx_q  <= '0;
    end else if (start_i) begin
      busy_q     <= 1'b1;
      idx_q      <= '0;
      hdr_q      <= from_ram_i ? (hmem_q[slot_i] & KeepMask) | (hdr_i & ~KeepMask) : hdr_i;
      from_ram_q <= from_ram_i;
      store_q    <= store_i;
      slot_q     <= slot_i;
      if (!from_ram_i) pay_q <= payload_i;
    end else if (busy_q) begin
      busy_q <= !last;
      idx_q  <= idx_q + 4'd1;
    end
  end

  // The RAMs: written in the clocked block without reset (inferable memories).
  always_ff @(posedge clk_i) begin
    if (busy_q && store_q && !from_ram_q) mem_q[addr] <= raw;
    if (start_i && store_i && !abort_i) hmem_q[slot_i] <= hdr_i;
  end

endmodule
