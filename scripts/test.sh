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
if [[ $postgres_url != postgres://* || $postgres_url == *$'\n'* ]]; then
  echo "test: scripts/ensure-postgres.sh gave '$postgres_url', not one postgres:// URL" >&2
  exit 1
fi
echo "test: the second app run uses PostgreSQL at ${postgres_url#*@}"

.venv/bin/pytest "$@"
echo "== tests/app again, on PostgreSQL =="
DATABASE_URL=$postgres_url .venv/bin/pytest tests/app
