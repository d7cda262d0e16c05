/// chip_lockstep: the RTL chip_top and its yosys netlist (chip_top_netlist, written by
/// verif/netlist/synth_netlist.sh for the same configuration) side by side, for the netlist check
/// (docs/verification.md). The ports are chip_top's, so the C++ benches that drive chip_top
/// (ChipSim: AXI memory model on m_axi_*, AXI-Lite master on s_axil_*) drive this wrapper
/// unchanged. Both copies get the same inputs; the outputs are the RTL's.
///
/// Every output of the two is compared at every rising clock edge (the values the edge samples,
/// from the first edge on, reset included). Outputs are compared in groups, one bit each in the
/// mismatch vector; on every edge where a group differs the wrapper calls the DPI function
/// chip_lockstep_mismatch(cycle, groups) implemented by the C++ bench, with `cycle` the edges
/// since reset was released (ChipSim::cycle() of that edge) and `groups` the mismatch vector.
/// Self-check of the check: when the C++ bench's chip_lockstep_fault() answers 1 (environment
/// variable SYSTOLE_NETLIST_FAULT set), the netlist alone reads bit 0 of every AXI read beat
/// inverted, so its instructions and data differ from the RTL's; the compare must then fire
/// (`make netlist-check` runs this first and stops if it does not).
/// Simulation only (DPI, Verilator); never synthesized.
module chip_lockstep #(
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

  // The output groups, one bit each in the mismatch vector (netlist_check.cpp names them in the
  // same order).
  localparam int GAxilAw = 0;   // s_axil_awready_o
  localparam int GAxilW  = 1;   // s_axil_wready_o
  localparam int GAxilB  = 2;   // s_axil_bvalid_o, s_axil_bresp_o
  localparam int GAxilAr = 3;   // s_axil_arready_o
  localparam int GAxilR  = 4;   // s_axil_rvalid_o, s_axil_rdata_o, s_axil_rresp_o
  localparam int GAxiAw  = 5;   // m_axi_aw{valid,id,addr,len,size,burst}_o
  localparam int GAxiW   = 6;   // m_axi_w{valid,data,strb,last}_o
  localparam int GAxiB   = 7;   // m_axi_bready_o
  localparam int GAxiAr  = 8;   // m_axi_ar{valid,id,addr,len,size,burst}_o
  localparam int GAxiR   = 9;   // m_axi_rready_o
  localparam int GIrq    = 10;  // irq_o
  localparam int NGroups = 11;

  import "DPI-C" function void chip_lockstep_mismatch(input longint unsigned cycle,
                                                      input int unsigned groups);
  import "DPI-C" function bit chip_lockstep_fault();

  // The self-check's fault, read once at time 0.
  logic fault;
  initial fault = chip_lockstep_fault();
  logic [AxiDataBits-1:0] n_rdata_in;
  assign n_rdata_in = m_axi_rdata_i ^ {{(AxiDataBits-1){1'b0}}, fault};

  // ---- the RTL ---------------------------------------------------------------------------------
  chip_top #(
    .Partitions(Partitions), .Columns(Columns), .Nmax(Nmax), .SbufBytes(SbufBytes),
    .PsumBytes(PsumBytes), .EnableInt8(EnableInt8), .EnableBf16(EnableBf16),
    .EnableFp8(EnableFp8), .DmaQueues(DmaQueues), .QueueDepth(QueueDepth),
    .AxiDataBits(AxiDataBits), .EnableVector(EnableVector)
  ) u_rtl (
    .clk_i, .rst_ni,
    .s_axil_awvalid_i, .s_axil_awready_o, .s_axil_awaddr_i,
    .s_axil_wvalid_i, .s_axil_wready_o, .s_axil_wdata_i, .s_axil_wstrb_i,
    .s_axil_bvalid_o, .s_axil_bready_i, .s_axil_bresp_o,
    .s_axil_arvalid_i, .s_axil_arready_o, .s_axil_araddr_i,
    .s_axil_rvalid_o, .s_axil_rready_i, .s_axil_rdata_o, .s_axil_rresp_o,
    .m_axi_awvalid_o, .m_axi_awready_i, .m_axi_awid_o, .m_axi_awaddr_o, .m_axi_awlen_o,
    .m_axi_awsize_o, .m_axi_awburst_o,
    .m_axi_wvalid_o, .m_axi_wready_i, .m_axi_wdata_o, .m_axi_wstrb_o, .m_axi_wlast_o,
    .m_axi_bvalid_i, .m_axi_bready_o, .m_axi_bid_i, .m_axi_bresp_i,
    .m_axi_arvalid_o, .m_axi_arready_i, .m_axi_arid_o, .m_axi_araddr_o, .m_axi_arlen_o,
    .m_axi_arsize_o, .m_axi_arburst_o,
    .m_axi_rvalid_i, .m_axi_rready_o, .m_axi_rid_i, .m_axi_rdata_i, .m_axi_rresp_i,
    .m_axi_rlast_i,
    .irq_o
  );

  // ---- the netlist (its parameters are fixed by the synthesis) --------------------------------
  logic                     n_s_axil_awready, n_s_axil_wready, n_s_axil_bvalid;
  logic [1:0]               n_s_axil_bresp, n_s_axil_rresp;
  logic                     n_s_axil_arready, n_s_axil_rvalid;
  logic [31:0]              n_s_axil_rdata;
  logic                     n_awvalid, n_wvalid, n_wlast, n_bready, n_arvalid, n_rready;
  logic [3:0]               n_awid, n_arid;
  logic [31:0]              n_awaddr, n_araddr;
  logic [7:0]               n_awlen, n_arlen;
  logic [2:0]               n_awsize, n_arsize;
  logic [1:0]               n_awburst, n_arburst;
  logic [AxiDataBits-1:0]   n_wdata;
  logic [AxiDataBits/8-1:0] n_wstrb;
  logic                     n_irq;

  chip_top_netlist u_netlist (
    .clk_i, .rst_ni,
    .s_axil_awvalid_i, .s_axil_awready_o(n_s_axil_awready), .s_axil_awaddr_i,
    .s_axil_wvalid_i, .s_axil_wready_o(n_s_axil_wready), .s_axil_wdata_i, .s_axil_wstrb_i,
    .s_axil_bvalid_o(n_s_axil_bvalid), .s_axil_bready_i, .s_axil_bresp_o(n_s_axil_bresp),
    .s_axil_arvalid_i, .s_axil_arready_o(n_s_axil_arready), .s_axil_araddr_i,
    .s_axil_rvalid_o(n_s_axil_rvalid), .s_axil_rready_i, .s_axil_rdata_o(n_s_axil_rdata),
    .s_axil_rresp_o(n_s_axil_rresp),
    .m_axi_awvalid_o(n_awvalid), .m_axi_awready_i, .m_axi_awid_o(n_awid),
    .m_axi_awaddr_o(n_awaddr), .m_axi_awlen_o(n_awlen), .m_axi_awsize_o(n_awsize),
    .m_axi_awburst_o(n_awburst),
    .m_axi_wvalid_o(n_wvalid), .m_axi_wready_i, .m_axi_wdata_o(n_wdata),
    .m_axi_wstrb_o(n_wstrb), .m_axi_wlast_o(n_wlast),
    .m_axi_bvalid_i, .m_axi_bready_o(n_bready), .m_axi_bid_i, .m_axi_bresp_i,
    .m_axi_arvalid_o(n_arvalid), .m_axi_arready_i, .m_axi_arid_o(n_arid),
    .m_axi_araddr_o(n_araddr), .m_axi_arlen_o(n_arlen), .m_axi_arsize_o(n_arsize),
    .m_axi_arburst_o(n_arburst),
    .m_axi_rvalid_i, .m_axi_rready_o(n_rready), .m_axi_rid_i, .m_axi_rdata_i(n_rdata_in),
    .m_axi_rresp_i, .m_axi_rlast_i,
    .irq_o(n_irq)
  );

  // ---- the comparison --------------------------------------------------------------------------
  logic [NGroups-1:0] diff;
  always_comb begin
    diff          = '0;
    diff[GAxilAw] = s_axil_awready_o != n_s_axil_awready;
    diff[GAxilW]  = s_axil_wready_o != n_s_axil_wready;
    diff[GAxilB]  = {s_axil_bvalid_o, s_axil_bresp_o} != {n_s_axil_bvalid, n_s_axil_bresp};
    diff[GAxilAr] = s_axil_arready_o != n_s_axil_arready;
    diff[GAxilR]  = {s_axil_rvalid_o, s_axil_rdata_o, s_axil_rresp_o}
                    != {n_s_axil_rvalid, n_s_axil_rdata, n_s_axil_rresp};
    diff[GAxiAw]  = {m_axi_awvalid_o, m_axi_awid_o, m_axi_awaddr_o, m_axi_awlen_o,
                     m_axi_awsize_o, m_axi_awburst_o}
                    != {n_awvalid, n_awid, n_awaddr, n_awlen, n_awsize, n_awburst};
    diff[GAxiW]   = {m_axi_wvalid_o, m_axi_wdata_o, m_axi_wstrb_o, m_axi_wlast_o}
                    != {n_wvalid, n_wdata, n_wstrb, n_wlast};
    diff[GAxiB]   = m_axi_bready_o != n_bready;
    diff[GAxiAr]  = {m_axi_arvalid_o, m_axi_arid_o, m_axi_araddr_o, m_axi_arlen_o,
                     m_axi_arsize_o, m_axi_arburst_o}
                    != {n_arvalid, n_arid, n_araddr, n_arlen, n_arsize, n_arburst};
    diff[GAxiR]   = m_axi_rready_o != n_rready;
    diff[GIrq]    = irq_o != n_irq;
  end

  // Edges since reset was released: the edge at ChipSim::cycle() == k samples cycle_q == k.
  logic [63:0] cycle_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) cycle_q <= '0;
    else         cycle_q <= cycle_q + 64'd1;
  end

  always_ff @(posedge clk_i) begin
    if (|diff) chip_lockstep_mismatch(cycle_q, 32'(diff));
  end

endmodule
