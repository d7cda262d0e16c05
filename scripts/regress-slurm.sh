#!/usr/bin/env bash
# Runs one night's random regression as a Slurm job array: SHARDS tasks, task i running
# `systole-regress run --shard i/SHARDS` with one base seed shared by all tasks (so the shards
# together are exactly the unsharded run), then a merge job (afterany: it also runs when a shard
# failed or died) that joins the shards' results.json into OUT/{results.json,junit.xml,report.html}.
# OUT and the binary must be on a filesystem every node sees. docs/verification.md, "Sharding".
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/regress-slurm.sh [options] [-- extra systole-regress run arguments]
Options override the environment variables named beside them (REGRESS_*: plain N, TIME or JOBS
are too often set for other tools).
  --bin PATH          systole-regress binary       (env SYSTOLE_REGRESS; default build/default/verif/regress/systole-regress)
  --shards N          array tasks                  (env REGRESS_SHARDS; default 4)
  -n N                cases in the whole run       (env REGRESS_N; default 2000 unless --time)
  --time S            time budget of each task, s  (env REGRESS_TIME)
  --configs LIST      configurations               (env REGRESS_CONFIGS; default tiny,fpga,default)
  --kinds LIST        case kinds                   (env REGRESS_KINDS; default: the binary's)
  --seed S            base seed                    (env REGRESS_SEED or SYSTOLE_SEED; default: random, printed)
  --jobs J            cases at once per task = --cpus-per-task (env REGRESS_JOBS; default 2)
  --partition P       Slurm partition              (env REGRESS_PARTITION)
  --out DIR           output directory             (env REGRESS_OUT; default build/regress/slurm-<UTC time>)
  --sbatch-args ARGS  extra sbatch arguments, split on spaces (env REGRESS_SBATCH_ARGS), e.g. "--time=04:00:00 --qos=low"
                      (a Slurm time limit must cover the run, --time, plus minimizing failures)
  --wait              wait for the merge; exit status is the merge job's: 0 every case passed, 1 a case
                      failed, 2 nothing to merge or the shards disagree, 3 a shard left no results.json
  --dry-run           write the job scripts and print the sbatch commands without submitting
EOF
}

die() {
  echo "regress-slurm: $*" >&2
  exit 2
}
need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then die "$1 needs a value (see --help)"; fi; }
uint() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 '$2': expected a non-negative integer"; }
posint() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 '$2': expected a positive integer"; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${SYSTOLE_REGRESS:-$repo/build/default/verif/regress/systole-regress}
shards=${REGRESS_SHARDS:-4}
count=${REGRESS_N:-}
time_s=${REGRESS_TIME:-}
configs=${REGRESS_CONFIGS:-tiny,fpga,default}
kinds=${REGRESS_KINDS:-}
seed=${REGRESS_SEED:-${SYSTOLE_SEED:-}}
jobs=${REGRESS_JOBS:-2}
partition=${REGRESS_PARTITION:-}
out=${REGRESS_OUT:-}
sbatch_args=${REGRESS_SBATCH_ARGS:-}
wait=0
dry=0
extra=()

while [ $# -gt 0 ]; do
  case "$1" in
    --bin) need_value "$@"; bin=$2; shift 2 ;;
    --shards) need_value "$@"; shards=$2; shift 2 ;;
    -n) need_value "$@"; count=$2; shift 2 ;;
    --time) need_value "$@"; time_s=$2; shift 2 ;;
    --configs) need_value "$@"; configs=$2; shift 2 ;;
    --kinds) need_value "$@"; kinds=$2; shift 2 ;;
    --seed) need_value "$@"; seed=$2; shift 2 ;;
    --jobs) need_value "$@"; jobs=$2; shift 2 ;;
    --partition) need_value "$@"; partition=$2; shift 2 ;;
    --out) need_value "$@"; out=$2; shift 2 ;;
    --sbatch-args) need_value "$@"; sbatch_args=$2; shift 2 ;;
    --wait) wait=1; shift ;;
    --dry-run) dry=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

posint --shards "$shards"
posint --jobs "$jobs"
[ -z "$count" ] || posint -n "$count"
[ -z "$time_s" ] || posint --time "$time_s"
[ -z "$count" ] || [ -z "$time_s" ] || die "-n $count and --time $time_s: give one of them"
[ -n "$count" ] || [ -n "$time_s" ] || count=2000
[[ "$configs" =~ ^[a-z0-9_]+(,[a-z0-9_]+)*$ ]] || die "--configs '$configs': expected a comma-separated list, e.g. tiny,fpga"
[ -z "$kinds" ] || [[ "$kinds" =~ ^[a-z0-9_]+(,[a-z0-9_]+)*$ ]] || die "--kinds '$kinds': expected a comma-separated list, e.g. gemm,dma"
if [ -z "$seed" ]; then
  seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
fi
uint --seed "$seed"
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then
  die "--bin '$bin': not an executable file (build it: cmake --build build/default --target systole-regress)"
