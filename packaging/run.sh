#!/usr/bin/env bash
# Sets up (missing Debian packages), builds (release preset, incremental) and starts the
# workbench. Without a display the program says so and runs its headless equivalent.
# Extra arguments go to bert-workbench (e.g. --preset base).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
packaging/install-deps.sh
[ -f build/release/build.ninja ] || cmake --preset release
cmake --build --preset release --target bert-workbench bert-workbench-cli
exec build/release/app/gui/bert-workbench "$@"
