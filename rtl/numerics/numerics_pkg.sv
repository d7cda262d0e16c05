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

  // Leading-zero count of a 32-bit vector as a five-step binary search. Each step is one
  // compare and one shift, which Verilator turns into a handful of 32-bit C operations; a
  // priority `for` loop or a casez table over the same bits is several times slower and
  // larger. The first steps become C++ branches, but they are only taken on deep
  // cancellation (rare, so well predicted); the last one, taken about half the time after a
  // subtraction, is a plain assignment. Returns 31 for x == 0: callers test for zero
  // separately (they always have to).
  function automatic logic [4:0] lzc32(logic [31:0] x);
    logic [31:0] v;
    logic [4:0]  n;
    v = x;
    n = 5'd0;
    if (v[31:16] == 16'd0) begin n[4] = 1'b1; v = {v[15:0], 16'd0}; end
    if (v[31:24] == 8'd0)  begin n[3] = 1'b1; v = {v[23:0], 8'd0};  end
    if (v[31:28] == 4'd0)  begin n[2] = 1'b1; v = {v[27:0], 4'd0};  end
    if (v[31:30] == 2'd0)  begin n[1] = 1'b1; v = {v[29:0], 2'd0};  end
    n[0] = !v[31];
    lzc32 = n;
  endfunction

  // Leading-zero count of an 8-bit vector (same scheme, three steps). Returns 7 for x == 0.
  function automatic logic [2:0] lzc8(logic [7:0] x);
    logic [7:0] v;
    logic [2:0] n;
    v = x;
    n = 3'd0;
    if (v[7:4] == 4'd0) begin n[2] = 1'b1; v = {v[3:0], 4'd0}; end
    if (v[7:6] == 2'd0) begin n[1] = 1'b1; v = {v[5:0], 2'd0}; end
    n[0] = !v[7];
    lzc8 = n;
  endfunction

endpackage
