/// vec_run_walker: walks the rows of a vector TAP ahead of its elements (docs/vector_engine.md
/// section 4, row prefetch). A run is the longest stretch of consecutive elements along dim 0
/// that stays in one memory row: the rest of dim 0 when its stride is 0, up to the row's end
/// when the stride is one element either way (elements are aligned to their size), else one
/// element. row_o is the current run's row and last_o says it is the final run; step_i moves to
/// the next run. Consecutive runs may share a row (dim 1 or 2 coming back to it): the reader
/// fetches a run's row only when it differs from the previous run's, which is exactly where
/// its element walker (pattern_walker, one element per step) leaves a row, so the two agree on
/// the sequence of rows fetched. Adders and shifts only; load_i, base_i, n_i and s_i (byte
/// strides) as pattern_walker. Latency: row_o is valid the cycle after load_i and each step_i.
module vec_run_walker #(
  parameter int RowBytes  = 32,
  parameter int CountBits = 12,
  parameter int OffBits   = 18,
  parameter int RowBits   = OffBits - $clog2(RowBytes)
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   load_i,
  input  logic [1:0]             lg_i,  // log2 of the element's bytes
  input  logic [OffBits-1:0]     base_i,
  input  logic [3*CountBits-1:0] n_i,
  input  logic [3*OffBits-1:0]   s_i,
  input  logic                   step_i,
  output logic [RowBits-1:0]     row_o,
  output logic                   last_o
);

  localparam int OB = $clog2(RowBytes);
  localparam int KB = CountBits + 1;  // a run's length: up to the dim's count

  logic [3*CountBits-1:0] i_q, n_q;
  logic [3*OffBits-1:0]   run_q, s_q;
  logic [1:0]             lg_q;
  logic [2:1]             at_end;  // dims 1 and 2 at their last index
  logic [OffBits-1:0]     a, s0, e;
  logic [OB-1:0]          off;
  logic [KB-1:0]          rem0, krow, k;
  logic                   fwd, back, to_end;

  for (genvar d = 1; d < 3; d++) begin : gen_end
    assign at_end[d] = i_q[d*CountBits +: CountBits] == n_q[d*CountBits +: CountBits] - CountBits'(1);
  end
  assign a      = run_q[0 +: OffBits];
  assign s0     = s_q[0 +: OffBits];
  assign e      = OffBits'(1) << lg_q;
  assign off    = a[OB-1:0];
  assign fwd    = s0 == e;
  assign back   = s0 == -e;
  assign rem0   = KB'(n_q[0 +: CountBits]) - KB'(i_q[0 +: CountBits]);
  assign krow   = fwd ? KB'((RowBytes - 32'(off)) >> lg_q) : back ? KB'((32'(off) >> lg_q) + 1) : KB'(1);
  // The run takes the rest of dim 0 (a zero stride, or a row that holds it all).
  assign to_end = s0 == '0 || krow >= rem0;
  assign k      = to_end ? rem0 : krow;
  assign row_o  = a[OffBits-1:OB];
  assign last_o = to_end && at_end[1] && at_end[2];

  // Past the run: along dim 0 by k elements, or, when the run ends dim 0, as pattern_walker
  // steps from dim 0's last element (the next dim not at its end advances, the runs below it
  // restart from its new address).
  logic [3*CountBits-1:0] i_d;
  logic [3*OffBits-1:0]   run_d;
  always_comb begin
    logic [OffBits-1:0] next;
    i_d   = i_q;
    run_d = run_q;
    next  = '0;
    if (step_i && !last_o) begin
      if (!to_end) begin
        i_d[0 +: CountBits] = i_q[0 +: CountBits] + CountBits'(k);
        run_d[0 +: OffBits] = a + (back ? -(OffBits'(k) << lg_q) : (k == KB'(1)) ? s0 : (OffBits'(k) << lg_q));
      end else if (!at_end[1]) begin
        next = run_q[OffBits +: OffBits] + s_q[OffBits +: OffBits];
        i_d[0 +: CountBits] = '0;
        i_d[CountBits +: CountBits] = i_q[CountBits +: CountBits] + CountBits'(1);
        run_d[0 +: 2*OffBits] = {next, next};
      end else begin
        next = run_q[2*OffBits +: OffBits] + s_q[2*OffBits +: OffBits];
        i_d[0 +: 2*CountBits] = '0;
        i_d[2*CountBits +: CountBits] = i_q[2*CountBits +: CountBits] + CountBits'(1);
        run_d = {next, next, next};
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      i_q   <= '0;
      n_q   <= {3{CountBits'(1)}};
      run_q <= '0;
      s_q   <= '0;
      lg_q  <= '0;
    end else if (load_i) begin
      i_q   <= '0;
      n_q   <= n_i;
      s_q   <= s_i;
      lg_q  <= lg_i;
      run_q <= {3{base_i}};
    end else begin
      i_q   <= i_d;
      run_q <= run_d;
    end
  end

endmodule
