#!/usr/bin/env bash
# Runs fabric_ring (its arguments after the binary) in one process and over 2 and 3 MPI ranks
# (mpirun --oversubscribe; --allow-run-as-root as root) and requires identical outputs: every
# node's reception digest, done cycle and counters, and the cycle count.
set -euo pipefail
bin=$1; shift
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$bin" "$@" > "$tmp/1.txt"
root=(); [ "$(id -u)" -eq 0 ] && root=(--allow-run-as-root)
for n in 2 3; do
  mpirun --oversubscribe "${root[@]}" -np "$n" "$bin" "$@" > "$tmp/$n.txt"
  if ! diff -u "$tmp/1.txt" "$tmp/$n.txt"; then echo "FAIL: $n ranks differ from 1 process"; exit 1; fi
done
grep -q "finished yes" "$tmp/1.txt" || { echo "FAIL: the run did not finish"; cat "$tmp/1.txt"; exit 1; }
cat "$tmp/1.txt"
echo "PASS: 1, 2 and 3 processes agree"
