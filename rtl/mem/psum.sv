/// psum: the partial-sum buffer, Partitions x PsumBytes/4 32-bit words, each partition split
/// into banks of BankWords words with one read and one write port each (docs/chip.md section 3).
///   Tensor-engine port: the tensor engine's output beats, already mapped to partitions (lane p =
///     partition p, mask = partitions written). Never back-pressured. Stage 1 (the accept
///     cycle) reads the old words when accumulating; stage 2 (the next cycle) writes
///     `acc ? old + colsum : colsum` (int32 wrap or fp32_add, docs/isa.md MATMUL). A stage-2
///     write to the address stage 1 reads is forwarded, so back-to-back beats to one address
///     accumulate correctly. te_wr_o is high in every cycle a tensor-engine beat is written.
///   DMA port: per partition, one read or one write of one RowBytes-byte row (RowBytes / 4
///     words; docs/dma.md section 4) per cycle; writes take whole words (the byte enable of a
///     word's first byte). d_rdata_o holds every bank's last read row (bank b of partition p at
///     [(p*Banks + b)*RowBytes*8 +: RowBytes*8]): the row a DMA read asked for is in its bank's
///     place the cycle after (the reader picks the bank from its row address). Each bank is a
///     memory of rows (word w in lane w mod RowBytes / 4 of row w / (RowBytes / 4) of its bank)
///     with word write enables: the tensor engine reads a row and writes one word of it (each
///     write is written as the whole row, the other words fed back from the memory: yosys makes
///     word enables of it). The tensor engine owns a bank's port in the cycles it uses it:
///     busy_rd_o / busy_wr_o name, per bank, the ports the DMA must leave alone this cycle (read:
///     a stage-1 accumulate read; write: a stage-2 write, in any partition); the DMA's crossbar
///     grants only accesses to free ports.
`include "systole_assert.svh"

module psum #(
  parameter int Partitions = 16,
  parameter int PsumBytes  = 8192,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int RowBytes   = 8,
  parameter int AddrBits   = $clog2(PsumBytes / 4),
  parameter int RowAddrBits = $clog2(PsumBytes / RowBytes),
  parameter int Banks      = mem_pkg::psum_banks(PsumBytes)
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  // Tensor-engine accumulate port.
  input  logic                           te_valid_i,
  input  logic [Partitions*32-1:0]       te_data_i,
  input  logic [AddrBits-1:0]            te_addr_i,
  input  logic [Partitions-1:0]          te_mask_i,
  input  logic                           te_acc_i,
  input  logic                           te_fp_i,
  output logic                           te_wr_o,
  // DMA port, one row access per partition.
  input  logic [Partitions-1:0]             d_en_i,
  input  logic [Partitions-1:0]             d_we_i,
  input  logic [Partitions*RowAddrBits-1:0] d_addr_i,
  input  logic [Partitions*RowBytes-1:0]    d_be_i,
  input  logic [Partitions*RowBytes*8-1:0]  d_wdata_i,
  output logic [Partitions*Banks*RowBytes*8-1:0] d_rdata_o,
  output logic [Banks-1:0]                  busy_rd_o,
  output logic [Banks-1:0]                  busy_wr_o
);

  localparam int P         = Partitions;
  localparam int Words     = PsumBytes / 4;
  localparam int BankWords = Words / Banks;
  localparam int BankBits  = (Banks > 1) ? $clog2(Banks) : 1;
  localparam int WordBits  = $clog2(BankWords);
  localparam int NL        = RowBytes / 4;              // word lanes of a bank
  localparam int LaneBits  = (NL > 1) ? $clog2(NL) : 1;
  localparam int LaneLg    = $clog2(NL);
  localparam int IdxBits   = WordBits - LaneLg;         // a lane's word index
  localparam int LaneWords = BankWords / NL;
  localparam bit HasFp     = (EnableBf16 != 0) || (EnableFp8 != 0);

  function automatic logic [BankBits-1:0] bank_of(logic [AddrBits-1:0] a);
    logic [BankBits-1:0] b;
    b = '0;
    if (Banks > 1) b = BankBits'(a >> WordBits);
    bank_of = b;
  endfunction
  function automatic logic [BankBits-1:0] row_bank(logic [RowAddrBits-1:0] r);
    logic [BankBits-1:0] b;
    b = '0;
    if (Banks > 1) b = BankBits'(r >> IdxBits);
    row_bank = b;
  endfunction

  // ---- tensor-engine pipeline (shared by all partitions) ------------------------------------
  logic                s1_valid_q, s1_acc_q, s1_fp_q;
  logic [AddrBits-1:0] s1_addr_q;
  logic [P-1:0]        s1_mask_q;
  logic [P*32-1:0]     s1_data_q;
  logic                te_read;

  assign te_read  = te_valid_i && te_acc_i;
  assign te_wr_o  = s1_valid_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s1_valid_q <= 1'b0;
    else         s1_valid_q <= te_valid_i;
  end
  always_ff @(posedge clk_i) begin
    if (te_valid_i) begin
      s1_addr_q <= te_addr_i;
      s1_mask_q <= te_mask_i;
      s1_acc_q  <= te_acc_i;
      s1_fp_q   <= te_fp_i;
      s1_data_q <= te_data_i;
    end
  end

  // The row (in its bank) and word lane of the tensor engine's stage-1 read and stage-2 write.
  logic [LaneBits-1:0] s1_lane;
  logic [IdxBits-1:0]  te_idx, s1_idx;
  assign s1_lane = (NL > 1) ? s1_addr_q[LaneBits-1:0] : '0;
  assign te_idx  = te_addr_i[WordBits-1 -: IdxBits];
  assign s1_idx  = s1_addr_q[WordBits-1 -: IdxBits];

  // The tensor engine's ports this cycle, per bank (in any partition: the DMA keeps off).
  for (genvar b = 0; b < Banks; b++) begin : gen_busy
    assign busy_rd_o[b] = te_read && bank_of(te_addr_i) == BankBits'(b);
    assign busy_wr_o[b] = s1_valid_q && bank_of(s1_addr_q) == BankBits'(b);
  end

  // The banks' read rows, bank b of partition p at [(p*Banks + b)*NL*32 +: NL*32]: each bank's
  // read register is its slice of this one vector, so nothing is copied or concatenated in the
  // cycles nobody reads (Verilator builds a concatenation of per-bank variables anew every
  // cycle; a slice written under its enable costs nothing when idle).
  logic [P*Banks*NL*32-1:0] rows_q;
  assign d_rdata_o = rows_q;

  for (genvar p = 0; p < P; p++) begin : gen_part
    logic [RowAddrBits-1:0] d_addr;
    logic [IdxBits-1:0]     d_idx;
    logic [BankBits-1:0]    d_bank;
    logic [31:0]            old, colsum, sum, fwd_data_q;
    logic                   fwd_q, te_rd_here, te_wr_here, d_rd, d_wr;

    assign d_addr     = d_addr_i[p*RowAddrBits +: RowAddrBits];
    assign d_idx      = d_addr[IdxBits-1:0];
    assign d_bank     = row_bank(d_addr);
    assign d_rd       = d_en_i[p] && !d_we_i[p];
    assign d_wr       = d_en_i[p] && d_we_i[p];
    // A DMA access names an existing row, so an existing bank (PsumBytes need not be a power
    // of two: an address past the last bank would be dropped silently), and a free port.
    `ASSERT(d_addr_range, d_en_i[p] |-> 32'(d_addr) < Words / NL)
    `ASSERT(d_port_free, d_en_i[p] |-> !(d_we_i[p] ? busy_wr_o[d_bank] : busy_rd_o[d_bank]))
    assign te_rd_here = te_read && te_mask_i[p];
    assign te_wr_here = s1_valid_q && s1_mask_q[p];
    assign colsum     = s1_data_q[p*32 +: 32];

    // The old word: the bank's registered read, or the value stage 2 wrote while it was read.
    assign old = fwd_q ? fwd_data_q
                       : rows_q[((p*Banks + 32'(bank_of(s1_addr_q))) * NL + 32'(s1_lane))*32 +: 32];
    always_comb begin
      sum = colsum;
      if (s1_acc_q) begin
        if (HasFp && s1_fp_q) sum = numerics_pkg::fp32_add_f(old, colsum);
        else                  sum = old + colsum;
      end
    end

    always_ff @(posedge clk_i) begin
      if (te_rd_here) begin
        fwd_q      <= te_wr_here && (s1_addr_q == te_addr_i);
        fwd_data_q <= sum;
      end
    end

    // One access per port and cycle: the DMA keeps off the ports the tensor engine uses
    // (busy_*_o), so no two writes (or reads) of one bank ever meet in a cycle.
    `ASSERT(one_reader, !(te_rd_here && d_rd && bank_of(te_addr_i) == d_bank))
    `ASSERT(one_writer, !(te_wr_here && d_wr && bank_of(s1_addr_q) == d_bank))

    // Each bank's enables are worked out inside its clocked block, in the cycles its partition
    // is accessed (as nets, 4 per bank x 64 banks are evaluated every cycle in Verilator). A
    // write is one write of the whole row, the words not written taken from the row itself
    // (yosys turns that feedback back into word enables; Verilator keeps one pending write per
    // memory instead of one per word).
    for (genvar b = 0; b < Banks; b++) begin : gen_bank
      logic [NL*32-1:0] mem [LaneWords];
      always_ff @(posedge clk_i) begin
        logic               rd_te, wr_te;
        logic [NL*32-1:0]   row;
        logic [IdxBits-1:0] wr_addr;
        if (te_rd_here || d_rd) begin
          rd_te = te_rd_here && bank_of(te_addr_i) == BankBits'(b);
          if (rd_te || (d_rd && d_bank == BankBits'(b))) begin
            rows_q[(p*Banks + b)*NL*32 +: NL*32] <= mem[rd_te ? te_idx : d_idx];
          end
        end
        if (te_wr_here || d_wr) begin
          wr_te = te_wr_here && bank_of(s1_addr_q) == BankBits'(b);
          if (wr_te || (d_wr && d_bank == BankBits'(b))) begin
            wr_addr = wr_te ? s1_idx : d_idx;
            row     = mem[wr_addr];
            for (int l = 0; l < NL; l++) begin
              if (wr_te) begin
                if (32'(s1_lane) == l) row[l*32 +: 32] = sum;
              end else if (d_be_i[p*RowBytes + 4*l]) begin
                row[l*32 +: 32] = d_wdata_i[(p*RowBytes + 4*l)*8 +: 32];
              end
            end
            mem[wr_addr] <= row;
          end
        end
      end
    end
  end

  `ASSERT_KNOWN(te_valid_known, te_valid_i)
  `ASSERT_KNOWN(d_en_known, d_en_i)
  `ASSERT(te_addr_range, te_valid_i |-> 32'(te_addr_i) < Words)
  `ASSERT_KNOWN(te_beat_known, te_valid_i ? {te_acc_i, te_fp_i, te_mask_i} : '0)

endmodule
