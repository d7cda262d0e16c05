// rtl/top: chip_top, one Systole core (docs/chip.md).
+incdir+../include
-F ../common/common.f
-F ../numerics/numerics.f
-F ../isa/isa.f
-F ../axi/axi.f
-F ../mem/mem.f
-F ../tensor/tensor.f
-F ../vector/vector.f
-F ../dma/dma.f
-F ../seq/seq.f
-F ../host/host.f
chip_top.sv
