#!/usr/bin/env bash
# scripts/prod-volumes.sh: the production stack's data volumes (docker-compose.prod.yml declares
# them external: compose never creates or deletes them), a name a line.
# scripts/prod-volumes.sh create [OPTION...]: creates those that are missing, with
# `docker volume create` OPTIONs (a --label); scripts/prod-up.sh does so before each start.
# scripts/prod-volumes.sh project: the stack's compose project, which the names start with.
set -euo pipefail
cd "$(dirname "$0")/.."

# The project's name, which the volumes' names start with, comes from the environment or
# .env.prod (COMPOSE_PROJECT_NAME), as for the stack itself.
env_file=.env.prod
[[ -f $env_file ]] || env_file=/dev/null
# shellcheck source=scripts/postgres-env.sh
source scripts/postgres-env.sh "$env_file"
config=$(docker compose -f docker-compose.prod.yml --env-file "$env_file" config)
names=$(awk '/^volumes:/ { section = 1; next } /^[^ ]/ { section = 0 } section && /^    name: / { print $2 }' <<<"$config")
case ${1:-} in
  project) sed -n 's/^name: //p' <<<"$config"; exit ;;
  create) shift ;;
  *) echo "$names"; exit ;;
esac
for name in $names; do
  docker volume inspect "$name" >/dev/null 2>&1 || docker volume create "$@" "$name" >/dev/null
done
