/// link_crc32c: the CRC-32C of the flits on one side of a link (docs/links.md section 1), a
/// 128-bit beat per cycle. A flit is FlitBeats beats, sof_i marking its first; the CRC covers
/// every bit of the flit except the last beat's top 32, which carry the CRC itself. On the last
/// beat (eof_o) crc_o is the flit's CRC: the transmitter puts it in those bits, the receiver
/// compares it with them (crc_ok_o). A beat without sof_i after a complete flit, or a new
/// sof_i before the last beat, is a framing error (frame_err_o, for one cycle): the receiver
/// drops the flit, the CRC then restarts with the next sof_i.
module link_crc32c #(
  parameter int unsigned FlitBeats = 16
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         valid_i,
  input  logic         sof_i,
  input  logic [127:0] beat_i,
  output logic         eof_o,
  output logic [31:0]  crc_o,
  output logic         crc_ok_o,
  output logic         frame_err_o
);

  localparam int unsigned BeatW = $clog2(FlitBeats);
  localparam logic [31:0] Crc32cInit = 32'hFFFFFFFF;  // and the final XOR (crc_o = ~next)

  logic [31:0]      crc_q, base, next;
  logic [BeatW-1:0] beat_q, idx;
  logic             in_flit_q;  // beats 1.. of a flit are expected

  assign base  = sof_i ? Crc32cInit : crc_q;
  assign idx   = sof_i ? '0 : beat_q;
  assign eof_o = valid_i && (sof_i || in_flit_q) && idx == BeatW'(FlitBeats - 1);
  assign next  = idx == BeatW'(FlitBeats - 1) ? link_pkg::crc32c_step96(base, beat_i[95:0])
                                              : link_pkg::crc32c_step128(base, beat_i);
  assign crc_o = ~next;
  assign crc_ok_o = eof_o && crc_o == beat_i[127:96];
  // A continuation beat with no flit open, or a new flit before the open one ended.
  assign frame_err_o = valid_i && ((!sof_i && !in_flit_q) || (sof_i && in_flit_q));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      crc_q     <= Crc32cInit;
      beat_q    <= '0;
      in_flit_q <= 1'b0;
    end else if (valid_i && (sof_i || in_flit_q)) begin
      crc_q     <= next;
      beat_q    <= idx + BeatW'(1);
      in_flit_q <= idx != BeatW'(FlitBeats - 1);
    end
  end

endmodule
