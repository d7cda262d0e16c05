/// chip_top: one Systole core (docs/chip.md): host interface (csr_regs, perf_counters),
/// sequencer (fetch, decode_check, queues, semaphores), tensor unit (pe_ctrl, tensor_engine),
/// SBUF and PSUM, the DMA queues and (EnableVector) the vector engine with the crossbars to the
/// on-chip memories, and the AXI arbiter in front of the single AXI4 master port (ID 0 fetch,
/// ID 1+q DMA queue q). Without EnableVector (`tiny`) CFG_FEAT.VECTOR = 0 and decode_check
/// refuses engine VEC.
module chip_top #(
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
  parameter int EnableVector = 1
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // AXI4-Lite slave (csr.md).
  input  logic                     s_axil_awvalid_i,
  output logic                     s_axil_awready_o,
  input  logic [11:0]              s_axil_awaddr_i,
  input  logic                     s_axil_wvalid_i,
  output logic                     s_axil_wready_o,
  input  logic [31:0]              s_axil_wdata_i,
  input  logic [3:0]               s_axil_wstrb_i,
  output logic                     s_axil_bvalid_o,
  input  logic                     s_axil_bready_i,
  output logic [1:0]               s_axil_bresp_o,
  input  logic                     s_axil_arvalid_i,
  output logic                     s_axil_arready_o,
  input  logic [11:0]              s_axil_araddr_i,
  output logic                     s_axil_rvalid_o,
  input  logic                     s_axil_rready_i,
  output logic [31:0]              s_axil_rdata_o,
  output logic [1:0]               s_axil_rresp_o,
  // AXI4 master (DRAM).
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
  // Interrupt.
  output logic                     irq_o
);

  localparam int P     = Partitions;
  localparam int Q     = DmaQueues;
  localparam int V     = (EnableVector != 0) ? 1 : 0;
  localparam int NEng  = 1 + Q + V;   // sequencer slots: tensor engine, DMA 0..Q-1, vector engine
  localparam int NXR   = 2 * Q + 3 * V;  // crossbar requesters: DMA sides, vector streams
  localparam int NMst  = 1 + Q;       // AXI masters: fetch, DMA 0..Q-1
  localparam int DW    = AxiDataBits;
  localparam int SbAW  = $clog2(SbufBytes);
  localparam int PsWB  = $clog2(PsumBytes / 4);
  localparam int PartB = (P > 1) ? $clog2(P) : 1;
  // The DMA's rows (docs/dma.md): RB bytes; row addresses of SBUF, PSUM and the requests (the
  // larger memory's); PSUM banks of 512 words.
  localparam int RB      = mem_pkg::row_bytes(AxiDataBits);
  localparam int OffB    = $clog2(RB);
  localparam int SbRB    = $clog2(SbufBytes / RB);
  localparam int PsRB    = $clog2(PsumBytes / RB);
  localparam int OcRB    = (SbRB > PsRB) ? SbRB : PsRB;
  localparam int PsBanks = mem_pkg::psum_banks(PsumBytes);
  localparam int PsBankB = (PsBanks > 1) ? $clog2(PsBanks) : 0;
  localparam int RQB   = isa_pkg::ENG_REQ_BITS;  // one engine slot: request
  localparam int RSB   = isa_pkg::ENG_RSP_BITS;  //   and response

  // ---- host interface ------------------------------------------------------------------------
  logic         start, soft_reset, clear_counters;
  logic [31:0]  prog_base, prog_len, watchdog;
  logic [127:0] win_base, win_limit;
  logic [11:0]  win_ctrl;
  logic         sem_we;
  logic [4:0]   sem_idx, sem_rd_idx;
  logic [31:0]  sem_wdata, sem_rd_data;
  logic [3:0]   cnt_rd_idx;
  logic [63:0]  cnt_rd_data;
  logic         busy, done, error, done_event, error_event;
  logic [7:0]   err_code;
  logic [31:0]  err_index, err_info;
  // csr_regs speaks the structs generated from csr_map.json (csr_pkg, docs/csr.md "Hardware
  // interface"); they are unpacked here to the sequencer's and the counters' ports.
  csr_pkg::csr_reg2hw_t csr_reg2hw;
  csr_pkg::csr_hw2reg_t csr_hw2reg;

  csr_regs #(
    .Partitions(Partitions), .Columns(Columns), .Nmax(Nmax), .SbufBytes(SbufBytes),
    .PsumBytes(PsumBytes), .EnableInt8(EnableInt8), .EnableBf16(EnableBf16),
    .EnableFp8(EnableFp8), .DmaQueues(DmaQueues), .QueueDepth(QueueDepth),
    .AxiDataBits(AxiDataBits), .EnableVector(EnableVector)
  ) u_csr (
    .clk_i, .rst_ni,
    .s_axil_awvalid_i, .s_axil_awready_o, .s_axil_awaddr_i,
    .s_axil_wvalid_i, .s_axil_wready_o, .s_axil_wdata_i, .s_axil_wstrb_i,
    .s_axil_bvalid_o, .s_axil_bready_i, .s_axil_bresp_o,
    .s_axil_arvalid_i, .s_axil_arready_o, .s_axil_araddr_i,
    .s_axil_rvalid_o, .s_axil_rready_i, .s_axil_rdata_o, .s_axil_rresp_o,
    .reg2hw_o(csr_reg2hw), .hw2reg_i(csr_hw2reg),
    .irq_o
  );

  assign start          = csr_reg2hw.ctrl.start;
  assign soft_reset     = csr_reg2hw.ctrl.soft_reset;
  assign clear_counters = csr_reg2hw.ctrl.clear_counters;
  assign prog_base      = 32'(csr_reg2hw.prog_base.addr) << csr_pkg::CSR_PROG_BASE_ADDR_LSB;
  assign prog_len       = csr_reg2hw.prog_len;
  assign watchdog       = csr_reg2hw.watchdog;
  assign win_base       = csr_reg2hw.win_base;
  assign win_limit      = csr_reg2hw.win_limit;
  assign win_ctrl       = csr_reg2hw.win_ctrl;
  assign sem_we         = csr_reg2hw.sem.we;
  assign sem_idx        = csr_reg2hw.sem.idx;
  assign sem_wdata      = csr_reg2hw.sem.wdata;
  assign sem_rd_idx     = csr_reg2hw.sem.rd_idx;
  assign cnt_rd_idx     = csr_reg2hw.cnt.rd_idx;

  assign csr_hw2reg.status.busy         = busy;
  assign csr_hw2reg.status.done         = done;
  assign csr_hw2reg.status.error        = error;
  assign csr_hw2reg.irq_status.done     = done_event;
  assign csr_hw2reg.irq_status.error    = error_event;
  assign csr_hw2reg.err_code            = 32'(err_code);
  assign csr_hw2reg.err_index           = err_index;
  assign csr_hw2reg.err_info.engine     =
      err_info[csr_pkg::CSR_ERR_INFO_ENGINE_LSB +: csr_pkg::CSR_ERR_INFO_ENGINE_WIDTH];
  assign csr_hw2reg.err_info.axi_resp   =
      err_info[csr_pkg::CSR_ERR_INFO_AXI_RESP_LSB +: csr_pkg::CSR_ERR_INFO_AXI_RESP_WIDTH];
  assign csr_hw2reg.err_info.axi_write  = err_info[csr_pkg::CSR_ERR_INFO_AXI_WRITE_LSB];
  assign csr_hw2reg.sem.rd_data         = sem_rd_data;
  assign csr_hw2reg.cnt.rd_data         = cnt_rd_data;
  // The sequencer's ERR_INFO bits outside the fields are reserved (read 0).
  logic unused_err_info;
  assign unused_err_info = ^(err_info & ~(csr_pkg::CSR_ERR_INFO_ENGINE_MASK |
      csr_pkg::CSR_ERR_INFO_AXI_RESP_MASK | csr_pkg::CSR_ERR_INFO_AXI_WRITE_MASK));

  // ---- AXI masters (arbiter side) ------------------------------------------------------------
  logic [NMst-1:0]        mst_ar_valid, mst_ar_ready, mst_r_valid, mst_r_ready;
  logic [NMst*32-1:0]     mst_ar_addr, mst_aw_addr;
  logic [NMst*8-1:0]      mst_ar_len, mst_aw_len;
  logic [NMst-1:0]        mst_aw_valid, mst_aw_ready, mst_w_valid, mst_w_ready, mst_w_last;
  logic [NMst*DW-1:0]     mst_w_data;
  logic [NMst*DW/8-1:0]   mst_w_strb;
  logic [NMst-1:0]        mst_b_valid, mst_b_ready;
  logic [DW-1:0]          r_data;
  logic [1:0]             r_resp, b_resp;
  logic                   r_last;

  // Fetch only reads.
  assign mst_aw_valid[0]       = 1'b0;
  assign mst_aw_addr[0 +: 32]  = '0;
  assign mst_aw_len[0 +: 8]    = '0;
  assign mst_w_valid[0]        = 1'b0;
  assign mst_w_data[0 +: DW]   = '0;
  assign mst_w_strb[0 +: DW/8] = '0;
  assign mst_w_last[0]         = 1'b0;
  assign mst_b_ready[0]        = 1'b1;
  // The arbiter's write-side answers to master 0 are never used (fetch has no writes).
  logic unused_fetch_w;
  assign unused_fetch_w = ^{mst_aw_ready[0], mst_w_ready[0], mst_b_valid[0]};

  axi_arbiter #(.NMst(NMst), .AxiDataBits(AxiDataBits)) u_arb (
    .clk_i, .rst_ni,
    .mst_ar_valid_i(mst_ar_valid), .mst_ar_ready_o(mst_ar_ready), .mst_ar_addr_i(mst_ar_addr),
    .mst_ar_len_i(mst_ar_len),
    .mst_r_valid_o(mst_r_valid), .mst_r_ready_i(mst_r_ready), .mst_r_data_o(r_data),
    .mst_r_resp_o(r_resp), .mst_r_last_o(r_last),
    .mst_aw_valid_i(mst_aw_valid), .mst_aw_ready_o(mst_aw_ready), .mst_aw_addr_i(mst_aw_addr),
    .mst_aw_len_i(mst_aw_len),
    .mst_w_valid_i(mst_w_valid), .mst_w_ready_o(mst_w_ready), .mst_w_data_i(mst_w_data),
    .mst_w_strb_i(mst_w_strb), .mst_w_last_i(mst_w_last),
    .mst_b_valid_o(mst_b_valid), .mst_b_ready_i(mst_b_ready), .mst_b_resp_o(b_resp),
    .aw_valid_o(m_axi_awvalid_o), .aw_ready_i(m_axi_awready_i), .aw_id_o(m_axi_awid_o),
    .aw_addr_o(m_axi_awaddr_o), .aw_len_o(m_axi_awlen_o), .aw_size_o(m_axi_awsize_o),
    .aw_burst_o(m_axi_awburst_o),
    .w_valid_o(m_axi_wvalid_o), .w_ready_i(m_axi_wready_i), .w_data_o(m_axi_wdata_o),
    .w_strb_o(m_axi_wstrb_o), .w_last_o(m_axi_wlast_o),
    .b_valid_i(m_axi_bvalid_i), .b_ready_o(m_axi_bready_o), .b_id_i(m_axi_bid_i),
    .b_resp_i(m_axi_bresp_i),
    .ar_valid_o(m_axi_arvalid_o), .ar_ready_i(m_axi_arready_i), .ar_id_o(m_axi_arid_o),
    .ar_addr_o(m_axi_araddr_o), .ar_len_o(m_axi_arlen_o), .ar_size_o(m_axi_arsize_o),
    .ar_burst_o(m_axi_arburst_o),
    .r_valid_i(m_axi_rvalid_i), .r_ready_o(m_axi_rready_o), .r_id_i(m_axi_rid_i),
    .r_data_i(m_axi_rdata_i), .r_resp_i(m_axi_rresp_i), .r_last_i(m_axi_rlast_i)
  );

  // ---- sequencer -----------------------------------------------------------------------------
  // Engine slots (isa_pkg engine issue interface): slot e's request at [e*RQB +: RQB], its
  // response at [e*RSB +: RSB]; slot 0 = the tensor unit, 1+q = DMA queue q, 1+Q the vector
  // engine.
  logic [NEng*RQB-1:0]   eng_req;
  logic [NEng*RSB-1:0]   eng_rsp;
  logic                  stop, clr;
  logic [15:0]           fetch_bytes;
  logic [3:0]            retired, stall_sem;
  logic                  stall_queue;
  // The sequencer's timeline events (sequencer.sv): read by the simulator for --timeline
  // (sim/src/chip_sim_impl.hpp), used by nothing in the chip.
  logic [3*NEng+1:0]     tl_events /*verilator public_flat_rd*/;
  logic                  unused_tl;
  assign unused_tl = ^tl_events;

  sequencer #(
    .Partitions(Partitions), .Columns(Columns), .Nmax(Nmax), .SbufBytes(SbufBytes),
    .PsumBytes(PsumBytes), .EnableInt8(EnableInt8), .EnableBf16(EnableBf16),
    .EnableFp8(EnableFp8), .DmaQueues(DmaQueues), .QueueDepth(QueueDepth),
    .AxiDataBits(AxiDataBits), .EnableVector(EnableVector)
  ) u_seq (
    .clk_i, .rst_ni,
    .start_i(start), .soft_reset_i(soft_reset), .prog_base_i(prog_base), .prog_len_i(prog_len),
    .watchdog_i(watchdog), .win_base_i(win_base), .win_limit_i(win_limit), .win_ctrl_i(win_ctrl),
    .sem_we_i(sem_we), .sem_idx_i(sem_idx), .sem_wdata_i(sem_wdata),
    .sem_rd_idx_i(sem_rd_idx), .sem_rd_data_o(sem_rd_data),
    .busy_o(busy), .done_o(done), .error_o(error), .err_code_o(err_code),
    .err_index_o(err_index), .err_info_o(err_info),
    .done_event_o(done_event), .error_event_o(error_event),
    .ar_valid_o(mst_ar_valid[0]), .ar_ready_i(mst_ar_ready[0]), .ar_addr_o(mst_ar_addr[0 +: 32]),
    .ar_len_o(mst_ar_len[0 +: 8]),
    .r_valid_i(mst_r_valid[0]), .r_ready_o(mst_r_ready[0]), .r_data_i(r_data),
    .r_resp_i(r_resp), .r_last_i(r_last),
    .eng_req_o(eng_req), .eng_rsp_i(eng_rsp),
    .stop_o(stop), .clr_o(clr),
    .fetch_bytes_o(fetch_bytes), .retired_o(retired), .stall_sem_o(stall_sem),
    .stall_queue_o(stall_queue),
    .tl_events_o(tl_events)
  );

  // ---- memories ------------------------------------------------------------------------------
  // Port B of SBUF and the DMA port of PSUM move one row of RB bytes per partition and cycle
  // (docs/dma.md section 4).
  logic              sb_a_en;
  logic [SbAW-4:0]   sb_a_addr;
  logic [P*64-1:0]   sb_a_rdata;
  logic [P-1:0]      sb_b_en, sb_b_we;
  logic [P*SbRB-1:0] sb_b_addr;
  logic [P*RB-1:0]   sb_b_be;
  logic [P*RB*8-1:0] sb_b_wdata, sb_b_rdata;

  sbuf #(.Partitions(Partitions), .SbufBytes(SbufBytes), .RowBytes(RB)) u_sbuf (
    .clk_i,
    .a_en_i(sb_a_en), .a_addr_i(sb_a_addr), .a_rdata_o(sb_a_rdata),
    .b_en_i(sb_b_en), .b_we_i(sb_b_we), .b_addr_i(sb_b_addr), .b_be_i(sb_b_be),
    .b_wdata_i(sb_b_wdata), .b_rdata_o(sb_b_rdata)
  );

  logic              te_valid, te_acc, te_fp;
  logic [P*32-1:0]   te_data;
  logic [PsWB-1:0]   te_addr;
  logic [P-1:0]      te_mask, ps_d_en, ps_d_we;
  logic [P*PsRB-1:0] ps_d_addr;
  logic [P*RB-1:0]   ps_d_be;
  logic [P*RB*8-1:0] ps_d_wdata;
  logic [P*PsBanks*RB*8-1:0] ps_d_rdata;  // every bank's last read row (psum.sv)
  logic [PsBanks-1:0] ps_busy_rd, ps_busy_wr;

  /* verilator lint_off PINCONNECTEMPTY */
  psum #(.Partitions(Partitions), .PsumBytes(PsumBytes), .EnableBf16(EnableBf16),
         .EnableFp8(EnableFp8), .RowBytes(RB), .Banks(PsBanks)) u_psum (
    .clk_i, .rst_ni,
    .te_valid_i(te_valid), .te_data_i(te_data), .te_addr_i(te_addr), .te_mask_i(te_mask),
    .te_acc_i(te_acc), .te_fp_i(te_fp), .te_wr_o(),
    .d_en_i(ps_d_en), .d_we_i(ps_d_we), .d_addr_i(ps_d_addr), .d_be_i(ps_d_be),
    .d_wdata_i(ps_d_wdata), .d_rdata_o(ps_d_rdata), .busy_rd_o(ps_busy_rd), .busy_wr_o(ps_busy_wr)
  );
  /* verilator lint_on PINCONNECTEMPTY */

  // ---- tensor unit (engine slot 0) -----------------------------------------------------------
  isa_pkg::eng_rsp_t te_rsp;
  logic              te_busy;
  logic [31:0]       te_macs;

  tensor_unit #(
    .Partitions(Partitions), .Columns(Columns), .Nmax(Nmax), .SbufBytes(SbufBytes),
    .PsumBytes(PsumBytes), .EnableInt8(EnableInt8), .EnableBf16(EnableBf16),
    .EnableFp8(EnableFp8)
  ) u_tensor (
    .clk_i, .rst_ni, .clr_i(clr),
    .req_i(eng_req[0 +: RQB]), .rsp_o(te_rsp), .done_macs_o(te_macs), .busy_o(te_busy),
    .sb_en_o(sb_a_en), .sb_addr_o(sb_a_addr), .sb_rdata_i(sb_a_rdata),
    .ps_valid_o(te_valid), .ps_data_o(te_data), .ps_addr_o(te_addr), .ps_mask_o(te_mask),
    .ps_acc_o(te_acc), .ps_fp_o(te_fp)
  );
  assign eng_rsp[0 +: RSB] = te_rsp;

  // ---- DMA queues (engine slots 1..Q, AXI masters 1..Q) --------------------------------------
  // Requester 2q is queue q's source side, 2q+1 its destination side; one set of request fields
  // goes to both crossbars, the enables say which.
  logic [2*Q-1:0]        oc_sb_en, oc_ps_en, oc_we, oc_col, oc_sb_gnt, oc_ps_gnt;
  logic [2*Q*PartB-1:0]  oc_part;
  logic [2*Q*8-1:0]      oc_np;
  logic [2*Q*OcRB-1:0]   oc_row;
  logic [2*Q*OffB-1:0]   oc_off;
  logic [2*Q*2-1:0]      oc_lg;
  logic [2*Q*RB-1:0]     oc_be;
  logic [2*Q*RB*8-1:0]   oc_wdata;
  logic [Q-1:0]          dma_busy, dma_stall;
  logic [Q*16-1:0]       dma_rd_bytes, dma_wr_bytes;

  for (genvar q = 0; q < Q; q++) begin : gen_dma
    dma_queue #(
      .Partitions(Partitions), .SbufBytes(SbufBytes), .PsumBytes(PsumBytes),
      .AxiDataBits(AxiDataBits)
    ) u_dma (
      .clk_i, .rst_ni, .clr_i(clr), .stop_i(stop),
      .req_i(eng_req[(1+q)*RQB +: RQB]), .rsp_o(eng_rsp[(1+q)*RSB +: RSB]),
      .busy_o(dma_busy[q]), .stall_dram_o(dma_stall[q]),
      .rd_bytes_o(dma_rd_bytes[q*16 +: 16]), .wr_bytes_o(dma_wr_bytes[q*16 +: 16]),
      .ar_valid_o(mst_ar_valid[1+q]), .ar_ready_i(mst_ar_ready[1+q]),
      .ar_addr_o(mst_ar_addr[(1+q)*32 +: 32]), .ar_len_o(mst_ar_len[(1+q)*8 +: 8]),
      .r_valid_i(mst_r_valid[1+q]), .r_ready_o(mst_r_ready[1+q]), .r_data_i(r_data),
      .r_resp_i(r_resp), .r_last_i(r_last),
      .aw_valid_o(mst_aw_valid[1+q]), .aw_ready_i(mst_aw_ready[1+q]),
      .aw_addr_o(mst_aw_addr[(1+q)*32 +: 32]), .aw_len_o(mst_aw_len[(1+q)*8 +: 8]),
      .w_valid_o(mst_w_valid[1+q]), .w_ready_i(mst_w_ready[1+q]),
      .w_data_o(mst_w_data[(1+q)*DW +: DW]), .w_strb_o(mst_w_strb[(1+q)*DW/8 +: DW/8]),
      .w_last_o(mst_w_last[1+q]),
      .b_valid_i(mst_b_valid[1+q]), .b_ready_o(mst_b_ready[1+q]), .b_resp_i(b_resp),
      .sb_en_o(oc_sb_en[2*q +: 2]), .ps_en_o(oc_ps_en[2*q +: 2]), .oc_we_o(oc_we[2*q +: 2]),
      .oc_col_o(oc_col[2*q +: 2]), .oc_part_o(oc_part[2*q*PartB +: 2*PartB]),
      .oc_np_o(oc_np[2*q*8 +: 16]), .oc_row_o(oc_row[2*q*OcRB +: 2*OcRB]),
      .oc_off_o(oc_off[2*q*OffB +: 2*OffB]), .oc_lg_o(oc_lg[2*q*2 +: 4]),
      .oc_be_o(oc_be[2*q*RB +: 2*RB]), .oc_wdata_o(oc_wdata[2*q*RB*8 +: 2*RB*8]),
      .sb_gnt_i(oc_sb_gnt[2*q +: 2]), .ps_gnt_i(oc_ps_gnt[2*q +: 2]),
      .sb_rows_i(sb_b_rdata), .ps_rows_i(ps_d_rdata)
    );
  end

  // ---- vector engine (engine slot 1+Q) and the crossbars' requesters -------------------------
  // Each crossbar takes the DMA sides (requesters 0..2Q-1, the same fields on both) and, with
  // the vector engine, its three block streams on that memory (2Q + k: reader 0, reader 1,
  // writer; docs/vector_engine.md section 4).
  logic [NXR-1:0]        sx_en, px_en, xb_we, xb_col, sx_gnt, px_gnt;
  logic [NXR*PartB-1:0]  sx_part, px_part;
  logic [NXR*8-1:0]      sx_np, px_np;
  logic [NXR*OcRB-1:0]   sx_row, px_row;
  logic [NXR*OffB-1:0]   xb_off;
  logic [NXR*2-1:0]      xb_lg;
  logic [NXR*RB-1:0]     xb_be;
  logic [NXR*RB*8-1:0]   xb_wdata;
  localparam int NBW = (V != 0) ? 3 : 1;  // the crossbars' block ports (one unused without)
  logic [NBW-1:0]        sx_blk, px_blk;
  logic [NBW*P*RB-1:0]   xb_blk_be;
  logic [NBW*P*RB*8-1:0] xb_blk_wdata;
  logic                  vec_busy;

  if (V != 0) begin : gen_vec
    localparam int VOffB = 18;  // a TAP's byte offset (isa_pkg::tap_t)
    localparam int VRowB = VOffB - OffB;
    logic [5:0]          blk_req, blk_gnt;
    logic [6*VRowB-1:0]  blk_row;
    logic [6*PartB-1:0]  blk_part;
    logic [6*8-1:0]      blk_np;
    logic [P*RB-1:0]     wr_be;
    logic [P*RB*8-1:0]   wr_data;
    // Rows above the memory's (OcRB bits) are never asked for: decode_check refused a TAP
    // outside its space.
    logic                unused_rows;
    assign unused_rows = ^blk_row;

    vec_engine #(
      .Partitions(Partitions), .RowBytes(RB), .OffBits(VOffB), .PsBanks(PsBanks),
      .PsBankLsb(PsRB - PsBankB)
    ) u_vec (
      .clk_i, .rst_ni, .clr_i(clr),
      .req_i(eng_req[(1+Q)*RQB +: RQB]), .rsp_o(eng_rsp[(1+Q)*RSB +: RSB]),
      .blk_req_o(blk_req), .blk_row_o(blk_row), .blk_part_o(blk_part), .blk_np_o(blk_np),
      .blk_gnt_i(blk_gnt), .wr_be_o(wr_be), .wr_data_o(wr_data),
      .sb_rows_i(sb_b_rdata), .ps_rows_i(ps_d_rdata), .busy_o(vec_busy)
    );

    assign sx_blk = blk_req[2:0];
    assign px_blk = blk_req[5:3];
    assign blk_gnt = {px_gnt[2*Q +: 3], sx_gnt[2*Q +: 3]};
    assign sx_en   = {blk_req[2:0], oc_sb_en};
    assign px_en   = {blk_req[5:3], oc_ps_en};
    assign xb_we   = {3'b100, oc_we};
    assign xb_col  = {3'b000, oc_col};
    for (genvar k = 0; k < 3; k++) begin : gen_req
      assign sx_part[(2*Q + k)*PartB +: PartB] = blk_part[k*PartB +: PartB];
      assign px_part[(2*Q + k)*PartB +: PartB] = blk_part[(3 + k)*PartB +: PartB];
      assign sx_np[(2*Q + k)*8 +: 8]           = blk_np[k*8 +: 8];
      assign px_np[(2*Q + k)*8 +: 8]           = blk_np[(3 + k)*8 +: 8];
      assign sx_row[(2*Q + k)*OcRB +: OcRB]    = blk_row[k*VRowB +: OcRB];
      assign px_row[(2*Q + k)*OcRB +: OcRB]    = blk_row[(3 + k)*VRowB +: OcRB];
    end
    assign sx_part[0 +: 2*Q*PartB] = oc_part;
    assign px_part[0 +: 2*Q*PartB] = oc_part;
    assign sx_np[0 +: 2*Q*8]       = oc_np;
    assign px_np[0 +: 2*Q*8]       = oc_np;
    assign sx_row[0 +: 2*Q*OcRB]   = oc_row;
    assign px_row[0 +: 2*Q*OcRB]   = oc_row;
    assign xb_off   = {{(3*OffB){1'b0}}, oc_off};
    assign xb_lg    = {6'd0, oc_lg};
    assign xb_be    = {{(3*RB){1'b0}}, oc_be};
    assign xb_wdata = {{(3*RB*8){1'b0}}, oc_wdata};
    // Only the writer's block carries data (block 2).
    assign xb_blk_be    = {wr_be, {(2*P*RB){1'b0}}};
    assign xb_blk_wdata = {wr_data, {(2*P*RB*8){1'b0}}};
  end else begin : gen_novec
    assign sx_en    = oc_sb_en;
    assign px_en    = oc_ps_en;
    assign xb_we    = oc_we;
    assign xb_col   = oc_col;
    assign sx_part  = oc_part;
    assign px_part  = oc_part;
    assign sx_np    = oc_np;
    assign px_np    = oc_np;
    assign sx_row   = oc_row;
    assign px_row   = oc_row;
    assign xb_off   = oc_off;
    assign xb_lg    = oc_lg;
    assign xb_be    = oc_be;
    assign xb_wdata = oc_wdata;
    assign sx_blk   = '0;
    assign px_blk   = '0;
    assign xb_blk_be    = '0;
    assign xb_blk_wdata = '0;
    assign vec_busy = 1'b0;
  end
  assign oc_sb_gnt = sx_gnt[0 +: 2*Q];
  assign oc_ps_gnt = px_gnt[0 +: 2*Q];

  mem_xbar #(.NReq(NXR), .Partitions(Partitions), .RowBytes(RB), .RowAddrBits(SbRB),
             .ReqRowBits(OcRB), .Banks(1), .BankRowBits(1), .NBlk(3 * V)) u_sb_xbar (
    .clk_i, .rst_ni,
    .req_en_i(sx_en), .req_we_i(xb_we), .req_col_i(xb_col), .req_part_i(sx_part),
    .req_np_i(sx_np), .req_row_i(sx_row), .req_off_i(xb_off), .req_lg_i(xb_lg),
    .req_be_i(xb_be), .req_wdata_i(xb_wdata), .req_gnt_o(sx_gnt),
    .mem_en_o(sb_b_en), .mem_we_o(sb_b_we), .mem_addr_o(sb_b_addr), .mem_be_o(sb_b_be),
    .mem_wdata_o(sb_b_wdata), .busy_rd_i(1'b0), .busy_wr_i(1'b0), .part_busy_i({P{1'b0}}),
    .blk_i(sx_blk), .blk_be_i(xb_blk_be), .blk_wdata_i(xb_blk_wdata)
  );

  mem_xbar #(.NReq(NXR), .Partitions(Partitions), .RowBytes(RB), .RowAddrBits(PsRB),
             .ReqRowBits(OcRB), .Banks(PsBanks), .BankRowBits(PsRB - PsBankB), .NBlk(3 * V)) u_ps_xbar (
    .clk_i, .rst_ni,
    .req_en_i(px_en), .req_we_i(xb_we), .req_col_i(xb_col), .req_part_i(px_part),
    .req_np_i(px_np), .req_row_i(px_row), .req_off_i(xb_off), .req_lg_i(xb_lg),
    .req_be_i(xb_be), .req_wdata_i(xb_wdata), .req_gnt_o(px_gnt),
    .mem_en_o(ps_d_en), .mem_we_o(ps_d_we), .mem_addr_o(ps_d_addr), .mem_be_o(ps_d_be),
    .mem_wdata_o(ps_d_wdata), .busy_rd_i(ps_busy_rd), .busy_wr_i(ps_busy_wr),
    .part_busy_i({P{1'b0}}),
    .blk_i(px_blk), .blk_be_i(xb_blk_be), .blk_wdata_i(xb_blk_wdata)
  );

  // ---- performance counters ------------------------------------------------------------------
  logic [15:0] rd_bytes_sum, wr_bytes_sum;
  always_comb begin
    rd_bytes_sum = '0;
    wr_bytes_sum = '0;
    for (int q = 0; q < Q; q++) begin
      rd_bytes_sum = rd_bytes_sum + dma_rd_bytes[q*16 +: 16];
      wr_bytes_sum = wr_bytes_sum + dma_wr_bytes[q*16 +: 16];
    end
  end

  perf_counters u_counters (
    .clk_i, .rst_ni, .clear_i(clear_counters),
    .busy_i(busy), .te_busy_i(te_busy), .vec_busy_i(vec_busy), .dma_busy_i(dma_busy != '0),
    .macs_add_i(te_rsp.done ? te_macs : 32'd0),
    .dram_rd_add_i(rd_bytes_sum), .dram_wr_add_i(wr_bytes_sum), .fetch_add_i(fetch_bytes),
    .retired_add_i(retired), .stall_sem_add_i(stall_sem), .stall_queue_i(stall_queue),
    .stall_dram_i(dma_stall != '0),
    .rd_idx_i(cnt_rd_idx), .rd_data_o(cnt_rd_data)
  );

  // The protocol checkers (docs/chip.md section 9) are bound into this module from outside the
  // design: sim/checkers/chip_checkers_bind.sv, compiled into every simulation model of the chip.

endmodule
