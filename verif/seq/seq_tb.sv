// seq_tb: bench top for the sequencer alone (rtl/seq/sequencer.sv). The fetch port is exposed
// as a full AXI4 master (m_axi_*, write channels tied off, ID 0) so verif/common's AxiMemory
// binds to it; the engine slots are driven by C++ engine models through flat per-field ports
// (packed into the sequencer's isa_pkg engine issue interface here); host signals are direct.
// Not synthesizable RTL; lives in verif/.
module seq_tb #(
  parameter int Partitions  = 16,
  parameter int Columns     = 16,
  parameter int Nmax        = 512,
  parameter int SbufBytes   = 65536,
  parameter int PsumBytes   = 8192,
  parameter int EnableInt8  = 1,
  parameter int EnableBf16  = 1,
  parameter int EnableFp8   = 1,
  parameter int DmaQueues   = 4,
  parameter int QueueDepth  = 16,
  parameter int AxiDataBits = 256,
  parameter int NEng        = 1 + DmaQueues
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // Host.
  input  logic                     start_i,
  input  logic                     soft_reset_i,
  input  logic [31:0]              prog_base_i,
  input  logic [31:0]              prog_len_i,
  input  logic [31:0]              watchdog_i,
  input  logic [127:0]             win_base_i,
  input  logic [127:0]             win_limit_i,
  input  logic [11:0]              win_ctrl_i,
  input  logic                     sem_we_i,
  input  logic [4:0]               sem_idx_i,
  input  logic [31:0]              sem_wdata_i,
  input  logic [4:0]               sem_rd_idx_i,
  output logic [31:0]              sem_rd_data_o,
  output logic                     busy_o,
  output logic                     done_o,
  output logic                     error_o,
  output logic [7:0]               err_code_o,
  output logic [31:0]              err_index_o,
  output logic [31:0]              err_info_o,
  output logic                     done_event_o,
  output logic                     error_event_o,
  // AXI4 master (fetch).
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
  input  logic                     m_axi_rlast_i,
  // Engines.
  output logic [NEng-1:0]          eng_valid_o,
  input  logic [NEng-1:0]          eng_ready_i,
  output logic [NEng*512-1:0]      eng_insn_o,
  input  logic [NEng-1:0]          eng_done_i,
  input  logic [NEng-1:0]          eng_idle_i,
  input  logic [NEng-1:0]          eng_err_i,
  input  logic [NEng*2-1:0]        eng_err_resp_i,
  input  logic [NEng-1:0]          eng_err_write_i,
  input  logic [NEng-1:0]          eng_beat_i,
  output logic                     stop_o,
  output logic                     clr_o,
  output logic [15:0]              fetch_bytes_o,
  output logic [3:0]               retired_o,
  output logic [3:0]               stall_sem_o,
  output logic                     stall_queue_o
);

  assign m_axi_awvalid_o = 1'b0;
  assign m_axi_awid_o    = '0;
  assign m_axi_awaddr_o  = '0;
  assign m_axi_awlen_o   = '0;
  assign m_axi_awsize_o  = 3'($clog2(AxiDataBits / 8));
  assign m_axi_awburst_o = 2'b01;
  assign m_axi_wvalid_o  = 1'b0;
  assign m_axi_wdata_o   = '0;
  assign m_axi_wstrb_o   = '0;
  assign m_axi_wlast_o   = 1'b0;
  assign m_axi_bready_o  = 1'b1;
  assign m_axi_arid_o    = '0;
  assign m_axi_arsize_o  = 3'($clog2(AxiDataBits / 8));
  assign m_axi_arburst_o = 2'b01;

  sequencer #(
    .Partitions(Partitions), .Columns(Columns), .Nmax(Nmax), .SbufBytes(SbufBytes),
    .PsumBytes(PsumBytes), .EnableInt8(EnableInt8), .EnableBf16(EnableBf16),
    .EnableFp8(EnableFp8), .DmaQueues(DmaQueues), .QueueDepth(QueueDepth),
    .AxiDataBits(AxiDataBits)
  ) u_seq (
    .clk_i, .rst_ni, .start_i, .soft_reset_i, .prog_base_i, .prog_len_i, .watchdog_i,
    .win_base_i, .win_limit_i, .win_ctrl_i, .sem_we_i, .sem_idx_i, .sem_wdata_i,
    .sem_rd_idx_i, .sem_rd_data_o, .busy_o, .done_o, .error_o, .err_code_o, .err_index_o,
    .err_info_o, .done_event_o, .error_event_o,
    .ar_valid_o(m_axi_arvalid_o), .ar_ready_i(m_axi_arready_i), .ar_addr_o(m_axi_araddr_o),
    .ar_len_o(m_axi_arlen_o), .r_valid_i(m_axi_rvalid_i), .r_ready_o(m_axi_rready_o),
    .r_data_i(m_axi_rdata_i), .r_resp_i(m_axi_rresp_i), .r_last_i(m_axi_rlast_i),
    .eng_req_o(eng_req), .eng_rsp_i(eng_rsp), .stop_o, .clr_o,
    .fetch_bytes_o, .retired_o, .stall_sem_o, .stall_queue_o,
    /* verilator lint_off PINCONNECTEMPTY */
    .tl_events_o()  // the timeline (sim/) reads them from chip_top only
    /* verilator lint_on PINCONNECTEMPTY */
  );

  // The engine slots, field by field.
  localparam int RQB = isa_pkg::ENG_REQ_BITS;
  localparam int RSB = isa_pkg::ENG_RSP_BITS;
  logic [NEng*RQB-1:0] eng_req;
  logic [NEng*RSB-1:0] eng_rsp;
  for (genvar e = 0; e < NEng; e++) begin : gen_slot
    isa_pkg::eng_req_t req;
    isa_pkg::eng_rsp_t rsp;
    assign req                     = eng_req[e*RQB +: RQB];
    assign eng_valid_o[e]          = req.valid;
    assign eng_insn_o[e*512 +: 512] = req.insn;
    assign rsp.ready               = eng_ready_i[e];
    assign rsp.done                = eng_done_i[e];
    assign rsp.idle                = eng_idle_i[e];
    assign rsp.err                 = eng_err_i[e];
    assign rsp.err_resp            = eng_err_resp_i[e*2 +: 2];
    assign rsp.err_write           = eng_err_write_i[e];
    assign rsp.beat                = eng_beat_i[e];
    assign rsp.terr                = 1'b0;  // the vector engine's TABLE_ERROR: chip tests
    assign eng_rsp[e*RSB +: RSB]   = rsp;
  end

  // The widths the RTL uses for flat vectors of these views are the views' widths (the RTL may
  // not take $bits of a type: yosys 0.23 rejects it).
  initial begin
    if ($bits(isa_pkg::eng_req_t) != RQB || $bits(isa_pkg::eng_rsp_t) != RSB ||
        $bits(isa_pkg::insn_t) != isa_pkg::INSN_BITS ||
        $bits(isa_pkg::matmul_insn_t) != isa_pkg::INSN_BITS ||
        $bits(isa_pkg::dma_insn_t) != isa_pkg::INSN_BITS ||
        $bits(isa_pkg::hdr_t) != isa_pkg::HDR_BITS || $bits(isa_pkg::head_t) != isa_pkg::HEAD_BITS ||
        $bits(isa_pkg::tap_t) != isa_pkg::TAP_BITS || $bits(isa_pkg::dap_t) != isa_pkg::DAP_BITS) begin
      $fatal(1, "seq_tb: an isa_pkg view's width differs from its *_BITS constant");
    end
  end

  // Bus IDs and reads are unused here (fetch only).
  logic unused;
  assign unused = ^{m_axi_awready_i, m_axi_wready_i, m_axi_bvalid_i, m_axi_bid_i,
                    m_axi_bresp_i, m_axi_rid_i};

endmodule
