// rtl/isa: isa_pkg, the one owner of the instruction format in the RTL (docs/isa.md).
isa_pkg.sv
