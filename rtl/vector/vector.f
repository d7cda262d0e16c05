// rtl/vector: the vector/activation engine (docs/vector_engine.md; being built, issue 14). So far
// vec_pkg (the element conversions and ALU of a lane), vec_act_pkg (the built-in activations),
// vec_ma_stage (one stage of the lane's multiply-add chain), vec_reader and vec_writer (the operand
// streams through the crossbars' block requests), vec_engine (the first engine: COPY, TENSOR_TENSOR,
// TENSOR_SCALAR, IOTA, SELECT).
+incdir+../include
-F ../numerics/numerics.f
-F ../isa/isa.f
-F ../common/common.f
vec_pkg.sv
vec_act_pkg.sv
vec_ma_stage.sv
vec_reader.sv
vec_writer.sv
vec_lane.sv
vec_engine.sv
