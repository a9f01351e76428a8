#!/usr/bin/env bash
# `make test`: install what the suites need on this machine, lint, then run every suite:
# tests/app on SQLite and again on PostgreSQL, tests/image against real images,
# tests/e2e in Chromium, tests/stack on the prod-like stack.
# Extra arguments go to the first pytest run, e.g. scripts/test.sh tests/app -k search
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-host.sh
scripts/lint.sh
scripts/ensure-docker-engine.sh
scripts/ensure-browser.sh
postgres_url=$(scripts/ensure-postgres.sh)

.venv/bin/pytest "$@"
echo "== tests/app again, on PostgreSQL =="
DATABASE_URL=$postgres_url .venv/bin/pytest tests/app
