/// vec_mem_route: connects the vector engine's three operand streams (reader 0, reader 1,
/// writer) to the block requesters of SBUF and PSUM (docs/vector_engine.md section 4). Stream k's
/// requests go to the memory of its operand's space (to_psum_i[k]); its grant comes back from
/// that memory. Each reader's rows come from the memory that granted it in the previous cycle,
/// and from PSUM, from the bank of the row it was granted (PsBanks banks; the bank number at bit
/// PsBankLsb of a PSUM row address).
module vec_mem_route #(
  parameter int Partitions = 16,
  parameter int RowBytes   = 32,
  parameter int RowBits    = 13,
  parameter int PartBits   = 4,
  parameter int PsBanks    = 1,
  parameter int PsBankLsb  = 0
) (
  input  logic                                     clk_i,
  input  logic                                     rst_ni,
  // The streams: k = 0 reader 0, 1 reader 1, 2 writer.
  input  logic [2:0]                               to_psum_i,
  input  logic [2:0]                               s_req_i,
  input  logic [3*RowBits-1:0]                     s_row_i,
  input  logic [3*PartBits-1:0]                    s_part_i,
  input  logic [3*8-1:0]                           s_np_i,
  output logic [2:0]                               s_gnt_o,
  // The block requesters, per memory m (0 SBUF, 1 PSUM) and stream k at m*3 + k.
  output logic [5:0]                               blk_req_o,
  output logic [6*RowBits-1:0]                     blk_row_o,
  output logic [6*PartBits-1:0]                    blk_part_o,
  output logic [6*8-1:0]                           blk_np_o,
  input  logic [5:0]                               blk_gnt_i,
  // The memories' rows and the readers' (the cycle after their grant).
  input  logic [Partitions*RowBytes*8-1:0]         sb_rows_i,
  input  logic [Partitions*PsBanks*RowBytes*8-1:0] ps_rows_i,
  output logic [Partitions*RowBytes*8-1:0]         r0_rows_o,
  output logic [Partitions*RowBytes*8-1:0]         r1_rows_o
);

  localparam int P       = Partitions;
  localparam int RW      = RowBytes * 8;
  localparam int PsBankB = (PsBanks > 1) ? $clog2(PsBanks) : 1;

  for (genvar k = 0; k < 3; k++) begin : gen_route
    assign blk_req_o[k]                             = s_req_i[k] && !to_psum_i[k];
    assign blk_req_o[3 + k]                         = s_req_i[k] && to_psum_i[k];
    assign s_gnt_o[k]                               = to_psum_i[k] ? blk_gnt_i[3 + k] : blk_gnt_i[k];
    assign blk_row_o[k*RowBits +: RowBits]          = s_row_i[k*RowBits +: RowBits];
    assign blk_row_o[(3 + k)*RowBits +: RowBits]    = s_row_i[k*RowBits +: RowBits];
    assign blk_part_o[k*PartBits +: PartBits]       = s_part_i[k*PartBits +: PartBits];
    assign blk_part_o[(3 + k)*PartBits +: PartBits] = s_part_i[k*PartBits +: PartBits];
    assign blk_np_o[k*8 +: 8]                       = s_np_i[k*8 +: 8];
    assign blk_np_o[(3 + k)*8 +: 8]                 = s_np_i[k*8 +: 8];
  end

  // Per reader: the last grant was PSUM's, and the bank of the row it asked for.
  logic [1:0]           rd_mem_q;
  logic [2*PsBankB-1:0] rd_bank_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) rd_mem_q <= '0;
    else rd_mem_q <= to_psum_i[1:0];
  end
  always_ff @(posedge clk_i) begin
    for (int k = 0; k < 2; k++) begin
      rd_bank_q[k*PsBankB +: PsBankB] <= (PsBanks > 1) ? s_row_i[k*RowBits + PsBankLsb +: PsBankB] : '0;
    end
  end

  // A loop over the banks with constant selects: a variable part-select of the whole vector
  // costs the Verilated model much more every cycle.
  for (genvar p = 0; p < P; p++) begin : gen_rows
    logic [RW-1:0] ps0, ps1;
    always_comb begin
      ps0 = ps_rows_i[p*PsBanks*RW +: RW];
      ps1 = ps0;
      for (int b = 1; b < PsBanks; b++) begin
        if (PsBankB'(b) == rd_bank_q[0 +: PsBankB]) ps0 = ps_rows_i[(p*PsBanks + b)*RW +: RW];
        if (PsBankB'(b) == rd_bank_q[PsBankB +: PsBankB]) ps1 = ps_rows_i[(p*PsBanks + b)*RW +: RW];
      end
    end
    assign r0_rows_o[p*RW +: RW] = rd_mem_q[0] ? ps0 : sb_rows_i[p*RW +: RW];
    assign r1_rows_o[p*RW +: RW] = rd_mem_q[1] ? ps1 : sb_rows_i[p*RW +: RW];
  end

endmodule
