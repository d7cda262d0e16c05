/// vec_lanes: the vector engine's P lanes (docs/vector_engine.md section 3), each vec_lane (read
/// conversion, ALU; ACTIVATE's x * scale + bias) -> for ACTIVATE the function chain
/// (vec_act_chain, 14 stages, with the lane's table RAM) -> vec_tail (accumulator, write
/// conversion). The engine (vec_engine) gives the instruction's configuration, the elements of
/// operand readers 0 and 1 (lane l at [l*32 +: 32], zero-extended) and the pipeline controls:
/// fire_i (the readers' elements enter), adv_i (the whole pipeline advances), and for the tail
/// its element's valid, group start and the acc CAP's emission.
/// Latency: lane 1 cycle, chain 14 (ACTIVATE only), tail 1; c_valid_o says an ACTIVATE element
/// leaves the chain.
/// Notes: every lane computes only for an element (the stages' enables), so an idle engine costs
/// the Verilated model nothing.
`include "systole_assert.svh"

module vec_lanes #(
  parameter int Partitions = 16
) (
  input  logic                           clk_i,
  input  logic                           rst_ni,
  input  logic                           clr_i,
  // The instruction whose elements fire (prep_i converts the scalars of the one about to: its
  // path prep_int_i and the s0_*/s1_* inputs, which only prep_i reads).
  input  logic                           prep_i,
  input  logic                           prep_int_i,
  input  logic                           int_path_i,
  input  logic                           ts_i,        // TENSOR_SCALAR or ACTIVATE: op0 with s0, op1 with s1
  input  logic                           tt_i,
  input  logic                           sel_i,
  input  logic                           iota_i,
  input  logic                           red_i,       // the tail's element's instruction (as t_int_i, acc_op_i, dt_out_i)
  input  logic                           t_int_i,     // its integer path (int_path_i: the lane stage's)
  input  logic                           act_i,
  input  logic [3:0]                     op0_i,
  input  logic [3:0]                     op1_i,
  input  logic                           rev0_i,
  input  logic                           rev1_i,
  input  logic [3:0]                     dt_a_i,
  input  logic [3:0]                     dt_b_i,
  input  logic [3:0]                     dt_out_i,    // the dtype the tail writes (out, or the acc CAP's)
  input  logic                           s0_col_i,
  input  logic                           s1_col_i,
  input  logic [3:0]                     s0_dt_i,
  input  logic [3:0]                     s1_dt_i,
  input  logic [31:0]                    s0_imm_i,
  input  logic [31:0]                    s1_imm_i,
  input  logic [Partitions*32-1:0]       s0_col_data_i,  // the CAPs' elements per lane
  input  logic [Partitions*32-1:0]       s1_col_data_i,
  input  logic [31:0]                    iota_base_i,   // IOTA: base + j * step
  input  logic [31:0]                    iota_pstep_i,
  input  logic [1:0]                     acc_op_i,      // isa_pkg::ACC_*
  input  logic [3:0]                     func_i,
  input  logic [1:0]                     slot_i,
  // Tables.
  input  logic [4*vec_act_pkg::TH_W-1:0] th_i,
  input  logic                           tw_en_i,
  input  logic [7:0]                     tw_addr_i,
  input  logic [127:0]                   tw_data_i,
  // The pipeline.
  input  logic                           fire_i,
  input  logic                           adv_i,
  input  logic [Partitions*32-1:0]       a_i,
  input  logic [Partitions*32-1:0]       b_i,
  input  logic                           l_valid_i,     // the lane stage holds an element
  input  logic                           t_valid_i,     // the tail takes an element
  input  logic                           first_i,
  input  logic                           acc_emit_i,
  output logic                           c_valid_o,
  output logic [Partitions*32-1:0]       y_o,
  output logic [Partitions-1:0]          en_o
);

  localparam int P = Partitions;
  logic [P*32-1:0] l_v, c_y;
  logic [P-1:0]    l_en, c_valid;

  for (genvar l = 0; l < P; l++) begin : gen_lane
    logic [31:0] a;
    // IOTA's element: base + j*step + l*pstep, wrapping.
    assign a = iota_i ? iota_base_i + 32'(l) * iota_pstep_i : a_i[l*32 +: 32];
    vec_lane u_lane (
      .clk_i,
      .prep_i,
      .prep_int_i,
      .int_path_i,
      .ts_i,
      .tt_i,
      .sel_i,
      .op0_i,
      .op1_i,
      .rev0_i,
      .rev1_i,
      .dt_a_i,
      .dt_b_i,
      .s0_col_i,
      .s1_col_i,
      .s0_dt_i,
      .s1_dt_i,
      .s0_i      (s0_col_i ? s0_col_data_i[l*32 +: 32] : s0_imm_i),
      .s1_i      (s1_col_i ? s1_col_data_i[l*32 +: 32] : s1_imm_i),
      .fire_i,
      .a_i       (a),
      .b_i       (b_i[l*32 +: 32]),
      .v_o       (l_v[l*32 +: 32]),
      .en_o      (l_en[l])
    );

    vec_act_chain u_chain (
      .clk_i, .rst_ni, .clr_i,
      .adv_i,
      .valid_i  (l_valid_i && act_i),
      .func_i,
      .slot_i,
      .x_i      (l_v[l*32 +: 32]),
      .th_i,
      .tw_en_i,
      .tw_addr_i,
      .tw_data_i,
      .valid_o  (c_valid[l]),
      .y_o      (c_y[l*32 +: 32])
    );

    vec_tail u_tail (
      .clk_i,
      .adv_i,
      .valid_i   (t_valid_i),
      .acc_emit_i,
      .int_i     (t_int_i),
      .red_i,
      .acc_op_i,
      .first_i,
      .dt_i      (dt_out_i),
      .v_i       (act_i ? c_y[l*32 +: 32] : l_v[l*32 +: 32]),
      .en_i      (act_i || l_en[l]),
      .y_o       (y_o[l*32 +: 32]),
      .en_o      (en_o[l])
    );
  end

  assign c_valid_o = c_valid[0];
  // Every lane's chain holds the same elements.
  `ASSERT(chain_lanes_in_step, c_valid == {P{c_valid[0]}})

endmodule
