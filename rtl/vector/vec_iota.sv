/// vec_iota: IOTA's element source in the vector engine (isa.md section 4, IOTA): the value
/// base + j * step of element j (wrapping), the same for every lane (the lanes add l * pstep),
/// and whether element j is the out TAP's last (its index per dim against n0, n1, n2).
/// load_i starts an instruction (base, step from its words); step_i moves to the next element.
module vec_iota (
  input  logic        clk_i,
  input  logic        load_i,
  input  logic [31:0] base_i,
  input  logic [31:0] step_i,   // read while the instruction runs
  input  logic [35:0] n_i,      // the out TAP's n2, n1, n0
  input  logic        step_en_i,
  output logic [31:0] value_o,
  output logic        last_o
);

  logic [35:0] cnt_q;  // the element's index per dim (i2, i1, i0)
  logic [11:0] n0, n1, n2;
  assign {n2, n1, n0} = n_i;
  assign last_o = cnt_q[11:0] == n0 - 12'd1 && cnt_q[23:12] == n1 - 12'd1 && cnt_q[35:24] == n2 - 12'd1;

  always_ff @(posedge clk_i) begin
    if (load_i) begin
      cnt_q   <= '0;
      value_o <= base_i;
    end else if (step_en_i) begin
      value_o <= value_o + step_i;
      if (cnt_q[11:0] != n0 - 12'd1) begin
        cnt_q[11:0] <= cnt_q[11:0] + 12'd1;
      end else begin
        cnt_q[11:0] <= '0;
        if (cnt_q[23:12] != n1 - 12'd1) begin
          cnt_q[23:12] <= cnt_q[23:12] + 12'd1;
        end else begin
          cnt_q[23:12] <= '0;
          cnt_q[35:24] <= cnt_q[35:24] + 12'd1;
        end
      end
    end
  end

endmodule
