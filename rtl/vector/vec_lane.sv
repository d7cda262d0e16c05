/// vec_lane: the first stage of a vector lane (docs/vector_engine.md section 3): read
/// conversion and the ALU stages, bit for bit as the golden model's exec_vector (numerics.md
/// sections 4 and 5):
///   x = read(in0), b = read(in1 / mask)      (fp32 with DAZ and the canonical NaN, or int32)
///   t = op0(x, b) (TENSOR_TENSOR), op0(x, s0) or op0(s0, x) (TENSOR_SCALAR), x otherwise
///   v = op1(t, s1) or op1(s1, t) when TENSOR_SCALAR has an op1, t otherwise
/// on the float or the integer path (int_path_i) as the instruction's ops and dtypes say.
/// ACTIVATE's t = add(mul(x, scale), bias) is TENSOR_SCALAR's MUL then ADD (the engine sets
/// the ops); the function chain and vec_tail (accumulator, write conversion) follow.
/// IOTA comes in as an int32 element of dtype int32 with op0 BYPASS. SELECT's mask element (b,
/// after DAZ; NaN is not zero) gives en_o. The scalars are converted once per instruction
/// (prep_i: possibly in the cycle the previous instruction's last element fires, so prep_int_i
/// and the scalar inputs are the next one's). Every unit is enabled only for an element
/// (fire_i) whose path uses it, so an idle
/// lane computes nothing in the Verilated model; each unit appears once per lane.
module vec_lane (
  input  logic        clk_i,
  // Per instruction.
  input  logic        prep_i,      // convert the scalars (before the first element)
  input  logic        prep_int_i,  // the path of the instruction prepared (int_path_i: the firing one's)
  input  logic        int_path_i,
  input  logic        ts_i,        // TENSOR_SCALAR: op0 with s0, then op1 with s1
  input  logic        tt_i,        // TENSOR_TENSOR: op0 with b
  input  logic        sel_i,       // SELECT: b is the mask
  input  logic [3:0]  op0_i,       // BYPASS for COPY, SELECT, IOTA
  input  logic [3:0]  op1_i,
  input  logic        rev0_i,
  input  logic        rev1_i,
  input  logic [3:0]  dt_a_i,
  input  logic [3:0]  dt_b_i,
  input  logic        s0_col_i,
  input  logic        s1_col_i,
  input  logic [3:0]  s0_dt_i,
  input  logic [3:0]  s1_dt_i,
  input  logic [31:0] s0_i,        // the CAP's raw element, or the immediate
  input  logic [31:0] s1_i,
  // Per element.
  input  logic        fire_i,
  input  logic [31:0] a_i,         // raw (zero-extended) elements
  input  logic [31:0] b_i,
  output logic [31:0] v_o,         // the element's value: fp32, or int32 on the integer path
  output logic        en_o         // write it (SELECT's mask)
);

  logic [31:0] s0_q, s1_q;

  // A scalar in the instruction's path: an immediate is int32 on the integer path and fp32 bits
  // (DAZ, canonical NaN) on the float one; a CAP element is read like any element.
  function automatic logic [31:0] scalar_f(logic en, logic col, logic [3:0] dt, logic [31:0] raw,
                                           logic ints);
    /* verilator no_inline_task */
    logic [3:0] d;
    d = col ? dt : isa_pkg::DT_FP32;
    if (ints) scalar_f = col ? vec_pkg::read_int_f(dt, raw) : raw;
    else scalar_f = vec_pkg::read_f32_en_f(en, d, raw);
  endfunction

  always_ff @(posedge clk_i) begin
    if (prep_i) begin
      s0_q <= scalar_f(prep_i, s0_col_i, s0_dt_i, s0_i, prep_int_i);
      s1_q <= scalar_f(prep_i, s1_col_i, s1_dt_i, s1_i, prep_int_i);
    end
  end

  // The element's value and write enable: {en, v}. One C++ function in the Verilated model
  // (no_inline_task), called only for an element, so an idle lane does not even initialize the
  // temporaries of the functions it inlines; synthesis inlines it.
  function automatic logic [32:0] lane_f(logic fl, logic ts, logic tt, logic sel, logic [3:0] op0,
                                         logic [3:0] op1, logic rev0, logic rev1, logic [3:0] dt_a,
                                         logic [3:0] dt_b, logic [31:0] s0, logic [31:0] s1,
                                         logic [31:0] a, logic [31:0] braw);
    /* verilator no_inline_task */
    logic        use_b, has_op1;
    logic [31:0] x, b, p, q, t, p1, q1, v, m;
    use_b   = tt || sel;
    has_op1 = ts && (op1 != isa_pkg::ALU_BYPASS);
    x = fl ? vec_pkg::read_f32_en_f(1'b1, dt_a, a) : vec_pkg::read_int_f(dt_a, a);
    // The mask of SELECT is read in its own dtype's way, whatever the path.
    b = (fl || (sel && !isa_pkg::dtype_is_integer(dt_b))) ?
        vec_pkg::read_f32_en_f(use_b, dt_b, braw) : vec_pkg::read_int_f(dt_b, braw);
    {p, q} = tt ? {x, b} : (ts ? (rev0 ? {s0, x} : {x, s0}) : {x, 32'd0});
    t = fl ? vec_pkg::alu_f32_en_f(1'b1, op0, p, q) : vec_pkg::alu_int_f(op0, p, q);
    {p1, q1} = rev1 ? {s1, t} : {t, s1};
    v = !has_op1 ? t : fl ? vec_pkg::alu_f32_en_f(has_op1, op1, p1, q1) : vec_pkg::alu_int_f(op1, p1, q1);
    m = isa_pkg::dtype_is_integer(dt_b) ? b : (b & 32'h7FFF_FFFF);
    lane_f = {!sel || (m != 32'd0), v};
  endfunction

  always_ff @(posedge clk_i) begin
    if (fire_i) begin
      {en_o, v_o} <= lane_f(!int_path_i, ts_i, tt_i, sel_i, op0_i, op1_i, rev0_i, rev1_i, dt_a_i, dt_b_i, s0_q,
                            s1_q, a_i, b_i);
    end
  end

endmodule
