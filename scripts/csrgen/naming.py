"""Identifiers the emitters generate, shared by the renderers and the collision checks."""

from __future__ import annotations

from . import hwif
from .model import Map, Register

# Lower-case register names become C++ namespaces next to these; keep them apart.
CXX_RESERVED = {
    "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char",
    "class", "const", "consteval", "constexpr", "constinit", "continue", "default", "delete",
    "do", "double", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
    "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "not",
    "or", "private", "protected", "public", "register", "return", "short", "signed", "sizeof",
    "static", "struct", "switch", "template", "this", "throw", "true", "try", "typedef",
    "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "while", "xor",
    "std", "find_register", "access_name", "detail",
}


# Register and field names become struct members and typedef names of csr_pkg in lower case;
# keep them apart from SystemVerilog keywords (the ones an UPPER_SNAKE name can spell).
SV_RESERVED = {
    "alias", "always", "always_comb", "always_ff", "always_latch", "and", "assert", "assign",
    "assume", "automatic", "before", "begin", "bind", "bins", "binsof", "bit", "break", "buf",
    "bufif0", "bufif1", "byte", "case", "casex", "casez", "cell", "chandle", "checker", "class",
    "clocking", "cmos", "config", "const", "constraint", "context", "continue", "cover",
    "covergroup", "coverpoint", "cross", "deassign", "default", "defparam", "design", "disable",
    "dist", "do", "edge", "else", "end", "endcase", "endchecker", "endclass", "endclocking",
    "endconfig", "endfunction", "endgenerate", "endgroup", "endinterface", "endmodule",
    "endpackage", "endprimitive", "endprogram", "endproperty", "endsequence", "endspecify",
    "endtable", "endtask", "enum", "event", "eventually", "expect", "export", "extends",
    "extern", "final", "first_match", "for", "force", "foreach", "forever", "fork", "forkjoin",
    "function", "generate", "genvar", "global", "highz0", "highz1", "if", "iff", "ifnone",
    "ignore_bins", "illegal_bins", "implements", "implies", "import", "incdir", "include",
    "initial", "inout", "input", "inside", "instance", "int", "integer", "interconnect",
    "interface", "intersect", "join", "join_any", "join_none", "large", "let", "liblist",
    "library", "local", "localparam", "logic", "longint", "macromodule", "matches", "medium",
    "modport", "module", "nand", "negedge", "nettype", "new", "nexttime", "nmos", "nor",
    "noshowcancelled", "not", "notif0", "notif1", "null", "or", "output", "package", "packed",
    "parameter", "pmos", "posedge", "primitive", "priority", "program", "property", "protected",
    "pull0", "pull1", "pulldown", "pullup", "pulsestyle_ondetect", "pulsestyle_onevent", "pure",
    "rand", "randc", "randcase", "randsequence", "rcmos", "real", "realtime", "ref", "reg",
    "reject_on", "release", "repeat", "restrict", "return", "rnmos", "rpmos", "rtran",
    "rtranif0", "rtranif1", "s_always", "s_eventually", "s_nexttime", "s_until",
    "s_until_with", "scalared", "sequence", "shortint", "shortreal", "showcancelled", "signed",
    "small", "soft", "solve", "specify", "specparam", "static", "string", "strong", "strong0",
    "strong1", "struct", "super", "supply0", "supply1", "sync_accept_on", "sync_reject_on",
    "table", "tagged", "task", "this", "throughout", "time", "timeprecision", "timeunit", "tran",
    "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg", "type", "typedef",
    "union", "unique", "unique0", "unsigned", "until", "until_with", "untyped", "use", "uwire",
    "var", "vectored", "virtual", "void", "wait", "wait_order", "wand", "weak", "weak0", "weak1",
    "while", "wildcard", "wire", "with", "within", "wor", "xnor", "xor",
}


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:].lower() for part in name.split("_"))


def sv_identifiers(m: Map):
    """Every package-level name of csr_pkg and who generates it (the hardware interface's names
    come from csrgen.hwif)."""
    yield "CSR_ADDR_WIDTH", "(global)"
    yield "CSR_DATA_WIDTH", "(global)"
    yield "CSR_NUM_COUNTERS", "(global)"
    yield "CSR_CNT_BASE_OFFSET", "(global)"
    yield "CSR_CNT_STRIDE", "(global)"
    yield "CSR_IDX_WIDTH", "(global)"
    yield "csr_reg2hw_t", "(global)"
    yield "csr_hw2reg_t", "(global)"
    yield "csr_sel_e", "(global)"
    yield "csr_decode_sel", "(global)"
    yield "csr_decode_idx", "(global)"
    if m.counters:
        yield "CSR_CNT_IDX_WIDTH", "(counters)"
    for s in hwif.selects(m):
        if s.reg is not None:
            yield s.name, s.reg.name
        else:
            yield s.name, "(global)" if s.name == hwif.SEL_NONE else "(counters)"
    ifc = hwif.interface(m)
    for direction in (hwif.REG2HW, hwif.HW2REG):
        for mb in ifc.members(direction):
            owner = mb.reg.name if mb.reg is not None else "(counters)"
            if mb.typedef:
                yield mb.typedef, owner
            if mb.reg is not None and mb.reg.hw != "external":
                yield f"CSR_{mb.reg.name}_HW_WIDTH", owner
    for r in m.registers:
        if r.hw == "external":
            yield f"CSR_{r.name}_IDX_WIDTH", r.name
    for r in m.registers:
        p = f"CSR_{r.name}"
        if r.counter:
            yield f"{p}_LO_OFFSET", r.name
            yield f"{p}_HI_OFFSET", r.name
            yield f"CSR_CNT_{r.name}", r.name
            continue
        yield f"{p}_OFFSET", r.name
        yield f"{p}_RESET", r.name
        for kind in ("RW", "W1C", "W1S"):
            yield f"{p}_{kind}_MASK", r.name
        if r.is_array:
            yield f"{p}_COUNT", r.name
            yield f"{p}_STRIDE", r.name
        for f in r.fields:
            for suffix in ("LSB", "WIDTH", "MASK", "RESET"):
                yield f"{p}_{f.name}_{suffix}", f"{r.name}.{f.name}"


def cxx_member_identifiers(r: Register):
    owner = r.name
    if r.counter:
        for ident in ("kLoOffset", "kHiOffset", "kIndex"):
            yield ident, owner
        return
    for ident in ("kOffset", "kReset", "kResetPerConfig", "kRwMask", "kW1cMask", "kW1sMask",
                  "kFields"):
        yield ident, owner
    if r.is_array:
        for ident in ("kCount", "kStride", "offset"):
            yield ident, owner
    for f in r.fields:
        for suffix in ("Shift", "Width", "Mask", "Reset"):
            yield f"k{camel(f.name)}{suffix}", f"{r.name}.{f.name}"
