#!/usr/bin/env bash
# Checks that C++ sources follow .clang-format (clang-format 14, Debian 12's).
#   packaging/check-format.sh            every tracked .h/.cpp (what the test command runs)
#   packaging/check-format.sh REF        only those changed since git REF (e.g. main, HEAD~3)
#   packaging/check-format.sh --fix [REF] reformat them in place instead
# Exits non-zero naming each file that differs, with the command that fixes it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fix=0
if [ "${1:-}" = "--fix" ]; then fix=1; shift; fi
if ! command -v clang-format > /dev/null; then
  echo "check-format: clang-format is missing (packaging/install-deps.sh installs it)" >&2
  exit 2
fi
if ! git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  echo "check-format: not a git checkout (a source archive): nothing to compare"
  exit 0
fi
if [ $# -gt 0 ]; then
  # Changed since REF, and new files git does not track yet.
  mapfile -t files < <(git diff --name-only --diff-filter=d "$1" -- '*.h' '*.cpp'
                       git ls-files --others --exclude-standard -- '*.h' '*.cpp')
else
  mapfile -t files < <(git ls-files '*.h' '*.cpp')
fi
present=()
for file in "${files[@]}"; do [ -f "$file" ] && present+=("$file"); done
files=("${present[@]}")
differ=()
if [ ${#files[@]} -gt 0 ]; then
  if [ $fix = 1 ]; then
    printf '%s\0' "${files[@]}" | xargs -0 -n 50 -P 2 clang-format -i
  else
    # One process per 50 files; each difference is reported as "FILE:LINE:COL: error: ...".
    mapfile -t differ < <(printf '%s\0' "${files[@]}" |
      xargs -0 -n 50 -P 2 clang-format --dry-run --Werror 2>&1 |
      sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
  fi
fi
if [ ${#differ[@]} -gt 0 ]; then
  printf 'check-format: not formatted as .clang-format says: %s\n' "${differ[@]}" >&2
  echo "check-format: fix with  packaging/check-format.sh --fix${1:+ $1}" >&2
  exit 1
fi
if [ $fix = 1 ]; then
  echo "check-format: ${#files[@]} files formatted in place"
else
  echo "check-format: ${#files[@]} files checked, all formatted"
fi
