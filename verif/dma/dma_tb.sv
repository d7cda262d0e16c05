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
  localparam int SbWB = $clog2(SbufBytes / 8);
  localparam int PsWB = $clog2(PsumBytes / 4);

  logic [1:0]        sb_en, sb_we, sb_gnt, sb_rvalid, ps_en, ps_we, ps_gnt, ps_rvalid;
  logic [2*PB-1:0]   sb_part, ps_part;
  logic [2*SbWB-1:0] sb_addr;
  logic [2*PsWB-1:0] ps_addr;
  logic [15:0]       sb_be;
  logic [127:0]      sb_wdata, sb_rdata;
  logic [63:0]       ps_wdata, ps_rdata;

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
    .sb_en_o(sb_en), .sb_part_o(sb_part), .sb_we_o(sb_we), .sb_addr_o(sb_addr), .sb_be_o(sb_be),
    .sb_wdata_o(sb_wdata), .sb_gnt_i(sb_gnt), .sb_rvalid_i(sb_rvalid), .sb_rdata_i(sb_rdata),
    .ps_en_o(ps_en), .ps_part_o(ps_part), .ps_we_o(ps_we), .ps_addr_o(ps_addr), .ps_wdata_o(ps_wdata),
    .ps_gnt_i(ps_gnt), .ps_rvalid_i(ps_rvalid), .ps_rdata_i(ps_rdata)
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
  logic [P-1:0]      sbm_en, sbm_we, sbm_gnt;
  logic [P*SbWB-1:0] sbm_addr;
  logic [P*8-1:0]    sbm_be;
  logic [P*64-1:0]   sbm_wdata, sbm_rdata, sb_a_rdata;

  mem_xbar #(.NReq(2), .Partitions(P), .AddrBits(SbWB), .DataBits(64), .BeBits(8)) u_sb_xbar (
    .clk_i, .rst_ni,
    .req_en_i(sb_en), .req_part_i(sb_part), .req_we_i(sb_we), .req_addr_i(sb_addr), .req_be_i(sb_be),
    .req_wdata_i(sb_wdata), .req_gnt_o(sb_gnt), .req_rvalid_o(sb_rvalid), .req_rdata_o(sb_rdata),
    .mem_en_o(sbm_en), .mem_we_o(sbm_we), .mem_addr_o(sbm_addr), .mem_be_o(sbm_be),
    .mem_wdata_o(sbm_wdata), .mem_gnt_i(sbm_gnt), .mem_rdata_i(sbm_rdata)
  );
  assign sbm_gnt = ~sb_block_i;

  sbuf #(.Partitions(P), .SbufBytes(SbufBytes)) u_sbuf (
    .clk_i,
    .a_en_i(1'b0), .a_addr_i('0), .a_rdata_o(sb_a_rdata),
    .b_en_i(sbm_en & ~sb_block_i), .b_we_i(sbm_we), .b_addr_i(sbm_addr), .b_be_i(sbm_be),
    .b_wdata_i(sbm_wdata), .b_rdata_o(sbm_rdata)
  );

  // ---- PSUM behind its crossbar (PE port idle) -------------------------------------------------
  logic [P-1:0]      psm_en, psm_we, psm_gnt;
  logic [P*PsWB-1:0] psm_addr;
  logic [P*32-1:0]   psm_wdata, psm_rdata;
  logic [P*4-1:0]    psm_be;
  logic              te_wr;

  mem_xbar #(.NReq(2), .Partitions(P), .AddrBits(PsWB), .DataBits(32), .BeBits(4)) u_ps_xbar (
    .clk_i, .rst_ni,
    .req_en_i(ps_en), .req_part_i(ps_part), .req_we_i(ps_we), .req_addr_i(ps_addr), .req_be_i(8'hFF),
    .req_wdata_i(ps_wdata), .req_gnt_o(ps_gnt), .req_rvalid_o(ps_rvalid), .req_rdata_o(ps_rdata),
    .mem_en_o(psm_en), .mem_we_o(psm_we), .mem_addr_o(psm_addr), .mem_be_o(psm_be),
    .mem_wdata_o(psm_wdata), .mem_gnt_i(psm_gnt), .mem_rdata_i(psm_rdata)
  );

  psum #(.Partitions(P), .PsumBytes(PsumBytes), .EnableBf16(1), .EnableFp8(1)) u_psum (
    .clk_i, .rst_ni,
    .te_valid_i(1'b0), .te_data_i('0), .te_addr_i('0), .te_mask_i('0), .te_acc_i(1'b0), .te_fp_i(1'b0),
    .te_wr_o(te_wr),
    .d_en_i(psm_en & ~ps_block_i), .d_we_i(psm_we), .d_addr_i(psm_addr), .d_wdata_i(psm_wdata),
    .d_gnt_o(psm_gnt), .d_rdata_o(psm_rdata)
  );

  // Not used by this bench: the tensor engine's SBUF port, PSUM byte enables (whole words), the
  // response IDs (one master, one ID).
  logic unused;
  assign unused = ^{sb_a_rdata, psm_be, te_wr, m_axi_bid_i, m_axi_rid_i};

endmodule
