#!/usr/bin/env bash
# `make prod-down`: stop and remove the production-like stack's containers and network.
# Its volumes (database, uploads) are kept; `scripts/prod-down.sh --volumes` deletes them.
set -euo pipefail
cd "$(dirname "$0")/.."

env_file=.env.prod
if [[ ! -f $env_file ]]; then
  # Compose interpolates the whole file even to take a stack down, and the secrets
  # are required variables; `down` never uses their values.
  env_file=/dev/null
  export SECRET_KEY=${SECRET_KEY:-unused} POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-unused}
fi
docker compose -f docker-compose.prod.yml --env-file "$env_file" down --remove-orphans "$@"
