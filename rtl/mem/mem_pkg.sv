/// mem_pkg: the geometry of the on-chip memories that their users derive their widths from
/// (docs/chip.md section 3). Referenced as `mem_pkg::name`; never imported with `::*` (yosys 0.23
/// rejects wildcard imports).
package mem_pkg;

  // The memories' row, which the DMA moves per partition and cycle (docs/dma.md section 3): one
  // AXI data beat, at least 8 bytes.
  function automatic int row_bytes(int axi_data_bits);
    row_bytes = (axi_data_bits > 64) ? axi_data_bits / 8 : 8;
  endfunction

  // PSUM banks per partition: 512 32-bit words (2 KiB) each, one bank below 2 KiB.
  function automatic int psum_banks(int psum_bytes);
    psum_banks = (psum_bytes / 4 < 512) ? 1 : psum_bytes / 4 / 512;
  endfunction

endpackage
