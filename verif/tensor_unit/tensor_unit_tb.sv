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
  parameter int EnableFp8  = 1
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

  logic                 sb_en;
  logic [SAW-4:0]       sb_addr;
  logic [P*64-1:0]      sb_rdata, sb_b_rdata;
  logic                 pv, pacc, pfp;
  logic [P*32-1:0]      pdata, ps_rdata_all;
  logic [PAW-1:0]       paddr;
  logic [P-1:0]         pmask, d_en, d_gnt;
  logic [7:0]           ps_part_q;

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

  logic [P-1:0] b_en;
  for (genvar p = 0; p < P; p++) begin : gen_sel
    assign b_en[p] = sb_we_i && (32'(sb_part_i) == p);
    assign d_en[p] = ps_en_i && (32'(ps_part_i) == p);
  end

  sbuf #(.Partitions(Partitions), .SbufBytes(SbufBytes)) u_sbuf (
    .clk_i,
    .a_en_i(sb_en), .a_addr_i(sb_addr), .a_rdata_o(sb_rdata),
    .b_en_i(b_en), .b_we_i(b_en), .b_addr_i({P{sb_addr_i[SAW-4:0]}}), .b_be_i({P{8'hFF}}),
    .b_wdata_i({P{sb_wdata_i}}), .b_rdata_o(sb_b_rdata)
  );

  psum #(.Partitions(Partitions), .PsumBytes(PsumBytes), .EnableBf16(EnableBf16), .EnableFp8(EnableFp8)) u_psum (
    .clk_i, .rst_ni,
    .te_valid_i(pv), .te_data_i(pdata), .te_addr_i(paddr), .te_mask_i(pmask), .te_acc_i(pacc), .te_fp_i(pfp),
    .te_wr_o(ps_te_wr_o),
    .d_en_i(d_en), .d_we_i({P{ps_we_i}}), .d_addr_i({P{ps_addr_i[PAW-1:0]}}), .d_wdata_i({P{ps_wdata_i}}),
    .d_gnt_o(d_gnt), .d_rdata_o(ps_rdata_all)
  );

  assign ps_gnt_o = |d_gnt;
  always_ff @(posedge clk_i) ps_part_q <= ps_part_i;
  assign ps_rdata_o = ps_rdata_all[32'(ps_part_q)*32 +: 32];

  // The bench does not use these.
  logic unused;
  assign unused = ^{sb_b_rdata, sb_addr_i, ps_addr_i, rsp.idle, rsp.err, rsp.err_resp, rsp.err_write,
                    rsp.beat};

endmodule
