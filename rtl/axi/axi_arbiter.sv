/// axi_arbiter: shares the chip's AXI4 master port among NMst masters (docs/chip.md section 7):
/// master 0 is instruction fetch (AXI ID 0), master 1+q DMA queue q (ID 1+q). The masters have
/// no ID signals; the arbiter gives master m the ID m. Every burst is INCR of full-width beats
/// (AxSIZE = log2(AxiDataBits/8)).
///
/// - AR and AW: round-robin among the requesting masters (axi_rr_arb), the grant held until the
///   handshake, zero latency (valid and payload pass through combinationally).
/// - R and B: routed by ID; RREADY/BREADY are the addressed master's ready. An R/B whose ID maps
///   to no master cannot happen with a legal slave (an assertion says so); it is accepted and
///   dropped so the bus cannot hang on it.
/// - W: AXI4 has no WID, so W beats go out in the order the AWs were granted. Each AW handshake
///   pushes its master into a FIFO of WFifoDepth entries; the head master's W beats are passed
///   through, and its WLAST pops the FIFO. AW is not granted while the FIFO is full, which bounds
///   the writes addressed and not yet sent. A master's W beats wait for its AW handshake (the
///   FIFO entry is visible one cycle after it).
/// Fetch only reads; chip_top ties its AW/W inputs to 0.
///
/// Master m's signals are at [m*W +: W] of the flat vectors; mst_r_data_o/resp/last and
/// mst_b_resp_o are shared (qualified by each master's valid).
`include "systole_assert.svh"

module axi_arbiter #(
  parameter int NMst        = 5,
  parameter int AxiDataBits = 256,
  parameter int WFifoDepth  = 16
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  // Masters: read address.
  input  logic [NMst-1:0]               mst_ar_valid_i,
  output logic [NMst-1:0]               mst_ar_ready_o,
  input  logic [NMst*32-1:0]            mst_ar_addr_i,
  input  logic [NMst*8-1:0]             mst_ar_len_i,
  // Masters: read data (data, resp and last shared).
  output logic [NMst-1:0]               mst_r_valid_o,
  input  logic [NMst-1:0]               mst_r_ready_i,
  output logic [AxiDataBits-1:0]        mst_r_data_o,
  output logic [1:0]                    mst_r_resp_o,
  output logic                          mst_r_last_o,
  // Masters: write address.
  input  logic [NMst-1:0]               mst_aw_valid_i,
  output logic [NMst-1:0]               mst_aw_ready_o,
  input  logic [NMst*32-1:0]            mst_aw_addr_i,
  input  logic [NMst*8-1:0]             mst_aw_len_i,
  // Masters: write data.
  input  logic [NMst-1:0]               mst_w_valid_i,
  output logic [NMst-1:0]               mst_w_ready_o,
  input  logic [NMst*AxiDataBits-1:0]   mst_w_data_i,
  input  logic [NMst*AxiDataBits/8-1:0] mst_w_strb_i,
  input  logic [NMst-1:0]               mst_w_last_i,
  // Masters: write response (resp shared).
  output logic [NMst-1:0]               mst_b_valid_o,
  input  logic [NMst-1:0]               mst_b_ready_i,
  output logic [1:0]                    mst_b_resp_o,
  // Chip AXI4 master: write address.
  output logic                          aw_valid_o,
  input  logic                          aw_ready_i,
  output logic [3:0]                    aw_id_o,
  output logic [31:0]                   aw_addr_o,
  output logic [7:0]                    aw_len_o,
  output logic [2:0]                    aw_size_o,
  output logic [1:0]                    aw_burst_o,
  // Chip AXI4 master: write data.
  output logic                          w_valid_o,
  input  logic                          w_ready_i,
  output logic [AxiDataBits-1:0]        w_data_o,
  output logic [AxiDataBits/8-1:0]      w_strb_o,
  output logic                          w_last_o,
  // Chip AXI4 master: write response.
  input  logic                          b_valid_i,
  output logic                          b_ready_o,
  input  logic [3:0]                    b_id_i,
  input  logic [1:0]                    b_resp_i,
  // Chip AXI4 master: read address.
  output logic                          ar_valid_o,
  input  logic                          ar_ready_i,
  output logic [3:0]                    ar_id_o,
  output logic [31:0]                   ar_addr_o,
  output logic [7:0]                    ar_len_o,
  output logic [2:0]                    ar_size_o,
  output logic [1:0]                    ar_burst_o,
  // Chip AXI4 master: read data.
  input  logic                          r_valid_i,
  output logic                          r_ready_o,
  input  logic [3:0]                    r_id_i,
  input  logic [AxiDataBits-1:0]        r_data_i,
  input  logic [1:0]                    r_resp_i,
  input  logic                          r_last_i
);

  localparam int IdxBits   = (NMst > 1) ? $clog2(NMst) : 1;
  localparam int StrbBits  = AxiDataBits / 8;
  localparam int SizeLog2  = $clog2(StrbBits);
  localparam logic [1:0] BurstIncr = 2'b01;

  if (NMst < 1 || NMst > 16) begin : gen_nmst_check
    $error("axi_arbiter: NMst must be 1..16 (4-bit AXI IDs)");
  end
  if (AxiDataBits < 32 || AxiDataBits > 1024 || (1 << SizeLog2) != StrbBits) begin : gen_width_check
    $error("axi_arbiter: AxiDataBits must be a power of two in 32..1024");
  end

  // ---- AR: round-robin, payload of the presented master ---------------------------------------
  logic [IdxBits-1:0] ar_idx;

  axi_rr_arb #(.N(NMst), .IdxBits(IdxBits)) u_ar_arb (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .req_i  (mst_ar_valid_i),
    .en_i   (1'b1),
    .valid_o(ar_valid_o),
    .ready_i(ar_ready_i),
    .idx_o  (ar_idx),
    .gnt_o  (mst_ar_ready_o)
  );

  assign ar_id_o    = 4'(ar_idx);
  assign ar_addr_o  = mst_ar_addr_i[ar_idx*32 +: 32];
  assign ar_len_o   = mst_ar_len_i[ar_idx*8 +: 8];
  assign ar_size_o  = 3'(SizeLog2);
  assign ar_burst_o = BurstIncr;

  // ---- AW: round-robin while the W-order FIFO has room ----------------------------------------
  logic [IdxBits-1:0] aw_idx;
  logic               wq_in_ready;
  logic               aw_fire;

  axi_rr_arb #(.N(NMst), .IdxBits(IdxBits)) u_aw_arb (
    .clk_i  (clk_i),
    .rst_ni (rst_ni),
    .req_i  (mst_aw_valid_i),
    .en_i   (wq_in_ready),
    .valid_o(aw_valid_o),
    .ready_i(aw_ready_i),
    .idx_o  (aw_idx),
    .gnt_o  (mst_aw_ready_o)
  );

  assign aw_fire    = aw_valid_o && aw_ready_i;
  assign aw_id_o    = 4'(aw_idx);
  assign aw_addr_o  = mst_aw_addr_i[aw_idx*32 +: 32];
  assign aw_len_o   = mst_aw_len_i[aw_idx*8 +: 8];
  assign aw_size_o  = 3'(SizeLog2);
  assign aw_burst_o = BurstIncr;

  // ---- W: in AW grant order -----------------------------------------------------------------
  logic               wq_valid;
  logic [IdxBits-1:0] w_idx;
  logic               w_pop;

  // The occupancy count (count_o) is not needed: in_ready_o already says "not full".
  /* verilator lint_off PINCONNECTEMPTY */
  fifo #(.Width(IdxBits), .Depth(WFifoDepth), .PopOnlyWhenValid(1'b1)) u_w_order (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .clr_i      (1'b0),
    .in_valid_i (aw_fire),
    .in_ready_o (wq_in_ready),
    .in_data_i  (aw_idx),
    .out_valid_o(wq_valid),
    .out_ready_i(w_pop),
    .out_data_o (w_idx),
    .count_o    ()
  );
  /* verilator lint_on PINCONNECTEMPTY */

  assign w_valid_o     = wq_valid && mst_w_valid_i[w_idx];
  assign w_data_o      = mst_w_data_i[w_idx*AxiDataBits +: AxiDataBits];
  assign w_strb_o      = mst_w_strb_i[w_idx*StrbBits +: StrbBits];
  assign w_last_o      = mst_w_last_i[w_idx];
  assign w_pop         = w_valid_o && w_ready_i && w_last_o;
  assign mst_w_ready_o = (wq_valid && w_ready_i) ? (NMst'(1) << w_idx) : '0;

  // ---- R and B: routed by ID ------------------------------------------------------------------
  logic r_id_ok, b_id_ok;
  assign r_id_ok = 32'(r_id_i) < NMst;
  assign b_id_ok = 32'(b_id_i) < NMst;

  assign mst_r_valid_o = (r_valid_i && r_id_ok) ? (NMst'(1) << r_id_i) : '0;
  assign mst_r_data_o  = r_data_i;
  assign mst_r_resp_o  = r_resp_i;
  assign mst_r_last_o  = r_last_i;
  assign r_ready_o     = r_id_ok ? mst_r_ready_i[r_id_i[IdxBits-1:0]] : 1'b1;

  assign mst_b_valid_o = (b_valid_i && b_id_ok) ? (NMst'(1) << b_id_i) : '0;
  assign mst_b_resp_o  = b_resp_i;
  assign b_ready_o     = b_id_ok ? mst_b_ready_i[b_id_i[IdxBits-1:0]] : 1'b1;

  // ---- assertions on the chip port ------------------------------------------------------------
  // Once valid, an address or data beat stays valid with the same payload until accepted.
  `ASSERT_STABLE(ar_stable, ar_valid_o && !ar_ready_i, {ar_valid_o, ar_id_o, ar_addr_o, ar_len_o})
  `ASSERT_STABLE(aw_stable, aw_valid_o && !aw_ready_i, {aw_valid_o, aw_id_o, aw_addr_o, aw_len_o})
  `ASSERT_STABLE(w_stable, w_valid_o && !w_ready_i, {w_valid_o, w_data_o, w_strb_o, w_last_o})
  // Responses carry the ID of a master (the slave echoes the IDs given here).
  `ASSERT(r_id_maps, r_valid_i |-> r_id_ok)
  `ASSERT(b_id_maps, b_valid_i |-> b_id_ok)
  `ASSERT_KNOWN(r_valid_known, r_valid_i)
  `ASSERT_KNOWN(b_valid_known, b_valid_i)

endmodule
