// rtl/dma: the DMA queue (docs/chip.md section 6).
+incdir+../include
-F ../common/common.f
-F ../numerics/numerics.f
-F ../isa/isa.f
-F ../mem/mem.f
dma_pkg.sv
dap_walker.sv
dap_iter.sv
dma_gearbox.sv
dma_buf.sv
dma_cast.sv
dma_rd.sv
dma_wr.sv
dma_queue.sv
