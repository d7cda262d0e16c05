/// numerics_pkg: constants and small helper functions shared by the numerics units
/// (docs/numerics.md). Referenced as `numerics_pkg::name`; never imported with `::*`
/// (yosys 0.23 rejects wildcard imports).
package numerics_pkg;

  // Each unit uses only some of these constants; Verilator reports the rest as unused for
  // every top that includes the package, so the check is off for the package body.
  /* verilator lint_off UNUSEDPARAM */

  // Canonical NaNs (numerics.md section 1): sign and payload of an input NaN are never
  // propagated, every NaN result is exactly one of these.
  localparam logic [31:0] F32_QNAN    = 32'h7FC0_0000;
  localparam logic [15:0] BF16_QNAN   = 16'h7FC0;
  localparam logic [7:0]  FP8_QNAN    = 8'h7F;
  // Largest finite fp8 e4m3 magnitude (448 = 1.75 * 2^8), the saturation value of casts.
  localparam logic [6:0]  FP8_MAX_MAG = 7'h7E;

  localparam logic [7:0]  F32_EXP_MAX = 8'hFF;  // exponent field of inf / NaN
  /* verilator lint_on UNUSEDPARAM */

  // ---- arithmetic units as functions --------------------------------------------------------
  // The one source of the numerics datapaths: the modules fp32_add, bf16_mul, fp8_mul and
  // int8_mac are one-line wrappers around the plain functions (fp32_add_f, ...), and the PE
  // calls the gated forms (fp32_add_en_f, ...) with its dtype's control bit as en_i, so the
  // Verilated model evaluates only the unit in use (docs/performance.md). Algorithms and notes:
  // see the wrapper modules' headers.
  //
  // Shape of the gated forms, for Verilator 5.006's sake (docs/performance.md): the whole body
  // sits under `if (en_i)` and every local variable is first assigned a constant *outside*
  // that `if`; a disabled unit returns 0. Verilator inlines a function into each call site
  // with fresh temporaries, and turns those temporaries into C++ locals only if each is fully
  // assigned at the top level of the generated C++ function before it is read; a temporary
  // first assigned under an `if` (a call inside `if (act) ...`, or any assignment inside the
  // body's own `if`) becomes a member of the PE class instead, one set per PE instance, so
  // every instance's code addresses different members and the C++ compiler can no longer fold
  // the 256 identical PE functions into one. For the same reason the leading-zero counts are
  // written out inline rather than called as a helper function. Callers must also call these
  // at the top level of an always_comb / assign, never under an `if`.

  // fp32_add_f: a + b under docs/numerics.md section 2 (DAZ, RNE, FTZ, canonical NaN).
  function automatic logic [31:0] fp32_add_f(logic [31:0] a_i, logic [31:0] b_i);
    fp32_add_f = fp32_add_en_f(1'b1, a_i, b_i);
  endfunction

  // fp32_add_en_f: fp32_add_f(a_i, b_i) when en_i, else 0.
  function automatic logic [31:0] fp32_add_en_f(logic en_i, logic [31:0] a_i,
                                                logic [31:0] b_i);
    logic        a_nan, b_nan, a_inf, b_inf;
    logic [30:0] a_mag, b_mag;         // magnitudes after DAZ
    logic        swap;
    logic        big_s, sml_s;
    logic [30:0] big_mag, sml_mag;
    logic [26:0] big_sig, sml_sig;     // 1.f << 3: hidden bit at 26, guard/round/sticky below
    logic [7:0]  exp_diff;
    logic [4:0]  shamt;
    logic [26:0] sml_aligned;
    logic        sticky;
    logic        eff_sub;
    logic [27:0] raw;                  // bit 27 is the carry of an addition
    logic [26:0] norm_in;              // raw brought back to 27 bits (carry folded in)
    logic [31:0] lz_v;                 // leading-zero count: the shifted vector
    logic [4:0]  lz;
    logic [26:0] norm;
    logic [9:0]  exp_norm;             // two's complement: cancellation can go below zero
    logic        round_up;
    logic [30:0] mag_rnd;              // {exponent, fraction} after rounding
    logic [31:0] sum;

    // Every local assigned outside the `if` first (see the note above the functions).
    a_nan = 1'b0; b_nan = 1'b0; a_inf = 1'b0; b_inf = 1'b0; swap = 1'b0; big_s = 1'b0;
    sml_s = 1'b0; sticky = 1'b0; eff_sub = 1'b0; round_up = 1'b0;
    a_mag = 31'd0; b_mag = 31'd0; big_mag = 31'd0; sml_mag = 31'd0; mag_rnd = 31'd0;
    big_sig = 27'd0; sml_sig = 27'd0; sml_aligned = 27'd0; norm_in = 27'd0; norm = 27'd0;
    exp_diff = 8'd0; shamt = 5'd0; lz = 5'd0; raw = 28'd0; lz_v = 32'd0; exp_norm = 10'd0;
    sum = 32'd0;

    if (en_i) begin
      // ---- DAZ (inf / NaN operands are handled at the end) -------------------------------
      a_mag = (a_i[30:23] == 8'd0) ? 31'd0 : a_i[30:0];
      b_mag = (b_i[30:23] == 8'd0) ? 31'd0 : b_i[30:0];

      // ---- order by magnitude: the result takes the sign of the larger operand -----------
      // With equal magnitudes either order works: a subtraction then gives an exact zero.
      // The selects are XOR masks rather than `swap ? :` on purpose: ternaries sharing one
      // condition are merged by Verilator into a C++ if/else, a data-dependent branch that
      // mispredicts on about half of all operand pairs (cachegrind); the masks are
      // branch-free.
      swap    = a_mag < b_mag;
      big_s   = a_i[31] ^ ((a_i[31] ^ b_i[31]) & swap);
      sml_s   = b_i[31] ^ ((a_i[31] ^ b_i[31]) & swap);
      big_mag = a_mag ^ ((a_mag ^ b_mag) & {31{swap}});
      sml_mag = b_mag ^ ((a_mag ^ b_mag) & {31{swap}});
      // A zero (exponent 0 after DAZ) has no hidden bit, so its significand is 0.
      big_sig = {big_mag[30:23] != 8'd0, big_mag[22:0], 3'b000};
      sml_sig = {sml_mag[30:23] != 8'd0, sml_mag[22:0], 3'b000};

      // ---- align the smaller operand; bits shifted out collapse into the sticky bit ------
      exp_diff    = big_mag[30:23] - sml_mag[30:23];
      // A shift of 27 or more leaves only sticky; clamping keeps the shifter 5 bits wide.
      shamt       = (exp_diff > 8'd27) ? 5'd27 : exp_diff[4:0];
      sml_aligned = sml_sig >> shamt;
      sticky      = (sml_sig & ~({27{1'b1}} << shamt)) != 27'd0;
      sml_aligned[0] = sml_aligned[0] | sticky;

      // ---- add or subtract magnitudes (never negative: big >= small) ---------------------
      // One adder: subtracting is adding the one's complement plus one. This is also
      // branch-free in the Verilated model, which matters: in an accumulation eff_sub
      // follows product signs.
      eff_sub = big_s ^ sml_s;
      raw     = {1'b0, big_sig} + ({1'b0, sml_aligned} ^ {28{eff_sub}}) + {27'd0, eff_sub};

      // ---- normalise --------------------------------------------------------------------
      // A carry moves the point right by one; the bit shifted out joins the sticky bit
      // (a shift by raw[27] instead of a select keeps the Verilated model branch-free).
      norm_in  = 27'(raw >> raw[27]) | {26'd0, raw[27] & raw[0]};
      // Leading-zero count of {norm_in, 5'd0} as a five-step binary search (31 for zero;
      // a zero sum is caught below by norm[26]). Each step is one compare and one shift,
      // a handful of 32-bit C operations; a priority `for` loop or a casez table is several
      // times slower and larger. The first steps become C++ branches, taken only on deep
      // cancellation (rare, so well predicted); the last is a plain assignment.
      lz_v = {norm_in, 5'd0};
      if (lz_v[31:16] == 16'd0) begin lz[4] = 1'b1; lz_v = {lz_v[15:0], 16'd0}; end
      if (lz_v[31:24] == 8'd0)  begin lz[3] = 1'b1; lz_v = {lz_v[23:0], 8'd0};  end
      if (lz_v[31:28] == 4'd0)  begin lz[2] = 1'b1; lz_v = {lz_v[27:0], 4'd0};  end
      if (lz_v[31:30] == 2'd0)  begin lz[1] = 1'b1; lz_v = {lz_v[29:0], 2'd0};  end
      lz[0]    = !lz_v[31];
      norm     = norm_in << lz;
      exp_norm = {2'b00, big_mag[30:23]} + {9'd0, raw[27]} - {5'd0, lz};

      // ---- round to nearest, ties to even -----------------------------------------------
      round_up = norm[2] & (norm[1] | norm[0] | norm[3]);
      // The increment is applied to {exponent, fraction}: a fraction of all ones carries
      // into the exponent, and a carry into exponent 255 leaves a zero fraction, i.e.
      // exactly inf.
      mag_rnd  = {exp_norm[7:0], norm[25:3]} + {30'd0, round_up};

      // ---- assemble, most specific case last --------------------------------------------
      if (exp_norm[9] || (exp_norm == 10'd0)) begin
        // Below 2^-126 (FTZ). Such a sum is exact, so rounding cannot have lifted it.
        sum = {big_s, 31'd0};
      end else if (exp_norm >= 10'd255) begin
        sum = {big_s, F32_EXP_MAX, 23'd0};
      end else begin
        sum = {big_s, mag_rnd};
      end
      // An exact zero (the normalised hidden bit is clear only then): +0 unless both
      // operands are -0 (or DAZ'd negative denormals).
      if (!norm[26]) begin
        sum = {a_i[31] & b_i[31], 31'd0};
      end
      // inf / NaN operands: classified only when an exponent field is all ones, a rare and
      // hence well-predicted branch (cheaper than classifying every operand pair).
      if ((a_i[30:23] == F32_EXP_MAX) || (b_i[30:23] == F32_EXP_MAX)) begin
        a_nan = (a_i[30:23] == F32_EXP_MAX) && (a_i[22:0] != 23'd0);
        b_nan = (b_i[30:23] == F32_EXP_MAX) && (b_i[22:0] != 23'd0);
        a_inf = (a_i[30:23] == F32_EXP_MAX) && (a_i[22:0] == 23'd0);
        b_inf = (b_i[30:23] == F32_EXP_MAX) && (b_i[22:0] == 23'd0);
        if (a_inf || b_inf) begin
          sum = {a_inf ? a_i[31] : b_i[31], F32_EXP_MAX, 23'd0};
        end
        if (a_nan || b_nan || (a_inf && b_inf && (a_i[31] != b_i[31]))) begin
          sum = F32_QNAN;
        end
      end
    end
    fp32_add_en_f = sum;
  endfunction

  // bf16_mul_f: the exact fp32 product of two bf16 values (docs/numerics.md section 3).
  function automatic logic [31:0] bf16_mul_f(logic [15:0] a_i, logic [15:0] b_i);
    bf16_mul_f = bf16_mul_en_f(1'b1, a_i, b_i);
  endfunction

  // bf16_mul_en_f: bf16_mul_f(a_i, b_i) when en_i, else 0.
  function automatic logic [31:0] bf16_mul_en_f(logic en_i, logic [15:0] a_i,
                                                logic [15:0] b_i);
    logic        a_nan, b_nan, a_inf, b_inf, a_zero, b_zero;
    logic        sign;
    logic [15:0] sig_prod;   // 1.f * 1.f in [1, 4): bit 15 set means the product is >= 2
    logic [9:0]  exp_sum;    // two's complement biased exponent of the product
    logic [22:0] frac;
    logic [31:0] prod;

    // Every local assigned outside the `if` first (see the note above the functions).
    a_nan = 1'b0; b_nan = 1'b0; a_inf = 1'b0; b_inf = 1'b0; a_zero = 1'b0; b_zero = 1'b0;
    sign = 1'b0;
    sig_prod = 16'd0; exp_sum = 10'd0; frac = 23'd0; prod = 32'd0;

    if (en_i) begin
      // ---- classify (DAZ: exponent field 0 is a zero, whatever the fraction; inf / NaN
      // operands are classified at the end) --------------------------------------------
      a_zero = a_i[14:7] == 8'd0;
      b_zero = b_i[14:7] == 8'd0;
      sign   = a_i[15] ^ b_i[15];

      // ---- exact product: an 8x8 multiply and at most a one-bit normalisation -----------
      sig_prod = {1'b1, a_i[6:0]} * {1'b1, b_i[6:0]};
      exp_sum  = {2'b00, a_i[14:7]} + {2'b00, b_i[14:7]} - 10'd127 + {9'd0, sig_prod[15]};
      // Below 2 the hidden one sits at bit 14 and a left shift by one drops it. Written as
      // a one-bit shift rather than `? :`: the Verilated select compiles to a branch that
      // mispredicts on every other product (about half of all products are >= 2).
      frac     = 23'({sig_prod[14:0], 8'd0} << !sig_prod[15]);

      // ---- assemble, most specific case last --------------------------------------------
      if (exp_sum[9] || (exp_sum == 10'd0)) begin
        prod = {sign, 31'd0};                                   // below 2^-126: FTZ
      end else if (exp_sum >= 10'd255) begin
        prod = {sign, F32_EXP_MAX, 23'd0};                      // 2^128 or more: inf
      end else begin
        prod = {sign, exp_sum[7:0], frac};
      end
      if (a_zero || b_zero) begin
        prod = {sign, 31'd0};
      end
      // inf / NaN operands: classified only when an exponent field is all ones (rare, so
      // the branch predicts well).
      if ((a_i[14:7] == F32_EXP_MAX) || (b_i[14:7] == F32_EXP_MAX)) begin
        a_nan = (a_i[14:7] == F32_EXP_MAX) && (a_i[6:0] != 7'd0);
        b_nan = (b_i[14:7] == F32_EXP_MAX) && (b_i[6:0] != 7'd0);
        a_inf = (a_i[14:7] == F32_EXP_MAX) && (a_i[6:0] == 7'd0);
        b_inf = (b_i[14:7] == F32_EXP_MAX) && (b_i[6:0] == 7'd0);
        if (a_inf || b_inf) begin
          prod = {sign, F32_EXP_MAX, 23'd0};
        end
        if (a_nan || b_nan || (a_inf && b_zero) || (b_inf && a_zero)) begin
          prod = F32_QNAN;
        end
      end
    end
    bf16_mul_en_f = prod;
  endfunction

  // fp8_mul_f: the exact fp32 product of two fp8 e4m3 (OCP) values (docs/numerics.md
  // section 3).
  function automatic logic [31:0] fp8_mul_f(logic [7:0] a_i, logic [7:0] b_i);
    fp8_mul_f = fp8_mul_en_f(1'b1, a_i, b_i);
  endfunction

  // fp8_mul_en_f: fp8_mul_f(a_i, b_i) when en_i, else 0.
  function automatic logic [31:0] fp8_mul_en_f(logic en_i, logic [7:0] a_i, logic [7:0] b_i);
    logic       sign;
    logic [3:0] a_sig, b_sig;   // significand h.mmm, h = 0 for a subnormal
    logic [3:0] a_exp, b_exp;   // exponent field, a subnormal reading as 1 (same scale 2^-6)
    logic [7:0] sig_prod;       // hh.mmmmmm: value sig_prod * 2^-6 * 2^(a_exp + b_exp - 14)
    logic [2:0] lz;
    logic [7:0] sig_norm;       // sig_prod with its leading one at bit 7 (also the lzc vector)
    logic [7:0] exp_f32;        // biased fp32 exponent, always in 109..144
    logic [31:0] prod;

    // Every local assigned outside the `if` first (see the note above the functions).
    sign = 1'b0; a_sig = 4'd0; b_sig = 4'd0; a_exp = 4'd0; b_exp = 4'd0; sig_prod = 8'd0;
    lz = 3'd0; sig_norm = 8'd0; exp_f32 = 8'd0; prod = 32'd0;

    if (en_i) begin
      sign  = a_i[7] ^ b_i[7];
      a_sig = {a_i[6:3] != 4'd0, a_i[2:0]};
      b_sig = {b_i[6:3] != 4'd0, b_i[2:0]};
      a_exp = {a_i[6:4], a_i[3] | (a_i[6:3] == 4'd0)};
      b_exp = {b_i[6:4], b_i[3] | (b_i[6:3] == 4'd0)};

      // ---- exact product and normalisation (subnormal operands can leave up to 7 leading
      // zeros in the 8-bit product) ------------------------------------------------------
      sig_prod = a_sig * b_sig;
      // Leading-zero count as a three-step binary search (7 for zero), shifting as it goes:
      // the shifted vector is the normalised significand.
      sig_norm = sig_prod;
      if (sig_norm[7:4] == 4'd0) begin lz[2] = 1'b1; sig_norm = {sig_norm[3:0], 4'd0}; end
      if (sig_norm[7:6] == 2'd0) begin lz[1] = 1'b1; sig_norm = {sig_norm[5:0], 2'd0}; end
      lz[0]    = !sig_norm[7];
      sig_norm = sig_norm << lz[0];
      // Leading one at bit (7 - lz) of a value scaled by 2^-6, exponents biased by 7 each:
      // 2^(7 - lz - 6 + a_exp + b_exp - 14) -> fp32 field 127 - 13 + a_exp + b_exp - lz.
      exp_f32  = 8'd114 + {4'd0, a_exp} + {4'd0, b_exp} - {5'd0, lz};

      prod = {sign, exp_f32, sig_norm[6:0], 16'd0};
      if (!sig_norm[7]) begin                                   // the product is zero
        prod = {sign, 31'd0};
      end
      if ((a_i[6:0] == 7'h7F) || (b_i[6:0] == 7'h7F)) begin
        prod = F32_QNAN;
      end
    end
    fp8_mul_en_f = prod;
  endfunction

  // int8_mac_f: acc + a * b in 32-bit two's complement, wrapping (docs/numerics.md
  // section 3). The 8x8 signed product is exact in 16 bits and sign-extended before the add.
  function automatic logic [31:0] int8_mac_f(logic [31:0] acc_i, logic [7:0] a_i,
                                             logic [7:0] b_i);
    int8_mac_f = int8_mac_en_f(1'b1, acc_i, a_i, b_i);
  endfunction

  // int8_mac_en_f: int8_mac_f(acc_i, a_i, b_i) when en_i, else 0.
  function automatic logic [31:0] int8_mac_en_f(logic en_i, logic [31:0] acc_i,
                                                logic [7:0] a_i, logic [7:0] b_i);
    logic signed [15:0] prod;
    logic [31:0]        acc;
    prod = 16'sd0;
    acc  = 32'd0;
    if (en_i) begin
      // Both operands signed and sign-extended to the 16-bit product width.
      prod = 16'(signed'(a_i)) * 16'(signed'(b_i));
      acc  = acc_i + {{16{prod[15]}}, prod};
    end
    int8_mac_en_f = acc;
  endfunction

  // fp32_to_bf16_en_f: bf16(a_i) when en_i, else 0 (docs/numerics.md section 4, writes; notes
  // in fp32_to_bf16.sv).
  function automatic logic [15:0] fp32_to_bf16_en_f(logic en_i, logic [31:0] a_i);
    logic        round_up;
    logic [14:0] mag_rnd;
    logic [15:0] res;
    round_up = 1'b0;
    mag_rnd  = 15'd0;
    res      = 16'd0;
    if (en_i) begin
      // Ties to even: round up on guard and (sticky or the kept LSB).
      round_up = a_i[15] & ((a_i[14:0] != 15'd0) | a_i[16]);
      // An infinity has no bits to round (all dropped bits are zero), so it passes through.
      mag_rnd  = a_i[30:16] + {14'd0, round_up};
      res      = {a_i[31], mag_rnd};
      if (a_i[30:23] == 8'd0) res = {a_i[31], 15'd0};                        // DAZ: signed zero
      if ((a_i[30:23] == F32_EXP_MAX) && (a_i[22:0] != 23'd0)) res = BF16_QNAN;
    end
    fp32_to_bf16_en_f = res;
  endfunction

  // fp32_to_fp8_en_f: fp8 e4m3(a_i) when en_i, else 0 (docs/numerics.md section 4, writes;
  // algorithm in fp32_to_fp8.sv).
  function automatic logic [7:0] fp32_to_fp8_en_f(logic en_i, logic [31:0] a_i);
    logic        is_nan, is_inf;
    logic        too_big;     // |a| >= 2^9: saturates whatever the rounding
    logic        is_sub;      // |a| < 2^-6: fp8 subnormal (or zero) range
    logic [24:0] sig;         // 1.f plus a zero bit 24 (the largest shift reads its guard there)
    logic [4:0]  shamt;       // 20 .. 25
    logic [2:0]  kept;
    logic        guard, sticky, round_up;
    logic [7:0]  code, code_rnd;
    logic [7:0]  res;
    is_nan = 1'b0; is_inf = 1'b0; too_big = 1'b0; is_sub = 1'b0; guard = 1'b0; sticky = 1'b0;
    round_up = 1'b0; sig = 25'd0; shamt = 5'd0; kept = 3'd0; code = 8'd0; code_rnd = 8'd0;
    res = 8'd0;
    if (en_i) begin
      is_nan  = (a_i[30:23] == F32_EXP_MAX) && (a_i[22:0] != 23'd0);
      is_inf  = (a_i[30:23] == F32_EXP_MAX) && (a_i[22:0] == 23'd0);
      // fp8 exponent field = fp32 field - 120; field 15 is the top binade [256, 512).
      too_big = a_i[30:23] > 8'd135;
      is_sub  = a_i[30:23] < 8'd121;
      sig     = {2'b01, a_i[22:0]};
      // Subnormal: fp32 field e keeps the bits of weight >= 2^-9, a shift of 141 - e; fields
      // below 116 would shift by 25 or more, and 25 already leaves kept = guard = 0.
      if (!is_sub) begin
        shamt = 5'd20;
      end else if (a_i[30:23] < 8'd116) begin
        shamt = 5'd25;
      end else begin
        shamt = 5'(8'd141 - a_i[30:23]);
      end
      kept     = 3'(sig >> shamt);
      guard    = sig[shamt - 5'd1];
      sticky   = (sig & ~({25{1'b1}} << (shamt - 5'd1))) != 25'd0;
      round_up = guard & (sticky | kept[0]);
      // A normal packs its exponent (fp32 field 121..135 -> fp8 field 1..15) above the kept
      // mantissa; a subnormal's kept bits are 0mmm already. A rounding carry moves up a binade.
      code     = is_sub ? {5'd0, kept} : {1'b0, a_i[26:23] - 4'd8, kept};
      code_rnd = code + {7'd0, round_up};
      // Assemble, most specific case last.
      res = {a_i[31], code_rnd[6:0]};
      if (too_big || is_inf || (code_rnd > {1'b0, FP8_MAX_MAG})) res = {a_i[31], FP8_MAX_MAG};
      if (a_i[30:23] == 8'd0) res = {a_i[31], 7'd0};                         // DAZ: signed zero
      if (is_nan) res = FP8_QNAN;
    end
    fp32_to_fp8_en_f = res;
  endfunction

endpackage
