// rtl/axi: the AXI4 arbiter and the AXI4 / AXI4-Lite protocol checkers (docs/chip.md sections 7, 9).
+incdir+../include
-F ../common/common.f
axi_rr_arb.sv
axi_arbiter.sv
axi_checker.sv
axil_checker.sv
