#!/usr/bin/env bash
# Remove what the project made locally: the dev stack with its volumes (PROJECT_dev-data and
# PROJECT_dev-postgres, which no production or swarm stack's volume is named), the project's
# images and build output. Base-image stand-ins and BuildKit's cache are kept (they
# make the next build fast); `docker builder prune` drops the latter.
set -euo pipefail
cd "$(dirname "$0")/.."

if docker info >/dev/null 2>&1; then
  # The dev file only, whatever COMPOSE_FILE says.
  docker compose --file docker-compose.yml down --volumes --remove-orphans
  docker image rm --force bfportal:final bfportal:dev bfportal:test 2>/dev/null || true
fi
rm -rf bfportal/staticfiles bfportal/theme/static/css/dist artifacts .cache/e2e-dev .pytest_cache .ruff_cache
echo "clean: removed the dev stack, its volumes, bfportal images and build output"
