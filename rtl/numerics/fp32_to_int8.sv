/// fp32_to_int8: res_o = int8(a_i) (docs/numerics.md section 4, writes).
/// Latency: combinational (0 cycles); one result per evaluation.
/// Notes: DAZ the input; RNE to an integer, then saturate to [-128, 127]; +-inf saturate;
/// NaN gives 0. Saturation is decided on the rounded magnitude, so 127.5 (which rounds to
/// the even 128) gives 127 and -128.5 (rounds to -128) gives -128.
module fp32_to_int8 (
  // Input, fp32 bit pattern.
  input  logic [31:0] a_i,
  // Result, int8 (two's complement).
  output logic [7:0]  res_o
);

  logic        too_big;     // |a| >= 256 (includes inf): saturates whatever the rounding
  logic [24:0] sig;         // 1.f, plus a zero bit 24: with the largest shift the guard
                            // select reads bit 24, which must exist (and be 0), not be X
  logic [4:0]  shamt;       // 16 .. 25: the integer part is sig >> shamt
  logic [7:0]  int_part;    // at most 255 (e = 134)
  logic        guard, sticky, round_up;
  logic [8:0]  mag;         // rounded magnitude, 0 .. 256

  always_comb begin
    // ---- defaults -------------------------------------------------------------------------
    res_o    = 8'd0;
    too_big  = 1'b0;
    sig      = 25'd0;
    shamt    = 5'd0;
    int_part = 8'd0;
    guard    = 1'b0;
    sticky   = 1'b0;
    round_up = 1'b0;
    mag      = 9'd0;

    // Value = sig * 2^(e - 150); e = 134 is the binade [128, 256).
    too_big = a_i[30:23] > 8'd134;
    sig     = {2'b01, a_i[22:0]};
    // Below 0.25 (e < 125) the result is 0 whatever the fraction; a shift of 25 gives that
    // (kept = guard = 0). A DAZ'd denormal (e = 0) lands here too.
    shamt   = (a_i[30:23] < 8'd125) ? 5'd25 : 5'(8'd150 - a_i[30:23]);
    int_part = 8'(sig >> shamt);
    guard    = sig[shamt - 5'd1];
    sticky   = (sig & ~({25{1'b1}} << (shamt - 5'd1))) != 25'd0;
    round_up = guard & (sticky | int_part[0]);
    mag      = {1'b0, int_part} + {8'd0, round_up};

    // ---- saturate and apply the sign ----------------------------------------------------
    if (!a_i[31]) begin
      res_o = (too_big || (mag > 9'd127)) ? 8'h7F : mag[7:0];
    end else begin
      res_o = (too_big || (mag > 9'd128)) ? 8'h80 : 8'(-mag);
    end
    if ((a_i[30:23] == numerics_pkg::F32_EXP_MAX) && (a_i[22:0] != 23'd0)) begin
      res_o = 8'd0;                                                // NaN gives 0
    end
  end

endmodule
