/// vec_tail: the last stage of a vector lane (docs/vector_engine.md section 3): the accumulator
/// of TENSOR_REDUCE and of ACTIVATE's `acc`, and the write conversion into the out dtype.
/// Per element (valid_i while adv_i): with an accumulation (acc_op_i != 0) the lane's running
/// value becomes the element itself when first_i, else acc op element (numerics.md section 5
/// for MAX / MIN; left to right from the first element, no identity element, exactly the golden
/// model's order); the output is the element converted (COPY, ALU ops, ACTIVATE's y) or, when
/// red_i (TENSOR_REDUCE), the running value converted. acc_emit_i outputs the running value
/// converted to dt_i (ACTIVATE's acc CAP). Integer-path elements (int_i) use the integer
/// conversion. Latency: 1 cycle (registered y_o, en_o). No reset: the engine qualifies the
/// output.
module vec_tail (
  input  logic        clk_i,
  input  logic        adv_i,
  input  logic        valid_i,
  input  logic        acc_emit_i,
  input  logic        int_i,
  input  logic        red_i,
  input  logic [1:0]  acc_op_i,   // isa_pkg::ACC_*
  input  logic        first_i,
  input  logic [3:0]  dt_i,       // the dtype written
  input  logic [31:0] v_i,        // the element: fp32, or int32 on the integer path
  input  logic        en_i,       // SELECT's mask: write the element
  output logic [31:0] y_o,
  output logic        en_o
);

  logic [31:0] acc_q;

  // The accumulator's next value and the element written: {r, y}. One C++ function in the
  // Verilated model (no_inline_task), called only for an element; synthesis inlines it.
  function automatic logic [63:0] tail_f(logic first, logic [1:0] acc_op, logic [31:0] acc,
                                         logic [31:0] v, logic ints, logic red, logic [3:0] dt);
    /* verilator no_inline_task */
    logic [31:0] r;
    r = first ? v : vec_pkg::acc_f(acc_op != isa_pkg::ACC_NONE, acc_op, acc, v);
    tail_f = {r, ints ? vec_pkg::write_int_f(dt, v) : vec_pkg::write_f32_en_f(1'b1, dt, red ? r : v)};
  endfunction

  function automatic logic [31:0] emit_f(logic [3:0] dt, logic [31:0] acc);
    /* verilator no_inline_task */
    emit_f = vec_pkg::write_f32_en_f(1'b1, dt, acc);
  endfunction

  always_ff @(posedge clk_i) begin
    if (adv_i && valid_i) begin
      logic [63:0] ry;
      ry = tail_f(first_i, acc_op_i, acc_q, v_i, int_i, red_i, dt_i);
      if (acc_op_i != isa_pkg::ACC_NONE) acc_q <= ry[63:32];
      y_o  <= ry[31:0];
      en_o <= en_i;
    end else if (adv_i && acc_emit_i) begin
      y_o  <= emit_f(dt_i, acc_q);  // ACTIVATE's acc CAP
      en_o <= 1'b1;
    end
  end

endmodule
