/// sbuf: the state buffer, Partitions memories of SbufBytes bytes (docs/chip.md section 3).
///   port A: read only, one 64-bit word address for every partition at once (the tensor
///           engine's stationary and moving readers); a_rdata_o holds the words the cycle after
///           a_en_i.
///   port B: per partition, one read or one byte-enabled write of one RowBytes-byte row per
///           cycle (the DMA queues through mem_xbar; docs/dma.md section 4); b_rdata_o holds
///           partition p's row the cycle after a read.
/// A partition is RowBytes / 8 banks of 64-bit words, word w in bank w mod (RowBytes / 8): port A
/// reads one bank, port B all banks at one index, and each bank has both ports, so the ports
/// never block each other (true dual-port block RAMs on FPGA). A read and a write of the same
/// word in one cycle return the old word on port A.
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

  localparam int NB       = RowBytes / 8;             // banks per partition
  localparam int BankSel  = (NB > 1) ? $clog2(NB) : 1;
  localparam int BankWords = SbufBytes / RowBytes;    // words per bank = rows

  // Port A: the bank of the word read, for the output mux a cycle later.
  logic [RowAddrBits-1:0] a_idx;
  logic [BankSel-1:0]     a_bank, a_bank_q;
  assign a_idx  = a_addr_i[WordAddrBits-1 -: RowAddrBits];
  assign a_bank = (NB > 1) ? a_addr_i[BankSel-1:0] : '0;
  always_ff @(posedge clk_i) begin
    if (a_en_i) a_bank_q <= a_bank;
  end

  for (genvar p = 0; p < Partitions; p++) begin : gen_part
    logic [RowAddrBits-1:0] b_addr;
    logic [NB*64-1:0]       a_words;
    assign b_addr = b_addr_i[p*RowAddrBits +: RowAddrBits];

    for (genvar k = 0; k < NB; k++) begin : gen_bank
      logic [63:0] mem [BankWords];
      logic [63:0] b_wdata;
      logic [7:0]  b_be;
      assign b_wdata = b_wdata_i[(p*RowBytes + 8*k)*8 +: 64];
      assign b_be    = b_be_i[p*RowBytes + 8*k +: 8];
      always_ff @(posedge clk_i) begin
        if (a_en_i && a_bank == BankSel'(k)) a_words[k*64 +: 64] <= mem[a_idx];
        if (b_en_i[p] && !b_we_i[p]) b_rdata_o[(p*RowBytes + 8*k)*8 +: 64] <= mem[b_addr];
        if (b_en_i[p] && b_we_i[p]) begin
          for (int i = 0; i < 8; i++) begin
            if (b_be[i]) mem[b_addr][i*8 +: 8] <= b_wdata[i*8 +: 8];
          end
        end
      end
    end
    assign a_rdata_o[p*64 +: 64] = a_words[32'(a_bank_q)*64 +: 64];
  end

endmodule
