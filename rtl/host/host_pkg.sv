/// host_pkg: types and constants of the host-interface block (rtl/host). Referenced as
/// `host_pkg::name`, never imported (yosys 0.23).
/// The CSR address decode lives here, beside the register selects it produces, so csr_regs
/// holds only the bus handshakes and the registers.
package host_pkg;

  // A decoded word: which register (SEL_*) and, for arrays and counters, which element.
  localparam logic [4:0] SEL_NONE = 5'd0;  // unmapped: SLVERR
  localparam logic [4:0] SEL_ID = 5'd1;
  localparam logic [4:0] SEL_VERSION = 5'd2;
  localparam logic [4:0] SEL_CFG_ARRAY = 5'd3;
  localparam logic [4:0] SEL_CFG_SBUF = 5'd4;
  localparam logic [4:0] SEL_CFG_PSUM = 5'd5;
  localparam logic [4:0] SEL_CFG_FEAT = 5'd6;
  localparam logic [4:0] SEL_CFG_NMAX = 5'd7;
  localparam logic [4:0] SEL_CTRL = 5'd8;
  localparam logic [4:0] SEL_STATUS = 5'd9;
  localparam logic [4:0] SEL_PROG_BASE = 5'd10;
  localparam logic [4:0] SEL_PROG_LEN = 5'd11;
  localparam logic [4:0] SEL_IRQ_ENABLE = 5'd12;
  localparam logic [4:0] SEL_IRQ_STATUS = 5'd13;
  localparam logic [4:0] SEL_ERR_CODE = 5'd14;
  localparam logic [4:0] SEL_ERR_INDEX = 5'd15;
  localparam logic [4:0] SEL_ERR_INFO = 5'd16;
  localparam logic [4:0] SEL_WATCHDOG = 5'd17;
  localparam logic [4:0] SEL_WIN_BASE = 5'd18;
  localparam logic [4:0] SEL_WIN_LIMIT = 5'd19;
  localparam logic [4:0] SEL_WIN_CTRL = 5'd20;
  localparam logic [4:0] SEL_SEM = 5'd21;
  localparam logic [4:0] SEL_CNT_LO = 5'd22;
  localparam logic [4:0] SEL_CNT_HI = 5'd23;

  // {sel, idx} of the word at byte address a (bits [1:0] already zero).
  function automatic logic [9:0] csr_decode_f(logic [11:0] a);
    logic [4:0] sel;
    logic [4:0] idx;
    logic [11:0] rel, sem_first, sem_last, cnt_first, cnt_last;
    // The semaphore and counter ranges (constants; computed here because yosys 0.23 does not
    // accept another package's parameters in a package-level localparam).
    sem_first = csr_pkg::CSR_SEM_OFFSET;
    sem_last  = 12'(32'(csr_pkg::CSR_SEM_OFFSET) + (csr_pkg::CSR_SEM_COUNT - 1) * csr_pkg::CSR_SEM_STRIDE);
    cnt_first = csr_pkg::CSR_CNT_BASE_OFFSET;
    cnt_last  = 12'(32'(csr_pkg::CSR_CNT_BASE_OFFSET) + csr_pkg::CSR_NUM_COUNTERS * csr_pkg::CSR_CNT_STRIDE - 4);
    sel = SEL_NONE;
    idx = 5'd0;
    rel = 12'd0;
    if (a == csr_pkg::CSR_ID_OFFSET) sel = SEL_ID;
    if (a == csr_pkg::CSR_VERSION_OFFSET) sel = SEL_VERSION;
    if (a == csr_pkg::CSR_CFG_ARRAY_OFFSET) sel = SEL_CFG_ARRAY;
    if (a == csr_pkg::CSR_CFG_SBUF_OFFSET) sel = SEL_CFG_SBUF;
    if (a == csr_pkg::CSR_CFG_PSUM_OFFSET) sel = SEL_CFG_PSUM;
    if (a == csr_pkg::CSR_CFG_FEAT_OFFSET) sel = SEL_CFG_FEAT;
    if (a == csr_pkg::CSR_CFG_NMAX_OFFSET) sel = SEL_CFG_NMAX;
    if (a == csr_pkg::CSR_CTRL_OFFSET) sel = SEL_CTRL;
    if (a == csr_pkg::CSR_STATUS_OFFSET) sel = SEL_STATUS;
    if (a == csr_pkg::CSR_PROG_BASE_OFFSET) sel = SEL_PROG_BASE;
    if (a == csr_pkg::CSR_PROG_LEN_OFFSET) sel = SEL_PROG_LEN;
    if (a == csr_pkg::CSR_IRQ_ENABLE_OFFSET) sel = SEL_IRQ_ENABLE;
    if (a == csr_pkg::CSR_IRQ_STATUS_OFFSET) sel = SEL_IRQ_STATUS;
    if (a == csr_pkg::CSR_ERR_CODE_OFFSET) sel = SEL_ERR_CODE;
    if (a == csr_pkg::CSR_ERR_INDEX_OFFSET) sel = SEL_ERR_INDEX;
    if (a == csr_pkg::CSR_ERR_INFO_OFFSET) sel = SEL_ERR_INFO;
    if (a == csr_pkg::CSR_WATCHDOG_OFFSET) sel = SEL_WATCHDOG;
    for (int unsigned i = 0; i < csr_pkg::CSR_WIN_BASE_COUNT; i++) begin
      if (a == 12'(32'(csr_pkg::CSR_WIN_BASE_OFFSET) + i * csr_pkg::CSR_WIN_BASE_STRIDE)) begin
        sel = SEL_WIN_BASE;
        idx = 5'(i);
      end
      if (a == 12'(32'(csr_pkg::CSR_WIN_LIMIT_OFFSET) + i * csr_pkg::CSR_WIN_LIMIT_STRIDE)) begin
        sel = SEL_WIN_LIMIT;
        idx = 5'(i);
      end
      if (a == 12'(32'(csr_pkg::CSR_WIN_CTRL_OFFSET) + i * csr_pkg::CSR_WIN_CTRL_STRIDE)) begin
        sel = SEL_WIN_CTRL;
        idx = 5'(i);
      end
    end
    if (a >= sem_first && a <= sem_last) begin
      rel = a - sem_first;
      sel = SEL_SEM;
      idx = 5'(rel / 12'(csr_pkg::CSR_SEM_STRIDE));
    end
    if (a >= cnt_first && a <= cnt_last) begin
      rel = a - cnt_first;
      sel = rel[2] ? SEL_CNT_HI : SEL_CNT_LO;
      idx = 5'(rel / 12'(csr_pkg::CSR_CNT_STRIDE));
    end
    csr_decode_f = {sel, idx};
  endfunction

endpackage
