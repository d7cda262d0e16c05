/// int8_mac: acc_o = acc_i + a_i * b_i in 32-bit two's complement, wrapping
/// (docs/numerics.md section 3).
/// Latency: combinational (0 cycles); one result per evaluation.
/// Notes: the 8x8 signed product is exact in 16 bits (-128 * -128 = 16384 is the extreme)
/// and is sign-extended before the add; the add wraps modulo 2^32 by construction.
module int8_mac (
  // Accumulator in, int32.
  input  logic [31:0] acc_i,
  // Operands, int8.
  input  logic [7:0]  a_i,
  input  logic [7:0]  b_i,
  // Accumulator out, int32.
  output logic [31:0] acc_o
);

  // The datapath is numerics_pkg::int8_mac_f (one source for this module and the PE).
  assign acc_o = numerics_pkg::int8_mac_f(acc_i, a_i, b_i);

endmodule
