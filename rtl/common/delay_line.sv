/// delay_line: a Depth-stage shift register that advances when en_i is high.
/// Latency: Depth enabled cycles (Depth >= 1). Reset clears every stage (valid bits ride in it).
/// Used for the tensor engine's input skew, output de-skew and metadata pipeline.
module delay_line #(
  parameter int Width = 8,
  parameter int Depth = 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  // Shift enable (the pipeline's global advance).
  input  logic             en_i,
  // Data in, and out Depth enabled cycles later.
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  // Stage i at bits [i*Width +: Width]; stage Depth-1 is the output.
  // The shift is written inside the clocked block, not as an always_comb next state: Verilator
  // then copies the stages only on an enabled clock edge, instead of recomputing a Depth*Width
  // next-state vector every time an input of en_i changes (docs/performance.md).
  logic [Depth*Width-1:0] stages_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      stages_q <= '0;
    end else if (en_i) begin
      stages_q[Width-1:0] <= d_i;
      for (int i = 1; i < Depth; i++) begin
        stages_q[i*Width +: Width] <= stages_q[(i-1)*Width +: Width];
      end
    end
  end

  assign q_o = stages_q[(Depth-1)*Width +: Width];

endmodule
