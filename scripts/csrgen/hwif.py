"""The hardware interface of the register block, derived from the map (the "hw" key).

The register block (rtl/host/csr_regs.sv) talks to the rest of the core through two packed
structs of csr_pkg: csr_reg2hw_t (what the register block drives: register values, command
pulses, the write and read index of external storage) and csr_hw2reg_t (what the hardware
drives: the values of hardware-owned registers, events setting w1c bits, external read data).
It decodes a bus offset into a csr_sel_e select (one per register; the counter block has a LO
and a HI select) plus an element index. This module computes all of that once, for csrgen.emit_sv
(the package), csrgen.emit_md (the documentation table) and csrgen.naming (collision checks).

Rules (docs/csr.md, "Hardware interface"):
- A member is named after its register in lower case; a register with fields is a nested packed
  struct of the fields that take part (rw fields of an rw register, w1s fields of a w1s register,
  w1c fields of a w1c register, every field of an ro register), named after the fields; without
  fields it is a 32-bit vector.
- An array register is one flat vector, never a packed array (yosys 0.23 would build element 0
  only): element i at [W*i +: W], W = the bits of one element (the fields packed from the lowest,
  in the order of their lsb, as the element struct csr_<dir>_<reg>_t declares them).
- hw "external" (an rw array stored in the hardware): reg2hw {we, idx, wdata, rd_idx}, hw2reg
  {rd_data}; the whole 32-bit word is written and read.
- The counters: reg2hw.cnt {rd_idx}, hw2reg.cnt {rd_data} (64 bits, counter rd_idx).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

from .common import bits
from .model import Map, Register

REG2HW = "reg2hw"
HW2REG = "hw2reg"
CNT_MEMBER = "cnt"


def clog2(n: int) -> int:
    """Bits of an index 0..n-1 (at least 1)."""
    return max(1, (n - 1).bit_length())


@dataclass
class Leaf:
    """One member of a nested struct (msb first when declared)."""
    name: str
    width: int
    desc: str


@dataclass
class Member:
    """One member of csr_reg2hw_t or csr_hw2reg_t."""
    name: str            # lower_snake member name
    desc: str
    leaves: list[Leaf]   # empty: a plain vector of elem_width bits per element
    elem_width: int      # bits of one element (the whole member when count == 1)
    count: int = 1       # > 1: a flat vector of count elements, element i at [W*i +: W]
    typedef: str = ""    # the nested struct typedef (one element), "" for a plain vector
    reg: Register | None = None

    @property
    def width(self) -> int:
        return self.elem_width * self.count


@dataclass
class Interface:
    reg2hw: list[Member] = dc_field(default_factory=list)
    hw2reg: list[Member] = dc_field(default_factory=list)

    def members(self, direction: str) -> list[Member]:
        return self.reg2hw if direction == REG2HW else self.hw2reg


def typedef_name(direction: str, member: str) -> str:
    return f"csr_{direction}_{member}_t"


def _fields_member(direction: str, r: Register, access: str, what: str) -> Member:
    """A register (or array element) as its fields of the given access, or 32 bits."""
    fields = sorted((f for f in r.fields if f.access == access), key=lambda f: -f.lsb)
    name = r.name.lower()
    elem = f"{r.name}[i]" if r.is_array else r.name
    if r.fields:
        leaves = [Leaf(f.name.lower(), f.width, f"{elem}.{f.name} {bits(f)}") for f in fields]
        width = sum(leaf.width for leaf in leaves)
        tdef = typedef_name(direction, name)
    else:
        leaves, width, tdef = [], 32, ""
    return Member(name=name, desc=f"{elem}: {what}", leaves=leaves, elem_width=width,
                  count=r.count if r.is_array else 1, typedef=tdef, reg=r)


def interface(m: Map) -> Interface:
    hwif = Interface()
    for r in m.registers:
        if r.counter:
            continue
        name = r.name.lower()
        if r.hw == "external":
            iw = clog2(r.count)
            hwif.reg2hw.append(Member(
                name=name, desc=f"{r.name}[i]: write and read index (storage in the hardware)",
                leaves=[Leaf("we", 1, f"write {r.name}[idx] = wdata (one-cycle pulse)"),
                        Leaf("idx", iw, "element written"),
                        Leaf("wdata", 32, "whole word written"),
                        Leaf("rd_idx", iw, "element to return in rd_data (same cycle)")],
                elem_width=2 * iw + 33, typedef=typedef_name(REG2HW, name), reg=r))
            hwif.hw2reg.append(Member(
                name=name, desc=f"{r.name}[i]: read data (storage in the hardware)",
                leaves=[Leaf("rd_data", 32, f"{r.name}[reg2hw.{name}.rd_idx], combinational")],
                elem_width=32, typedef=typedef_name(HW2REG, name), reg=r))
        elif r.hw == "reg2hw" and r.access == "rw":
            hwif.reg2hw.append(_fields_member(REG2HW, r, "rw", "value"))
        elif r.hw == "reg2hw" and r.access == "w1s":
            hwif.reg2hw.append(_fields_member(REG2HW, r, "w1s",
                                              "one-cycle pulse per bit written 1"))
        elif r.hw == "hw2reg" and r.access == "ro":
            hwif.hw2reg.append(_fields_member(HW2REG, r, "ro", "value"))
        elif r.hw == "hw2reg" and r.access == "w1c":
            hwif.hw2reg.append(_fields_member(HW2REG, r, "w1c", "one-cycle pulse per bit to set"))
    counters = m.counters
    if counters:
        cw = clog2(len(counters))
        hwif.reg2hw.append(Member(
            name=CNT_MEMBER, desc="performance counter read index",
            leaves=[Leaf("rd_idx", cw, "counter (CSR_CNT_<NAME>) to return in rd_data")],
            elem_width=cw, typedef=typedef_name(REG2HW, CNT_MEMBER)))
        hwif.hw2reg.append(Member(
            name=CNT_MEMBER, desc="performance counter value",
            leaves=[Leaf("rd_data", 64, "counter reg2hw.cnt.rd_idx, combinational")],
            elem_width=64, typedef=typedef_name(HW2REG, CNT_MEMBER)))
    return hwif


# ---- register selects and the address decode ----------------------------------------------------
SEL_NONE = "CSR_SEL_NONE"
SEL_CNT_LO = "CSR_SEL_CNT_LO"
SEL_CNT_HI = "CSR_SEL_CNT_HI"


@dataclass
class Select:
    name: str                   # enumerator
    value: int
    reg: Register | None        # None: NONE and the counter block
    comment: str


def selects(m: Map) -> list[Select]:
    """CSR_SEL_NONE (0), then one select per register in declaration order; the counters share
    a LO and a HI select, placed where the first counter is declared."""
    out = [Select(SEL_NONE, 0, None, "unmapped offset: SLVERR")]
    counters_done = False
    for r in m.registers:
        if r.counter:
            if not counters_done:
                out.append(Select(SEL_CNT_LO, len(out), None,
                                  "a counter's LO word (index: the counter)"))
                out.append(Select(SEL_CNT_HI, len(out), None,
                                  "a counter's HI word (index: the counter)"))
                counters_done = True
            continue
        what = f"{r.name}[i] (index: i)" if r.is_array else r.name
        out.append(Select(f"CSR_SEL_{r.name}", len(out), r, what))
    return out


def sel_width(m: Map) -> int:
    return clog2(len(selects(m)))


def idx_width(m: Map) -> int:
    """Bits of the element index of the decode: enough for every array and the counters."""
    counts = [r.count for r in m.registers if r.is_array]
    if m.counters:
        counts.append(len(m.counters))
    return clog2(max(counts, default=1))


def decode(m: Map, offset: int) -> tuple[str, int]:
    """Reference decode (what the generated functions compute): (select, index) of a byte offset
    with bits [1:0] zero."""
    sels = {s.reg.name: s.name for s in selects(m) if s.reg is not None}
    for r in m.registers:
        if r.counter:
            base = r.offset
            if offset == base:
                return SEL_CNT_LO, r.counter_index
            if offset == base + 4:
                return SEL_CNT_HI, r.counter_index
        elif r.is_array:
            for i in range(r.count):
                if offset == r.offset + i * r.stride:
                    return sels[r.name], i
        elif offset == r.offset:
            return sels[r.name], 0
    return SEL_NONE, 0
