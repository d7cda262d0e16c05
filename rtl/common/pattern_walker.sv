/// pattern_walker: walks the element addresses of an access pattern of Dims nested loops
/// (docs/isa.md section 3: i0 fastest), one element per step, with adders only (no multiplier).
/// load_i starts a pattern at base_i with counts n_i (dim d at [d*CountBits +: CountBits], each
/// >= 1) and address strides s_i (dim d at [d*AddrBits +: AddrBits], two's complement, already
/// scaled to the address unit). addr_o is the current element, last_o says it is the final one;
/// step_i moves to the next element (ignored after the last). Addresses wrap modulo 2^AddrBits:
/// the static checks guarantee every element of a legal pattern is in range, so the wrapped
/// intermediate sums give exact element addresses.
/// at_end_o[d] says dim d is at its last index (a group of dims 0..d ends at this element when
/// they all are: TENSOR_REDUCE's groups).
/// Latency: addr_o is valid the cycle after load_i and after each step_i.
module pattern_walker #(
  parameter int Dims      = 3,
  parameter int CountBits = 12,
  parameter int AddrBits  = 20
) (
  input  logic                      clk_i,
  input  logic                      rst_ni,
  // Start a new pattern.
  input  logic                      load_i,
  input  logic [AddrBits-1:0]       base_i,
  input  logic [Dims*CountBits-1:0] n_i,
  input  logic [Dims*AddrBits-1:0]  s_i,
  // Advance to the next element.
  input  logic                      step_i,
  // Current element.
  output logic [AddrBits-1:0]       addr_o,
  output logic                      last_o,
  output logic [Dims-1:0]           at_end_o
);

  // Per dim d: index i_q[d], start address of the current run of dims < d (run_q[d]), i.e.
  // run_q[0] is the element address; when dim d advances, every run below restarts from it.
  logic [Dims*CountBits-1:0] i_q, n_q;
  logic [Dims*AddrBits-1:0]  run_q, s_q;
  logic [Dims-1:0]           at_end;

  for (genvar d = 0; d < Dims; d++) begin : gen_end
    assign at_end[d] = i_q[d*CountBits +: CountBits] == n_q[d*CountBits +: CountBits] - CountBits'(1);
  end
  assign last_o   = &at_end;
  assign at_end_o = at_end;
  assign addr_o = run_q[AddrBits-1:0];

  logic [Dims*CountBits-1:0] i_d;
  logic [Dims*AddrBits-1:0]  run_d;

  // The lowest dim not at its end advances; the dims at their end below it wrap to 0, and every
  // run at or below it restarts at the new address.
  always_comb begin
    logic                done;
    logic [AddrBits-1:0] next;
    i_d   = i_q;
    run_d = run_q;
    done  = 1'b0;
    next  = '0;
    if (step_i && !last_o) begin
      for (int d = 0; d < Dims; d++) begin
        if (!done) begin
          if (!at_end[d]) begin
            next = run_q[d*AddrBits +: AddrBits] + s_q[d*AddrBits +: AddrBits];
            i_d[d*CountBits +: CountBits] = i_q[d*CountBits +: CountBits] + CountBits'(1);
            for (int e = 0; e <= d; e++) run_d[e*AddrBits +: AddrBits] = next;
            done = 1'b1;
          end else begin
            i_d[d*CountBits +: CountBits] = '0;
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      i_q   <= '0;
      n_q   <= {Dims{CountBits'(1)}};
      run_q <= '0;
      s_q   <= '0;
    end else if (load_i) begin
      i_q   <= '0;
      n_q   <= n_i;
      s_q   <= s_i;
      run_q <= {Dims{base_i}};
    end else begin
      i_q   <= i_d;
      run_q <= run_d;
    end
  end

endmodule
