"""Command line of scripts/gen_csr.py: validate, render, then write or --check the outputs."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from .common import OUT_HPP, OUT_MD, OUT_SV, SOURCE_REL
from .emit_cpp import render_hpp
from .emit_md import render_md
from .emit_sv import render_sv
from .load import load_map
from .model import Map, SourceError


def render_all(m: Map) -> dict[str, str]:
    return {OUT_SV: render_sv(m), OUT_HPP: render_hpp(m), OUT_MD: render_md(m)}


def main(argv: list[str] | None = None) -> int:
    default_root = Path(__file__).resolve().parents[2]  # scripts/csrgen/cli.py
    ap = argparse.ArgumentParser(
        description="Generate the host register map (SV package, C++ header, docs/csr.md) "
                    f"from {SOURCE_REL}.")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 listing every output that differs from disk")
    ap.add_argument("--json", type=Path, default=None,
                    help=f"source JSON (default: <root>/{SOURCE_REL})")
    ap.add_argument("--root", type=Path, default=default_root,
                    help="tree holding the outputs (default: the repository of this script)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    args = ap.parse_args(argv)

    root = args.root
    json_path = args.json if args.json is not None else root / SOURCE_REL
    try:
        m = load_map(json_path)
    except SourceError as e:
        print(f"gen_csr.py: {json_path} is invalid:", file=sys.stderr)
        for p in e.problems:
            print(f"  error: {p}", file=sys.stderr)
        return 2

    outputs = render_all(m)
    if args.check:
        stale = []
        for rel, text in outputs.items():
            path = root / rel
            try:
                current = path.read_text(encoding="utf-8")
            except OSError:
                stale.append(rel)
                print(f"gen_csr.py: {rel}: missing", file=sys.stderr)
                continue
            if current != text:
                stale.append(rel)
                print(f"gen_csr.py: {rel}: differs from what {json_path.name} generates",
                      file=sys.stderr)
                diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(),
                                                 f"{rel} (on disk)", f"{rel} (generated)",
                                                 lineterm="", n=1))
                for line in diff[:30]:
                    print(f"    {line}", file=sys.stderr)
                if len(diff) > 30:
                    print(f"    ... ({len(diff) - 30} more diff lines)", file=sys.stderr)
        if stale:
            print(f"gen_csr.py: {len(stale)} generated file(s) out of date: {', '.join(stale)}; "
                  "run `python3 scripts/gen_csr.py` and commit the result", file=sys.stderr)
            return 1
        if not args.quiet:
            print(f"gen_csr.py: {len(outputs)} generated files are current")
        return 0

    for rel, text in outputs.items():
        path = root / rel
        try:
            if path.exists() and path.read_text(encoding="utf-8") == text:
                if not args.quiet:
                    print(f"unchanged {rel}")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as e:
            print(f"gen_csr.py: cannot write {path}: {e.strerror}", file=sys.stderr)
            return 2
        if not args.quiet:
            print(f"wrote     {rel}")
    return 0
