#!/usr/bin/env bash
# `make test`: install what the suites need on this machine, lint, then run every suite
# (tests/app on SQLite, tests/image against real images, tests/e2e in Chromium).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/app -k search
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-host.sh
scripts/lint.sh
scripts/ensure-docker-engine.sh
scripts/ensure-browser.sh
exec .venv/bin/pytest "$@"
