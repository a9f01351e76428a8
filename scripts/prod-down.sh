#!/usr/bin/env bash
# `make prod-down`: stop and remove the production-like stack's containers and network. Its
# volumes (database, uploads, certificates) are kept.
# scripts/prod-down.sh --volumes deletes them too, once you type the project's name, or at once
# with --yes-delete-data.
set -euo pipefail
cd "$(dirname "$0")/.."
case "$*" in
  "" | --volumes | "--volumes --yes-delete-data") ;;
  *) echo "usage: scripts/prod-down.sh [--volumes [--yes-delete-data]]" >&2; exit 2 ;;
esac

env_file=.env.prod
[[ -f $env_file ]] || env_file=/dev/null
compose=(docker compose -f docker-compose.prod.yml --env-file "$env_file")
if [[ ${1:-} == --volumes ]]; then
  project=$(scripts/prod-volumes.sh project)
  # The database volume of every PostgreSQL major the stack ran, and the others.
  names=$({
    scripts/prod-volumes.sh
    for name in "${project}_postgres" "${project}_postgres-18"; do
      if docker volume inspect "$name" >/dev/null 2>&1; then echo "$name"; fi
    done
  } | sort -u)
  scripts/confirm-delete.sh "$project" "the volumes of $project (${names//$'\n'/, })" "${2:-}"
fi
"${compose[@]}" down --remove-orphans
if [[ ${1:-} == --volumes ]]; then
  for name in $names; do
    if docker volume inspect "$name" >/dev/null 2>&1; then docker volume rm "$name" >/dev/null; fi
  done
  echo "prod-down: deleted the volumes of $project" >&2
fi
