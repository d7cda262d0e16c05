/// tensor_pkg: types and constants local to the tensor engine (docs/tensor_engine.md); the
/// instruction format and the ISA codes are isa_pkg's. Referenced as `tensor_pkg::name`, never
/// imported (yosys 0.23).
package tensor_pkg;

  // Each module uses only some of these constants.
  /* verilator lint_off UNUSEDPARAM */

  // MATMUL input dtypes of the engine command (cmd_t.dtype): not the ISA dtype codes
  // (isa_pkg::DT_*), which pe_ctrl maps to these.
  localparam logic [1:0] MM_INT8 = 2'd0;
  localparam logic [1:0] MM_BF16 = 2'd1;
  localparam logic [1:0] MM_FP8  = 2'd2;

  // Control word carried through the array beside each moving element.
  localparam int CTRL_W    = 5;
  localparam int CTRL_ACT  = 0;  // the row is inside [pstart, pstart + K): accumulate
  localparam int CTRL_BSEL = 1;  // stationary buffer to use
  localparam int CTRL_INT  = 2;  // one-hot dtype: int8
  localparam int CTRL_BF16 = 3;  //                bf16
  localparam int CTRL_FP8  = 4;  //                fp8-e4m3
  /* verilator lint_on UNUSEDPARAM */

  // One MATMUL command. Field widths cover every configuration (P, C <= 256, N, PSUM words
  // <= 65535); the engine checks the values against its own parameters (err_o, assertions).
  typedef struct packed {
    logic [1:0]  dtype;   // MM_*
    logic        start;   // 1: PSUM = colsum, 0: PSUM += colsum
    logic [7:0]  pstart;  // first partition (array row) of the contraction
    logic [8:0]  k;       // contraction length K, 1..P
    logic [8:0]  m;       // stationary width M = output partitions, 1..C
    logic [15:0] n;       // moving free size N, 1..Nmax
    logic [15:0] addr;    // PSUM element offset of out element 0
  } cmd_t;

endpackage
