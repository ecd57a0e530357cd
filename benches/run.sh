#!/usr/bin/env bash
# The replay benchmark: docpact serve (signature verification and validation on) against a
# bare hyper server returning the same bytes, in one run, each pinned to one core, loaded by
# wrk on the other core over loopback. Bounded: DURATION seconds per server (default 20).
# Prints requests/s, p50/p99 latency, peak memory (VmHWM), the ratio, and start-up time.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-50}"
COUNT="${COUNT:-100000}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet --bin docpact --example gen_requests --example bare_hyper
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

measure() { # name pid addr
  local name=$1 pid=$2 addr=$3
  REQUESTS="$work/requests" taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s benches/requests.lua "http://$addr/" > "$work/$name.wrk"
  local rps p50 p99 hwm total
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.wrk")
  total=$(awk '/requests in/ {print $1}' "$work/$name.wrk")
  p50=$(awk -F= '/latency_p50_us/ {print $2}' "$work/$name.wrk")
  p99=$(awk -F= '/latency_p99_us/ {print $2}' "$work/$name.wrk")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/$name.wrk")
  printf '%-8s %10s req/s  %8s requests  p50 %6s us  p99 %6s us  peak %6s KiB  non-2xx %s\n' \
    "$name" "$rps" "$total" "$p50" "$p99" "$hwm" "${non2xx:-0}"
  echo "$rps" > "$work/$name.rps"
}

# docpact serve: start-up timed from process start to its first answer (median of 15 starts).
python3 - <<'PY'
import socket, statistics, subprocess, time
times = []
for _ in range(15):
    t0 = time.perf_counter()
    p = subprocess.Popen(["taskset", "-c", "0", "./target/release/docpact", "serve", "--listen", "127.0.0.1:0"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    addr = p.stdout.readline().decode().split("http://")[1].strip()
    host, port = addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)))
    s.sendall(b"GET /__docpact/health HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(100)
    times.append((time.perf_counter() - t0) * 1000)
    p.terminate()
    p.wait()
print(f"docpact serve ready after {statistics.median(times):.1f} ms (median of 15; max {max(times):.1f} ms)")
PY
dport=$(port)
./target/release/examples/gen_requests "127.0.0.1:$dport" "$COUNT" "$work/requests"
taskset -c 0 ./target/release/docpact serve --listen "127.0.0.1:$dport" \
  --no-rate-limits --no-unique-names --no-nonce-check --journal 1000 > /dev/null 2>&1 &
dpid=$!
until curl -sf "http://127.0.0.1:$dport/__docpact/health" > /dev/null; do sleep 0.01; done
measure docpact "$dpid" "127.0.0.1:$dport"
kill "$dpid"; wait "$dpid" 2>/dev/null || true

bport=$(port)
taskset -c 0 ./target/release/examples/bare_hyper "127.0.0.1:$bport" > /dev/null &
bpid=$!
until curl -s "http://127.0.0.1:$bport/" > /dev/null; do sleep 0.01; done
measure hyper "$bpid" "127.0.0.1:$bport"
kill "$bpid"; wait "$bpid" 2>/dev/null || true

python3 -c "import sys; d,h=float(open('$work/docpact.rps').read()),float(open('$work/hyper.rps').read()); print(f'docpact / bare hyper = {d/h:.1%}')"
