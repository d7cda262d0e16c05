"""Generator of the Systole host register map; the entry point is scripts/gen_csr.py.

load_map reads and validates rtl/host/csr_map.json into a Map; render_all renders the three
outputs (rtl/host/csr_pkg.sv, the C++ header, docs/csr.md) from it.
"""

from .cli import main, render_all
from .load import load_map
from .model import Map, SourceError

__all__ = ["Map", "SourceError", "load_map", "main", "render_all"]
