/// dma_cast: the element conversion of a DMA (docs/isa.md DMA table, docs/numerics.md section
/// 4): raw bits when the dtypes are equal, else fp32 -> bf16 (DAZ, RNE, overflow to infinity,
/// NaN to 0x7FC0), fp32 -> fp8 e4m3 (DAZ, RNE, saturating to +-448, NaN to 0x7F) or int32 ->
/// int8 (saturating to [-128, 127]). The float casts are numerics_pkg's fp32_to_bf16_en_f and
/// fp32_to_fp8_en_f, enabled only for the mode in use and only while en_i (a row is being
/// converted): the Verilated model then evaluates no float cast in the cycles without one (a
/// queue has one lane per 4 bytes of its row). Combinational; the result is zero-extended to 32
/// bits, and is a_i itself (CAST_NONE) whatever en_i.
module dma_cast (
  input  logic        en_i,    // a conversion is wanted this cycle
  input  logic [31:0] a_i,     // source element (raw bits, zero-extended)
  input  logic [1:0]  mode_i,  // dma_pkg::CAST_*
  output logic [31:0] res_o    // destination element (raw bits, zero-extended)
);

  logic [15:0] bf16;
  logic [7:0]  fp8, int8;

  assign bf16 = numerics_pkg::fp32_to_bf16_en_f(en_i && (mode_i == dma_pkg::CAST_BF16), a_i);
  assign fp8  = numerics_pkg::fp32_to_fp8_en_f(en_i && (mode_i == dma_pkg::CAST_FP8), a_i);

  // Saturation: a non-negative value with any bit set above bit 6 is above 127; a negative one
  // with any bit clear above bit 6 is below -128.
  always_comb begin
    int8 = a_i[7:0];
    if (!a_i[31] && a_i[30:7] != '0) int8 = 8'h7F;
    if (a_i[31] && a_i[30:7] != '1)  int8 = 8'h80;
  end

  always_comb begin
    unique case (mode_i)
      dma_pkg::CAST_BF16: res_o = {16'd0, bf16};
      dma_pkg::CAST_FP8:  res_o = {24'd0, fp8};
      dma_pkg::CAST_INT8: res_o = {24'd0, int8};
      default:            res_o = a_i;
    endcase
  end

endmodule
