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

endpackage
