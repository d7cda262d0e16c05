// tensor_unit_tb: test bench top for the tensor unit side of the chip: tensor_unit with SBUF and PSUM
// (docs/chip.md sections 3 and 5). The bench feeds MATMUL instruction words, loads SBUF and
// PSUM through narrow one-partition ports (port B of SBUF, the DMA port of PSUM) and reads PSUM
// back the same way. Not synthesizable RTL; lives in verif/.
module tensor_unit_tb #(
  parameter int Partitions = 16,
  parameter int Columns    = 16,
  parameter int Nmax       = 512,
  parameter int SbufBytes  = 65536,
  parameter int PsumBytes  = 8192,
  parameter int EnableInt8 = 1,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int AxiDataBits = 256  // sets the memories' DMA rows, as in chip_top (docs/dma.md)
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  // Instructions.
  input  logic         insn_valid_i,
  output logic         insn_ready_o,
  input  logic [511:0] insn_i,
  output logic         done_o,
  output logic [31:0]  done_macs_o,
  output logic         busy_o,
  // SBUF word write (port B).
  input  logic         sb_we_i,
  input  logic [7:0]   sb_part_i,
  input  logic [31:0]  sb_addr_i,
  input  logic [63:0]  sb_wdata_i,
  // PSUM word access (DMA port): write, or read with data the next cycle.
  input  logic         ps_en_i,
  input  logic         ps_we_i,
  input  logic [7:0]   ps_part_i,
  input  logic [31:0]  ps_addr_i,
  input  logic [31:0]  ps_wdata_i,
  output logic         ps_gnt_o,
  output logic [31:0]  ps_rdata_o,
  // Counts of PSUM conflicts are not needed; PSUM PE writes are visible for statistics.
  output logic         ps_te_wr_o
);

  localparam int P   = Partitions;
  localparam int SAW = $clog2(SbufBytes);
  localparam int PAW = $clog2(PsumBytes / 4);
  localparam int RB  = mem_pkg::row_bytes(AxiDataBits);
  localparam int SRA = $clog2(SbufBytes / RB);  // row addresses
  localparam int PRA = $clog2(PsumBytes / RB);
  localparam int PsBanks = mem_pkg::psum_banks(PsumBytes);
  localparam int PsBankB = (PsBanks > 1) ? $clog2(PsBanks) : 1;

  logic                 sb_en;
  logic [SAW-4:0]       sb_addr;
  logic [P*64-1:0]      sb_rdata;
  logic [P*RB*8-1:0]    sb_b_rdata;
  logic [P*PsBanks*RB*8-1:0] ps_rows;  // every bank's last read row
  logic                 pv, pacc, pfp;
  logic [P*32-1:0]      pdata;
  logic [PAW-1:0]       paddr;
  logic [P-1:0]         pmask, d_en;
  logic [7:0]           ps_part_q;
  logic [PsBanks-1:0]   busy_rd, busy_wr;
  logic                 ps_free;
  logic [31:0]          ps_word_q;

  // The engine slot, field by field (the unit is never on AXI: idle, err and beat are not read).
  isa_pkg::eng_req_t req;
  isa_pkg::eng_rsp_t rsp;
  assign req.valid    = insn_valid_i;
  assign req.insn     = insn_i;
  assign insn_ready_o = rsp.ready;
  assign done_o       = rsp.done;

  tensor_unit #(
    .Partitions(Partitions), .Columns(Columns), .Nmax(Nmax), .SbufBytes(SbufBytes),
    .PsumBytes(PsumBytes), .EnableInt8(EnableInt8), .EnableBf16(EnableBf16), .EnableFp8(EnableFp8)
  ) u_unit (
    .clk_i, .rst_ni, .clr_i(1'b0),
    .req_i(req), .rsp_o(rsp), .done_macs_o, .busy_o,
    .sb_en_o(sb_en), .sb_addr_o(sb_addr), .sb_rdata_i(sb_rdata),
    .ps_valid_o(pv), .ps_data_o(pdata), .ps_addr_o(paddr), .ps_mask_o(pmask), .ps_acc_o(pacc), .ps_fp_o(pfp)
  );

  // The bench's one-word accesses as row accesses of one partition: the word's bytes enabled.
  logic [P-1:0]     b_en;
  logic [RB-1:0]    sb_be, ps_be;
  logic [SAW-4:0]   sb_word;
  logic [PAW-1:0]   ps_word;
  assign sb_word = sb_addr_i[SAW-4:0];
  assign ps_word = ps_addr_i[PAW-1:0];
  always_comb begin
    for (int b = 0; b < RB; b++) begin
      sb_be[b] = (RB == 8) || (32'(b) / 8 == 32'(sb_word) % (RB / 8));
      ps_be[b] = (32'(b) / 4 == 32'(ps_word) % (RB / 4));
    end
  end
  for (genvar p = 0; p < P; p++) begin : gen_sel
    assign b_en[p] = sb_we_i && (32'(sb_part_i) == p);
    assign d_en[p] = ps_en_i && ps_free && (32'(ps_part_i) == p);
  end

  sbuf #(.Partitions(Partitions), .SbufBytes(SbufBytes), .RowBytes(RB)) u_sbuf (
    .clk_i,
    .a_en_i(sb_en), .a_addr_i(sb_addr), .a_rdata_o(sb_rdata),
    .b_en_i(b_en), .b_we_i(b_en), .b_addr_i({P{sb_word[SAW-4 -: SRA]}}), .b_be_i({P{sb_be}}),
    .b_wdata_i({P{{(RB/8){sb_wdata_i}}}}), .b_rdata_o(sb_b_rdata)
  );

  psum #(.Partitions(Partitions), .PsumBytes(PsumBytes), .EnableBf16(EnableBf16), .EnableFp8(EnableFp8),
         .RowBytes(RB), .Banks(PsBanks)) u_psum (
    .clk_i, .rst_ni,
    .te_valid_i(pv), .te_data_i(pdata), .te_addr_i(paddr), .te_mask_i(pmask), .te_acc_i(pacc), .te_fp_i(pfp),
    .te_wr_o(ps_te_wr_o),
    .d_en_i(d_en), .d_we_i({P{ps_we_i}}), .d_addr_i({P{ps_word[PAW-1 -: PRA]}}), .d_be_i({P{ps_be}}),
    .d_wdata_i({P{{(RB/4){ps_wdata_i}}}}), .d_rdata_o(ps_rows), .busy_rd_o(busy_rd), .busy_wr_o(busy_wr)
  );

  // The port is free unless the tensor engine uses the word's bank on the same port this cycle.
  logic [PsBankB-1:0] ps_bank;
  assign ps_bank  = (PsBanks > 1) ? ps_word[PAW-1 -: PsBankB] : '0;
  assign ps_free  = ps_we_i ? !busy_wr[ps_bank] : !busy_rd[ps_bank];
  assign ps_gnt_o = ps_en_i && ps_free;
  always_ff @(posedge clk_i) begin
    ps_part_q <= ps_part_i;
    ps_word_q <= 32'(ps_word);
  end
  // The word read: in its bank's row (banks of 512 words) of its partition.
  assign ps_rdata_o = ps_rows[((32'(ps_part_q)*PsBanks + ((PsBanks > 1) ? ps_word_q >> 9 : 0))*RB +
                               (ps_word_q % (RB / 4))*4)*8 +: 32];

  // The bench does not use these.
  logic unused;
  assign unused = ^{sb_b_rdata, sb_addr_i, ps_addr_i, rsp.idle, rsp.err, rsp.err_resp, rsp.err_write,
                    rsp.beat, rsp.terr};

endmodule
