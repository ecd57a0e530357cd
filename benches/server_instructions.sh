#!/usr/bin/env bash
# Instructions per request of the whole server, hyper and tokio included (the kernel is not
# counted): docpact serve and the bare hyper server under callgrind, loaded by wrk over
# loopback with the same pre-signed requests as benches/run.sh. After a warm-up the counters
# are zeroed, wrk runs for a window, the counters are dumped, and the total is divided by the
# requests wrk completed. A figure that repeats where req/s does not (the hypervisor's share
# of the cores changes timings, not instruction counts); under valgrind SHA-1 and SHA-256
# run their portable code, so hashing weighs more than on a CPU with SHA extensions.
#
# Environment: SCHEMES (space-separated), WINDOW (s, 5), BIN (a docpact binary; by default
# the release one is built).
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMES="${SCHEMES:-acs3 rpc-get rpc-post roa tc3 tc-hmacsha256 tc-hmacsha1}"
WINDOW="${WINDOW:-5}"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet --bin docpact --example gen_requests --example bare_hyper
BIN="${BIN:-./target/release/docpact}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Instructions per request of one server: count NAME SCHEME
count() {
  local name=$1 scheme=$2 p; p=$(port)
  ./target/release/examples/gen_requests "127.0.0.1:$p" 50000 "$work/requests" "$scheme"
  local server=("$BIN" serve --listen "127.0.0.1:$p" --no-rate-limits --no-unique-names
    --no-nonce-check --journal 1000)
  [ "$name" = docpact ] || server=(./target/release/examples/bare_hyper "127.0.0.1:$p")
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.$name" "${server[@]}" \
    > /dev/null 2> "$work/valgrind.err" &
  local pid=$!
  local tries=0
  until curl -s "http://127.0.0.1:$p/__docpact/health" > /dev/null; do
    sleep 0.1; tries=$((tries + 1))
    [ "$tries" -lt 300 ] || { echo "$name did not start under valgrind" >&2; cat "$work/valgrind.err" >&2; exit 1; }
  done
  REQUESTS="$work/requests" wrk -t1 -c10 -d2s -s benches/requests.lua "http://127.0.0.1:$p/" > /dev/null
  callgrind_control -z "$pid" > /dev/null 2>&1
  REQUESTS="$work/requests" wrk -t1 -c10 -d"${WINDOW}s" -s benches/requests.lua "http://127.0.0.1:$p/" > "$work/wrk.out"
  callgrind_control -d "$pid" > /dev/null 2>&1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local n total
  n=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  total=$(awk '/^summary:/ {print $2}' "$work/cg.$name.1")
  [ -n "$n" ] && [ -n "$total" ] && [ "$n" -gt 0 ] || { echo "$name $scheme: no count" >&2; exit 1; }
  echo "$name $scheme: $total instructions over $n requests" >&2
  echo $(( total / n ))
  rm -f "$work"/cg.*
}

echo "| scheme | docpact instructions per request | bare hyper | docpact over bare hyper |"
echo "|---|---:|---:|---:|"
for scheme in $SCHEMES; do
  d=$(count docpact "$scheme")
  b=$(count hyper "$scheme")
  printf '| %s | %s | %s | %s |\n' "$scheme" "$d" "$b" "$(python3 -c "print(f'{$d / $b:.1f}x')")"
done
