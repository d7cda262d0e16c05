/// seq_pkg: types and constants local to the sequencer (docs/chip.md section 4). The instruction
/// format, opcodes, engine ids and dtype / space / error codes are isa_pkg's.
/// Referenced as `seq_pkg::name`; never imported with `::*` (yosys 0.23 rejects it).
package seq_pkg;

  // Each module uses only some of these constants; Verilator reports the rest as unused for
  // every top that includes the package, so the check is off for the constants.
  /* verilator lint_off UNUSEDPARAM */
  localparam int NUM_WINDOWS = 4;  // DRAM protection windows (csr.md section 5)

  // decode_check's shared multipliers: unsigned 16-bit a x signed 25-bit b, exact in 41 bits.
  localparam int MUL_A = 16;
  localparam int MUL_B = 25;
  localparam int MUL_P = 41;
  /* verilator lint_on UNUSEDPARAM */

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

endpackage
