/// vec_elem_tb: test-bench-only top around vec_pkg (the vector engine's element conversions and
/// ALU), each function on its own ports, for verif/vector/test_vec_elem.cpp.
/// Latency: combinational; set inputs, eval(), read outputs. No clock.
module vec_elem_tb (
  input  logic        en_i,
  // reads
  input  logic [3:0]  rd_dt_i,
  input  logic [31:0] rd_raw_i,
  output logic [31:0] rd_f32_o,
  output logic [31:0] rd_int_o,
  // writes
  input  logic [3:0]  wr_dt_i,
  input  logic [31:0] wr_v_i,
  output logic [31:0] wr_f32_o,   // write_f32_en_f(wr_v_i as fp32)
  output logic [31:0] wr_int_o,   // write_int_f(wr_v_i as int32)
  // ALU
  input  logic [3:0]  alu_op_i,
  input  logic [31:0] alu_a_i,
  input  logic [31:0] alu_b_i,
  output logic [31:0] alu_f32_o,
  output logic [31:0] alu_int_o
);

  assign rd_f32_o  = vec_pkg::read_f32_en_f(en_i, rd_dt_i, rd_raw_i);
  assign rd_int_o  = vec_pkg::read_int_f(rd_dt_i, rd_raw_i);
  assign wr_f32_o  = vec_pkg::write_f32_en_f(en_i, wr_dt_i, wr_v_i);
  assign wr_int_o  = vec_pkg::write_int_f(wr_dt_i, wr_v_i);
  assign alu_f32_o = vec_pkg::alu_f32_en_f(en_i, alu_op_i, alu_a_i, alu_b_i);
  assign alu_int_o = vec_pkg::alu_int_f(alu_op_i, alu_a_i, alu_b_i);

endmodule
