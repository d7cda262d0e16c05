/// pattern_range: the PATTERN_OUT_OF_RANGE check of one access pattern (isa.md section 6 step 5,
/// golden validate.cpp tap_pattern / dap_pattern), given the extent (n_d - 1) * s_d of each of
/// its dims from decode_check's shared multipliers.
///   - every count >= 1 (and a TAP's pcount);
///   - the byte offset a multiple of the element size;
///   - partitions: a TAP's lanes pstart .. pstart+pcount-1, or an on-chip DAP's
///     pstart + [min(0, ext_pdim), max(0, ext_pdim)], inside [0, Partitions);
///   - bytes: base + [sum min(0, ext_d) * size, (sum max(0, ext_d) + 1) * size - 1] over the free
///     dims (a TAP's dims 0..2, an on-chip DAP's dims other than pdim, every dim of a DRAM DAP)
///     inside the partition (SbufBytes / PsumBytes) or, for DRAM, inside [0, 2^32).
/// The DRAM byte range is also returned for the protection check. Combinational.
module pattern_range #(
  parameter int Partitions = 16,
  parameter int SbufBytes  = 65536,
  parameter int PsumBytes  = 8192
) (
  // The pattern, and ext of dim d at [MUL_P*d +: MUL_P] (two's complement). For a TAP the
  // slot of dim 3 holds another product and is ignored.
  input  seq_pkg::pat_t                   pat_i,
  input  logic [4*seq_pkg::MUL_P-1:0]     ext_i,
  // Result: out of range; a DRAM pattern, and its byte range (meaningful when !bad_o).
  output logic                            bad_o,
  output logic                            dram_o,
  output logic [31:0]                     lo_o,
  output logic [31:0]                     hi_o
);

  localparam int EP = seq_pkg::MUL_P;
  // An extent outside the X-bit signed range puts the pattern out of range whatever the other
  // dims and the base are (|ext| >= 2^33 elements: past 2^32 bytes upwards, or below byte 0
  // downwards since base < 2^32), so only X bits of each take part in the sums. W holds a sum
  // of four of them times 4 bytes plus a 32-bit base. A partition extent outside the PW-bit
  // signed range leaves [0, Partitions) (Partitions <= 256, pstart <= 255).
  localparam int X  = 34;
  localparam int W  = 40;
  localparam int PW = 12;
  localparam logic [W-1:0]  SBUF_LIMIT = W'(SbufBytes);
  localparam logic [W-1:0]  PSUM_LIMIT = W'(PsumBytes);
  localparam logic [W-1:0]  DRAM_LIMIT = W'(64'h1_0000_0000);
  localparam logic [PW:0]   PARTS      = (PW + 1)'(Partitions);

  logic [3:0]     free;          // dims that walk bytes
  logic [3:0]     neg, wide;     // extent < 0; extent outside X bits
  logic [4*W-1:0] ext_lo, ext_hi;  // sign-extended extent of dim d at [W*d +: W], or 0
  logic [W-1:0]   elo, ehi;      // lowest / highest element offset
  logic [W-1:0]   lo, hi;        // byte range, two's complement
  logic [W-1:0]   limit;
  logic [EP-1:0]  ep;            // on-chip DAP: partition extent
  logic [PW:0]    psum;          // pstart + ep
  logic [1:0]     sh;
  logic           cnt_bad, align_bad, part_bad, byte_bad;

  always_comb begin
    dram_o  = !pat_i.is_tap && (pat_i.space == isa_pkg::SP_DRAM);
    cnt_bad = pat_i.is_tap && (pat_i.pcount == 8'd0);
    for (int d = 0; d < 4; d++) begin
      free[d] = pat_i.is_tap ? (d != 3) : (dram_o || (2'(d) != pat_i.pdim));
      neg[d]  = ext_i[EP*d + EP - 1];
      wide[d] = ext_i[EP*d + X - 1 +: EP - X + 1] != {(EP - X + 1){neg[d]}};
      ext_lo[W*d +: W] = (free[d] && neg[d])  ? {{(W - X){neg[d]}}, ext_i[EP*d +: X]} : '0;
      ext_hi[W*d +: W] = (free[d] && !neg[d]) ? {{(W - X){1'b0}}, ext_i[EP*d +: X]} : '0;
      if (pat_i.cnt[16*d +: 16] == 16'd0) cnt_bad = 1'b1;
    end
    elo = (ext_lo[0 +: W] + ext_lo[W +: W]) + (ext_lo[2*W +: W] + ext_lo[3*W +: W]);
    ehi = (ext_hi[0 +: W] + ext_hi[W +: W]) + (ext_hi[2*W +: W] + ext_hi[3*W +: W]);

    sh        = isa_pkg::dtype_size_lg(pat_i.dtype);
    align_bad = (sh == 2'd1) ? pat_i.base[0] : (sh == 2'd2) ? (pat_i.base[1:0] != 2'd0) : 1'b0;

    lo = {8'd0, pat_i.base} + (elo << sh);
    hi = {8'd0, pat_i.base} + ((ehi + W'(1)) << sh) - W'(1);
    unique case (pat_i.space)
      isa_pkg::SP_PSUM: limit = PSUM_LIMIT;
      isa_pkg::SP_DRAM: limit = DRAM_LIMIT;
      default:          limit = SBUF_LIMIT;
    endcase
    // hi >= 0 (base >= 0, ehi >= 0), so an unsigned compare is exact.
    byte_bad = ((free & wide) != 4'd0) || lo[W-1] || (hi >= limit);

    // The partitions visited: a TAP's pstart .. pstart + pcount - 1, an on-chip DAP's
    // pstart + [min(0, ep), max(0, ep)].
    ep   = ext_i[EP*pat_i.pdim +: EP];
    psum = {5'd0, pat_i.pstart} + {ep[PW-1], ep[PW-1:0]};
    if (pat_i.is_tap) begin
      part_bad = ({5'd0, pat_i.pstart} + {5'd0, pat_i.pcount}) > PARTS;
    end else if (dram_o) begin
      part_bad = 1'b0;
    end else begin
      part_bad = (ep[EP-1:PW-1] != {(EP - PW + 1){ep[EP-1]}})
              || (ep[EP-1] ? psum[PW] : (psum >= PARTS)) || ({5'd0, pat_i.pstart} >= PARTS);
    end

    bad_o = cnt_bad || align_bad || part_bad || byte_bad;
    lo_o  = lo[31:0];
    hi_o  = hi[31:0];
  end

endmodule
