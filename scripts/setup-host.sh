#!/usr/bin/env bash
# Optional, for editors and running the app without Docker: pinned Poetry, the
# locked Python environment (.venv, dev group included) and the locked npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

POETRY_VERSION=2.5.1
POETRY_HOME=.cache/poetry-$POETRY_VERSION

need() { command -v "$1" >/dev/null || { echo "setup: $2" >&2; exit 1; }; }
need python3 "python3 (3.11 to 3.14) is required: install it from your OS packages"
need npm "Node.js 20+ with npm is required: see https://nodejs.org or your OS packages"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "setup: Node.js 20+ is required, found $(node --version)" >&2; exit 1; }

# Poetry in a venv of its own, so it never shares packages with the project.
if [ ! -x "$POETRY_HOME/bin/poetry" ]; then
  echo "setup: installing Poetry $POETRY_VERSION into $POETRY_HOME" >&2
  python3 -m venv "$POETRY_HOME"
  "$POETRY_HOME/bin/pip" install --quiet "poetry==$POETRY_VERSION"
fi

# Both are no-ops when the environment already matches the lockfiles.
"$POETRY_HOME/bin/poetry" sync --quiet
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
