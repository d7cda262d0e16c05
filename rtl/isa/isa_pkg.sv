/// isa_pkg: the instruction set as the RTL sees it (docs/isa.md), and its single owner: opcodes,
/// engine ids, dtype / space / error codes, the packed views of the 16 instruction words and the
/// helpers that decode ISA fields. Every block takes the format from here; its own package
/// (seq_pkg, dma_pkg, tensor_pkg) holds only what is local to the block. Change docs/isa.md
/// first, then this file.
/// Referenced as `isa_pkg::name`; never imported with `::*` (yosys 0.23 rejects it).
///
/// yosys 0.23 and the views (docs/conventions.md, "Traps"): declare a view signal at module
/// level, never inside a generate block or a procedural block (yosys then builds undefined
/// bits for its members, with only a warning); no packed arrays of them (use a flat vector of
/// INSN_BITS-wide slots); no casts to these types (assign to a signal of the type); no `$bits`
/// of a type or of a member (use the widths below); functions take fields, not views.
package isa_pkg;

  // Each module uses only some of these constants; Verilator reports the rest as unused for
  // every top that includes the package, so the check is off for the constants.
  /* verilator lint_off UNUSEDPARAM */

  // ---- sizes (isa.md section 2) ---------------------------------------------------------------
  localparam int INSN_WORDS = 16;               // w0..w15, little-endian 32-bit words
  localparam int INSN_BITS  = 32 * INSN_WORDS;  // one instruction: word i at [32*i +: 32]
  localparam int INSN_BYTES = INSN_BITS / 8;    // 64: instruction i at PROG_BASE + 64*i
  localparam int HDR_BITS   = 32;               // hdr_t: w0
  localparam int HEAD_BITS  = 64;               // head_t: w0, w1
  localparam int TAP_BITS   = 4 * 32;           // tap_t: a0..a3
  localparam int DAP_BITS   = 7 * 32;           // dap_t: d0..d6
  localparam int NUM_SEMS   = 32;               // semaphore ids 0..31

  // ---- opcodes (isa.md section 4) --------------------------------------------------------------
  localparam logic [7:0] OP_NOP           = 8'h00;
  localparam logic [7:0] OP_END           = 8'h01;
  localparam logic [7:0] OP_MATMUL        = 8'h10;
  localparam logic [7:0] OP_TENSOR_TENSOR = 8'h20;
  localparam logic [7:0] OP_TENSOR_SCALAR = 8'h21;
  localparam logic [7:0] OP_TENSOR_REDUCE = 8'h22;
  localparam logic [7:0] OP_COPY          = 8'h23;
  localparam logic [7:0] OP_IOTA          = 8'h24;
  localparam logic [7:0] OP_SELECT        = 8'h25;
  localparam logic [7:0] OP_ACTIVATE      = 8'h26;
  localparam logic [7:0] OP_TABLE_LOAD    = 8'h27;
  localparam logic [7:0] OP_DMA           = 8'h30;

  // ---- engine ids (isa.md section 1); DMA queue q is ENG_DMA0 + q, 3 and 12..15 reserved -------
  localparam logic [3:0] ENG_SEQ    = 4'd0;   // the sequencer itself
  localparam logic [3:0] ENG_TENSOR = 4'd1;   // the tensor engine (isa.md "PE": the systolic array)
  localparam logic [3:0] ENG_VEC    = 4'd2;
  localparam logic [3:0] ENG_DMA0   = 4'd4;

  // ---- data types (isa.md section 3); codes 0 and 6..15 are illegal ---------------------------
  localparam logic [3:0] DT_INT8  = 4'd1;
  localparam logic [3:0] DT_BF16  = 4'd2;
  localparam logic [3:0] DT_FP8   = 4'd3;  // e4m3
  localparam logic [3:0] DT_FP32  = 4'd4;
  localparam logic [3:0] DT_INT32 = 4'd5;

  // ---- memory spaces (isa.md section 3) --------------------------------------------------------
  localparam logic [1:0] SP_NONE = 2'd0;  // operand absent
  localparam logic [1:0] SP_SBUF = 2'd1;
  localparam logic [1:0] SP_PSUM = 2'd2;
  localparam logic [1:0] SP_DRAM = 2'd3;

  // ---- ALU operations (isa.md section 4, `op`) -------------------------------------------------
  localparam logic [3:0] ALU_ADD    = 4'd0;
  localparam logic [3:0] ALU_SUB    = 4'd1;
  localparam logic [3:0] ALU_MUL    = 4'd2;
  localparam logic [3:0] ALU_MAX    = 4'd3;
  localparam logic [3:0] ALU_MIN    = 4'd4;
  localparam logic [3:0] ALU_EQ     = 4'd5;
  localparam logic [3:0] ALU_NE     = 4'd6;
  localparam logic [3:0] ALU_LT     = 4'd7;
  localparam logic [3:0] ALU_LE     = 4'd8;
  localparam logic [3:0] ALU_GT     = 4'd9;
  localparam logic [3:0] ALU_GE     = 4'd10;
  localparam logic [3:0] ALU_AND    = 4'd11;
  localparam logic [3:0] ALU_OR     = 4'd12;
  localparam logic [3:0] ALU_XOR    = 4'd13;
  localparam logic [3:0] ALU_BYPASS = 4'd15;  // 14 is reserved

  // ---- ACTIVATE (isa.md section 4): `func` and `acc` -------------------------------------------
  localparam logic [3:0] ACT_IDENTITY = 4'd0;
  localparam logic [3:0] ACT_TABLE    = 4'd1;
  localparam logic [3:0] ACT_EXP      = 4'd2;
  localparam logic [3:0] ACT_EXP2     = 4'd3;
  localparam logic [3:0] ACT_RECIP    = 4'd4;
  localparam logic [3:0] ACT_RSQRT    = 4'd5;
  localparam logic [3:0] ACT_SQRT     = 4'd6;
  localparam logic [3:0] ACT_LOG      = 4'd7;  // the last defined code; 8..15 are reserved
  localparam logic [1:0] ACC_NONE     = 2'd0;
  localparam logic [1:0] ACC_ADD      = 2'd1;
  localparam logic [1:0] ACC_MAX      = 2'd2;
  localparam logic [1:0] ACC_MIN      = 2'd3;

  // ---- error codes (isa.md section 5), the width of ERR_CODE -----------------------------------
  // 0x01..0x05 are static (decode_check, in this precedence order); the others arise at run time.
  localparam logic [7:0] ERR_NONE       = 8'h00;
  localparam logic [7:0] ERR_ILLEGAL    = 8'h01;  // ILLEGAL_INSTRUCTION
  localparam logic [7:0] ERR_BAD_OPND   = 8'h02;  // BAD_OPERAND
  localparam logic [7:0] ERR_SHAPE      = 8'h03;  // SHAPE_MISMATCH
  localparam logic [7:0] ERR_PATTERN    = 8'h04;  // PATTERN_OUT_OF_RANGE
  localparam logic [7:0] ERR_PROTECTION = 8'h05;  // PROTECTION
  localparam logic [7:0] ERR_AXI        = 8'h06;  // AXI_ERROR
  localparam logic [7:0] ERR_SEM_OVF    = 8'h07;  // SEM_OVERFLOW
  localparam logic [7:0] ERR_TABLE      = 8'h08;  // TABLE_ERROR
  localparam logic [7:0] ERR_BOUNDS     = 8'h09;  // PROGRAM_BOUNDS
  localparam logic [7:0] ERR_WATCHDOG   = 8'h0A;  // WATCHDOG
  localparam logic [7:0] ERR_LINK       = 8'h0B;  // LINK_ERROR (reserved)
  /* verilator lint_on UNUSEDPARAM */

  // ---- views of the instruction words (the last field is the lowest bit) -----------------------
  // Header word w0 (isa.md section 2).
  typedef struct packed {
    logic [7:0] signal_sem;
    logic [7:0] wait_sem;
    logic [1:0] rsv;
    logic       signal_en;
    logic       wait_en;
    logic [3:0] engine;
    logic [7:0] opcode;
  } hdr_t;

  // The two words every instruction starts with: the header and the semaphore wait value.
  typedef struct packed {
    logic [31:0] wait_value;  // w1
    hdr_t        hdr;         // w0
  } head_t;

  // Tensor access pattern, words a0..a3 (isa.md section 3). Strides are signed.
  typedef struct packed {
    logic [15:0] s2;      // a3
    logic [15:0] s1;
    logic [15:0] s0;      // a2
    logic [3:0]  rsv;
    logic [11:0] n2;
    logic [11:0] n1;      // a1
    logic [11:0] n0;
    logic [7:0]  pcount;
    logic [7:0]  pstart;  // a0
    logic [1:0]  space;
    logic [3:0]  dtype;
    logic [17:0] offset;
  } tap_t;

  // DMA access pattern, words d0..d6 (isa.md section 3). Strides are signed.
  typedef struct packed {
    logic [7:0]  rsv6;      // d6
    logic [23:0] s3;
    logic [7:0]  rsv5;      // d5
    logic [23:0] s2;
    logic [7:0]  pstart;    // d4
    logic [23:0] s1;
    logic [1:0]  pdim_sel;  // d3: pdim = 3 - pdim_sel
    logic [1:0]  space;
    logic [3:0]  dtype;
    logic [23:0] s0;
    logic [15:0] n3;        // d2
    logic [15:0] n2;
    logic [15:0] n1;        // d1
    logic [15:0] n0;
    logic [31:0] addr;      // d0
  } dap_t;

  // Any instruction: the head and the opcode-specific words w2..w15 (NOP and END: all zero).
  typedef struct packed {
    logic [INSN_BITS-HEAD_BITS-1:0] args;  // w2..w15
    head_t                          head;  // w0, w1
  } insn_t;

  // MATMUL (isa.md section 4).
  typedef struct packed {
    tap_t        mov;    // w12..w15
    tap_t        stat;   // w8..w11: stationary
    tap_t        out;    // w4..w7
    logic [31:0] rsv3;   // w3
    logic [30:0] rsv2;   // w2 [31:1]
    logic        start;  // w2 [0]: 1 = overwrite PSUM, 0 = accumulate
    head_t       head;   // w0, w1
  } matmul_insn_t;

  // DMA (isa.md section 4).
  typedef struct packed {
    dap_t  src;   // w9..w15
    dap_t  dst;   // w2..w8
    head_t head;  // w0, w1
  } dma_insn_t;

  // Column access pattern, one word (isa.md section 3): the layout of TAP word a0, one element
  // per lane; a word of 0 is an absent CAP.
  typedef struct packed {
    logic [7:0]  pstart;
    logic [1:0]  space;
    logic [3:0]  dtype;
    logic [17:0] offset;
  } cap_t;

  // A vector instruction (isa.md section 4, opcodes 0x20..0x27): w2 holds the opcode's fields
  // (the vec_*_ctl_t views), w3 an immediate (TENSOR_SCALAR s0, ACTIVATE scale, IOTA base), w4..w7
  // the out TAP and w8..w11 in / in0. w12..w15 are the third TAP (in1 of TENSOR_TENSOR, mask of
  // SELECT) or, for TENSOR_SCALAR, ACTIVATE and IOTA, scalar words: read them through
  // vec_sc_insn_t.
  typedef struct packed {
    tap_t        in1;   // w12..w15
    tap_t        in0;   // w8..w11
    tap_t        out;   // w4..w7
    logic [31:0] imm;   // w3
    logic [31:0] ctl;   // w2
    head_t       head;  // w0, w1
  } vec_insn_t;

  // w12..w15 as scalar words (TENSOR_SCALAR, ACTIVATE, IOTA).
  typedef struct packed {
    cap_t        acc;   // w15: ACTIVATE acc CAP (TENSOR_SCALAR, IOTA: reserved)
    cap_t        col1;  // w14: TENSOR_SCALAR s1 CAP, ACTIVATE bias CAP (IOTA: reserved)
    cap_t        col0;  // w13: TENSOR_SCALAR s0 CAP, ACTIVATE scale CAP; IOTA pstep
    logic [31:0] imm1;  // w12: TENSOR_SCALAR s1, ACTIVATE bias immediate; IOTA step
  } vec_scalars_t;

  typedef struct packed {
    vec_scalars_t                     sc;    // w12..w15
    logic [INSN_BITS-TAP_BITS-1:0]    rest;  // w0..w11: read through vec_insn_t
  } vec_sc_insn_t;

  // Views of w2. TENSOR_TENSOR (op; nred reserved) and TENSOR_REDUCE (op, nred).
  typedef struct packed {
    logic [25:0] rsv;
    logic [1:0]  nred;
    logic [3:0]  op;
  } vec_alu_ctl_t;

  // TENSOR_SCALAR.
  typedef struct packed {
    logic [19:0] rsv;
    logic        s1_col;
    logic        s0_col;
    logic        rev1;
    logic        rev0;
    logic [3:0]  op1;
    logic [3:0]  op0;
  } vec_ts_ctl_t;

  // ACTIVATE (`slot` is isa.md's `table`, a keyword in SystemVerilog).
  typedef struct packed {
    logic [21:0] rsv;
    logic        bias_col;
    logic        scale_col;
    logic [1:0]  acc;
    logic [1:0]  slot;
    logic [3:0]  func;
  } vec_act_ctl_t;

  // TABLE_LOAD.
  typedef struct packed {
    logic [29:0] rsv;
    logic [1:0]  slot;
  } vec_tl_ctl_t;

  // ---- the engine issue interface (docs/chip.md section 4) ------------------------------------
  // What passes between the sequencer and one engine slot (the tensor engine, each DMA queue,
  // later the vector engine and the link engines). The sequencer offers the instruction at the
  // slot's issue point once its semaphore wait holds; the engine takes it with `ready` and
  // reports completions in issue order, its AXI errors (and the vector engine's TABLE_ERROR),
  // whether it may be flushed, and its progress. Adding an engine is adding a slot: one eng_req_t and one eng_rsp_t. The
  // sequencer carries its slots as flat vectors, slot e at [e*ENG_REQ_BITS +: ENG_REQ_BITS]
  // and [e*ENG_RSP_BITS +: ENG_RSP_BITS] (no packed arrays of structs: see the note above).
  // (Unused in the engines themselves, which take the typed ports: the check is off, as above.)
  /* verilator lint_off UNUSEDPARAM */
  localparam int ENG_REQ_BITS = 1 + INSN_BITS;
  localparam int ENG_RSP_BITS = 9;
  /* verilator lint_on UNUSEDPARAM */

  // Sequencer -> engine.
  typedef struct packed {
    logic  valid;  // insn is offered (the engine takes it when ready)
    insn_t insn;   // the instruction, as fetched
  } eng_req_t;

  // Engine -> sequencer.
  typedef struct packed {
    logic       ready;      // takes insn this cycle if valid (may depend on insn)
    logic       done;       // one-cycle pulse: the oldest issued instruction completed
    logic       idle;       // may be flushed now: nothing outstanding on AXI (quiesce waits)
    logic       err;        // one-cycle pulse: an AXI error of the oldest incomplete instruction
    logic [1:0] err_resp;   // its RRESP/BRESP (valid with err)
    logic       err_write;  // 1 = the error was a write response
    logic       beat;       // progress this cycle (a data beat): the watchdog restarts
    logic       terr;       // one-cycle pulse: TABLE_ERROR of the oldest incomplete instruction
  } eng_rsp_t;

  // ---- helpers (functions take fields: yosys 0.23 cannot select a member of a struct argument) --
  function automatic logic dtype_valid(logic [3:0] dt);
    dtype_valid = (dt >= DT_INT8) && (dt <= DT_INT32);
  endfunction

  // log2 of the element size in bytes: int8/fp8 0, bf16 1, fp32/int32 2 (undefined codes: 0).
  function automatic logic [1:0] dtype_size_lg(logic [3:0] dt);
    dtype_size_lg = (dt == DT_BF16) ? 2'd1 : ((dt == DT_FP32) || (dt == DT_INT32)) ? 2'd2 : 2'd0;
  endfunction

  // DMA dtype pairs (isa.md DMA): a raw copy, or fp32 -> bf16 / fp8, or int32 -> int8.
  function automatic logic dma_cast_ok(logic [3:0] src, logic [3:0] dst);
    dma_cast_ok = (src == dst)
               || ((src == DT_FP32) && ((dst == DT_BF16) || (dst == DT_FP8)))
               || ((src == DT_INT32) && (dst == DT_INT8));
  endfunction

  // Decode-level faults of a required operand (golden decode(): ILLEGAL_INSTRUCTION): absent,
  // undefined dtype.
  function automatic logic operand_illegal(logic [1:0] space, logic [3:0] dt);
    operand_illegal = (space == SP_NONE) || !dtype_valid(dt);
  endfunction

  // int8 and int32: the dtypes an integer ALU op (AND, OR, XOR) takes.
  function automatic logic dtype_is_integer(logic [3:0] dt);
    dtype_is_integer = (dt == DT_INT8) || (dt == DT_INT32);
  endfunction

  // AND, OR, XOR: the integer path of the vector ALU.
  function automatic logic alu_is_integer(logic [3:0] op);
    alu_is_integer = (op == ALU_AND) || (op == ALU_OR) || (op == ALU_XOR);
  endfunction

  // PSUM holds 32-bit words: a narrower dtype there is BAD_OPERAND.
  function automatic logic psum_narrow(logic [1:0] space, logic [3:0] dt);
    psum_narrow = (space == SP_PSUM) && (dtype_size_lg(dt) != 2'd2);
  endfunction

endpackage
