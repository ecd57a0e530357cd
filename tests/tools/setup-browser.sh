#!/usr/bin/env bash
# Installs what the HTML report's tests read it with: Debian's chromium (headless) and the
# Nu HTML Checker (vnu-jar from the npm registry, pinned in tests/tools/browser, run with
# Java). Prints the path of vnu.jar. Needs root for apt-get when chromium or Java is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/tests/tools/browser"
# Tests start several of these at once: one installs, the others wait for it.
exec 9>"$root/.setup.lock"
flock 9
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
stamp="$dir/node_modules/.docpact-lock.sha256"
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" > "$stamp"
fi
echo "$dir/node_modules/vnu-jar/build/dist/vnu.jar"
