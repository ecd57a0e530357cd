#!/usr/bin/env bash
# Runs every in-tree driver through `docpact check` against the committed snapshots
# (drivers/snapshots) and known failures (drivers/known-failures.txt); exits 1 if any fails.
# Extra arguments go to every check (`--accept` rewrites the snapshots after a reviewed change).
# DOCPACT names the docpact binary (default: a release build of this checkout); with
# RESULTS_DIR set, each driver's results go to RESULTS_DIR/<name>.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ -z "${DOCPACT:-}" ]; then
  cargo build --release --quiet
  DOCPACT="$root/target/release/docpact"
fi
py="$(drivers/setup.sh)"
node_driver="$(drivers/setup-node.sh)"
export DOCPACT_TCCLI_PYTHON="$(drivers/setup-tccli.sh)"
status=0
check() {
  local name=$1
  shift
  echo "== $name"
  local results=()
  if [ -n "${RESULTS_DIR:-}" ]; then
    results=(--results "$RESULTS_DIR/$name.json")
  fi
  "$DOCPACT" check --name "$name" --snapshots drivers/snapshots \
    --known-failures drivers/known-failures.txt --jobs 2 "${results[@]}" "$@" || status=1
}
check reference --driver "$DOCPACT driver" "$@"
for client in tea core tc3 tc-hmacsha256 tc-hmacsha1; do
  check "python-$client" --driver "$py drivers/python/driver.py" --client "$client" "$@"
done
for client in popcore-get popcore-post popcore-roa tc3 tc-hmacsha256 tc-hmacsha1; do
  check "node-$client" --driver "node $node_driver" --client "$client" "$@"
done
check tccli --driver "python3 drivers/tccli/driver.py" --mode oneshot --tls --operations "tencent/*" "$@"
exit $status
