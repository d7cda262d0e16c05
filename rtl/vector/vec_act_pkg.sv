/// vec_act_pkg: the built-in activation functions of ACTIVATE (docs/numerics.md section 6:
/// EXP2, EXP, RECIP, RSQRT, SQRT, LOG), bit for bit the golden model's act:: functions, as the
/// stages of the lane's function chain (vec_act_chain, docs/vector_engine.md section 3): each
/// stage the algorithm's exact bit-level steps (split, seed, round to an integer) and one MA
/// operation (vec_pkg::ma_f), the last stage the final exact step (scale by a power of two, the
/// exponent, the special results). verif/vector/test_vec_act.cpp streams inputs through the
/// chain against the golden model. The MA operation is gated (en_i), so a stage without an
/// element computes nothing in the Verilated model.
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

  // ---- exact steps ---------------------------------------------------------------------------
  // round_int_rne_f: a finite DAZ'd x with |x| < 2^30 rounded to the nearest integer, ties to
  // even, as a 32-bit two's complement value.
  // (no_inline_task here, in small_to_fp32_f and special_f: one C++ function each in the
  // Verilated model instead of a copy in every stage of every lane; synthesis is unaffected.)
  function automatic logic [31:0] round_int_rne_f(logic [31:0] x);
    /* verilator no_inline_task */
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

  // ---- the staged functions ---------------------------------------------------------------
  // The lane pipeline's function chain (docs/vector_engine.md section 3) is STAGES MA stages.
  // An element carries a state through them: x (the function's input, DAZ'd by stage 0), four
  // working values a..d, an integer n (a power of two, an exponent) and a special result
  // (sf: decided by stage 0 for NaN, infinities, zeros and out-of-range inputs; sv its value).
  // Stage k of function f first does f's exact steps for k (split, seed, round to an integer),
  // then one MA operation b = add(mul(p, q), r) (either part bypassed, each rounded) on operands
  // picked from the state or one constant, and writes b into one state value (act_step_f). The
  // last stage also applies the function's final exact step (act_post_f: scale by 2^n, the
  // exponent of RECIP / RSQRT / SQRT, the special result). A function shorter than STAGES passes
  // through the rest unchanged, so every function has the same latency.
  /* verilator lint_off UNUSEDPARAM */  // (STAGES: read by vec_act_chain only)
  localparam int STAGES = 14;
  /* verilator lint_on UNUSEDPARAM */
  localparam int ST_W   = 7 * 32 + 1;
  // An activation table slot's header as the stages read it (TABLE_LOAD words 0..6):
  // {b_R, a_R, b_L, a_L, inv_w, lo, header word [15:0]}.
  localparam int TH_W   = 16 + 6 * 32;

  // Operand selects and destinations of a stage.
  localparam logic [2:0] S_X = 3'd0;
  localparam logic [2:0] S_A = 3'd1;
  localparam logic [2:0] S_B = 3'd2;
  localparam logic [2:0] S_C = 3'd3;
  localparam logic [2:0] S_D = 3'd4;
  localparam logic [2:0] S_K = 3'd5;  // the stage's constant
  localparam logic [2:0] S_K2 = 3'd6;  // its second constant (TABLE: two coefficients)
  localparam logic [2:0] S_NONE = 3'd7;  // no destination (a passing stage)

  function automatic logic [31:0] pick_f(logic [2:0] sel, logic [31:0] x, logic [31:0] a, logic [31:0] b,
                                         logic [31:0] c, logic [31:0] d, logic [31:0] k, logic [31:0] k2);
    unique case (sel)
      S_X:     pick_f = x;
      S_A:     pick_f = a;
      S_B:     pick_f = b;
      S_C:     pick_f = c;
      S_D:     pick_f = d;
      S_K:     pick_f = k;
      default: pick_f = k2;
    endcase
  endfunction

  // small_to_fp32_f: the fp32 value of a two's complement n with |n| < 2^10, exactly (any value
  // otherwise). Every integer the stages convert is that small for an input whose result is
  // not a special value: EXP2's and EXP's n (|n| <= 129), LOG's exponent, TABLE's segment and
  // the n of its M * 2^q (|n| <= 277). Much smaller than the general int32 conversion (no
  // rounding, a 10-bit leading-one search).
  /* verilator lint_off UNUSEDSIGNAL */  // (bits 30:10 of n and of -n)
  function automatic logic [31:0] small_to_fp32_f(logic [31:0] n);
    /* verilator no_inline_task */
    logic [31:0] neg;
    logic [9:0]  mag;
    logic [3:0]  msb;
    neg = ~n + 32'd1;
    mag = n[31] ? neg[9:0] : n[9:0];
    msb = 4'd0;
    for (int i = 1; i < 10; i++) begin
      if (mag[i]) msb = 4'(i);
    end
    if (mag == 10'd0) small_to_fp32_f = 32'd0;
    else small_to_fp32_f = {n[31], 8'd127 + {4'd0, msb}, 23'({mag, 13'd0} << (5'd10 - {1'b0, msb}))};
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // TABLE's regions (kept in n[31:30] from stage 2 to stage 6).
  localparam logic [1:0] R_IN    = 2'd0;
  localparam logic [1:0] R_LEFT  = 2'd1;
  localparam logic [1:0] R_RIGHT = 2'd2;

  // The canonical value of a stored word: the canonical NaN, or the word after DAZ.
  function automatic logic [31:0] canonical_f(logic [31:0] v);
    canonical_f = fp32_ops_pkg::is_nan_f(v) ? QNAN : fp32_ops_pkg::daz_f(v);
  endfunction

  // floor_f: the integer part of tt in [0, 128) (TABLE's segment index); 0 below 1. (The sign
  // is the caller's business.)
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [6:0] floor_f(logic [31:0] tt);
    logic [23:0] sig;
    sig = {1'b1, tt[22:0]};
    if (tt[30:23] < 8'd127 || tt[30:23] > 8'd133) floor_f = 7'd0;
    else floor_f = 7'(sig >> (5'd23 - 5'(tt[30:23] - 8'd127)));
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // The special results, decided on the DAZ'd input before any arithmetic: {sf, sv}.
  function automatic logic [32:0] special_f(logic [3:0] func, logic [31:0] x);
    /* verilator no_inline_task */
    logic        nan, zero, neg;
    logic [32:0] s;
    nan  = fp32_ops_pkg::is_nan_f(x);
    zero = x[30:23] == 8'd0;
    neg  = x[31];
    s    = {1'b0, 32'd0};
    if (nan && func != isa_pkg::ACT_IDENTITY) s = {1'b1, QNAN};
    else begin
      unique case (func)
        isa_pkg::ACT_EXP2:
          if (fp32_ops_pkg::fp32_le_f(32'h4300_0000, x)) s = {1'b1, POS_INF};      // x >= 128
          else if (fp32_ops_pkg::fp32_lt_f(x, 32'hC2FC_0000)) s = {1'b1, 32'd0};   // x < -126
        isa_pkg::ACT_EXP:
          if (fp32_ops_pkg::fp32_le_f(32'h42B2_0000, x)) s = {1'b1, POS_INF};      // x >= 89
          else if (fp32_ops_pkg::fp32_lt_f(x, 32'hC2B0_0000)) s = {1'b1, 32'd0};   // x < -88
        isa_pkg::ACT_RECIP:
          if (zero) s = {1'b1, neg, 8'hFF, 23'd0};                                // +-0 -> +-inf
          else if (fp32_ops_pkg::is_inf_f(x)) s = {1'b1, neg, 31'd0};
        isa_pkg::ACT_RSQRT:
          if (zero) s = {1'b1, neg ? NEG_INF : POS_INF};
          else if (x == POS_INF) s = {1'b1, 32'd0};
          else if (neg) s = {1'b1, QNAN};
        isa_pkg::ACT_SQRT:
          if (zero) s = {1'b1, x};
          else if (x == POS_INF) s = {1'b1, POS_INF};
          else if (neg) s = {1'b1, QNAN};
        isa_pkg::ACT_LOG:
          if (zero) s = {1'b1, NEG_INF};
          else if (x == POS_INF) s = {1'b1, POS_INF};
          else if (neg) s = {1'b1, QNAN};
        default: s = {1'b0, 32'd0};
      endcase
    end
    special_f = s;
  endfunction

  // act_step_f: stage k of function func on the state st_i (en_i: an element is in the stage).
  // TABLE reads its slot's header th and, in stage 3, the coefficient row coef {c3, c2, c1, c0}
  // of its segment (read by the chain in stage 2).
  function automatic logic [ST_W-1:0] act_step_f(logic en_i, logic [3:0] func, int k,
                                                 logic [ST_W-1:0] st_i, logic [TH_W-1:0] th,
                                                 logic [127:0] coef);
    logic        sf, pn, fin;
    logic [31:0] x, a, b, c, d, n, sv, kc, kc2, m, e, p, q, r, res;
    logic [1:0]  mode, reg_;
    logic [2:0]  ps, qs, rs, dst;
    logic [6:0]  seg;
    logic [15:0] hdr;
    logic [31:0] lo, inv_w, a_l, b_l, a_r, b_r;
    {sf, sv, n, d, c, b, a, x} = st_i;
    {b_r, a_r, b_l, a_l, inv_w, lo, hdr} = th;
    mode = vec_pkg::MA_PASS;
    ps = S_X; qs = S_X; rs = S_X; dst = S_NONE; pn = 1'b0; kc = 32'd0; kc2 = 32'd0;
    m = 32'd0; e = 32'd0; fin = 1'b0; reg_ = R_IN; seg = 7'd0;
    if (k == 0 && func != isa_pkg::ACT_IDENTITY) begin
      x = fp32_ops_pkg::daz_f(x);
      {sf, sv} = special_f(func, x);
    end
    unique case (func)
      // EXP2: n = round(x), r = x - n, 2^r by Horner from c6 (six steps), then scaled by 2^n.
      isa_pkg::ACT_EXP2: begin
        if (k == 0) begin
          n = round_int_rne_f(x);
          c = small_to_fp32_f(n) ^ 32'h8000_0000;  // -n, exact
          b = exp2_c_f(6);
          mode = vec_pkg::MA_ADD; ps = S_X; rs = S_C; dst = S_A;
        end else if (k <= 6) begin
          mode = vec_pkg::MA_FMA; ps = S_B; qs = S_A; rs = S_K; kc = exp2_c_f(6 - k); dst = S_B;
        end
      end
      // EXP: n = round(x log2 e), r = (x - n ln2_hi) - n ln2_lo, e^r by Horner from 1/7!
      // (seven steps), then scaled by 2^n.
      isa_pkg::ACT_EXP: begin
        if (k == 0) begin
          mode = vec_pkg::MA_MUL; ps = S_X; qs = S_K; kc = LOG2E; dst = S_A;
        end else if (k == 1) begin
          n = round_int_rne_f(a);
          c = small_to_fp32_f(n);
          mode = vec_pkg::MA_FMA; ps = S_C; pn = 1'b1; qs = S_K; kc = LN2_HI; rs = S_X; dst = S_A;
        end else if (k == 2) begin
          b = exp_c_f(7);
          mode = vec_pkg::MA_FMA; ps = S_C; pn = 1'b1; qs = S_K; kc = LN2_LO; rs = S_A; dst = S_A;
        end else if (k <= 9) begin
          mode = vec_pkg::MA_FMA; ps = S_B; qs = S_A; rs = S_K; kc = exp_c_f(9 - k); dst = S_B;
        end
      end
      // RECIP: |x| = m 2^e with m in [1, 2); y0 = magic - m; three Newton steps
      // y = y (2 - m y); the exponent and sign at the end.
      isa_pkg::ACT_RECIP: begin
        if (k == 0) begin
          b = {9'h07F, x[22:0]};
          a = 32'h7EF3_11C7 - b;
        end
        if (k <= 5 && k % 2 == 0) begin
          mode = vec_pkg::MA_FMA; ps = S_B; pn = 1'b1; qs = S_A; rs = S_K; kc = TWO; dst = S_C;
        end else if (k <= 5) begin
          mode = vec_pkg::MA_MUL; ps = S_A; qs = S_C; dst = S_A;
        end
      end
      // RSQRT and SQRT: x = m 2^e with m in [1, 4) and e even, h = m / 2 (exact), y0 = magic -
      // m / 2 (integer); three Newton steps y = y (1.5 - h y^2), three stages each. SQRT then
      // s = m y, d = m - s^2, s + (y / 2) d (y / 2 exact).
      isa_pkg::ACT_RSQRT, isa_pkg::ACT_SQRT: begin
        if (k == 0) begin
          b = rsqrt_m_f(x);
          n = rsqrt_half_e_f(x);
          c = b - 32'h0080_0000;
          a = 32'h5F37_59DF - {1'b0, b[31:1]};
        end
        if (k <= 8 && k % 3 == 0) begin
          mode = vec_pkg::MA_MUL; ps = S_A; qs = S_A; dst = S_D;
        end else if (k <= 8 && k % 3 == 1) begin
          mode = vec_pkg::MA_FMA; ps = S_C; pn = 1'b1; qs = S_D; rs = S_K; kc = ONE_HALF; dst = S_D;
        end else if (k <= 8) begin
          mode = vec_pkg::MA_MUL; ps = S_A; qs = S_D; dst = S_A;
        end else if (func == isa_pkg::ACT_SQRT && k == 9) begin
          if (b == ONE) a = ONE;
          mode = vec_pkg::MA_MUL; ps = S_B; qs = S_A; dst = S_D;
        end else if (func == isa_pkg::ACT_SQRT && k == 10) begin
          c = a - 32'h0080_0000;
          mode = vec_pkg::MA_FMA; ps = S_D; pn = 1'b1; qs = S_D; rs = S_B; dst = S_A;
        end else if (func == isa_pkg::ACT_SQRT && k == 11) begin
          mode = vec_pkg::MA_FMA; ps = S_C; qs = S_A; rs = S_D; dst = S_A;
        end
      end
      // LOG: x = m 2^e with m in [sqrt(2)/2, sqrt(2)), f = m - 1, ln(1 + f) = f g(f) with g
      // of degree 9 by Horner, then e ln2_hi + (f g + e ln2_lo).
      isa_pkg::ACT_LOG: begin
        if (k == 0) begin
          m = {9'h07F, x[22:0]};
          e = {24'd0, x[30:23]} - 32'd127;
          if (m >= 32'h3FB5_04F4) begin                      // m > sqrt 2: m / 2, exact
            m = m - 32'h0080_0000;
            e = e + 32'd1;
          end
          b = m;
          c = small_to_fp32_f(e);
          d = log_g_f(9);
          mode = vec_pkg::MA_ADD; ps = S_B; rs = S_K; kc = {~ONE[31], ONE[30:0]}; dst = S_A;
        end else if (k <= 9) begin
          mode = vec_pkg::MA_FMA; ps = S_D; qs = S_A; rs = S_K; kc = log_g_f(9 - k); dst = S_D;
        end else if (k == 10) begin
          mode = vec_pkg::MA_MUL; ps = S_A; qs = S_D; dst = S_D;
        end else if (k == 11) begin
          mode = vec_pkg::MA_FMA; ps = S_C; qs = S_K; kc = LN2_LO; rs = S_D; dst = S_D;
        end else if (k == 12) begin
          mode = vec_pkg::MA_FMA; ps = S_C; qs = S_K; kc = LN2_HI; rs = S_D; dst = S_A;
        end
      end
      // TABLE (numerics.md section 6, header bits: [7:0] nseg, [9:8] degree, 10 LEFT_LINEAR,
      // 11 RIGHT_LINEAR, 12 EXP2, 13 MUL_X, 14 LEFT_FINAL, 15 RIGHT_FINAL): tt = (x - lo) inv_w;
      // its region and segment i = floor(tt), u = tt - i (exact); the segment's cubic by Horner
      // in u (or a boundary rule); then the post-operation: q, x q, or M 2^q (M = x or 1) as
      // EXP2's algorithm with one rounding of M p 2^n at the end.
      isa_pkg::ACT_TABLE: begin
        if (k == 0) begin
          mode = vec_pkg::MA_ADD; ps = S_X; rs = S_K; kc = lo ^ 32'h8000_0000; dst = S_A;
        end else if (k == 1) begin
          mode = vec_pkg::MA_MUL; ps = S_A; qs = S_K; kc = inv_w; dst = S_A;
        end else if (k == 2) begin
          if (!sf && fp32_ops_pkg::is_nan_f(a)) {sf, sv} = {1'b1, QNAN};
          seg  = floor_f(a);
          reg_ = fp32_ops_pkg::fp32_lt_f(a, 32'd0) ? R_LEFT :
                 (a[30:23] > 8'd133 || {1'b0, seg} >= hdr[7:0]) ? R_RIGHT : R_IN;
          n = {reg_, 23'd0, seg};
          c = small_to_fp32_f({25'd0, seg}) ^ 32'h8000_0000;  // -i, exact
          mode = vec_pkg::MA_ADD; ps = S_A; rs = S_C; dst = S_B;
        end else if (k == 3) begin
          a = coef[63:32];
          c = coef[31:0];
          if (n[31:30] == R_LEFT || n[31:30] == R_RIGHT) begin
            if (n[31:30] == R_LEFT ? hdr[10] : hdr[11]) begin
              mode = vec_pkg::MA_FMA; ps = S_K; qs = S_X; rs = S_K2; dst = S_D;
              kc  = n[31:30] == R_LEFT ? b_l : b_r;
              kc2 = n[31:30] == R_LEFT ? a_l : a_r;
            end else begin
              d = canonical_f(n[31:30] == R_LEFT ? a_l : a_r);
            end
          end else if (hdr[9:8] == 2'd0) begin
            d = canonical_f(coef[31:0]);
          end else begin
            mode = vec_pkg::MA_FMA; ps = S_K; qs = S_B; rs = S_K2; dst = S_D;
            kc  = coef[32*hdr[9:8] +: 32];
            kc2 = coef[32*({30'd0, hdr[9:8]} - 32'd1) +: 32];
          end
        end else if (k == 4 || k == 5) begin  // Horner steps 2 and 3 (degree 2 and 3)
          if (n[31:30] == R_IN && {1'b0, hdr[9:8]} >= 3'(k - 2)) begin
            mode = vec_pkg::MA_FMA; ps = S_D; qs = S_B; dst = S_D;
            rs = ({1'b0, hdr[9:8]} == 3'(k - 2)) ? S_C : S_A;  // c0 last, c1 before it
          end
        end else if (k == 6) begin
          fin = (n[31:30] == R_LEFT && hdr[14]) || (n[31:30] == R_RIGHT && hdr[15]) || (!hdr[12] && !hdr[13]);
          if (!sf) begin
            if (fp32_ops_pkg::is_nan_f(d)) {sf, sv} = {1'b1, QNAN};
            else if (fin) {sf, sv} = {1'b1, d};
          end
          if (!hdr[12]) begin  // MUL_X: x q
            mode = vec_pkg::MA_MUL; ps = S_X; qs = S_D; dst = S_D;
          end else begin       // EXP2: M 2^q
            m = fp32_ops_pkg::daz_f(hdr[13] ? x : ONE);
            q = fp32_ops_pkg::daz_f(d);
            if (!sf) begin
              if (fp32_ops_pkg::fp32_lt_f(q, 32'hC38A_8000)) {sf, sv} = {1'b1, m[31], 31'd0};  // q < -277
              else if (m[30:23] == 8'd0) {sf, sv} = {1'b1, m};
              else if (fp32_ops_pkg::fp32_le_f(32'h438A_8000, q) || fp32_ops_pkg::is_inf_f(m))
                {sf, sv} = {1'b1, m[31], 8'hFF, 23'd0};                                 // q >= 277
            end
            n = round_int_rne_f(q);
            c = small_to_fp32_f(n) ^ 32'h8000_0000;  // -n, exact
            b = m;
            mode = vec_pkg::MA_ADD; ps = S_D; rs = S_C; dst = S_A;
          end
        end else if (hdr[12] && k <= 12) begin  // 2^r by Horner from c6
          mode = vec_pkg::MA_FMA; ps = (k == 7) ? S_K2 : S_D; kc2 = exp2_c_f(6); qs = S_A; rs = S_K;
          kc = exp2_c_f(12 - k); dst = S_D;
        end else if (hdr[12] && k == 13) begin  // M p 2^n, one rounding
          mode = vec_pkg::MA_MUL; ps = S_B; qs = S_D; dst = S_A;
        end
      end
      default: begin  // IDENTITY: x passes unchanged
      end
    endcase
    p = pick_f(ps, x, a, b, c, d, kc, kc2) ^ {pn, 31'd0};
    q = pick_f(qs, x, a, b, c, d, kc, kc2);
    r = pick_f(rs, x, a, b, c, d, kc, kc2);
    res = vec_pkg::ma_f(en_i && dst != S_NONE, mode, p, q, r,
                        (func == isa_pkg::ACT_TABLE && k == 13) ? n[11:0] : 12'd0);
    unique case (dst)
      S_A:     a = res;
      S_B:     b = res;
      S_C:     c = res;
      S_D:     d = res;
      default: ;
    endcase
    act_step_f = {sf, sv, n, d, c, b, a, x};
  endfunction

  // act_step_t: act_step_f as a task, for the chain's stages. The Verilated model makes it one
  // C++ function (no_inline_task) that every stage and lane calls, instead of a copy per stage
  // and lane (a 16-lane engine was 54 MB of C++ and built for minutes); synthesis inlines it as
  // it does the function.
  task automatic act_step_t(input logic en_i, input logic [3:0] func, input int k,
                            input logic [ST_W-1:0] st_i, input logic [TH_W-1:0] th,
                            input logic [127:0] coef, output logic [ST_W-1:0] st_o);
    /* verilator no_inline_task */
    st_o = act_step_f(en_i, func, k, st_i, th, coef);
  endtask

  // act_post_f: the function's result (c and d are working values only: -Wall would report them).
  /* verilator lint_off UNUSEDSIGNAL */
  // act_post_f: the function's result from the state after the last stage.
  function automatic logic [31:0] act_post_f(logic [3:0] func, logic [ST_W-1:0] st, logic exp2);
    /* verilator no_inline_task */
    logic        sf;
    logic [31:0] x, a, b, c, d, n, sv, y;
    logic signed [31:0] f;
    {sf, sv, n, d, c, b, a, x} = st;
    y = (b == ONE) ? ONE : a;  // RECIP, RSQRT: a significand of 1 skips the Newton steps
    f = $signed({24'd0, y[30:23]}) - ($signed({24'd0, x[30:23]}) - 32'sd127);
    unique case (func)
      isa_pkg::ACT_EXP2, isa_pkg::ACT_EXP: act_post_f = scale_pow2_f(b, n);
      isa_pkg::ACT_RECIP: act_post_f = (f <= 0) ? {x[31], 31'd0} : {x[31], f[7:0], y[22:0]};  // FTZ
      isa_pkg::ACT_RSQRT: act_post_f = y - (n << 23);   // y 2^(-e/2)
      isa_pkg::ACT_SQRT:  act_post_f = a + (n << 23);   // s2 2^(e/2)
      isa_pkg::ACT_LOG:   act_post_f = a;
      isa_pkg::ACT_TABLE: act_post_f = exp2 ? a : d;   // M 2^q, or x q
      default:            act_post_f = x;
    endcase
    if (sf) act_post_f = sv;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

endpackage
