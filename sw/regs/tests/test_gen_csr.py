#!/usr/bin/env python3
"""Tests of scripts/gen_csr.py, run as a black box on temporary copies of the map.

  CheckDetection  --check passes on an unmodified copy and fails, naming the stale files, when
                  the source or a generated file changes (the check must be able to fail).
  Validation      every rule of the validator rejects a source that breaks it, with a message
                  that names the problem.
  PackageLint     the generated csr_pkg.sv passes Verilator -Wall and yosys, with a throwaway
                  top that references every constant (a package alone has no top module).

Usage: test_gen_csr.py [CheckDetection|Validation|PackageLint ...]   (default: all)
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


def _tool(name: str) -> str | None:
    return shutil.which(name)


@unittest.skipUnless(_tool("verilator") and _tool("yosys"), "verilator and yosys are required")
class PackageLint(unittest.TestCase):
    def test_verilator_and_yosys_accept_the_package(self):
        pkg = ROOT / OUTPUTS[0]
        names = re.findall(r"^\s*localparam\b[^=]*?\b(\w+)\s*=", pkg.read_text(), flags=re.M)
        self.assertGreater(len(names), 50)
        top = ["// Throwaway lint top for csr_pkg: references every constant.",
               "module csr_pkg_lint_top (",
               "  output logic [31:0] sum_o",
               ");",
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
