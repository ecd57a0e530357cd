#!/usr/bin/env bash
# The replay benchmark: docpact serve (signature verification and validation on) against a
# bare hyper server, one row per signing scheme, loaded by wrk over loopback. The server runs
# on core 0, wrk on core 1. For each scheme and round, docpact and bare hyper replay the same
# pre-signed requests (each with its own nonce and signature), docpact first in odd rounds and
# second in even ones; the ratio of a round is docpact's requests/s over bare hyper's, and the
# table gives the median of ROUNDS rounds.
# A last line gives how busy the server and wrk were (a saturated client caps that side).
# Bounded: SCHEMES x ROUNDS x 2 runs of DURATION seconds (defaults: 7 x 3 x 2 x 4 s, under
# 3 minutes), plus the start-up timing.
#
# Environment: DURATION (s), ROUNDS, CONNECTIONS (10), COUNT (distinct requests, 50,000),
# SCHEMES (space-separated; the reference driver's client names), OUT (a file for the table;
# every run's raw line goes to OUT.runs beside it, so that a round can be looked up later),
# FLAGS (more flags for the docpact serve of the docpact column, such as --no-verify, to
# measure what a step of the decision costs), EXTRA (see below),
# EXTRA=N: docpact serves N more operations besides the built-in ones (copies of the ENS
# contract under other action names, filed before the built-in ones), to show that the number
# of operations a server holds does not slow a request down.
# COMPARE=cassette: instead of bare hyper, `docpact serve --cassettes` with a cassette holding
# one interaction per request (COUNT of them), so that every request matches one; the ratio
# is then cassette replay over contract-only replay.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-4}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-10}"
COUNT="${COUNT:-50000}"
SCHEMES="${SCHEMES:-acs3 rpc-get rpc-post roa tc3 tc-hmacsha256 tc-hmacsha1}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release --quiet --bin docpact --example gen_requests --example bare_hyper --example cassette
COMPARE="${COMPARE:-hyper}"
read -ra flags <<< "${FLAGS:-}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
contracts=()
if [ "${EXTRA:-0}" -gt 0 ]; then
  cp -r contracts "$work/contracts"
  python3 - "$work/contracts" "$EXTRA" <<'PY'
import json, sys
root, n = sys.argv[1], int(sys.argv[2])
folder = f"{root}/alibaba/ens/2017-11-10"
contract = json.load(open(f"{folder}/CreateInstance.json"))
for i in range(n):
    contract["action"] = f"AThing{i:05d}"
    json.dump(contract, open(f"{folder}/AThing{i:05d}.json", "w"))
PY
  contracts=(--contracts "$work/contracts")
fi
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Ticks the hypervisor took from cores 0 and 1 (the steal column of /proc/stat).
steal() { awk '/^cpu[01] / {s += $9} END {print s + 0}' /proc/stat; }

# CPU ticks a process has used: user and system.
ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }

# One wrk run against ADDR with REQUESTS; appends "name scheme round rps p50 p99 peak non2xx
# steal% server% client% user_us sys_us" (steal: the share of the run's two cores taken by the
# hypervisor; server and client: how busy the server's process and wrk were, in % of one core;
# user_us and sys_us: the server's CPU time per request answered, in user space and in the
# kernel, from the process's tick counts).
measure() { # name scheme round pid addr requests
  local name=$1 scheme=$2 round=$3 pid=$4 addr=$5 requests=$6
  local s0; s0=$(steal)
  local u0 s0t; read -r u0 s0t < <(ticks "$pid")
  local w0; w0=$(date +%s%N)
  local TIMEFORMAT=%P
  { time REQUESTS="$requests" taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
    -s benches/requests.lua "http://$addr/" > "$work/wrk.out"; } 2> "$work/wrk.cpu"
  local u1 s1t; read -r u1 s1t < <(ticks "$pid")
  local server=$(( (u1 + s1t - u0 - s0t) * 100 * 1000000000 / (($(date +%s%N) - w0) * $(getconf CLK_TCK)) ))
  local client; client=$(awk '{printf "%d", $1}' "$work/wrk.cpu")
  local rps p50 p99 hwm non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk -F= '/latency_p50_us/ {print $2}' "$work/wrk.out")
  p99=$(awk -F= '/latency_p99_us/ {print $2}' "$work/wrk.out")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")
  local stolen; stolen=$(( ($(steal) - s0) * 100 / (2 * DURATION * $(getconf CLK_TCK)) ))
  local answered; answered=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  local per_request; per_request=$(awk -v u=$((u1 - u0)) -v s=$((s1t - s0t)) -v n="${answered:-0}" \
    -v hz="$(getconf CLK_TCK)" 'BEGIN {if (n > 0) printf "%.2f %.2f", u * 1e6 / hz / n, s * 1e6 / hz / n; else print "0 0"}')
  echo "$name $scheme $round $rps $p50 $p99 $hwm ${non2xx:-0} $stolen $server $client $per_request" >> "$work/runs"
}

