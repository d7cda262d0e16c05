/// out_mapper: places the tensor engine's output beats in PSUM (docs/chip.md section 5). Beat n
/// of a MATMUL (C column sums, lane m = output row m) goes to PSUM word `out` element n of the
/// out TAP (pattern_walker over three dims, in words) in partitions out.pstart + m, m < M: the
/// lanes and the column mask are shifted up by out.pstart. Jobs (one per MATMUL, in issue
/// order) give the TAP and pstart; te_ready_o is low until the beat's job is loaded. last_o
/// pulses with the PSUM beat that ends a job. Throughput: one beat per cycle, no bubble between
/// jobs. PSUM never refuses a beat.
`include "systole_assert.svh"

module out_mapper #(
  parameter int Partitions = 16,
  parameter int Columns    = 16,
  parameter int PsumBytes  = 8192,
  parameter int AddrBits   = $clog2(PsumBytes / 4),
  parameter int PartBits   = $clog2(Partitions + 1)
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          clr_i,
  // Jobs: out TAP in PSUM words.
  input  logic                          job_valid_i,
  output logic                          job_ready_o,
  input  logic [AddrBits-1:0]           job_base_i,
  input  logic [3*12-1:0]               job_n_i,
  input  logic [3*AddrBits-1:0]         job_s_i,
  input  logic [PartBits-1:0]           job_pstart_i,
  // Beats from tensor_engine.
  input  logic                          te_valid_i,
  output logic                          te_ready_o,
  input  logic [Columns*32-1:0]         te_data_i,
  input  logic [Columns-1:0]            te_mask_i,
  input  logic                          te_acc_i,
  input  logic                          te_fp_i,
  // PSUM PE port.
  output logic                          pe_valid_o,
  output logic [Partitions*32-1:0]      pe_data_o,
  output logic [AddrBits-1:0]           pe_addr_o,
  output logic [Partitions-1:0]         pe_mask_o,
  output logic                          pe_acc_o,
  output logic                          pe_fp_o,
  output logic                          last_o
);

  logic                active_q, last, fire, load;
  logic [PartBits-1:0] pstart_q;
  logic [AddrBits-1:0] addr;

  /* verilator lint_off PINCONNECTEMPTY */
  pattern_walker #(
    .Dims     (3),
    .CountBits(12),
    .AddrBits (AddrBits)
  ) u_walk (
    .clk_i,
    .rst_ni,
    .load_i(load),
    .base_i(job_base_i),
    .n_i   (job_n_i),
    .s_i   (job_s_i),
    .step_i  (fire),
    .addr_o  (addr),
    .last_o  (last),
    .at_end_o()  // group ends: the vector engine's reductions only
  );
  /* verilator lint_on PINCONNECTEMPTY */

  assign te_ready_o  = active_q && !clr_i;
  assign fire        = te_valid_i && te_ready_o;
  assign job_ready_o = (!active_q || (fire && last)) && !clr_i;
  assign load        = job_valid_i && job_ready_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q <= 1'b0;
    end else if (clr_i) begin
      active_q <= 1'b0;
    end else if (load) begin
      active_q <= 1'b1;
    end else if (fire && last) begin
      active_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (load) pstart_q <= job_pstart_i;
  end

  // Lane m -> partition pstart + m (the static checks keep pstart + M <= Partitions).
  assign pe_valid_o = fire;
  assign pe_data_o  = (Partitions*32)'(te_data_i) << {pstart_q, 5'b00000};
  assign pe_mask_o  = Partitions'(te_mask_i) << pstart_q;
  assign pe_addr_o  = addr;
  assign pe_acc_o   = te_acc_i;
  assign pe_fp_o    = te_fp_i;
  assign last_o     = fire && last;

  `ASSERT_KNOWN(te_valid_known, te_valid_i)
  `ASSERT_STABLE(job_stable, job_valid_i && !job_ready_o && !clr_i, {job_base_i, job_n_i, job_s_i, job_pstart_i})

endmodule
