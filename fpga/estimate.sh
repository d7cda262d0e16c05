#!/usr/bin/env bash
# Resource estimates of RTL modules with yosys: iCE40 (synth_ice40 -dsp, the iCEBreaker's UP5K)
# and Xilinx 7-series (synth_xilinx, the Arty A7). Prints a Markdown table.
# Usage: fpga/estimate.sh [module ...]   (default: every module under rtl/numerics)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Every RTL file in dependency order (the chip's file list, rtl/top/top.f, includes every block's).
mapfile -t files < <(scripts/rtl_files.py rtl/top/top.f)
mapfile -t incdirs < <(scripts/rtl_files.py --incdirs rtl/top/top.f)
yinc=("${incdirs[@]/#/-I}")
if [ $# -gt 0 ]; then mods=("$@"); else mapfile -t mods < <(scripts/rtl_files.py rtl/numerics/numerics.f | grep -v '_pkg\.sv$' | xargs -n1 basename | sed 's/\.sv$//'); fi

cell() {  # cell <stat output> <cell name regex>: sum of matching cell counts
  awk -v re="$2" '$1 ~ re && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' <<<"$1"
}
echo "| module | iCE40 LCs (SB_LUT4) | iCE40 SB_CARRY | iCE40 DSP (SB_MAC16) | xc7 LUTs | xc7 CARRY4 | xc7 DSP48E1 |"
echo "|---|---|---|---|---|---|---|"
for m in "${mods[@]}"; do
  ice=$(yosys -q -p "read_verilog -sv ${yinc[*]} ${files[*]}; synth_ice40 -dsp -top $m; tee -o /dev/stdout stat" 2>&1 | sed -n '/Number of cells/,$p')
  xc7=$(yosys -q -p "read_verilog -sv ${yinc[*]} ${files[*]}; synth_xilinx -top $m; tee -o /dev/stdout stat" 2>&1 | sed -n '/Number of cells/,$p')
  echo "| $m | $(cell "$ice" '^SB_LUT4$') | $(cell "$ice" '^SB_CARRY$') | $(cell "$ice" '^SB_MAC16$') | $(cell "$xc7" '^LUT[1-6]$') | $(cell "$xc7" '^CARRY4$') | $(cell "$xc7" '^DSP48E1$') |"
done
