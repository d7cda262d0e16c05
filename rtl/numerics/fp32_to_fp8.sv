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

  logic        is_nan, is_inf;
  logic        too_big;     // |a| >= 2^9: saturates whatever the rounding
  logic        is_sub;      // |a| < 2^-6: fp8 subnormal (or zero) range
  logic [24:0] sig;         // 1.f, plus a zero bit 24: with the largest shift the guard
                            // select reads bit 24, which must exist (and be 0), not be X
  logic [4:0]  shamt;       // 20 .. 25; 25 and more leave nothing, not even a guard bit
  logic [2:0]  kept;        // mantissa bits kept by the shift (h.mmm minus the h)
  logic        guard, sticky, round_up;
  logic [7:0]  code;        // {exponent, mantissa} before and after rounding (8 bits:
  logic [7:0]  code_rnd;    // rounding 0x7F up gives 0x80, which must saturate too)

  always_comb begin
    // ---- defaults -------------------------------------------------------------------------
    res_o    = 8'd0;
    is_nan   = 1'b0;
    is_inf   = 1'b0;
    too_big  = 1'b0;
    is_sub   = 1'b0;
    sig      = 25'd0;
    shamt    = 5'd0;
    kept     = 3'd0;
    guard    = 1'b0;
    sticky   = 1'b0;
    round_up = 1'b0;
    code     = 8'd0;
    code_rnd = 8'd0;

    is_nan  = (a_i[30:23] == numerics_pkg::F32_EXP_MAX) && (a_i[22:0] != 23'd0);
    is_inf  = (a_i[30:23] == numerics_pkg::F32_EXP_MAX) && (a_i[22:0] == 23'd0);
    // fp8 exponent field = fp32 field - 120; field 15 is the top binade [256, 512).
    too_big = a_i[30:23] > 8'd135;
    is_sub  = a_i[30:23] < 8'd121;
    sig     = {2'b01, a_i[22:0]};

    // ---- shift to the fp8 significand ---------------------------------------------------
    // Subnormal: fp32 field e keeps the bits of weight >= 2^-9, i.e. a shift of 141 - e.
    // Fields below 117 would shift by 25 or more; 25 already leaves kept = guard = 0.
    if (!is_sub) begin
      shamt = 5'd20;
    end else if (a_i[30:23] < 8'd116) begin
      shamt = 5'd25;
    end else begin
      shamt = 5'(8'd141 - a_i[30:23]);
    end
    kept   = 3'(sig >> shamt);
    guard  = sig[shamt - 5'd1];
    sticky = (sig & ~({25{1'b1}} << (shamt - 5'd1))) != 25'd0;
    round_up = guard & (sticky | kept[0]);

    // ---- pack and round ----------------------------------------------------------------
    // A normal's kept bits are 1mmm: the hidden one is dropped and the exponent packed
    // above (fp32 field 121..135 -> fp8 field 1..15, i.e. its low nibble minus 8, modulo
    // 16); a subnormal's kept bits are 0mmm already (exponent field 0).
    code     = is_sub ? {5'd0, kept} : {1'b0, a_i[26:23] - 4'd8, kept};
    code_rnd = code + {7'd0, round_up};

    // ---- assemble, most specific case last ----------------------------------------------
    res_o = {a_i[31], code_rnd[6:0]};
    if (too_big || is_inf || (code_rnd > {1'b0, numerics_pkg::FP8_MAX_MAG})) begin
      res_o = {a_i[31], numerics_pkg::FP8_MAX_MAG};
    end
    if (a_i[30:23] == 8'd0) begin
      res_o = {a_i[31], 7'd0};                                     // DAZ: signed zero
    end
    if (is_nan) begin
      res_o = numerics_pkg::FP8_QNAN;
    end
  end

endmodule
