#!/usr/bin/env bash
# make coverage: Verilator line and toggle coverage of the chip RTL over a random regression run
# and the chip's directed tests.
#
#   scripts/coverage.sh BUILD_DIR     (BUILD_DIR configured with -DSYSTOLE_RTL_COVERAGE=ON, targets
#                                      systole-regress and, with DIRECTED=1, test_chip, test_rtl_device and
#                                      test_chip_errors built; the Makefile does both)
# Environment: N (cases, default 120), CONFIGS (default tiny,fpga,default), JOBS, SEED, DIRECTED
# (1, the default: also run the chip's directed tests: CSRs, RtlDevice, error stops; 0: the
# regression only).
# Writes BUILD_DIR/coverage/: dat/regress and dat/directed (one file per simulation),
# merged.dat, coverage.info (lcov), html/ (genhtml: line and toggle points per RTL line),
# summary.md (line / toggle per file, everything), summary_regress.md (the regression alone),
# regress/ (the run's report.html with the functional coverage bins), directed.log.
set -euo pipefail

build=${1:?usage: scripts/coverage.sh BUILD_DIR}
[ -d "$build" ] || { echo "coverage: $build is not a build directory" >&2; exit 2; }
build=$(cd "$build" && pwd)  # absolute: the directed tests run in their own directories
root=$(cd "$(dirname "$0")/.." && pwd)
regress=$build/verif/regress/systole-regress
[ -x "$regress" ] || { echo "coverage: $regress not built (make coverage builds it)" >&2; exit 2; }
out=$build/coverage
rm -rf "$out"
mkdir -p "$out/dat/regress" "$out/dat/directed"

N=${N:-120}
CONFIGS=${CONFIGS:-tiny,fpga,default}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
SEED=${SEED:-$(date -u +%Y%m%d)}
DIRECTED=${DIRECTED:-1}

echo "coverage: $N cases on $CONFIGS, seed $SEED, $JOBS jobs"
status=0
SYSTOLE_COVERAGE_DIR=$out/dat/regress "$regress" run -n "$N" --configs "$CONFIGS" -j "$JOBS" --seed "$SEED" \
  --no-minimize --out "$out/regress" || status=$?
if [ $status -eq 2 ]; then
  echo "coverage: the regression run did not start (usage error above)" >&2
  exit 2
fi

# The directed chip tests reach what random kernels do not: CSR reads and writes, the host
# interface, every error stop, the watchdog, soft reset.
dstatus=0
if [ "$DIRECTED" = 1 ]; then
  echo "coverage: the chip's directed tests (test_chip, test_rtl_device, test_chip_errors) -> $out/directed.log"
  SYSTOLE_COVERAGE_DIR=$out/dat/directed ctest --test-dir "$build" -j "$JOBS" --output-on-failure \
    -R '^(Configs/(ChipCsr|ChipErrors|RtlDeviceTest)\.|RtlDeviceFactory\.)' > "$out/directed.log" 2>&1 || dstatus=$?
  tail -1 "$out/directed.log" | grep -q "No tests were found" && { echo "coverage: no directed test found (build test_chip, test_rtl_device and test_chip_errors)" >&2; dstatus=1; }
  grep -E "tests passed|tests failed" "$out/directed.log" || true
fi

shopt -s nullglob
rdats=("$out"/dat/regress/*.dat)
ddats=("$out"/dat/directed/*.dat)
if [ ${#rdats[@]} -eq 0 ]; then
  echo "coverage: no coverage files were written (is $build configured with -DSYSTOLE_RTL_COVERAGE=ON?)" >&2
  exit 1
fi
echo "coverage: merging ${#rdats[@]} regression and ${#ddats[@]} directed files"
verilator_coverage -write "$out/merged_regress.dat" "${rdats[@]}"
verilator_coverage -write "$out/merged.dat" "${rdats[@]}" "${ddats[@]}"
verilator_coverage -write-info "$out/coverage.info" "$out/merged.dat"
genhtml --quiet --title "Systole RTL coverage (line + toggle)" --prefix "$root" \
  --output-directory "$out/html" "$out/coverage.info" | tail -3 || true
python3 "$root/scripts/coverage_summary.py" "$out/merged_regress.dat" --root "$root" > "$out/summary_regress.md"
python3 "$root/scripts/coverage_summary.py" "$out/merged.dat" --root "$root" > "$out/summary.md"
echo "coverage: regression alone: $(head -1 "$out/summary_regress.md")"
echo "coverage: with the directed tests:"
head -12 "$out/summary.md"
echo "coverage: lcov HTML      $out/html/index.html"
echo "coverage: per-file table $out/summary.md (regression alone: summary_regress.md)"
echo "coverage: functional     $out/regress/report.html"
if [ $status -ne 0 ]; then
  echo "coverage: the regression run itself failed (exit $status): see $out/regress/report.html" >&2
  exit $status
fi
if [ $dstatus -ne 0 ]; then
  echo "coverage: a directed test failed (exit $dstatus): see $out/directed.log" >&2
  exit 1
fi
