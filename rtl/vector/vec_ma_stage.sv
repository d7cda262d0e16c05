/// vec_ma_stage: one MA stage of the vector lane pipeline (docs/vector_engine.md section 3):
/// b = add(mul(p, q), r), each operation rounded (numerics.md section 2; no fused multiply-add),
/// with either operation bypassed by mode_i: MA_PASS b = p, MA_MUL b = mul(p, q), MA_ADD
/// b = add(p, r), MA_FMA b = add(mul(p, q), r) (two roundings). A side band (the element's index,
/// group end, out address, values later stages need) travels with the result unchanged.
/// Latency: 1 cycle (registered output); one element per cycle.
/// Notes: the multiplier and adder are the gated numerics functions, enabled only for a valid
/// element whose mode uses them, so an empty or bypassing stage costs the Verilated model
/// nothing. No reset on the data (valid_o qualifies it); clr_i empties the stage.
module vec_ma_stage #(
  parameter int SideBits = 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                clr_i,
  input  logic                valid_i,
  input  logic [1:0]          mode_i,   // vec_pkg::MA_*
  input  logic [31:0]         p_i,
  input  logic [31:0]         q_i,
  input  logic [31:0]         r_i,
  input  logic [SideBits-1:0] side_i,
  output logic                valid_o,
  output logic [31:0]         b_o,
  output logic [SideBits-1:0] side_o
);

  logic        use_mul, use_add;
  logic [31:0] prod, addend_a, sum, b_d;

  always_comb begin
    use_mul  = valid_i && (mode_i == vec_pkg::MA_MUL || mode_i == vec_pkg::MA_FMA);
    use_add  = valid_i && (mode_i == vec_pkg::MA_ADD || mode_i == vec_pkg::MA_FMA);
    prod     = fp32_ops_pkg::fp32_mul_en_f(use_mul, p_i, q_i);
    addend_a = (mode_i == vec_pkg::MA_FMA) ? prod : p_i;
    sum      = numerics_pkg::fp32_add_en_f(use_add, addend_a, r_i);
    unique case (mode_i)
      vec_pkg::MA_PASS:                 b_d = p_i;
      vec_pkg::MA_MUL:                  b_d = prod;
      vec_pkg::MA_ADD, vec_pkg::MA_FMA: b_d = sum;
      default:                          b_d = p_i;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_o <= 1'b0;
    end else begin
      valid_o <= valid_i && !clr_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (valid_i) begin
      b_o    <= b_d;
      side_o <= side_i;
    end
  end

endmodule
