#!/usr/bin/env bash
# Runs the libFuzzer harnesses of the fuzz preset (tests/fuzz/README.md).
# Usage: tests/fuzz/run-fuzzers.sh MINUTES [HARNESS...]   (default: every harness)
# Runs as many harnesses at once as there are cores (at most 4), each for MINUTES, and prints
# one line per harness: executions, coverage, corpus size and findings.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:?usage: $0 MINUTES [HARNESS...]}
shift
build=build/fuzz
[ -x "$build/tests/fuzz/fuzz_config_json" ] || {
  echo "build the fuzz preset first: cmake --preset fuzz && cmake --build --preset fuzz" >&2
  exit 2
}
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for source in tests/fuzz/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    [ "$name" = fuzz_support ] || harnesses+=("$name")
  done
fi
jobs=$(nproc)
[ "$jobs" -gt 4 ] && jobs=4

run_one() {
  local harness=$1 minutes=$2 build=$3
  local name=${harness#fuzz_}
  local work=$build/fuzz-corpus/$name findings=$build/findings/$name log=$build/fuzz-logs/$harness.log
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  local seeds=(tests/fuzz/corpus/$name)
  [ -d tests/fuzz/regressions/$name ] && seeds+=(tests/fuzz/regressions/$name)
  # -rss_limit_mb: a parser that needs more than 2 GiB for a 4 KB input is a finding too.
  "$build/tests/fuzz/$harness" "$work" "${seeds[@]}" -max_total_time=$((minutes * 60)) \
    -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$findings/" >"$log" 2>&1 || true
  local runs cov found
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  found=$(find "$findings" -type f | wc -l)
  printf '%-26s %12s execs  cov %6s  corpus %5s  findings %s\n' "$harness" "$runs" "$cov" \
    "$(find "$work" -type f | wc -l)" "$found"
  [ "$found" -eq 0 ] || find "$findings" -type f | sed 's/^/    /'
}
export -f run_one
printf '%s\n' "${harnesses[@]}" | xargs -P "$jobs" -I{} bash -c "run_one {} $minutes $build"
