"""Renders docs/csr.md, the register map document (intro + generated tables)."""

from __future__ import annotations

import re
import textwrap

from . import hwif
from .common import HEADER, REGEN_HINT, bits, hex32
from .model import ACCESS, HW, HW_FOR_ACCESS, Field, Map, Register

def field_reset_text(f: Field) -> str:
    if f.reset is None:
        return "per configuration"
    if f.width <= 3:
        return str(f.reset)
    return f"0x{f.reset:0{(f.width + 3) // 4}X}"


def reg_reset_text(r: Register) -> str:
    return "per configuration" if r.reset is None else hex32(r.reset)


def offset_text(r: Register) -> str:
    if r.counter:
        return f"0x{r.offset:03X} / 0x{r.offset + 4:03X}"
    if r.is_array:
        return f"0x{r.offset:03X} + 0x{r.stride:X}*i"
    return f"0x{r.offset:03X}"


def md_text(s: str) -> str:
    """Plain description text for markdown: keep | and * from acting as table/emphasis syntax."""
    return s.replace("|", "\\|").replace("*", "\\*")


def render_md(m: Map) -> str:
    intro = m.intro.strip("\n")
    numbers = [int(n) for n in re.findall(r"^## (\d+)\.", intro, flags=re.M)]
    next_no = [max(numbers) + 1 if numbers else 0]

    def heading(title: str) -> str:
        if not next_no[0]:
            return f"## {title}"
        text = f"## {next_no[0]}. {title}"
        next_no[0] += 1
        return text

    out = [
        f"<!-- {HEADER}. -->",
        f"<!-- {REGEN_HINT} -->",
        "",
        intro,
        "",
        heading("Access types"),
        "",
        "| access | meaning |",
        "|---|---|",
    ]
    for key, (_, _, meaning) in ACCESS.items():
        out.append(f"| `{key}` | {md_text(meaning)} |")

    out += [
        "",
        heading("Register summary"),
        "",
        f"Offsets are byte offsets in the {m.window_bytes}-byte window. `NAME[i]` is an array "
        "element; counters are 64 bits wide as a `_LO` / `_HI` pair.",
        "",
        "| offset | name | access | reset | description |",
        "|---|---|---|---|---|",
    ]
    for r in m.registers:
        if r.counter:
            name = f"`{r.name}_LO` / `{r.name}_HI`"
        elif r.is_array:
            name = f"`{r.name}[i]`, i = 0..{r.count - 1}"
        else:
            name = f"`{r.name}`"
        reset = "0" if r.counter else reg_reset_text(r)
        out.append(f"| `{offset_text(r)}` | {name} | {r.access} | {reset} | {md_text(r.desc)} |")

    out += ["", heading("Register details"), ""]
    for r in m.registers:
        if not (r.fields or r.doc):
            continue
        where = f"`{offset_text(r)}`" + (f", i = 0..{r.count - 1}" if r.is_array else "")
        title = f"{r.name}[i]" if r.is_array else r.name
        out.append(f"### {title} ({where}, {r.access})")
        out.append("")
        out.append(md_text(r.doc or r.desc))
        out.append("")
        if r.reset is not None:
            out.append(f"Reset value: `{hex32(r.reset)}`.")
        else:
            out.append("Reset value: per configuration.")
        out.append("")
        if not r.fields:
            continue
        out += ["| bits | field | access | reset | description |", "|---|---|---|---|---|"]
        bit = 0
        rows = []
        for f in sorted(r.fields, key=lambda f: f.lsb):
            if f.lsb > bit:
                rows.append((bit, f.lsb - 1))
            rows.append(f)
            bit = f.lsb + f.width
        if bit < 32:
            rows.append((bit, 31))
        for row in rows:
            if isinstance(row, Field):
                out.append(f"| {bits(row)} | `{row.name}` | {row.access} | "
                           f"{field_reset_text(row)} | {md_text(row.desc)} |")
            else:
                lo, hi = row
                span = f"[{lo}]" if lo == hi else f"[{hi}:{lo}]"
                out.append(f"| {span} | - | reserved | 0 | Reads 0; writes ignored. |")
        out.append("")

    counters = m.counters
    if counters:
        out += [
            "### Performance counter indices",
            "",
            "The RTL keeps the counters in one array indexed as below "
            "(`csr_pkg::CSR_CNT_<NAME>`, `systole::regs::<name>::kIndex`).",
            "",
            "| index | counter | LO | HI |",
            "|---|---|---|---|",
        ]
        for r in counters:
            out.append(f"| {r.counter_index} | `{r.name}` | `0x{r.offset:03X}` | "
                       f"`0x{r.offset + 4:03X}` |")
        out.append("")

    out += render_hwif_md(m, heading)
    return "\n".join(out).rstrip("\n") + "\n"


