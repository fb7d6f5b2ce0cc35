#!/usr/bin/env bash
# One command from a fresh clone to the whole test suite: installs system packages (Xvfb,
# poppler, fonts, PostgreSQL) and Python test dependencies, then runs ruff, the layer contract
# and pytest. The suite starts its own throwaway PostgreSQL server; here it is required.
# It runs on every core (pytest-xdist, each worker with its own PostgreSQL server), a test
# file per worker at a time, so a file's shared fixtures are built once; INCUBATOR_TEST_WORKERS
# sets how many (1: none apart). Extra arguments go to pytest, e.g. scripts/test.sh -k lifecycle
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-packages.sh test
scripts/venv.sh test
.venv/bin/ruff check incubator ui tests main.py bench
.venv/bin/lint-imports
export INCUBATOR_REQUIRE_POSTGRES=1
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -n "${INCUBATOR_TEST_WORKERS:-auto}" --dist loadfile "$@"
