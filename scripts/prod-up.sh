#!/usr/bin/env bash
# `make prod-up`: build the final image and start the production-like stack
# (docker-compose.prod.yml: gunicorn, PostgreSQL, a one-off migrate), wait until
# every service is healthy, print the URL. Extra arguments go to `docker compose up`.
# Settings: the environment, then .env.prod. When .env.prod is missing, one is
# written with fresh secrets for plain HTTP on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

env_file=.env.prod
compose=(docker compose -f docker-compose.prod.yml --env-file "$env_file")

if [[ ! -f $env_file ]]; then
  # Hex from the kernel's random source: no tool beyond coreutils on the host.
  secret() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
  secret_key=$(secret 32) postgres_password=$(secret 24)
  if [[ ${#secret_key} != 64 || ${#postgres_password} != 48 ]]; then
    echo "prod-up: could not read random bytes for the secrets; $env_file not written" >&2
    exit 1
  fi
  # Secrets: readable by you only.
  (umask 077 && cat >"$env_file" <<ENV
# Settings for docker-compose.prod.yml, written by scripts/prod-up.sh on $(date -u +%Y-%m-%d).
# Private (git-ignored): it holds secrets. .env.example describes every variable.
SECRET_KEY=$secret_key
# Hex, because it goes into DATABASE_URL. Only read when the database volume is new.
POSTGRES_PASSWORD=$postgres_password
# Plain HTTP on this machine: no HTTPS redirect, no Secure cookies. Set it to true
# (or remove it) once a TLS-terminating proxy serves the site.
SECURE_SSL_REDIRECT=false
ENV
  )
  echo "prod-up: wrote $env_file with new secrets (SECRET_KEY, POSTGRES_PASSWORD)" >&2
  # PostgreSQL sets the password only when it creates the database.
  if docker volume inspect "${COMPOSE_PROJECT_NAME:-bfportal-prod}_postgres" >/dev/null 2>&1; then
    echo "prod-up: an existing database volume keeps its old password; to start afresh:" \
      "scripts/prod-down.sh --volumes (deletes the data)" >&2
  fi
fi

# PostgreSQL: the official image, or the local stand-in where no registry is reachable.
# (Assigned first: a failure inside `eval "$(...)"` would go unnoticed.)
bases=$(tools/offline/base-images.sh postgres)
eval "$bases"
export POSTGRES_IMAGE
scripts/build-image.sh final bfportal:final

"${compose[@]}" up --detach --wait --remove-orphans "$@"
address=$("${compose[@]}" port web 8000)
echo
echo "bfportal (production image, PostgreSQL) is running at http://${address/#0.0.0.0:/localhost:}/"
echo "Logs: docker compose -f docker-compose.prod.yml --env-file $env_file logs -f   Stop: make prod-down"
