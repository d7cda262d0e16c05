/// chip_checkers: the protocol checkers of one chip_top (docs/chip.md section 9), simulation only.
/// Bound into chip_top by sim/checkers/chip_checkers_bind.sv, so chip_top.sv holds only the design:
/// an AXI4 checker on the DRAM port, one before the arbiter on the fetch port (reads only,
/// 64-byte aligned) and on each DMA queue's port (the arbiter adds the ID, INCR and the full-width
/// AxSIZE, so these ports are checked with ID 0 and those constants), and an AXI4-Lite checker on
/// the host port. Up to 16 bursts per ID (fetch 4, DMA 8 each way) and 16 AWs ahead of their data
/// (the arbiter's W-order FIFO) are in flight. Every port is an input named after the chip_top
/// signal it watches (its _i/_o suffix replaced by _i).
module chip_checkers #(
  parameter int DmaQueues   = 4,
  parameter int AxiDataBits = 256
) (
  input  logic                                      clk_i,
  input  logic                                      rst_ni,
  // the host port (AXI4-Lite slave of chip_top)
  input  logic                                      s_axil_awvalid_i,
  input  logic                                      s_axil_awready_i,
  input  logic [11:0]                               s_axil_awaddr_i,
  input  logic                                      s_axil_wvalid_i,
  input  logic                                      s_axil_wready_i,
  input  logic [31:0]                               s_axil_wdata_i,
  input  logic [3:0]                                s_axil_wstrb_i,
  input  logic                                      s_axil_bvalid_i,
  input  logic                                      s_axil_bready_i,
  input  logic [1:0]                                s_axil_bresp_i,
  input  logic                                      s_axil_arvalid_i,
  input  logic                                      s_axil_arready_i,
  input  logic [11:0]                               s_axil_araddr_i,
  input  logic                                      s_axil_rvalid_i,
  input  logic                                      s_axil_rready_i,
  input  logic [31:0]                               s_axil_rdata_i,
  input  logic [1:0]                                s_axil_rresp_i,
  // the DRAM port (AXI4 master of chip_top)
  input  logic                                      m_axi_awvalid_i,
  input  logic                                      m_axi_awready_i,
  input  logic [3:0]                                m_axi_awid_i,
  input  logic [31:0]                               m_axi_awaddr_i,
  input  logic [7:0]                                m_axi_awlen_i,
  input  logic [2:0]                                m_axi_awsize_i,
  input  logic [1:0]                                m_axi_awburst_i,
  input  logic                                      m_axi_wvalid_i,
  input  logic                                      m_axi_wready_i,
  input  logic [AxiDataBits-1:0]                    m_axi_wdata_i,
  input  logic [AxiDataBits/8-1:0]                  m_axi_wstrb_i,
  input  logic                                      m_axi_wlast_i,
  input  logic                                      m_axi_bvalid_i,
  input  logic                                      m_axi_bready_i,
  input  logic [3:0]                                m_axi_bid_i,
  input  logic [1:0]                                m_axi_bresp_i,
  input  logic                                      m_axi_arvalid_i,
  input  logic                                      m_axi_arready_i,
  input  logic [3:0]                                m_axi_arid_i,
  input  logic [31:0]                               m_axi_araddr_i,
  input  logic [7:0]                                m_axi_arlen_i,
  input  logic [2:0]                                m_axi_arsize_i,
  input  logic [1:0]                                m_axi_arburst_i,
  input  logic                                      m_axi_rvalid_i,
  input  logic                                      m_axi_rready_i,
  input  logic [3:0]                                m_axi_rid_i,
  input  logic [AxiDataBits-1:0]                    m_axi_rdata_i,
  input  logic [1:0]                                m_axi_rresp_i,
  input  logic                                      m_axi_rlast_i,
  // the arbiter's master side: read channels of fetch (0) and DMA queue q (1+q); write channels
  // of DMA queue q (q: fetch never writes); the R/B payload shared by all masters
  input  logic [DmaQueues:0]                        mst_ar_valid_i,
  input  logic [DmaQueues:0]                        mst_ar_ready_i,
  input  logic [DmaQueues:0]                        mst_r_valid_i,
  input  logic [DmaQueues:0]                        mst_r_ready_i,
  input  logic [(1+DmaQueues)*32-1:0]               mst_ar_addr_i,
  input  logic [DmaQueues*32-1:0]                   mst_aw_addr_i,
  input  logic [(1+DmaQueues)*8-1:0]                mst_ar_len_i,
  input  logic [DmaQueues*8-1:0]                    mst_aw_len_i,
  input  logic [DmaQueues-1:0]                      mst_aw_valid_i,
  input  logic [DmaQueues-1:0]                      mst_aw_ready_i,
  input  logic [DmaQueues-1:0]                      mst_w_valid_i,
  input  logic [DmaQueues-1:0]                      mst_w_ready_i,
  input  logic [DmaQueues-1:0]                      mst_w_last_i,
  input  logic [DmaQueues*AxiDataBits-1:0]          mst_w_data_i,
  input  logic [DmaQueues*AxiDataBits/8-1:0]        mst_w_strb_i,
  input  logic [DmaQueues-1:0]                      mst_b_valid_i,
  input  logic [DmaQueues-1:0]                      mst_b_ready_i,
  input  logic [AxiDataBits-1:0]                    r_data_i,
  input  logic [1:0]                                r_resp_i,
  input  logic [1:0]                                b_resp_i,
  input  logic                                      r_last_i
);
  localparam int Q      = DmaQueues;
  localparam int DW     = AxiDataBits;
  localparam int SizeLg = $clog2(DW / 8);

  axi_checker #(.IdBits(4), .AxiDataBits(DW), .MaxBurstBeats(16), .MaxOutstanding(16)) u_chk_axi (
    .clk_i, .rst_ni,
    .aw_valid_i(m_axi_awvalid_i), .aw_ready_i(m_axi_awready_i), .aw_id_i(m_axi_awid_i),
    .aw_addr_i(m_axi_awaddr_i), .aw_len_i(m_axi_awlen_i), .aw_size_i(m_axi_awsize_i),
    .aw_burst_i(m_axi_awburst_i),
    .w_valid_i(m_axi_wvalid_i), .w_ready_i(m_axi_wready_i), .w_data_i(m_axi_wdata_i),
    .w_strb_i(m_axi_wstrb_i), .w_last_i(m_axi_wlast_i),
    .b_valid_i(m_axi_bvalid_i), .b_ready_i(m_axi_bready_i), .b_id_i(m_axi_bid_i), .b_resp_i(m_axi_bresp_i),
    .ar_valid_i(m_axi_arvalid_i), .ar_ready_i(m_axi_arready_i), .ar_id_i(m_axi_arid_i),
    .ar_addr_i(m_axi_araddr_i), .ar_len_i(m_axi_arlen_i), .ar_size_i(m_axi_arsize_i),
    .ar_burst_i(m_axi_arburst_i),
    .r_valid_i(m_axi_rvalid_i), .r_ready_i(m_axi_rready_i), .r_id_i(m_axi_rid_i),
    .r_data_i(m_axi_rdata_i), .r_resp_i(m_axi_rresp_i), .r_last_i(m_axi_rlast_i)
  );

  axi_checker #(.IdBits(1), .AxiDataBits(DW), .MaxBurstBeats(16), .MaxOutstanding(16), .AlignLg(6),
                .HasWrite(1'b0)) u_chk_fetch (
    .clk_i, .rst_ni,
    .aw_valid_i(1'b0), .aw_ready_i(1'b0), .aw_id_i(1'b0), .aw_addr_i(32'd0), .aw_len_i(8'd0),
    .aw_size_i(3'd0), .aw_burst_i(2'd0),
    .w_valid_i(1'b0), .w_ready_i(1'b0), .w_data_i('0), .w_strb_i('0), .w_last_i(1'b0),
    .b_valid_i(1'b0), .b_ready_i(1'b0), .b_id_i(1'b0), .b_resp_i(2'd0),
    .ar_valid_i(mst_ar_valid_i[0]), .ar_ready_i(mst_ar_ready_i[0]), .ar_id_i(1'b0),
    .ar_addr_i(mst_ar_addr_i[0 +: 32]), .ar_len_i(mst_ar_len_i[0 +: 8]), .ar_size_i(3'(SizeLg)),
    .ar_burst_i(2'b01),
    .r_valid_i(mst_r_valid_i[0]), .r_ready_i(mst_r_ready_i[0]), .r_id_i(1'b0), .r_data_i(r_data_i),
    .r_resp_i(r_resp_i), .r_last_i(r_last_i)
  );

  for (genvar q = 0; q < Q; q++) begin : gen_chk_dma
    axi_checker #(.IdBits(1), .AxiDataBits(DW), .MaxBurstBeats(16), .MaxOutstanding(16)) u_chk (
      .clk_i, .rst_ni,
      .aw_valid_i(mst_aw_valid_i[q]), .aw_ready_i(mst_aw_ready_i[q]), .aw_id_i(1'b0),
      .aw_addr_i(mst_aw_addr_i[q*32 +: 32]), .aw_len_i(mst_aw_len_i[q*8 +: 8]),
      .aw_size_i(3'(SizeLg)), .aw_burst_i(2'b01),
      .w_valid_i(mst_w_valid_i[q]), .w_ready_i(mst_w_ready_i[q]), .w_data_i(mst_w_data_i[q*DW +: DW]),
      .w_strb_i(mst_w_strb_i[q*DW/8 +: DW/8]), .w_last_i(mst_w_last_i[q]),
      .b_valid_i(mst_b_valid_i[q]), .b_ready_i(mst_b_ready_i[q]), .b_id_i(1'b0), .b_resp_i(b_resp_i),
      .ar_valid_i(mst_ar_valid_i[1+q]), .ar_ready_i(mst_ar_ready_i[1+q]), .ar_id_i(1'b0),
      .ar_addr_i(mst_ar_addr_i[(1+q)*32 +: 32]), .ar_len_i(mst_ar_len_i[(1+q)*8 +: 8]),
      .ar_size_i(3'(SizeLg)), .ar_burst_i(2'b01),
      .r_valid_i(mst_r_valid_i[1+q]), .r_ready_i(mst_r_ready_i[1+q]), .r_id_i(1'b0), .r_data_i(r_data_i),
      .r_resp_i(r_resp_i), .r_last_i(r_last_i)
    );
  end

  axil_checker #(.AddrBits(12), .MaxOutstanding(4)) u_chk_axil (
    .clk_i, .rst_ni,
    .aw_valid_i(s_axil_awvalid_i), .aw_ready_i(s_axil_awready_i), .aw_addr_i(s_axil_awaddr_i),
    .w_valid_i(s_axil_wvalid_i), .w_ready_i(s_axil_wready_i), .w_data_i(s_axil_wdata_i),
    .w_strb_i(s_axil_wstrb_i),
    .b_valid_i(s_axil_bvalid_i), .b_ready_i(s_axil_bready_i), .b_resp_i(s_axil_bresp_i),
    .ar_valid_i(s_axil_arvalid_i), .ar_ready_i(s_axil_arready_i), .ar_addr_i(s_axil_araddr_i),
    .r_valid_i(s_axil_rvalid_i), .r_ready_i(s_axil_rready_i), .r_data_i(s_axil_rdata_i),
    .r_resp_i(s_axil_rresp_i)
  );

endmodule
