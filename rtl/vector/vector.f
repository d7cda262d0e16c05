// rtl/vector: the vector/activation engine (docs/vector_engine.md; being built, issue 14). So far
// vec_pkg (the element conversions, ALU and MA operation of a lane), vec_act_pkg (the built-in
// activations as stages), vec_act_chain (one lane's function chain), vec_reader and vec_writer (the operand
// streams through the crossbars' block requests), vec_engine (the first engine: COPY, TENSOR_TENSOR,
// TENSOR_SCALAR, IOTA, SELECT).
+incdir+../include
-F ../numerics/numerics.f
-F ../isa/isa.f
-F ../common/common.f
vec_pkg.sv
vec_act_pkg.sv
vec_act_chain.sv
vec_reader.sv
vec_writer.sv
vec_lane.sv
vec_tail.sv
vec_engine.sv
