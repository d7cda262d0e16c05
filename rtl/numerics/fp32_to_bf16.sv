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

  logic        round_up;
  logic [14:0] mag_rnd;

  always_comb begin
    res_o    = 16'd0;
    round_up = 1'b0;
    mag_rnd  = 15'd0;

    // Ties to even: round up on guard and (sticky or the kept LSB).
    round_up = a_i[15] & ((a_i[14:0] != 15'd0) | a_i[16]);
    // An infinity has no bits to round (all dropped bits are zero), so it passes through.
    mag_rnd  = a_i[30:16] + {14'd0, round_up};

    res_o = {a_i[31], mag_rnd};
    if (a_i[30:23] == 8'd0) begin
      res_o = {a_i[31], 15'd0};                                   // DAZ: signed zero
    end
    if ((a_i[30:23] == numerics_pkg::F32_EXP_MAX) && (a_i[22:0] != 23'd0)) begin
      res_o = numerics_pkg::BF16_QNAN;
    end
  end

endmodule
