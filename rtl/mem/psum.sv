/// psum: the partial-sum buffer, Partitions x PsumBytes/4 32-bit words, each partition split
/// into banks of BankWords words with one read and one write port each (docs/chip.md section 3).
///   Tensor-engine port: the tensor engine's output beats, already mapped to partitions (lane p =
///     partition p, mask = partitions written). Never back-pressured. Stage 1 (the accept
///     cycle) reads the old words when accumulating; stage 2 (the next cycle) writes
///     `acc ? old + colsum : colsum` (int32 wrap or fp32_add, docs/isa.md MATMUL). A stage-2
///     write to the address stage 1 reads is forwarded, so back-to-back beats to one address
///     accumulate correctly. te_wr_o is high in every cycle a tensor-engine beat is written.
///   DMA port: per partition, one read or one write per cycle. d_gnt_o says whether it is
///     taken this cycle: it is refused only when the tensor engine uses the same bank's same
///     port of that partition in this cycle (read: a stage-1 accumulate read; write: a stage-2
///     write).
///     d_rdata_o holds the word the cycle after a granted read.
`include "systole_assert.svh"

module psum #(
  parameter int Partitions = 16,
  parameter int PsumBytes  = 8192,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int AddrBits   = $clog2(PsumBytes / 4)
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
  // DMA port, one access per partition.
  input  logic [Partitions-1:0]          d_en_i,
  input  logic [Partitions-1:0]          d_we_i,
  input  logic [Partitions*AddrBits-1:0] d_addr_i,
  input  logic [Partitions*32-1:0]       d_wdata_i,
  output logic [Partitions-1:0]          d_gnt_o,
  output logic [Partitions*32-1:0]       d_rdata_o
);

  localparam int P         = Partitions;
  localparam int Words     = PsumBytes / 4;
  localparam int BankWords = (Words < 512) ? Words : 512;
  localparam int Banks     = Words / BankWords;
  localparam int BankBits  = (Banks > 1) ? $clog2(Banks) : 1;
  localparam int WordBits  = $clog2(BankWords);
  localparam bit HasFp     = (EnableBf16 != 0) || (EnableFp8 != 0);

  function automatic logic [BankBits-1:0] bank_of(logic [AddrBits-1:0] a);
    logic [BankBits-1:0] b;
    b = '0;
    if (Banks > 1) b = BankBits'(a >> WordBits);
    bank_of = b;
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

  for (genvar p = 0; p < P; p++) begin : gen_part
    logic [AddrBits-1:0] d_addr;
    logic [31:0]         old, colsum, sum, fwd_data_q;
    logic                fwd_q, te_rd_here, te_wr_here;
    logic [BankBits-1:0] d_bank_q;
    logic [Banks*32-1:0] rdata_q;

    assign d_addr     = d_addr_i[p*AddrBits +: AddrBits];
    // A DMA access names an existing word, so an existing bank (PsumBytes need not be a power
    // of two: an address past the last bank would be dropped silently).
    `ASSERT(d_addr_range, d_en_i[p] |-> 32'(d_addr) < Words)
    assign te_rd_here = te_read && te_mask_i[p];
    assign te_wr_here = s1_valid_q && s1_mask_q[p];
    assign colsum     = s1_data_q[p*32 +: 32];

    // Refused only on a port conflict with the tensor engine in the same bank.
    assign d_gnt_o[p] = d_en_i[p] && !(d_we_i[p] ? (te_wr_here && bank_of(d_addr) == bank_of(s1_addr_q))
                                                 : (te_rd_here && bank_of(d_addr) == bank_of(te_addr_i)));

    // The old word: the bank's registered read, or the value stage 2 wrote while it was read.
    assign old = fwd_q ? fwd_data_q : rdata_q[32'(bank_of(s1_addr_q))*32 +: 32];
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
      if (d_gnt_o[p] && !d_we_i[p]) d_bank_q <= bank_of(d_addr);
    end
    assign d_rdata_o[p*32 +: 32] = rdata_q[32'(d_bank_q)*32 +: 32];

    for (genvar b = 0; b < Banks; b++) begin : gen_bank
      logic [31:0]         mem [BankWords];
      logic                rd_te, rd_d, wr_te, wr_d;
      logic [WordBits-1:0] rd_addr, wr_addr;
      logic [31:0]         wr_data;
      assign rd_te   = te_rd_here && bank_of(te_addr_i) == BankBits'(b);
      assign rd_d    = d_gnt_o[p] && !d_we_i[p] && bank_of(d_addr) == BankBits'(b);
      assign wr_te   = te_wr_here && bank_of(s1_addr_q) == BankBits'(b);
      assign wr_d    = d_gnt_o[p] && d_we_i[p] && bank_of(d_addr) == BankBits'(b);
      assign rd_addr = rd_te ? te_addr_i[WordBits-1:0] : d_addr[WordBits-1:0];
      assign wr_addr = wr_te ? s1_addr_q[WordBits-1:0] : d_addr[WordBits-1:0];
      assign wr_data = wr_te ? sum : d_wdata_i[p*32 +: 32];
      always_ff @(posedge clk_i) begin
        if (rd_te || rd_d) rdata_q[b*32 +: 32] <= mem[rd_addr];
        if (wr_te || wr_d) mem[wr_addr] <= wr_data;
      end
      // One access per bank port and cycle: the tensor engine wins, the DMA is refused
      // (d_gnt_o), so no two writes (or reads) of one word ever meet in a cycle.
      `ASSERT(one_reader, !(rd_te && rd_d))
      `ASSERT(one_writer, !(wr_te && wr_d))
    end
  end

  `ASSERT_KNOWN(te_valid_known, te_valid_i)
  `ASSERT_KNOWN(d_en_known, d_en_i)
  `ASSERT(te_addr_range, te_valid_i |-> 32'(te_addr_i) < Words)
  `ASSERT_KNOWN(te_beat_known, te_valid_i ? {te_acc_i, te_fp_i, te_mask_i} : '0)

endmodule
