#!/usr/bin/env bash
# The replay decision's cost in instructions per request, one row per signing scheme: a figure
# that repeats where timings do not (on a shared virtual machine the hypervisor takes a varying
# share of the cores; callgrind counts the same instructions whatever else runs). Each row is
# the difference between two runs of the `decide` example one pass apart, divided by COUNT:
# decoding, verification, validation, the success answer and the journal, without sockets.
# Under valgrind SHA-1 and SHA-256 run their portable code (no SHA extensions), so hashing
# weighs more here than on hardware that has them.
#
# Environment: COUNT (distinct requests per pass, 1000), SCHEMES (space-separated), DECIDE (a
# built decide binary; by default the release one is built).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-1000}"
SCHEMES="${SCHEMES:-acs3 rpc-get rpc-post roa tc3 tc-hmacsha256 tc-hmacsha1}"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
if [ -z "${DECIDE:-}" ]; then
  cargo build --release --quiet --example decide
  DECIDE=./target/release/examples/decide
fi
# Instructions of one run with ROUNDS timed passes (plus the warm-up pass).
count() { # rounds scheme
  COUNT="$COUNT" ROUNDS="$1" STEPS=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$DECIDE" "$2" 2>&1 >/dev/null | awk '/Collected/ {print $4}'
}
echo "| scheme | instructions per request |"
echo "|---|---:|"
for scheme in $SCHEMES; do
  one=$(count 1 "$scheme")
  two=$(count 2 "$scheme")
  [ -n "$one" ] && [ -n "$two" ] || { echo "$scheme: callgrind gave no count" >&2; exit 1; }
  printf '| %s | %s |\n' "$scheme" "$(( (two - one) / COUNT ))"
done
