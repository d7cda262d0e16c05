/// bf16_mul: prod_o = a_i * b_i, the exact fp32 product of two bf16 values
/// (docs/numerics.md section 3).
/// Latency: combinational (0 cycles); one result per evaluation.
/// Notes: the 8x8-bit significand product always fits the 24-bit fp32 significand, so there
/// is no rounding; only the range rules apply. DAZ inputs, a product of magnitude 2^128 or
/// more is +-inf, one below 2^-126 is a signed zero (FTZ), 0 * inf and any NaN give the
/// canonical NaN. The sign of every non-NaN result is the XOR of the operand signs.
module bf16_mul (
  // Operands, bf16 bit patterns.
  input  logic [15:0] a_i,
  input  logic [15:0] b_i,
  // Exact product, fp32 bit pattern (never denormal).
  output logic [31:0] prod_o
);

  // The datapath is numerics_pkg::bf16_mul_f (one source for this module and the PE).
  assign prod_o = numerics_pkg::bf16_mul_f(a_i, b_i);

endmodule
