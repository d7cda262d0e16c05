// rtl/numerics: fp32 adder, bf16/fp8 multipliers, int8 MAC, casts, and the vector engine's fp32
// operations (fp32_ops_pkg; docs/numerics.md).
+incdir+../include
numerics_pkg.sv
fp32_ops_pkg.sv
fp32_add.sv
bf16_mul.sv
fp8_mul.sv
int8_mac.sv
fp32_to_bf16.sv
fp32_to_fp8.sv
fp32_to_int8.sv
