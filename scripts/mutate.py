#!/usr/bin/env python3
"""Mutation check of the regression (make mutate, docs/verification.md).

Applies the small deliberate RTL bugs of verif/mutate/mutants.json one at a time to a mirror of the
working tree (build/mutate/src: never to rtl/ itself), rebuilds only the test targets the mutant's
detectors need (one build directory, chip models of `tiny` and `fpga`: the smallest chip, and
the smallest with the vector engine) and runs those detectors with a
fixed seed until one fails. A mutant no detector catches means the tests miss a real bug.

  scripts/mutate.py --check          every mutant's `find` occurs exactly once (ctest mutants_apply)
  scripts/mutate.py --list           the mutants and their detectors
  scripts/mutate.py [--only A,B] [--seed N] [--build DIR] [--timeout S]
                                     baseline (detectors pass unmutated), then every mutant;
                                     table on stdout and in DIR/report.md; exit 1 unless all caught
Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "verif" / "mutate" / "mutants.json"
FAIL_LINE = re.compile(r"Failure|%Error|Assertion|assert|Expected|Which is|error:|exception|Timeout|FAIL",
                       re.IGNORECASE)


class UsageError(Exception):
    """A bad mutant file or argument: reported with what was expected, exit 2."""


# ---- the mutant list ------------------------------------------------------------------------------
def load_mutants(path):
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise UsageError(f"{path}: cannot read the mutant list ({e}); expected a JSON object with 'mutants'")
    mutants = data.get("mutants") if isinstance(data, dict) else None
    if not isinstance(mutants, list) or not mutants:
        raise UsageError(f"{path}: expected a non-empty list under 'mutants'")
    seen = set()
    for i, m in enumerate(mutants):
        where = f"{path}: mutant {i} ({m.get('id', '?') if isinstance(m, dict) else '?'})"
        if not isinstance(m, dict):
            raise UsageError(f"{where}: expected an object")
        for key in ("id", "file", "find", "replace", "description"):
            if not isinstance(m.get(key), str) or not m[key]:
                raise UsageError(f"{where}: '{key}' must be a non-empty string")
        if not re.fullmatch(r"[a-z0-9_]+", m["id"]):
            raise UsageError(f"{where}: id must be lower_snake_case")
        if m["id"] in seen:
            raise UsageError(f"{where}: duplicate id")
        seen.add(m["id"])
        if m["find"] == m["replace"]:
            raise UsageError(f"{where}: 'replace' equals 'find' (no bug)")
        dets = m.get("detectors")
        if not isinstance(dets, list) or not dets:
            raise UsageError(f"{where}: 'detectors' must be a non-empty list")
        for d in dets:
            if not isinstance(d, dict) or not isinstance(d.get("target"), str) or \
                    (("tests" in d) == ("args" in d)):
                raise UsageError(f"{where}: detector {d!r}: expected {{target, tests: ctest regex}} or "
                                 "{target, args: [...]}, optional: bool")
            if "tests" in d:
                try:
                    re.compile(d["tests"])
                except re.error as e:
                    raise UsageError(f"{where}: detector regex {d['tests']!r}: {e}")
    return mutants


def check(mutants, root):
    """Problems with applying the mutants to the tree at `root` (empty when all apply)."""
    problems = []
    for m in mutants:
        f = root / m["file"]
        if not f.is_file():
            problems.append(f"{m['id']}: {m['file']} does not exist")
            continue
        n = f.read_text().count(m["find"])
        if n != 1:
            problems.append(f"{m['id']}: the find text occurs {n} times in {m['file']} (expected exactly once; "
                            f"update verif/mutate/mutants.json): {m['find']!r}")
    return problems


# ---- the mirror and its build ---------------------------------------------------------------------
def tree_files(root):
    # Tracked files plus new files not ignored (work in progress of the tree is part of it).
    out = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         check=True, capture_output=True).stdout.decode()
    return sorted(p for p in out.split("\0") if p and (root / p).is_file())


def sync_mirror(root, src):
    """Copy the working tree's current files into `src`; unchanged files keep their time stamps."""
    files = tree_files(root)
    keep = set(files)
    changed = 0
    for rel in files:
        a, b = root / rel, src / rel
        data = a.read_bytes()
        if b.is_file() and b.read_bytes() == data:
            continue
        b.parent.mkdir(parents=True, exist_ok=True)
        b.write_bytes(data)
        shutil.copymode(a, b)
        changed += 1
    removed = 0
    for dirpath, _, names in os.walk(src):
        for n in names:
            p = Path(dirpath) / n
            if str(p.relative_to(src)) not in keep:
                p.unlink()
                removed += 1
    return len(files), changed, removed


