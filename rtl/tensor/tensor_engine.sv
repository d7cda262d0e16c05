/// tensor_engine: MATMUL on a Partitions x Columns weight-stationary array
/// (docs/isa.md MATMUL, docs/tensor_engine.md).
/// Handshakes (valid/ready, payload stable while valid && !ready, valid never from ready):
///   cmd  : one MATMUL (tensor_pkg::cmd_t)
///   stat : M beats, beat m = stationary element m of every partition (lane p = partition p)
///   mov  : N beats, beat n = moving element n of every partition
///   psum : N beats, beat n = out element n of columns 0..C-1, with address, column mask,
///          accumulate flag (!start) and fp flag, for a PSUM read-modify-write (psum_accum).
/// Latency: P + C cycles from a moving beat to its output beat. Throughput: one moving beat per
/// cycle, back-to-back MATMULs without a bubble (the next stationary tile loads into the shadow
/// buffer while the current one streams). Back-pressure: one global advance, held while an
/// output beat waits.
`include "systole_assert.svh"

module tensor_engine #(
  parameter int Partitions = 16,
  parameter int Columns    = 16,
  parameter int Nmax       = 512,
  parameter int PsumBytes  = 8192,
  parameter int EnableInt8 = 1,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int LaneBits   = (EnableBf16 != 0) ? 16 : 8,
  parameter int AddrBits   = $clog2(PsumBytes / 4)
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  // MATMUL commands.
  input  logic                             cmd_valid_i,
  output logic                             cmd_ready_o,
  input  tensor_pkg::cmd_t                 cmd_data_i,
  // Stationary tile, one column m per beat.
  input  logic                             stat_valid_i,
  output logic                             stat_ready_o,
  input  logic [Partitions*LaneBits-1:0]   stat_data_i,
  // Moving tile, one element n per beat.
  input  logic                             mov_valid_i,
  output logic                             mov_ready_o,
  input  logic [Partitions*LaneBits-1:0]   mov_data_i,
  // Output: out element n of every column and where it goes.
  output logic                             psum_valid_o,
  input  logic                             psum_ready_i,
  output logic [Columns*32-1:0]            psum_data_o,
  output logic [AddrBits-1:0]              psum_addr_o,
  output logic [Columns-1:0]               psum_mask_o,
  output logic                             psum_acc_o,
  output logic                             psum_fp_o,
  // Sticky: a command with out-of-range fields was accepted (its results are undefined).
  output logic                             err_o
);

  localparam int P     = Partitions;
  localparam int C     = Columns;
  localparam int XW    = LaneBits;
  localparam int CTW   = tensor_pkg::CTRL_W;
  localparam int PW    = $clog2(P + 1);      // pstart (< P) and K (<= P)
  localparam int CW    = $clog2(C + 1);      // M (<= C) and the stationary beat count
  localparam int NW    = $clog2(Nmax + 1);   // N (<= Nmax) and the moving beat count
  localparam int DRAIN = P + C;              // ticks until a moving beat has left every PE
  localparam int DW    = $clog2(DRAIN + 1);
  localparam int WORDS = PsumBytes / 4;
  // Metadata word: {valid, acc, fp, addr, mask}.
  localparam int MW    = 3 + AddrBits + C;

  logic adv;  // the whole pipeline advances this cycle

  // ---- command checks ---------------------------------------------------------------------
  logic cmd_fire, cmd_bad, dtype_ok;
  always_comb begin
    unique case (cmd_data_i.dtype)
      tensor_pkg::MM_INT8: dtype_ok = EnableInt8 != 0;
      tensor_pkg::MM_BF16: dtype_ok = EnableBf16 != 0;
      tensor_pkg::MM_FP8:  dtype_ok = EnableFp8 != 0;
      default:             dtype_ok = 1'b0;
    endcase
    cmd_bad = !dtype_ok
           || (cmd_data_i.k == 9'd0) || ({1'b0, cmd_data_i.pstart} + cmd_data_i.k > 9'(P))
           || (cmd_data_i.m == 9'd0) || (cmd_data_i.m > 9'(C))
           || (cmd_data_i.n == 16'd0) || (32'(cmd_data_i.n) > Nmax)
           || (32'(cmd_data_i.addr) + 32'(cmd_data_i.n) > WORDS);
  end

  // ---- load stage: accepts a command and its stationary tile ------------------------------
  logic                ld_valid_q, ld_valid_d;
  logic [1:0]          ld_dt_q, ld_dt_d;
  logic                ld_start_q, ld_start_d;
  logic [PW-1:0]       ld_pstart_q, ld_pstart_d, ld_k_q, ld_k_d;
  logic [CW-1:0]       ld_m_q, ld_m_d, ld_cnt_q, ld_cnt_d;
  logic [NW-1:0]       ld_n_q, ld_n_d;
  logic [AddrBits-1:0] ld_addr_q, ld_addr_d;
  logic                ld_buf_q, ld_buf_d;    // buffer this command loads into
  logic                nxt_buf_q, nxt_buf_d;  // buffer the next command gets
  logic                ld_loaded, buf_free, stat_fire;
  logic [2*DW-1:0]     drain_q, drain_d;     // per buffer b at [b*DW +: DW]

  // ---- stream stage: the command whose moving tile enters the array -----------------------
  logic                sm_valid_q, sm_valid_d;
  logic                sm_buf_q, sm_buf_d;
  logic [2:0]          sm_dt_q, sm_dt_d;      // one-hot {fp8, bf16, int8}
  logic [P-1:0]        sm_act_q, sm_act_d;    // rows inside [pstart, pstart + K)
  logic [C-1:0]        sm_mask_q, sm_mask_d;  // columns < M
  logic                sm_acc_q, sm_acc_d;
  logic [NW-1:0]       sm_n_q, sm_n_d, sm_cnt_q, sm_cnt_d;
  logic [AddrBits-1:0] sm_addr_q, sm_addr_d;
  logic                mov_fire, sm_last, take;

  // cmd_ready_o outside the block below: it depends on state only, and a parent that derives
  // cmd_valid_i from it (pe_ctrl issues only when every consumer is ready) must not see a
  // combinational loop through this block.
  assign cmd_ready_o = !ld_valid_q;

  always_comb begin
    cmd_fire     = cmd_valid_i && cmd_ready_o;
    ld_loaded    = ld_cnt_q == ld_m_q;
    buf_free     = (drain_q[32'(ld_buf_q)*DW +: DW] == '0) && !(sm_valid_q && (sm_buf_q == ld_buf_q));
    stat_ready_o = ld_valid_q && !ld_loaded && buf_free;
    stat_fire    = stat_valid_i && stat_ready_o;

    mov_ready_o  = sm_valid_q && adv;
    mov_fire     = mov_valid_i && mov_ready_o;
    sm_last      = mov_fire && (sm_cnt_q == sm_n_q - NW'(1));
    // The loaded command starts streaming in the cycle the previous one sends its last beat.
    take         = ld_valid_q && ld_loaded && (!sm_valid_q || sm_last);

    // Load stage.
    ld_valid_d  = ld_valid_q;
    ld_dt_d     = ld_dt_q;
    ld_start_d  = ld_start_q;
    ld_pstart_d = ld_pstart_q;
    ld_k_d      = ld_k_q;
    ld_m_d      = ld_m_q;
    ld_n_d      = ld_n_q;
    ld_addr_d   = ld_addr_q;
    ld_buf_d    = ld_buf_q;
    ld_cnt_d    = ld_cnt_q;
    nxt_buf_d   = nxt_buf_q;
    if (take) ld_valid_d = 1'b0;
    if (stat_fire) ld_cnt_d = ld_cnt_q + CW'(1);
    if (cmd_fire) begin
      ld_valid_d  = 1'b1;
      ld_dt_d     = cmd_data_i.dtype;
      ld_start_d  = cmd_data_i.start;
      ld_pstart_d = PW'(cmd_data_i.pstart);
      ld_k_d      = PW'(cmd_data_i.k);
      ld_m_d      = CW'(cmd_data_i.m);
      ld_n_d      = NW'(cmd_data_i.n);
      ld_addr_d   = AddrBits'(cmd_data_i.addr);
      ld_buf_d    = nxt_buf_q;
      ld_cnt_d    = '0;
      nxt_buf_d   = !nxt_buf_q;
    end

    // Stream stage.
    sm_valid_d = sm_valid_q;
    sm_buf_d   = sm_buf_q;
    sm_dt_d    = sm_dt_q;
    sm_act_d   = sm_act_q;
    sm_mask_d  = sm_mask_q;
    sm_acc_d   = sm_acc_q;
    sm_n_d     = sm_n_q;
    sm_cnt_d   = sm_cnt_q;
    sm_addr_d  = sm_addr_q;
    if (mov_fire) sm_cnt_d = sm_cnt_q + NW'(1);
    if (sm_last) sm_valid_d = 1'b0;
    if (take) begin
      sm_valid_d = 1'b1;
      sm_buf_d   = ld_buf_q;
      sm_dt_d    = {(ld_dt_q == tensor_pkg::MM_FP8) && (EnableFp8 != 0),
                    (ld_dt_q == tensor_pkg::MM_BF16) && (EnableBf16 != 0),
                    (ld_dt_q == tensor_pkg::MM_INT8) && (EnableInt8 != 0)};
      for (int k = 0; k < P; k++) begin
        sm_act_d[k] = ({1'b0, PW'(k)} >= {1'b0, ld_pstart_q})
                   && ({1'b0, PW'(k)} < {1'b0, ld_pstart_q} + {1'b0, ld_k_q});
      end
      for (int m = 0; m < C; m++) begin
        sm_mask_d[m] = CW'(m) < ld_m_q;
      end
      sm_acc_d   = !ld_start_q;
      sm_n_d     = ld_n_q;
      sm_cnt_d   = '0;
      sm_addr_d  = ld_addr_q;
    end

    // Drain counters: a buffer becomes writable DRAIN ticks after its last moving beat.
    for (int b = 0; b < 2; b++) begin
      drain_d[b*DW +: DW] = drain_q[b*DW +: DW];
      if (adv && (drain_q[b*DW +: DW] != '0)) drain_d[b*DW +: DW] = drain_q[b*DW +: DW] - DW'(1);
      if (sm_last && (sm_buf_q == b[0])) drain_d[b*DW +: DW] = DW'(DRAIN);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ld_valid_q  <= 1'b0;
      ld_dt_q     <= '0;
      ld_start_q  <= 1'b0;
      ld_pstart_q <= '0;
      ld_k_q      <= '0;
      ld_m_q      <= '0;
      ld_n_q      <= '0;
      ld_addr_q   <= '0;
      ld_buf_q    <= 1'b0;
      ld_cnt_q    <= '0;
      nxt_buf_q   <= 1'b0;
      sm_valid_q  <= 1'b0;
      sm_buf_q    <= 1'b0;
      sm_dt_q     <= '0;
      sm_act_q    <= '0;
      sm_mask_q   <= '0;
      sm_acc_q    <= 1'b0;
      sm_n_q      <= '0;
      sm_cnt_q    <= '0;
      sm_addr_q   <= '0;
      drain_q     <= '0;
      err_o       <= 1'b0;
    end else begin
      ld_valid_q  <= ld_valid_d;
      ld_dt_q     <= ld_dt_d;
      ld_start_q  <= ld_start_d;
      ld_pstart_q <= ld_pstart_d;
      ld_k_q      <= ld_k_d;
      ld_m_q      <= ld_m_d;
      ld_n_q      <= ld_n_d;
      ld_addr_q   <= ld_addr_d;
      ld_buf_q    <= ld_buf_d;
      ld_cnt_q    <= ld_cnt_d;
      nxt_buf_q   <= nxt_buf_d;
      sm_valid_q  <= sm_valid_d;
      sm_buf_q    <= sm_buf_d;
      sm_dt_q     <= sm_dt_d;
      sm_act_q    <= sm_act_d;
      sm_mask_q   <= sm_mask_d;
      sm_acc_q    <= sm_acc_d;
      sm_n_q      <= sm_n_d;
      sm_cnt_q    <= sm_cnt_d;
      sm_addr_q   <= sm_addr_d;
      drain_q     <= drain_d;
      err_o       <= err_o | (cmd_fire && cmd_bad);
    end
  end

  // ---- array inputs: stationary write, moving beat (zero data and control when none) ------
  logic [C-1:0]     w_we;
  logic [P*XW-1:0]  inj_x;
  logic [P*CTW-1:0] inj_ctrl;
  logic [MW-1:0]    inj_meta;
  logic [AddrBits-1:0] inj_addr;
  always_comb begin
    for (int m = 0; m < C; m++) begin
      w_we[m] = stat_fire && (ld_cnt_q == CW'(m));
    end
    inj_x = mov_data_i & {(P*XW){mov_fire}};
    for (int k = 0; k < P; k++) begin
      inj_ctrl[k*CTW +: CTW] = {sm_dt_q[2], sm_dt_q[1], sm_dt_q[0], sm_buf_q, sm_act_q[k]}
                             & {CTW{mov_fire}};
    end
    // The sum gets its own signal: inside the concatenation yosys 0.23 would size it by
    // sm_cnt_q's NW bits, ignoring the narrowing cast, and drop mov_fire (docs/conventions.md).
    inj_addr = sm_addr_q + AddrBits'(sm_cnt_q);
    inj_meta = {mov_fire, sm_acc_q, |sm_dt_q[2:1], inj_addr, sm_mask_q};
  end

  // ---- input skew: row k waits k ticks -----------------------------------------------------
  logic [P*XW-1:0]  arr_x;
  logic [P*CTW-1:0] arr_ctrl;
  assign arr_x[XW-1:0]     = inj_x[XW-1:0];
  assign arr_ctrl[CTW-1:0] = inj_ctrl[CTW-1:0];
  for (genvar k = 1; k < P; k++) begin : gen_skew
    delay_line #(.Width(XW + CTW), .Depth(k)) u_skew (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .en_i  (adv),
      .d_i   ({inj_ctrl[k*CTW +: CTW], inj_x[k*XW +: XW]}),
      .q_o   ({arr_ctrl[k*CTW +: CTW], arr_x[k*XW +: XW]})
    );
  end

  // ---- the array -----------------------------------------------------------------------------
  logic [C*32-1:0] arr_psum;
  pe_array #(
    .Partitions(P),
    .Columns   (C),
    .EnableInt8(EnableInt8),
    .EnableBf16(EnableBf16),
    .EnableFp8 (EnableFp8),
    .LaneBits  (XW)
  ) u_array (
    .clk_i   (clk_i),
    .en_i    (adv),
    .w_we_i  (w_we),
    .w_buf_i (ld_buf_q),
    .w_data_i(stat_data_i),
    .x_i     (arr_x),
    .ctrl_i  (arr_ctrl),
    .psum_o  (arr_psum)
  );

  // ---- output de-skew: column m waits C - m ticks (the last stage is the output register) ---
  for (genvar m = 0; m < C; m++) begin : gen_deskew
    delay_line #(.Width(32), .Depth(C - m)) u_deskew (
      .clk_i (clk_i),
      .rst_ni(rst_ni),
      .en_i  (adv),
      .d_i   (arr_psum[m*32 +: 32]),
      .q_o   (psum_data_o[m*32 +: 32])
    );
  end

  // ---- metadata: P + C ticks, in step with the data ------------------------------------------
  delay_line #(.Width(MW), .Depth(P + C)) u_meta (
    .clk_i (clk_i),
    .rst_ni(rst_ni),
    .en_i  (adv),
    .d_i   (inj_meta),
    .q_o   ({psum_valid_o, psum_acc_o, psum_fp_o, psum_addr_o, psum_mask_o})
  );

  assign adv = !psum_valid_o || psum_ready_i;

  // ---- assertions ----------------------------------------------------------------------------
  `ASSERT_KNOWN(cmd_valid_known, cmd_valid_i)
  `ASSERT_KNOWN(stat_valid_known, stat_valid_i)
  `ASSERT_KNOWN(mov_valid_known, mov_valid_i)
  `ASSERT_KNOWN(psum_ready_known, psum_ready_i)
  `ASSERT(cmd_valid_hold, cmd_valid_i && !cmd_ready_o |=> cmd_valid_i)
  `ASSERT_STABLE(cmd_data_stable, cmd_valid_i && !cmd_ready_o, cmd_data_i)
  `ASSERT(stat_valid_hold, stat_valid_i && !stat_ready_o |=> stat_valid_i)
  `ASSERT_STABLE(stat_data_stable, stat_valid_i && !stat_ready_o, stat_data_i)
  `ASSERT(mov_valid_hold, mov_valid_i && !mov_ready_o |=> mov_valid_i)
  `ASSERT_STABLE(mov_data_stable, mov_valid_i && !mov_ready_o, mov_data_i)
  `ASSERT(psum_valid_hold, psum_valid_o && !psum_ready_i |=> psum_valid_o)
  `ASSERT_STABLE(psum_data_stable, psum_valid_o && !psum_ready_i,
                 {psum_data_o, psum_addr_o, psum_mask_o, psum_acc_o, psum_fp_o})
  `ASSERT(cmd_in_range, cmd_valid_i |-> !cmd_bad)
  // A moving beat never enters without a loaded stationary tile.
  `ASSERT(mov_has_tile, mov_fire |-> sm_valid_q)

endmodule
