"""Problem collection and the rules that span several fields or registers.

Checker collects every problem so that one run reports all of them; csrgen.load uses it for the
per-item rules while it normalizes the JSON, then calls check_fields and check_map.
"""

from __future__ import annotations

import json
import re

from .model import CONFIG, Field, Map, Register, Word
from . import hwif
from .naming import SV_RESERVED, cxx_member_identifiers, sv_identifiers


class Checker:
    """Collects problems so that one run reports all of them."""

    def __init__(self):
        self.problems: list[str] = []

    def err(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

    def number(self, where: str, value, what: str, allow_config: bool = False):
        """A JSON integer or a "0x..."/decimal string; "config" when allowed. None on error."""
        if allow_config and value == CONFIG:
            return CONFIG
        if isinstance(value, bool):
            self.err(where, f"{what} must be a number, not {json.dumps(value)}")
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            text = value.replace("_", "")
            if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
                return int(text, 16)
            if re.fullmatch(r"[0-9]+", text):
                return int(text, 10)
        extra = ' or "config"' if allow_config else ""
        self.err(where, f"{what} must be an integer or a \"0x...\" string{extra}, "
                        f"got {json.dumps(value)}")
        return None

    def text(self, where: str, value, what: str, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = " ".join(v.strip() for v in value)
        if not isinstance(value, str) or not value.strip():
            self.err(where, f"{what} must be a non-empty string")
            return ""
        bad = [c for c in value if not (" " <= c <= "~")]
        if bad:
            self.err(where, f"{what} must be printable ASCII (found {bad[0]!r}); it is copied "
                            "into C++ and SystemVerilog sources")
            return ""
        return value.strip()

    def keys(self, where: str, obj: dict, allowed: set[str], required: set[str]) -> None:
        for k in obj:
            if k.startswith("$"):
                continue
            if k not in allowed:
                self.err(where, f"unknown key '{k}' (allowed: {', '.join(sorted(allowed))})")
        for k in sorted(required):
            if k not in obj:
                self.err(where, f"missing required key '{k}'")


def check_fields(ck: Checker, where: str, reg: Register) -> None:
    seen: dict[str, Field] = {}
    used = 0
    for f in reg.fields:
        if f.name in seen:
            ck.err(where, f"field name '{f.name}' is used twice")
        seen[f.name] = f
        if used & f.mask:
            others = [g.name for g in reg.fields if g is not f and g.mask & f.mask]
            ck.err(where, f"field '{f.name}' [{f.msb}:{f.lsb}] overlaps {', '.join(others)}")
        used |= f.mask
    if reg.fields and reg.access != "ro" and not any(f.access == reg.access for f in reg.fields):
        ck.err(where, f"register access is '{reg.access}' but no field has that access")


def check_map(ck: Checker, src: str, m: Map) -> None:
    names: dict[str, Register] = {}
    for r in m.registers:
        if r.name in names:
            ck.err(src, f"register name '{r.name}' is used twice")
        names[r.name] = r

    # Every mapped word, including array elements and counter halves.
    by_offset: dict[int, Word] = {}
    word_names: dict[str, Word] = {}
    for w in m.words():
        other = by_offset.get(w.offset)
        if other is not None:
            ck.err(src, f"offset 0x{w.offset:03X} is claimed by both {other.name} and {w.name}")
        else:
            by_offset[w.offset] = w
        if w.name in word_names and word_names[w.name].reg is not w.reg:
            ck.err(src, f"register word name '{w.name}' is generated twice "
                        f"(from '{word_names[w.name].reg.name}' and '{w.reg.name}')")
        word_names[w.name] = w

    # Counters: one contiguous block in declaration order, so the RTL decodes an index.
    counters = m.counters
    for k, r in enumerate(counters):
        r.counter_index = k
        if k and r.offset != counters[k - 1].offset + 8:
            want = counters[k - 1].offset + 8
            ck.err(src, f"counter '{r.name}' (index {k}) is at 0x{r.offset:03X}, expected "
                        f"0x{want:03X}: counters form one block, 8 bytes apart, in declaration "
                        f"order (after '{counters[k - 1].name}')")

    # The hardware interface structs: member names unique per struct, no SystemVerilog keyword.
    ifc = hwif.interface(m)
    for direction in (hwif.REG2HW, hwif.HW2REG):
        members: dict[str, str] = {}
        for mb in ifc.members(direction):
            owner = mb.reg.name if mb.reg is not None else "the counters"
            if mb.name in members:
                ck.err(src, f"csr_{direction}_t member '{mb.name}' is generated by both "
                            f"{members[mb.name]} and {owner}; rename the register")
            members.setdefault(mb.name, owner)
            for name in [mb.name] + [leaf.name for leaf in mb.leaves]:
                if name in SV_RESERVED:
                    ck.err(src, f"csr_{direction}_t member '{name}' (from {owner}) is a "
                                "SystemVerilog keyword; rename the register or field")

    # Generated identifiers must be unique in each output language.
    sv_names: dict[str, str] = {}
    for ident, owner in sv_identifiers(m):
        if ident in sv_names and sv_names[ident] != owner:
            ck.err(src, f"SystemVerilog name {ident} is generated by both '{sv_names[ident]}' "
                        f"and '{owner}'; rename one")
        sv_names.setdefault(ident, owner)
    for r in m.registers:
        cxx: dict[str, str] = {}
        for ident, owner in cxx_member_identifiers(r):
            if ident in cxx and cxx[ident] != owner:
                ck.err(src, f"C++ name {r.name.lower()}::{ident} is generated by both "
                            f"'{cxx[ident]}' and '{owner}'; rename one")
            cxx.setdefault(ident, owner)
