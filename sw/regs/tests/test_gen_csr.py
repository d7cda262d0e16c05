#!/usr/bin/env python3
"""Tests of scripts/gen_csr.py, run as a black box on temporary copies of the map.

  CheckDetection  --check passes on an unmodified copy and fails, naming the stale files, when
                  the source or a generated file changes (the check must be able to fail).
  Validation      every rule of the validator rejects a source that breaks it, with a message
                  that names the problem.
  HardwareInterface
                  the register block's interface in csr_pkg.sv (csr_reg2hw_t, csr_hw2reg_t,
                  csr_sel_e, the decode): every register of the JSON has its select and its
                  struct member where its "hw" kind puts it, each struct is as wide as its
                  members and each member as its fields, arrays are flat vectors, and the
                  decode maps every word of the map to its register and element (reading the
                  generated text, not the generator's own model).
  PackageLint     the generated csr_pkg.sv passes Verilator -Wall and yosys, with a throwaway
                  top that references every constant, type and function (a package alone has
                  no top module); yosys evaluates the generated decode functions at every word
                  offset of the window against the JSON.

Usage: test_gen_csr.py [CheckDetection|Validation|HardwareInterface|PackageLint ...]
       (default: all)
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
GEN = ROOT / "scripts" / "gen_csr.py"
SRC_DIR = ROOT / "rtl" / "host"
JSON_NAME = "csr_map.json"
INTRO_NAME = "csr_intro.md"
OUTPUTS = ["rtl/host/csr_pkg.sv", "sw/regs/include/systole/regs/csr_map.hpp", "docs/csr.md"]


def run_gen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GEN), *args], capture_output=True, text=True,
                          timeout=60, check=False)


def load_source() -> dict:
    return json.loads((SRC_DIR / JSON_NAME).read_text(encoding="utf-8"))


def find(regs: list, name: str) -> dict:
    for r in regs:
        if r["name"] == name:
            return r
    raise KeyError(name)


def field(reg: dict, name: str) -> dict:
    for f in reg["fields"]:
        if f["name"] == name:
            return f
    raise KeyError(name)


class TempSource:
    """A temporary directory holding a (possibly modified) copy of the JSON and its intro."""

    def __init__(self, data: dict | None = None, raw_text: str | None = None):
        self._dir = tempfile.TemporaryDirectory(prefix="gen_csr_test_")
        self.dir = Path(self._dir.name)
        shutil.copy(SRC_DIR / INTRO_NAME, self.dir / INTRO_NAME)
        text = raw_text if raw_text is not None else json.dumps(data, indent=2)
        self.json = self.dir / JSON_NAME
        self.json.write_text(text, encoding="utf-8")

    def __enter__(self) -> "TempSource":
        return self

    def __exit__(self, *exc) -> None:
        self._dir.cleanup()


class CheckDetection(unittest.TestCase):
    def test_unmodified_copy_is_current(self):
        # Guards the test below: a difference must come from the change, not from the path.
        with TempSource(load_source()) as src:
            res = run_gen("--check", "--json", str(src.json))
            self.assertEqual(res.returncode, 0, res.stderr)

    def test_changed_reset_value_is_reported(self):
        data = load_source()
        find(data["registers"], "WATCHDOG")["reset"] = "0x00200000"
        with TempSource(data) as src:
            res = run_gen("--check", "--json", str(src.json))
        self.assertEqual(res.returncode, 1, res.stdout + res.stderr)
        for rel in OUTPUTS:  # the reset value appears in all three outputs
            self.assertIn(f"{rel}: differs", res.stderr)
        self.assertIn("out of date", res.stderr)
        self.assertIn("0010_0000", res.stderr)  # the diff shows the old and new value
        self.assertIn("0020_0000", res.stderr)

    def test_changed_intro_is_reported_for_the_doc_only(self):
        with TempSource(load_source()) as src:
            intro = src.dir / INTRO_NAME
            intro.write_text(intro.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                             encoding="utf-8")
            res = run_gen("--check", "--json", str(src.json))
        self.assertEqual(res.returncode, 1)
        self.assertIn("docs/csr.md: differs", res.stderr)
        self.assertNotIn("csr_pkg.sv: differs", res.stderr)

    def test_hand_edit_and_missing_file_are_reported(self):
        with tempfile.TemporaryDirectory(prefix="gen_csr_root_") as tmp:
            root = Path(tmp)
            res = run_gen("--root", str(root), "--json", str(SRC_DIR / JSON_NAME))
            self.assertEqual(res.returncode, 0, res.stderr)
            for rel in OUTPUTS:
                self.assertTrue((root / rel).is_file(), rel)
            res = run_gen("--check", "--root", str(root), "--json", str(SRC_DIR / JSON_NAME))
            self.assertEqual(res.returncode, 0, res.stderr)

            hpp = root / OUTPUTS[1]
            hpp.write_text(hpp.read_text().replace("0x00100000u", "0x00100001u"))
            (root / OUTPUTS[2]).unlink()
            res = run_gen("--check", "--root", str(root), "--json", str(SRC_DIR / JSON_NAME))
            self.assertEqual(res.returncode, 1)
            self.assertIn(f"{OUTPUTS[1]}: differs", res.stderr)
            self.assertIn(f"{OUTPUTS[2]}: missing", res.stderr)
            self.assertNotIn(OUTPUTS[0], res.stderr.split("out of date")[0])

    def test_every_output_has_the_generated_header(self):
        for rel in OUTPUTS:
            first = (ROOT / rel).read_text(encoding="utf-8").splitlines()[0]
            self.assertIn("GENERATED by scripts/gen_csr.py from rtl/host/csr_map.json", first)
            self.assertIn("do not edit", first)


# (name, mutation of the parsed JSON, expected message fragment)
def _mutations():
    def reg(name):
        return lambda d: find(d["registers"], name)

    yield ("overlapping offsets",
           (lambda d: reg("PROG_LEN")(d).update(offset="0x028")), "claimed by both")
    yield ("array elements overlapping another register",
           (lambda d: reg("WIN_BASE")(d)["array"].update(stride=4)), "claimed by both")
    yield ("misaligned offset",
           (lambda d: reg("PROG_LEN")(d).update(offset="0x02A")), "not word aligned")
    yield ("offset outside the window",
           (lambda d: reg("SEM")(d)["array"].update(count=1000)), "outside the")
    yield ("field beyond bit 31",
           (lambda d: field(reg("VERSION")(d), "MAJOR").update(lsb=20)),
           "do not fit in a 32-bit register")
    yield ("overlapping fields",
           (lambda d: field(reg("VERSION")(d), "MAJOR").update(lsb=8)), "overlaps MINOR")
    yield ("field reset too wide",
           (lambda d: field(reg("ERR_INFO")(d), "AXI_RESP").update(reset=4)),
           "does not fit in 2 bit(s)")
    yield ("register reset too wide",
           (lambda d: reg("ID")(d).update(reset="0x153595354")), "does not fit in 32 bits")
    yield ("register reset disagrees with its fields",
           (lambda d: reg("VERSION")(d).update(reset=2)), "differs from the fields")
    yield ("duplicate register name",
           (lambda d: reg("PROG_LEN")(d).update(name="PROG_BASE")),
           "register name 'PROG_BASE' is used twice")
    yield ("duplicate field name",
           (lambda d: field(reg("STATUS")(d), "DONE").update(name="BUSY")),
           "field name 'BUSY' is used twice")
    yield ("unknown register access",
           (lambda d: reg("WATCHDOG")(d).update(access="rwx")), 'unknown access "rwx"')
    yield ("field access not allowed in the register",
           (lambda d: field(reg("IRQ_ENABLE")(d), "DONE").update(access="w1c")),
           "is not allowed in a 'rw' register")
    yield ("self-clearing bit with a non-zero reset",
           (lambda d: field(reg("CTRL")(d), "START").update(reset=1)), "must reset to 0")
    yield ("counters not contiguous",
           (lambda d: reg("RETRANSMITS")(d).update(offset="0x270")), "counters form one block")
    yield ("writable counter",
           (lambda d: reg("CYCLES")(d).update(access="rw")), "counters are read-only")
    yield ("misspelled key",
           (lambda d: reg("WATCHDOG")(d).update(rest=1)), "unknown key 'rest'")
    yield ("register name not UPPER_SNAKE",
           (lambda d: reg("WATCHDOG")(d).update(name="Watchdog")), "UPPER_SNAKE_CASE")
    yield ("register without fields and without reset",
           (lambda d: reg("PROG_LEN")(d).pop("reset")), "needs a reset value")
    yield ("config reset in a fixed register",
           (lambda d: field(reg("STATUS")(d), "BUSY").update(reset="config")),
           'reset "config" is only allowed')
    yield ("non-ASCII description",
           (lambda d: reg("ID")(d).update(desc="Identification \u2014 SYST")),
           "printable ASCII")
    yield ("missing intro file",
           (lambda d: d.update(intro_file="nope.md")), "intro_file 'nope.md' cannot be read")
    yield ("unknown hw kind",
           (lambda d: reg("WATCHDOG")(d).update(hw="both")), 'unknown hw "both"')
    yield ("hw kind not allowed for the access",
           (lambda d: reg("STATUS")(d).update(hw="reg2hw")),
           "hw 'reg2hw' is not allowed in a 'ro' register")
    yield ("hw on a counter",
           (lambda d: reg("CYCLES")(d).update(hw="hw2reg")), 'counters have no "hw" key')
    yield ("external storage without an array",
           (lambda d: reg("WATCHDOG")(d).update(hw="external")), "needs an array")
    yield ("struct member clashing with the counters",
           (lambda d: reg("WATCHDOG")(d).update(name="CNT")),
           "member 'cnt' is generated by both CNT and the counters")
    yield ("struct member that is a SystemVerilog keyword",
           (lambda d: field(reg("WIN_CTRL")(d), "EN").update(name="INPUT")),
           "member 'input' (from WIN_CTRL) is a SystemVerilog keyword")
    yield ("select clashing with the unmapped select",
           (lambda d: reg("WATCHDOG")(d).update(name="NONE")),
           "SystemVerilog name CSR_SEL_NONE is generated by both")


class Validation(unittest.TestCase):
    def check_rejected(self, data: dict, fragment: str, raw_text: str | None = None):
        with TempSource(data, raw_text) as src:
            res = run_gen("--check", "--json", str(src.json))
        self.assertEqual(res.returncode, 2, f"expected rejection: {res.stdout}{res.stderr}")
        self.assertIn(fragment, res.stderr)
        return res.stderr

    def test_each_rule(self):
        base = load_source()
        for label, mutate, fragment in _mutations():
            with self.subTest(label):
                data = copy.deepcopy(base)
                mutate(data)
                self.check_rejected(data, fragment)

    def test_all_problems_reported_at_once(self):
        data = load_source()
        find(data["registers"], "PROG_LEN")["offset"] = "0x02A"
        find(data["registers"], "WATCHDOG")["access"] = "bogus"
        err = self.check_rejected(data, "not word aligned")
        self.assertIn('unknown access "bogus"', err)

    def test_duplicate_json_key(self):
        text = (SRC_DIR / JSON_NAME).read_text(encoding="utf-8")
        text = text.replace('"name": "ID", "offset": "0x000",',
                            '"name": "ID", "offset": "0x000", "offset": "0x004",', 1)
        self.check_rejected({}, "duplicate key 'offset'", raw_text=text)

    def test_invalid_json(self):
        self.check_rejected({}, "invalid JSON", raw_text='{"registers": [')


# ---- the hardware interface, read back from the generated package --------------------------------
def _parse_int(text: str) -> int:
    return int(text.replace("_", ""), 0)


def words_of(data: dict) -> list[tuple[int, str, int]]:
    """(offset, select name, element index) of every mapped word, from the JSON alone."""
    out = []
    counters = [r for r in data["registers"] if r.get("counter")]
    for r in data["registers"]:
        off = _parse_int(str(r["offset"]))
        if r.get("counter"):
            k = counters.index(r)
            out += [(off, "CSR_SEL_CNT_LO", k), (off + 4, "CSR_SEL_CNT_HI", k)]
        elif "array" in r:
            for i in range(r["array"]["count"]):
                out.append((off + i * r["array"]["stride"], f"CSR_SEL_{r['name']}", i))
        else:
            out.append((off, f"CSR_SEL_{r['name']}", 0))
    return out


def hw_kind(reg: dict) -> str:
    default = {"ro": "none", "rw": "reg2hw", "w1s": "reg2hw", "w1c": "hw2reg"}
    return reg.get("hw", default[reg["access"]])


class GeneratedPackage:
    """The typedefs and the select enum of csr_pkg.sv, parsed from the text."""

    STRUCT = re.compile(r"typedef struct packed \{(.*?)\}\s*(\w+);", re.S)
    MEMBER = re.compile(r"^\s*(logic(?:\s*\[(\d+):(\d+)\])?|\w+_t)\s+(\w+)\s*;", re.M)
    ENUM = re.compile(r"typedef enum logic \[(\d+):0\] \{(.*?)\}\s*csr_sel_e;", re.S)
    ENUM_ITEM = re.compile(r"(CSR_SEL_\w+)\s*=\s*(\d+)'d(\d+)")

    def __init__(self, text: str):
        self.text = text
        self.structs: dict[str, list[tuple[str, str, int]]] = {}  # name -> (member, type, width)
        for body, name in self.STRUCT.findall(text):
            members = []
            for kind, msb, lsb, member in self.MEMBER.findall(body):
                if kind.startswith("logic"):
                    width = int(msb) - int(lsb) + 1 if msb else 1
                else:
                    width = self.width(kind)
                members.append((member, kind, width))
            self.structs[name] = members
        m = self.ENUM.search(text)
        self.sel_width = int(m.group(1)) + 1
        self.selects = {n: (int(w), int(v)) for n, w, v in self.ENUM_ITEM.findall(m.group(2))}

    def width(self, typedef: str) -> int:
        return sum(w for _, _, w in self.structs[typedef])

    def member(self, struct: str, name: str) -> tuple[str, str, int] | None:
        for mb in self.structs[struct]:
            if mb[0] == name:
                return mb
        return None


class HardwareInterface(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = load_source()
        cls.pkg = GeneratedPackage((ROOT / OUTPUTS[0]).read_text(encoding="utf-8"))

    def test_every_register_has_a_select(self):
        sels = self.pkg.selects
        self.assertEqual(sels["CSR_SEL_NONE"][1], 0, "the unmapped select is 0")
        for r in self.data["registers"]:
            names = (["CSR_SEL_CNT_LO", "CSR_SEL_CNT_HI"] if r.get("counter")
                     else [f"CSR_SEL_{r['name']}"])
            for n in names:
                self.assertIn(n, sels, r["name"])
        values = [v for _, v in sels.values()]
        self.assertEqual(len(values), len(set(values)), "select values are distinct")
        for n, (w, v) in sels.items():
            self.assertEqual(w, self.pkg.sel_width, n)
            self.assertLess(v, 1 << self.pkg.sel_width, n)
        non_counters = [r for r in self.data["registers"] if not r.get("counter")]
        self.assertEqual(len(sels), 1 + len(non_counters) + 2, "no select without a register")

    def test_structs_are_as_wide_as_their_members(self):
        # Each struct: the sum of its members; each top-level struct: the sum of what the JSON
        # puts in it (fields x elements, 32-bit words, external ports, the counter port).
        want = {"csr_reg2hw_t": 0, "csr_hw2reg_t": 0}
        counters = [r for r in self.data["registers"] if r.get("counter")]
        if counters:
            want["csr_reg2hw_t"] += max(1, (len(counters) - 1).bit_length())
            want["csr_hw2reg_t"] += 64
        for r in self.data["registers"]:
            kind = hw_kind(r)
            if r.get("counter") or kind == "none":
                continue
            count = r["array"]["count"] if "array" in r else 1
            if kind == "external":
                want["csr_reg2hw_t"] += 33 + 2 * max(1, (count - 1).bit_length())
                want["csr_hw2reg_t"] += 32
                continue
            access = r["access"]
            fields = [f for f in r.get("fields", []) if f.get("access", access) == access]
            elem = sum(f["width"] for f in fields) if r.get("fields") else 32
            want[f"csr_{kind}_t"] += elem * count
        for name, members in self.pkg.structs.items():
            with self.subTest(name):
                total = sum(w for _, _, w in members)
                self.assertGreater(total, 0)
                if name in want:
                    self.assertEqual(total, want[name])

    def test_every_register_is_where_its_hw_kind_puts_it(self):
        for r in self.data["registers"]:
            if r.get("counter"):
                continue
            name = r["name"].lower()
            kind = hw_kind(r)
            count = r["array"]["count"] if "array" in r else 1
            in_r2h = self.pkg.member("csr_reg2hw_t", name)
            in_h2r = self.pkg.member("csr_hw2reg_t", name)
            with self.subTest(r["name"], hw=kind):
                if kind == "none":
                    self.assertIsNone(in_r2h)
                    self.assertIsNone(in_h2r)
                    continue
                if kind == "external":
                    r2h = {m: w for m, _, w in self.pkg.structs[in_r2h[1]]}
                    iw = max(1, (count - 1).bit_length())
                    self.assertEqual(r2h, {"we": 1, "idx": iw, "wdata": 32, "rd_idx": iw})
                    h2r = {m: w for m, _, w in self.pkg.structs[in_h2r[1]]}
                    self.assertEqual(h2r, {"rd_data": 32})
                    continue
                mb = in_r2h if kind == "reg2hw" else in_h2r
                other = in_h2r if kind == "reg2hw" else in_r2h
                self.assertIsNotNone(mb)
                self.assertIsNone(other)
                access = r["access"]
                fields = [f for f in r.get("fields", []) if f.get("access", access) == access]
                elem = sum(f["width"] for f in fields) if r.get("fields") else 32
                self.assertEqual(mb[2], elem * count, "member width = its fields x elements")
                if count > 1:
                    self.assertTrue(mb[1].startswith("logic"),
                                    "an array is a flat vector, not a packed array of structs")
                elif r.get("fields"):
                    got = {m: w for m, _, w in self.pkg.structs[mb[1]]}
                    self.assertEqual(got, {f["name"].lower(): f["width"] for f in fields})
                    # Packed from the lowest field: the struct lists them msb first.
                    order = [m for m, _, _ in self.pkg.structs[mb[1]]]
                    want = [f["name"].lower() for f in sorted(fields, key=lambda f: -f["lsb"])]
                    self.assertEqual(order, want)

    def test_counters_are_one_read_port(self):
        n = sum(1 for r in self.data["registers"] if r.get("counter"))
        r2h = self.pkg.member("csr_reg2hw_t", "cnt")
        h2r = self.pkg.member("csr_hw2reg_t", "cnt")
        self.assertEqual(self.pkg.width(r2h[1]), max(1, (n - 1).bit_length()))
        self.assertEqual(self.pkg.width(h2r[1]), 64)

    def test_no_packed_array_of_a_typedef(self):
        # yosys 0.23 builds element 0 only of `some_t [N-1:0] x` (docs/conventions.md).
        self.assertIsNone(re.search(r"\b\w+_[te]\s*\[", self.pkg.text))

    def test_reference_decode_matches_the_json(self):
        # The generator's reference decode (csrgen.hwif.decode) agrees with the JSON for every
        # word of the window; PackageLint checks the SystemVerilog functions against the same.
        sys.path.insert(0, str(ROOT / "scripts"))
        try:
            from csrgen import load_map
            from csrgen import hwif
        finally:
            sys.path.pop(0)
        m = load_map(SRC_DIR / JSON_NAME)
        mapped = {off: (sel, idx) for off, sel, idx in words_of(self.data)}
        for off in range(0, m.window_bytes, 4):
            self.assertEqual(hwif.decode(m, off), mapped.get(off, ("CSR_SEL_NONE", 0)),
                             f"offset 0x{off:03X}")


def _tool(name: str) -> str | None:
    return shutil.which(name)


@unittest.skipUnless(_tool("verilator") and _tool("yosys"), "verilator and yosys are required")
class PackageLint(unittest.TestCase):
    def test_verilator_and_yosys_accept_the_package(self):
        pkg = ROOT / OUTPUTS[0]
        names = re.findall(r"^\s*localparam\b[^=]*?\b(\w+)\s*=", pkg.read_text(), flags=re.M)
        self.assertGreater(len(names), 50)
        aw = int(re.search(r"CSR_ADDR_WIDTH = (\d+);", pkg.read_text()).group(1))
        top = ["// Throwaway lint top for csr_pkg: references every constant, the interface",
               "// structs and the decode functions.",
               "module csr_pkg_lint_top (",
               f"  input  logic [{aw - 1}:0] a_i,",
               "  input  csr_pkg::csr_hw2reg_t hw2reg_i,",
               "  output csr_pkg::csr_reg2hw_t reg2hw_o,",
               "  output csr_pkg::csr_sel_e sel_o,",
               "  output logic [csr_pkg::CSR_IDX_WIDTH-1:0] idx_o,",
               "  output logic [31:0] sum_o",
               ");",
               "  assign sel_o = csr_pkg::csr_decode_sel(a_i);",
               "  assign idx_o = csr_pkg::csr_decode_idx(a_i);",
               "  assign reg2hw_o = {$bits(reg2hw_o){^hw2reg_i}};",
               "  always_comb begin",
               "    sum_o = '0;"]
        top += [f"    sum_o = sum_o ^ 32'(csr_pkg::{n});" for n in names]
        top += ["  end", "endmodule", ""]
        with tempfile.TemporaryDirectory(prefix="csr_pkg_lint_") as tmp:
            top_file = Path(tmp) / "csr_pkg_lint_top.sv"
            top_file.write_text("\n".join(top))
            res = subprocess.run(["verilator", "--lint-only", "-Wall", str(pkg), str(top_file)],
                                 capture_output=True, text=True, cwd=tmp, timeout=300,
                                 check=False)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            script = (f"read_verilog -sv {pkg} {top_file}; hierarchy -top csr_pkg_lint_top; "
                      "proc")
            res = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True,
                                 cwd=tmp, timeout=300, check=False)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            res = subprocess.run(["yosys", "-q", "-p", f"read_verilog -sv {pkg}"],
                                 capture_output=True, text=True, cwd=tmp, timeout=300,
                                 check=False)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)

            # yosys sizes the struct ports as the members add up.
            parsed = GeneratedPackage(pkg.read_text())
            script = (f"read_verilog -sv {pkg} {top_file}; hierarchy -top csr_pkg_lint_top; "
                      "proc; write_json ports.json")
            res = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True,
                                 cwd=tmp, timeout=300, check=False)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            ports = json.loads((Path(tmp) / "ports.json").read_text())["modules"][
                "csr_pkg_lint_top"]["ports"]
            self.assertEqual(len(ports["reg2hw_o"]["bits"]), parsed.width("csr_reg2hw_t"))
            self.assertEqual(len(ports["hw2reg_i"]["bits"]), parsed.width("csr_hw2reg_t"))

            # The generated decode, as yosys builds it, at every word offset of the window.
            data = load_source()
            pkg_text = pkg.read_text()
            sels = GeneratedPackage(pkg_text).selects
            sw = GeneratedPackage(pkg_text).sel_width
            iw = int(re.search(r"CSR_IDX_WIDTH = (\d+);", pkg_text).group(1))
            window = _parse_int(str(data["window_bytes"]))
            mapped = {off: (sel, idx) for off, sel, idx in words_of(data)}
            offsets = list(range(0, window, 4))
            script = [f"read_verilog -sv {pkg} {top_file}", "hierarchy -top csr_pkg_lint_top",
                      "proc", "opt_clean"]
            script += [f"eval -set a_i {aw}'d{off} -show sel_o,idx_o" for off in offsets]
            ys = Path(tmp) / "decode.ys"
            ys.write_text("\n".join(script) + "\n")
            res = subprocess.run(["yosys", "-q", "-l", "decode.log", str(ys)],
                                 capture_output=True, text=True, cwd=tmp, timeout=300,
                                 check=False)
            self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
            results = re.findall(r"Eval result: \{ \\sel_o \\idx_o \} = (\d+)'([01]+)\.",
                                 (Path(tmp) / "decode.log").read_text())
            self.assertEqual(len(results), len(offsets))
            by_value = {v: n for n, (_, v) in sels.items()}
            for off, (width, bits) in zip(offsets, results):
                self.assertEqual(int(width), sw + iw)
                sel, idx = by_value.get(int(bits[:sw], 2), "?"), int(bits[sw:], 2)
                self.assertEqual((sel, idx), mapped.get(off, ("CSR_SEL_NONE", 0)),
                                 f"decode of offset 0x{off:03X}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
