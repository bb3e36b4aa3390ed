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
if [ $# -gt 0 ]; then
  mapfile -t files < <(git diff --name-only --diff-filter=d "$1" -- '*.h' '*.cpp')
else
  mapfile -t files < <(git ls-files '*.h' '*.cpp')
fi
differ=()
for file in "${files[@]}"; do
  [ -n "$file" ] && [ -f "$file" ] || continue
  if [ $fix = 1 ]; then
    clang-format -i "$file"
  elif ! clang-format --dry-run --Werror "$file" > /dev/null 2>&1; then
    differ+=("$file")
  fi
done
if [ ${#differ[@]} -gt 0 ]; then
  printf 'check-format: not formatted as .clang-format says: %s\n' "${differ[@]}" >&2
  echo "check-format: fix with  packaging/check-format.sh --fix${1:+ $1}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files checked, all formatted"
