"""Identifiers the emitters generate, shared by the renderers and the collision checks."""

from __future__ import annotations

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


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:].lower() for part in name.split("_"))


def sv_identifiers(m: Map):
    yield "CSR_ADDR_WIDTH", "(global)"
    yield "CSR_DATA_WIDTH", "(global)"
    yield "CSR_NUM_COUNTERS", "(global)"
    yield "CSR_CNT_BASE_OFFSET", "(global)"
    yield "CSR_CNT_STRIDE", "(global)"
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
