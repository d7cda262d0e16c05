// rtl/host: the AXI4-Lite register block and the performance counters (docs/csr.md).
+incdir+../include
csr_pkg.sv
csr_regs.sv
perf_counters.sv
