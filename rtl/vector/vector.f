// rtl/vector: the vector/activation engine (docs/vector_engine.md; being built, issue 14). So far
// vec_pkg, the element conversions and ALU of a lane.
+incdir+../include
-F ../numerics/numerics.f
-F ../isa/isa.f
vec_pkg.sv
