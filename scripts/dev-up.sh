#!/usr/bin/env bash
# Build and start the development stack, wait until the site answers, print its URL.
# Extra arguments go to `docker compose up`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Base images for the dev target (and PostgreSQL with COMPOSE_PROFILES=postgres):
# official ones, or stand-ins built offline. Assigned first: a failure inside
# `eval "$(...)"` would go unnoticed.
extra=()
if [[ ${COMPOSE_PROFILES:-} == *postgres* ]]; then extra=(postgres); fi
bases=$(tools/offline/base-images.sh ${extra[@]+"${extra[@]}"})
eval "$bases"
export PYTHON_IMAGE NODE_IMAGE POSTGRES_IMAGE
# The containers run as you, so files they write into ./bfportal stay yours.
DEV_UID=$(id -u) DEV_GID=$(id -g)
export DEV_UID DEV_GID

docker compose up --build --detach --wait "$@"
address=$(docker compose port web 8000)
echo
address=${address/#0.0.0.0:/localhost:}
echo "bfportal is running at http://${address/#127.0.0.1:/localhost:}/ (admin: /admin/, user admin, password admin)"
echo "Logs: docker compose logs -f   Stop: make down"
