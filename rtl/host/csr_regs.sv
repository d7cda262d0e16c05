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
/// Core side: two structs generated from csr_map.json (csr_pkg, docs/csr.md "Hardware
/// interface"): reg2hw_o (register values, command pulses, the semaphore write and the read
/// indices) and hw2reg_i (STATUS, ERR_*, the IRQ_STATUS events, the semaphore and counter read
/// data). Offsets decode into a csr_pkg::csr_sel_e select and an element index through the
/// generated csr_pkg::csr_decode_sel / csr_decode_idx, so the map's offsets appear nowhere here.
/// reg2hw_o.ctrl.{start, soft_reset, clear_counters} and reg2hw_o.sem.we are registered
/// one-cycle pulses in the cycle after the write is performed, i.e. in the cycle the B response
/// becomes valid. The core is expected to raise STATUS.BUSY (hw2reg_i.status.busy) in the cycle
/// after the START pulse (the next START can be performed at the earliest two cycles after it,
/// so it is then ignored). START is dropped while BUSY or ERROR is high and in a write that also
/// sets SOFT_RESET. Writes to WIN_* and SEM are dropped while BUSY is high; a SEM write is a
/// read-modify-write of the core's semaphore through reg2hw_o.sem.rd_idx / hw2reg_i.sem.rd_data
/// (for byte strobes), during which no AR is accepted. STATUS, ERR_* and the semaphore values
/// are owned by the core; IRQ_STATUS is here: set by the hw2reg_i.irq_status pulses, cleared by
/// w1c writes and by soft reset (the clear is applied in the cycle of the SOFT_RESET pulse and
/// wins over events in that cycle).
/// Counters: the 64-bit value of counter reg2hw_o.cnt.rd_idx is read combinationally from
/// perf_counters (hw2reg_i.cnt.rd_data); reading a LO word captures the HI half into the single
/// snapshot register that every HI word reads (csr.md section 7). CLEAR_COUNTERS also zeroes the
/// snapshot, except that a LO read in that same cycle captures the value before the clear.
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
  // To the core: commands, configuration, the semaphore write (issued only while not BUSY),
  // and the semaphore and counter read indices (combinational lookups there, same cycle).
  output csr_pkg::csr_reg2hw_t reg2hw_o,
  // From the core: STATUS, ERR_*, IRQ_STATUS events, semaphore and counter read data.
  input  csr_pkg::csr_hw2reg_t hw2reg_i,
  // Interrupt: high while (IRQ_STATUS & IRQ_ENABLE) != 0.
  output logic          irq_o
);

  typedef logic [31:0] word_t;

  localparam int unsigned NumWin  = csr_pkg::CSR_WIN_BASE_COUNT;
  localparam int unsigned NumSem  = csr_pkg::CSR_SEM_COUNT;
  localparam int unsigned IdxW    = csr_pkg::CSR_IDX_WIDTH;      // element index of the decode
  localparam int unsigned SemIdxW = csr_pkg::CSR_SEM_IDX_WIDTH;  // reg2hw_o.sem.idx / rd_idx
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
  logic [SemIdxW-1:0] sem_idx_q, sem_idx_d;
  word_t         sem_wdata_q, sem_wdata_d;

  // ---- AXI handshakes ------------------------------------------------------------------------
  logic       aw_fire, w_fire, ar_fire, do_write, sem_rmw;
  // The decoded write (held AW) and read (AR) offsets: register select and element index.
  csr_pkg::csr_sel_e wr_sel, rd_sel;
  logic [IdxW-1:0]   wr_idx, rd_idx;
  word_t      wmask, wset;
  word_t      rd_word;
  logic       rd_err;
  // STATUS.BUSY and STATUS.ERROR from the core, by name.
  logic       busy, error;

  assign s_axil_awready_o = !aw_full_q && !bvalid_q;
  assign s_axil_wready_o  = !w_full_q && !bvalid_q;
  assign s_axil_bvalid_o  = bvalid_q;
  assign s_axil_bresp_o   = bresp_q;
  // No AR during a semaphore read-modify-write: it owns reg2hw_o.sem.rd_idx in that cycle.
  assign s_axil_arready_o = !rvalid_q && !sem_rmw;
  assign s_axil_rvalid_o  = rvalid_q;
  assign s_axil_rdata_o   = rdata_q;
  assign s_axil_rresp_o   = rresp_q;

  assign aw_fire  = s_axil_awvalid_i && s_axil_awready_o;
  assign w_fire   = s_axil_wvalid_i && s_axil_wready_o;
  assign ar_fire  = s_axil_arvalid_i && s_axil_arready_o;
  // Both halves held: the write is performed this cycle (bvalid_q is low whenever they are).
  assign do_write = aw_full_q && w_full_q;

  assign wr_sel  = csr_pkg::csr_decode_sel({aw_addr_q, 2'b00});
  assign wr_idx  = csr_pkg::csr_decode_idx({aw_addr_q, 2'b00});
  assign rd_sel  = csr_pkg::csr_decode_sel({s_axil_araddr_i[11:2], 2'b00});
  assign rd_idx  = csr_pkg::csr_decode_idx({s_axil_araddr_i[11:2], 2'b00});
  assign sem_rmw = do_write && (wr_sel == csr_pkg::CSR_SEL_SEM);
  assign busy    = hw2reg_i.status.busy;
  assign error   = hw2reg_i.status.error;

  // Byte lanes written; wset: bits written as 1 (a lane with its strobe low counts as zeros).
  assign wmask = {{8{w_strb_q[3]}}, {8{w_strb_q[2]}}, {8{w_strb_q[1]}}, {8{w_strb_q[0]}}};
  assign wset  = w_data_q & wmask;


  // ---- read data -----------------------------------------------------------------------------
  always_comb begin
    rd_word = '0;
    rd_err  = 1'b0;
    unique case (rd_sel)
      csr_pkg::CSR_SEL_ID:         rd_word = csr_pkg::CSR_ID_RESET;
      csr_pkg::CSR_SEL_VERSION:    rd_word = csr_pkg::CSR_VERSION_RESET;
      csr_pkg::CSR_SEL_CFG_ARRAY:  rd_word = CfgArray;
      csr_pkg::CSR_SEL_CFG_SBUF:   rd_word = CfgSbuf;
      csr_pkg::CSR_SEL_CFG_PSUM:   rd_word = CfgPsum;
      csr_pkg::CSR_SEL_CFG_FEAT:   rd_word = CfgFeat;
      csr_pkg::CSR_SEL_CFG_NMAX:   rd_word = CfgNmax;
      csr_pkg::CSR_SEL_CTRL:       rd_word = '0;  // w1s: always reads 0
      csr_pkg::CSR_SEL_STATUS: begin
        rd_word[csr_pkg::CSR_STATUS_BUSY_LSB]  = hw2reg_i.status.busy;
        rd_word[csr_pkg::CSR_STATUS_DONE_LSB]  = hw2reg_i.status.done;
        rd_word[csr_pkg::CSR_STATUS_ERROR_LSB] = hw2reg_i.status.error;
      end
      csr_pkg::CSR_SEL_PROG_BASE:  rd_word = prog_base_q;
      csr_pkg::CSR_SEL_PROG_LEN:   rd_word = prog_len_q;
      csr_pkg::CSR_SEL_IRQ_ENABLE: rd_word = irq_enable_q;
      csr_pkg::CSR_SEL_IRQ_STATUS: rd_word = irq_status_q;
      csr_pkg::CSR_SEL_ERR_CODE:   rd_word = hw2reg_i.err_code;
      csr_pkg::CSR_SEL_ERR_INDEX:  rd_word = hw2reg_i.err_index;
      csr_pkg::CSR_SEL_ERR_INFO: begin  // bits outside the fields are reserved: read 0
        rd_word[csr_pkg::CSR_ERR_INFO_ENGINE_LSB +: csr_pkg::CSR_ERR_INFO_ENGINE_WIDTH] =
            hw2reg_i.err_info.engine;
        rd_word[csr_pkg::CSR_ERR_INFO_AXI_RESP_LSB +: csr_pkg::CSR_ERR_INFO_AXI_RESP_WIDTH] =
            hw2reg_i.err_info.axi_resp;
        rd_word[csr_pkg::CSR_ERR_INFO_AXI_WRITE_LSB] = hw2reg_i.err_info.axi_write;
      end
      csr_pkg::CSR_SEL_WATCHDOG:   rd_word = watchdog_q;
      csr_pkg::CSR_SEL_WIN_BASE:   rd_word = win_base_q[32*rd_idx[1:0] +: 32];
      csr_pkg::CSR_SEL_WIN_LIMIT:  rd_word = win_limit_q[32*rd_idx[1:0] +: 32];
      csr_pkg::CSR_SEL_WIN_CTRL:   rd_word = 32'(win_ctrl_q[3*rd_idx[1:0] +: 3]);
      csr_pkg::CSR_SEL_SEM:        rd_word = hw2reg_i.sem.rd_data;
      csr_pkg::CSR_SEL_CNT_LO:     rd_word = hw2reg_i.cnt.rd_data[31:0];
      csr_pkg::CSR_SEL_CNT_HI:     rd_word = snap_q;
      default:  rd_err = 1'b1;  // csr_pkg::CSR_SEL_NONE: unmapped, SLVERR with data 0
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
        csr_pkg::CSR_SEL_CTRL: begin
          soft_reset_d = wset[csr_pkg::CSR_CTRL_SOFT_RESET_LSB];
          start_d      = wset[csr_pkg::CSR_CTRL_START_LSB] &&
                         !wset[csr_pkg::CSR_CTRL_SOFT_RESET_LSB] && !busy && !error;
          clear_d      = wset[csr_pkg::CSR_CTRL_CLEAR_COUNTERS_LSB];
        end
        csr_pkg::CSR_SEL_PROG_BASE:
          prog_base_d = ((prog_base_q & ~wmask) | wset) & csr_pkg::CSR_PROG_BASE_RW_MASK;
        csr_pkg::CSR_SEL_PROG_LEN:
          prog_len_d = ((prog_len_q & ~wmask) | wset) & csr_pkg::CSR_PROG_LEN_RW_MASK;
        csr_pkg::CSR_SEL_WATCHDOG:
          watchdog_d = ((watchdog_q & ~wmask) | wset) & csr_pkg::CSR_WATCHDOG_RW_MASK;
        csr_pkg::CSR_SEL_IRQ_ENABLE:
          irq_enable_d = ((irq_enable_q & ~wmask) | wset) & csr_pkg::CSR_IRQ_ENABLE_RW_MASK;
        csr_pkg::CSR_SEL_IRQ_STATUS:
          irq_status_d = irq_status_q & ~(wset & csr_pkg::CSR_IRQ_STATUS_W1C_MASK);
        csr_pkg::CSR_SEL_WIN_BASE: if (!busy) begin
          for (int unsigned i = 0; i < NumWin; i++) begin
            if (wr_idx == IdxW'(i)) begin
              win_base_d[32*i +: 32] = ((win_base_q[32*i +: 32] & ~wmask) | wset) &
                                       csr_pkg::CSR_WIN_BASE_RW_MASK;
            end
          end
        end
        csr_pkg::CSR_SEL_WIN_LIMIT: if (!busy) begin
          for (int unsigned i = 0; i < NumWin; i++) begin
            if (wr_idx == IdxW'(i)) begin
              win_limit_d[32*i +: 32] = ((win_limit_q[32*i +: 32] & ~wmask) | wset) &
                                        csr_pkg::CSR_WIN_LIMIT_RW_MASK;
            end
          end
        end
        csr_pkg::CSR_SEL_WIN_CTRL: if (!busy) begin
          for (int unsigned i = 0; i < NumWin; i++) begin
            if (wr_idx == IdxW'(i)) begin
              win_ctrl_d[3*i +: 3] = ((win_ctrl_q[3*i +: 3] & ~wmask[2:0]) | wset[2:0]) &
                                     WinCtrlMask;
            end
          end
        end
        csr_pkg::CSR_SEL_SEM: if (!busy) begin
          sem_we_d    = 1'b1;
          sem_idx_d   = wr_idx[SemIdxW-1:0];
          sem_wdata_d = ((hw2reg_i.sem.rd_data & ~wmask) | wset) & csr_pkg::CSR_SEM_RW_MASK;
        end
        csr_pkg::CSR_SEL_NONE: bresp_d = 2'b10;  // SLVERR, nothing written
        default: ;  // read-only word: ignored, OKAY
      endcase
    end

    // Interrupt status: events set bits after this cycle's w1c clear, so no event is lost; a
    // soft reset (its pulse cycle) clears everything, including events of that cycle.
    if (hw2reg_i.irq_status.done) irq_status_d[csr_pkg::CSR_IRQ_STATUS_DONE_LSB] = 1'b1;
    if (hw2reg_i.irq_status.error) irq_status_d[csr_pkg::CSR_IRQ_STATUS_ERROR_LSB] = 1'b1;
    if (soft_reset_q) irq_status_d = '0;

    // Counter snapshot: a LO read captures the HI half; CLEAR_COUNTERS (pulse cycle) zeroes it.
    if (clear_q) snap_d = '0;

    // Read channel.
    if (s_axil_rvalid_o && s_axil_rready_i) rvalid_d = 1'b0;
    if (ar_fire) begin
      rvalid_d = 1'b1;
      rdata_d  = rd_word;
      rresp_d  = rd_err ? 2'b10 : 2'b00;
      if (rd_sel == csr_pkg::CSR_SEL_CNT_LO) snap_d = hw2reg_i.cnt.rd_data[63:32];
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
  // Every member of csr_reg2hw_t, field by field (csr_pkg lists them).
  assign reg2hw_o.ctrl.start          = start_q;
  assign reg2hw_o.ctrl.soft_reset     = soft_reset_q;
  assign reg2hw_o.ctrl.clear_counters = clear_q;
  assign reg2hw_o.prog_base.addr      =
      prog_base_q[csr_pkg::CSR_PROG_BASE_ADDR_LSB +: csr_pkg::CSR_PROG_BASE_ADDR_WIDTH];
  assign reg2hw_o.prog_len            = prog_len_q;
  assign reg2hw_o.watchdog            = watchdog_q;
  assign reg2hw_o.win_base            = win_base_q;
  assign reg2hw_o.win_limit           = win_limit_q;
  assign reg2hw_o.win_ctrl            = win_ctrl_q;
  assign reg2hw_o.sem.we              = sem_we_q;
  assign reg2hw_o.sem.idx             = sem_idx_q;
  assign reg2hw_o.sem.wdata           = sem_wdata_q;
  assign reg2hw_o.sem.rd_idx          = sem_rmw ? wr_idx[SemIdxW-1:0] : rd_idx[SemIdxW-1:0];
  assign reg2hw_o.cnt.rd_idx          = rd_idx[csr_pkg::CSR_CNT_IDX_WIDTH-1:0];
  assign irq_o                        = |(irq_status_q & irq_enable_q);

  // Address bits [1:0] are ignored (whole-word accesses, csr.md section 1).
  logic unused_inputs;
  assign unused_inputs = ^{s_axil_awaddr_i[1:0], s_axil_araddr_i[1:0]};

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
  `ASSERT_KNOWN(busy_known, busy)
  `ASSERT_KNOWN(events_known, hw2reg_i.irq_status)
  `ASSERT(start_gated, start_d |-> !busy && !error)
  `ASSERT(one_write_outstanding, do_write |-> !bvalid_q)

endmodule
