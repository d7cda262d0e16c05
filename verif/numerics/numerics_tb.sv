/// numerics_tb: test-bench-only top that instantiates every numerics unit side by side, each
/// with its own ports, so one Verilated model tests them all (verif/numerics/test_numerics_rtl.cpp).
/// Latency: combinational; set inputs, eval(), read outputs. No clock.
module numerics_tb (
  // fp32_add
  input  logic [31:0] add_a_i,
  input  logic [31:0] add_b_i,
  output logic [31:0] add_sum_o,
  // bf16_mul
  input  logic [15:0] bf16_a_i,
  input  logic [15:0] bf16_b_i,
  output logic [31:0] bf16_prod_o,
  // fp8_mul
  input  logic [7:0]  fp8_a_i,
  input  logic [7:0]  fp8_b_i,
  output logic [31:0] fp8_prod_o,
  // int8_mac
  input  logic [31:0] mac_acc_i,
  input  logic [7:0]  mac_a_i,
  input  logic [7:0]  mac_b_i,
  output logic [31:0] mac_acc_o,
  // fp32_to_bf16, fp32_to_fp8, fp32_to_int8 (separate inputs: each cast is driven alone)
  input  logic [31:0] to_bf16_a_i,
  output logic [15:0] to_bf16_res_o,
  input  logic [31:0] to_fp8_a_i,
  output logic [7:0]  to_fp8_res_o,
  input  logic [31:0] to_int8_a_i,
  output logic [7:0]  to_int8_res_o
);

  fp32_add u_fp32_add (
    .a_i   (add_a_i),
    .b_i   (add_b_i),
    .sum_o (add_sum_o)
  );

  bf16_mul u_bf16_mul (
    .a_i    (bf16_a_i),
    .b_i    (bf16_b_i),
    .prod_o (bf16_prod_o)
  );

  fp8_mul u_fp8_mul (
    .a_i    (fp8_a_i),
    .b_i    (fp8_b_i),
    .prod_o (fp8_prod_o)
  );

  int8_mac u_int8_mac (
    .acc_i (mac_acc_i),
    .a_i   (mac_a_i),
    .b_i   (mac_b_i),
    .acc_o (mac_acc_o)
  );

  fp32_to_bf16 u_fp32_to_bf16 (
    .a_i   (to_bf16_a_i),
    .res_o (to_bf16_res_o)
  );

  fp32_to_fp8 u_fp32_to_fp8 (
    .a_i   (to_fp8_a_i),
    .res_o (to_fp8_res_o)
  );

  fp32_to_int8 u_fp32_to_int8 (
    .a_i   (to_int8_a_i),
    .res_o (to_int8_res_o)
  );

endmodule
