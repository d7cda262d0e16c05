/// pe_array: Partitions x Columns PEs, weight stationary (docs/tensor_engine.md).
/// Row k takes its moving element and control word at the left (x_i / ctrl_i lane k, already
/// skewed by k cycles by the caller) and passes them right one PE per cycle; partial sums start
/// at zero above row 0 and move down one row per cycle; column m's sum leaves at psum_o lane m.
/// Element n entering row k at tick n + k reaches PE(k, m) at tick n + k + m and its column
/// sum leaves column m at tick n + P + m.
/// Stationary writes: w_data_i lane k goes to row k of every column whose w_we_i bit is set.
module pe_array #(
  parameter int Partitions = 16,
  parameter int Columns    = 16,
  parameter int EnableInt8 = 1,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int LaneBits   = (EnableBf16 != 0) ? 16 : 8
) (
  input  logic                                       clk_i,
  // Pipeline advance.
  input  logic                                       en_i,
  // Stationary write: one column (one-hot w_we_i), buffer w_buf_i, one lane per row.
  input  logic [Columns-1:0]                         w_we_i,
  input  logic                                       w_buf_i,
  input  logic [Partitions*LaneBits-1:0]             w_data_i,
  // Moving elements and control words entering each row.
  input  logic [Partitions*LaneBits-1:0]             x_i,
  input  logic [Partitions*tensor_pkg::CTRL_W-1:0]   ctrl_i,
  // Column sums leaving the bottom row, one 32-bit word per column.
  output logic [Columns*32-1:0]                      psum_o
);

  localparam int P  = Partitions;
  localparam int C  = Columns;
  localparam int XW = LaneBits;
  localparam int CW = tensor_pkg::CTRL_W;

  // Outputs of PE(k, m) at index k * C + m. The last column's x/ctrl outputs go nowhere.
  // Not traced: each PE's ports are (in u_pe); a traced model would otherwise rebuild these
  // 8192-bit concatenations of every PE's outputs every cycle, traced or not (3.6x slower).
  /* verilator tracing_off */
  /* verilator lint_off UNUSEDSIGNAL */
  logic [P*C*XW-1:0] x_q;
  logic [P*C*CW-1:0] ctrl_q;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [P*C*32-1:0] psum_q;
  /* verilator tracing_on */

  for (genvar k = 0; k < P; k++) begin : gen_row
    for (genvar m = 0; m < C; m++) begin : gen_col
      logic [XW-1:0] x_in;
      logic [CW-1:0] ctrl_in;
      logic [31:0]   psum_in;
      if (m == 0) begin : gen_left
        assign x_in    = x_i[k*XW +: XW];
        assign ctrl_in = ctrl_i[k*CW +: CW];
      end else begin : gen_inner
        assign x_in    = x_q[(k*C + m - 1)*XW +: XW];
        assign ctrl_in = ctrl_q[(k*C + m - 1)*CW +: CW];
      end
      if (k == 0) begin : gen_top
        assign psum_in = 32'd0;  // +0.0 / integer 0
      end else begin : gen_below
        assign psum_in = psum_q[((k - 1)*C + m)*32 +: 32];
      end
      pe #(
        .LaneBits  (XW),
        .EnableInt8(EnableInt8),
        .EnableBf16(EnableBf16),
        .EnableFp8 (EnableFp8)
      ) u_pe (
        .clk_i   (clk_i),
        .en_i    (en_i),
        .w_we_i  (w_we_i[m]),
        .w_buf_i (w_buf_i),
        .w_data_i(w_data_i[k*XW +: XW]),
        .x_i     (x_in),
        .ctrl_i  (ctrl_in),
        .x_o     (x_q[(k*C + m)*XW +: XW]),
        .ctrl_o  (ctrl_q[(k*C + m)*CW +: CW]),
        .psum_i  (psum_in),
        .psum_o  (psum_q[(k*C + m)*32 +: 32])
      );
    end
  end

  assign psum_o = psum_q[(P - 1)*C*32 +: C*32];

endmodule
