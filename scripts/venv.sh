#!/usr/bin/env bash
# Creates .venv (Python 3.11+) if needed and installs the project into it.
# Usage: scripts/venv.sh [EXTRAS]   e.g. scripts/venv.sh test
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  "$python" -m venv .venv
fi
spec="."
if [[ -n "${1:-}" ]]; then
  spec=".[$1]"
fi
# Only reinstall when pyproject.toml changed since the last install.
stamp=".venv/.installed-${1:-app}"
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e "$spec"
  touch "$stamp"
fi
