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

  // Operand classification. A denormal has exponent 0 and reads as a zero of its sign.
  logic        a_nan, b_nan, a_inf, b_inf;
  logic [30:0] a_mag, b_mag;         // magnitudes after DAZ
  // Base (larger magnitude) and aligned (smaller magnitude) operand.
  logic        swap;
  logic        big_s, sml_s;
  logic [30:0] big_mag, sml_mag;
  logic [26:0] big_sig, sml_sig;     // 1.f << 3: hidden bit at 26, guard/round/sticky below
  logic [7:0]  exp_diff;
  logic [4:0]  shamt;
  logic [26:0] sml_aligned;
  logic        sticky;
  // Sum and normalisation.
  logic        eff_sub;
  logic [27:0] raw;                  // bit 27 is the carry of an addition
  logic [26:0] norm_in;              // raw brought back to 27 bits (carry folded in)
  logic [4:0]  lz;
  logic [26:0] norm;
  logic [9:0]  exp_norm;             // two's complement: cancellation can go below zero
  // Rounding.
  logic        round_up;
  logic [30:0] mag_rnd;              // {exponent, fraction} after rounding

  always_comb begin
    // ---- defaults -------------------------------------------------------------------------
    sum_o       = 32'd0;
    a_nan       = 1'b0;
    b_nan       = 1'b0;
    a_inf       = 1'b0;
    b_inf       = 1'b0;
    a_mag       = 31'd0;
    b_mag       = 31'd0;
    swap        = 1'b0;
    big_s       = 1'b0;
    sml_s       = 1'b0;
    big_mag     = 31'd0;
    sml_mag     = 31'd0;
    big_sig     = 27'd0;
    sml_sig     = 27'd0;
    exp_diff    = 8'd0;
    shamt       = 5'd0;
    sml_aligned = 27'd0;
    sticky      = 1'b0;
    eff_sub     = 1'b0;
    raw         = 28'd0;
    norm_in     = 27'd0;
    lz          = 5'd0;
    norm        = 27'd0;
    exp_norm    = 10'd0;
    round_up    = 1'b0;
    mag_rnd     = 31'd0;

    // ---- classify, DAZ ------------------------------------------------------------------
    a_nan = (a_i[30:23] == numerics_pkg::F32_EXP_MAX) && (a_i[22:0] != 23'd0);
    b_nan = (b_i[30:23] == numerics_pkg::F32_EXP_MAX) && (b_i[22:0] != 23'd0);
    a_inf = (a_i[30:23] == numerics_pkg::F32_EXP_MAX) && (a_i[22:0] == 23'd0);
    b_inf = (b_i[30:23] == numerics_pkg::F32_EXP_MAX) && (b_i[22:0] == 23'd0);
    a_mag = (a_i[30:23] == 8'd0) ? 31'd0 : a_i[30:0];
    b_mag = (b_i[30:23] == 8'd0) ? 31'd0 : b_i[30:0];

    // ---- order by magnitude: the result takes the sign of the larger operand -------------
    // With equal magnitudes either order works: a subtraction then gives an exact zero.
    // The selects are XOR masks rather than `swap ? :` on purpose: ternaries sharing one
    // condition are merged by Verilator into a C++ if/else, a data-dependent branch that
    // mispredicts on about half of all operand pairs (cachegrind); the masks are branch-free.
    swap    = a_mag < b_mag;
    big_s   = a_i[31] ^ ((a_i[31] ^ b_i[31]) & swap);
    sml_s   = b_i[31] ^ ((a_i[31] ^ b_i[31]) & swap);
    big_mag = a_mag ^ ((a_mag ^ b_mag) & {31{swap}});
    sml_mag = b_mag ^ ((a_mag ^ b_mag) & {31{swap}});
    // A zero (exponent 0 after DAZ) has no hidden bit, so its significand is 0.
    big_sig = {big_mag[30:23] != 8'd0, big_mag[22:0], 3'b000};
    sml_sig = {sml_mag[30:23] != 8'd0, sml_mag[22:0], 3'b000};

    // ---- align the smaller operand; bits shifted out collapse into the sticky bit --------
    exp_diff    = big_mag[30:23] - sml_mag[30:23];
    // A shift of 27 or more leaves only sticky; clamping keeps the shifter 5 bits wide.
    shamt       = (exp_diff > 8'd27) ? 5'd27 : exp_diff[4:0];
    sml_aligned = sml_sig >> shamt;
    sticky      = (sml_sig & ~({27{1'b1}} << shamt)) != 27'd0;
    sml_aligned[0] = sml_aligned[0] | sticky;

    // ---- add or subtract magnitudes (never negative: big >= small) -----------------------
    // One adder: subtracting is adding the one's complement plus one. This is also branch-free
    // in the Verilated model, which matters: in an accumulation eff_sub follows product signs.
    eff_sub = big_s ^ sml_s;
    raw     = {1'b0, big_sig} + ({1'b0, sml_aligned} ^ {28{eff_sub}}) + {27'd0, eff_sub};

    // ---- normalise ----------------------------------------------------------------------
    // A carry moves the point right by one; the bit shifted out joins the sticky bit
    // (a shift by raw[27] instead of a select keeps the Verilated model branch-free).
    norm_in  = 27'(raw >> raw[27]) | {26'd0, raw[27] & raw[0]};
    lz       = numerics_pkg::lzc32({norm_in, 5'd0});
    norm     = norm_in << lz;
    exp_norm = {2'b00, big_mag[30:23]} + {9'd0, raw[27]} - {5'd0, lz};

    // ---- round to nearest, ties to even -------------------------------------------------
    round_up = norm[2] & (norm[1] | norm[0] | norm[3]);
    // The increment is applied to {exponent, fraction}: a fraction of all ones carries into
    // the exponent, and a carry into exponent 255 leaves a zero fraction, i.e. exactly inf.
    mag_rnd  = {exp_norm[7:0], norm[25:3]} + {30'd0, round_up};

    // ---- assemble, most specific case last ----------------------------------------------
    if (exp_norm[9] || (exp_norm == 10'd0)) begin
      // Below 2^-126 (FTZ). Such a sum is exact, so rounding cannot have lifted it.
      sum_o = {big_s, 31'd0};
    end else if (exp_norm >= 10'd255) begin
      sum_o = {big_s, numerics_pkg::F32_EXP_MAX, 23'd0};
    end else begin
      sum_o = {big_s, mag_rnd};
    end
    // An exact zero (the normalised hidden bit is clear only then): +0 unless both operands
    // are -0 (or DAZ'd negative denormals).
    if (!norm[26]) begin
      sum_o = {a_i[31] & b_i[31], 31'd0};
    end
    if (a_inf || b_inf) begin
      sum_o = {a_inf ? a_i[31] : b_i[31], numerics_pkg::F32_EXP_MAX, 23'd0};
    end
    if (a_nan || b_nan || (a_inf && b_inf && (a_i[31] != b_i[31]))) begin
      sum_o = numerics_pkg::F32_QNAN;
    end
  end

endmodule
