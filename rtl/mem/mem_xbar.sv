/// mem_xbar: connects NReq element requesters (the DMA queues' read and write sides) to the
/// per-partition port of an on-chip memory (SBUF port B or the PSUM DMA port)
/// (docs/chip.md section 3). Each cycle, every partition takes at most one request, chosen
/// round-robin among the requesters that target it; requests to different partitions proceed
/// in the same cycle. A requester holds its request until req_gnt_o; the memory may refuse a
/// partition's access for a cycle (mem_gnt_i low, PSUM bank conflicts), which the requester
/// sees as no grant. Read data comes back on req_rdata_o with req_rvalid_o the cycle after the
/// grant. No storage besides the round-robin pointers and the read-return tags.
`include "systole_assert.svh"

module mem_xbar #(
  parameter int NReq       = 4,
  parameter int Partitions = 16,
  parameter int AddrBits   = 13,
  parameter int DataBits   = 64,
  parameter int BeBits     = 8,
  parameter int PartBits   = (Partitions > 1) ? $clog2(Partitions) : 1
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  // Requesters.
  input  logic [NReq-1:0]                req_en_i,
  input  logic [NReq*PartBits-1:0]       req_part_i,
  input  logic [NReq-1:0]                req_we_i,
  input  logic [NReq*AddrBits-1:0]       req_addr_i,
  input  logic [NReq*BeBits-1:0]         req_be_i,
  input  logic [NReq*DataBits-1:0]       req_wdata_i,
  output logic [NReq-1:0]                req_gnt_o,
  output logic [NReq-1:0]                req_rvalid_o,
  output logic [NReq*DataBits-1:0]       req_rdata_o,
  // Memory, one port per partition.
  output logic [Partitions-1:0]          mem_en_o,
  output logic [Partitions-1:0]          mem_we_o,
  output logic [Partitions*AddrBits-1:0] mem_addr_o,
  output logic [Partitions*BeBits-1:0]   mem_be_o,
  output logic [Partitions*DataBits-1:0] mem_wdata_o,
  input  logic [Partitions-1:0]          mem_gnt_i,
  input  logic [Partitions*DataBits-1:0] mem_rdata_i
);

  localparam int RB = (NReq > 1) ? $clog2(NReq) : 1;

  // sel[p]: the requester partition p serves this cycle (valid when mem_en_o[p]).
  logic [Partitions*RB-1:0] sel, rr_q;
  logic [NReq-1:0]          rd_fire_q;
  logic [NReq*PartBits-1:0] rd_part_q;

  always_comb begin
    mem_en_o    = '0;
    mem_we_o    = '0;
    mem_addr_o  = '0;
    mem_be_o    = '0;
    mem_wdata_o = '0;
    sel         = '0;
    for (int p = 0; p < Partitions; p++) begin
      logic found;
      found = 1'b0;
      // Round-robin: the first requester at or after rr_q[p] (in circular order) for p.
      for (int k = 0; k < NReq; k++) begin
        int r;
        r = (32'(rr_q[p*RB +: RB]) + k) % NReq;
        if (!found && req_en_i[r] && 32'(req_part_i[r*PartBits +: PartBits]) == p) begin
          found = 1'b1;
          sel[p*RB +: RB] = RB'(r);
          mem_en_o[p] = 1'b1;
          mem_we_o[p] = req_we_i[r];
          mem_addr_o[p*AddrBits +: AddrBits] = req_addr_i[r*AddrBits +: AddrBits];
          mem_be_o[p*BeBits +: BeBits] = req_be_i[r*BeBits +: BeBits];
          mem_wdata_o[p*DataBits +: DataBits] = req_wdata_i[r*DataBits +: DataBits];
        end
      end
    end
  end

  // Grants in their own block: the memory's grant may depend on mem_en_o (PSUM bank conflicts),
  // and one block computing both would look like a combinational loop to Verilator.
  always_comb begin
    req_gnt_o = '0;
    for (int p = 0; p < Partitions; p++) begin
      if (mem_en_o[p] && mem_gnt_i[p]) req_gnt_o[32'(sel[p*RB +: RB])] = 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rr_q      <= '0;
      rd_fire_q <= '0;
    end else begin
      for (int p = 0; p < Partitions; p++) begin
        if (mem_en_o[p] && mem_gnt_i[p]) begin
          rr_q[p*RB +: RB] <= RB'((32'(sel[p*RB +: RB]) + 1) % NReq);
        end
      end
      rd_fire_q <= req_gnt_o & ~req_we_i;
    end
  end
  always_ff @(posedge clk_i) begin
    rd_part_q <= req_part_i;
  end

  assign req_rvalid_o = rd_fire_q;

  // Requests name an existing partition (one past the last would wait forever), and a grant
  // goes only to a requester that asks: with one requester per partition and cycle, no two
  // writes reach one memory word in a cycle.
  for (genvar r = 0; r < NReq; r++) begin : gen_req_check
    `ASSERT(req_part_range, req_en_i[r] |-> 32'(req_part_i[r*PartBits +: PartBits]) < Partitions)
  end
  `ASSERT(gnt_only_requested, (req_gnt_o & ~req_en_i) == '0)
  for (genvar r = 0; r < NReq; r++) begin : gen_rdata
    assign req_rdata_o[r*DataBits +: DataBits] =
        mem_rdata_i[32'(rd_part_q[r*PartBits +: PartBits])*DataBits +: DataBits];
  end

endmodule
