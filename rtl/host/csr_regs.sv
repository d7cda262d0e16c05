/// csr_regs: the host register block of docs/csr.md behind an AXI4-Lite slave (32-bit data,
/// 12-bit address; offsets, masks and reset values from the generated csr_pkg).
///
/// AXI4-Lite: one outstanding write and one outstanding read. AW and W are accepted
/// independently (either order, or together) into holding registers; the write is performed in
/// the first cycle both are held, and its B response is registered and held until BREADY.
/// AWREADY/WREADY are low while their holding register is full or a B response waits, so a
/// write takes at least 3 cycles from AW/W to B. A read is decoded in the cycle AR is accepted
/// (ARREADY = no R response waiting); R follows one cycle later and is held until RREADY.
/// Ready outputs never depend on the valid inputs. Unmapped offsets get SLVERR (read data 0,
/// write ignored); read-only words and bits ignore writes with OKAY (csr.md section 1).
///
/// Core side: start_o, soft_reset_o, clear_counters_o and sem_we_o are registered one-cycle
/// pulses in the cycle after the write is performed, i.e. in the cycle the B response becomes
/// valid. The core is expected to raise busy_i in the cycle after start_o (the next START can
/// be performed at the earliest two cycles after start_o, so it is then ignored). START is
/// dropped while busy_i or error_i is high and in a write that also sets SOFT_RESET. Writes to
/// WIN_* and SEM are dropped while busy_i is high; a SEM write is a read-modify-write of the
/// core's semaphore through sem_rd_idx_o/sem_rd_data_i (for byte strobes), during which no AR
/// is accepted. STATUS, ERR_* and the semaphore values are owned by the core; IRQ_STATUS is
/// here: set by done_event_i/error_event_i, cleared by w1c writes and by soft reset (the clear
/// is applied in the cycle soft_reset_o is high and wins over events in that cycle).
/// Counters: the 64-bit value of counter cnt_rd_idx_o is read combinationally from
/// perf_counters; reading a LO word captures the HI half into the single snapshot register
/// that every HI word reads (csr.md section 7). CLEAR_COUNTERS also zeroes the snapshot, except
/// that a LO read in that same cycle captures the value before the clear.
`include "systole_assert.svh"

module csr_regs #(
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
  // AXI4-Lite slave: write address, write data, write response.
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
  // AXI4-Lite slave: read address, read data.
  input  logic          s_axil_arvalid_i,
  output logic          s_axil_arready_o,
  input  logic [11:0]   s_axil_araddr_i,
  output logic          s_axil_rvalid_o,
  input  logic          s_axil_rready_i,
  output logic [31:0]   s_axil_rdata_o,
  output logic [1:0]    s_axil_rresp_o,
  // Commands to the core (one-cycle pulses).
  output logic          start_o,
  output logic          soft_reset_o,
  output logic          clear_counters_o,
  // Configuration for the core.
  output logic [31:0]   prog_base_o,
  output logic [31:0]   prog_len_o,
  output logic [31:0]   watchdog_o,
  output logic [127:0]  win_base_o,   // window i at [32*i +: 32]
  output logic [127:0]  win_limit_o,  // window i at [32*i +: 32]
  output logic [11:0]   win_ctrl_o,   // window i at [3*i +: 3] = {WRITE, READ, EN}
  // Host semaphore write (issued only while !busy_i).
  output logic          sem_we_o,
  output logic [4:0]    sem_idx_o,
  output logic [31:0]   sem_wdata_o,
  // Narrow read ports into the core (combinational lookups there, same cycle).
  output logic [4:0]    sem_rd_idx_o,
  input  logic [31:0]   sem_rd_data_i,
  output logic [3:0]    cnt_rd_idx_o,
  input  logic [63:0]   cnt_rd_data_i,
  // Status from the core.
  input  logic          busy_i,
  input  logic          done_i,
  input  logic          error_i,
  input  logic [7:0]    err_code_i,
  input  logic [31:0]   err_index_i,
  input  logic [31:0]   err_info_i,
  input  logic          done_event_i,   // one-cycle pulse: sets IRQ_STATUS.DONE
  input  logic          error_event_i,  // one-cycle pulse: sets IRQ_STATUS.ERROR
  // Interrupt: high while (IRQ_STATUS & IRQ_ENABLE) != 0.
  output logic          irq_o
);

  typedef logic [31:0] word_t;

  localparam int unsigned NumWin = csr_pkg::CSR_WIN_BASE_COUNT;
  localparam int unsigned NumSem = csr_pkg::CSR_SEM_COUNT;
  // WIN_CTRL keeps only its three defined bits (EN, READ, WRITE).
  localparam logic [2:0] WinCtrlMask = csr_pkg::CSR_WIN_CTRL_RW_MASK[2:0];
  localparam logic [2:0] WinCtrlReset = csr_pkg::CSR_WIN_CTRL_RESET[2:0];

  // ---- configuration registers (constants of the parameters, csr.md section 8) -------------
  localparam logic [31:0] CfgArray =
      ((32'(Partitions) << csr_pkg::CSR_CFG_ARRAY_P_LSB) & csr_pkg::CSR_CFG_ARRAY_P_MASK) |
      ((32'(Columns) << csr_pkg::CSR_CFG_ARRAY_C_LSB) & csr_pkg::CSR_CFG_ARRAY_C_MASK);
  localparam logic [31:0] CfgSbuf = 32'(SbufBytes);
  localparam logic [31:0] CfgPsum = 32'(PsumBytes);
  localparam logic [31:0] CfgFeat =
      ((32'(EnableInt8 != 0) << csr_pkg::CSR_CFG_FEAT_INT8_LSB) &
       csr_pkg::CSR_CFG_FEAT_INT8_MASK) |
      ((32'(EnableBf16 != 0) << csr_pkg::CSR_CFG_FEAT_BF16_LSB) &
       csr_pkg::CSR_CFG_FEAT_BF16_MASK) |
      ((32'(EnableFp8 != 0) << csr_pkg::CSR_CFG_FEAT_FP8_E4M3_LSB) &
       csr_pkg::CSR_CFG_FEAT_FP8_E4M3_MASK) |
      ((32'(EnableVector != 0) << csr_pkg::CSR_CFG_FEAT_VECTOR_LSB) &
       csr_pkg::CSR_CFG_FEAT_VECTOR_MASK) |
      ((32'(DmaQueues) << csr_pkg::CSR_CFG_FEAT_DMA_QUEUES_LSB) &
       csr_pkg::CSR_CFG_FEAT_DMA_QUEUES_MASK) |
      ((32'(QueueDepth) << csr_pkg::CSR_CFG_FEAT_QUEUE_DEPTH_LSB) &
       csr_pkg::CSR_CFG_FEAT_QUEUE_DEPTH_MASK) |
      ((32'(NumSem) << csr_pkg::CSR_CFG_FEAT_SEMAPHORES_LSB) &
       csr_pkg::CSR_CFG_FEAT_SEMAPHORES_MASK);
  localparam logic [31:0] CfgNmax =
      ((32'(Nmax) << csr_pkg::CSR_CFG_NMAX_NMAX_LSB) & csr_pkg::CSR_CFG_NMAX_NMAX_MASK) |
      ((32'(AxiDataBits) << csr_pkg::CSR_CFG_NMAX_AXI_DATA_BITS_LSB) &
       csr_pkg::CSR_CFG_NMAX_AXI_DATA_BITS_MASK);
  localparam logic [31:0] ErrInfoMask = csr_pkg::CSR_ERR_INFO_ENGINE_MASK |
      csr_pkg::CSR_ERR_INFO_AXI_RESP_MASK | csr_pkg::CSR_ERR_INFO_AXI_WRITE_MASK;

  // ---- state ---------------------------------------------------------------------------------
  // Write channel holding registers and response.
  logic          aw_full_q, aw_full_d, w_full_q, w_full_d;
  logic [11:2]   aw_addr_q, aw_addr_d;
  word_t         w_data_q, w_data_d;
  logic [3:0]    w_strb_q, w_strb_d;
  logic          bvalid_q, bvalid_d;
  logic [1:0]    bresp_q, bresp_d;
  // Read channel response.
  logic          rvalid_q, rvalid_d;
  word_t         rdata_q, rdata_d;
  logic [1:0]    rresp_q, rresp_d;
  // Registers.
  word_t         prog_base_q, prog_base_d, prog_len_q, prog_len_d, watchdog_q, watchdog_d;
  word_t         irq_enable_q, irq_enable_d, irq_status_q, irq_status_d, snap_q, snap_d;
  // The windows as flat vectors, window i at [32*i +: 32] / [3*i +: 3]. Not `word_t [N-1:0]`:
  // yosys 0.23 accepts a 2-D packed array declared through a typedef but silently keeps only
  // its first element (a 128-bit word_t [3:0] becomes 32 flip-flops).
  logic [32*NumWin-1:0] win_base_q, win_base_d, win_limit_q, win_limit_d;
  logic [3*NumWin-1:0]  win_ctrl_q, win_ctrl_d;
  // Registered pulses and the semaphore write.
  logic          start_q, start_d, soft_reset_q, soft_reset_d, clear_q, clear_d;
  logic          sem_we_q, sem_we_d;
  logic [4:0]    sem_idx_q, sem_idx_d;
  word_t         sem_wdata_q, sem_wdata_d;

  // ---- AXI handshakes ------------------------------------------------------------------------
  logic       aw_fire, w_fire, ar_fire, do_write, sem_rmw;
  logic [9:0] wr_dec, rd_dec;
  logic [4:0] wr_sel, wr_idx, rd_sel, rd_idx;
  word_t      wmask, wset;
  word_t      rd_word;
  logic       rd_err;

  assign s_axil_awready_o = !aw_full_q && !bvalid_q;
  assign s_axil_wready_o  = !w_full_q && !bvalid_q;
  assign s_axil_bvalid_o  = bvalid_q;
  assign s_axil_bresp_o   = bresp_q;
  // No AR during a semaphore read-modify-write: it owns sem_rd_idx_o in that cycle.
  assign s_axil_arready_o = !rvalid_q && !sem_rmw;
  assign s_axil_rvalid_o  = rvalid_q;
  assign s_axil_rdata_o   = rdata_q;
  assign s_axil_rresp_o   = rresp_q;

  assign aw_fire  = s_axil_awvalid_i && s_axil_awready_o;
  assign w_fire   = s_axil_wvalid_i && s_axil_wready_o;
  assign ar_fire  = s_axil_arvalid_i && s_axil_arready_o;
  // Both halves held: the write is performed this cycle (bvalid_q is low whenever they are).
  assign do_write = aw_full_q && w_full_q;

  assign wr_dec = host_pkg::csr_decode_f({aw_addr_q, 2'b00});
  assign wr_sel = wr_dec[9:5];
  assign wr_idx = wr_dec[4:0];
  assign rd_dec = host_pkg::csr_decode_f({s_axil_araddr_i[11:2], 2'b00});
  assign rd_sel = rd_dec[9:5];
  assign rd_idx = rd_dec[4:0];
  assign sem_rmw = do_write && (wr_sel == host_pkg::SEL_SEM);

  // Byte lanes written; wset: bits written as 1 (a lane with its strobe low counts as zeros).
  assign wmask = {{8{w_strb_q[3]}}, {8{w_strb_q[2]}}, {8{w_strb_q[1]}}, {8{w_strb_q[0]}}};
  assign wset  = w_data_q & wmask;

  assign sem_rd_idx_o = sem_rmw ? wr_idx : rd_idx;
  assign cnt_rd_idx_o = rd_idx[3:0];

  // ---- read data -----------------------------------------------------------------------------
  always_comb begin
    rd_word = '0;
    rd_err  = 1'b0;
    unique case (rd_sel)
      host_pkg::SEL_ID:         rd_word = csr_pkg::CSR_ID_RESET;
      host_pkg::SEL_VERSION:    rd_word = csr_pkg::CSR_VERSION_RESET;
      host_pkg::SEL_CFG_ARRAY:  rd_word = CfgArray;
      host_pkg::SEL_CFG_SBUF:   rd_word = CfgSbuf;
      host_pkg::SEL_CFG_PSUM:   rd_word = CfgPsum;
      host_pkg::SEL_CFG_FEAT:   rd_word = CfgFeat;
      host_pkg::SEL_CFG_NMAX:   rd_word = CfgNmax;
      host_pkg::SEL_CTRL:       rd_word = '0;  // w1s: always reads 0
      host_pkg::SEL_STATUS: begin
        rd_word[csr_pkg::CSR_STATUS_BUSY_LSB]  = busy_i;
        rd_word[csr_pkg::CSR_STATUS_DONE_LSB]  = done_i;
        rd_word[csr_pkg::CSR_STATUS_ERROR_LSB] = error_i;
      end
      host_pkg::SEL_PROG_BASE:  rd_word = prog_base_q;
      host_pkg::SEL_PROG_LEN:   rd_word = prog_len_q;
      host_pkg::SEL_IRQ_ENABLE: rd_word = irq_enable_q;
      host_pkg::SEL_IRQ_STATUS: rd_word = irq_status_q;
      host_pkg::SEL_ERR_CODE:   rd_word = 32'(err_code_i);
      host_pkg::SEL_ERR_INDEX:  rd_word = err_index_i;
      host_pkg::SEL_ERR_INFO:   rd_word = err_info_i & ErrInfoMask;
      host_pkg::SEL_WATCHDOG:   rd_word = watchdog_q;
      host_pkg::SEL_WIN_BASE:   rd_word = win_base_q[32*rd_idx[1:0] +: 32];
      host_pkg::SEL_WIN_LIMIT:  rd_word = win_limit_q[32*rd_idx[1:0] +: 32];
      host_pkg::SEL_WIN_CTRL:   rd_word = 32'(win_ctrl_q[3*rd_idx[1:0] +: 3]);
      host_pkg::SEL_SEM:        rd_word = sem_rd_data_i;
      host_pkg::SEL_CNT_LO:     rd_word = cnt_rd_data_i[31:0];
      host_pkg::SEL_CNT_HI:     rd_word = snap_q;
      default:        rd_err = 1'b1;  // host_pkg::SEL_NONE: unmapped, SLVERR with data 0
    endcase
  end

  // ---- next state ----------------------------------------------------------------------------
  always_comb begin
    aw_full_d    = aw_full_q;
    aw_addr_d    = aw_addr_q;
    w_full_d     = w_full_q;
    w_data_d     = w_data_q;
    w_strb_d     = w_strb_q;
    bvalid_d     = bvalid_q;
    bresp_d      = bresp_q;
    rvalid_d     = rvalid_q;
    rdata_d      = rdata_q;
    rresp_d      = rresp_q;
    prog_base_d  = prog_base_q;
    prog_len_d   = prog_len_q;
    watchdog_d   = watchdog_q;
    irq_enable_d = irq_enable_q;
    irq_status_d = irq_status_q;
    snap_d       = snap_q;
    win_base_d   = win_base_q;
    win_limit_d  = win_limit_q;
    win_ctrl_d   = win_ctrl_q;
    start_d      = 1'b0;
    soft_reset_d = 1'b0;
    clear_d      = 1'b0;
    sem_we_d     = 1'b0;
    sem_idx_d    = sem_idx_q;
    sem_wdata_d  = sem_wdata_q;

    // Write channel.
    if (aw_fire) begin
      aw_full_d = 1'b1;
      aw_addr_d = s_axil_awaddr_i[11:2];
    end
    if (w_fire) begin
      w_full_d = 1'b1;
      w_data_d = s_axil_wdata_i;
      w_strb_d = s_axil_wstrb_i;
    end
    if (s_axil_bvalid_o && s_axil_bready_i) bvalid_d = 1'b0;
    if (do_write) begin
      aw_full_d = 1'b0;
      w_full_d  = 1'b0;
      bvalid_d  = 1'b1;
      bresp_d   = 2'b00;  // OKAY
      unique case (wr_sel)
        host_pkg::SEL_CTRL: begin
          soft_reset_d = wset[csr_pkg::CSR_CTRL_SOFT_RESET_LSB];
          start_d      = wset[csr_pkg::CSR_CTRL_START_LSB] &&
                         !wset[csr_pkg::CSR_CTRL_SOFT_RESET_LSB] && !busy_i && !error_i;
          clear_d      = wset[csr_pkg::CSR_CTRL_CLEAR_COUNTERS_LSB];
        end
        host_pkg::SEL_PROG_BASE:
          prog_base_d = ((prog_base_q & ~wmask) | wset) & csr_pkg::CSR_PROG_BASE_RW_MASK;
        host_pkg::SEL_PROG_LEN:
          prog_len_d = ((prog_len_q & ~wmask) | wset) & csr_pkg::CSR_PROG_LEN_RW_MASK;
        host_pkg::SEL_WATCHDOG:
          watchdog_d = ((watchdog_q & ~wmask) | wset) & csr_pkg::CSR_WATCHDOG_RW_MASK;
        host_pkg::SEL_IRQ_ENABLE:
          irq_enable_d = ((irq_enable_q & ~wmask) | wset) & csr_pkg::CSR_IRQ_ENABLE_RW_MASK;
        host_pkg::SEL_IRQ_STATUS:
          irq_status_d = irq_status_q & ~(wset & csr_pkg::CSR_IRQ_STATUS_W1C_MASK);
        host_pkg::SEL_WIN_BASE: if (!busy_i) begin
          for (int unsigned i = 0; i < NumWin; i++) begin
            if (wr_idx == 5'(i)) begin
              win_base_d[32*i +: 32] = ((win_base_q[32*i +: 32] & ~wmask) | wset) &
                                       csr_pkg::CSR_WIN_BASE_RW_MASK;
            end
          end
        end
        host_pkg::SEL_WIN_LIMIT: if (!busy_i) begin
          for (int unsigned i = 0; i < NumWin; i++) begin
            if (wr_idx == 5'(i)) begin
              win_limit_d[32*i +: 32] = ((win_limit_q[32*i +: 32] & ~wmask) | wset) &
                                        csr_pkg::CSR_WIN_LIMIT_RW_MASK;
            end
          end
        end
        host_pkg::SEL_WIN_CTRL: if (!busy_i) begin
          for (int unsigned i = 0; i < NumWin; i++) begin
            if (wr_idx == 5'(i)) begin
              win_ctrl_d[3*i +: 3] = ((win_ctrl_q[3*i +: 3] & ~wmask[2:0]) | wset[2:0]) &
                                     WinCtrlMask;
            end
          end
        end
        host_pkg::SEL_SEM: if (!busy_i) begin
          sem_we_d    = 1'b1;
          sem_idx_d   = wr_idx;
          sem_wdata_d = ((sem_rd_data_i & ~wmask) | wset) & csr_pkg::CSR_SEM_RW_MASK;
        end
        host_pkg::SEL_NONE: bresp_d = 2'b10;  // SLVERR, nothing written
        default: ;  // read-only word: ignored, OKAY
      endcase
    end

    // Interrupt status: events set bits after this cycle's w1c clear, so no event is lost; a
    // soft reset (its pulse cycle) clears everything, including events of that cycle.
    if (done_event_i) irq_status_d[csr_pkg::CSR_IRQ_STATUS_DONE_LSB] = 1'b1;
    if (error_event_i) irq_status_d[csr_pkg::CSR_IRQ_STATUS_ERROR_LSB] = 1'b1;
    if (soft_reset_q) irq_status_d = '0;

    // Counter snapshot: a LO read captures the HI half; CLEAR_COUNTERS (pulse cycle) zeroes it.
    if (clear_q) snap_d = '0;

    // Read channel.
    if (s_axil_rvalid_o && s_axil_rready_i) rvalid_d = 1'b0;
    if (ar_fire) begin
      rvalid_d = 1'b1;
      rdata_d  = rd_word;
      rresp_d  = rd_err ? 2'b10 : 2'b00;
      if (rd_sel == host_pkg::SEL_CNT_LO) snap_d = cnt_rd_data_i[63:32];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_full_q    <= 1'b0;
      aw_addr_q    <= '0;
      w_full_q     <= 1'b0;
      w_data_q     <= '0;
      w_strb_q     <= '0;
      bvalid_q     <= 1'b0;
      bresp_q      <= 2'b00;
      rvalid_q     <= 1'b0;
      rdata_q      <= '0;
      rresp_q      <= 2'b00;
      prog_base_q  <= csr_pkg::CSR_PROG_BASE_RESET;
      prog_len_q   <= csr_pkg::CSR_PROG_LEN_RESET;
      watchdog_q   <= csr_pkg::CSR_WATCHDOG_RESET;
      irq_enable_q <= csr_pkg::CSR_IRQ_ENABLE_RESET;
      irq_status_q <= csr_pkg::CSR_IRQ_STATUS_RESET;
      snap_q       <= '0;
      win_base_q   <= {NumWin{csr_pkg::CSR_WIN_BASE_RESET}};
      win_limit_q  <= {NumWin{csr_pkg::CSR_WIN_LIMIT_RESET}};
      win_ctrl_q   <= {NumWin{WinCtrlReset}};
      start_q      <= 1'b0;
      soft_reset_q <= 1'b0;
      clear_q      <= 1'b0;
      sem_we_q     <= 1'b0;
      sem_idx_q    <= '0;
      sem_wdata_q  <= '0;
    end else begin
      aw_full_q    <= aw_full_d;
      aw_addr_q    <= aw_addr_d;
      w_full_q     <= w_full_d;
      w_data_q     <= w_data_d;
      w_strb_q     <= w_strb_d;
      bvalid_q     <= bvalid_d;
      bresp_q      <= bresp_d;
      rvalid_q     <= rvalid_d;
      rdata_q      <= rdata_d;
      rresp_q      <= rresp_d;
      prog_base_q  <= prog_base_d;
      prog_len_q   <= prog_len_d;
      watchdog_q   <= watchdog_d;
      irq_enable_q <= irq_enable_d;
      irq_status_q <= irq_status_d;
      snap_q       <= snap_d;
      win_base_q   <= win_base_d;
      win_limit_q  <= win_limit_d;
      win_ctrl_q   <= win_ctrl_d;
      start_q      <= start_d;
      soft_reset_q <= soft_reset_d;
      clear_q      <= clear_d;
      sem_we_q     <= sem_we_d;
      sem_idx_q    <= sem_idx_d;
      sem_wdata_q  <= sem_wdata_d;
    end
  end

  // ---- outputs to the core -------------------------------------------------------------------
  assign start_o          = start_q;
  assign soft_reset_o     = soft_reset_q;
  assign clear_counters_o = clear_q;
  assign prog_base_o      = prog_base_q;
  assign prog_len_o       = prog_len_q;
  assign watchdog_o       = watchdog_q;
  assign win_base_o       = win_base_q;
  assign win_limit_o      = win_limit_q;
  assign win_ctrl_o       = win_ctrl_q;
  assign sem_we_o         = sem_we_q;
  assign sem_idx_o        = sem_idx_q;
  assign sem_wdata_o      = sem_wdata_q;
  assign irq_o            = |(irq_status_q & irq_enable_q);

  // Address bits [1:0] are ignored (whole-word accesses, csr.md section 1); ERR_INFO bits
  // outside its fields are reserved and read 0.
  logic unused_inputs;
  assign unused_inputs = ^{s_axil_awaddr_i[1:0], s_axil_araddr_i[1:0], err_info_i & ~ErrInfoMask};

  // ---- assertions ----------------------------------------------------------------------------
  // Inputs from the AXI4-Lite master: valids known, held until ready, payload stable meanwhile.
  `ASSERT_KNOWN(awvalid_known, s_axil_awvalid_i)
  `ASSERT_KNOWN(wvalid_known, s_axil_wvalid_i)
  `ASSERT_KNOWN(arvalid_known, s_axil_arvalid_i)
  `ASSERT_KNOWN(bready_known, s_axil_bready_i)
  `ASSERT_KNOWN(rready_known, s_axil_rready_i)
  `ASSERT(awvalid_hold, s_axil_awvalid_i && !s_axil_awready_o |=> s_axil_awvalid_i)
  `ASSERT_STABLE(awaddr_stable, s_axil_awvalid_i && !s_axil_awready_o, s_axil_awaddr_i)
  `ASSERT(wvalid_hold, s_axil_wvalid_i && !s_axil_wready_o |=> s_axil_wvalid_i)
  `ASSERT_STABLE(wdata_stable, s_axil_wvalid_i && !s_axil_wready_o,
                 {s_axil_wdata_i, s_axil_wstrb_i})
  `ASSERT(arvalid_hold, s_axil_arvalid_i && !s_axil_arready_o |=> s_axil_arvalid_i)
  `ASSERT_STABLE(araddr_stable, s_axil_arvalid_i && !s_axil_arready_o, s_axil_araddr_i)
  // Our responses: held until ready with a stable payload.
  `ASSERT(bvalid_hold, s_axil_bvalid_o && !s_axil_bready_i |=> s_axil_bvalid_o)
  `ASSERT_STABLE(bresp_stable, s_axil_bvalid_o && !s_axil_bready_i, s_axil_bresp_o)
  `ASSERT(rvalid_hold, s_axil_rvalid_o && !s_axil_rready_i |=> s_axil_rvalid_o)
  `ASSERT_STABLE(rdata_stable, s_axil_rvalid_o && !s_axil_rready_i,
                 {s_axil_rdata_o, s_axil_rresp_o})
  // Core side: pulses and event inputs known; START only when the core could take it.
  `ASSERT_KNOWN(busy_known, busy_i)
  `ASSERT_KNOWN(events_known, {done_event_i, error_event_i})
  `ASSERT(start_gated, start_d |-> !busy_i && !error_i)
  `ASSERT(one_write_outstanding, do_write |-> !bvalid_q)

endmodule
