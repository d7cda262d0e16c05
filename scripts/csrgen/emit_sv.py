"""Renders rtl/host/csr_pkg.sv, the SystemVerilog package csr_pkg (localparams only)."""

from __future__ import annotations

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
    out += ["", "  /* verilator lint_on UNUSEDPARAM */", "", "endpackage", ""]
    return "\n".join(out)
