/// link_pkg: constants and the CRC of the chip-to-chip link layer (docs/links.md sections 1-2).
package link_pkg;

  /// The flit check: CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, initial value and
  /// final XOR 0xFFFFFFFF (check value 0xE3069283 over the ASCII bytes "123456789"; the initial
  /// value lives in link_crc32c, the one user).
  localparam logic [31:0] Crc32cPoly = 32'h82F63B78;

  /// Advances the CRC register `c` over the 128 bits of `d`, bit 0 first (the reflected CRC
  /// consumes each byte LSB first, and flit bit i is bit i%8 of byte i/8).
  function automatic logic [31:0] crc32c_step128(input logic [31:0] c, input logic [127:0] d);
    crc32c_step128 = c;
    for (int i = 0; i < 128; i++) begin
      crc32c_step128 = (crc32c_step128 >> 1) ^ ((crc32c_step128[0] ^ d[i]) ? Crc32cPoly : 32'd0);
    end
  endfunction

  /// The same over the low 96 bits only: a flit's last 128-bit beat, whose top 32 bits are the
  /// CRC itself.
  function automatic logic [31:0] crc32c_step96(input logic [31:0] c, input logic [95:0] d);
    crc32c_step96 = c;
    for (int i = 0; i < 96; i++) begin
      crc32c_step96 = (crc32c_step96 >> 1) ^ ((crc32c_step96[0] ^ d[i]) ? Crc32cPoly : 32'd0);
    end
  endfunction

  /// The flit format (docs/links.md section 1; sw/link/include/systole/link/flit.hpp).
  // Each module uses only some of these constants; Verilator reports the rest as unused for
  // every top that includes the package, so the check is off for the constants.
  /* verilator lint_off UNUSEDPARAM */
  localparam int unsigned FlitBeats    = 16;    // 128-bit beats per 256-byte flit
  localparam int unsigned PayloadBytes = 244;
  localparam int unsigned PayloadBits  = 1952;  // flit bits 64..2015
  localparam int unsigned SeqMod       = 4096;
  localparam logic [1:0] KindIdle    = 2'd0;
  localparam logic [1:0] KindData    = 2'd1;
  localparam logic [1:0] KindControl = 2'd2;
  localparam logic [1:0] KindCredit  = 2'd3;
  localparam logic [7:0] OpNak   = 8'd1;
  localparam logic [7:0] OpTrain = 8'd2;

  /// Link states (the C++ PortState) and LINK_ERROR reason codes (the C++ LinkErrorReason).
  localparam logic [1:0] StTrain = 2'd0;
  localparam logic [1:0] StUp    = 2'd1;
  localparam logic [1:0] StDown  = 2'd2;
  localparam logic [2:0] ErrRetrainLimit      = 3'd0;
  localparam logic [2:0] ErrAckNotOutstanding = 3'd1;
  localparam logic [2:0] ErrNakNotOutstanding = 3'd2;
  localparam logic [2:0] ErrCreditOverflow    = 3'd3;
  localparam logic [2:0] ErrRxOverflow        = 3'd4;
  localparam logic [2:0] ErrBadResume         = 3'd5;
  localparam logic [2:0] ErrBadFlit           = 3'd6;
  /* verilator lint_on UNUSEDPARAM */

  /// Views of a received flit: the 64-bit header (flit bits 0..63) and a CONTROL flit's payload
  /// bytes 0..9 (op; TRAIN: flags, the sender's full epoch, the echo of the peer's).
  typedef struct packed {
    logic [7:0]  dst;
    logic [7:0]  len;
    logic [3:0]  epoch;
    logic [7:0]  credits1;
    logic [7:0]  credits0;
    logic [11:0] ack;
    logic        ack_valid;
    logic [11:0] seq;
    logic        vc;
    logic [1:0]  kind;
  } hdr_t;
  typedef struct packed {
    logic [31:0] echo;
    logic [31:0] epoch;
    logic [7:0]  flags;  // bit 0 fresh, bit 1 done
    logic [7:0]  op;
  } ctl_t;

  /// The 64-bit header (flit bits 0..63), every field LSB first from its lowest bit.
  function automatic logic [63:0] hdr(input logic [1:0] kind, input logic vc, input logic [11:0] seq,
                                      input logic ack_valid, input logic [11:0] ack,
                                      input logic [7:0] credits0, input logic [7:0] credits1,
                                      input logic [3:0] epoch, input logic [7:0] len,
                                      input logic [7:0] dst);
    hdr = {dst, len, epoch, credits1, credits0, ack, ack_valid, seq, vc, kind};
  endfunction

endpackage
