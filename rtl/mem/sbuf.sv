/// sbuf: the state buffer, Partitions memories of SbufBytes bytes (docs/chip.md section 3).
///   port A: read only, one 64-bit word address for every partition at once (the tensor
///           engine's stationary and moving readers); a_rdata_o holds the words the cycle after
///           a_en_i.
///   port B: per partition, one read or one byte-enabled write of one RowBytes-byte row per
///           cycle (the DMA queues through mem_xbar; docs/dma.md section 4); b_rdata_o holds
///           partition p's row the cycle after a read.
/// A partition is one memory of RowBytes-byte rows with byte enables: port B accesses a row,
/// port A reads the row holding its word and keeps that word; each memory has both ports, so
/// they never block each other (a true dual-port block RAM per partition on FPGA). A read and a
/// write of the same word in one cycle return the old word on port A.
module sbuf #(
  parameter int Partitions   = 16,
  parameter int SbufBytes    = 65536,
  parameter int RowBytes     = 8,
  parameter int WordAddrBits = $clog2(SbufBytes / 8),
  parameter int RowAddrBits  = $clog2(SbufBytes / RowBytes)
) (
  input  logic                               clk_i,
  // Port A: the tensor engine.
  input  logic                               a_en_i,
  input  logic [WordAddrBits-1:0]            a_addr_i,
  output logic [Partitions*64-1:0]           a_rdata_o,
  // Port B: one row access per partition.
  input  logic [Partitions-1:0]              b_en_i,
  input  logic [Partitions-1:0]              b_we_i,
  input  logic [Partitions*RowAddrBits-1:0]  b_addr_i,
  input  logic [Partitions*RowBytes-1:0]     b_be_i,
  input  logic [Partitions*RowBytes*8-1:0]   b_wdata_i,
  output logic [Partitions*RowBytes*8-1:0]   b_rdata_o
);

  localparam int NB      = RowBytes / 8;               // 64-bit words per row
  localparam int WordSel = (NB > 1) ? $clog2(NB) : 1;
  localparam int Rows    = SbufBytes / RowBytes;

  // Port A: the row of the word read, and the word's place in it for the output mux.
  logic [RowAddrBits-1:0] a_row;
  logic [WordSel-1:0]     a_sel, a_sel_q;
  assign a_row = a_addr_i[WordAddrBits-1 -: RowAddrBits];
  assign a_sel = (NB > 1) ? a_addr_i[WordSel-1:0] : '0;
  always_ff @(posedge clk_i) begin
    if (a_en_i) a_sel_q <= a_sel;
  end

  // Port B's read rows: partition p's read register is its slice of this one vector (a
  // concatenation of per-partition registers is built anew by Verilator every cycle; a slice
  // written under its enable costs nothing in the cycles nobody reads).
  logic [Partitions*RowBytes*8-1:0] b_rows_q;
  assign b_rdata_o = b_rows_q;

  for (genvar p = 0; p < Partitions; p++) begin : gen_part
    logic [RowBytes*8-1:0]  mem [Rows];
    logic [RowBytes*8-1:0]  a_row_q, b_wdata;
    logic [RowBytes-1:0]    b_be;
    logic [RowAddrBits-1:0] b_addr;
    assign b_addr  = b_addr_i[p*RowAddrBits +: RowAddrBits];
    assign b_wdata = b_wdata_i[p*RowBytes*8 +: RowBytes*8];
    assign b_be    = b_be_i[p*RowBytes +: RowBytes];

    always_ff @(posedge clk_i) begin
      if (a_en_i) a_row_q <= mem[a_row];
      if (b_en_i[p] && !b_we_i[p]) b_rows_q[p*RowBytes*8 +: RowBytes*8] <= mem[b_addr];
      if (b_en_i[p] && b_we_i[p]) begin
        for (int i = 0; i < RowBytes; i++) begin
          if (b_be[i]) mem[b_addr][i*8 +: 8] <= b_wdata[i*8 +: 8];
        end
      end
    end
    assign a_rdata_o[p*64 +: 64] = a_row_q[32'(a_sel_q)*64 +: 64];
  end

endmodule
