/// fp32_add: sum_o = a_i + b_i under docs/numerics.md section 2.
/// Latency: combinational (0 cycles); one result per evaluation.
/// Notes: DAZ inputs, RNE, FTZ output (a sum below 2^-126 is always exact, so flushing the
/// normalised result is rule 4), overflow to +-inf, canonical NaN for any NaN input and for
/// inf - inf, exact zero of opposite signs is +0 and (-0) + (-0) = -0.
/// Datapath: the operand of larger magnitude is the base; the other is aligned into a 27-bit
/// significand (24 bits + guard, round, sticky), so every intermediate fits one 32-bit word
/// in Verilator. Three extra bits suffice: when the exponents differ by 2 or more a
/// subtraction loses at most one bit of normalisation, and when they differ by 0 or 1 the
/// alignment is exact.
module fp32_add (
  // Operands, fp32 bit patterns.
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  // Rounded sum, fp32 bit pattern (never denormal).
  output logic [31:0] sum_o
);

  // The datapath is numerics_pkg::fp32_add_f (one source for this module and the PE).
  assign sum_o = numerics_pkg::fp32_add_f(a_i, b_i);

endmodule
