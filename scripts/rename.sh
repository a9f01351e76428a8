#!/usr/bin/env bash
# `make rename NAME=acme [TITLE="Acme Corp"]`: once, right after cloning, give the starter
# your project's name: its folders (with git mv), imports, settings modules, image tags,
# compose projects, environment variables, npm packages, and TITLE for what people read.
# It refuses, in one line and changing nothing, an unfit NAME, a tree renamed already or
# uncommitted changes. Nothing is committed: review with `git status`, then commit.
# The work is scripts/rename.py, run in the test image (it needs Python and git).
#   Usage: scripts/rename.sh NAME [TITLE]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${BFPORTAL_RUNNER:-} ]]; then exec scripts/runner.sh scripts/rename.sh "$@"; fi

exec python scripts/rename.py "$@"
