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

  logic       sign;
  logic [3:0] a_sig, b_sig;   // significand h.mmm, h = 0 for a subnormal
  logic [3:0] a_exp, b_exp;   // exponent field, a subnormal reading as 1 (same scale 2^-6)
  logic [7:0] sig_prod;       // hh.mmmmmm: value sig_prod * 2^-6 * 2^(a_exp + b_exp - 14)
  logic [2:0] lz;
  logic [7:0] sig_norm;       // sig_prod with its leading one at bit 7
  logic [7:0] exp_f32;        // biased fp32 exponent, always in 109..144

  always_comb begin
    // ---- defaults -------------------------------------------------------------------------
    prod_o   = 32'd0;
    sign     = 1'b0;
    a_sig    = 4'd0;
    b_sig    = 4'd0;
    a_exp    = 4'd0;
    b_exp    = 4'd0;
    sig_prod = 8'd0;
    lz       = 3'd0;
    sig_norm = 8'd0;
    exp_f32  = 8'd0;

    sign  = a_i[7] ^ b_i[7];
    a_sig = {a_i[6:3] != 4'd0, a_i[2:0]};
    b_sig = {b_i[6:3] != 4'd0, b_i[2:0]};
    a_exp = {a_i[6:4], a_i[3] | (a_i[6:3] == 4'd0)};
    b_exp = {b_i[6:4], b_i[3] | (b_i[6:3] == 4'd0)};

    // ---- exact product and normalisation (subnormal operands can leave up to 7 leading
    // zeros in the 8-bit product) --------------------------------------------------------
    sig_prod = a_sig * b_sig;
    lz       = numerics_pkg::lzc8(sig_prod);
    sig_norm = sig_prod << lz;
    // Leading one at bit (7 - lz) of a value scaled by 2^-6, exponents biased by 7 each:
    // 2^(7 - lz - 6 + a_exp + b_exp - 14) -> fp32 field 127 - 13 + a_exp + b_exp - lz.
    exp_f32  = 8'd114 + {4'd0, a_exp} + {4'd0, b_exp} - {5'd0, lz};

    prod_o = {sign, exp_f32, sig_norm[6:0], 16'd0};
    if (!sig_norm[7]) begin                                   // the product is zero
      prod_o = {sign, 31'd0};
    end
    if ((a_i[6:0] == 7'h7F) || (b_i[6:0] == 7'h7F)) begin
      prod_o = numerics_pkg::F32_QNAN;
    end
  end

endmodule
