/// fp8_mul: prod_o = a_i * b_i, the exact fp32 product of two fp8 e4m3 (OCP) values
/// (docs/numerics.md section 3).
/// Latency: combinational (0 cycles); one result per evaluation.
/// Notes: e4m3 has no infinities; S.1111.111 is NaN and any NaN operand gives the canonical
/// NaN. Subnormals (m/8 * 2^-6) are honoured. The 4x4-bit significand product and the
/// exponent range (2^-18 .. 448^2) always give an exact, normal fp32 number or a zero, so
/// there is no rounding and no range check. A zero product has the XOR of the signs.
module fp8_mul (
  // Operands, fp8 e4m3 bit patterns.
  input  logic [7:0]  a_i,
  input  logic [7:0]  b_i,
  // Exact product, fp32 bit pattern.
  output logic [31:0] prod_o
);

  // The datapath is numerics_pkg::fp8_mul_f (one source for this module and the PE).
  assign prod_o = numerics_pkg::fp8_mul_f(a_i, b_i);

endmodule
