/// vec_table_load: TABLE_LOAD's checks and the activation tables' headers (docs/vector_engine.md
/// section 6). Takes the instruction's words one by one (beat_i, w_i: raw bits, in TAP order),
/// checks them as the golden model's act::Table::from_words does and writes each segment's
/// coefficient row {c3, c2, c1, c0} to the lanes' RAMs (tw_*) as its fourth word arrives. Every
/// check is decided by word 7 (the TAP's size, taken at start_i, against 8 + 4 nseg and the
/// header's reserved bits and nseg at word 0; the reserved word 7), so a row is written only
/// for a table that loads and a bad one leaves the slot's old table intact; the header (words
/// 0..6) and the slot's valid bit are set with the last word (end_o). bad_o: TABLE_ERROR at
/// this word (the engine stops). clr_i (soft reset) invalidates every slot.
/// Latency: combinational from a word to bad_o / end_o / tw_*; the header is registered.
module vec_table_load #(
  parameter int TW = vec_act_pkg::TH_W
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          clr_i,
  input  logic          start_i,     // a TABLE_LOAD starts: its slot and TAP counts are valid
  input  logic [1:0]    slot_i,
  input  logic [11:0]   n0_i,
  input  logic [11:0]   n1_i,
  input  logic [11:0]   n2_i,
  input  logic          beat_i,      // a word of the running TABLE_LOAD
  input  logic [31:0]   w_i,
  output logic          bad_o,
  output logic          end_o,
  output logic          tw_en_o,
  output logic [7:0]    tw_addr_o,   // {slot, segment}
  output logic [127:0]  tw_data_o,
  output logic [4*TW-1:0] th_o,      // slot s's header at [s*TW +: TW]
  output logic [3:0]    valid_o
);

  logic [8:0]    j_q, size_q;  // the word's index; the TAP's size (511: larger than any table)
  logic [TW-1:0] th_q;         // the header being loaded
  logic [95:0]   row_q;        // c0..c2 of the segment being loaded
  logic [7:0]    c;            // j_q - 8: the coefficient's index
  logic [8:0]    n0, n1, n2;   // the counts, 511 for any above 264 (the most words)
  logic [17:0]   p01, prod;

  assign n0   = (n0_i > 12'd264) ? 9'd511 : n0_i[8:0];
  assign n1   = (n1_i > 12'd264) ? 9'd511 : n1_i[8:0];
  assign n2   = (n2_i > 12'd264) ? 9'd511 : n2_i[8:0];
  assign p01  = {9'd0, n0} * {9'd0, n1};
  assign prod = ((p01 > 18'd511) ? 18'd511 : p01) * {9'd0, n2};

  assign c         = 8'(j_q - 9'd8);
  assign bad_o     = beat_i && ((j_q == 9'd0 && (w_i[31:16] != 16'd0 || w_i[7:0] == 8'd0 || w_i[7:0] > 8'd64 ||
                                                 size_q != 9'd8 + {w_i[6:0], 2'b00})) ||
                                (j_q == 9'd7 && w_i != 32'd0));
  assign end_o     = beat_i && !bad_o && j_q == size_q - 9'd1;
  assign tw_en_o   = beat_i && j_q >= 9'd8 && c[1:0] == 2'd3;
  assign tw_addr_o = {slot_i, c[7:2]};
  assign tw_data_o = {w_i, row_q};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_o <= '0;
    else if (clr_i) valid_o <= '0;
    else if (end_o) valid_o[slot_i] <= 1'b1;
  end

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      j_q    <= '0;
      size_q <= (prod > 18'd511) ? 9'd511 : prod[8:0];
    end else if (beat_i) begin
      j_q <= j_q + 9'd1;
    end
    if (beat_i && j_q <= 9'd6) th_q[(j_q == 9'd0 ? 0 : 16 + 32 * (32'(j_q) - 1)) +: 32] <= w_i;
    if (beat_i && j_q >= 9'd8 && c[1:0] != 2'd3) row_q[32 * 32'(c[1:0]) +: 32] <= w_i;
    if (end_o) th_o[32'(slot_i) * TW +: TW] <= th_q;
  end

endmodule
