/// vec_act_tb: test-bench-only top around vec_act_pkg (the built-in activation functions as
/// whole combinational functions), for verif/vector/test_vec_act.cpp.
/// Latency: combinational; set inputs, eval(), read outputs. No clock.
module vec_act_tb (
  input  logic [2:0]  func_i,  // 0 EXP2, 1 EXP, 2 RECIP, 3 RSQRT, 4 SQRT, 5 LOG
  input  logic [31:0] x_i,
  output logic [31:0] y_o
);

  always_comb begin
    unique case (func_i)
      3'd0:    y_o = vec_act_pkg::exp2_f(x_i);
      3'd1:    y_o = vec_act_pkg::exp_f(x_i);
      3'd2:    y_o = vec_act_pkg::recip_f(x_i);
      3'd3:    y_o = vec_act_pkg::rsqrt_f(x_i);
      3'd4:    y_o = vec_act_pkg::sqrt_f(x_i);
      3'd5:    y_o = vec_act_pkg::log_f(x_i);
      default: y_o = 32'd0;
    endcase
  end

endmodule
