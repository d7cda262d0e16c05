// rtl/link: the chip-to-chip link layer (docs/links.md): CRC, and to come TX with replay, RX,
// credits, bring-up.
+incdir+../include
link_pkg.sv
link_crc32c.sv
