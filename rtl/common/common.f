// rtl/common: small primitives shared by every block.
// File list format (every .f under rtl/): one path per line relative to this file, `-F other.f`
// to include a list this block depends on, `+incdir+dir` for `include directories, // comments.
// Packages first, then modules; scripts/rtl_files.py expands a list (depth first, each file
// once) for the tools that take a flat list.
+incdir+../include
fifo.sv
delay_line.sv
pattern_walker.sv
stream_fork.sv
