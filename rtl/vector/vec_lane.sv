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
/// (prep_i). Every unit is enabled only for an element (fire_i) whose path uses it, so an idle
/// lane computes nothing in the Verilated model; each unit appears once per lane.
module vec_lane (
  input  logic        clk_i,
  // Per instruction.
  input  logic        prep_i,      // convert the scalars (before the first element)
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
    logic [3:0] d;
    d = col ? dt : isa_pkg::DT_FP32;
    if (ints) scalar_f = col ? vec_pkg::read_int_f(dt, raw) : raw;
    else scalar_f = vec_pkg::read_f32_en_f(en, d, raw);
  endfunction

  always_ff @(posedge clk_i) begin
    if (prep_i) begin
      s0_q <= scalar_f(prep_i, s0_col_i, s0_dt_i, s0_i, int_path_i);
      s1_q <= scalar_f(prep_i, s1_col_i, s1_dt_i, s1_i, int_path_i);
    end
  end

  always_ff @(posedge clk_i) begin
    if (fire_i) begin
      logic        fl, use_b, has_op1;
      logic [31:0] x, b, p, q, t, p1, q1, v, m;
      fl      = !int_path_i;
      use_b   = tt_i || sel_i;
      has_op1 = ts_i && (op1_i != isa_pkg::ALU_BYPASS);
      x = fl ? vec_pkg::read_f32_en_f(1'b1, dt_a_i, a_i) : vec_pkg::read_int_f(dt_a_i, a_i);
      // The mask of SELECT is read in its own dtype's way, whatever the path.
      b = (fl || (sel_i && !isa_pkg::dtype_is_integer(dt_b_i))) ?
          vec_pkg::read_f32_en_f(use_b, dt_b_i, b_i) : vec_pkg::read_int_f(dt_b_i, b_i);
      {p, q} = tt_i ? {x, b} : (ts_i ? (rev0_i ? {s0_q, x} : {x, s0_q}) : {x, 32'd0});
      t = fl ? vec_pkg::alu_f32_en_f(1'b1, op0_i, p, q) : vec_pkg::alu_int_f(op0_i, p, q);
      {p1, q1} = rev1_i ? {s1_q, t} : {t, s1_q};
      v = !has_op1 ? t : fl ? vec_pkg::alu_f32_en_f(has_op1, op1_i, p1, q1) : vec_pkg::alu_int_f(op1_i, p1, q1);
      v_o <= v;
      m = isa_pkg::dtype_is_integer(dt_b_i) ? b : (b & 32'h7FFF_FFFF);
      en_o <= !sel_i || (m != 32'd0);
    end
  end

endmodule