def run_logged(cmd, log, cwd=None, env=None, timeout=None):
    with open(log, "a") as f:
        f.write(f"\n$ {' '.join(map(str, cmd))}\n")
        f.flush()
        try:
            p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=timeout, text=True, errors="replace")
            out, rc = p.stdout, p.returncode
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            out, rc = out + f"\n[mutate] timed out after {timeout} s\n", -1
        f.write(out)
    return rc, out


def configure(src, bld, log):
    """Configure once; later runs re-run CMake on the existing cache (quick when nothing changed),
    so targets added to the tree since the last run exist before a detector asks for them (a
    `cmake --build --target` of an unknown target fails before CMake would regenerate)."""
    if (bld / "CMakeCache.txt").is_file():
        # (The chip list again: a build directory configured before fpga joined keeps tiny only.)
        rc, _ = run_logged(["cmake", "-DSYSTOLE_CHIP_CONFIGS=tiny;fpga", bld], log)
        return rc == 0
    rc, _ = run_logged(["cmake", "-S", src, "-B", bld, "-DCMAKE_BUILD_TYPE=Release", "-DSYSTOLE_CHIP_CONFIGS=tiny;fpga"],
                       log)
    return rc == 0


def build(bld, target, log):
    """'ok', 'missing' (no such target) or 'failed'. The models are Verilated at build time
    (systole_verilated_model), so a mutant that renames Verilator's files builds in one pass."""
    rc, out = run_logged(["cmake", "--build", bld, "-j1", "--target", target], log)
    if rc == 0:
        return "ok"
    if re.search(rf"No rule to make target '{re.escape(target)}'|unknown target", out):
        return "missing"
    return "failed"


def find_executable(bld, target):
    for dirpath, _, names in os.walk(bld):
        if target in names and os.access(Path(dirpath) / target, os.X_OK):
            return Path(dirpath) / target
    return None


def resolve_tests(bld, target, regex):
    """ctest numbers and names of the tests matching `regex` whose executable is `target`."""
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=bld, capture_output=True, text=True).stdout
    try:
        tests = json.loads(out)["tests"]
    except (json.JSONDecodeError, KeyError):
        return []
    pick = []
    for i, t in enumerate(tests, start=1):
        cmd = t.get("command") or []
        if cmd and Path(cmd[0]).name == target and re.search(regex, t["name"]):
            pick.append((i, t["name"]))
    return pick


def first_failure(out, name):
    """The first line of `name`'s output in a ctest --output-on-failure log that looks like the failure."""
    lines = out.splitlines()
    start = next((k for k, l in enumerate(lines) if name in l and re.search(r"\*\*\*|Failed|Timeout", l)), 0)
    for k in range(start + 1, len(lines)):
        s = lines[k].strip()
        if s and FAIL_LINE.search(s) and not s.startswith(("[ RUN", "[  FAILED", "Note:")):
            # The failure line and the few lines that say what differed, source path cut to its name.
            more = [x.strip() for x in lines[k + 1:k + 7] if x.strip() and not x.startswith("[")]
            text = " ".join([s, *more[:5]])
            text = re.sub(r"/\S*/", "", text.split(" replay:")[0])  # paths cut to file names, no replay command
            return text[:220]
    return "(no failure line found; see the log)"


