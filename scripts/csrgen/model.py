"""The data model of the host register map: access kinds, fields, registers, mapped words.

Built by csrgen.load from rtl/host/csr_map.json and consumed, read-only, by the emitters
(csrgen.emit_sv, csrgen.emit_cpp, csrgen.emit_md).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

# Access kinds: the name used in the JSON, the C++ enumerator, a short comment, and the meaning
# documented in docs/csr.md. Adding one here is not enough: the RTL and the driver must learn it
# too.
ACCESS = {
    "ro": ("kRo", "read-only",
           "Read-only. Writes are ignored with an `OKAY` response."),
    "rw": ("kRw", "read/write",
           "Read/write: reads return the last value written (reserved and read-only bits "
           "read as documented)."),
    "w1c": ("kW1c", "write 1 to clear",
            "Write 1 to clear: reads return the current value; writing 1 to a bit clears it, "
            "writing 0 leaves it unchanged. Hardware events set the bits."),
    "w1s": ("kW1s", "write 1 to trigger, self-clearing, reads 0",
            "Write 1 to set, self-clearing: writing 1 to a bit triggers its action once; "
            "writing 0 does nothing; the bit always reads 0."),
}

# A reset value fixed by the hardware configuration rather than by the map.
CONFIG = "config"

# How the hardware outside the register block sees a register (the JSON key "hw"): the name, and
# its meaning as documented in docs/csr.md. csrgen.hwif turns these into the members of
# csr_pkg::csr_reg2hw_t / csr_hw2reg_t.
HW = {
    "none": "Not in the structs: a constant (ro: its reset or configuration value) or a "
            "register only the register block itself uses (rw, e.g. IRQ_ENABLE).",
    "reg2hw": "The register block drives it to the hardware in `csr_reg2hw_t`: the value of an "
              "rw register (its rw fields), or a one-cycle pulse per w1s field.",
    "hw2reg": "The hardware drives it in `csr_hw2reg_t`: the value an ro register reads (its "
              "fields), or, for w1c fields, a one-cycle pulse that sets the bits.",
    "external": "An rw array whose storage is in the hardware: the register block issues writes "
                "(`we`, `idx`, `wdata`) and a read index (`rd_idx`) in `csr_reg2hw_t` and reads "
                "`rd_data` from `csr_hw2reg_t` in the same cycle.",
}
# The kinds allowed for each access, the first one being the default when "hw" is absent.
HW_FOR_ACCESS = {
    "ro": ("none", "hw2reg"),
    "rw": ("reg2hw", "none", "external"),
    "w1s": ("reg2hw",),
    "w1c": ("hw2reg",),
}


class SourceError(Exception):
    """The JSON source is invalid; carries every problem found."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Field:
    name: str
    lsb: int
    width: int
    access: str
    reset: int | None  # None: per configuration
    desc: str

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb

    @property
    def msb(self) -> int:
        return self.lsb + self.width - 1


@dataclass
class Register:
    name: str
    offset: int
    access: str
    reset: int | None  # None: per configuration
    desc: str
    doc: str
    fields: list[Field]
    count: int = 1  # array elements (1: not an array)
    stride: int = 0
    counter: bool = False
    counter_index: int = -1
    hw: str = "none"  # a key of HW; counters are "none" (they have their own struct members)

    @property
    def is_array(self) -> bool:
        return self.count > 1 or self.stride != 0

    def access_mask(self, access: str) -> int:
        """Bits of this register with the given access kind."""
        if not self.fields:
            return 0xFFFFFFFF if self.access == access else 0
        mask = 0
        for f in self.fields:
            if f.access == access:
                mask |= f.mask
        return mask


@dataclass
class Word:
    """One mapped 32-bit word: a plain register, an array element or a counter half."""
    name: str
    offset: int
    reg: Register
    reset: int | None


@dataclass
class Map:
    title: str
    bus: str
    window_bytes: int
    addr_width: int
    intro: str
    registers: list[Register] = dc_field(default_factory=list)

    @property
    def counters(self) -> list[Register]:
        return [r for r in self.registers if r.counter]

    def words(self) -> list[Word]:
        out = []
        for r in self.registers:
            if r.counter:
                out.append(Word(f"{r.name}_LO", r.offset, r, 0))
                out.append(Word(f"{r.name}_HI", r.offset + 4, r, 0))
            elif r.is_array:
                for i in range(r.count):
                    out.append(Word(f"{r.name}[{i}]", r.offset + i * r.stride, r, r.reset))
            else:
                out.append(Word(r.name, r.offset, r, r.reset))
        return sorted(out, key=lambda w: w.offset)
