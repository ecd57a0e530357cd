#!/usr/bin/env bash
# Installs har-validator from the npm registry (pinned in tests/tools/har) once, and again
# when the lock changes; prints the path of the validating script. Needs node and npm.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/tests/tools/har"
exec 9>"$root/.setup.lock"
flock 9
stamp="$dir/node_modules/.docpact-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" > "$stamp"
fi
echo "$dir/validate.js"
