// rtl/tensor: the PE array, the tensor engine and the tensor unit around it
// (docs/tensor_engine.md, docs/chip.md section 5).
+incdir+../include
-F ../common/common.f
-F ../numerics/numerics.f
-F ../isa/isa.f
tensor_pkg.sv
pe.sv
pe_array.sv
tensor_engine.sv
psum_accum.sv
pe_ctrl.sv
tap_reader.sv
out_mapper.sv
tensor_unit.sv
