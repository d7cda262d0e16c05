#!/usr/bin/env bash
# Installs every Debian package Systole needs, only when something is missing.
# Idempotent: when everything is present it only runs dpkg-query and exits in a second or two.
# Uses sudo when not root. Set SYSTOLE_SKIP_DEPS=1 to skip entirely (e.g. a pinned CI image).
set -euo pipefail

if [ "${SYSTOLE_SKIP_DEPS:-0}" = "1" ]; then
  echo "install-deps: skipped (SYSTOLE_SKIP_DEPS=1)"
  exit 0
fi

# One package per line; keep in sync with README "Dependencies".
packages=(
  build-essential cmake make git python3 ccache
  verilator
  libgtest-dev libfmt-dev nlohmann-json3-dev libcli11-dev
  yosys nextpnr-ice40 fpga-icestorm iverilog
  lcov clang-format gnuplot-nox
  slurmctld slurmd slurm-client
  openmpi-bin libopenmpi-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: not root and no sudo; please install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
