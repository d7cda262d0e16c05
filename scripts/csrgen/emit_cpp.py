"""Renders sw/regs/include/systole/regs/csr_map.hpp, the C++20 header (systole::regs)."""

from __future__ import annotations

import textwrap

from .common import HEADER, OUT_MD, REGEN_HINT, comment
from .model import ACCESS, Map
from .naming import camel

def cxx_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cxx_text(s: str, indent: str, width: int = 100) -> list[str]:
    """A C++ string literal split into adjacent literals that fit in width columns."""
    chunks = textwrap.wrap(s, width=width - len(indent) - 4, drop_whitespace=False,
                           break_long_words=False, break_on_hyphens=False) or [""]
    return [f"{indent}{cxx_string(c)}" for c in chunks]


def cxx_hex(v: int) -> str:
    return f"0x{v:08X}u"


def render_hpp(m: Map) -> str:
    out = [
        f"// {HEADER}.",
        f"// {REGEN_HINT}",
        f"// Host CSR map ({OUT_MD}): byte offsets in the {m.window_bytes}-byte {m.bus} window,",
        "// field shifts/masks, reset values, and a table of every mapped 32-bit word.",
        "#pragma once",
        "",
        "#include <array>",
        "#include <cstddef>",
        "#include <cstdint>",
        "#include <span>",
        "#include <string_view>",
        "",
        "namespace systole::regs {",
        "",
        "enum class Access : std::uint8_t {",
    ]
    for key, (enumerator, short, _) in ACCESS.items():
        out.append(f"  {enumerator + ',':<6} // {key}: {short}")
    out += [
        "};",
        "",
        "constexpr std::string_view access_name(Access a) {",
        "  switch (a) {",
    ]
    for key, (enumerator, _, _) in ACCESS.items():
        out.append(f"    case Access::{enumerator}:")
        out.append(f"      return {cxx_string(key)};")
    out += [
        "  }",
        '  return "?";',
        "}",
        "",
        "struct Field {",
        "  std::string_view name;",
        "  unsigned lsb;",
        "  unsigned width;",
        "  Access access;",
        "  std::uint32_t reset;      // 0 when reset_per_config",
        "  bool reset_per_config;    // value fixed by the hardware configuration",
        "  std::string_view desc;",
        "  constexpr std::uint32_t mask() const {",
        "    return static_cast<std::uint32_t>(((std::uint64_t{1} << width) - 1u) << lsb);",
        "  }",
        "};",
        "",
        "// One mapped 32-bit word: a register, one array element (\"WIN_BASE[2]\") or one half",
        "// of a 64-bit counter (\"CYCLES_LO\", \"CYCLES_HI\").",
        "struct Register {",
        "  std::string_view name;",
        "  std::uint32_t offset;     // byte offset in the window",
        "  Access access;            // fields may be narrower (e.g. ro bits in a rw register)",
        "  std::uint32_t reset;      // 0 when reset_per_config",
        "  bool reset_per_config;",
        "  std::uint32_t rw_mask;    // bits that read back what the host wrote",
        "  std::uint32_t w1c_mask;   // write-1-to-clear bits",
        "  std::uint32_t w1s_mask;   // self-clearing command bits (read 0)",
        "  std::span<const Field> fields;  // empty: the word is one 32-bit value",
        "  std::string_view desc;",
        "};",
        "",
        "struct Counter {",
        "  std::string_view name;",
        "  unsigned index;",
        "  std::uint32_t lo_offset;  // read first: snapshots the HI half",
        "  std::uint32_t hi_offset;",
        "  std::string_view desc;",
        "};",
        "",
        f"inline constexpr std::uint32_t kWindowBytes = {m.window_bytes};",
        "inline constexpr unsigned kDataWidth = 32;",
    ]

    for r in m.registers:
        ns = r.name.lower()
        out.append("")
        if r.counter:
            out += comment("", f"0x{r.offset:03X} {r.name}: 64-bit counter. {r.desc}")
            out.append(f"namespace {ns} {{")
            out.append(f"inline constexpr std::uint32_t kLoOffset = 0x{r.offset:03X}u;")
            out.append(f"inline constexpr std::uint32_t kHiOffset = 0x{r.offset + 4:03X}u;")
            out.append(f"inline constexpr unsigned kIndex = {r.counter_index};")
            out.append(f"}}  // namespace {ns}")
            continue
        what = f"{r.name}[0..{r.count - 1}]" if r.is_array else r.name
        out += comment("", f"0x{r.offset:03X} {what} ({r.access}): {r.desc}")
        out.append(f"namespace {ns} {{")
        out.append(f"inline constexpr std::uint32_t kOffset = 0x{r.offset:03X}u;"
                   + ("  // element 0" if r.is_array else ""))
        if r.is_array:
            out.append(f"inline constexpr unsigned kCount = {r.count};")
            out.append(f"inline constexpr std::uint32_t kStride = {r.stride};")
            out.append("constexpr std::uint32_t offset(unsigned i) {")
            out.append("  return kOffset + i * kStride;")
            out.append("}")
        out.append(f"inline constexpr std::uint32_t kReset = {cxx_hex(r.reset or 0)};"
                   + ("  // per configuration" if r.reset is None else ""))
        out.append("inline constexpr bool kResetPerConfig = "
                   f"{'true' if r.reset is None else 'false'};")
        out.append(f"inline constexpr std::uint32_t kRwMask = {cxx_hex(r.access_mask('rw'))};")
        out.append(f"inline constexpr std::uint32_t kW1cMask = {cxx_hex(r.access_mask('w1c'))};")
        out.append(f"inline constexpr std::uint32_t kW1sMask = {cxx_hex(r.access_mask('w1s'))};")
        for f in r.fields:
            c = camel(f.name)
            out.append(f"inline constexpr unsigned k{c}Shift = {f.lsb};")
            out.append(f"inline constexpr unsigned k{c}Width = {f.width};")
            out.append(f"inline constexpr std::uint32_t k{c}Mask = {cxx_hex(f.mask)};")
            out.append(f"inline constexpr std::uint32_t k{c}Reset = 0x{f.reset or 0:X}u;"
                       + ("  // per configuration" if f.reset is None else ""))
        if not r.fields:
            out.append("inline constexpr std::array<Field, 0> kFields{};")
            out.append(f"}}  // namespace {ns}")
            continue
        out.append(f"inline constexpr std::array<Field, {len(r.fields)}> kFields{{{{")
        for f in r.fields:
            out.append(f"    {{{cxx_string(f.name)}, {f.lsb}, {f.width}, "
                       f"Access::{ACCESS[f.access][0]}, 0x{f.reset or 0:X}u, "
                       f"{'true' if f.reset is None else 'false'},")
            desc = cxx_text(f.desc, "     ")
            desc[-1] += "},"
            out += desc
        out.append("}};")
        out.append(f"}}  // namespace {ns}")

    counters = m.counters
    out += [
        "",
        f"inline constexpr unsigned kNumCounters = {len(counters)};",
        f"inline constexpr std::uint32_t kCounterBaseOffset = "
        f"0x{counters[0].offset if counters else 0:03X}u;",
        "inline constexpr std::uint32_t kCounterStride = 8;",
        "",
        "// Every counter, in index order.",
        f"inline constexpr std::array<Counter, {len(counters)}> kCounters{{{{",
    ]
    for r in counters:
        ns = r.name.lower()
        out.append(f"    {{{cxx_string(r.name)}, {ns}::kIndex, {ns}::kLoOffset, "
                   f"{ns}::kHiOffset,")
        desc = cxx_text(r.desc, "     ")
        desc[-1] += "},"
        out += desc
    out.append("}};")

    words = m.words()
    out += [
        "",
        "// Every mapped 32-bit word, sorted by offset. Offsets not listed are unmapped (SLVERR).",
        f"inline constexpr std::array<Register, {len(words)}> kRegisters{{{{",
    ]
    for w in words:
        r = w.reg
        ns = r.name.lower()
        if r.counter:
            out.append(f"    {{{cxx_string(w.name)}, 0x{w.offset:03X}u, Access::kRo, 0x0u, false, "
                       "0x0u, 0x0u, 0x0u, {},")
        else:
            out.append(f"    {{{cxx_string(w.name)}, 0x{w.offset:03X}u, "
                       f"Access::{ACCESS[r.access][0]}, {ns}::kReset, {ns}::kResetPerConfig,")
            out.append(f"     {ns}::kRwMask, {ns}::kW1cMask, {ns}::kW1sMask, {ns}::kFields,")
        desc = cxx_text(r.desc, "     ")
        desc[-1] += "},"
        out += desc
    out += [
        "}};",
        "",
        "// The word at a byte offset, or nullptr when the offset is unmapped.",
        "constexpr const Register* find_register(std::uint32_t offset) {",
        "  for (const Register& r : kRegisters) {",
        "    if (r.offset == offset) {",
        "      return &r;",
        "    }",
        "  }",
        "  return nullptr;",
        "}",
        "",
        "// The word with this name (\"CTRL\", \"SEM[3]\", \"CYCLES_HI\"), or nullptr.",
        "constexpr const Register* find_register(std::string_view name) {",
        "  for (const Register& r : kRegisters) {",
        "    if (r.name == name) {",
        "      return &r;",
        "    }",
        "  }",
        "  return nullptr;",
        "}",
        "",
        "}  // namespace systole::regs",
        "",
    ]
    return "\n".join(out)
