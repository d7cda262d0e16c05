/// vec_pkg: the element arithmetic of the vector engine (docs/vector_engine.md section 3,
/// docs/numerics.md sections 4 and 5): the conversion of a stored element into the fp32 or
/// int32 a lane computes on, the conversion of a result back to the output dtype, and the ALU
/// operations of TENSOR_TENSOR / TENSOR_SCALAR. Bit for bit the golden model's to_f32,
/// from_f32, to_int, from_int, alu_f32 and alu_int (sw/golden/src/exec_util.hpp,
/// exec_vector.cpp); verif/vector/test_vec_elem.cpp compares them.
///
/// Gated like numerics_pkg (`_en_f`): with en_i low every unit returns 0 and, in a Verilated
/// lane, computes nothing. Every unit a function may use is called at its top level with its
/// own enable (the dtype or op selecting it), then the result is picked.
package vec_pkg;

  // MA operation modes (ma_f): which of b = add(mul(p, q), r) a stage of the function chain
  // computes. -Wall reports them unused in tops that do not use the chain.
  /* verilator lint_off UNUSEDPARAM */
  localparam logic [1:0] MA_PASS = 2'd0;  // b = p
  localparam logic [1:0] MA_MUL  = 2'd1;  // b = mul(p, q)
  localparam logic [1:0] MA_ADD  = 2'd2;  // b = add(p, r)
  localparam logic [1:0] MA_FMA  = 2'd3;  // b = add(mul(p, q), r), two roundings
  /* verilator lint_on UNUSEDPARAM */

  // ma_f: one MA operation, b = add(mul(p, q) * 2^sh, r) with each operation rounded
  // (numerics.md section 2, no fused multiply-add; sh is 0 except for the last step of
  // ACTIVATE TABLE's M * 2^q), either part bypassed by `mode`; 0 when !en_i.
  // (no_inline_task: one C++ function in the Verilated model for the 14 stages of every lane.)
  function automatic logic [31:0] ma_f(logic en_i, logic [1:0] mode, logic [31:0] p, logic [31:0] q,
                                       logic [31:0] r, logic [11:0] sh);
    /* verilator no_inline_task */
    logic        use_mul, use_add;
    logic [31:0] prod, addend, sum;
    use_mul = en_i && (mode == MA_MUL || mode == MA_FMA);
    use_add = en_i && (mode == MA_ADD || mode == MA_FMA);
    prod    = fp32_ops_pkg::fp32_mul_pow2_en_f(use_mul, p, q, sh);
    addend  = (mode == MA_FMA) ? prod : p;
    sum     = numerics_pkg::fp32_add_en_f(use_add, addend, r);
    unique case (mode)
      MA_MUL:         ma_f = prod;
      MA_ADD, MA_FMA: ma_f = sum;
      default:        ma_f = p;
    endcase
  endfunction

  // acc_f: one step of a reduction, `acc op v` for op isa_pkg::ACC_ADD, ACC_MAX or ACC_MIN
  // (numerics.md section 5: -0 < +0, NaN wins); 0 when !en_i.
  function automatic logic [31:0] acc_f(logic en_i, logic [1:0] op, logic [31:0] acc, logic [31:0] v);
    logic [31:0] sum;
    sum = numerics_pkg::fp32_add_en_f(en_i && op == isa_pkg::ACC_ADD, acc, v);
    acc_f = 32'd0;
    if (en_i) begin
      unique case (op)
        isa_pkg::ACC_MAX: acc_f = fp32_ops_pkg::fp32_max_f(acc, v);
        isa_pkg::ACC_MIN: acc_f = fp32_ops_pkg::fp32_min_f(acc, v);
        default:          acc_f = sum;
      endcase
    end
  endfunction

  // ---- reads ------------------------------------------------------------------------------
  // read_f32_en_f: the fp32 value of a stored element `raw` (zero-extended) of dtype `dt`:
  // int8 and int32 exactly / RNE, bf16 exact then DAZ, fp8 exact, fp32 DAZ with the canonical
  // NaN. 0 when !en_i or for an undefined dtype.
  function automatic logic [31:0] read_f32_en_f(logic en_i, logic [3:0] dt, logic [31:0] raw);
    logic        is_int8, is_int;
    logic [31:0] ival, from_int, res;
    is_int8  = dt == isa_pkg::DT_INT8;
    is_int   = is_int8 || (dt == isa_pkg::DT_INT32);
    ival     = is_int8 ? {{24{raw[7]}}, raw[7:0]} : raw;
    from_int = fp32_ops_pkg::int32_to_fp32_en_f(en_i && is_int, ival);
    res      = 32'd0;
    if (en_i) begin
      unique case (dt)
        isa_pkg::DT_INT8, isa_pkg::DT_INT32: res = from_int;
        isa_pkg::DT_BF16: res = fp32_ops_pkg::bf16_to_fp32_f(raw[15:0]);
        isa_pkg::DT_FP8:  res = fp32_ops_pkg::fp8_to_fp32_f(raw[7:0]);
        isa_pkg::DT_FP32: res = fp32_ops_pkg::is_nan_f(raw) ? fp32_ops_pkg::F32_QNAN : fp32_ops_pkg::daz_f(raw);
        default:          res = 32'd0;
      endcase
    end
    read_f32_en_f = res;
  endfunction

  // read_int_f: the int32 value of an integer element: int8 sign-extended, int32 as is.
  function automatic logic [31:0] read_int_f(logic [3:0] dt, logic [31:0] raw);
    read_int_f = (dt == isa_pkg::DT_INT8) ? {{24{raw[7]}}, raw[7:0]} : raw;
  endfunction

  // ---- writes -----------------------------------------------------------------------------
  // sat8_f: an int32 saturated to int8, as a zero-extended byte.
  function automatic logic [31:0] sat8_f(logic [31:0] v);
    logic [7:0] b;
    b = v[7:0];
    if (!v[31] && (v[30:7] != 24'd0)) b = 8'h7F;
    if (v[31] && (v[30:7] != 24'hFF_FFFF)) b = 8'h80;
    sat8_f = {24'd0, b};
  endfunction

  // write_f32_en_f: an fp32 result as a stored element of dtype `dt` (zero-extended): int8 and
  // int32 RNE and saturating (NaN gives 0), bf16 RNE, fp8 RNE saturating, fp32 DAZ with the
  // canonical NaN. 0 when !en_i or for an undefined dtype.
  function automatic logic [31:0] write_f32_en_f(logic en_i, logic [3:0] dt, logic [31:0] v);
    logic        is_int;
    logic [31:0] as_int, res;
    logic [15:0] as_bf16;
    logic [7:0]  as_fp8;
    is_int  = (dt == isa_pkg::DT_INT8) || (dt == isa_pkg::DT_INT32);
    as_int  = fp32_ops_pkg::fp32_to_int32_en_f(en_i && is_int, v);
    as_bf16 = numerics_pkg::fp32_to_bf16_en_f(en_i && (dt == isa_pkg::DT_BF16), v);
    as_fp8  = numerics_pkg::fp32_to_fp8_en_f(en_i && (dt == isa_pkg::DT_FP8), v);
    res     = 32'd0;
    if (en_i) begin
      unique case (dt)
        isa_pkg::DT_INT8:  res = sat8_f(as_int);
        isa_pkg::DT_INT32: res = as_int;
        isa_pkg::DT_BF16:  res = {16'd0, as_bf16};
        isa_pkg::DT_FP8:   res = {24'd0, as_fp8};
        isa_pkg::DT_FP32:  res = fp32_ops_pkg::is_nan_f(v) ? fp32_ops_pkg::F32_QNAN : fp32_ops_pkg::daz_f(v);
        default:           res = 32'd0;
      endcase
    end
    write_f32_en_f = res;
  endfunction

  // write_int_f: an int32 result on the integer path: saturated to int8, or as is.
  function automatic logic [31:0] write_int_f(logic [3:0] dt, logic [31:0] v);
    write_int_f = (dt == isa_pkg::DT_INT8) ? sat8_f(v) : v;
  endfunction

  // ---- ALU (numerics.md section 5) ----------------------------------------------------------
  // bool_f: a comparison's result, 1.0 or +0.
  function automatic logic [31:0] bool_f(logic v);
    bool_f = v ? 32'h3F80_0000 : 32'd0;
  endfunction

  // alu_f32_en_f: `a op b` on the float path (ADD, SUB, MUL, MAX, MIN, EQ..GE giving 1.0 or 0.0,
  // BYPASS giving a); 0 when !en_i or for an integer or reserved op.
  function automatic logic [31:0] alu_f32_en_f(logic en_i, logic [3:0] op, logic [31:0] a,
                                               logic [31:0] b);
    logic        is_add, is_mul;
    logic [31:0] sum, prod, res;
    is_add = (op == isa_pkg::ALU_ADD) || (op == isa_pkg::ALU_SUB);
    is_mul = op == isa_pkg::ALU_MUL;
    // a - b is a + (-b): after DAZ and with NaN rules both are the same operation.
    sum    = numerics_pkg::fp32_add_en_f(en_i && is_add, a, (op == isa_pkg::ALU_SUB) ? {~b[31], b[30:0]} : b);
    prod   = fp32_ops_pkg::fp32_mul_en_f(en_i && is_mul, a, b);
    res    = 32'd0;
    if (en_i) begin
      unique case (op)
        isa_pkg::ALU_ADD, isa_pkg::ALU_SUB: res = sum;
        isa_pkg::ALU_MUL:    res = prod;
        isa_pkg::ALU_MAX:    res = fp32_ops_pkg::fp32_max_f(a, b);
        isa_pkg::ALU_MIN:    res = fp32_ops_pkg::fp32_min_f(a, b);
        isa_pkg::ALU_EQ:     res = bool_f(fp32_ops_pkg::fp32_eq_f(a, b));
        isa_pkg::ALU_NE:     res = bool_f(!fp32_ops_pkg::fp32_eq_f(a, b));
        isa_pkg::ALU_LT:     res = bool_f(fp32_ops_pkg::fp32_lt_f(a, b));
        isa_pkg::ALU_LE:     res = bool_f(fp32_ops_pkg::fp32_le_f(a, b));
        isa_pkg::ALU_GT:     res = bool_f(fp32_ops_pkg::fp32_lt_f(b, a));
        isa_pkg::ALU_GE:     res = bool_f(fp32_ops_pkg::fp32_le_f(b, a));
        isa_pkg::ALU_BYPASS: res = a;
        default:             res = 32'd0;
      endcase
    end
    alu_f32_en_f = res;
  endfunction

  // alu_int_f: `a op b` on the integer path (AND, OR, XOR on int32; BYPASS gives a).
  function automatic logic [31:0] alu_int_f(logic [3:0] op, logic [31:0] a, logic [31:0] b);
    unique case (op)
      isa_pkg::ALU_AND: alu_int_f = a & b;
      isa_pkg::ALU_OR:  alu_int_f = a | b;
      isa_pkg::ALU_XOR: alu_int_f = a ^ b;
      default:          alu_int_f = a;  // BYPASS (the float ops never reach this path)
    endcase
  endfunction

endpackage
