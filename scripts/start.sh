#!/usr/bin/env bash
# One command from a fresh clone to the running desktop app:
# installs system packages and Python dependencies, then starts the app on the default
# registry (a SQLite file in the user data folder; an empty registry offers demo data).
# Extra arguments go to main.py, e.g. scripts/start.sh --db postgresql://user@host/registry
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh
scripts/venv.sh
exec .venv/bin/python main.py "$@"
