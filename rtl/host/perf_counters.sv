/// perf_counters: the 64-bit performance counters of docs/csr.md section 7, indexed by
/// csr_pkg::CSR_CNT_<NAME>. Every cycle each counter adds its input (a 1-bit condition or an
/// amount), wrapping modulo 2^64. clear_i (CTRL.CLEAR_COUNTERS) zeroes all of them in its cycle,
/// dropping that cycle's increments; reset zeroes them too; soft reset does not reach this block.
/// Read port: rd_data_o is counter rd_idx_i, combinational from the registers (csr_regs reads
/// it in the cycle it accepts the AR). LINK_BYTES, RETRANSMITS (reserved for the chip-to-chip
/// links) and indices past the last counter read 0 and hold no register.
`include "systole_assert.svh"

module perf_counters (
  input  logic        clk_i,
  input  logic        rst_ni,
  // Zero every counter (one-cycle pulse).
  input  logic        clear_i,
  // Per-cycle conditions and amounts, one per counter.
  input  logic        busy_i,           // CYCLES
  input  logic        te_busy_i,        // BUSY_TENSOR
  input  logic        vec_busy_i,       // BUSY_VEC
  input  logic        dma_busy_i,       // BUSY_DMA
  input  logic [31:0] macs_add_i,       // MACS
  input  logic [15:0] dram_rd_add_i,    // DRAM_RD_BYTES
  input  logic [15:0] dram_wr_add_i,    // DRAM_WR_BYTES
  input  logic [15:0] fetch_add_i,      // FETCH_BYTES
  input  logic [3:0]  retired_add_i,    // INSTRUCTIONS
  input  logic [3:0]  stall_sem_add_i,  // STALL_SEM
  input  logic        stall_queue_i,    // STALL_QUEUE
  input  logic        stall_dram_i,     // STALL_DRAM
  // Read port.
  input  logic [3:0]  rd_idx_i,
  output logic [63:0] rd_data_o
);

  // The counters with hardware behind them: every index below LINK_BYTES (the map keeps the
  // reserved link counters last).
  localparam int unsigned NumLive = csr_pkg::CSR_CNT_LINK_BYTES;

  // Increment of counter i at [64*i +: 64]; every counter's value likewise in cnt_flat. Flat
  // vectors rather than a typedef'd 2-D packed array, which yosys 0.23 truncates to one element.
  logic [64*NumLive-1:0] inc, cnt_flat;

  always_comb begin
    inc = '0;
    inc[64*csr_pkg::CSR_CNT_CYCLES +: 64]        = 64'(busy_i);
    inc[64*csr_pkg::CSR_CNT_BUSY_TENSOR +: 64]   = 64'(te_busy_i);
    inc[64*csr_pkg::CSR_CNT_BUSY_VEC +: 64]      = 64'(vec_busy_i);
    inc[64*csr_pkg::CSR_CNT_BUSY_DMA +: 64]      = 64'(dma_busy_i);
    inc[64*csr_pkg::CSR_CNT_MACS +: 64]          = 64'(macs_add_i);
    inc[64*csr_pkg::CSR_CNT_DRAM_RD_BYTES +: 64] = 64'(dram_rd_add_i);
    inc[64*csr_pkg::CSR_CNT_DRAM_WR_BYTES +: 64] = 64'(dram_wr_add_i);
    inc[64*csr_pkg::CSR_CNT_FETCH_BYTES +: 64]   = 64'(fetch_add_i);
    inc[64*csr_pkg::CSR_CNT_INSTRUCTIONS +: 64]  = 64'(retired_add_i);
    inc[64*csr_pkg::CSR_CNT_STALL_SEM +: 64]     = 64'(stall_sem_add_i);
    inc[64*csr_pkg::CSR_CNT_STALL_QUEUE +: 64]   = 64'(stall_queue_i);
    inc[64*csr_pkg::CSR_CNT_STALL_DRAM +: 64]    = 64'(stall_dram_i);
  end

  for (genvar i = 0; i < NumLive; i++) begin : gen_cnt
    logic [63:0] cnt_q, cnt_d;
    assign cnt_d = clear_i ? 64'd0 : cnt_q + inc[64*i +: 64];
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) cnt_q <= 64'd0;
      else         cnt_q <= cnt_d;
    end
    assign cnt_flat[64*i +: 64] = cnt_q;
  end

  always_comb begin
    rd_data_o = '0;
    for (int unsigned i = 0; i < NumLive; i++) begin
      if (rd_idx_i == 4'(i)) rd_data_o = cnt_flat[64*i +: 64];
    end
  end

  `ASSERT_KNOWN(clear_known, clear_i)

endmodule
