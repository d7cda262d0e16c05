#!/usr/bin/env python3
"""Line and toggle coverage per RTL file from a Verilator coverage file (merged.dat), as markdown.

A Verilator .dat line is  C '<key>\\002<value>\\001<key>\\002<value>...' <count>; the key 'page'
says the point's type (v_line/<module>, v_branch/..., v_toggle/<module>) and 'f' its source file.
Line coverage counts the v_line and v_branch points (Verilator's --coverage-line makes both).
"""
import argparse
import collections
import os
import re
import sys

POINT = re.compile(r"^C '(.*)' (\d+)$")


def parse(path):
    for raw in open(path, encoding="latin-1"):
        m = POINT.match(raw.rstrip("\n"))
        if not m:
            continue
        fields = {}
        for kv in m.group(1).split("\x01"):
            if "\x02" in kv:
                k, v = kv.split("\x02", 1)
                fields[k] = v
        yield fields, int(m.group(2))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dat")
    ap.add_argument("--root", default=".", help="paths are shown relative to this directory")
    a = ap.parse_args()
    # (file, type) -> [points, hit]
    acc = collections.defaultdict(lambda: [0, 0])
    for f, count in parse(a.dat):
        page = f.get("page", "")
        kind = "toggle" if page.startswith("v_toggle") else "line" if page.startswith(("v_line", "v_branch")) else None
        if kind is None:
            continue
        path = os.path.relpath(f.get("f", "?"), a.root)
        acc[(path, kind)][0] += 1
        acc[(path, kind)][1] += 1 if count > 0 else 0
    if not acc:
        sys.exit(f"{a.dat}: no line or toggle points (was the model built with --coverage-line/--coverage-toggle?)")

    def pct(p, h):
        return f"{100.0 * h / p:.1f}% ({h}/{p})" if p else "-"

    tot = {k: [0, 0] for k in ("line", "toggle")}
    files = sorted({p for p, _ in acc})
    rows = []
    for p in files:
        cells = []
        for k in ("line", "toggle"):
            n, h = acc.get((p, k), [0, 0])
            tot[k][0] += n
            tot[k][1] += h
            cells.append(pct(n, h))
        rows.append(f"| {p} | {cells[0]} | {cells[1]} |")
    print(f"Total: line {pct(*tot['line'])}, toggle {pct(*tot['toggle'])}\n")
    print("| file | line | toggle |\n|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