fi
if [ "$dry" = 0 ] && ! command -v sbatch >/dev/null 2>&1; then
  die "sbatch not found in PATH: run this on a Slurm submit host (Debian: apt-get install slurm-client; see scripts/install-deps.sh)"
fi

# Absolute paths: the jobs do not necessarily start in this directory.
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -n "$out" ] || out=$repo/build/regress/slurm-$(date -u +%Y%m%dT%H%M%SZ)
# A stale shard_<i>/results.json would be merged as if this run had written it.
if [ -e "$out/results.json" ] || compgen -G "$out/shard_*" >/dev/null; then
  die "--out '$out' already holds a run (results.json or shard_*): choose a new directory"
fi
mkdir -p "$out/slurm" || die "--out '$out': cannot create the directory"
out=$(cd "$out" && pwd)

# The command of each task; the task's index and count come from Slurm at run time.
run=("$bin" run --seed "$seed" --configs "$configs" -j "$jobs")
if [ -n "$count" ]; then run+=(-n "$count"); else run+=(--time "$time_s"); fi
[ -z "$kinds" ] || run+=(--kinds "$kinds")
run+=("${extra[@]}")

cat >"$out/slurm/shard.sh" <<EOF
#!/usr/bin/env bash
# Task \$SLURM_ARRAY_TASK_ID of the regression's job array (written by scripts/regress-slurm.sh).
i=\$SLURM_ARRAY_TASK_ID
n=\${SLURM_ARRAY_TASK_COUNT:-$shards}
exec $(printf '%q ' "${run[@]}")--shard "\$i/\$n" --out $(printf '%q' "$out")/shard_"\$i"
EOF

cat >"$out/slurm/merge.sh" <<EOF
#!/usr/bin/env bash
# Joins the shards' reports (written by scripts/regress-slurm.sh). A shard without results.json
# (killed, out of time, node lost) makes the merge fail: a partial night must not look green.
out=$(printf '%q' "$out")
files=()
missing=()
for ((i = 0; i < $shards; i++)); do
  if [ -f "\$out/shard_\$i/results.json" ]; then files+=("\$out/shard_\$i/results.json"); else missing+=("\$i"); fi
done
if [ \${#files[@]} -eq 0 ]; then
  echo "merge: no shard wrote results.json (see \$out/slurm/shard_*.out)" >&2
  exit 2
fi
$(printf '%q' "$bin") merge --out "\$out" "\${files[@]}"
rc=\$?
if [ \${#missing[@]} -gt 0 ]; then
  echo "merge: shard(s) \${missing[*]} of $shards wrote no results.json (see \$out/slurm/shard_<i>.out); the merged report lacks their cases" >&2
  [ \$rc -ne 0 ] || rc=3
fi
exit \$rc
EOF
chmod +x "$out/slurm/shard.sh" "$out/slurm/merge.sh"

common=(--parsable)
[ -z "$partition" ] || common+=(--partition="$partition")
read -r -a user_args <<<"$sbatch_args"
common+=("${user_args[@]}")
array_cmd=(sbatch "${common[@]}" --job-name=systole-regress --array=0-$((shards - 1)) --cpus-per-task="$jobs"
  --output="$out/slurm/shard_%a.out" "$out/slurm/shard.sh")
merge_cmd=(sbatch "${common[@]}" --job-name=systole-regress-merge --cpus-per-task=1
  --output="$out/slurm/merge.out")
[ "$wait" = 0 ] || merge_cmd+=(--wait)

echo "regress-slurm: base seed $seed, $shards shards, ${count:+$count cases}${time_s:+$time_s s per shard}, configs $configs, output $out"
if [ "$dry" = 1 ]; then
  echo "regress-slurm: dry run; would submit:"
  printf '  %q' "${array_cmd[@]}"; echo
  printf '  %q' "${merge_cmd[@]}" --dependency=afterany:ARRAY_JOB_ID "$out/slurm/merge.sh"; echo
  exit 0
fi

array_id=$("${array_cmd[@]}") || die "sbatch of the job array failed (command: ${array_cmd[*]})"
array_id=${array_id%%;*}  # --parsable prints "id[;cluster]"
echo "regress-slurm: job array $array_id submitted (logs $out/slurm/shard_<i>.out)"
merge_cmd+=(--dependency=afterany:"$array_id" "$out/slurm/merge.sh")
if [ "$wait" = 0 ]; then
  merge_id=$("${merge_cmd[@]}") || die "sbatch of the merge job failed; the array $array_id runs on (scancel $array_id)"
  echo "regress-slurm: merge job ${merge_id%%;*} runs after the array; report: $out/report.html"
  exit 0
fi

# --wait: sbatch prints the id at submission and returns the job's exit code when it ends.
trap 'echo "regress-slurm: interrupted; the jobs may still be queued or running (squeue; scancel $array_id and the merge job)" >&2; exit 130' INT TERM
set +e
"${merge_cmd[@]}" | sed -u 's/^/regress-slurm: merge job /'
rc=${PIPESTATUS[0]}
set -e
echo "regress-slurm: merge finished with status $rc; report: $out/report.html (log $out/slurm/merge.out)"
exit "$rc"
