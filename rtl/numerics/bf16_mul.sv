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

  logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
  logic        sign;
  logic [15:0] sig_prod;   // 1.f * 1.f in [1, 4): bit 15 set means the product is >= 2
  logic [9:0]  exp_sum;    // two's complement biased exponent of the product
  logic [22:0] frac;

  always_comb begin
    // ---- defaults -------------------------------------------------------------------------
    prod_o   = 32'd0;
    a_nan    = 1'b0;
    b_nan    = 1'b0;
    a_inf    = 1'b0;
    b_inf    = 1'b0;
    a_zero   = 1'b0;
    b_zero   = 1'b0;
    sign     = 1'b0;
    sig_prod = 16'd0;
    exp_sum  = 10'd0;
    frac     = 23'd0;

    // ---- classify (DAZ: exponent field 0 is a zero, whatever the fraction) ----------------
    a_nan  = (a_i[14:7] == numerics_pkg::F32_EXP_MAX) && (a_i[6:0] != 7'd0);
    b_nan  = (b_i[14:7] == numerics_pkg::F32_EXP_MAX) && (b_i[6:0] != 7'd0);
    a_inf  = (a_i[14:7] == numerics_pkg::F32_EXP_MAX) && (a_i[6:0] == 7'd0);
    b_inf  = (b_i[14:7] == numerics_pkg::F32_EXP_MAX) && (b_i[6:0] == 7'd0);
    a_zero = a_i[14:7] == 8'd0;
    b_zero = b_i[14:7] == 8'd0;
    sign   = a_i[15] ^ b_i[15];

    // ---- exact product: an 8x8 multiply and at most a one-bit normalisation -------------
    sig_prod = {1'b1, a_i[6:0]} * {1'b1, b_i[6:0]};
    exp_sum  = {2'b00, a_i[14:7]} + {2'b00, b_i[14:7]} - 10'd127 + {9'd0, sig_prod[15]};
    // Below 2 the hidden one sits at bit 14 and a left shift by one drops it. Written as a
    // one-bit shift rather than `? :`: the Verilated select compiles to a branch that
    // mispredicts on every other product (about half of all products are >= 2).
    frac     = 23'({sig_prod[14:0], 8'd0} << !sig_prod[15]);

    // ---- assemble, most specific case last ----------------------------------------------
    if (exp_sum[9] || (exp_sum == 10'd0)) begin
      prod_o = {sign, 31'd0};                                   // below 2^-126: FTZ
    end else if (exp_sum >= 10'd255) begin
      prod_o = {sign, numerics_pkg::F32_EXP_MAX, 23'd0};        // 2^128 or more: inf
    end else begin
      prod_o = {sign, exp_sum[7:0], frac};
    end
    if (a_zero || b_zero) begin
      prod_o = {sign, 31'd0};
    end
    if (a_inf || b_inf) begin
      prod_o = {sign, numerics_pkg::F32_EXP_MAX, 23'd0};
    end
    if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
      prod_o = numerics_pkg::F32_QNAN;
    end
  end

endmodule
