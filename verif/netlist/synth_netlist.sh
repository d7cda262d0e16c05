#!/usr/bin/env bash
# Synthesizes chip_top of one configuration with yosys 0.23 into a Verilog netlist for the
# lock-step check (docs/verification.md, "Netlist vs RTL").
#
#   verif/netlist/synth_netlist.sh <config> <out.v> [<top name>]
#   SYSTOLE_NETLIST_LEVEL=coarse (default) | gate
#
# The RTL is read as scripts/lint.sh reads it: the files of rtl/top/top.f (scripts/rtl_files.py),
# read_verilog -sv (yosys defines SYNTHESIS, so the assertion macros of rtl/include compile out);
# the configuration's parameters come from configs/configs.json.
# - coarse: yosys's generic `synth -flatten -noalumacc -noshare` up to `fine`: everything yosys's
#   front end and `proc` made of the RTL (where the silent mis-builds of docs/conventions.md
#   section 2 happen), flattened and optimized (opt, fsm, wreduce, peepopt, memory -nomap),
#   written as word-level Verilog expressions, registers and memory arrays (tiny: ~1.5 minutes,
#   ~7k cells, 1.3 MB). No `share`: its SAT search ran for over 30 minutes on `fpga`.
# - gate: the same, then techmap and `abc -fast` (memories still arrays): ~184k gates, 15.6 MB,
#   ~7.5 minutes, and ~10 more to Verilate it. Not what the check uses (docs/verification.md
#   section 6): kept to study the gate-level netlist in Verilator.
# The top is renamed (default chip_top_netlist) so the netlist can sit beside the RTL chip_top in
# one model. The netlist is written to <out.v>.tmp and renamed at the end, so an interrupted run
# leaves no half-written netlist behind; the yosys log goes to <out.v>.log, statistics to
# <out.v>.stat.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cfg=${1:?usage: synth_netlist.sh <config> <out.v> [<top name>]}
out=${2:?usage: synth_netlist.sh <config> <out.v> [<top name>]}
top=${3:-chip_top_netlist}
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
cd "$root"

# -chparam for every chip_top parameter of the configuration.
chparams=$(python3 - "$cfg" <<'PY'
import json, sys
d = json.load(open("configs/configs.json"))
if sys.argv[1] not in d or sys.argv[1].startswith("_"):
    sys.exit(f"synth_netlist.sh: no configuration '{sys.argv[1]}' in configs/configs.json")
print(" ".join(f"-set {k} {v}" for k, v in d[sys.argv[1]].items()))
PY
)
# The chip's files in dependency order and its include directories, from its file list.
mapfile -t files < <(scripts/rtl_files.py rtl/top/top.f)
mapfile -t incdirs < <(scripts/rtl_files.py --incdirs rtl/top/top.f)
[ ${#files[@]} -gt 0 ] || { echo "synth_netlist.sh: rtl/top/top.f lists no files" >&2; exit 1; }

level=${SYSTOLE_NETLIST_LEVEL:-coarse}
case "$level" in
  coarse) flow="synth -flatten -noalumacc -noshare -top chip_top -run begin:fine;" ;;
  gate)   flow="synth -flatten -top chip_top -run begin:fine;
               opt -fast -full; techmap; opt -fast; abc -fast; opt -fast;" ;;
  *) echo "synth_netlist.sh: SYSTOLE_NETLIST_LEVEL must be coarse or gate, not '$level'" >&2; exit 2 ;;
esac

script="read_verilog -sv ${incdirs[*]/#/-I} ${files[*]};
chparam $chparams chip_top;
$flow
rename -top $top;
tee -o $out.stat stat;
write_verilog -noattr $out.tmp"
start=$(date +%s)
if ! yosys -q -l "$out.log" -p "$script" >/dev/null; then
  echo "synth_netlist.sh: yosys failed for '$cfg' (log: $out.log):" >&2
  grep -E 'ERROR' "$out.log" | head -20 >&2
  exit 1
fi
mv -f "$out.tmp" "$out"
echo "synth_netlist.sh: $cfg chip_top -> $out ($top) in $(( $(date +%s) - start )) s," \
     "$(grep -m1 -E 'Number of cells' "$out.stat" | awk '{print $NF}') cells"
