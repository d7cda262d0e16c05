/// vec_numerics_tb: test-bench-only top around fp32_ops_pkg (the vector engine's fp32 operations),
/// each function on its own ports, for verif/numerics/test_vec_numerics_rtl.cpp.
/// Latency: combinational; set inputs, eval(), read outputs. No clock.
module vec_numerics_tb (
  input  logic        en_i,       // the gated functions' enable (0: they return 0)
  // fp32_mul_en_f
  input  logic [31:0] mul_a_i,
  input  logic [31:0] mul_b_i,
  output logic [31:0] mul_p_o,
  // compares, max, min
  input  logic [31:0] cmp_a_i,
  input  logic [31:0] cmp_b_i,
  output logic        lt_o,
  output logic        le_o,
  output logic        eq_o,
  output logic [31:0] max_o,
  output logic [31:0] min_o,
  // int32 -> fp32, fp32 -> int32
  input  logic [31:0] i2f_x_i,
  output logic [31:0] i2f_o,
  input  logic [31:0] f2i_a_i,
  output logic [31:0] f2i_o,
  // reads
  input  logic [15:0] bf16_x_i,
  output logic [31:0] bf16_f_o,
  input  logic [7:0]  fp8_x_i,
  output logic [31:0] fp8_f_o
);

  assign mul_p_o  = fp32_ops_pkg::fp32_mul_en_f(en_i, mul_a_i, mul_b_i);
  assign lt_o     = fp32_ops_pkg::fp32_lt_f(cmp_a_i, cmp_b_i);
  assign le_o     = fp32_ops_pkg::fp32_le_f(cmp_a_i, cmp_b_i);
  assign eq_o     = fp32_ops_pkg::fp32_eq_f(cmp_a_i, cmp_b_i);
  assign max_o    = fp32_ops_pkg::fp32_max_f(cmp_a_i, cmp_b_i);
  assign min_o    = fp32_ops_pkg::fp32_min_f(cmp_a_i, cmp_b_i);
  assign i2f_o    = fp32_ops_pkg::int32_to_fp32_en_f(en_i, i2f_x_i);
  assign f2i_o    = fp32_ops_pkg::fp32_to_int32_en_f(en_i, f2i_a_i);
  assign bf16_f_o = fp32_ops_pkg::bf16_to_fp32_f(bf16_x_i);
  assign fp8_f_o  = fp32_ops_pkg::fp8_to_fp32_f(fp8_x_i);

endmodule
