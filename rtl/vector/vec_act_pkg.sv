/// vec_act_pkg: the built-in activation functions of ACTIVATE (docs/numerics.md section 6:
/// EXP2, EXP, RECIP, RSQRT, SQRT, LOG), bit for bit the golden model's act:: functions, written
/// as the exact bit-level steps of the algorithms (split, seed, round to an integer, scale by a
/// power of two) between rounded fp32 multiplies and adds. The lane pipeline
/// (docs/vector_engine.md section 3) will place these steps in its MA stages; until then the
/// whole functions serve as the RTL reference of each algorithm and are checked against the
/// golden model by verif/vector/test_vec_act.cpp. Combinational, not gated: only benches call
/// the whole functions.
package vec_act_pkg;

  /* verilator lint_off UNUSEDPARAM */
  localparam logic [31:0] ONE      = 32'h3F80_0000;
  localparam logic [31:0] TWO      = 32'h4000_0000;
  localparam logic [31:0] HALF     = 32'h3F00_0000;
  localparam logic [31:0] ONE_HALF = 32'h3FC0_0000;
  localparam logic [31:0] POS_INF  = 32'h7F80_0000;
  localparam logic [31:0] NEG_INF  = 32'hFF80_0000;
  localparam logic [31:0] QNAN     = 32'h7FC0_0000;
  localparam logic [31:0] LOG2E    = 32'h3FB8_AA3B;
  localparam logic [31:0] LN2_HI   = 32'h3F31_7200;
  localparam logic [31:0] LN2_LO   = 32'h35BF_BE8E;
  /* verilator lint_on UNUSEDPARAM */

  function automatic logic [31:0] add_f(logic [31:0] a, logic [31:0] b);
    add_f = numerics_pkg::fp32_add_en_f(1'b1, a, b);
  endfunction
  function automatic logic [31:0] sub_f(logic [31:0] a, logic [31:0] b);
    sub_f = numerics_pkg::fp32_add_en_f(1'b1, a, {~b[31], b[30:0]});
  endfunction
  function automatic logic [31:0] mul_f(logic [31:0] a, logic [31:0] b);
    mul_f = fp32_ops_pkg::fp32_mul_en_f(1'b1, a, b);
  endfunction

  // ---- exact steps ---------------------------------------------------------------------------
  // round_int_rne_f: a finite DAZ'd x with |x| < 2^30 rounded to the nearest integer, ties to
  // even, as a 32-bit two's complement value.
  function automatic logic [31:0] round_int_rne_f(logic [31:0] x);
    logic [7:0]  e;
    logic [4:0]  sh;
    logic [23:0] sig;
    logic [31:0] mag;
    logic        guard, sticky;
    e   = x[30:23];
    sig = {1'b1, x[22:0]};
    mag = 32'd0;
    sh  = 5'd0;
    guard = 1'b0;
    sticky = 1'b0;
    if (e >= 8'd150) begin
      mag = {8'd0, sig} << (e - 8'd150);
    end else if (e >= 8'd126) begin                  // 0.5 <= |x| < 2^23
      sh     = 5'(8'd150 - e);
      mag    = {8'd0, sig >> sh};
      guard  = sig[sh - 5'd1];
      sticky = (sig & ~({24{1'b1}} << (sh - 5'd1))) != 24'd0;
      mag    = mag + {31'd0, guard & (sticky | mag[0])};
    end
    round_int_rne_f = x[31] ? (~mag + 32'd1) : mag;
  endfunction

  // The exact steps below read some fields of their fp32 arguments only (and e/2 drops e's low
  // bit, 0 by construction); -Wall would report the rest unused.
  /* verilator lint_off UNUSEDSIGNAL */

  // scale_pow2_f: the positive normal p times 2^n (EXP2 step 4): the exponent field plus n,
  // +0 if that is 0 or less, +inf if 255 or more.
  function automatic logic [31:0] scale_pow2_f(logic [31:0] p, logic [31:0] n);
    logic signed [31:0] f;
    f = $signed({24'd0, p[30:23]}) + $signed(n);
    if (f <= 0) scale_pow2_f = 32'd0;
    else if (f >= 255) scale_pow2_f = POS_INF;
    else scale_pow2_f = {1'b0, f[7:0], p[22:0]};
  endfunction

  // RSQRT step 2: x = m * 2^e with m in [1, 4) and e even (when the exponent is odd, m = 2 m,
  // exact, and e - 1). rsqrt_m_f gives m, rsqrt_half_e_f gives e / 2 (two's complement).
  function automatic logic [31:0] rsqrt_m_f(logic [31:0] x);
    rsqrt_m_f = x[23] ? {9'h07F, x[22:0]} : ({9'h07F, x[22:0]} + 32'h0080_0000);
  endfunction
  function automatic logic [31:0] rsqrt_half_e_f(logic [31:0] x);
    logic [31:0] e;
    e = {24'd0, x[30:23]} - 32'd127 - {31'd0, ~x[23]};  // field 127 + e: e odd when bit 23 is 0
    rsqrt_half_e_f = {e[31], e[31:1]};
  endfunction

  /* verilator lint_on UNUSEDSIGNAL */

  // The polynomials' constants (numerics.md section 6 tables).
  function automatic logic [31:0] exp2_c_f(int k);  // (ln 2)^k / k!
    unique case (k)
      0:       exp2_c_f = 32'h3F80_0000;
      1:       exp2_c_f = 32'h3F31_7218;
      2:       exp2_c_f = 32'h3E75_FDF0;
      3:       exp2_c_f = 32'h3D63_5847;
      4:       exp2_c_f = 32'h3C1D_955B;
      5:       exp2_c_f = 32'h3AAE_C3FF;
      default: exp2_c_f = 32'h3921_8489;
    endcase
  endfunction
  function automatic logic [31:0] exp_c_f(int k);   // 1 / k!
    unique case (k)
      0, 1:    exp_c_f = 32'h3F80_0000;
      2:       exp_c_f = 32'h3F00_0000;
      3:       exp_c_f = 32'h3E2A_AAAB;
      4:       exp_c_f = 32'h3D2A_AAAB;
      5:       exp_c_f = 32'h3C08_8889;
      6:       exp_c_f = 32'h3AB6_0B61;
      default: exp_c_f = 32'h3950_0D01;
    endcase
  endfunction
  function automatic logic [31:0] log_g_f(int k);   // ln(1 + f) / f, least squares
    unique case (k)
      0:       log_g_f = 32'h3F80_0000;
      1:       log_g_f = 32'hBEFF_FFFC;
      2:       log_g_f = 32'h3EAA_AAA8;
      3:       log_g_f = 32'hBE80_0214;
      4:       log_g_f = 32'h3E4C_D23B;
      5:       log_g_f = 32'hBE2A_13D4;
      6:       log_g_f = 32'h3E11_3438;
      7:       log_g_f = 32'hBE07_9616;
      8:       log_g_f = 32'h3E04_3DC6;
      default: log_g_f = 32'hBD9C_7049;
    endcase
  endfunction

  // exp2_poly_f: EXP2 step 3, 2^r for r in [-0.5, 0.5] by Horner from c6.
  function automatic logic [31:0] exp2_poly_f(logic [31:0] r);
    logic [31:0] p;
    p = exp2_c_f(6);
    for (int k = 5; k >= 0; k--) p = add_f(mul_f(p, r), exp2_c_f(k));
    exp2_poly_f = p;
  endfunction

  // ---- the functions ---------------------------------------------------------------------------
  function automatic logic [31:0] exp2_f(logic [31:0] x_i);
    logic [31:0] x, n, r;
    x = fp32_ops_pkg::daz_f(x_i);
    n = round_int_rne_f(x);
    r = sub_f(x, fp32_ops_pkg::int32_to_fp32_en_f(1'b1, n));
    if (fp32_ops_pkg::is_nan_f(x)) exp2_f = QNAN;
    else if (fp32_ops_pkg::fp32_le_f(32'h4300_0000, x)) exp2_f = POS_INF;   // x >= 128
    else if (fp32_ops_pkg::fp32_lt_f(x, 32'hC2FC_0000)) exp2_f = 32'd0;     // x < -126
    else exp2_f = scale_pow2_f(exp2_poly_f(r), n);
  endfunction

  function automatic logic [31:0] exp_f(logic [31:0] x_i);
    logic [31:0] x, n, nf, r, p;
    x  = fp32_ops_pkg::daz_f(x_i);
    n  = round_int_rne_f(mul_f(x, LOG2E));
    nf = fp32_ops_pkg::int32_to_fp32_en_f(1'b1, n);
    r  = sub_f(sub_f(x, mul_f(nf, LN2_HI)), mul_f(nf, LN2_LO));
    p  = exp_c_f(7);
    for (int k = 6; k >= 0; k--) p = add_f(mul_f(p, r), exp_c_f(k));
    if (fp32_ops_pkg::is_nan_f(x)) exp_f = QNAN;
    else if (fp32_ops_pkg::fp32_le_f(32'h42B2_0000, x)) exp_f = POS_INF;    // x >= 89
    else if (fp32_ops_pkg::fp32_lt_f(x, 32'hC2B0_0000)) exp_f = 32'd0;      // x < -88
    else exp_f = scale_pow2_f(p, n);
  endfunction

  function automatic logic [31:0] recip_f(logic [31:0] x_i);
    logic [31:0] x, m, y;
    logic signed [31:0] f;
    x = fp32_ops_pkg::daz_f(x_i);
    m = {9'h07F, x[22:0]};                              // |x| = m * 2^e, m in [1, 2)
    y = ONE;
    if (m != ONE) begin
      y = 32'h7EF3_11C7 - m;
      for (int it = 0; it < 3; it++) y = mul_f(y, sub_f(TWO, mul_f(m, y)));
    end
    f = $signed({24'd0, y[30:23]}) - ($signed({24'd0, x[30:23]}) - 32'sd127);
    if (fp32_ops_pkg::is_nan_f(x)) recip_f = QNAN;
    else if (x[30:23] == 8'd0) recip_f = {x[31], 8'hFF, 23'd0};             // +-0 -> +-inf
    else if (fp32_ops_pkg::is_inf_f(x)) recip_f = {x[31], 31'd0};
    else if (f <= 0) recip_f = {x[31], 31'd0};                              // FTZ
    else recip_f = {x[31], f[7:0], y[22:0]};
  endfunction

  // rsqrt_sig_f: RSQRT step 3, 1/sqrt(m) for m in [1, 4).
  function automatic logic [31:0] rsqrt_sig_f(logic [31:0] m);
    logic [31:0] h, y;
    h = mul_f(HALF, m);
    y = ONE;
    if (m != ONE) begin
      y = 32'h5F37_59DF - {1'b0, m[31:1]};
      for (int it = 0; it < 3; it++) y = mul_f(y, sub_f(ONE_HALF, mul_f(h, mul_f(y, y))));
    end
    rsqrt_sig_f = y;
  endfunction

  function automatic logic [31:0] rsqrt_f(logic [31:0] x_i);
    logic [31:0] x, m, h, y;
    x = fp32_ops_pkg::daz_f(x_i);
    m = rsqrt_m_f(x);
    h = rsqrt_half_e_f(x);
    y = rsqrt_sig_f(m);
    if (fp32_ops_pkg::is_nan_f(x)) rsqrt_f = QNAN;
    else if (x == 32'h8000_0000) rsqrt_f = NEG_INF;
    else if (x == 32'd0) rsqrt_f = POS_INF;
    else if (x == POS_INF) rsqrt_f = 32'd0;
    else if (x[31]) rsqrt_f = QNAN;
    else rsqrt_f = y - (h << 23);                                         // y * 2^(-e/2)
  endfunction

  function automatic logic [31:0] sqrt_f(logic [31:0] x_i);
    logic [31:0] x, m, h, y, s, d, s2;
    x  = fp32_ops_pkg::daz_f(x_i);
    m  = rsqrt_m_f(x);
    h  = rsqrt_half_e_f(x);
    y  = rsqrt_sig_f(m);
    s  = mul_f(m, y);
    d  = sub_f(m, mul_f(s, s));
    s2 = add_f(s, mul_f(mul_f(HALF, y), d));
    if (fp32_ops_pkg::is_nan_f(x)) sqrt_f = QNAN;
    else if (x[30:23] == 8'd0) sqrt_f = x;                                  // +-0
    else if (x == POS_INF) sqrt_f = POS_INF;
    else if (x[31]) sqrt_f = QNAN;
    else sqrt_f = s2 + (h << 23);                                          // s2 * 2^(e/2)
  endfunction

  function automatic logic [31:0] log_f(logic [31:0] x_i);
    logic [31:0] x, m, e, f, p, ym, ef;
    x = fp32_ops_pkg::daz_f(x_i);
    m = {9'h07F, x[22:0]};
    e = {24'd0, x[30:23]} - 32'd127;
    if (m >= 32'h3FB5_04F4) begin                      // m > sqrt 2: m / 2, exact
      m = m - 32'h0080_0000;
      e = e + 32'd1;
    end
    f  = sub_f(m, ONE);
    p  = log_g_f(9);
    for (int k = 8; k >= 0; k--) p = add_f(mul_f(p, f), log_g_f(k));
    ym = mul_f(f, p);
    ef = fp32_ops_pkg::int32_to_fp32_en_f(1'b1, e);
    if (fp32_ops_pkg::is_nan_f(x)) log_f = QNAN;
    else if (x[30:23] == 8'd0) log_f = NEG_INF;
    else if (x == POS_INF) log_f = POS_INF;
    else if (x[31]) log_f = QNAN;
    else log_f = add_f(mul_f(ef, LN2_HI), add_f(ym, mul_f(ef, LN2_LO)));
  endfunction

endpackage
