/// insn_queue: the in-order instruction queue of one engine (docs/chip.md section 4).
/// Depth entries of the 16 instruction words (an isa_pkg::insn_t) and the instruction index. An
/// entry is pushed at dispatch, *issued* to the engine (iss_take_i) and *retired* when the engine
/// reports its completion (ret_i); it keeps its slot until it retires, so the occupancy is what
/// isa.md section 1 defines. Three pointers: write, issue, retire (retire <= issue <= write).
/// Depth must be a power of two.
`include "systole_assert.svh"

module insn_queue #(
  parameter int Depth = 16
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         clr_i,
  // Dispatch.
  input  logic         push_i,
  input  logic [isa_pkg::INSN_BITS-1:0] push_words_i,
  input  logic [31:0]  push_index_i,
  output logic         full_o,
  output logic         empty_o,      // no entry at all (every instruction retired)
  // Issue point: the oldest entry not yet issued.
  output logic         iss_valid_o,
  output logic [isa_pkg::INSN_BITS-1:0] iss_words_o,
  input  logic         iss_take_i,
  output logic         none_issued_o, // every issued entry has retired (nothing in flight)
  // Retire point: the oldest entry not yet completed, and its header.
  input  logic         ret_i,
  output isa_pkg::hdr_t ret_hdr_o,
  output logic [31:0]  ret_index_o
);

  localparam int AB = (Depth > 1) ? $clog2(Depth) : 1;
  if ((1 << AB) != Depth) begin : gen_depth_check
    $error("insn_queue: Depth must be a power of two");
  end

  // Pointers with one wrap bit.
  logic [AB:0]           wr_q, iss_q, ret_q;
  localparam int IB = isa_pkg::INSN_BITS;
  logic [Depth*IB-1:0]   words_q;
  logic [Depth*32-1:0]   index_q;

  assign full_o      = (wr_q[AB] != ret_q[AB]) && (wr_q[AB-1:0] == ret_q[AB-1:0]);
  assign empty_o     = (wr_q == ret_q);
  assign iss_valid_o = (iss_q != wr_q);
  assign none_issued_o = (iss_q == ret_q);
  assign iss_words_o = words_q[iss_q[AB-1:0]*IB +: IB];
  assign ret_index_o = index_q[ret_q[AB-1:0]*32 +: 32];

  // The entry at the retire point, seen as an instruction: only its header leaves.
  isa_pkg::insn_t ret_insn;
  logic           unused_ret;
  assign ret_insn  = words_q[ret_q[AB-1:0]*IB +: IB];
  assign ret_hdr_o = ret_insn.head.hdr;
  assign unused_ret = ^{ret_insn.args, ret_insn.head.wait_value};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_q  <= '0;
      iss_q <= '0;
      ret_q <= '0;
    end else if (clr_i) begin
      wr_q  <= '0;
      iss_q <= '0;
      ret_q <= '0;
    end else begin
      if (push_i) wr_q <= wr_q + (AB + 1)'(1);
      if (iss_take_i && iss_valid_o) iss_q <= iss_q + (AB + 1)'(1);
      if (ret_i) ret_q <= ret_q + (AB + 1)'(1);
    end
  end

  always_ff @(posedge clk_i) begin
    if (push_i) begin
      words_q[wr_q[AB-1:0]*IB +: IB] <= push_words_i;
      index_q[wr_q[AB-1:0]*32 +: 32] <= push_index_i;
    end
  end

  // ---- assertions ---------------------------------------------------------------------------
  `ASSERT(no_push_when_full, push_i |-> !full_o)
  // The sequencer takes the issue point only when there is one (eng_valid and the NOP path
  // both include iss_valid_o).
  `ASSERT(no_issue_when_empty, iss_take_i |-> iss_valid_o)
  // An entry retires after it was issued, or in the same cycle (a NOP the sequencer runs itself).
  `ASSERT(retire_only_issued, ret_i |-> (ret_q != iss_q) || (iss_take_i && iss_valid_o))

endmodule
