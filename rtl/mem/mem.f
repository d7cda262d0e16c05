// rtl/mem: SBUF, PSUM and the crossbar in front of them (docs/chip.md section 3).
+incdir+../include
-F ../numerics/numerics.f
mem_pkg.sv
sbuf.sv
psum.sv
mem_xbar.sv
