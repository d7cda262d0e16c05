#!/usr/bin/env bash
# Resource estimate of the tensor engine (rtl/tensor/tensor_engine: PE array, skew, de-skew,
# command and stationary control) for one configuration with yosys 0.23, parameters from
# configs/configs.json. Prints one Markdown table row; docs/fpga.md records the results.
# Usage: fpga/estimate_array.sh <tiny|fpga|default|large> <ice40|xc7> [top]
#   ice40: synth_ice40 -dsp (iCE40UP5K, 5,280 LCs, 8 SB_MAC16)
#   xc7:   synth_xilinx (7-series)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cfg=${1:?config}
target=${2:?ice40 or xc7}
top=${3:-tensor_engine}
# Every RTL file in dependency order (the chip's file list, rtl/top/top.f, includes every block's).
mapfile -t files < <(scripts/rtl_files.py rtl/top/top.f)
mapfile -t incdirs < <(scripts/rtl_files.py --incdirs rtl/top/top.f)
yinc=("${incdirs[@]/#/-I}")
declared=$(grep -oE 'parameter +(int +)?[A-Z][A-Za-z0-9]*' "$(find rtl -name "$top.sv")" | awk '{print $NF}' | sort -u)
chparams=""
for p in $declared; do
  v=$(python3 -c "import json; print(json.load(open('configs/configs.json'))['$cfg'].get('$p',''))")
  [ -n "$v" ] && chparams+=" -chparam $p $v"
done
case $target in
  ice40) synth="synth_ice40 -dsp -top $top" ;;
  xc7)   synth="synth_xilinx -top $top" ;;
  *) echo "unknown target $target" >&2; exit 1 ;;
esac
start=$(date +%s)
stat=$(yosys -q -p "read_verilog -sv ${yinc[*]} ${files[*]}; hierarchy -top $top $chparams; $synth; tee -o /dev/stdout stat" 2>&1 | sed -n '/Number of cells/,$p')
secs=$(( $(date +%s) - start ))
cell() { awk -v re="$1" '$1 ~ re && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' <<<"$stat"; }
if [ "$target" = ice40 ]; then
  echo "| $top | $cfg | iCE40 | LUT4 $(cell '^SB_LUT4$') | CARRY $(cell '^SB_CARRY$') | FF $(cell '^SB_DFF') | SB_MAC16 $(cell '^SB_MAC16$') | RAM $(cell '^SB_RAM') | ${secs} s |"
else
  echo "| $top | $cfg | xc7 | LUT $(cell '^LUT[1-6]$') | CARRY4 $(cell '^CARRY4$') | FF $(cell '^FD[CPRS]E$') | DSP48E1 $(cell '^DSP48E1$') | BRAM $(cell '^RAMB') | ${secs} s |"
fi
