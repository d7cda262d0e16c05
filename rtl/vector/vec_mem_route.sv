/// vec_mem_route: connects the vector engine's three operand streams (reader 0, reader 1,
/// writer) to the block requesters of SBUF and PSUM (docs/vector_engine.md section 4). Stream k's
/// requests go to the memory of its operand's space (to_psum_i[k]); its grant comes back from
/// that memory. (The readers take their rows from the memory that granted them themselves,
/// vec_reader, only in the cycle they arrive.)
module vec_mem_route #(
  parameter int RowBits  = 13,
  parameter int PartBits = 4
) (
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
  input  logic [5:0]                               blk_gnt_i
);

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

endmodule
