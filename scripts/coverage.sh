#!/usr/bin/env bash
# make coverage: Verilator line and toggle coverage of the chip RTL over a random regression run.
#
#   scripts/coverage.sh BUILD_DIR     (BUILD_DIR configured with -DSYSTOLE_RTL_COVERAGE=ON, target
#                                      systole-regress built; the Makefile does both)
# Environment: N (cases, default 120), CONFIGS (default tiny,fpga,default), JOBS, SEED.
# Writes BUILD_DIR/coverage/: dat/ (one file per simulation), merged.dat, coverage.info (lcov),
# html/ (genhtml: line and toggle points per RTL line), summary.md (line / toggle per file), and
# regress/ (the run's report.html with the functional coverage bins).
set -euo pipefail

build=${1:?usage: scripts/coverage.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
regress=$build/verif/regress/systole-regress
[ -x "$regress" ] || { echo "coverage: $regress not built (make coverage builds it)" >&2; exit 2; }
out=$build/coverage
rm -rf "$out"
mkdir -p "$out/dat"

N=${N:-120}
CONFIGS=${CONFIGS:-tiny,fpga,default}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
SEED=${SEED:-$(date -u +%Y%m%d)}

echo "coverage: $N cases on $CONFIGS, seed $SEED, $JOBS jobs"
status=0
SYSTOLE_COVERAGE_DIR=$out/dat "$regress" run -n "$N" --configs "$CONFIGS" -j "$JOBS" --seed "$SEED" \
  --no-minimize --out "$out/regress" || status=$?

if [ $status -eq 2 ]; then
  echo "coverage: the regression run did not start (usage error above)" >&2
  exit 2
fi
shopt -s nullglob
dats=("$out"/dat/*.dat)
if [ ${#dats[@]} -eq 0 ]; then
  echo "coverage: no coverage files were written (is $build configured with -DSYSTOLE_RTL_COVERAGE=ON?)" >&2
  exit 1
fi
echo "coverage: merging ${#dats[@]} files"
verilator_coverage -write "$out/merged.dat" "${dats[@]}"
verilator_coverage -write-info "$out/coverage.info" "$out/merged.dat"
genhtml --quiet --title "Systole RTL coverage (line + toggle)" --prefix "$root" \
  --output-directory "$out/html" "$out/coverage.info" | tail -3 || true
python3 "$root/scripts/coverage_summary.py" "$out/merged.dat" --root "$root" > "$out/summary.md"
cat "$out/summary.md" | head -12
echo "coverage: lcov HTML      $out/html/index.html"
echo "coverage: per-file table $out/summary.md"
echo "coverage: functional     $out/regress/report.html"
if [ $status -ne 0 ]; then
  echo "coverage: the regression run itself failed (exit $status): see $out/regress/report.html" >&2
fi
exit $status
