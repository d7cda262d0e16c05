// rtl/seq: the sequencer (fetch, decode checks, dispatch, semaphores; docs/chip.md section 4).
+incdir+../include
-F ../isa/isa.f
seq_pkg.sv
pattern_range.sv
decode_vec.sv
decode_check.sv
fetch.sv
insn_queue.sv
sem_file.sv
sequencer.sv
