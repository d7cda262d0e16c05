#!/usr/bin/env python3
"""Expands an RTL file list (rtl/<block>/<block>.f) for the tools that want a flat list.

A list holds, one per line, paths relative to the list's own directory (Verilator's -F meaning):
  name.sv              a source file
  -F other.f           the files of another list (a block this one depends on)
  +incdir+dir          an `include directory
  // ...               a comment (also after an entry)
Expansion is depth first in the order written, each file and directory once (its first place),
so a block's dependencies come before it and packages before the modules that use them.

  scripts/rtl_files.py rtl/top/top.f                 files, one absolute path a line
  scripts/rtl_files.py --incdirs rtl/top/top.f       the include directories
  scripts/rtl_files.py --lists rtl/top/top.f         the .f files read (for build dependencies)
  scripts/rtl_files.py --verilator rtl/top/top.f     a flat Verilator option file (+incdir+ and files)
  scripts/rtl_files.py --check                       every .sv under rtl/ is in exactly one block
                                                     list and every list expands cleanly
Errors (a missing file, a cycle of -F, an unknown entry) name the list and line; exit status 1.
"""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ListError(Exception):
    pass


def parse(path):
    """The entries of one list: (kind, absolute path, line number); kind is file, list or incdir."""
    entries = []
    base = path.parent
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.split("//", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-F"):
            target = line[2:].strip()
            if not target:
                raise ListError(f"{path}:{n}: '-F' without a list to include")
            entries.append(("list", (base / target).resolve(), n))
        elif line.startswith("+incdir+"):
            entries.append(("incdir", (base / line[len("+incdir+"):]).resolve(), n))
        elif line.startswith(("-", "+")) or " " in line:
            raise ListError(f"{path}:{n}: '{line}': expected a file, '-F list.f' or '+incdir+dir'")
        else:
            entries.append(("file", (base / line).resolve(), n))
    return entries


def expand(top):
    files, incdirs, lists = [], [], []

    def visit(path, stack):
        if path in stack:
            chain = " -> ".join(str(p.relative_to(ROOT)) for p in stack + [path])
            raise ListError(f"file lists include each other in a cycle: {chain}")
        if path in lists:
            return
        if not path.is_file():
            raise ListError(f"{path}: no such file list")
        lists.append(path)
        for kind, p, n in parse(path):
            if kind == "list":
                if not p.is_file():
                    raise ListError(f"{path}:{n}: -F {p}: no such file list")
                visit(p, stack + [path])
            elif kind == "incdir":
                if not p.is_dir():
                    raise ListError(f"{path}:{n}: +incdir+{p}: no such directory")
                if p not in incdirs:
                    incdirs.append(p)
            else:
                if not p.is_file():
                    raise ListError(f"{path}:{n}: {p}: no such file")
                if p not in files:
                    files.append(p)

    visit(top.resolve(), [])
    return files, incdirs, lists


def check():
    """Every .sv under rtl/ is listed by exactly one list; every list expands."""
    problems = []
    owner = {}
    all_lists = sorted((ROOT / "rtl").rglob("*.f"))
    for lst in all_lists:
        try:
            expand(lst)
            for kind, p, n in parse(lst):
                if kind == "file":
                    if p in owner:
                        problems.append(f"{p.relative_to(ROOT)} is listed by both {owner[p].relative_to(ROOT)} and "
                                        f"{lst.relative_to(ROOT)}: a file belongs to one block's list")
                    owner[p] = lst
        except ListError as e:
            problems.append(str(e))
    for sv in sorted((ROOT / "rtl").rglob("*.sv")):
        if sv.resolve() not in owner:
            problems.append(f"{sv.relative_to(ROOT)} is in no file list: add it to its block's .f")
    for p in problems:
        print(f"rtl_files: {p}", file=sys.stderr)
    if not problems:
        print(f"rtl_files: {len(all_lists)} lists, {len(owner)} files, each file in exactly one list")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description="Expand an RTL file list (.f) into a flat list.")
    ap.add_argument("list", nargs="?", type=Path, help="the .f file (e.g. rtl/top/top.f)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--incdirs", action="store_true", help="print the include directories")
    g.add_argument("--lists", action="store_true", help="print the .f files read")
    g.add_argument("--verilator", action="store_true", help="print a flat Verilator option file")
    g.add_argument("--check", action="store_true", help="check every list and that each .sv is in exactly one")
    a = ap.parse_args()
    try:
        if a.check:
            return check()
        if a.list is None:
            ap.error("a file list is required (or --check)")
        files, incdirs, lists = expand(a.list)
    except ListError as e:
        print(f"rtl_files: {e}", file=sys.stderr)
        return 1
    if a.incdirs:
        out = incdirs
    elif a.lists:
        out = lists
    elif a.verilator:
        out = [f"+incdir+{d}" for d in incdirs] + files
    else:
        out = files
    print("\n".join(str(x) for x in out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