# docpact serve on PORT, measured with the round's requests.
run_docpact() { # scheme round port
  local scheme=$1 round=$2 dport=$3
  taskset -c 0 ./target/release/docpact serve --listen "127.0.0.1:$dport" "${contracts[@]}" \
    --no-rate-limits --no-unique-names --no-nonce-check --journal 1000 "${flags[@]}" > /dev/null 2>&1 &
  local dpid=$!
  until curl -sf "http://127.0.0.1:$dport/__docpact/health" > /dev/null; do
    kill -0 "$dpid" 2> /dev/null || { echo "docpact serve did not start (FLAGS: ${FLAGS:-none})" >&2; exit 1; }
    sleep 0.01
  done
  measure docpact "$scheme" "$round" "$dpid" "127.0.0.1:$dport" "$work/requests"
  kill "$dpid"; wait "$dpid" 2>/dev/null || true
}

# The server docpact is compared with (bare hyper, or docpact replaying a cassette), measured
# with the same requests.
run_other() { # scheme round
  local scheme=$1 round=$2 bport; bport=$(port)
  if [ "$COMPARE" = cassette ]; then
    # The same requests' parameters (the signing host aside) make the cassette.
    COUNT="$COUNT" WRITE="$work/cassette.json" ./target/release/examples/cassette "$scheme" > /dev/null
    taskset -c 0 ./target/release/docpact serve --listen "127.0.0.1:$bport" --strict \
      --cassettes "$work/cassette.json" --no-rate-limits --no-unique-names --no-nonce-check \
      --journal 1000 > /dev/null 2>&1 &
  else
    taskset -c 0 ./target/release/examples/bare_hyper "127.0.0.1:$bport" > /dev/null &
  fi
  local bpid=$!
  until curl -s "http://127.0.0.1:$bport/__docpact/health" > /dev/null; do sleep 0.01; done
  measure hyper "$scheme" "$round" "$bpid" "127.0.0.1:$bport" "$work/requests"
  if [ "$COMPARE" = cassette ] && curl -s "http://127.0.0.1:$bport/__docpact/journal" | grep -q NoRecordedInteraction; then
    echo "$scheme: requests the cassette did not match (see the journal)" >&2; exit 1
  fi
  kill "$bpid"; wait "$bpid" 2>/dev/null || true
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

touch "$work/runs"
for round in $(seq 1 "$ROUNDS"); do
  for scheme in $SCHEMES; do
    # Requests carry the Host they are signed for: one file per round and scheme, signed for
    # docpact's port (bare hyper does not look at them).
    dport=$(port)
    ./target/release/examples/gen_requests "127.0.0.1:$dport" "$COUNT" "$work/requests" "$scheme"
    # Odd rounds run docpact first, even rounds the other server first: a machine whose speed
    # drifts during a round then favours neither side over the rounds.
    if [ $((round % 2)) -eq 1 ]; then
      run_docpact "$scheme" "$round" "$dport"; run_other "$scheme" "$round"
    else
      run_other "$scheme" "$round"; run_docpact "$scheme" "$round" "$dport"
    fi
  done
done

[ -z "${OUT:-}" ] || cp "$work/runs" "$OUT.runs"
python3 - "$work/runs" "$CONNECTIONS" "$DURATION" "$ROUNDS" "$COMPARE" <<'PY' | tee "${OUT:-/dev/null}"
import collections, statistics, sys
path, conns, duration, rounds, compare = sys.argv[1:]
other = "with cassette" if compare == "cassette" else "bare hyper"
runs = collections.defaultdict(dict)
for line in open(path):
    name, scheme, rnd, rps, p50, p99, hwm, non2xx, stolen, server, client, user, kernel = line.split()
    runs[(scheme, rnd)][name] = dict(rps=float(rps), p50=int(p50), p99=int(p99), hwm=int(hwm), non2xx=int(non2xx), steal=int(stolen),
                                     server=int(server), client=int(client), user=float(user), kernel=float(kernel))
schemes = list(dict.fromkeys(s for s, _ in runs))
print(f"{conns} connections, {duration} s per run, median of {rounds} rounds")
print(f"| scheme | docpact req/s | {other} req/s | ratio | rounds' ratios | docpact p50 / p99 (us) | {other} p99 (us) | docpact peak | non-2xx | steal | CPU per request, user + kernel (us): docpact | {other} |")
print(f"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
med = statistics.median
worst = []
for s in schemes:
    rs = [runs[(s2, r)] for (s2, r) in runs if s2 == s]
    d = [r["docpact"] for r in rs]
    h = [r["hyper"] for r in rs]
    # With a cassette, the ratio is cassette replay over contract-only replay.
    ratios = [(y["rps"] / x["rps"]) if compare == "cassette" else (x["rps"] / y["rps"]) for x, y in zip(d, h)]
    ratio = med(ratios)
    p99 = med(x["p99"] for x in d)
    worst.append((ratio, p99))
    print(f"| {s} | {med(x['rps'] for x in d):,.0f} | {med(x['rps'] for x in h):,.0f} | {ratio:.3f} | "
          f"{min(ratios):.3f}–{max(ratios):.3f} | {med(x['p50'] for x in d):.0f} / {p99:.0f} | {med(x['p99'] for x in h):.0f} | "
          f"{max(x['hwm'] for x in d) / 1024:.0f} MB | {sum(x['non2xx'] for x in d)} | "
          f"{max(r['steal'] for x in rs for r in x.values())}% | "
          f"{med(x['user'] for x in d):.1f} + {med(x['kernel'] for x in d):.1f} | "
          f"{med(x['user'] for x in h):.1f} + {med(x['kernel'] for x in h):.1f} |")
print(f"lowest ratio {min(r for r, _ in worst):.3f}, highest docpact p99 {max(p for _, p in worst):.0f} us")
# A saturated client means that side's req/s is wrk's ceiling, not the server's.
busy = lambda name, key: med(r[name][key] for r in runs.values())
print(f"busy (median, % of one core): docpact {busy('docpact', 'server')}% with wrk at {busy('docpact', 'client')}%; "
      f"{other} {busy('hyper', 'server')}% with wrk at {busy('hyper', 'client')}%")
# Against docpact the server should be the busy side; a client near its own ceiling there too
# (a slow day: bare hyper well under its usual rate) squeezes every ratio toward 1.
if busy('docpact', 'client') >= 80:
    print(f"warning: wrk was {busy('docpact', 'client')}% busy against docpact as well: its own ceiling is "
          f"near in both columns, which squeezes the ratios toward 1; compare them only with runs "
          f"where wrk idles against docpact")
stolen = max(r["steal"] for x in runs.values() for r in x.values())
if stolen > 5:
    print(f"warning: the hypervisor took up to {stolen}% of the cores during a run; "
          f"figures from this run are not comparable with a quiet machine's")
PY
