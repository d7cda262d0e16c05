/// fp32_to_bf16: res_o = bf16(a_i) (docs/numerics.md section 4, writes).
/// Latency: combinational (0 cycles); one result per evaluation.
/// Notes: DAZ the input; RNE on the 16 dropped bits; infinities stay; NaN gives 0x7FC0.
/// bf16 has fp32's exponent range, so a normal input never becomes a bf16 denormal, and
/// rounding the largest bf16 magnitudes up carries into exponent 255 with a zero fraction,
/// which is exactly inf (overflow rounds to inf without a separate check).
module fp32_to_bf16 (
  // Input, fp32 bit pattern.
  input  logic [31:0] a_i,
  // Result, bf16 bit pattern.
  output logic [15:0] res_o
);

  // The datapath is numerics_pkg::fp32_to_bf16_en_f (one source for this module and the gated
  // callers such as the DMA's cast lanes).
  assign res_o = numerics_pkg::fp32_to_bf16_en_f(1'b1, a_i);

endmodule
