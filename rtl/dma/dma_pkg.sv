/// dma_pkg: constants and helpers local to the DMA queues (docs/chip.md section 6, docs/dma.md):
/// the element casts, the AXI burst limits and the walker step modes. The DMA instruction, its DAPs and the dtype / space codes are
/// isa_pkg's. Referenced as `dma_pkg::name`; never imported with `::*` (yosys 0.23 rejects
/// wildcard imports).
package dma_pkg;

  // Each module uses only some of these constants; Verilator reports the rest as unused for
  // every top that includes the package, so the check is off for the constants.
  /* verilator lint_off UNUSEDPARAM */

  // Element conversions of a DMA (isa.md DMA table): none (raw bits) or one of three casts.
  localparam logic [1:0] CAST_NONE = 2'd0;
  localparam logic [1:0] CAST_BF16 = 2'd1;  // fp32 -> bf16
  localparam logic [1:0] CAST_FP8  = 2'd2;  // fp32 -> fp8 e4m3
  localparam logic [1:0] CAST_INT8 = 2'd3;  // int32 -> int8

  // AXI burst limits the queues keep to (docs/chip.md section 6).
  localparam int MAX_BURST_BEATS = 16;
  localparam int PAGE_BYTES_LG   = 12;  // bursts never cross a 4 KiB boundary

  // How a pattern walker steps (dap_walker, docs/dma.md section 3): one element per step, a run
  // of consecutive bytes up to the next unit boundary (an AXI beat or an on-chip row), or
  // consecutive partitions at one byte address (dim 0 walking partitions with stride 1).
  localparam logic [1:0] WALK_ELEM   = 2'd0;
  localparam logic [1:0] WALK_RUN    = 2'd1;
  localparam logic [1:0] WALK_COLUMN = 2'd2;
  /* verilator lint_on UNUSEDPARAM */

  // The conversion for a (src, dst) ISA dtype pair that passed the static checks.
  function automatic logic [1:0] cast_mode(logic [3:0] src, logic [3:0] dst);
    logic [1:0] r;
    r = CAST_NONE;
    if (src == isa_pkg::DT_FP32 && dst == isa_pkg::DT_BF16) r = CAST_BF16;
    if (src == isa_pkg::DT_FP32 && dst == isa_pkg::DT_FP8) r = CAST_FP8;
    if (src == isa_pkg::DT_INT32 && dst == isa_pkg::DT_INT8) r = CAST_INT8;
    cast_mode = r;
  endfunction

endpackage
