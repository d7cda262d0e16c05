/// host_tb: test-bench top for verif/host: csr_regs and perf_counters wired as in the chip, with
/// a behavioural core stub. The C++ bench drives the AXI4-Lite slave (axil_master.hpp) and the
/// core's status, events and counter inputs directly through ports.
/// csr_regs talks to the core through the generated structs csr_pkg::csr_reg2hw_t and
/// csr_hw2reg_t; this wrapper unpacks them to one port per signal (as chip_top does for the
/// sequencer), so the C++ bench sees narrow named ports rather than one wide vector.
/// Core stub: 32 semaphores written by the host port (sem_we_o), by the bench as the core would
/// (core_sem_*), zeroed by soft reset, and read combinationally through reg2hw.sem.rd_idx; pulse
/// counters for start_o, soft_reset_o, clear_counters_o and sem_we_o, so a test sees every
/// command pulse without sampling each cycle.
module host_tb #(
  parameter int Partitions   = 16,
  parameter int Columns      = 16,
  parameter int Nmax         = 512,
  parameter int SbufBytes    = 65536,
  parameter int PsumBytes    = 8192,
  parameter int EnableInt8   = 1,
  parameter int EnableBf16   = 1,
  parameter int EnableFp8    = 1,
  parameter int DmaQueues    = 4,
  parameter int QueueDepth   = 16,
  parameter int AxiDataBits  = 256,
  parameter int EnableVector = 0
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  // AXI4-Lite slave.
  input  logic          s_axil_awvalid_i,
  output logic          s_axil_awready_o,
  input  logic [11:0]   s_axil_awaddr_i,
  input  logic          s_axil_wvalid_i,
  output logic          s_axil_wready_o,
  input  logic [31:0]   s_axil_wdata_i,
  input  logic [3:0]    s_axil_wstrb_i,
  output logic          s_axil_bvalid_o,
  input  logic          s_axil_bready_i,
  output logic [1:0]    s_axil_bresp_o,
  input  logic          s_axil_arvalid_i,
  output logic          s_axil_arready_o,
  input  logic [11:0]   s_axil_araddr_i,
  output logic          s_axil_rvalid_o,
  input  logic          s_axil_rready_i,
  output logic [31:0]   s_axil_rdata_o,
  output logic [1:0]    s_axil_rresp_o,
  // csr_regs outputs to the core.
  output logic          start_o,
  output logic          soft_reset_o,
  output logic          clear_counters_o,
  output logic [31:0]   prog_base_o,
  output logic [31:0]   prog_len_o,
  output logic [31:0]   watchdog_o,
  output logic [127:0]  win_base_o,
  output logic [127:0]  win_limit_o,
  output logic [11:0]   win_ctrl_o,
  output logic          sem_we_o,
  output logic [4:0]    sem_idx_o,
  output logic [31:0]   sem_wdata_o,
  output logic          irq_o,
  // Core status (driven by the bench).
  input  logic          busy_i,
  input  logic          done_i,
  input  logic          error_i,
  input  logic [7:0]    err_code_i,
  input  logic [31:0]   err_index_i,
  input  logic [31:0]   err_info_i,
  input  logic          done_event_i,
  input  logic          error_event_i,
  // Counter inputs (CYCLES counts busy_i).
  input  logic          te_busy_i,
  input  logic          vec_busy_i,
  input  logic          dma_busy_i,
  input  logic [31:0]   macs_add_i,
  input  logic [15:0]   dram_rd_add_i,
  input  logic [15:0]   dram_wr_add_i,
  input  logic [15:0]   fetch_add_i,
  input  logic [3:0]    retired_add_i,
  input  logic [3:0]    stall_sem_add_i,
  input  logic          stall_queue_i,
  input  logic          stall_dram_i,
  // Core stub: a semaphore write as the core would do it (wins over a host write).
  input  logic          core_sem_we_i,
  input  logic [4:0]    core_sem_idx_i,
  input  logic [31:0]   core_sem_wdata_i,
  // Pulse counters (wrap at 2^16).
  output logic [15:0]   start_count_o,
  output logic [15:0]   soft_reset_count_o,
  output logic [15:0]   clear_count_o,
  output logic [15:0]   sem_we_count_o
);

  csr_pkg::csr_reg2hw_t reg2hw;
  csr_pkg::csr_hw2reg_t hw2reg;
  logic [4:0]  sem_rd_idx;
  logic [31:0] sem_rd_data;
  logic [3:0]  cnt_rd_idx;
  logic [63:0] cnt_rd_data;

  csr_regs #(
    .Partitions  (Partitions),
    .Columns     (Columns),
    .Nmax        (Nmax),
    .SbufBytes   (SbufBytes),
    .PsumBytes   (PsumBytes),
    .EnableInt8  (EnableInt8),
    .EnableBf16  (EnableBf16),
    .EnableFp8   (EnableFp8),
    .DmaQueues   (DmaQueues),
    .QueueDepth  (QueueDepth),
    .AxiDataBits (AxiDataBits),
    .EnableVector(EnableVector)
  ) u_csr (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .s_axil_awvalid_i(s_axil_awvalid_i),
    .s_axil_awready_o(s_axil_awready_o),
    .s_axil_awaddr_i (s_axil_awaddr_i),
    .s_axil_wvalid_i (s_axil_wvalid_i),
    .s_axil_wready_o (s_axil_wready_o),
    .s_axil_wdata_i  (s_axil_wdata_i),
    .s_axil_wstrb_i  (s_axil_wstrb_i),
    .s_axil_bvalid_o (s_axil_bvalid_o),
    .s_axil_bready_i (s_axil_bready_i),
    .s_axil_bresp_o  (s_axil_bresp_o),
    .s_axil_arvalid_i(s_axil_arvalid_i),
    .s_axil_arready_o(s_axil_arready_o),
    .s_axil_araddr_i (s_axil_araddr_i),
    .s_axil_rvalid_o (s_axil_rvalid_o),
    .s_axil_rready_i (s_axil_rready_i),
    .s_axil_rdata_o  (s_axil_rdata_o),
    .s_axil_rresp_o  (s_axil_rresp_o),
    .reg2hw_o        (reg2hw),
    .hw2reg_i        (hw2reg),
    .irq_o           (irq_o)
  );

  // The structs, one field per port (the ports keep the names csr_regs had before the structs).
  assign start_o          = reg2hw.ctrl.start;
  assign soft_reset_o     = reg2hw.ctrl.soft_reset;
  assign clear_counters_o = reg2hw.ctrl.clear_counters;
  assign prog_base_o      = 32'(reg2hw.prog_base.addr) << csr_pkg::CSR_PROG_BASE_ADDR_LSB;
  assign prog_len_o       = reg2hw.prog_len;
  assign watchdog_o       = reg2hw.watchdog;
  assign win_base_o       = reg2hw.win_base;
  assign win_limit_o      = reg2hw.win_limit;
  assign win_ctrl_o       = reg2hw.win_ctrl;
  assign sem_we_o         = reg2hw.sem.we;
  assign sem_idx_o        = reg2hw.sem.idx;
  assign sem_wdata_o      = reg2hw.sem.wdata;
  assign sem_rd_idx       = reg2hw.sem.rd_idx;
  assign cnt_rd_idx       = reg2hw.cnt.rd_idx;

  assign hw2reg.status.busy        = busy_i;
  assign hw2reg.status.done        = done_i;
  assign hw2reg.status.error       = error_i;
  assign hw2reg.irq_status.done    = done_event_i;
  assign hw2reg.irq_status.error   = error_event_i;
  assign hw2reg.err_code           = 32'(err_code_i);
  assign hw2reg.err_index          = err_index_i;
  assign hw2reg.err_info.engine    =
      err_info_i[csr_pkg::CSR_ERR_INFO_ENGINE_LSB +: csr_pkg::CSR_ERR_INFO_ENGINE_WIDTH];
  assign hw2reg.err_info.axi_resp  =
      err_info_i[csr_pkg::CSR_ERR_INFO_AXI_RESP_LSB +: csr_pkg::CSR_ERR_INFO_AXI_RESP_WIDTH];
  assign hw2reg.err_info.axi_write = err_info_i[csr_pkg::CSR_ERR_INFO_AXI_WRITE_LSB];
  assign hw2reg.sem.rd_data        = sem_rd_data;
  assign hw2reg.cnt.rd_data        = cnt_rd_data;
  // The bench drives all 32 bits of err_info_i; those outside ERR_INFO's fields read 0.
  logic unused_err_info;
  assign unused_err_info = ^(err_info_i & ~(csr_pkg::CSR_ERR_INFO_ENGINE_MASK |
      csr_pkg::CSR_ERR_INFO_AXI_RESP_MASK | csr_pkg::CSR_ERR_INFO_AXI_WRITE_MASK));

  perf_counters u_perf (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .clear_i        (clear_counters_o),
    .busy_i         (busy_i),
    .te_busy_i      (te_busy_i),
    .vec_busy_i     (vec_busy_i),
    .dma_busy_i     (dma_busy_i),
    .macs_add_i     (macs_add_i),
    .dram_rd_add_i  (dram_rd_add_i),
    .dram_wr_add_i  (dram_wr_add_i),
    .fetch_add_i    (fetch_add_i),
    .retired_add_i  (retired_add_i),
    .stall_sem_add_i(stall_sem_add_i),
    .stall_queue_i  (stall_queue_i),
    .stall_dram_i   (stall_dram_i),
    .rd_idx_i       (cnt_rd_idx),
    .rd_data_o      (cnt_rd_data)
  );

  // ---- core stub -----------------------------------------------------------------------------
  logic [31:0] sem_q [32];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int i = 0; i < 32; i++) sem_q[i] <= '0;
    end else if (soft_reset_o) begin
      for (int i = 0; i < 32; i++) sem_q[i] <= '0;
    end else if (core_sem_we_i) begin
      sem_q[core_sem_idx_i] <= core_sem_wdata_i;
    end else if (sem_we_o) begin
      sem_q[sem_idx_o] <= sem_wdata_o;
    end
  end
  assign sem_rd_data = sem_q[sem_rd_idx];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      start_count_o      <= '0;
      soft_reset_count_o <= '0;
      clear_count_o      <= '0;
      sem_we_count_o     <= '0;
    end else begin
      start_count_o      <= start_count_o + 16'(start_o);
      soft_reset_count_o <= soft_reset_count_o + 16'(soft_reset_o);
      clear_count_o      <= clear_count_o + 16'(clear_counters_o);
      sem_we_count_o     <= sem_we_count_o + 16'(sem_we_o);
    end
  end

endmodule