def run_detector(bld, det, seed, timeout, log):
    """(result, detail): result 'pass', 'fail', 'missing' or 'error'."""
    st = build(bld, det["target"], log)
    if st != "ok":
        return ("missing" if st == "missing" else "error"), f"build of {det['target']} {st}"
    env = dict(os.environ, SYSTOLE_SEED=str(seed))
    if "args" in det:
        exe = find_executable(bld, det["target"])
        if exe is None:
            return "error", f"{det['target']} built but not found under {bld}"
        args = [a.replace("{seed}", str(seed)).replace("{logs}", str(Path(log).parent)) for a in det["args"]]
        rc, out = run_logged([exe, *args], log, cwd=bld, env=env, timeout=timeout)
        if rc == 0:
            return "pass", f"{det['target']} {' '.join(args)}"
        # The run's summary and its first failing case ("FAIL ..."), else any failure-looking line.
        summary = [l.strip() for l in out.splitlines() if re.match(r"\d+ case\(s\):", l)]
        fails = [l.strip() for l in out.splitlines() if l.startswith("FAIL")] or \
                [l.strip() for l in out.splitlines() if FAIL_LINE.search(l) and not l.startswith("[")]
        what = "; ".join([*summary[:1], *fails[:1]]) or f"exit {rc}"
        return "fail", f"{det['target']} (seed {seed}): {what[:220]}"
    tests = resolve_tests(bld, det["target"], det["tests"])
    if not tests:
        return "error", f"no test of {det['target']} matches {det['tests']!r} (stale detector)"
    sel = "0,0,0," + ",".join(str(i) for i, _ in tests)
    rc, out = run_logged(["ctest", "-I", sel, "--timeout", str(timeout), "--output-on-failure", "--stop-on-failure"],
                         log, cwd=bld, env=env, timeout=timeout * len(tests) + 120)
    if rc == 0:
        return "pass", f"{len(tests)} tests of {det['target']}"
    # "\t169 - Suite.Name/param  # GetParam() = (...) (Failed)": the last parenthesis is the reason.
    failed = re.findall(r"^\s*\d+ - (\S+).*\(([^()]*)\)\s*$", out, re.MULTILINE)
    if not failed:
        return "fail", f"{det['target']}: ctest exit {rc}"
    name, why = failed[0]
    return "fail", f"{name} ({det['target']}, {why}): {first_failure(out, name)}"


# ---- one mutant ----------------------------------------------------------------------------------
def run_mutant(m, src, bld, seed, timeout, log):
    """(status, caught_by): status CAUGHT, SURVIVED or ERROR."""
    log.write_text("")  # one run per log
    f = src / m["file"]
    orig = f.read_text()
    if orig.count(m["find"]) != 1:
        return "ERROR", f"find text occurs {orig.count(m['find'])} times in the mirror"
    f.write_text(orig.replace(m["find"], m["replace"]))
    try:
        notes = []
        for det in m["detectors"]:
            result, detail = run_detector(bld, det, seed, timeout, log)
            if result == "fail":
                return "CAUGHT", detail
            if result == "missing" and det.get("optional"):
                notes.append(f"{det['target']} not in this build")
                continue
            if result in ("missing", "error"):
                return "ERROR", detail
            notes.append(f"{detail} passed")
        return "SURVIVED", "; ".join(notes)
    finally:
        f.write_text(orig)  # new time stamp: the next build sees the file changed back


def md_escape(s):
    return s.replace("|", "\\|").replace("\n", " ")


def report(rows, args, head, total, baseline):
    lines = [
        "# Mutation check (scripts/mutate.py)",
        "",
        f"Tree: {head}; seed {args.seed}; build {args.build}; total {total:.0f} s; baseline: {baseline}. "
        f"Reproduce: `make mutate` (one mutant: `scripts/mutate.py --only ID`); logs in {args.build / 'logs'}.",
        "",
        "| id | file | bug | caught by | s |",
        "|---|---|---|---|---|",
    ]
    for m, status, by, secs in rows:
        cell = by if status == "CAUGHT" else f"**{status}**: {by}"
        lines.append(f"| {m['id']} | {m['file']} | {md_escape(m['description'])} | {md_escape(cell)} | {secs:.0f} |")
    caught = sum(1 for r in rows if r[1] == "CAUGHT")
    lines += ["", f"{caught} of {len(rows)} mutants caught."]
    return "\n".join(lines) + "\n"


