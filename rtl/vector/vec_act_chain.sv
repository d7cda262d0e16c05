/// vec_act_chain: one lane's function chain of ACTIVATE (docs/vector_engine.md section 3):
/// vec_act_pkg::STAGES stages, stage k applying vec_act_pkg::act_step_f(func, k) to the state the
/// element carries (exact steps, then one MA operation), the last stage also the function's
/// final step (act_post_f). Every function has the same latency, so elements leave in order
/// and each element carries its own function: instructions may follow each other without a gap.
/// Latency: STAGES cycles of advance (adv_i); one element per cycle. adv_i low holds every
/// stage (the engine's back-pressure). No reset on the data; clr_i empties the chain.
/// Notes: each stage computes only when an element is in it and the chain advances (the MA
/// operation's units are gated besides), so an idle chain costs the Verilated model nothing.
module vec_act_chain (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        clr_i,
  input  logic        adv_i,
  input  logic        valid_i,
  input  logic [3:0]  func_i,   // isa_pkg::ACT_*: the element's function
  input  logic [31:0] x_i,      // the function's input (fp32)
  output logic        valid_o,
  output logic [31:0] y_o
);

  localparam int S = vec_act_pkg::STAGES;
  localparam int W = vec_act_pkg::ST_W;

  logic [S-1:0]       v_q;
  logic [(S-1)*4-1:0] f_q;        // the element's function after stage k (k < S - 1)
  logic [(S-1)*W-1:0] st_q;       // the state after stage k (k < S - 1)
  logic [31:0]        y_q;

  for (genvar k = 0; k < S; k++) begin : gen_stage
    logic         vin;
    logic [3:0]   fin;
    logic [W-1:0] sin;
    if (k == 0) begin : gen_first
      assign vin = valid_i;
      assign fin = func_i;
      assign sin = {{(W - 32){1'b0}}, x_i};
    end else begin : gen_next
      assign vin = v_q[k-1];
      assign fin = f_q[(k-1)*4 +: 4];
      assign sin = st_q[(k-1)*W +: W];
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) v_q[k] <= 1'b0;
      else if (clr_i) v_q[k] <= 1'b0;
      else if (adv_i) v_q[k] <= vin;
    end

    if (k < S - 1) begin : gen_mid
      always_ff @(posedge clk_i) begin
        if (adv_i && vin) begin
          f_q[k*4 +: 4]  <= fin;
          st_q[k*W +: W] <= vec_act_pkg::act_step_f(1'b1, fin, k, sin);
        end
      end
    end else begin : gen_last
      always_ff @(posedge clk_i) begin
        if (adv_i && vin) begin
          y_q <= vec_act_pkg::act_post_f(fin, vec_act_pkg::act_step_f(1'b1, fin, k, sin));
        end
      end
    end
  end

  assign valid_o = v_q[S-1];
  assign y_o     = y_q;

endmodule
