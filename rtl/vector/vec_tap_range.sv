/// vec_tap_range: the partitions and bytes a TAP touches (docs/vector_engine.md section 5a),
/// for the vector engine's read-after-write check between overlapping instructions: lanes
/// pstart .. pstart + pcount - 1 and, in each, the bytes
///   offset + [sum min(0, (n_d - 1) * s_d), sum max(0, (n_d - 1) * s_d) + 1] * size - 1
/// over dims 0..2, as decode_check's pattern_range computes them (isa.md section 6 step 5).
/// The TAP has passed that check, so the range lies inside the partition (OffBits bits).
/// A CAP is a TAP of one element (n = 1, strides 0). Combinational.
module vec_tap_range #(
  parameter int OffBits = 18
) (
  input  logic [3:0]         dtype_i,
  input  logic [17:0]        offset_i,
  input  logic [7:0]         pstart_i,
  input  logic [7:0]         pcount_i,
  input  logic [3*12-1:0]    n_i,      // n0, n1, n2 at [12*d +: 12]
  input  logic [3*16-1:0]    s_i,      // s0, s1, s2 (elements, signed) at [16*d +: 16]
  output logic [7:0]         plo_o,    // partitions plo .. phi
  output logic [7:0]         phi_o,
  output logic [OffBits-1:0] lo_o,     // bytes lo .. hi of each
  output logic [OffBits-1:0] hi_o
);

  logic [31:0] elo, ehi;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [31:0] lo, hi;  // a checked TAP's range lies in [0, 2^OffBits): the high bits are 0
  /* verilator lint_on UNUSEDSIGNAL */
  always_comb begin
    elo = '0;
    ehi = '0;
    for (int d = 0; d < 3; d++) begin
      logic [31:0] ext;
      ext = $signed({20'd0, n_i[12*d +: 12]} - 32'd1) * $signed({{16{s_i[16*d + 15]}}, s_i[16*d +: 16]});
      if (ext[31]) elo = elo + ext;
      else ehi = ehi + ext;
    end
    lo = 32'(offset_i) + (elo << isa_pkg::dtype_size_lg(dtype_i));
    hi = 32'(offset_i) + ((ehi + 32'd1) << isa_pkg::dtype_size_lg(dtype_i)) - 32'd1;
  end
  assign plo_o = pstart_i;
  assign phi_o = pstart_i + pcount_i - 8'd1;
  assign lo_o  = lo[OffBits-1:0];
  assign hi_o  = hi[OffBits-1:0];

endmodule
