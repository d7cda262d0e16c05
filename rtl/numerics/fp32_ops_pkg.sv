/// fp32_ops_pkg: the fp32 operations of the vector engine beyond the adder (docs/numerics.md
/// sections 2, 4 and 5): multiply, compare, max/min, and the conversions between fp32, int32
/// and the stored dtypes on a read. Referenced as `fp32_ops_pkg::name`. Bit for bit the golden
/// model's systole::golden::num functions; verif/numerics/test_vec_numerics_rtl.cpp checks them.
///
/// The wide ones come in the gated form of numerics_pkg (`_en_f`: the body under `if (en_i)`,
/// every local assigned a constant before it, 0 returned when disabled), so a Verilated lane
/// evaluates them only when it has an element; callers call them at the top level of an
/// always_comb or assign.
package fp32_ops_pkg;

  /* verilator lint_off UNUSEDPARAM */
  localparam logic [31:0] F32_QNAN = 32'h7FC0_0000;
  localparam logic [31:0] I32_MAX  = 32'h7FFF_FFFF;
  localparam logic [31:0] I32_MIN  = 32'h8000_0000;
  /* verilator lint_on UNUSEDPARAM */

  // ---- classification (after DAZ: exponent field 0 is a zero) ------------------------------
  // Each looks at some fields of an fp32 pattern only; -Wall would report the others unused.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic is_nan_f(logic [31:0] a);
    is_nan_f = (a[30:23] == 8'hFF) && (a[22:0] != 23'd0);
  endfunction
  function automatic logic is_inf_f(logic [31:0] a);
    is_inf_f = (a[30:23] == 8'hFF) && (a[22:0] == 23'd0);
  endfunction
  function automatic logic is_zero_f(logic [31:0] a);
    is_zero_f = a[30:23] == 8'd0;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */
  function automatic logic [31:0] daz_f(logic [31:0] a);
    daz_f = (a[30:23] == 8'd0) ? {a[31], 31'd0} : a;
  endfunction

  // ---- multiply -----------------------------------------------------------------------------
  // fp32_mul_pow2_en_f: a * b * 2^sh rounded once, under section 2 (DAZ, RNE once, FTZ after
  // rounding with an unbounded exponent, overflow to inf, canonical NaN for NaN and 0 * inf)
  // when en_i, else 0: the golden model's f32_mul_pow2 for |sh| < 1024 (ACTIVATE's M * 2^q
  // uses |sh| <= 277; fp32_mul_en_f is sh = 0).
  function automatic logic [31:0] fp32_mul_pow2_en_f(logic en_i, logic [31:0] a_i, logic [31:0] b_i,
                                                     logic [11:0] sh);
    logic        s, a_z, b_z, a_inf, b_inf, nan, top, guard, sticky, round_up;
    logic [47:0] prod;       // 1.fa * 1.fb, in [2^46, 2^48)
    logic [11:0] e;          // biased exponent of the result, two's complement
    logic [24:0] mant;       // 24 kept bits plus a carry
    logic [31:0] res;
    s = 1'b0; a_z = 1'b0; b_z = 1'b0; a_inf = 1'b0; b_inf = 1'b0; nan = 1'b0; top = 1'b0;
    guard = 1'b0; sticky = 1'b0; round_up = 1'b0; prod = 48'd0; e = 12'd0; mant = 25'd0;
    res = 32'd0;
    if (en_i) begin
      s     = a_i[31] ^ b_i[31];
      a_z   = a_i[30:23] == 8'd0;
      b_z   = b_i[30:23] == 8'd0;
      a_inf = is_inf_f(a_i);
      b_inf = is_inf_f(b_i);
      nan   = is_nan_f(a_i) || is_nan_f(b_i) || (a_inf && b_z) || (b_inf && a_z);
      prod  = {24'd1, a_i[22:0]} * {24'd1, b_i[22:0]};
      top   = prod[47];
      // value = prod * 2^(ea + eb - 254 - 46); with the hidden bit at 46 (or 47) the biased
      // exponent of 1.m is ea + eb - 127 (+ 1).
      e     = {4'd0, a_i[30:23]} + {4'd0, b_i[30:23]} - 12'd127 + {11'd0, top} + sh;
      mant  = top ? {1'b0, prod[47:24]} : {1'b0, prod[46:23]};
      guard = top ? prod[23] : prod[22];
      sticky = top ? (prod[22:0] != 23'd0) : (prod[21:0] != 22'd0);
      round_up = guard & (sticky | mant[0]);
      mant  = mant + {24'd0, round_up};
      if (mant[24]) begin  // rounded up to 2.0: 1.0 one binade higher
        mant = {1'b0, mant[24:1]};
        e    = e + 12'd1;
      end
      if (nan) begin
        res = F32_QNAN;
      end else if (a_inf || b_inf) begin
        res = {s, 8'hFF, 23'd0};
      end else if (a_z || b_z || e[11] || (e == 12'd0)) begin
        res = {s, 31'd0};  // a zero operand, or FTZ: the rounded value is below 2^-126
      end else if (e >= 12'd255) begin
        res = {s, 8'hFF, 23'd0};
      end else begin
        res = {s, e[7:0], mant[22:0]};
      end
    end
    fp32_mul_pow2_en_f = res;
  endfunction
  function automatic logic [31:0] fp32_mul_en_f(logic en_i, logic [31:0] a_i, logic [31:0] b_i);
    fp32_mul_en_f = fp32_mul_pow2_en_f(en_i, a_i, b_i, 12'd0);
  endfunction

  // ---- compare, max, min (section 5) ------------------------------------------------------
  // order_key_f: an unsigned key ordered like the values after DAZ, -0 below +0.
  function automatic logic [31:0] order_key_f(logic [31:0] a);
    logic [31:0] d;
    d = daz_f(a);
    order_key_f = d[31] ? ~d : {1'b1, d[30:0]};
  endfunction
  // ieee_key_f: as order_key_f, but -0 and +0 share +0's key (IEEE comparisons).
  function automatic logic [31:0] ieee_key_f(logic [31:0] a);
    ieee_key_f = is_zero_f(a) ? 32'h8000_0000 : order_key_f(a);
  endfunction
  function automatic logic fp32_lt_f(logic [31:0] a, logic [31:0] b);
    fp32_lt_f = !is_nan_f(a) && !is_nan_f(b) && (ieee_key_f(a) < ieee_key_f(b));
  endfunction
  function automatic logic fp32_le_f(logic [31:0] a, logic [31:0] b);
    fp32_le_f = !is_nan_f(a) && !is_nan_f(b) && (ieee_key_f(a) <= ieee_key_f(b));
  endfunction
  function automatic logic fp32_eq_f(logic [31:0] a, logic [31:0] b);
    fp32_eq_f = !is_nan_f(a) && !is_nan_f(b) && (ieee_key_f(a) == ieee_key_f(b));
  endfunction
  // max / min: any NaN gives the canonical NaN; otherwise the larger (smaller) after DAZ.
  function automatic logic [31:0] fp32_max_f(logic [31:0] a, logic [31:0] b);
    if (is_nan_f(a) || is_nan_f(b)) fp32_max_f = F32_QNAN;
    else fp32_max_f = (order_key_f(a) >= order_key_f(b)) ? daz_f(a) : daz_f(b);
  endfunction
  function automatic logic [31:0] fp32_min_f(logic [31:0] a, logic [31:0] b);
    if (is_nan_f(a) || is_nan_f(b)) fp32_min_f = F32_QNAN;
    else fp32_min_f = (order_key_f(a) <= order_key_f(b)) ? daz_f(a) : daz_f(b);
  endfunction

  // ---- int32 -> fp32 (RNE) ------------------------------------------------------------------
  function automatic logic [31:0] int32_to_fp32_en_f(logic en_i, logic [31:0] x_i);
    logic        s, guard, sticky, round_up;
    logic [31:0] mag, norm;
    logic [4:0]  lz;
    logic [24:0] mant;
    logic [7:0]  e;
    logic [31:0] res;
    s = 1'b0; guard = 1'b0; sticky = 1'b0; round_up = 1'b0; mag = 32'd0; norm = 32'd0;
    lz = 5'd0; mant = 25'd0; e = 8'd0; res = 32'd0;
    if (en_i && (x_i != 32'd0)) begin
      s   = x_i[31];
      mag = s ? (~x_i + 32'd1) : x_i;  // -2^31 gives 2^31, bit 31 set
      // Leading zeros of mag (written out: see numerics_pkg on helper functions).
      for (int i = 0; i < 32; i++) begin
        if (mag[i]) lz = 5'(31 - i);
      end
      norm     = mag << lz;               // msb at bit 31
      mant     = {1'b0, norm[31:8]};
      guard    = norm[7];
      sticky   = norm[6:0] != 7'd0;
      round_up = guard & (sticky | mant[0]);
      mant     = mant + {24'd0, round_up};
      e        = 8'd158 - {3'd0, lz};     // 127 + 31 - lz
      if (mant[24]) begin
        mant = {1'b0, mant[24:1]};
        e    = e + 8'd1;
      end
      res = {s, e, mant[22:0]};
    end
    int32_to_fp32_en_f = res;
  endfunction

  // ---- fp32 -> int32 (RNE, saturating, NaN to 0) ---------------------------------------------
  function automatic logic [31:0] fp32_to_int32_en_f(logic en_i, logic [31:0] a_i);
    logic        s, guard, sticky, round_up;
    logic [8:0]  e;       // unbiased exponent + 127 offset kept positive: field
    logic [4:0]  sh;      // right shift of the 24-bit significand, 1..24
    logic [23:0] sig;
    logic [31:0] mag, res;
    s = 1'b0; guard = 1'b0; sticky = 1'b0; round_up = 1'b0; e = 9'd0; sh = 5'd0; sig = 24'd0;
    mag = 32'd0; res = 32'd0;
    if (en_i) begin
      s   = a_i[31];
      e   = {1'b0, a_i[30:23]};
      sig = {1'b1, a_i[22:0]};
      if (is_nan_f(a_i) || (a_i[30:23] == 8'd0)) begin
        res = 32'd0;                                  // NaN and zeros (DAZ)
      end else if (e >= 9'd158) begin                // |a| >= 2^31 (inf included)
        res = s ? I32_MIN : I32_MAX;                 // -2^31 itself is exact
      end else if (e >= 9'd150) begin                // 2^23 <= |a| < 2^31: exact
        mag = {8'd0, sig} << (e - 9'd150);
        res = s ? (~mag + 32'd1) : mag;
      end else if (e < 9'd126) begin                 // |a| < 0.5
        res = 32'd0;
      end else begin                                 // 0.5 <= |a| < 2^23: round
        sh       = 5'(9'd150 - e);                   // 1 .. 24
        mag      = {8'd0, sig >> sh};
        guard    = sig[sh - 5'd1];
        sticky   = (sig & ~({24{1'b1}} << (sh - 5'd1))) != 24'd0;
        round_up = guard & (sticky | mag[0]);
        mag      = mag + {31'd0, round_up};
        res      = s ? (~mag + 32'd1) : mag;
      end
    end
    fp32_to_int32_en_f = res;
  endfunction

  // ---- reads into fp32 (section 4) ------------------------------------------------------------
  // bf16: exact, then DAZ.
  function automatic logic [31:0] bf16_to_fp32_f(logic [15:0] x);
    bf16_to_fp32_f = daz_f({x, 16'd0});
  endfunction
  // fp8 e4m3: exact (subnormals are normal fp32 numbers); NaN (S.1111.111) gives the
  // canonical NaN.
  function automatic logic [31:0] fp8_to_fp32_f(logic [7:0] x);
    logic [31:0] res;
    res = {x[7], 31'd0};
    if (x[6:0] == 7'h7F) begin
      res = F32_QNAN;
    end else if (x[6:3] != 4'd0) begin
      res = {x[7], 8'(x[6:3]) + 8'd120, x[2:0], 20'd0};
    end else if (x[2]) begin                         // 0.1xx * 2^-6 = 1.xx * 2^-7
      res = {x[7], 8'd120, x[1:0], 21'd0};
    end else if (x[1]) begin                         // 0.01x * 2^-6 = 1.x * 2^-8
      res = {x[7], 8'd119, x[0], 22'd0};
    end else if (x[0]) begin                         // 2^-9
      res = {x[7], 8'd118, 23'd0};
    end
    fp8_to_fp32_f = res;
  endfunction

endpackage
