"""Renders docs/csr.md, the register map document (intro + generated tables)."""

from __future__ import annotations

import re

from .common import HEADER, REGEN_HINT, bits, hex32
from .model import ACCESS, Field, Map, Register

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
    return "\n".join(out).rstrip("\n") + "\n"
