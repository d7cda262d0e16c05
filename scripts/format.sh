#!/usr/bin/env bash
# Formats the project's C++ with .clang-format (clang-format 14, Debian's clang-format package).
#   scripts/format.sh           rewrite every file in place (make format)
#   scripts/format.sh --check   change nothing; exit 1 naming the files that differ (ctest format_check)
# The files are the tracked .cpp/.hpp; the generated register map (sw/regs/.../csr_map.hpp,
# scripts/gen_csr.py) is left as the generator writes it (test_gen_csr checks it byte for byte).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v clang-format >/dev/null || { echo "format: clang-format not found (scripts/install-deps.sh installs it)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^sw/regs/include/systole/regs/csr_map\.hpp$')
[ ${#files[@]} -gt 0 ] || { echo "format: no C++ files found (not a git checkout?)" >&2; exit 2; }
if [ "${1:-}" = "--check" ]; then
  bad=()
  for f in "${files[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    echo "format: ${#bad[@]} of ${#files[@]} files differ from .clang-format (run scripts/format.sh or make format):"
    printf '  %s\n' "${bad[@]}"
    exit 1
  fi
  echo "format: ${#files[@]} files match .clang-format"
else
  clang-format -i "${files[@]}"
  echo "format: ${#files[@]} files formatted"
fi
