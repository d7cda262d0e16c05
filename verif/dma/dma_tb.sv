// dma_tb: test bench top for one DMA queue (docs/chip.md section 6): dma_queue with an SBUF and
// a PSUM, each behind its own mem_xbar (NReq = 2: the queue's source and destination
// requesters), and the queue's AXI4 master as m_axi_<sig>_o/_i for AxiMemory (constant ID 0,
// full-width size, INCR). The bench can refuse SBUF/PSUM accesses per partition (sb_block_i,
// ps_block_i) to model other requesters taking the port. Not synthesizable RTL; lives in verif/.
module dma_tb #(
  parameter int Partitions  = 16,
  parameter int SbufBytes   = 65536,
  parameter int PsumBytes   = 8192,
  parameter int AxiDataBits = 256
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  input  logic                     clr_i,
  input  logic                     stop_i,
  // Instructions and status.
  input  logic                     insn_valid_i,
  output logic                     insn_ready_o,
  input  logic [511:0]             insn_i,
  output logic                     done_o,
  output logic                     idle_o,
  output logic                     err_o,
  output logic [1:0]               err_resp_o,
  output logic                     err_write_o,
  output logic                     busy_o,
  output logic                     beat_o,
  output logic                     stall_dram_o,
  output logic [15:0]              rd_bytes_o,
  output logic [15:0]              wr_bytes_o,
  // Any SBUF/PSUM request of the queue this cycle (granted or not).
  output logic                     onchip_en_o,
  // On-chip ports refused this cycle, per partition.
  input  logic [Partitions-1:0]    sb_block_i,
  input  logic [Partitions-1:0]    ps_block_i,
  // AXI4 master.
  output logic                     m_axi_awvalid_o,
  input  logic                     m_axi_awready_i,
  output logic [3:0]               m_axi_awid_o,
  output logic [31:0]              m_axi_awaddr_o,
  output logic [7:0]               m_axi_awlen_o,
  output logic [2:0]               m_axi_awsize_o,
  output logic [1:0]               m_axi_awburst_o,
  output logic                     m_axi_wvalid_o,
  input  logic                     m_axi_wready_i,
  output logic [AxiDataBits-1:0]   m_axi_wdata_o,
  output logic [AxiDataBits/8-1:0] m_axi_wstrb_o,
  output logic                     m_axi_wlast_o,
  input  logic                     m_axi_bvalid_i,
  output logic                     m_axi_bready_o,
  input  logic [3:0]               m_axi_bid_i,
  input  logic [1:0]               m_axi_bresp_i,
  output logic                     m_axi_arvalid_o,
  input  logic                     m_axi_arready_i,
  output logic [3:0]               m_axi_arid_o,
  output logic [31:0]              m_axi_araddr_o,
  output logic [7:0]               m_axi_arlen_o,
  output logic [2:0]               m_axi_arsize_o,
  output logic [1:0]               m_axi_arburst_o,
  input  logic                     m_axi_rvalid_i,
  output logic                     m_axi_rready_o,
  input  logic [3:0]               m_axi_rid_i,
  input  logic [AxiDataBits-1:0]   m_axi_rdata_i,
  input  logic [1:0]               m_axi_rresp_i,
  input  logic                     m_axi_rlast_i
);

  localparam int P    = Partitions;
  localparam int PB   = (Partitions > 1) ? $clog2(Partitions) : 1;
  // The DMA's rows and row addresses (as chip_top: docs/dma.md).
  localparam int RB      = mem_pkg::row_bytes(AxiDataBits);
  localparam int OffB    = $clog2(RB);
  localparam int SbRB    = $clog2(SbufBytes / RB);
  localparam int PsRB    = $clog2(PsumBytes / RB);
  localparam int OcRB    = (SbRB > PsRB) ? SbRB : PsRB;
  localparam int PsBanks = mem_pkg::psum_banks(PsumBytes);
  localparam int PsBankB = (PsBanks > 1) ? $clog2(PsBanks) : 0;

  logic [1:0]        sb_en, ps_en, oc_we, oc_col, sb_gnt, ps_gnt;
  logic [2*PB-1:0]   oc_part;
  logic [15:0]       oc_np;
  logic [2*OcRB-1:0] oc_row;
  logic [2*OffB-1:0] oc_off;
  logic [3:0]        oc_lg;
  logic [2*RB-1:0]   oc_be;
  logic [2*RB*8-1:0] oc_wdata;
  logic [P*RB*8-1:0] sb_rows;
  logic [P*PsBanks*RB*8-1:0] ps_rows;  // every PSUM bank's last read row

  // The engine slot, field by field.
  isa_pkg::eng_req_t req;
  isa_pkg::eng_rsp_t rsp;
  assign req.valid    = insn_valid_i;
  assign req.insn     = insn_i;
  assign insn_ready_o = rsp.ready;
  assign done_o       = rsp.done;
  assign idle_o       = rsp.idle;
  assign err_o        = rsp.err;
  assign err_resp_o   = rsp.err_resp;
  assign err_write_o  = rsp.err_write;
  assign beat_o       = rsp.beat;
  logic unused_terr;  // a DMA queue has no tables
  assign unused_terr  = rsp.terr;

  dma_queue #(
    .Partitions(Partitions), .SbufBytes(SbufBytes), .PsumBytes(PsumBytes), .AxiDataBits(AxiDataBits)
  ) u_dut (
    .clk_i, .rst_ni, .clr_i, .stop_i,
    .req_i(req), .rsp_o(rsp), .busy_o, .stall_dram_o,
    .rd_bytes_o, .wr_bytes_o,
    .ar_valid_o(m_axi_arvalid_o), .ar_ready_i(m_axi_arready_i), .ar_addr_o(m_axi_araddr_o),
    .ar_len_o(m_axi_arlen_o),
    .r_valid_i(m_axi_rvalid_i), .r_ready_o(m_axi_rready_o), .r_data_i(m_axi_rdata_i),
    .r_resp_i(m_axi_rresp_i), .r_last_i(m_axi_rlast_i),
    .aw_valid_o(m_axi_awvalid_o), .aw_ready_i(m_axi_awready_i), .aw_addr_o(m_axi_awaddr_o),
    .aw_len_o(m_axi_awlen_o),
    .w_valid_o(m_axi_wvalid_o), .w_ready_i(m_axi_wready_i), .w_data_o(m_axi_wdata_o),
    .w_strb_o(m_axi_wstrb_o), .w_last_o(m_axi_wlast_o),
    .b_valid_i(m_axi_bvalid_i), .b_ready_o(m_axi_bready_o), .b_resp_i(m_axi_bresp_i),
    .sb_en_o(sb_en), .ps_en_o(ps_en), .oc_we_o(oc_we), .oc_col_o(oc_col), .oc_part_o(oc_part),
    .oc_np_o(oc_np), .oc_row_o(oc_row), .oc_off_o(oc_off), .oc_lg_o(oc_lg), .oc_be_o(oc_be),
    .oc_wdata_o(oc_wdata), .sb_gnt_i(sb_gnt), .ps_gnt_i(ps_gnt), .sb_rows_i(sb_rows),
    .ps_rows_i(ps_rows)
  );

  assign onchip_en_o = |{sb_en, ps_en};

  // The constant AXI fields the queue leaves to the arbiter.
  localparam logic [2:0] Size = 3'($clog2(AxiDataBits / 8));
  assign m_axi_awid_o    = '0;
  assign m_axi_arid_o    = '0;
  assign m_axi_awsize_o  = Size;
  assign m_axi_arsize_o  = Size;
  assign m_axi_awburst_o = 2'b01;
  assign m_axi_arburst_o = 2'b01;

  // ---- SBUF behind its crossbar (port A unused) ------------------------------------------------
  logic [P-1:0]      sbm_en, sbm_we;
  logic [P*SbRB-1:0] sbm_addr;
  logic [P*RB-1:0]   sbm_be;
  logic [P*RB*8-1:0] sbm_wdata;
  logic [P*64-1:0]   sb_a_rdata;

  mem_xbar #(.NReq(2), .Partitions(P), .RowBytes(RB), .RowAddrBits(SbRB), .ReqRowBits(OcRB),
             .Banks(1), .BankRowBits(1)) u_sb_xbar (
    .clk_i, .rst_ni,
    .req_en_i(sb_en), .req_we_i(oc_we), .req_col_i(oc_col), .req_part_i(oc_part), .req_np_i(oc_np),
    .req_row_i(oc_row), .req_off_i(oc_off), .req_lg_i(oc_lg), .req_be_i(oc_be), .req_wdata_i(oc_wdata),
    .req_gnt_o(sb_gnt),
    .mem_en_o(sbm_en), .mem_we_o(sbm_we), .mem_addr_o(sbm_addr), .mem_be_o(sbm_be),
    .mem_wdata_o(sbm_wdata), .busy_rd_i(1'b0), .busy_wr_i(1'b0), .part_busy_i(sb_block_i),
    .blk_i(1'b0), .blk_be_i({(P*RB){1'b0}}), .blk_wdata_i({(P*RB*8){1'b0}})
  );

  sbuf #(.Partitions(P), .SbufBytes(SbufBytes), .RowBytes(RB)) u_sbuf (
    .clk_i,
    .a_en_i(1'b0), .a_addr_i('0), .a_rdata_o(sb_a_rdata),
    .b_en_i(sbm_en), .b_we_i(sbm_we), .b_addr_i(sbm_addr), .b_be_i(sbm_be),
    .b_wdata_i(sbm_wdata), .b_rdata_o(sb_rows)
  );

  // ---- PSUM behind its crossbar (tensor-engine port idle) --------------------------------------
  logic [P-1:0]       psm_en, psm_we;
  logic [P*PsRB-1:0]  psm_addr;
  logic [P*RB-1:0]    psm_be;
  logic [P*RB*8-1:0]  psm_wdata;
  logic [PsBanks-1:0] busy_rd, busy_wr;
  logic               te_wr;

  mem_xbar #(.NReq(2), .Partitions(P), .RowBytes(RB), .RowAddrBits(PsRB), .ReqRowBits(OcRB),
             .Banks(PsBanks), .BankRowBits(PsRB - PsBankB)) u_ps_xbar (
    .clk_i, .rst_ni,
    .req_en_i(ps_en), .req_we_i(oc_we), .req_col_i(oc_col), .req_part_i(oc_part), .req_np_i(oc_np),
    .req_row_i(oc_row), .req_off_i(oc_off), .req_lg_i(oc_lg), .req_be_i(oc_be), .req_wdata_i(oc_wdata),
    .req_gnt_o(ps_gnt),
    .mem_en_o(psm_en), .mem_we_o(psm_we), .mem_addr_o(psm_addr), .mem_be_o(psm_be),
    .mem_wdata_o(psm_wdata), .busy_rd_i(busy_rd), .busy_wr_i(busy_wr), .part_busy_i(ps_block_i),
    .blk_i(1'b0), .blk_be_i({(P*RB){1'b0}}), .blk_wdata_i({(P*RB*8){1'b0}})
  );

  psum #(.Partitions(P), .PsumBytes(PsumBytes), .EnableBf16(1), .EnableFp8(1), .RowBytes(RB),
         .Banks(PsBanks)) u_psum (
    .clk_i, .rst_ni,
    .te_valid_i(1'b0), .te_data_i('0), .te_addr_i('0), .te_mask_i('0), .te_acc_i(1'b0), .te_fp_i(1'b0),
    .te_wr_o(te_wr),
    .d_en_i(psm_en), .d_we_i(psm_we), .d_addr_i(psm_addr), .d_be_i(psm_be), .d_wdata_i(psm_wdata),
    .d_rdata_o(ps_rows), .busy_rd_o(busy_rd), .busy_wr_o(busy_wr)
  );

  // Not used by this bench: the tensor engine's SBUF port and PSUM port, the response IDs (one
  // master, one ID).
  logic unused;
  assign unused = ^{sb_a_rdata, te_wr, m_axi_bid_i, m_axi_rid_i};

endmodule