def main(argv):
    ap = argparse.ArgumentParser(description="Mutation check of the RTL regression (docs/verification.md).")
    ap.add_argument("--only", help="comma-separated mutant ids (default: all)")
    ap.add_argument("--check", action="store_true", help="only check that every mutant applies (fast)")
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    ap.add_argument("--seed", type=int, default=1, help="SYSTOLE_SEED of every detector run (default 1)")
    ap.add_argument("--build", type=Path, default=ROOT / "build" / "mutate",
                    help="work directory: mirror in src/, build in build/, logs/, report.md")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per test before it counts as failed")
    ap.add_argument("--mutants", type=Path, default=MUTANTS, help="mutant list (default verif/mutate/mutants.json)")
    ap.add_argument("--root", type=Path, default=ROOT, help="source tree (default: this repository)")
    args = ap.parse_args(argv)
    try:
        mutants = load_mutants(args.mutants)
        if args.only:
            want = [s for s in args.only.split(",") if s]
            ids = {m["id"] for m in mutants}
            unknown = [w for w in want if w not in ids]
            if unknown:
                raise UsageError(f"--only: unknown mutant id(s) {', '.join(unknown)}; expected some of: "
                                 f"{', '.join(sorted(ids))}")
            mutants = [m for m in mutants if m["id"] in want]
    except UsageError as e:
        print(f"mutate.py: {e}", file=sys.stderr)
        return 2
    root = args.root.resolve()

    if args.list:
        for m in mutants:
            dets = ", ".join(f"{d['target']}:{d.get('tests', ' '.join(d.get('args', [])))}" for d in m["detectors"])
            print(f"{m['id']:<30} {m['file']:<30} {m['description']}\n{'':<30} detectors: {dets}")
        return 0
    problems = check(mutants, root)
    if args.check or problems:
        for p in problems:
            print(f"mutate.py: {p}", file=sys.stderr)
        print(f"mutate.py --check: {len(mutants) - len(problems)} of {len(mutants)} mutants apply to {root}")
        return 1 if problems else 0

    work = args.build.resolve()
    args.build = work
    src, bld, logs = work / "src", work / "build", work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    n, changed, removed = sync_mirror(root, src)
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip() + " + working-tree changes"
    print(f"mirror: {n} files in {src} ({changed} copied, {removed} removed)", flush=True)
    if not configure(src, bld, logs / "configure.log"):
        print(f"mutate.py: configuring {bld} failed; see {logs / 'configure.log'}", file=sys.stderr)
        return 1

    # Baseline: every detector must pass on the unmutated mirror.
    (logs / "baseline.log").write_text("")
    seen, bad = set(), []
    for m in mutants:
        for det in m["detectors"]:
            key = json.dumps(det, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            t = time.time()
            result, detail = run_detector(bld, det, args.seed, args.timeout, logs / "baseline.log")
            ok = result == "pass" or (result == "missing" and det.get("optional"))
            print(f"baseline {det['target']:<24} {result.upper():<8} {detail} ({time.time() - t:.0f} s)", flush=True)
            if not ok:
                bad.append(f"{det['target']}: {detail}")
    if bad:
        print(f"mutate.py: the baseline is red (unmutated tree), see {logs / 'baseline.log'}:\n  " + "\n  ".join(bad),
              file=sys.stderr)
        (work / "report.md").write_text(f"# Mutation check\n\nBaseline red, no mutant run:\n\n- " + "\n- ".join(bad) + "\n")
        return 1

    rows = []
    for k, m in enumerate(mutants, start=1):
        t = time.time()
        status, by = run_mutant(m, src, bld, args.seed, args.timeout, logs / f"{m['id']}.log")
        secs = time.time() - t
        rows.append((m, status, by, secs))
        print(f"[{k:2}/{len(mutants)}] {m['id']:<30} {status:<8} {by} ({secs:.0f} s)", flush=True)
    total = time.time() - t0
    text = report(rows, args, head, total, f"{len(seen)} detectors green")
    (work / "report.md").write_text(text)
    print("\n" + text + f"report: {work / 'report.md'}")
    return 0 if all(r[1] == "CAUGHT" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
