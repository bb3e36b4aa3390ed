#!/usr/bin/env bash
# Sets up (missing Debian packages), builds everything (release preset, incremental) and
# runs the whole test suite headless. Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
packaging/install-deps.sh
# Style first: seconds, and it names the files to fix before a long build.
packaging/check-format.sh
[ -f build/release/build.ninja ] || cmake --preset release
cmake --build --preset release
export QT_QPA_PLATFORM=offscreen
ctest --preset release "$@"
