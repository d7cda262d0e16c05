/// vec_decode: what the vector engine needs to know of one vector instruction
/// (docs/vector_engine.md sections 3 and 5a), decoded from its 16 words: the opcode's kind, the
/// operand streams it uses, the scalars it reads from CAPs, its path (integer or fp32; the
/// function chain or the bypass) and the tail's context (integer path, reduce, accumulate op,
/// out dtype). The engine decodes three instructions this way: the one at the sequencer's slot
/// (may it be taken now?), the one whose elements fire, and the one taken ahead of it.
/// Combinational; the instruction has passed decode_check (isa.md section 6).
module vec_decode (
  input  isa_pkg::insn_t insn_i,
  output logic           tt_o,       // TENSOR_TENSOR
  output logic           ts_o,       // TENSOR_SCALAR
  output logic           iota_o,
  output logic           sel_o,      // SELECT
  output logic           red_o,      // TENSOR_REDUCE
  output logic           act_o,      // ACTIVATE: its elements take the function chain
  output logic           tl_o,       // TABLE_LOAD
  output logic           uses_r0_o,  // reader 0 streams in / in0 (every opcode but IOTA)
  output logic           uses_r1_o,  // reader 1 streams in1 or SELECT's mask
  output logic           s0c_o,      // s0 (ACTIVATE: scale) is a CAP
  output logic           s1c_o,      // s1 (ACTIVATE: bias) is a CAP
  output logic           acc_o,      // ACTIVATE with an acc CAP
  output logic           bad_slot_o, // ACTIVATE TABLE on a slot whose valid_i bit is clear
  input  logic [3:0]     tvalid_i,   // the table slots loaded
  output logic           int_o,      // the integer path
  output logic [3:0]     op0_o,      // the lane's ALU ops (vec_lane)
  output logic [3:0]     op1_o,
  output logic [7:0]     ctx_o       // the tail's context: {int, reduce, acc op[1:0], out dtype}
);

  // Views of the words: each opcode reads only some of their fields.
  /* verilator lint_off UNUSEDSIGNAL */
  isa_pkg::vec_insn_t    v;
  isa_pkg::vec_ts_ctl_t  ts;
  isa_pkg::vec_alu_ctl_t alu;
  isa_pkg::vec_act_ctl_t act;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [7:0] opc;
  logic [1:0] acc_op;
  assign v   = insn_i;
  assign ts  = v.ctl;
  assign alu = v.ctl;
  assign act = v.ctl;
  assign opc = v.head.hdr.opcode;

  assign tt_o      = opc == isa_pkg::OP_TENSOR_TENSOR;
  assign ts_o      = opc == isa_pkg::OP_TENSOR_SCALAR;
  assign iota_o    = opc == isa_pkg::OP_IOTA;
  assign sel_o     = opc == isa_pkg::OP_SELECT;
  assign red_o     = opc == isa_pkg::OP_TENSOR_REDUCE;
  assign act_o     = opc == isa_pkg::OP_ACTIVATE;
  assign tl_o      = opc == isa_pkg::OP_TABLE_LOAD;
  assign uses_r0_o = !iota_o;
  assign uses_r1_o = tt_o || sel_o;
  assign s0c_o     = (ts_o && ts.s0_col) || (act_o && act.scale_col);
  assign s1c_o     = (ts_o && ts.s1_col) || (act_o && act.bias_col);
  assign acc_o     = act_o && act.acc != isa_pkg::ACC_NONE;
  assign bad_slot_o = act_o && act.func == isa_pkg::ACT_TABLE && !tvalid_i[act.slot];
  assign int_o     = tt_o ? isa_pkg::alu_is_integer(alu.op) :
                     ts_o ? isa_pkg::alu_is_integer(ts.op0) :
                     iota_o ? isa_pkg::dtype_is_integer(v.out.dtype) :
                     (red_o || act_o || tl_o) ? 1'b0 :
                     (isa_pkg::dtype_is_integer(v.out.dtype) && isa_pkg::dtype_is_integer(v.in0.dtype));
  // ACTIVATE's x * scale + bias is TENSOR_SCALAR's MUL then ADD.
  assign op0_o     = tt_o ? alu.op : ts_o ? ts.op0 : act_o ? isa_pkg::ALU_MUL : isa_pkg::ALU_BYPASS;
  assign op1_o     = act_o ? isa_pkg::ALU_ADD : ts.op1;
  // The accumulate op: TENSOR_REDUCE's (from its ALU op), or ACTIVATE's acc.
  assign acc_op    = red_o ? ((alu.op == isa_pkg::ALU_MAX) ? isa_pkg::ACC_MAX :
                              (alu.op == isa_pkg::ALU_MIN) ? isa_pkg::ACC_MIN : isa_pkg::ACC_ADD) :
                     act_o ? act.acc : isa_pkg::ACC_NONE;
  assign ctx_o     = {int_o, red_o, acc_op, v.out.dtype};

endmodule