# Prose of the hardware-interface section; {defaults} is filled in from HW_FOR_ACCESS.
HWIF_INTRO = (
    "The register block `rtl/host/csr_regs.sv` meets the rest of the core through two packed "
    "structs that `scripts/gen_csr.py` generates into `csr_pkg`, in the spirit of the "
    "reg2hw/hw2reg pattern of register generators: `csr_pkg::csr_reg2hw_t`, everything the "
    "register block drives (`reg2hw_o`), and `csr_pkg::csr_hw2reg_t`, everything the core drives "
    "(`hw2reg_i`). `chip_top` unpacks them to the ports of the sequencer and the performance "
    "counters. The key `hw` of a register in the JSON says where it goes (default: {defaults}):")
HWIF_LAYOUT = (
    "A member is named after its register in lower case. A register with fields is a nested "
    "packed struct (`csr_<dir>_<reg>_t`) of the fields that take part, named after them; without "
    "fields it is a 32-bit vector. An array register is one flat vector, element i at "
    "`[W*i +: W]` (`W` = `csr_pkg::CSR_<REG>_HW_WIDTH`), never a packed array of structs, which "
    "yosys 0.23 would build as element 0 only. Fields are packed from the lowest bit. Registers "
    "with `hw` `none` and the reserved bits are not in the structs; the bus rules of section 1 "
    "(strobes, read-only bits, SLVERR) stay inside the register block.")
HWIF_DECODE = (
    "The address decode is generated too: `csr_pkg::csr_decode_sel(offset)` returns the register "
    "select `csr_pkg::csr_sel_e` (`CSR_SEL_<REG>`, one per register; the counters share "
    "`CSR_SEL_CNT_LO` and `CSR_SEL_CNT_HI`; `CSR_SEL_NONE` for an unmapped offset, which gets "
    "`SLVERR`), and `csr_pkg::csr_decode_idx(offset)` the element index (i of `NAME[i]`, the "
    "counter index of a counter word, 0 otherwise). Both take the byte offset with bits [1:0] "
    "zero.")
HWIF_ADDING = (
    "**Adding a register.** Add it to `rtl/host/csr_map.json` (with `hw` if the default is not "
    "right), run `python3 scripts/gen_csr.py`, and use its member in the one block that needs "
    "it: for a `reg2hw` value, connect `reg2hw.<reg>` in `chip_top` to that block; for an "
    "`hw2reg` value, drive `hw2reg.<reg>` there. `csr_regs` needs a line in its read case (and, "
    "for a writable register, its storage and write case) keyed by `CSR_SEL_<REG>`; its offsets, "
    "masks and decode all come from `csr_pkg`. Commit the JSON with the regenerated files.")


def _para(text: str) -> str:
    return textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False)


def render_hwif_md(m: Map, heading) -> list[str]:
    """The section on csr_pkg's hardware interface: the hw kinds, the struct members, the
    decode, and how a register is added."""
    ifc = hwif.interface(m)
    defaults = ", ".join(f"`{hw[0]}` for {acc}" for acc, hw in HW_FOR_ACCESS.items())
    out = [
        heading("Hardware interface (RTL)"),
        "",
        _para(HWIF_INTRO.format(defaults=defaults)),
        "",
        "| `hw` | allowed for | meaning |",
        "|---|---|---|",
    ]
    for kind, meaning in HW.items():
        allowed = ", ".join(acc for acc, kinds in HW_FOR_ACCESS.items() if kind in kinds)
        out.append(f"| `{kind}` | {allowed} | {md_text(meaning)} |")
    out += ["", _para(HWIF_LAYOUT), ""]
    for direction, title in ((hwif.REG2HW, "csr_reg2hw_t"), (hwif.HW2REG, "csr_hw2reg_t")):
        members = ifc.members(direction)
        total = sum(mb.width for mb in members)
        out += [f"`{title}` ({total} bits; the first member is the most significant):", "",
                "| member | bits | meaning |", "|---|---|---|"]
        for mb in members:
            shape = f"{mb.count} x {mb.elem_width}" if mb.count > 1 else str(mb.width)
            out.append(f"| `{mb.name}` | {shape} | {md_text(mb.desc)} |")
            for leaf in mb.leaves:
                where = " (per element)" if mb.count > 1 else ""
                out.append(f"| `{mb.name}.{leaf.name}`{where} | {leaf.width} | "
                           f"{md_text(leaf.desc)} |")
        out.append("")
    out += [_para(HWIF_DECODE), "", _para(HWIF_ADDING), ""]
    return out
