/// vec_act_chain: one lane's function chain of ACTIVATE (docs/vector_engine.md section 3):
/// vec_act_pkg::STAGES stages, stage k applying vec_act_pkg::act_step_f(func, k) to the state the
/// element carries (exact steps, then one MA operation), the last stage also the function's
/// final step (act_post_f). Every function has the same latency, so elements leave in order
/// and each element carries its own function and table slot: instructions may follow each other
/// without a gap. TABLE: the slots' headers come from the engine (th_i, shared by the lanes);
/// the lane's own coefficient RAM (4 slots x 64 segments x {c3, c2, c1, c0}) is read in stage 2
/// at the segment of the element's tt (stage 1's result) and written by TABLE_LOAD (tw_*: every
/// lane the same row).
/// Latency: STAGES cycles of advance (adv_i); one element per cycle. adv_i low holds every
/// stage (the engine's back-pressure). No reset on the data; clr_i empties the chain.
/// Notes: each stage computes only when an element is in it and the chain advances (the MA
/// operation's units are gated besides), so an idle chain costs the Verilated model nothing.
/// The RAM is read with a registered output (stage 2's register) from an address computed
/// from stage 1's register, so a block RAM can hold it.
module vec_act_chain (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  input  logic                           clr_i,
  input  logic                           adv_i,
  input  logic                           valid_i,
  input  logic [3:0]                     func_i,   // isa_pkg::ACT_*: the element's function
  input  logic [1:0]                     slot_i,   // its table slot (TABLE)
  input  logic [31:0]                    x_i,      // the function's input (fp32)
  input  logic [4*vec_act_pkg::TH_W-1:0] th_i,     // the slots' headers, slot s at [s*TH_W +: TH_W]
  input  logic                           tw_en_i,  // TABLE_LOAD: write a coefficient row
  input  logic [7:0]                     tw_addr_i,  // {slot, segment}
  input  logic [127:0]                   tw_data_i,  // {c3, c2, c1, c0}
  output logic                           valid_o,
  output logic [31:0]                    y_o
);

  localparam int S  = vec_act_pkg::STAGES;
  localparam int W  = vec_act_pkg::ST_W;
  localparam int TW = vec_act_pkg::TH_W;

  logic [S-1:0]       v_q;
  logic [(S-1)*6-1:0] f_q;        // the element's {slot, function} after stage k (k < S - 1)
  logic [(S-1)*W-1:0] st_q;       // the state after stage k (k < S - 1)
  logic [31:0]        y_q;
  logic [127:0]       coef_q;     // stage 2: the segment's coefficients
  logic [127:0]       ram [256];  // {slot, segment} -> {c3, c2, c1, c0}

  always_ff @(posedge clk_i) begin
    if (tw_en_i) ram[tw_addr_i] <= tw_data_i;
  end

  for (genvar k = 0; k < S; k++) begin : gen_stage
    logic          vin;
    logic [5:0]    fin;
    logic [W-1:0]  sin;
    if (k == 0) begin : gen_first
      assign vin = valid_i;
      assign fin = {slot_i, func_i};
      assign sin = {{(W - 32){1'b0}}, x_i};
    end else begin : gen_next
      assign vin = v_q[k-1];
      assign fin = f_q[(k-1)*6 +: 6];
      assign sin = st_q[(k-1)*W +: W];
    end
    // The element's table header is selected inside the clocked blocks, only for a valid
    // element (a continuous select per stage and lane cost the Verilated chip every cycle).

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) v_q[k] <= 1'b0;
      else if (clr_i) v_q[k] <= 1'b0;
      else if (adv_i) v_q[k] <= vin;
    end

    if (k < S - 1) begin : gen_mid
      always_ff @(posedge clk_i) begin
        if (adv_i && vin) begin
          logic [W-1:0] nxt;
          vec_act_pkg::act_step_t(1'b1, fin[3:0], k, sin, th_i[fin[5:4]*TW +: TW], coef_q, nxt);
          f_q[k*6 +: 6]  <= fin;
          st_q[k*W +: W] <= nxt;
        end
      end
    end else begin : gen_last
      always_ff @(posedge clk_i) begin
        if (adv_i && vin) begin
          logic [W-1:0] nxt;
          vec_act_pkg::act_step_t(1'b1, fin[3:0], k, sin, th_i[fin[5:4]*TW +: TW], coef_q, nxt);
          y_q <= vec_act_pkg::act_post_f(fin[3:0], nxt, th_i[fin[5:4]*TW + 12]);
        end
      end
    end

    if (k == 2) begin : gen_read  // the coefficient row of the element's segment, for stage 3
      always_ff @(posedge clk_i) begin
        if (adv_i && vin && fin[3:0] == isa_pkg::ACT_TABLE) begin
          // tt is the state's value a; its segment is 0..nseg-1 inside the table
          coef_q <= ram[{fin[5:4], 6'(vec_act_pkg::floor_f(sin[63:32]))}];
        end
      end
    end
  end

  assign valid_o = v_q[S-1];
  assign y_o     = y_q;

endmodule
