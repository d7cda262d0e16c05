// rtl/vector: the vector/activation engine (docs/vector_engine.md):
// vec_pkg (the element conversions, ALU and MA operation of a lane), vec_act_pkg (the activation
// functions as stages), vec_act_chain (one lane's function chain and table RAM), vec_run_walker
// (the rows of a TAP, ahead of its elements), vec_reader and vec_writer (the operand streams
// through the crossbars' block requests), vec_lane and vec_tail (a lane's first and last stage),
// vec_lanes (the P lanes), vec_table_load (TABLE_LOAD's checks, the tables' headers),
// vec_mem_route (the streams to SBUF or PSUM), vec_decode (one instruction's kind and path),
// vec_tap_range and vec_hazard (the read-after-write check between instructions), vec_ctl (the
// control: phases, overlap, the sequencer's slot), vec_iota (IOTA's elements), vec_engine
// (every vector instruction; chip_top's VEC slot).
+incdir+../include
-F ../numerics/numerics.f
-F ../isa/isa.f
-F ../common/common.f
vec_pkg.sv
vec_act_pkg.sv
vec_act_chain.sv
vec_run_walker.sv
vec_reader.sv
vec_writer.sv
vec_lane.sv
vec_tail.sv
vec_table_load.sv
vec_lanes.sv
vec_mem_route.sv
vec_decode.sv
vec_tap_range.sv
vec_hazard.sv
vec_ctl.sv
vec_iota.sv
vec_engine.sv
