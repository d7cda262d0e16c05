/// fp32_to_fp8: res_o = fp8_e4m3(a_i) (docs/numerics.md section 4, writes).
/// Latency: combinational (0 cycles); one result per evaluation.
/// Notes: DAZ the input; RNE to 3 fraction bits with fp8 subnormals honoured (below 2^-6 the
/// value is rounded to a multiple of 2^-9; magnitudes up to 2^-10 give a signed zero, 2^-10
/// itself being a tie that rounds to even zero). Saturating: any magnitude that would round
/// above 448, and +-inf, give +-448 (0x7E/0xFE). NaN gives 0x7F.
/// Datapath: normal and subnormal results share one path. The 24-bit significand is shifted
/// right so that the kept bits are the fp8 significand (20 for a normal; 20 plus one per
/// binade below 2^-6 for a subnormal); the rounding increment is applied to the packed
/// {exponent, mantissa} code, so a carry moves a subnormal up to the smallest normal, or a
/// normal up one binade, by itself.
module fp32_to_fp8 (
  // Input, fp32 bit pattern.
  input  logic [31:0] a_i,
  // Result, fp8 e4m3 bit pattern.
  output logic [7:0]  res_o
);

  // The datapath is numerics_pkg::fp32_to_fp8_en_f (one source for this module and the gated
  // callers such as the DMA's cast lanes).
  assign res_o = numerics_pkg::fp32_to_fp8_en_f(1'b1, a_i);

endmodule
