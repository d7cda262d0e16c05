#!/usr/bin/env bash
# Lints every RTL module as a top, for every configuration, with both tools we depend on (the files
# from the block file lists, rtl/<block>/<block>.f, through scripts/rtl_files.py):
#   verilator --lint-only -Wall   (no waivers unless explained in the RTL)
#   yosys read_verilog -sv; hierarchy; proc   (keeps RTL inside the subset the FPGA flow accepts;
#                                              implicit-wire and out-of-bounds warnings fail it)
# A module's parameters that match a configuration parameter (configs/configs.json) get that value.
# Usage: scripts/lint.sh [tiny|fpga|default|large|all|CONFIG,CONFIG...]   (default: all)
#   SYSTOLE_LINT_TOPS=<regex>  only these modules as tops (every file is still read)
#
# One exception, printed when it applies: a module instantiating the PE array with more than
# $max_pes PEs (Partitions x Columns, i.e. `large`, 128x128) is checked by yosys only. Verilator's
# -Wall lint elaborates every PE and needs over 10 GB and many minutes there; the same code is
# Verilator-linted at 4x2, 8x8 and 16x16.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
which=${1:-all}
configs=$(python3 -c 'import json,sys; d=json.load(open("configs/configs.json")); print(" ".join(k for k in d if not k.startswith("_")))')
[ "$which" = all ] || configs=${which//,/ }
max_pes=1024

# The roots: the chip's file list (rtl/top/top.f, which includes every block of chip_top) and the
# blocks not (yet) in chip_top, each linted with its own files (rtl/link/link.f: the chip-to-chip
# link layer). Every .sv under rtl/ must be in exactly one block list.
scripts/rtl_files.py --check >/dev/null || { scripts/rtl_files.py --check; exit 1; }
roots=(rtl/top/top.f rtl/link/link.f)
fail=0
count=0
nmods=0
done_tops=" "
lint_root() {
mapfile -t files < <(scripts/rtl_files.py "$1" | sed "s|^$root/||")
mapfile -t incdirs < <(scripts/rtl_files.py --incdirs "$1" | sed "s|^$root/||")
mods=()
for f in "${files[@]}"; do
  [[ "$f" == *_pkg.sv ]] && continue
  [[ "$done_tops" == *" $f "* ]] && continue  # linted with an earlier root
  mods+=("$f")
done
[ ${#mods[@]} -eq 0 ] && return 0
vinc=("${incdirs[@]/#/-I}")
yscript=""
ytops=()
for cfg in $configs; do
  for f in "${mods[@]}"; do
    top=$(basename "$f" .sv)
    if [ -n "${SYSTOLE_LINT_TOPS:-}" ] && ! [[ "$top" =~ ^(${SYSTOLE_LINT_TOPS})$ ]]; then continue; fi
    # Parameters this module declares (UpperCamelCase names), matched against the configuration.
    declared=$(grep -oE 'parameter +(int +|integer +|bit +|logic +)?(unsigned +)?[A-Z][A-Za-z0-9]*' "$f" | awk '{print $NF}' | sort -u || true)
    vparams=()
    yparams=()
    for p in $declared; do
      v=$(python3 -c "import json; d=json.load(open('configs/configs.json'))['$cfg']; print(d.get('$p',''))")
      if [ -n "$v" ]; then vparams+=("-G$p=$v"); yparams+=("-chparam $p $v"); fi
    done
    count=$((count + 1))
    cfgval() { python3 -c "import json; print(json.load(open('configs/configs.json'))['$cfg']['$1'])"; }
    if grep -qE 'parameter +(int +)?(unsigned +)?Partitions' "$f" && grep -qE 'parameter +(int +)?(unsigned +)?Columns' "$f" &&
       [ $(( $(cfgval Partitions) * $(cfgval Columns) )) -gt $max_pes ]; then
      echo "note: [$cfg] $top: $(cfgval Partitions)x$(cfgval Columns) PEs > $max_pes, yosys only (see the header of scripts/lint.sh)"
    elif ! out=$(verilator --lint-only -Wall "${vinc[@]}" "${files[@]}" --top-module "$top" "${vparams[@]}" 2>&1); then
      echo "FAIL verilator [$cfg] $top"; echo "$out" | head -40; fail=1
    fi
    # yosys: collected into one script per configuration (parsing every file once, not once per
    # top); each top is checked on a fresh copy of the parsed design.
    yscript+="design -load parsed; log LINT_TOP $top; hierarchy -check -top $top ${yparams[*]}; proc; "
    ytops+=("$top")
  done
  if [ ${#ytops[@]} -gt 0 ]; then
    if ! out=$(yosys -p "read_verilog -sv ${vinc[*]} ${files[*]}; design -save parsed; $yscript" 2>&1); then
      # The script stops at the first failure: name the top being checked and show the error.
      top=$(echo "$out" | { grep -E '^LINT_TOP ' || true; } | tail -1 | cut -d' ' -f2)
      echo "FAIL yosys [$cfg] ${top:-<reading the files>}"; echo "$out" | { grep -E 'ERROR|Error|error' || true; } | head -40; fail=1
    fi
    # Warnings that mean yosys builds something else than the source says (a struct member it
    # could not resolve becomes a new 1-bit wire; a select it misread becomes undef): errors here.
    bad=$(echo "$out" | { grep -E 'Warning: (Identifier .* is implicitly declared|Range select .* out of bounds)' || true; } | sort -u | head -20)
    if [ -n "$bad" ]; then echo "FAIL yosys [$cfg]: elaboration warnings"; echo "$bad"; fail=1; fi
  fi
  yscript=""
  ytops=()
done
for f in "${mods[@]}"; do done_tops+="$f "; done
nmods=$((nmods + ${#mods[@]}))
}
for r in "${roots[@]}"; do lint_root "$r"; done
if [ "$nmods" -eq 0 ]; then echo "lint: no RTL modules found" >&2; exit 1; fi
if [ $fail -ne 0 ]; then echo "lint: FAILED"; exit 1; fi
echo "lint: ${nmods} modules x $(echo $configs | wc -w) configurations clean under verilator -Wall and yosys ($count checks)"
