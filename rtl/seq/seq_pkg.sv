/// seq_pkg: types and constants of the sequencer (docs/isa.md, docs/chip.md section 4).
/// Referenced as `seq_pkg::name`; never imported with `::*` (yosys 0.23 rejects it).
package seq_pkg;

  // Each module uses only some of these constants; Verilator reports the rest as unused for
  // every top that includes the package, so the check is off for the constants.
  /* verilator lint_off UNUSEDPARAM */

  // Opcodes (isa.md section 4) the current RTL executes; every other one is illegal here.
  localparam logic [7:0] OP_NOP    = 8'h00;
  localparam logic [7:0] OP_END    = 8'h01;
  localparam logic [7:0] OP_MATMUL = 8'h10;
  localparam logic [7:0] OP_DMA    = 8'h30;

  // Engine ids (isa.md section 1). DMA queue q is ENG_DMA0 + q.
  localparam logic [3:0] ENG_SEQ  = 4'd0;
  localparam logic [3:0] ENG_PE   = 4'd1;
  localparam logic [3:0] ENG_VEC  = 4'd2;
  localparam logic [3:0] ENG_DMA0 = 4'd4;

  // Data types (isa.md section 3); codes 0 and 6..15 are illegal.
  localparam logic [3:0] DT_INT8  = 4'd1;
  localparam logic [3:0] DT_BF16  = 4'd2;
  localparam logic [3:0] DT_FP8   = 4'd3;
  localparam logic [3:0] DT_FP32  = 4'd4;
  localparam logic [3:0] DT_INT32 = 4'd5;

  // Memory spaces.
  localparam logic [1:0] SP_NONE = 2'd0;
  localparam logic [1:0] SP_SBUF = 2'd1;
  localparam logic [1:0] SP_PSUM = 2'd2;
  localparam logic [1:0] SP_DRAM = 2'd3;

  // Error codes (isa.md section 5): the static ones, in precedence order.
  localparam logic [3:0] ERR_NONE       = 4'h0;
  localparam logic [3:0] ERR_ILLEGAL    = 4'h1;
  localparam logic [3:0] ERR_BAD_OPND   = 4'h2;
  localparam logic [3:0] ERR_SHAPE      = 4'h3;
  localparam logic [3:0] ERR_PATTERN    = 4'h4;
  localparam logic [3:0] ERR_PROTECTION = 4'h5;

  localparam int NUM_WINDOWS = 4;  // DRAM protection windows (csr.md section 5)

  // decode_check's shared multipliers: unsigned 16-bit a x signed 25-bit b, exact in 41 bits.
  localparam int MUL_A = 16;
  localparam int MUL_B = 25;
  localparam int MUL_P = 41;
  /* verilator lint_on UNUSEDPARAM */

  // ---- instruction fields, as laid out in the words (the last field is the lowest bit) -------
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

  // DMA access pattern, words d0..d6. Strides are signed.
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

  // One pattern in a common form for the range check (pattern_range): a TAP (three free dims,
  // lanes pstart .. pstart+pcount-1, dim 3 = {count 1, stride 0}) or a DAP (four dims; on chip,
  // dim pdim walks partitions). Its strides only feed the multipliers.
  typedef struct packed {
    logic        is_tap;
    logic [1:0]  space;
    logic [3:0]  dtype;
    logic [1:0]  pdim;    // DAP only
    logic [7:0]  pstart;
    logic [7:0]  pcount;  // TAP only
    logic [31:0] base;    // byte offset (TAP offset, DAP addr)
    logic [63:0] cnt;     // count of dim d at [16*d +: 16]
  } pat_t;

  // What the shared multipliers compute in a step of decode_check.
  typedef enum logic [1:0] {
    MUL_RANGE,  // (n_d - 1) * s_d of one pattern (and n0 * n1 of a TAP on multiplier 3)
    MUL_FREE,   // MATMUL: (n0 * n1) * n2 of out, stationary, moving
    MUL_SIZE1,  // DMA: n0 * n1 and n2 * n3 of dst and src
    MUL_SIZE2   // DMA: (n0 * n1) * (n2 * n3) of one DAP, in four partial products
  } mul_mode_e;

  typedef logic [31:0] word_t;

  // ---- helper functions ----------------------------------------------------------------------
  function automatic logic dtype_valid(logic [3:0] dt);
    dtype_valid = (dt >= DT_INT8) && (dt <= DT_INT32);
  endfunction

  // log2 of the element size in bytes (undefined codes: 0).
  function automatic logic [1:0] dtype_shift(logic [3:0] dt);
    dtype_shift = (dt == DT_BF16) ? 2'd1 : ((dt == DT_FP32) || (dt == DT_INT32)) ? 2'd2 : 2'd0;
  endfunction

  // DMA dtype pairs (isa.md DMA): a raw copy, or fp32 -> bf16 / fp8, or int32 -> int8.
  function automatic logic dma_cast_ok(logic [3:0] src, logic [3:0] dst);
    dma_cast_ok = (src == dst)
               || ((src == DT_FP32) && ((dst == DT_BF16) || (dst == DT_FP8)))
               || ((src == DT_INT32) && (dst == DT_INT8));
  endfunction

  // Decode-level faults of a required operand (golden decode(): ILLEGAL_INSTRUCTION): absent,
  // undefined dtype. (Functions take fields, not structs: yosys 0.23 cannot select a member of
  // a struct argument.)
  function automatic logic operand_illegal(logic [1:0] space, logic [3:0] dt);
    operand_illegal = (space == SP_NONE) || !dtype_valid(dt);
  endfunction

  // PSUM holds 32-bit words: a narrower dtype there is BAD_OPERAND.
  function automatic logic psum_narrow(logic [1:0] space, logic [3:0] dt);
    psum_narrow = (space == SP_PSUM) && (dtype_shift(dt) != 2'd2);
  endfunction

endpackage
