/// dap_walker: rtl/common/pattern_walker with four dims and one addition for the DMA address
/// walkers: beat skipping. load_i starts a pattern at base_i with counts n_i (dim d at
/// [16d +: 16], each >= 1) and address strides s_i (dim d at [d*AddrBits +: AddrBits], two's
/// complement, scaled to bytes); addr_o is the current element, last_o says it is the final one,
/// step_i moves on (ignored after the last). Addresses wrap modulo 2^AddrBits (every
/// intermediate value is an actual element address, which the static checks keep in range).
///
/// With skip_i at load (a dim 0 of consecutive elements, stride = the element size lg_i), a step
/// inside dim 0 jumps over the elements left in the current AXI beat of 2^BeatLg bytes: to the
/// first element of the next beat, or to the end of dim 0 if that comes first. The elements
/// skipped share the beat of the current one, so a consumer that only looks at beat and burst
/// boundaries (dap_iter's address side) sees the same boundaries at up to one beat per step.
/// Adders and a compare only (no multiplier). Latency: addr_o is valid the cycle after load_i
/// and after each step_i.
module dap_walker #(
  parameter int AddrBits = 36,
  parameter int BeatLg   = 5
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // Start a new pattern.
  input  logic                  load_i,
  input  logic [AddrBits-1:0]   base_i,
  input  logic [4*16-1:0]       n_i,
  input  logic [4*AddrBits-1:0] s_i,
  input  logic                  skip_i,
  input  logic [1:0]            lg_i,
  // Advance to the next element.
  input  logic                  step_i,
  // Current element.
  output logic [AddrBits-1:0]   addr_o,
  output logic                  last_o
);

  localparam int Dims = 4;

  // Per dim d: index i_q[d] and the start address of the current run of dims < d (run_q[d]);
  // run_q[0] is the element address.
  logic [Dims*16-1:0]       i_q, n_q;
  logic [Dims*AddrBits-1:0] run_q, s_q;
  logic [Dims-1:0]          at_end;
  logic                     skip_q;
  logic [1:0]               lg_q;

  for (genvar d = 0; d < Dims; d++) begin : gen_end
    assign at_end[d] = i_q[d*16 +: 16] == n_q[d*16 +: 16] - 16'd1;
  end
  assign last_o = &at_end;
  assign addr_o = run_q[AddrBits-1:0];

  // Elements of dim 0 to jump in one step: 1, or with skipping the elements up to the next
  // beat (((beat - offset) >> lg)), at most to the end of dim 0.
  logic [15:0]       adv0, to_beat, to_end;
  logic [BeatLg-1:0] left;  // beat bytes - 1 - offset of the current element in its beat
  assign left    = ~run_q[BeatLg-1:0];
  assign to_beat = {{(16-BeatLg){1'b0}}, left >> lg_q} + 16'd1;
  assign to_end  = n_q[15:0] - 16'd1 - i_q[15:0];
  assign adv0    = !skip_q ? 16'd1 : (to_beat < to_end) ? to_beat : to_end;

  logic [Dims*16-1:0]       i_d;
  logic [Dims*AddrBits-1:0] run_d;

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
            if (d == 0) begin
              next = run_q[AddrBits-1:0] + (skip_q ? AddrBits'(adv0) << lg_q : s_q[AddrBits-1:0]);
              i_d[15:0] = i_q[15:0] + adv0;
            end else begin
              next = run_q[d*AddrBits +: AddrBits] + s_q[d*AddrBits +: AddrBits];
              i_d[d*16 +: 16] = i_q[d*16 +: 16] + 16'd1;
            end
            for (int e = 0; e <= d; e++) run_d[e*AddrBits +: AddrBits] = next;
            done = 1'b1;
          end else begin
            i_d[d*16 +: 16] = '0;
          end
        end
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      i_q    <= '0;
      n_q    <= {Dims{16'd1}};
      run_q  <= '0;
      s_q    <= '0;
      skip_q <= 1'b0;
      lg_q   <= '0;
    end else if (load_i) begin
      i_q    <= '0;
      n_q    <= n_i;
      s_q    <= s_i;
      run_q  <= {Dims{base_i}};
      skip_q <= skip_i;
      lg_q   <= lg_i;
    end else begin
      i_q   <= i_d;
      run_q <= run_d;
    end
  end

endmodule
