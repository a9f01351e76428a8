#!/usr/bin/env bash
# Build and start the development stack, wait until the site answers, print its URL.
set -euo pipefail
cd "$(dirname "$0")/.."

# Base images for the dev target (and PostgreSQL with COMPOSE_PROFILES=postgres):
# official ones, or stand-ins built offline. Assigned first: a failure inside
# `eval "$(...)"` would go unnoticed.
extra=()
if [[ ${COMPOSE_PROFILES:-} == *postgres* ]]; then extra=(postgres); fi
bases=$(scripts/base-images.sh "${extra[@]}")
eval "$bases"
export PYTHON_IMAGE NODE_IMAGE POSTGRES_IMAGE
# The containers run as you, so files they write into ./bfportal stay yours.
DEV_UID=$(id -u) DEV_GID=$(id -g)
export DEV_UID DEV_GID

docker compose up --build --detach --wait "$@"
echo
echo "bfportal is running at http://localhost:${DEV_PORT:-8000}/ (admin: /admin/, user admin, password admin)"
echo "Logs: docker compose logs -f   Stop: make down"
