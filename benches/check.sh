#!/usr/bin/env bash
# The checker's own cost per case: `docpact check` in stream mode with the reference driver
# (docpact's own client, so an SDK's time does not count) over every case except the
# timeout faults (which wait on purpose), ROUNDS times (default 5). Prints the median wall
# time of a run and the time per case; jobs default to 1 (JOBS=2 for two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-5}"
JOBS="${JOBS:-1}"
cargo build --release --quiet --bin docpact
bin="$PWD/target/release/docpact"
selection=()
for kind in sample example 'missing:*' 'invalid:*' 'rule:*' 'error:*' idempotent 'auth:*' \
  'fault:http*' 'fault:reset' 'fault:throttle'; do
  selection+=(--cases "*/$kind")
done
cases=$("$bin" check --list "${selection[@]}" | wc -l)
times=()
for _ in $(seq "$ROUNDS"); do
  start=$(date +%s%N)
  "$bin" check --driver "$bin driver" --jobs "$JOBS" "${selection[@]}" > /dev/null
  end=$(date +%s%N)
  times+=($(( (end - start) / 1000000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
awk -v m="$median" -v c="$cases" -v j="$JOBS" -v all="${times[*]}" 'BEGIN {
  printf "%d cases, %d job(s): median %d ms per run (runs: %s ms), %.3f ms per case\n", c, j, m, all, m / c }'
