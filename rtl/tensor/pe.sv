/// pe: one processing element of the weight-stationary array (docs/tensor_engine.md).
/// psum_o = act ? psum_i + w * x : psum_i, registered; x and the control word are registered
/// towards the right neighbour. Multiplies int8 (int32 wrap accumulate, int8_mac), bf16 and
/// fp8-e4m3 (exact fp32 product, fp32_add accumulate); a dtype disabled by parameter has no
/// logic. Two stationary registers: the control word's bsel picks the one in use, the other
/// is written through w_we_i / w_buf_i while the array streams.
/// Latency: 1 enabled cycle. No reset: pure datapath, validity travels outside the array.
/// Written for Verilator speed: masks instead of `?:`, operands of idle units forced to zero.
module pe #(
  parameter int EnableInt8 = 1,
  parameter int EnableBf16 = 1,
  parameter int EnableFp8  = 1,
  parameter int LaneBits   = (EnableBf16 != 0) ? 16 : 8
) (
  input  logic                            clk_i,
  // Pipeline advance.
  input  logic                            en_i,
  // Stationary write: w_data_i into buffer w_buf_i when w_we_i (independent of en_i).
  input  logic                            w_we_i /* verilator public_flat_rd */,
  input  logic                            w_buf_i,
  input  logic [LaneBits-1:0]             w_data_i /* verilator public_flat_rd */,
  // Moving element and control word, in from the left and out to the right.
  input  logic [LaneBits-1:0]             x_i /* verilator public_flat_rd */,
  input  logic [tensor_pkg::CTRL_W-1:0]   ctrl_i /* verilator public_flat_rd */,
  output logic [LaneBits-1:0]             x_o,
  output logic [tensor_pkg::CTRL_W-1:0]   ctrl_o,
  // Partial sum, in from above and out below (fp32 or int32 bits).
  input  logic [31:0]                     psum_i /* verilator public_flat_rd */,
  output logic [31:0]                     psum_o
);

  // One C++ class for all P x C instances instead of P x C inlined copies: the generated model
  // is about 20x smaller and builds in seconds instead of minutes (docs/performance.md).
  /* verilator no_inline_module */
  // The per-instance inputs above are public_flat_rd so that Verilator keeps them as variables
  // of the PE instead of substituting the neighbours' signals into the PE's code: every
  // instance then has the same C++, which the C++ compiler folds into one copy (4x fewer
  // instruction-cache misses, docs/performance.md). en_i and w_buf_i are one shared signal.

  logic [LaneBits-1:0] w0_q, w1_q, w;
  logic                act;
  logic [31:0]         int_term, fp_term, psum_d;

  always_ff @(posedge clk_i) begin
    if (w_we_i && !w_buf_i) w0_q <= w_data_i;
    if (w_we_i &&  w_buf_i) w1_q <= w_data_i;
  end

  assign act = ctrl_i[tensor_pkg::CTRL_ACT];
  // Buffer select as a mask (bsel is constant for a whole MATMUL, but a mask costs nothing).
  assign w   = w0_q ^ ((w0_q ^ w1_q) & {LaneBits{ctrl_i[tensor_pkg::CTRL_BSEL]}});

  // ---- int8: int8_mac, operands zero unless this element is an active int8 one ---------------
  if (EnableInt8 != 0) begin : gen_int8
    logic        use_int;
    logic [31:0] mac;
    assign use_int = act & ctrl_i[tensor_pkg::CTRL_INT];
    int8_mac u_mac (
      .acc_i(psum_i & {32{use_int}}),
      .a_i  (w[7:0] & {8{use_int}}),
      .b_i  (x_i[7:0] & {8{use_int}}),
      .acc_o(mac)
    );
    assign int_term = mac & {32{use_int}};
  end else begin : gen_no_int8
    assign int_term = 32'd0;
  end

  // ---- floating point: one fp32 adder shared by the bf16 and fp8 multipliers ----------------
  if ((EnableBf16 != 0) || (EnableFp8 != 0)) begin : gen_fp
    logic        use_fp;
    logic [31:0] prod_bf16, prod_fp8, sum;
    if (EnableBf16 != 0) begin : gen_bf16
      logic use_bf16;
      assign use_bf16 = act & ctrl_i[tensor_pkg::CTRL_BF16];
      bf16_mul u_bf16_mul (
        .a_i   (w[15:0] & {16{use_bf16}}),
        .b_i   (x_i[15:0] & {16{use_bf16}}),
        .prod_o(prod_bf16)
      );
    end else begin : gen_no_bf16
      assign prod_bf16 = 32'd0;
    end
    if (EnableFp8 != 0) begin : gen_fp8
      logic use_fp8;
      assign use_fp8 = act & ctrl_i[tensor_pkg::CTRL_FP8];
      fp8_mul u_fp8_mul (
        .a_i   (w[7:0] & {8{use_fp8}}),
        .b_i   (x_i[7:0] & {8{use_fp8}}),
        .prod_o(prod_fp8)
      );
    end else begin : gen_no_fp8
      assign prod_fp8 = 32'd0;
    end
    // An idle multiplier with zero operands gives +0, so OR-ing the products selects.
    assign use_fp = act & (ctrl_i[tensor_pkg::CTRL_BF16] | ctrl_i[tensor_pkg::CTRL_FP8]);
    fp32_add u_add (
      .a_i  (psum_i & {32{use_fp}}),
      .b_i  (prod_bf16 | prod_fp8),
      .sum_o(sum)
    );
    assign fp_term = sum & {32{use_fp}};
  end else begin : gen_no_fp
    assign fp_term = 32'd0;
  end

  // An inactive row passes the partial sum through unchanged.
  assign psum_d = int_term | fp_term | (psum_i & {32{!act}});

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      x_o    <= x_i;
      ctrl_o <= ctrl_i;
      psum_o <= psum_d;
    end
  end

endmodule
