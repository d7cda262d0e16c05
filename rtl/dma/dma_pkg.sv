/// dma_pkg: constants and small decode helpers of the DMA queues (docs/isa.md section 3 "DMA
/// access pattern" and "DMA (0x30)", docs/chip.md section 6). Referenced as `dma_pkg::name`;
/// never imported with `::*` (yosys 0.23 rejects wildcard imports).
package dma_pkg;

  // Each module uses only some of these constants; Verilator reports the rest as unused for
  // every top that includes the package, so the check is off for the constants.
  /* verilator lint_off UNUSEDPARAM */

  // A DAP is 7 instruction words (d0..d6); the DMA instruction holds dst at w2..w8, src at w9..w15.
  localparam int DAP_BITS = 7 * 32;
  localparam int DST_LSB  = 2 * 32;
  localparam int SRC_LSB  = 9 * 32;

  // Memory spaces (isa.md section 3).
  localparam logic [1:0] SP_SBUF = 2'd1;
  localparam logic [1:0] SP_PSUM = 2'd2;
  localparam logic [1:0] SP_DRAM = 2'd3;

  // Data types (isa.md section 3).
  localparam logic [3:0] DT_INT8  = 4'd1;
  localparam logic [3:0] DT_BF16  = 4'd2;
  localparam logic [3:0] DT_FP8   = 4'd3;
  localparam logic [3:0] DT_FP32  = 4'd4;
  localparam logic [3:0] DT_INT32 = 4'd5;

  // Element conversions of a DMA (isa.md DMA table): none (raw bits) or one of three casts.
  localparam logic [1:0] CAST_NONE = 2'd0;
  localparam logic [1:0] CAST_BF16 = 2'd1;  // fp32 -> bf16
  localparam logic [1:0] CAST_FP8  = 2'd2;  // fp32 -> fp8 e4m3
  localparam logic [1:0] CAST_INT8 = 2'd3;  // int32 -> int8

  // AXI burst limits the queues keep to (docs/chip.md section 6).
  localparam int MAX_BURST_BEATS = 16;
  localparam int PAGE_BYTES_LG   = 12;  // bursts never cross a 4 KiB boundary
  /* verilator lint_on UNUSEDPARAM */

  // Fields of a DAP (d0 addr; d1 n0/n1; d2 n2/n3; d3 s0, dtype, space, pdim_sel; d4 s1, pstart;
  // d5 s2; d6 s3): space and dtype are in word d3. Each helper takes the whole word and reads
  // one field, so the rest of its argument is unused by design (waived for these two).
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [1:0] dap_space(logic [31:0] d3);
    dap_space = d3[29:28];
  endfunction

  function automatic logic [3:0] dap_dtype(logic [31:0] d3);
    dap_dtype = d3[27:24];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // log2 of the element size in bytes: int8/fp8 0, bf16 1, fp32/int32 2.
  function automatic logic [1:0] size_lg(logic [3:0] dtype);
    logic [1:0] r;
    r = 2'd0;
    if (dtype == DT_BF16) r = 2'd1;
    if (dtype == DT_FP32 || dtype == DT_INT32) r = 2'd2;
    size_lg = r;
  endfunction

  // The conversion for a (src, dst) dtype pair that passed the static checks.
  function automatic logic [1:0] cast_mode(logic [3:0] src, logic [3:0] dst);
    logic [1:0] r;
    r = CAST_NONE;
    if (src == DT_FP32 && dst == DT_BF16) r = CAST_BF16;
    if (src == DT_FP32 && dst == DT_FP8) r = CAST_FP8;
    if (src == DT_INT32 && dst == DT_INT8) r = CAST_INT8;
    cast_mode = r;
  endfunction

endpackage
