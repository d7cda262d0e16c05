#!/usr/bin/env bash
# The netlist check's run (make netlist-check; docs/verification.md, "Netlist vs RTL"), after the
# build of systole-netlist-regress:
#   1. self-check: one short case with SYSTOLE_NETLIST_FAULT=1 (the netlist alone reads bit 0 of
#      every AXI read beat inverted) must fail with the lock-step message; if it does not, the
#      compare is broken and nothing after it would mean anything;
#   2. N random cases (GEMMs, every 4th a DMA program) on the lock-step chip of CONFIG: every
#      output of the netlist equal to the RTL's on every clock edge, and the results bit-exact with
#      the golden model as in the regression;
#   3. per case: cycles simulated, wall time, simulated cycles per second (from results.json).
#
#   verif/netlist/netlist_check.sh <systole-netlist-regress> [options]
#     -n N          cases (default 8)          --seed S     base seed (default: SYSTOLE_SEED, else random)
#     -j J          cases at once (default 2)  --max-macs M MAC budget per GEMM (default 20000)
#     --config C    configuration (tiny)       --out DIR    reports (default build/netlist-check/<UTC time>)
# Exit status: systole-regress's (0 every case passed, 1 a case failed), 1 if the self-check did
# not fire.
set -euo pipefail
exe=${1:?usage: netlist_check.sh <systole-netlist-regress> [-n N] [-j J] [--seed S] [--max-macs M] [--config C] [--out DIR]}
shift
n=8 jobs=2 macs=20000 config=tiny out="" seed=${SYSTOLE_SEED:-}
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --max-macs) macs=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "netlist_check.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$seed" ] || seed=$(( (RANDOM << 15 | RANDOM) ))
[ -n "$out" ] || out=build/netlist-check/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
echo "netlist-check: $config, $n case(s), seed $seed, MAC budget $macs; replay the whole run with"
echo "  make netlist-check SEED=$seed N=$n NETLIST_MACS=$macs"

# 1. The self-check: a short DMA program (it fetches and moves data, so the inverted bit is read).
start=$(date +%s)
set +e
selfcheck=$(SYSTOLE_NETLIST_FAULT=1 "$exe" replay --kind dma --config "$config" --seed 1 \
            --set 'n_insn=2 max_elems=16 queues=1' 2>&1)
status=$?
set -e
if [ $status -eq 0 ] || ! grep -q 'netlist lock-step: the yosys netlist' <<<"$selfcheck"; then
  echo "netlist-check: SELF-CHECK FAILED: with the netlist's read data perturbed (SYSTOLE_NETLIST_FAULT=1)"
  echo "the lock-step compare did not report a mismatch (exit status $status). Output:"
  echo "$selfcheck" | tail -20
  exit 1
fi
echo "netlist-check: self-check fired as it must ($(( $(date +%s) - start )) s):"
grep -o 'netlist lock-step: the yosys netlist[^;]*' <<<"$selfcheck" | head -1 | sed 's/^/  /'

# 2. The random cases.
set +e
"$exe" run -n "$n" --configs "$config" --kinds gemm,dma,vector --max-macs "$macs" --seed "$seed" -j "$jobs" \
       --minimize-time 120 --out "$out"
status=$?
set -e

# 3. Speed per case.
python3 - "$out/results.json" <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{'case':>4} {'kind':4} {'seed':>20} {'status':6} {'cycles':>9} {'wall s':>7} {'cycles/s':>9}")
tc = tw = 0
for c in r["cases"]:
    cyc, wall = c.get("cycles", 0), c.get("wall_seconds", 0.0)
    rate = cyc / wall if wall > 0 else 0
    tc, tw = tc + cyc, tw + wall
    print(f"{c['index']:>4} {c['kind']:4} {c['seed']:>20} {c['status']:6} {cyc:>9} {wall:>7.1f} {rate:>9.0f}")
if tw > 0:
    print(f"total {tc} chip cycles in {tw:.1f} s of case time: {tc / tw:.0f} cycles/s "
          "(chip CYCLES counter, START to END, over each case's wall time incl. golden model and setup)")
PY
exit $status
