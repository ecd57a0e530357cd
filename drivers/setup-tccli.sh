#!/usr/bin/env bash
# Installs the pinned tccli into .venv-tccli (once; again when the pins change) and prints the
# path of its python. Tests call this; it needs python3 and PyPI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-tccli"
req="$root/drivers/tccli/requirements.txt"
# Tests start several of these at once: one installs, the others wait for it.
exec 9>"$(cd "$(dirname "$0")/.." && pwd)/.setup.lock"
flock 9
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
