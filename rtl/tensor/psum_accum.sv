/// psum_accum: PSUM model for the tensor engine's output port (docs/tensor_engine.md).
/// Columns lanes x PsumBytes/4 32-bit words (lane m = output partition m). Each accepted beat
/// writes the lanes in its mask at its address: `acc ? old + colsum : colsum`, with the int32
/// wrap add or fp32_add(old, colsum) (docs/isa.md MATMUL).
/// Pipeline: stage 1 registers the beat and reads the old words; stage 2 adds and writes. A
/// stage-2 write to the address stage 1 is reading is forwarded, so back-to-back beats to one
/// address accumulate correctly. Throughput one beat per cycle; in_ready_o = !hold_i (another
/// PSUM client owns the port), never a function of in_valid_i.
/// wr_* shows the write happening this cycle; dbg_* reads one word (test benches).
`include "systole_assert.svh"

module psum_accum #(
  parameter int Columns    = 16,
  parameter int PsumBytes  = 8192,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int AddrBits   = $clog2(PsumBytes / 4),
  parameter int LaneSelBits = (Columns > 1) ? $clog2(Columns) : 1
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  // Beats from tensor_engine's psum port.
  input  logic                      in_valid_i,
  output logic                      in_ready_o,
  input  logic [Columns*32-1:0]     in_data_i,
  input  logic [AddrBits-1:0]       in_addr_i,
  input  logic [Columns-1:0]        in_mask_i,
  input  logic                      in_acc_i,
  input  logic                      in_fp_i,
  // Back-pressure source: while high no beat is accepted.
  input  logic                      hold_i,
  // The write of this cycle.
  output logic                      wr_valid_o,
  output logic [AddrBits-1:0]       wr_addr_o,
  output logic [Columns-1:0]        wr_mask_o,
  output logic [Columns*32-1:0]     wr_data_o,
  // Debug read: word dbg_addr_i of lane dbg_lane_i.
  input  logic [AddrBits-1:0]       dbg_addr_i,
  input  logic [LaneSelBits-1:0]    dbg_lane_i,
  output logic [31:0]               dbg_data_o
);

  localparam int C     = Columns;
  localparam int WORDS = PsumBytes / 4;

  logic                in_fire;
  logic                s1_valid_q;
  logic [AddrBits-1:0] s1_addr_q;
  logic [C-1:0]        s1_mask_q;
  logic                s1_acc_q, s1_fp_q;
  logic [C*32-1:0]     s1_data_q, s1_old_q, s1_old_d, sum, dbg_words;
  logic                fwd;

  assign in_ready_o = !hold_i;
  assign in_fire    = in_valid_i && in_ready_o;
  assign fwd        = s1_valid_q && (s1_addr_q == in_addr_i);

  for (genvar m = 0; m < C; m++) begin : gen_lane
    logic [31:0] mem [WORDS];
    logic [31:0] old, colsum, int_sum, fp_sum;
    assign old    = s1_old_q[m*32 +: 32];
    assign colsum = s1_data_q[m*32 +: 32];
    assign int_sum = old + colsum;
    if ((EnableBf16 != 0) || (EnableFp8 != 0)) begin : gen_fp
      fp32_add u_add (
        .a_i  (old),
        .b_i  (colsum),
        .sum_o(fp_sum)
      );
    end else begin : gen_no_fp
      assign fp_sum = int_sum;
    end
    always_comb begin
      sum[m*32 +: 32] = colsum;
      if (s1_acc_q) sum[m*32 +: 32] = s1_fp_q ? fp_sum : int_sum;
      // Read the old word, or take it from the write stage 2 makes in this cycle.
      s1_old_d[m*32 +: 32] = mem[in_addr_i];
      if (fwd && s1_mask_q[m]) s1_old_d[m*32 +: 32] = sum[m*32 +: 32];
    end
    always_ff @(posedge clk_i) begin
      if (s1_valid_q && s1_mask_q[m]) mem[s1_addr_q] <= sum[m*32 +: 32];
    end
    assign dbg_words[m*32 +: 32] = mem[dbg_addr_i];
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s1_valid_q <= 1'b0;
    else         s1_valid_q <= in_fire;
  end

  always_ff @(posedge clk_i) begin
    if (in_fire) begin
      s1_addr_q <= in_addr_i;
      s1_mask_q <= in_mask_i;
      s1_acc_q  <= in_acc_i;
      s1_fp_q   <= in_fp_i;
      s1_data_q <= in_data_i;
      s1_old_q  <= s1_old_d;
    end
  end

  assign wr_valid_o = s1_valid_q;
  assign wr_addr_o  = s1_addr_q;
  assign wr_mask_o  = s1_mask_q;
  assign wr_data_o  = sum;
  assign dbg_data_o = dbg_words[32'(dbg_lane_i)*32 +: 32];

  `ASSERT_KNOWN(in_valid_known, in_valid_i)
  `ASSERT(in_addr_range, in_valid_i |-> 32'(in_addr_i) < WORDS)

endmodule
