"""Renders rtl/host/csr_pkg.sv, the SystemVerilog package csr_pkg: the map's constants, then the
hardware interface of the register block (csrgen.hwif): csr_reg2hw_t, csr_hw2reg_t, the select
enum csr_sel_e and the decode functions."""

from __future__ import annotations

from . import hwif
from .common import HEADER, OUT_MD, REGEN_HINT, bits, comment
from .model import Map

def sv_hex(width: int, v: int) -> str:
    digits = max(1, (width + 3) // 4)
    text = f"{v:0{digits}X}"
    if digits > 4:  # group as 1234_5678 for readability
        text = f"{text[:-4]}_{text[-4:]}"
    return f"{width}'h{text}"



def render_sv(m: Map) -> str:
    aw = m.addr_width
    out = [
        f"// {HEADER}.",
        f"// {REGEN_HINT}",
        "",
        f"/// Host CSR map ({OUT_MD}): byte offsets in the {m.window_bytes}-byte {m.bus} window,",
        "/// field positions, reset values and performance-counter indices. Constants only; refer",
        "/// to them as csr_pkg::NAME. Registers whose reset is \"per configuration\" have no",
        "/// *_RESET constant: their value comes from the configuration parameters.",
        "package csr_pkg;",
        "",
        "  // Every block that uses the map needs only a few of these constants; Verilator -Wall",
        "  // would report the rest as unused in every module that refers to the package.",
        "  /* verilator lint_off UNUSEDPARAM */",
        "",
        f"  localparam int unsigned CSR_ADDR_WIDTH = {aw};",
        "  localparam int unsigned CSR_DATA_WIDTH = 32;",
    ]
    for r in m.registers:
        p = f"CSR_{r.name}"
        out.append("")
        if r.counter:
            out += comment("  ", f"0x{r.offset:03X} {r.name} (64-bit counter, ro): {r.desc}")
            out.append(f"  localparam logic [{aw - 1}:0] {p}_LO_OFFSET = {sv_hex(aw, r.offset)};")
            out.append(f"  localparam logic [{aw - 1}:0] {p}_HI_OFFSET = "
                       f"{sv_hex(aw, r.offset + 4)};")
            out.append(f"  localparam int unsigned CSR_CNT_{r.name} = {r.counter_index};")
            continue
        what = f"{r.name}[0..{r.count - 1}]" if r.is_array else r.name
        out += comment("  ", f"0x{r.offset:03X} {what} ({r.access}): {r.desc}")
        out.append(f"  localparam logic [{aw - 1}:0] {p}_OFFSET = {sv_hex(aw, r.offset)};"
                   + ("  // element 0" if r.is_array else ""))
        if r.is_array:
            out.append(f"  localparam int unsigned {p}_COUNT = {r.count};")
            out.append(f"  localparam int unsigned {p}_STRIDE = {r.stride};")
        if r.reset is None:
            out.append("  // reset: per configuration")
        else:
            out.append(f"  localparam logic [31:0] {p}_RESET = {sv_hex(32, r.reset)};")
        for kind in ("rw", "w1c", "w1s"):
            mask = r.access_mask(kind)
            if mask:
                out.append(f"  localparam logic [31:0] {p}_{kind.upper()}_MASK = "
                           f"{sv_hex(32, mask)};")
        for f in r.fields:
            q = f"{p}_{f.name}"
            out += comment("  ", f"{bits(f)} {f.name} ({f.access}): {f.desc}")
            out.append(f"  localparam int unsigned {q}_LSB = {f.lsb};")
            out.append(f"  localparam int unsigned {q}_WIDTH = {f.width};")
            out.append(f"  localparam logic [31:0] {q}_MASK = {sv_hex(32, f.mask)};")
            if f.reset is not None:
                out.append(f"  localparam logic [{f.width - 1}:0] {q}_RESET = "
                           f"{sv_hex(f.width, f.reset)};")
    counters = m.counters
    if counters:
        out += [
            "",
            "  // Performance counters: CSR_CNT_<NAME> indexes a contiguous block of 64-bit",
            "  // counters, LO at CSR_CNT_BASE_OFFSET + CSR_CNT_STRIDE * index, HI 4 bytes above.",
            f"  localparam int unsigned CSR_NUM_COUNTERS = {len(counters)};",
            f"  localparam logic [{aw - 1}:0] CSR_CNT_BASE_OFFSET = "
            f"{sv_hex(aw, counters[0].offset)};",
            "  localparam int unsigned CSR_CNT_STRIDE = 8;",
        ]
    out += render_hwif(m)
    out += ["", "  /* verilator lint_on UNUSEDPARAM */", "", "endpackage", ""]
    return "\n".join(out)


def _struct(name: str, desc: str, leaves: list[hwif.Leaf]) -> list[str]:
    out = comment("  ", desc)
    out.append("  typedef struct packed {")
    for leaf in leaves:
        decl = "logic" if leaf.width == 1 else f"logic [{leaf.width - 1}:0]"
        out.append(f"    {decl} {leaf.name};  // {leaf.desc}")
    out.append(f"  }} {name};")
    return out


def _member_decl(mb: hwif.Member) -> tuple[str, str]:
    """The declaration of a member of the top-level struct, and its comment."""
    if mb.count > 1:
        what = (f"{mb.desc} at [{mb.elem_width}*i +: {mb.elem_width}]"
                + (f" ({mb.typedef})" if mb.typedef else ""))
        return f"logic [{mb.width - 1}:0] {mb.name};", what
    if mb.typedef:
        return f"{mb.typedef} {mb.name};", mb.desc
    return f"logic [{mb.width - 1}:0] {mb.name};", mb.desc


def render_hwif(m: Map) -> list[str]:
    aw = m.addr_width
    ifc = hwif.interface(m)
    sels = hwif.selects(m)
    sw = hwif.sel_width(m)
    iw = hwif.idx_width(m)
    out = [
        "",
        "  // ---- hardware interface of the register block (docs/csr.md) " + "-" * 26,
        "  // Arrays are flat vectors, element i at [W*i +: W] (never packed arrays of structs, of",
        "  // which yosys 0.23 builds element 0 only). Fields are packed from the lowest bit.",
        "",
        f"  localparam int unsigned CSR_IDX_WIDTH = {iw};  // element index of the decode",
    ]
    for r in m.registers:
        if r.hw == "external":
            out.append(f"  localparam int unsigned CSR_{r.name}_IDX_WIDTH = {hwif.clog2(r.count)};")
    if m.counters:
        out.append(f"  localparam int unsigned CSR_CNT_IDX_WIDTH = {hwif.clog2(len(m.counters))};")
    for direction in (hwif.REG2HW, hwif.HW2REG):
        for mb in ifc.members(direction):
            if mb.reg is not None and mb.reg.hw != "external":
                out.append(f"  localparam int unsigned CSR_{mb.reg.name}_HW_WIDTH = "
                           f"{mb.elem_width};  // {direction}.{mb.name}, per element")

    for direction, title, what in (
            (hwif.REG2HW, "csr_reg2hw_t", "Register block to hardware: register values, "
             "command pulses, external writes and read indices."),
            (hwif.HW2REG, "csr_hw2reg_t", "Hardware to register block: the values of "
             "hardware-owned registers, events that set w1c bits, external read data.")):
        members = ifc.members(direction)
        for mb in members:
            if mb.typedef:
                one = "One element of " if mb.count > 1 else ""
                out.append("")
                out += _struct(mb.typedef, f"{one}{direction}.{mb.name}: {mb.desc}.", mb.leaves)
        out.append("")
        total = sum(mb.width for mb in members)
        out += comment("  ", f"{what} {total} bits.")
        out.append("  typedef struct packed {")
        if not members:
            out.append("    logic unused;  // no register of the map is in this direction")
        for mb in members:
            decl, desc = _member_decl(mb)
            out.append(f"    {decl}  // {desc}")
        out.append(f"  }} {title};")

    out += [
        "",
        "  // Register select of a decoded offset: one per register (arrays: the element index",
        "  // comes from csr_decode_idx), the counter block has one for LO and one for HI words.",
        "  typedef enum logic [" + str(sw - 1) + ":0] {",
    ]
    pad = max(len(s.name) for s in sels)
    for k, s in enumerate(sels):
        sep = "," if k + 1 < len(sels) else " "
        out.append(f"    {s.name:<{pad}} = {sw}'d{s.value}{sep} // {s.comment}")
    out.append("  } csr_sel_e;")

    # The decode: compares against literal offsets (enumerators are written with the package
    # prefix: yosys 0.23 does not resolve a bare enumerator inside a package function).
    def lit(v: int) -> str:
        return f"{aw}'h{v:03X}"

    sel_of = {s.reg.name: s.name for s in sels if s.reg is not None}
    dsel = [
        "",
        "  // Select of the word at byte offset a (bits [1:0] zero: callers pass",
        "  // {addr[AW-1:2], 2'b00}); CSR_SEL_NONE when no register is there.",
        f"  function automatic csr_sel_e csr_decode_sel(logic [{aw - 1}:0] a);",
        "    csr_decode_sel = csr_pkg::CSR_SEL_NONE;",
    ]
    didx = [
        "",
        "  // Element index of the word at byte offset a: i of an array element NAME[i], the",
        "  // counter index (CSR_CNT_<NAME>) of a counter word, 0 otherwise.",
        f"  function automatic logic [{iw - 1}:0] csr_decode_idx(logic [{aw - 1}:0] a);",
        f"    csr_decode_idx = {iw}'d0;",
    ]
    counters_done = False
    for r in m.registers:
        if r.counter:
            if counters_done:
                continue
            counters_done = True
            first = m.counters[0].offset
            last = m.counters[-1].offset + 4
            lo, hi = (hwif.SEL_CNT_LO, hwif.SEL_CNT_HI)
            if first & 4:
                lo, hi = hi, lo
            dsel.append(f"    // the counters, 0x{first:03X}..0x{last:03X}: LO and HI words "
                        "alternate")
            dsel.append(f"    if (a >= {lit(first)} && a <= {lit(last)})")
            dsel.append(f"      csr_decode_sel = a[2] ? csr_pkg::{hi} : csr_pkg::{lo};")
            didx.append(f"    if (a >= {lit(first)} && a <= {lit(last)}) csr_decode_idx = "
                        f"{iw}'((a - {lit(first)}) >> 3);  // counters")
            continue
        sel = f"csr_pkg::{sel_of[r.name]}"
        if not r.is_array:
            dsel.append(f"    if (a == {lit(r.offset)}) csr_decode_sel = {sel};")
            continue
        last = r.offset + (r.count - 1) * r.stride
        if r.stride == 4:  # a contiguous block: a range
            dsel.append(f"    if (a >= {lit(r.offset)} && a <= {lit(last)}) csr_decode_sel = "
                        f"{sel};  // {r.name}[0..{r.count - 1}]")
            didx.append(f"    if (a >= {lit(r.offset)} && a <= {lit(last)}) csr_decode_idx = "
                        f"{iw}'((a - {lit(r.offset)}) >> 2);  // {r.name}[i]")
            continue
        offsets = [r.offset + i * r.stride for i in range(r.count)]
        dsel.append(f"    // {r.name}[0..{r.count - 1}]")
        for k in range(0, len(offsets), 4):  # four compares a line
            cond = " || ".join(f"a == {lit(o)}" for o in offsets[k:k + 4])
            dsel.append(("    if (" if k == 0 else "        ") + cond
                        + (")" if k + 4 >= len(offsets) else " ||"))
        dsel.append(f"      csr_decode_sel = {sel};")
        for i, o in enumerate(offsets):
            didx.append(f"    if (a == {lit(o)}) csr_decode_idx = {iw}'d{i};  // {r.name}[{i}]")
    dsel.append("  endfunction")
    didx.append("  endfunction")
    return out + dsel + didx
