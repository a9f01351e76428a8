#!/usr/bin/env bash
# Static checks: Python style (ruff), Dockerfiles (hadolint), shell scripts (shellcheck).
# The linters are pinned in the dev dependency group, so every machine runs the same versions.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin

"$bin/ruff" check .
"$bin/ruff" format --check .
"$bin/hadolint" Dockerfile scripts/bases/*.Dockerfile
"$bin/shellcheck" -x scripts/*.sh scripts/bases/*.sh .ci/run
echo "lint: ruff, hadolint and shellcheck are clean"
