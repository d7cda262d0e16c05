/// sbuf: the state buffer, Partitions memories of SbufBytes / 8 words of 8 bytes
/// (docs/chip.md section 3).
///   port A: read only, one word address for every partition at once (the tensor engine's
///           stationary and moving readers); a_rdata_o holds the words the cycle after a_en_i.
///   port B: per partition, one read or one byte-enabled write per cycle (the DMA queues
///           through mem_xbar); b_rdata_o holds partition p's word the cycle after a read.
/// The ports never block each other (a true dual-port block RAM per partition on FPGA). A read
/// and a write of the same word in one cycle return the old word on port A.
module sbuf #(
  parameter int Partitions = 16,
  parameter int SbufBytes  = 65536,
  parameter int WordAddrBits = $clog2(SbufBytes / 8)
) (
  input  logic                           clk_i,
  // Port A: the tensor engine.
  input  logic                           a_en_i,
  input  logic [WordAddrBits-1:0]        a_addr_i,
  output logic [Partitions*64-1:0]       a_rdata_o,
  // Port B: one access per partition.
  input  logic [Partitions-1:0]          b_en_i,
  input  logic [Partitions-1:0]          b_we_i,
  input  logic [Partitions*WordAddrBits-1:0] b_addr_i,
  input  logic [Partitions*8-1:0]        b_be_i,
  input  logic [Partitions*64-1:0]       b_wdata_i,
  output logic [Partitions*64-1:0]       b_rdata_o
);

  localparam int Words = SbufBytes / 8;

  for (genvar p = 0; p < Partitions; p++) begin : gen_part
    logic [63:0]             mem [Words];
    logic [WordAddrBits-1:0] b_addr;
    logic [63:0]             b_wdata;
    logic [7:0]              b_be;
    assign b_addr  = b_addr_i[p*WordAddrBits +: WordAddrBits];
    assign b_wdata = b_wdata_i[p*64 +: 64];
    assign b_be    = b_be_i[p*8 +: 8];

    always_ff @(posedge clk_i) begin
      if (a_en_i) a_rdata_o[p*64 +: 64] <= mem[a_addr_i];
      if (b_en_i[p] && !b_we_i[p]) b_rdata_o[p*64 +: 64] <= mem[b_addr];
      if (b_en_i[p] && b_we_i[p]) begin
        for (int i = 0; i < 8; i++) begin
          if (b_be[i]) mem[b_addr][i*8 +: 8] <= b_wdata[i*8 +: 8];
        end
      end
    end
  end

endmodule
