/// axi_checker: AXI4 protocol checker on one master port (docs/chip.md section 9). Only inputs,
/// simulation only: every rule is an assertion (systole_assert.svh), and the transaction
/// tracking behind them is compiled out with the assertions (SYNTHESIS, iverilog), leaving an
/// empty module. chip_top puts one on the chip's m_axi_* port, on the fetch port and on each DMA
/// queue's port before the arbiter.
///
/// Rules (assertion names in brackets):
/// - Handshakes: VALID and READY of every channel known [<ch>_handshake_known]; every VALID held
///   until its READY [<ch>_valid_held] with a stable payload [<ch>_stable, reported one edge
///   after the change], for AW, W, AR (master) and R, B (slave).
/// - AR/AW as the chip promises: INCR [<a>_burst_incr], AxSIZE = the bus width [<a>_size_full],
///   at most MaxBurstBeats beats [<a>_len_max], address aligned to 2^AlignLg bytes
///   [<a>_aligned], the burst inside one 4 KiB page [<a>_4k].
/// - W (HasWrite): a W beat only for an accepted AW, in an earlier cycle or the same one
///   [w_after_aw]; WLAST exactly on the last beat of the AW's burst [w_last_exact].
/// - R: only an ID with an outstanding AR [r_id_outstanding]; RLAST exactly on the last beat of
///   that ID's oldest burst [r_last_exact] (per ID, bursts answered in AR order).
/// - B (HasWrite): only an ID with a burst whose W beats have all been sent [b_after_last_w].
/// - The checker's own tracking: per ID at most MaxOutstanding reads and bursts waiting for B,
///   at most MaxOutstanding AWs whose data is not complete [tracking_overflow_<ar|aw|b>]. A
///   firing one means the parameter is too small for the port, not a protocol error.
/// Ports without AXI IDs (the arbiter gives them theirs) pass IdBits = 1 and ID 0; ports
/// without AxSIZE/AxBURST pass the values the arbiter adds.
`include "systole_assert.svh"

module axi_checker #(
  parameter int IdBits         = 4,
  parameter int AxiDataBits    = 256,
  parameter int MaxBurstBeats  = 16,
  parameter int MaxOutstanding = 16,
  parameter int AlignLg        = $clog2(AxiDataBits / 8),
  parameter bit HasWrite       = 1'b1
) (
  input logic                     clk_i,
  input logic                     rst_ni,
  // Write address.
  input logic                     aw_valid_i,
  input logic                     aw_ready_i,
  input logic [IdBits-1:0]        aw_id_i,
  input logic [31:0]              aw_addr_i,
  input logic [7:0]               aw_len_i,
  input logic [2:0]               aw_size_i,
  input logic [1:0]               aw_burst_i,
  // Write data.
  input logic                     w_valid_i,
  input logic                     w_ready_i,
  input logic [AxiDataBits-1:0]   w_data_i,
  input logic [AxiDataBits/8-1:0] w_strb_i,
  input logic                     w_last_i,
  // Write response.
  input logic                     b_valid_i,
  input logic                     b_ready_i,
  input logic [IdBits-1:0]        b_id_i,
  input logic [1:0]               b_resp_i,
  // Read address.
  input logic                     ar_valid_i,
  input logic                     ar_ready_i,
  input logic [IdBits-1:0]        ar_id_i,
  input logic [31:0]              ar_addr_i,
  input logic [7:0]               ar_len_i,
  input logic [2:0]               ar_size_i,
  input logic [1:0]               ar_burst_i,
  // Read data.
  input logic                     r_valid_i,
  input logic                     r_ready_i,
  input logic [IdBits-1:0]        r_id_i,
  input logic [AxiDataBits-1:0]   r_data_i,
  input logic [1:0]               r_resp_i,
  input logic                     r_last_i
);

`ifndef SYSTOLE_ASSERT_OFF

  localparam int NumIds  = 1 << IdBits;
  localparam int SizeLg  = $clog2(AxiDataBits / 8);
  localparam int CntBits = $clog2(MaxOutstanding + 1);
  localparam int PtrBits = (MaxOutstanding > 1) ? $clog2(MaxOutstanding) : 1;
  localparam logic [31:0] AlignMask = (32'd1 << AlignLg) - 32'd1;
  localparam logic [1:0]  BurstIncr = 2'b01;

  if (IdBits < 1 || IdBits > 8 || MaxBurstBeats < 1 || MaxBurstBeats > 256 ||
      MaxOutstanding < 1) begin : gen_param_check
    $error("axi_checker: IdBits 1..8, MaxBurstBeats 1..256, MaxOutstanding >= 1");
  end

  function automatic logic [PtrBits-1:0] next_ptr(logic [PtrBits-1:0] p);
    next_ptr = (32'(p) == MaxOutstanding - 1) ? '0 : p + PtrBits'(1);
  endfunction

  // The handshake of channel `ch`: a VALID waiting for READY is registered, with its payload
  // (copied only then), and must still be there at the next edge with the same payload. The
  // payload is compared in the clocked block, not by $stable in the assertion: Verilator copies
  // every signal an assertion names at each evaluation, which for the wide W and R payloads cost
  // about as much as all the other new assertions together (docs/chip.md section 9). A changed
  // payload is therefore reported one edge later.
`define AXI_CHK_HANDSHAKE(ch, payload, width) \
  logic ch``_wait_q, ch``_moved_q; \
  logic [(width)-1:0] ch``_snap_q; \
  always_ff @(posedge clk_i or negedge rst_ni) begin \
    if (!rst_ni) begin \
      ch``_wait_q  <= 1'b0; \
      ch``_moved_q <= 1'b0; \
    end else begin \
      ch``_wait_q  <= ch``_valid_i && !ch``_ready_i; \
      ch``_moved_q <= 1'b0; \
      if (ch``_wait_q && ch``_valid_i) ch``_moved_q <= (payload) != ch``_snap_q; \
    end \
  end \
  always_ff @(posedge clk_i) begin \
    if (ch``_valid_i && !ch``_ready_i) ch``_snap_q <= (payload); \
  end \
  `ASSERT(ch``_valid_held, ch``_wait_q |-> ch``_valid_i) \
  `ASSERT(ch``_stable, !ch``_moved_q)

  // ---- read address and read data --------------------------------------------------------------
  `ASSERT_KNOWN(ar_handshake_known, {ar_valid_i, ar_ready_i})
  `ASSERT_KNOWN(r_handshake_known, {r_valid_i, r_ready_i})
  `AXI_CHK_HANDSHAKE(ar, {ar_id_i, ar_addr_i, ar_len_i, ar_size_i, ar_burst_i}, IdBits + 45)
  `AXI_CHK_HANDSHAKE(r, {r_id_i, r_data_i, r_resp_i, r_last_i}, IdBits + AxiDataBits + 3)
  `ASSERT(ar_burst_incr, ar_valid_i |-> ar_burst_i == BurstIncr)
  `ASSERT(ar_size_full, ar_valid_i |-> 32'(ar_size_i) == SizeLg)
  `ASSERT(ar_len_max, ar_valid_i |-> 32'(ar_len_i) < MaxBurstBeats)
  `ASSERT(ar_aligned, ar_valid_i |-> (ar_addr_i & AlignMask) == '0)
  `ASSERT(ar_4k, ar_valid_i |-> (32'(ar_addr_i[11:0]) >> SizeLg) + 32'(ar_len_i) < (32'd4096 >> SizeLg))

  // Per ID, the lengths of the outstanding read bursts in AR order, and the next beat expected
  // of the oldest one.
  logic [7:0]         rd_len_q  [NumIds][MaxOutstanding];
  logic [PtrBits-1:0] rd_head_q [NumIds];
  logic [PtrBits-1:0] rd_tail_q [NumIds];
  logic [CntBits-1:0] rd_cnt_q  [NumIds];
  logic [7:0]         rd_beat_q [NumIds];
  // An unpacked-array element inside an assertion is an internal error of Verilator 5.006, so
  // every array read goes through a signal.
  logic               ar_hs, r_hs, r_known, r_last_beat, ar_room;

  assign ar_hs       = ar_valid_i && ar_ready_i;
  assign r_hs        = r_valid_i && r_ready_i;
  assign r_known     = rd_cnt_q[r_id_i] != '0;
  assign r_last_beat = rd_beat_q[r_id_i] == rd_len_q[r_id_i][rd_head_q[r_id_i]];
  assign ar_room     = 32'(rd_cnt_q[ar_id_i]) < MaxOutstanding;

  // Simulation-only bookkeeping, updated in place (a _d/_q split of the arrays would copy them
  // every cycle).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int i = 0; i < NumIds; i++) begin
        rd_head_q[i] <= '0;
        rd_tail_q[i] <= '0;
        rd_cnt_q[i]  <= '0;
        rd_beat_q[i] <= '0;
      end
    end else begin
      if (ar_hs) begin
        rd_len_q[ar_id_i][rd_tail_q[ar_id_i]] <= ar_len_i;
        rd_tail_q[ar_id_i] <= next_ptr(rd_tail_q[ar_id_i]);
      end
      if (r_hs && r_known) begin
        rd_beat_q[r_id_i] <= r_last_beat ? '0 : rd_beat_q[r_id_i] + 8'd1;
        if (r_last_beat) rd_head_q[r_id_i] <= next_ptr(rd_head_q[r_id_i]);
      end
      if (ar_hs && r_hs && r_known && r_last_beat && ar_id_i == r_id_i) begin
        rd_cnt_q[ar_id_i] <= rd_cnt_q[ar_id_i];
      end else begin
        if (ar_hs) rd_cnt_q[ar_id_i] <= rd_cnt_q[ar_id_i] + CntBits'(1);
        if (r_hs && r_known && r_last_beat) rd_cnt_q[r_id_i] <= rd_cnt_q[r_id_i] - CntBits'(1);
      end
    end
  end

  `ASSERT(tracking_overflow_ar, ar_hs |-> ar_room)
  `ASSERT(r_id_outstanding, r_valid_i |-> r_known)
  `ASSERT(r_last_exact, r_valid_i && r_known |-> r_last_i == r_last_beat)

  // ---- write address, data and response ------------------------------------------------------
  if (HasWrite) begin : gen_write
    `ASSERT_KNOWN(aw_handshake_known, {aw_valid_i, aw_ready_i})
    `ASSERT_KNOWN(w_handshake_known, {w_valid_i, w_ready_i})
    `ASSERT_KNOWN(b_handshake_known, {b_valid_i, b_ready_i})
    `AXI_CHK_HANDSHAKE(aw, {aw_id_i, aw_addr_i, aw_len_i, aw_size_i, aw_burst_i}, IdBits + 45)
    `AXI_CHK_HANDSHAKE(w, {w_data_i, w_strb_i, w_last_i}, AxiDataBits + AxiDataBits / 8 + 1)
    `AXI_CHK_HANDSHAKE(b, {b_id_i, b_resp_i}, IdBits + 2)
    `ASSERT(aw_burst_incr, aw_valid_i |-> aw_burst_i == BurstIncr)
    `ASSERT(aw_size_full, aw_valid_i |-> 32'(aw_size_i) == SizeLg)
    `ASSERT(aw_len_max, aw_valid_i |-> 32'(aw_len_i) < MaxBurstBeats)
    `ASSERT(aw_aligned, aw_valid_i |-> (aw_addr_i & AlignMask) == '0)
    `ASSERT(aw_4k, aw_valid_i |-> (32'(aw_addr_i[11:0]) >> SizeLg) + 32'(aw_len_i) < (32'd4096 >> SizeLg))

    // AWs whose W beats are not all sent, in AW order (W has no ID: W order = AW order), the
    // next beat of the oldest, and per ID the bursts fully written and waiting for their B.
    logic [7:0]         aw_len_q [MaxOutstanding];
    logic [IdBits-1:0]  aw_idq_q [MaxOutstanding];
    logic [PtrBits-1:0] aw_head_q, aw_tail_q;
    logic [CntBits-1:0] aw_cnt_q;
    logic [7:0]         w_beat_q;
    logic [CntBits-1:0] b_cnt_q [NumIds];
    logic               aw_hs, w_hs, b_hs, w_has_aw, w_last_beat, w_done, b_room, b_known;
    logic [7:0]         w_len;
    logic [IdBits-1:0]  w_id;

    assign aw_hs       = aw_valid_i && aw_ready_i;
    assign w_hs        = w_valid_i && w_ready_i;
    assign b_hs        = b_valid_i && b_ready_i;
    // The burst a W beat belongs to: the oldest incomplete AW, or one accepted in this cycle.
    assign w_has_aw    = aw_cnt_q != '0 || aw_hs;
    assign w_len       = (aw_cnt_q != '0) ? aw_len_q[aw_head_q] : aw_len_i;
    assign w_id        = (aw_cnt_q != '0) ? aw_idq_q[aw_head_q] : aw_id_i;
    assign w_last_beat = w_beat_q == w_len;
    assign w_done      = w_hs && w_has_aw && w_last_beat;
    assign b_room      = 32'(b_cnt_q[w_id]) < MaxOutstanding;
    assign b_known     = b_cnt_q[b_id_i] != '0;

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        aw_head_q <= '0;
        aw_tail_q <= '0;
        aw_cnt_q  <= '0;
        w_beat_q  <= '0;
        for (int i = 0; i < NumIds; i++) b_cnt_q[i] <= '0;
      end else begin
        if (aw_hs) begin
          aw_len_q[aw_tail_q] <= aw_len_i;
          aw_idq_q[aw_tail_q] <= aw_id_i;
          aw_tail_q <= next_ptr(aw_tail_q);
        end
        if (w_hs && w_has_aw) w_beat_q <= w_last_beat ? '0 : w_beat_q + 8'd1;
        if (w_done) aw_head_q <= next_ptr(aw_head_q);
        aw_cnt_q <= aw_cnt_q + CntBits'(aw_hs) - CntBits'(w_done);
        if (w_done && b_hs && w_id == b_id_i) begin
          b_cnt_q[w_id] <= b_cnt_q[w_id];
        end else begin
          if (w_done) b_cnt_q[w_id] <= b_cnt_q[w_id] + CntBits'(1);
          if (b_hs && b_known) b_cnt_q[b_id_i] <= b_cnt_q[b_id_i] - CntBits'(1);
        end
      end
    end

    `ASSERT(tracking_overflow_aw, aw_hs |-> 32'(aw_cnt_q) < MaxOutstanding)
    `ASSERT(tracking_overflow_b, w_done |-> b_room)
    `ASSERT(w_after_aw, w_valid_i |-> w_has_aw)
    `ASSERT(w_last_exact, w_valid_i && w_has_aw |-> w_last_i == w_last_beat)
    // A B answers a burst whose last W beat was sent in an earlier cycle.
    `ASSERT(b_after_last_w, b_valid_i |-> b_known)
  end else begin : gen_no_write
    // A read-only port (instruction fetch): the write channels are tied off by the caller.
    logic unused_write;
    assign unused_write = ^{aw_valid_i, aw_ready_i, aw_id_i, aw_addr_i, aw_len_i, aw_size_i, aw_burst_i,
                            w_valid_i, w_ready_i, w_data_i, w_strb_i, w_last_i,
                            b_valid_i, b_ready_i, b_id_i, b_resp_i};
  end

`undef AXI_CHK_HANDSHAKE

`else  // SYSTOLE_ASSERT_OFF

  // Without assertions (synthesis, iverilog) the checker is an empty module: its inputs are
  // unused on purpose (the `unused` sink is what Verilator's -Wall accepts for that), and so
  // are the parameters that only size the tracking.
  logic unused;
  assign unused = ^{clk_i, rst_ni, aw_valid_i, aw_ready_i, aw_id_i, aw_addr_i, aw_len_i, aw_size_i,
                    aw_burst_i, w_valid_i, w_ready_i, w_data_i, w_strb_i, w_last_i, b_valid_i,
                    b_ready_i, b_id_i, b_resp_i, ar_valid_i, ar_ready_i, ar_id_i, ar_addr_i, ar_len_i,
                    ar_size_i, ar_burst_i, r_valid_i, r_ready_i, r_id_i, r_data_i, r_resp_i, r_last_i,
                    32'(MaxBurstBeats + MaxOutstanding + AlignLg), HasWrite};

`endif  // SYSTOLE_ASSERT_OFF

endmodule
