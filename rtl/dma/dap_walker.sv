/// dap_walker: the four nested counters of a DMA access pattern (docs/isa.md section 3), walked
/// one *chunk* per step (docs/dma.md section 3). load_i starts a pattern at base_i with counts
/// n_i (dim d at [16d +: 16], each >= 1) and strides s_i (dim d at [d*AddrBits +: AddrBits],
/// two's complement, already scaled to the combined address); addr_o is the first element of
/// the current chunk, cnt_o its number of elements, last_o says it is the final chunk; step_i
/// moves on (ignored after the last). Addresses wrap modulo 2^AddrBits (every intermediate value
/// is an actual element address, which the static checks keep in range).
///
/// Chunks, by mode_i (dma_pkg::WALK_*), latched at load:
///   ELEM:   one element per step.
///   RUN:    dim 0 is a run of consecutive elements (stride = the element size 2^lg_i bytes): a
///           chunk is the elements from the current one up to the next 2^unit_lg_i-byte
///           boundary, the end of dim 0, or lmax_i elements, whichever comes first.
///   COLUMN: dim 0 walks partitions with stride 1 (the partition field starts at bit PartLsb):
///           up to lmax_i consecutive partitions at one byte address, at most to the end of dim 0.
/// A chunk never spans a unit boundary (RUN) nor dim 0's end, so each is one access of its side.
/// Adders and compares only (no multiplier). Latency: addr_o is valid the cycle after load_i and
/// after each step_i.
module dap_walker #(
  parameter int AddrBits = 36,
  parameter int PartLsb  = 32,  // COLUMN steps add cnt << PartLsb
  parameter int CntBits  = 8    // chunk counts: lmax_i < 2^CntBits
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // Start a new pattern.
  input  logic                  load_i,
  input  logic [AddrBits-1:0]   base_i,
  input  logic [4*16-1:0]       n_i,
  input  logic [4*AddrBits-1:0] s_i,
  input  logic [1:0]            mode_i,
  input  logic [2:0]            unit_lg_i,  // RUN: log2 of the unit in bytes (<= 6)
  input  logic [1:0]            lg_i,       // log2 of the element size in bytes
  input  logic [CntBits-1:0]    lmax_i,     // elements per chunk at most (>= 1)
  // Advance to the next chunk.
  input  logic                  step_i,
  // Current chunk.
  output logic [AddrBits-1:0]   addr_o,
  output logic [CntBits-1:0]    cnt_o,
  output logic                  last_o
);

  localparam int Dims = 4;

  // Per dim d: index i_q[d] and the start address of the current run of dims < d (run_q[d]);
  // run_q[0] is the chunk's first element.
  logic [Dims*16-1:0]       i_q, n_q;
  logic [Dims*AddrBits-1:0] run_q, s_q;
  logic [Dims-1:0]          at_end;
  logic [1:0]               mode_q, lg_q;
  logic [5:0]               umask_q;    // unit bytes - 1 (RUN)
  logic [CntBits-1:0]       lmax_q;

  for (genvar d = 1; d < Dims; d++) begin : gen_end
    assign at_end[d] = i_q[d*16 +: 16] == n_q[d*16 +: 16] - 16'd1;
  end

  // The chunk: min(elements left in dim 0, lmax, RUN: elements up to the unit boundary).
  logic [15:0] to_end, to_unit, c;
  logic [5:0]  left;  // bytes after the current element's first byte to the unit's end
  assign to_end  = n_q[15:0] - i_q[15:0];
  assign left    = ~run_q[5:0] & umask_q;
  assign to_unit = {10'd0, left >> lg_q} + 16'd1;
  always_comb begin
    c = 16'd1;
    if (mode_q != dma_pkg::WALK_ELEM) begin
      c = {{(16-CntBits){1'b0}}, lmax_q};
      if (to_end < c) c = to_end;
      if (mode_q == dma_pkg::WALK_RUN && to_unit < c) c = to_unit;
    end
  end
  assign at_end[0] = c == to_end;  // the chunk reaches the end of dim 0
  assign last_o    = &at_end;
  assign addr_o    = run_q[AddrBits-1:0];
  assign cnt_o     = CntBits'(c);

  // Dim 0's step: the chunk's bytes (RUN), partitions (COLUMN) or the stride (ELEM).
  logic [AddrBits-1:0] adv0;
  assign adv0 = (mode_q == dma_pkg::WALK_RUN)    ? AddrBits'(c) << lg_q :
                (mode_q == dma_pkg::WALK_COLUMN) ? AddrBits'(c) << PartLsb : s_q[AddrBits-1:0];

  logic [Dims*16-1:0]       i_d;
  logic [Dims*AddrBits-1:0] run_d;

  // The lowest dim not at its end advances; the dims at their end below it wrap to 0, and every
  // run at or below it restarts at the new address. The next state depends on the registers
  // only; step_i selects it in the flop (keeps this logic out of the simulator's input-driven
  // evaluation, which runs on every half cycle when step_i comes from a port of the chip).
  always_comb begin
    logic                done;
    logic [AddrBits-1:0] next;
    i_d   = i_q;
    run_d = run_q;
    done  = 1'b0;
    next  = '0;
    for (int d = 0; d < Dims; d++) begin
      if (!done) begin
        if (!at_end[d]) begin
          if (d == 0) begin
            next = run_q[AddrBits-1:0] + adv0;
            i_d[15:0] = i_q[15:0] + c;
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

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      i_q     <= '0;
      n_q     <= {Dims{16'd1}};
      run_q   <= '0;
      s_q     <= '0;
      mode_q  <= dma_pkg::WALK_ELEM;
      lg_q    <= '0;
      umask_q <= '0;
      lmax_q  <= CntBits'(1);
    end else if (load_i) begin
      i_q     <= '0;
      n_q     <= n_i;
      s_q     <= s_i;
      run_q   <= {Dims{base_i}};
      mode_q  <= mode_i;
      lg_q    <= lg_i;
      umask_q <= 6'((7'd1 << unit_lg_i) - 7'd1);
      lmax_q  <= lmax_i;
    end else if (step_i && !last_o) begin
      i_q   <= i_d;
      run_q <= run_d;
    end
  end

endmodule
