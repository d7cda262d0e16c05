#!/usr/bin/env bash
# Tests scripts/regress-slurm.sh against a one-node Slurm started on loopback (slurmctld and
# slurmd as root, auth/none, state in a temporary directory): a few tiny cases in 3 array tasks plus the merge job, then checks that
# the merged results hold every case once and equal an unsharded local run of the same seed.
# Exits 77 (skipped) with the reason when Slurm is not installed or its daemons do not come up.
#
# usage: test_slurm.sh SYSTOLE_REGRESS_BINARY WORK_DIR [N] [SHARDS]
set -uo pipefail

bin=${1:?usage: test_slurm.sh SYSTOLE_REGRESS_BINARY WORK_DIR [N] [SHARDS]}
work=${2:?usage: test_slurm.sh SYSTOLE_REGRESS_BINARY WORK_DIR [N] [SHARDS]}
n=${3:-8}
shards=${4:-3}
seed=20240501
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
submit=$here/../../scripts/regress-slurm.sh
start=$(date +%s.%N)

skip() {
  echo "test_slurm: SKIPPED: $*"
  exit 77
}
fail() {
  echo "test_slurm: FAILED: $*" >&2
  exit 1
}
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)"; }

[ -x "$bin" ] || fail "$bin is not an executable (build the systole-regress target)"

mkdir -p "$work"
rm -rf "$work"/slurm.*  # earlier runs' (kept for their logs until the next run)
tmp=$(mktemp -d "$(cd "$work" && pwd)/slurm.XXXXXX") || fail "cannot create a directory under $work"
mkdir -p "$tmp"/{state,spool,log}

# Argument errors are caught before anything is submitted, Slurm or not.
expect_error() {
  local want=$1
  shift
  local msg rc
  msg=$("$@" 2>&1)
  rc=$?
  [ $rc -eq 2 ] || fail "'$*' exited $rc, expected 2; output: $msg"
  [[ "$msg" == *"$want"* ]] || fail "'$*' said '$msg', expected it to mention '$want'"
}
expect_error "--shards '0': expected a positive integer" "$submit" --bin "$bin" --shards 0
expect_error "give one of them" "$submit" --bin "$bin" -n 5 --time 60
expect_error "not an executable file" "$submit" --bin "$work/nonesuch"
expect_error "unknown argument '--bogus'" "$submit" --bin "$bin" --bogus
mkdir -p "$tmp/used/shard_0"
expect_error "already holds a run" "$submit" --dry-run --bin "$bin" --out "$tmp/used"
# A PATH with the tools the script needs but no sbatch.
mkdir -p "$tmp/nosbatch"
for t in bash dirname basename od tr date mkdir chmod cat; do ln -sf "$(command -v "$t")" "$tmp/nosbatch/$t"; done
expect_error "sbatch not found" env PATH="$tmp/nosbatch" bash "$submit" --bin "$bin" --out "$tmp/nosbatch_out"

for t in slurmctld slurmd sinfo sbatch squeue scancel; do
  command -v "$t" >/dev/null 2>&1 || skip "$t not installed (Debian: apt-get install slurmctld slurmd slurm-client)"
done

