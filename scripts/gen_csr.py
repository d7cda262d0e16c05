#!/usr/bin/env python3
"""Generate the Systole host register map from its single source, rtl/host/csr_map.json.

Outputs (each starts with a GENERATED header; never edit them by hand):
  rtl/host/csr_pkg.sv                         SystemVerilog package csr_pkg: localparams, and the
                                              register block's hardware interface (csr_reg2hw_t,
                                              csr_hw2reg_t, csr_sel_e, csr_decode_sel/_idx)
  sw/regs/include/systole/regs/csr_map.hpp    C++20 header, namespace systole::regs
  docs/csr.md                                 the register map document

Usage:
  python3 scripts/gen_csr.py            validate and (re)write the outputs that changed
  python3 scripts/gen_csr.py --check    validate, regenerate in memory, exit 1 listing every
                                        output that differs from the file on disk
  --json PATH   read another JSON source (its intro_file is resolved next to it)
  --root DIR    tree whose outputs are written or checked (default: this repository)

Exit status: 0 ok, 1 outputs out of date (--check), 2 invalid source or bad arguments.

The implementation is the package scripts/csrgen/: model (data classes), load (reads and
normalizes the JSON), validate (problem collection, cross-register rules), naming (generated
identifiers), hwif (the structs, selects and decode of the hardware interface), emit_sv /
emit_cpp / emit_md (one per output), common (output paths and helpers shared by the emitters),
cli (this command line).

JSON schema (numbers are JSON integers or strings "0x..."; keys starting with "$" are comments):
  top level:   title (str), bus (str), data_width (must be 32), window_bytes (power of two),
               intro_file (markdown included at the top of docs/csr.md, path relative to the
               JSON), registers (list)
  register:    name      UPPER_SNAKE identifier, unique
               offset    byte offset, word aligned, inside the window
               access    "ro" | "rw" | "w1c" | "w1s" (see ACCESS below)
               reset     32-bit value, or "config" (set by the hardware configuration);
                         required without fields, derived from the fields otherwise
               desc      one-line description (printable ASCII)
               doc       optional longer text (str or list of lines) for docs/csr.md
               fields    optional list of fields (below); bits outside every field are reserved
               array     optional {"count": n, "stride": bytes}: elements NAME[0..n-1] at
                         offset + i * stride
               counter   optional true: a 64-bit counter taking NAME_LO at offset and NAME_HI
                         at offset + 4; counters must be ro, reset 0, without fields, and form
                         one contiguous block (8 bytes apart) in declaration order
               hw        optional, how the hardware sees the register (csrgen.model.HW,
                         docs/csr.md "Hardware interface"): "none" (ro default; or rw kept in
                         the register block), "reg2hw" (rw and w1s default), "hw2reg" (w1c
                         default; or ro driven by the hardware), "external" (an rw array stored
                         in the hardware); not allowed on counters
  field:       name, lsb, width, desc, access (default: the register's; "ro" always allowed),
               reset (default 0, or "config" inside a "config" register)
"""

import sys
from pathlib import Path

# Keep the source tree free of __pycache__ (tests and builds run this script); set before the
# package is imported.
sys.dont_write_bytecode = True
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from csrgen.cli import main  # noqa: E402  (needs the path and flag above)

if __name__ == "__main__":
    sys.exit(main())
