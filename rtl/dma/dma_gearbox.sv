/// dma_gearbox: joins the source side's chunk stream to the destination side's chunks (docs/dma.md
/// section 3). A window of 2 * RowBytes bytes: a source chunk (bytes [0, in_bytes_i) of
/// in_data_i, at most RowBytes) is appended behind the bytes held; the destination sees the
/// first RowBytes bytes held (out_data_o) and how many are held (held_o), and takes take_i of
/// them from the front in a cycle (take_i <= held_o, <= RowBytes; 0 = none). A chunk is accepted
/// whenever the bytes left after this cycle's take leave room for a whole row, so a destination
/// access that straddles two source chunks still moves a row per cycle.
/// The bytes of the window above those held are kept zero (the append is an OR).
`include "systole_assert.svh"

module dma_gearbox #(
  parameter int RowBytes = 32,
  parameter int CntBits  = $clog2(RowBytes) + 1  // 0 .. RowBytes
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,
  input  logic                    clr_i,
  // Source chunks.
  input  logic                    in_valid_i,
  output logic                    in_ready_o,
  input  logic [RowBytes*8-1:0]   in_data_i,
  input  logic [CntBits-1:0]      in_bytes_i,
  // Destination.
  output logic [CntBits:0]        held_o,      // 0 .. 2 * RowBytes
  output logic [RowBytes*8-1:0]   out_data_o,
  input  logic [CntBits-1:0]      take_i
);

  localparam int RB = RowBytes;
  localparam int WW = 2 * RowBytes * 8;
  localparam int HB = CntBits + 1;  // held-byte counts, 0 .. 2 * RowBytes

  logic [WW-1:0]    win_q;
  logic [HB-1:0]    cnt_q, left;
  logic [RB*8-1:0]  in_clean;
  logic             push;

  // The input's bytes beyond its count cleared (only when one is offered).
  always_comb begin
    in_clean = '0;
    if (in_valid_i) begin
      for (int b = 0; b < RB; b++) begin
        if (CntBits'(b) < in_bytes_i) in_clean[8*b +: 8] = in_data_i[8*b +: 8];
      end
    end
  end

  assign left       = cnt_q - HB'(take_i);
  assign in_ready_o = !clr_i && (left <= HB'(RB));
  assign push       = in_valid_i && in_ready_o;
  assign held_o     = cnt_q;
  assign out_data_o = win_q[RB*8-1:0];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else if (clr_i) begin
      cnt_q <= '0;
    end else if (push || take_i != '0) begin
      cnt_q <= left + (push ? HB'(in_bytes_i) : '0);
    end
  end
  // The window has no reset: when nothing is left after this cycle's take it restarts from
  // zero, which makes the bytes above those held zero from the first chunk on (and after a
  // clear). The shifts only in the cycles something moves: they are the widest logic of a
  // queue. (A reset here would make Verilator copy the 2-row window in and out every cycle.)
  always_ff @(posedge clk_i) begin
    if (push || take_i != '0) begin
      win_q <= (left == '0 ? '0 : win_q >> {take_i, 3'b000}) | (push ? WW'(in_clean) << {left, 3'b000} : '0);
    end
  end

  `ASSERT(take_held, HB'(take_i) <= cnt_q)
  `ASSERT(take_row, take_i <= CntBits'(RB))
  `ASSERT(in_row, in_valid_i |-> in_bytes_i <= CntBits'(RB) && in_bytes_i != '0)

endmodule