ctld_pid=
slurmd_pid=
cleanup() {
  # Cancel what is left (a failed check mid-run) while the controller is up, then stop both daemons.
  if [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
    jobs_left=$(squeue -h -o %i 2>/dev/null)
    if [ -n "$jobs_left" ]; then
      # shellcheck disable=SC2086
      scancel $jobs_left 2>/dev/null
      sleep 2
    fi
  fi
  for p in $slurmd_pid $ctld_pid; do
    kill "$p" 2>/dev/null
  done
  for p in $slurmd_pid $ctld_pid; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free ports, so that a Slurm already running here (or a second test) does not clash. Outside the
# ephemeral range: slurmd's first connect() to a not-yet-listening controller port inside it can
# self-connect (source port = destination port) and take the port from slurmctld.
read -r ctld_port slurmd_port < <(python3 -c '
import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
ports = []
while len(ports) < 2:
    p = random.randrange(10000, min(lo, 32768) - 1)
    try:
        with socket.socket() as s: s.bind(("127.0.0.1", p))
        if p not in ports: ports.append(p)
    except OSError: pass
print(*ports)')
user=$(id -un)
cat >"$tmp/slurm.conf" <<EOF
ClusterName=systoletest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/none
CredType=cred/none
SlurmUser=$user
SlurmdUser=$user
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SwitchType=switch/none
MailProg=/bin/true
MinJobAge=4
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$tmp/slurm.conf

slurmctld -D -i >"$tmp/log/slurmctld.stdout" 2>&1 &
ctld_pid=$!
# slurmd after the controller listens: it registers at once.
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$ctld_port") 2>/dev/null && break
  kill -0 "$ctld_pid" 2>/dev/null || break
  sleep 0.1
done
slurmd -D -N localhost >"$tmp/log/slurmd.stdout" 2>&1 &
slurmd_pid=$!
state=
for _ in $(seq 150); do
  state=$(sinfo -h -n localhost -o %t 2>/dev/null)
  [ "$state" = idle ] && break
  if ! kill -0 "$ctld_pid" 2>/dev/null || ! kill -0 "$slurmd_pid" 2>/dev/null; then break; fi
  sleep 0.2
done
if [ "$state" != idle ]; then
  tail -n 5 "$tmp"/log/* 2>/dev/null
  [ "$(id -u)" -eq 0 ] || skip "the Slurm daemons did not come up as user $user (not root; node state '$state'); logs in $tmp/log"
  skip "the Slurm daemons did not come up (node state '$state' after up to 30 s); logs in $tmp/log"
fi
echo "test_slurm: one-node Slurm up after $(elapsed) s (ports $ctld_port/$slurmd_port, $tmp)"

# The sharded run through Slurm, and the same run unsharded, locally. Small cases: the test is
# about the farm, not the chip.
small=(--max-macs 20000)
out=$tmp/out
"$submit" --wait --bin "$bin" --shards "$shards" -n "$n" --configs tiny --seed "$seed" --jobs 1 --out "$out" \
  -- "${small[@]}" >"$tmp/submit.log" 2>&1
slurm_rc=$?
cat "$tmp/submit.log"
slurm_time=$(elapsed)
"$bin" run -n "$n" --configs tiny --seed "$seed" -j 1 --out "$tmp/local" "${small[@]}" >"$tmp/local.log" 2>&1
local_rc=$?
[ $slurm_rc -eq $local_rc ] || fail "regress-slurm.sh --wait exited $slurm_rc, the unsharded run $local_rc (logs: $tmp)"
[ -f "$out/junit.xml" ] || fail "no merged $out/junit.xml"
[ -f "$out/report.html" ] || fail "no merged $out/report.html"
for ((i = 0; i < shards; i++)); do
  [ -f "$out/shard_$i/results.json" ] || fail "shard $i wrote no results.json (log $out/slurm/shard_$i.out)"
done

python3 - "$out/results.json" "$tmp/local/results.json" "$n" "$shards" "$seed" <<'EOF' || fail "merged results differ from the unsharded run"
import json, sys
merged, local = (json.load(open(f)) for f in sys.argv[1:3])
n, shards, seed = map(int, sys.argv[3:6])
def key(r): return [(c["index"], c["seed"], c["params"], c["status"]) for c in r["cases"]]
idx = [c["index"] for c in merged["cases"]]
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("test_slurm:", what, file=sys.stderr)
        ok = False
check(len(idx) == n, f"merged run has {len(idx)} cases, expected {n}")
check(idx == list(range(n)), f"merged indices {idx}, expected 0..{n - 1} once each")
check(merged["meta"]["base_seed"] == seed, f"merged base seed {merged['meta']['base_seed']}, expected {seed}")
check(merged["meta"]["shard"] == f"merged:{shards}", f"merged shard '{merged['meta']['shard']}'")
for i in range(shards):
    part = json.load(open(sys.argv[1].replace("results.json", f"shard_{i}/results.json")))
    got = [c["index"] for c in part["cases"]]
    check(part["meta"]["shard"] == f"{i}/{shards}", f"shard {i} ran as '{part['meta']['shard']}'")
    check(got == [k for k in range(n) if k % shards == i], f"shard {i} ran indices {got}")
check(key(merged) == key(local), f"(index, seed, params, status) differ:\n merged {key(merged)}\n local  {key(local)}")
sys.exit(0 if ok else 1)
EOF
echo "test_slurm: PASSED: $n cases in $shards array tasks + merge equal the unsharded run (exit $slurm_rc); Slurm part $slurm_time s, total $(elapsed) s"
