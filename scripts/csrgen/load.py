"""Loading rtl/host/csr_map.json: parse, check each item, normalize into a csrgen.model.Map.

The JSON schema is described in scripts/gen_csr.py. Every problem found is collected and raised
at the end as one SourceError.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .model import ACCESS, CONFIG, HW, HW_FOR_ACCESS, Field, Map, Register, SourceError
from .naming import CXX_RESERVED
from .validate import Checker, check_fields, check_map

# Field access kinds allowed inside a register of a given access.
FIELD_ACCESS_OK = {"ro": {"ro"}, "rw": {"rw", "ro"}, "w1c": {"w1c", "ro"}, "w1s": {"w1s", "ro"}}

TOP_KEYS = {"title", "bus", "data_width", "window_bytes", "intro_file", "registers"}
REG_KEYS = {"name", "offset", "access", "reset", "desc", "doc", "fields", "array", "counter",
            "hw"}
FIELD_KEYS = {"name", "lsb", "width", "access", "reset", "desc"}
NAME_RE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")


def _reject_duplicate_keys(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError(f"duplicate key '{k}' in one JSON object")
        seen[k] = v
    return seen


def load_map(json_path: Path) -> Map:
    try:
        raw = json.loads(json_path.read_text(encoding="utf-8"),
                         object_pairs_hook=_reject_duplicate_keys)
    except OSError as e:
        raise SourceError([f"{json_path}: cannot read: {e.strerror}"]) from e
    except ValueError as e:  # json.JSONDecodeError is a ValueError
        raise SourceError([f"{json_path}: invalid JSON: {e}"]) from e

    ck = Checker()
    src = json_path.name
    if not isinstance(raw, dict):
        raise SourceError([f"{src}: the top level must be an object"])
    ck.keys(src, raw, TOP_KEYS, TOP_KEYS)

    data_width = ck.number(src, raw.get("data_width", 32), "data_width")
    if data_width is not None and data_width != 32:
        ck.err(src, f"data_width must be 32 (registers are 32-bit), got {data_width}")
    window = ck.number(src, raw.get("window_bytes", 4096), "window_bytes")
    if window is None or window < 4 or window & (window - 1):
        ck.err(src, f"window_bytes must be a power of two >= 4, got {raw.get('window_bytes')}")
        window = 4096
    title = ck.text(src, raw.get("title"), "title")
    bus = ck.text(src, raw.get("bus"), "bus")

    intro = ""
    intro_name = raw.get("intro_file")
    if isinstance(intro_name, str) and intro_name:
        intro_path = json_path.parent / intro_name
        try:
            intro = intro_path.read_text(encoding="utf-8")
        except OSError as e:
            ck.err(src, f"intro_file '{intro_name}' cannot be read ({intro_path}): {e.strerror}")
    else:
        ck.err(src, "intro_file must name a markdown file next to the JSON")

    m = Map(title=title, bus=bus, window_bytes=window, addr_width=window.bit_length() - 1,
            intro=intro)

    regs_raw = raw.get("registers")
    if not isinstance(regs_raw, list) or not regs_raw:
        ck.err(src, "registers must be a non-empty list")
        regs_raw = []
    for i, r in enumerate(regs_raw):
        reg = _load_register(ck, f"{src}: registers[{i}]", r, window)
        if reg is not None:
            m.registers.append(reg)

    check_map(ck, src, m)
    if ck.problems:
        raise SourceError(ck.problems)
    return m


def _load_register(ck: Checker, where: str, r, window: int) -> Register | None:
    if not isinstance(r, dict):
        ck.err(where, "a register must be an object")
        return None
    name = r.get("name")
    if isinstance(name, str):
        where = f"{where} '{name}'"
    ck.keys(where, r, REG_KEYS, {"name", "offset", "access", "desc"})
    if not isinstance(name, str) or not NAME_RE.match(name):
        ck.err(where, f"name must be UPPER_SNAKE_CASE ([A-Z][A-Z0-9_]*), got {json.dumps(name)}")
        name = "?"
    elif name.lower() in CXX_RESERVED:
        ck.err(where, f"name '{name}' clashes with a C++ keyword or a generated identifier")

    access = r.get("access")
    if access not in ACCESS:
        ck.err(where, f"unknown access {json.dumps(access)} (known: {', '.join(ACCESS)})")
        access = "ro"
    offset = ck.number(where, r.get("offset"), "offset")
    if offset is None:
        offset = 0
    desc = ck.text(where, r.get("desc"), "desc")
    doc = ck.text(where, r.get("doc"), "doc", required=False)

    reg = Register(name=name, offset=offset, access=access, reset=None, desc=desc, doc=doc,
                   fields=[])

    if "array" in r:
        arr = r["array"]
        if not isinstance(arr, dict):
            ck.err(where, 'array must be {"count": n, "stride": bytes}')
        else:
            ck.keys(f"{where} array", arr, {"count", "stride"}, {"count", "stride"})
            count = ck.number(where, arr.get("count"), "array count")
            stride = ck.number(where, arr.get("stride"), "array stride")
            if count is not None and count < 1:
                ck.err(where, f"array count must be >= 1, got {count}")
            elif count is not None:
                reg.count = count
            if stride is not None and (stride < 4 or stride % 4):
                ck.err(where, f"array stride must be a positive multiple of 4 bytes, got {stride}")
            elif stride is not None:
                reg.stride = stride

    counter = r.get("counter", False)
    if not isinstance(counter, bool):
        ck.err(where, f"counter must be true or false, got {json.dumps(counter)}")
        counter = False
    reg.counter = counter

    # Word alignment and window, for every word the register occupies.
    if offset % 4:
        ck.err(where, f"offset 0x{offset:03X} is not word aligned (must be a multiple of 4)")
    last = offset + (4 if counter else 0) + (reg.count - 1) * reg.stride
    if offset < 0 or last + 4 > window:
        ck.err(where, f"occupies 0x{offset:03X}..0x{last + 3:03X}, outside the "
                      f"0x{window:X}-byte window")

    reset_given = "reset" in r
    reset = ck.number(where, r.get("reset", 0), "reset", allow_config=True)
    if isinstance(reset, int) and not 0 <= reset <= 0xFFFFFFFF:
        ck.err(where, f"reset 0x{reset:X} does not fit in 32 bits")
        reset = 0

    fields_raw = r.get("fields", [])
    if not isinstance(fields_raw, list):
        ck.err(where, "fields must be a list")
        fields_raw = []
    for j, f in enumerate(fields_raw):
        fld = _load_field(ck, f"{where} fields[{j}]", f, reg, reset)
        if fld is not None:
            reg.fields.append(fld)
    check_fields(ck, where, reg)

    if counter:
        if reg.is_array:
            ck.err(where, "a counter cannot also be an array")
        if access != "ro":
            ck.err(where, f"counters are read-only: access must be 'ro', got '{access}'")
        if reg.fields:
            ck.err(where, "counters have no fields")
        if reset != 0:
            ck.err(where, "counters reset to 0")

    hw = r.get("hw")
    if counter:
        if hw is not None:
            ck.err(where, 'counters have no "hw" key: they reach the hardware as the counter block '
                          "(csr_reg2hw_t.cnt / csr_hw2reg_t.cnt)")
    elif hw is None:
        reg.hw = HW_FOR_ACCESS[access][0]
    elif hw not in HW:
        ck.err(where, f"unknown hw {json.dumps(hw)} (known: {', '.join(HW)})")
    elif hw not in HW_FOR_ACCESS[access]:
        ck.err(where, f"hw '{hw}' is not allowed in a '{access}' register "
                      f"(allowed: {', '.join(HW_FOR_ACCESS[access])})")
    else:
        reg.hw = hw
    if reg.hw == "external" and not reg.is_array:
        ck.err(where, "hw 'external' needs an array (the hardware is given an element index)")

    if reg.fields:
        composed = None
        if not any(f.reset is None for f in reg.fields):
            composed = 0
            for f in reg.fields:
                composed |= f.reset << f.lsb
        if reset_given and reset == CONFIG:
            reg.reset = None
        elif reset_given and isinstance(reset, int):
            if composed is None:
                ck.err(where, "reset is a number but some fields reset \"config\"")
            elif reset != composed:
                ck.err(where, f"reset 0x{reset:08X} differs from the fields' resets "
                              f"(0x{composed:08X}); bits outside the fields reset to 0")
            reg.reset = reset
        else:
            reg.reset = composed
    else:
        if not reset_given:
            ck.err(where, 'a register without fields needs a reset value (a number or "config")')
        reg.reset = None if reset == CONFIG else (reset if isinstance(reset, int) else 0)
    if not reg.fields and access == "w1s" and reg.reset:
        ck.err(where, "self-clearing (w1s) bits read 0 and must reset to 0")
    return reg


def _load_field(ck: Checker, where: str, f, reg: Register, reg_reset) -> Field | None:
    if not isinstance(f, dict):
        ck.err(where, "a field must be an object")
        return None
    name = f.get("name")
    if isinstance(name, str):
        where = f"{where} '{name}'"
    ck.keys(where, f, FIELD_KEYS, {"name", "lsb", "width", "desc"})
    if not isinstance(name, str) or not NAME_RE.match(name):
        ck.err(where, f"name must be UPPER_SNAKE_CASE, got {json.dumps(name)}")
        name = "?"
    lsb = ck.number(where, f.get("lsb"), "lsb")
    width = ck.number(where, f.get("width"), "width")
    if lsb is None or width is None:
        return None
    if width < 1:
        ck.err(where, f"width must be >= 1, got {width}")
        return None
    if lsb < 0 or lsb + width > 32:
        ck.err(where, f"bits [{lsb + width - 1}:{lsb}] do not fit in a 32-bit register")
        return None
    access = f.get("access", reg.access)
    if access not in ACCESS:
        ck.err(where, f"unknown access {json.dumps(access)} (known: {', '.join(ACCESS)})")
        access = reg.access
    elif access not in FIELD_ACCESS_OK[reg.access]:
        ck.err(where, f"access '{access}' is not allowed in a '{reg.access}' register "
                      f"(allowed: {', '.join(sorted(FIELD_ACCESS_OK[reg.access]))})")
    default_reset = CONFIG if reg_reset == CONFIG else 0
    reset = ck.number(where, f.get("reset", default_reset), "reset", allow_config=True)
    if reset == CONFIG:
        if reg_reset != CONFIG:
            ck.err(where, 'reset "config" is only allowed in a register whose reset is "config"')
        reset = None
    elif reset is None:
        reset = 0
    elif not 0 <= reset < (1 << width):
        ck.err(where, f"reset 0x{reset:X} does not fit in {width} bit(s)")
        reset = 0
    if access == "w1s" and reset:
        ck.err(where, "self-clearing (w1s) fields read 0 and must reset to 0")
    desc = ck.text(where, f.get("desc"), "desc")
    return Field(name=name, lsb=lsb, width=width, access=access, reset=reset, desc=desc)
