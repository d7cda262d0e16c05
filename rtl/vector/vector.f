// rtl/vector: the vector/activation engine (docs/vector_engine.md; being built, issue 14). So far
// vec_pkg (the element conversions and ALU of a lane) and vec_act_pkg (the built-in activations).
+incdir+../include
-F ../numerics/numerics.f
-F ../isa/isa.f
vec_pkg.sv
vec_act_pkg.sv
