// rtl/link: the chip-to-chip link layer (docs/links.md): CRC, TX with the replay buffer, RX with
// the RX buffers, the protocol, and the port that joins them.
+incdir+../include
link_pkg.sv
link_crc32c.sv
link_tx.sv
link_rx.sv
link_ctrl.sv
link_counters.sv
link_port.sv
