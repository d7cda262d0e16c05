/// mem_xbar: connects NReq requesters (the DMA queues' source and destination sides) to the
/// per-partition row port of an on-chip memory (SBUF port B or the PSUM DMA port) (docs/chip.md
/// section 3, docs/dma.md section 4). A request is one of:
///   row:    one partition (req_part_i), one row (req_row_i), RowBytes bytes of data at their
///           places in the row with byte enables (req_wdata_i, req_be_i);
///   column: req_np_i consecutive partitions from req_part_i, one row, one element of 2^req_lg_i
///           bytes at byte req_off_i of the row in each; element i (for partition part + i)
///           packed at bytes [i * size, (i + 1) * size) of req_wdata_i;
///   block:  req_np_i consecutive partitions from req_part_i, the same row in each, a whole row
///           of data with byte enables per partition: partition p's at row slot p of blk_wdata_i
///           and blk_be_i (absolute slots: the requester rotates its lanes). Only the last NBlk
///           requesters (the vector engine's) may ask for blocks; they have these P-row ports.
/// A request is granted whole, in one cycle, or not at all. Each cycle the requesters are taken
/// in round-robin order (the order starts after the first requester granted last time): one is
/// granted when it asks, none of its partitions went to a requester before it in this cycle's
/// order, and the memory's port of its bank is free (busy_rd_i / busy_wr_i: the PSUM banks the
/// tensor engine uses this cycle) in each of its partitions (part_busy_i: a bench's refusals). Read data is the memory's rows the cycle after the grant
/// (every requester sees them and cuts its chunk out). No storage besides the round-robin
/// pointer.
`include "systole_assert.svh"

module mem_xbar #(
  parameter int NReq        = 4,
  parameter int Partitions  = 16,
  parameter int RowBytes    = 8,
  parameter int RowAddrBits = 10,   // the memory's row address
  parameter int ReqRowBits  = 10,   // the requesters' row field (>= RowAddrBits; low bits used)
  parameter int Banks       = 1,
  parameter int BankRowBits = 9,    // rows per bank = 2^BankRowBits (Banks > 1)
  parameter int NBlk        = 0,    // requesters NReq-NBlk .. NReq-1 may ask for blocks
  parameter int PartBits    = (Partitions > 1) ? $clog2(Partitions) : 1,
  parameter int OffBits     = $clog2(RowBytes),
  parameter int NBlkW       = (NBlk > 0) ? NBlk : 1  // port widths (one unused slot when NBlk = 0)
) (
  input  logic                               clk_i,
  input  logic                               rst_ni,
  // Requesters.
  input  logic [NReq-1:0]                    req_en_i,
  input  logic [NReq-1:0]                    req_we_i,
  input  logic [NReq-1:0]                    req_col_i,
  input  logic [NReq*PartBits-1:0]           req_part_i,
  input  logic [NReq*8-1:0]                  req_np_i,
  input  logic [NReq*ReqRowBits-1:0]         req_row_i,
  input  logic [NReq*OffBits-1:0]            req_off_i,
  input  logic [NReq*2-1:0]                  req_lg_i,
  input  logic [NReq*RowBytes-1:0]           req_be_i,
  input  logic [NReq*RowBytes*8-1:0]         req_wdata_i,
  // Block requests of the last NBlk requesters (block b is requester NReq - NBlk + b).
  // (Unused when NBlk = 0: the DMA-only crossbars tie them to 0.)
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [NBlkW-1:0]                       blk_i,
  input  logic [NBlkW*Partitions*RowBytes-1:0]   blk_be_i,
  input  logic [NBlkW*Partitions*RowBytes*8-1:0] blk_wdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  output logic [NReq-1:0]                    req_gnt_o,
  // Memory, one row port per partition.
  output logic [Partitions-1:0]              mem_en_o,
  output logic [Partitions-1:0]              mem_we_o,
  output logic [Partitions*RowAddrBits-1:0]  mem_addr_o,
  output logic [Partitions*RowBytes-1:0]     mem_be_o,
  output logic [Partitions*RowBytes*8-1:0]   mem_wdata_o,
  input  logic [Banks-1:0]                   busy_rd_i,
  input  logic [Banks-1:0]                   busy_wr_i,
  input  logic [Partitions-1:0]              part_busy_i   // partitions the memory refuses now
);

  localparam int P  = Partitions;
  localparam int RB = RowBytes;
  localparam int RI = (NReq > 1) ? $clog2(NReq) : 1;
  localparam int BankBits = (Banks > 1) ? $clog2(Banks) : 1;

  // Which requesters ask for a block this cycle.
  logic [NReq-1:0] blk_req;
  always_comb begin
    blk_req = '0;
    for (int b = 0; b < NBlk; b++) blk_req[NReq - NBlk + b] = blk_i[b];
  end

  // The partitions each requester needs.
  logic [NReq*P-1:0] need;
  always_comb begin
    /* verilator lint_off UNUSEDSIGNAL */
    logic [P:0]   ones;  // np ones (bit P: only for np = P)
    /* verilator lint_on UNUSEDSIGNAL */
    logic [P-1:0] low;
    need = '0;
    for (int r = 0; r < NReq; r++) begin
      ones = ({{P{1'b0}}, 1'b1} << req_np_i[r*8 +: 8]) - 1'b1;
      low  = (req_col_i[r] || blk_req[r]) ? ones[P-1:0] : {{(P-1){1'b0}}, 1'b1};
      need[r*P +: P] = req_en_i[r] ? low << req_part_i[r*PartBits +: PartBits] : '0;
    end
  end

  // Whether each requester's bank port is free.
  logic [NReq-1:0] port_free;
  always_comb begin
    for (int r = 0; r < NReq; r++) begin
      logic [BankBits-1:0] b;
      b = '0;
      if (Banks > 1) b = BankBits'(req_row_i[r*ReqRowBits + BankRowBits +: BankBits]);
      port_free[r] = (req_we_i[r] ? !busy_wr_i[b] : !busy_rd_i[b]) &&
                     ((need[r*P +: P] & part_busy_i) == '0);
    end
  end

  // Grants, in round-robin order from rr_q.
  logic [RI-1:0] rr_q, first;
  logic          any;
  always_comb begin
    logic [P-1:0] taken;
    taken     = '0;
    req_gnt_o = '0;
    first     = '0;
    any       = 1'b0;
    for (int k = 0; k < NReq; k++) begin
      int r;
      r = (32'(rr_q) + k) % NReq;
      if (req_en_i[r] && port_free[r] && (need[r*P +: P] & taken) == '0) begin
        req_gnt_o[r] = 1'b1;
        taken        = taken | need[r*P +: P];
        if (!any) first = RI'(r);
        any = 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)  rr_q <= '0;
    else if (any) rr_q <= RI'((32'(first) + 1) % NReq);
  end

  // Each partition's port: the granted requester that needs it (at most one), its row access or
  // its column element (replicated across the row; the byte enables pick the element's bytes).
  always_comb begin
    logic [31:0]        lane, e;
    /* verilator lint_off UNUSEDSIGNAL */
    logic [RB*8-1:0]    shifted;  // the element at the bottom; only its low word is read
    /* verilator lint_on UNUSEDSIGNAL */
    logic [1:0]         lg;
    logic [OffBits-1:0] off;
    int                 blk;
    blk         = 0;
    lane        = '0;
    e           = '0;
    shifted     = '0;
    lg          = '0;
    off         = '0;
    mem_en_o    = '0;
    mem_we_o    = '0;
    mem_addr_o  = '0;
    mem_be_o    = '0;
    mem_wdata_o = '0;
    // Requesters outer, partitions inner: most cycles grant none or one, so the Verilated model
    // skips the partition loop of every requester not granted (evaluated every cycle).
    for (int r = 0; r < NReq; r++) begin
      if (req_gnt_o[r]) begin
        for (int p = 0; p < P; p++) begin
          if (need[r*P + p]) begin
            mem_en_o[p] = 1'b1;
            mem_we_o[p] = req_we_i[r];
            mem_addr_o[p*RowAddrBits +: RowAddrBits] = req_row_i[r*ReqRowBits +: RowAddrBits];
            if (blk_req[r]) begin
              blk = (r >= NReq - NBlk) ? r - (NReq - NBlk) : 0;
              mem_be_o[p*RB +: RB]        = blk_be_i[(blk*P + p)*RB +: RB];
              mem_wdata_o[p*RB*8 +: RB*8] = blk_wdata_i[(blk*P + p)*RB*8 +: RB*8];
            end else if (req_col_i[r]) begin
              lg      = req_lg_i[r*2 +: 2];
              off     = req_off_i[r*OffBits +: OffBits];
              lane    = 32'(p) - 32'(req_part_i[r*PartBits +: PartBits]);
              shifted = req_wdata_i[r*RB*8 +: RB*8] >> ((lane << lg) * 8);
              e       = shifted[31:0];
              for (int b = 0; b < RB; b++) begin
                mem_wdata_o[(p*RB + b)*8 +: 8] = e[8*(b % (1 << lg)) +: 8];
                mem_be_o[p*RB + b] = (32'(b) >= 32'(off)) && (32'(b) < 32'(off) + (32'd1 << lg));
              end
            end else begin
              mem_be_o[p*RB +: RB]         = req_be_i[r*RB +: RB];
              mem_wdata_o[p*RB*8 +: RB*8]  = req_wdata_i[r*RB*8 +: RB*8];
            end
          end
        end
      end
    end
  end

  // Requests name existing partitions (one past the last would wait forever) and leave no
  // bytes of the element outside the row; a grant goes only to a requester that asks.
  for (genvar r = 0; r < NReq; r++) begin : gen_req_check
    `ASSERT(req_part_range, req_en_i[r] |-> 32'(req_part_i[r*PartBits +: PartBits]) +
                            ((req_col_i[r] || blk_req[r]) ? 32'(req_np_i[r*8 +: 8]) : 32'd1) <= P)
    `ASSERT(req_col_np, req_en_i[r] && (req_col_i[r] || blk_req[r]) |-> req_np_i[r*8 +: 8] != 8'd0)
    `ASSERT(req_blk_not_col, req_en_i[r] && blk_req[r] |-> !req_col_i[r])
  end
  `ASSERT(gnt_only_requested, (req_gnt_o & ~req_en_i) == '0)

endmodule
