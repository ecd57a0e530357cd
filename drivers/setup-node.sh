#!/usr/bin/env bash
# Installs the pinned official Node SDKs (drivers/node/package-lock.json) into
# drivers/node/node_modules, once and again when the lock changes. Needs node and npm.
set -euo pipefail
dir="$(cd "$(dirname "$0")/node" && pwd)"
# Tests start several of these at once: one installs, the others wait for it.
exec 9>"$(cd "$(dirname "$0")/.." && pwd)/.setup.lock"
flock 9
stamp="$dir/node_modules/.docpact-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" > "$stamp"
fi
echo "$dir/driver.js"
