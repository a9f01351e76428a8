#!/usr/bin/env bash
# `make lint`, in the test image: Python style (ruff), Dockerfiles (hadolint), shell scripts
# (shellcheck) and the CI workflow (actionlint). The linters are pinned in the dev dependency
# group and the test image, so every machine runs the same versions.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then exec scripts/runner.sh scripts/lint.sh "$@"; fi

ruff check .
ruff format --check .
hadolint Dockerfile tools/offline/bases/*.Dockerfile
shellcheck -x scripts/*.sh tools/*/*.sh tools/offline/bases/*.sh .ci/run
actionlint
echo "lint: ruff, hadolint, shellcheck and actionlint are clean"
