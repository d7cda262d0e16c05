/// pe: one processing element of the weight-stationary array (docs/tensor_engine.md).
/// psum_o = act ? psum_i + w * x : psum_i, registered; x and the control word are registered
/// towards the right neighbour. Multiplies int8 (int32 wrap accumulate, int8_mac_f), bf16 and
/// fp8-e4m3 (exact fp32 product, fp32_add_f accumulate); a dtype disabled by parameter has no
/// logic. Two stationary registers: the control word's bsel picks the one in use, the other
/// is written through w_we_i / w_buf_i while the array streams.
/// Latency: 1 enabled cycle. No reset: pure datapath, validity travels outside the array.
/// Written for Verilator speed: masks instead of `?:`; each unit is a gated numerics_pkg
/// function (*_en_f) evaluated only when its dtype's control bit is set.
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

  // Each dtype's unit is a gated numerics_pkg function (*_en_f) enabled by its control bit: the
  // Verilated model then evaluates only the unit of the active dtype (an int8 PE skips the fp
  // path entirely), and a disabled unit returns 0. The calls sit at the top level of their
  // always_comb, never under an `if`: that keeps the functions' temporaries C++ locals and the
  // PE code identical across instances (numerics_pkg, docs/performance.md). A dtype disabled by
  // parameter has no generate block, hence no logic.

  // ---- int8: int8_mac_en_f, only for an active int8 element -----------------------------------
  if (EnableInt8 != 0) begin : gen_int8
    always_comb begin
      int_term = numerics_pkg::int8_mac_en_f(act && ctrl_i[tensor_pkg::CTRL_INT], psum_i, w[7:0],
                                             x_i[7:0]);
    end
  end else begin : gen_no_int8
    assign int_term = 32'd0;
  end

  // ---- floating point: one fp32 adder shared by the bf16 and fp8 multipliers ----------------
  if ((EnableBf16 != 0) || (EnableFp8 != 0)) begin : gen_fp
    logic [31:0] prod_bf16, prod_fp8;
    if (EnableBf16 != 0) begin : gen_bf16
      always_comb begin
        prod_bf16 = numerics_pkg::bf16_mul_en_f(act && ctrl_i[tensor_pkg::CTRL_BF16], w[15:0],
                                                x_i[15:0]);
      end
    end else begin : gen_no_bf16
      assign prod_bf16 = 32'd0;
    end
    if (EnableFp8 != 0) begin : gen_fp8
      always_comb begin
        prod_fp8 = numerics_pkg::fp8_mul_en_f(act && ctrl_i[tensor_pkg::CTRL_FP8], w[7:0],
                                              x_i[7:0]);
      end
    end else begin : gen_no_fp8
      assign prod_fp8 = 32'd0;
    end
    // An idle multiplier gives 0, so OR-ing the products selects.
    always_comb begin
      fp_term = numerics_pkg::fp32_add_en_f(
          act && (ctrl_i[tensor_pkg::CTRL_BF16] || ctrl_i[tensor_pkg::CTRL_FP8]), psum_i,
          prod_bf16 | prod_fp8);
    end
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
