#!/usr/bin/env bash
# Installs the pinned mitmproxy into .venv-mitmproxy (once; again when the pin changes) and
# prints the path of its mitmdump. The cassette tests record HAR files with it; needs python3
# and PyPI.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/.venv-mitmproxy"
req="$root/tests/tools/mitmproxy-requirements.txt"
exec 9>"$root/.setup.lock"
flock 9
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/mitmdump" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/mitmdump"
