#!/usr/bin/env bash
# Installs the pinned official Python SDKs into .venv (once; again when the pins change) and
# prints the path of its python. The tests' readers of docpact's files (tests/tools) go into
# the same environment. Tests call this; it needs python3 and PyPI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
req="$root/drivers/python/requirements.txt"
tools="$root/tests/tools/requirements.txt"
# Tests start several of these at once: one installs, the others wait for it.
exec 9>"$(cd "$(dirname "$0")/.." && pwd)/.setup.lock"
flock 9
stamp="$venv/.requirements.sha256"
want="$(cat "$req" "$tools" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" -r "$tools" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
