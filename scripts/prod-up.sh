#!/usr/bin/env bash
# `make prod-up`: build the final image and start the production stack
# (docker-compose.prod.yml: Caddy in front, gunicorn, PostgreSQL, a one-off migrate, the
# backup service), wait until every service is up, print the HTTPS URL. Extra arguments go to `docker compose up`.
# Settings: the environment, then .env.prod. When .env.prod is missing, one is written with
# fresh secrets; SITE_ADDRESS defaults to localhost (a certificate from Caddy's own CA). The
# secrets reach the containers as files (scripts/prod-secrets.sh, .env.prod.secrets/).
set -euo pipefail
cd "$(dirname "$0")/.."

env_file=.env.prod
compose=(docker compose -f docker-compose.prod.yml --env-file "$env_file")

if [[ ! -f $env_file ]]; then
  if ! secret_key=$(scripts/random-hex.sh 32) ||
    ! postgres_password=$(scripts/random-hex.sh 24) ||
    ! postgres_app_password=$(scripts/random-hex.sh 24) ||
    ! backup_password=$(scripts/random-hex.sh 32) ||
    ! cache_password=$(scripts/random-hex.sh 24); then
    echo "prod-up: could not read random bytes for the secrets; $env_file not written" >&2
    exit 1
  fi
  # Secrets: readable by you only. Written aside and moved into place, so that an
  # interrupted write leaves no half file behind.
  partial=$env_file.partial
  trap 'rm -f "$partial"' EXIT
  (umask 077 && cat >"$partial" <<ENV
# Settings for docker-compose.prod.yml, written by scripts/prod-up.sh on $(date -u +%Y-%m-%d).
# Private (git-ignored): it holds secrets. .env.example describes every variable.
SECRET_KEY=$secret_key
# The superuser's: only read when the database volume is new.
POSTGRES_PASSWORD=$postgres_password
# The app's own role's (no superuser), which db-setup sets at every start.
POSTGRES_APP_PASSWORD=$postgres_app_password
# The backups' key (make backup-key prints it): keep a copy away from this machine.
BACKUP_PASSWORD=$backup_password
# The cache server's.
CACHE_PASSWORD=$cache_password
# The site's host name: a public domain gets a Let's Encrypt certificate (then also set
# PROD_BIND=0.0.0.0). Default: localhost
# SITE_ADDRESS=www.example.com
ENV
  )
  mv "$partial" "$env_file"
  echo "prod-up: wrote $env_file with new secrets (SECRET_KEY, POSTGRES_PASSWORD, POSTGRES_APP_PASSWORD, BACKUP_PASSWORD, CACHE_PASSWORD)" >&2
  # PostgreSQL sets the password only when it creates the database.
  if docker volume inspect "$(scripts/prod-volumes.sh | grep -E '_postgres(-[0-9]+)?$')" >/dev/null 2>&1; then
    echo "prod-up: an existing database volume keeps its old password; to start afresh:" \
      "scripts/prod-down.sh --volumes (deletes the data)" >&2
  fi
fi

# An .env.prod from before the backup service, the app's own database role or the cache
# server: the secret it lacks, added.
add_secret() {
  local name=$1 bytes=$2 what=$3 value
  if grep -q "^$name=." "$env_file"; then return 0; fi
  value=$(scripts/random-hex.sh "$bytes") || {
    echo "prod-up: could not read random bytes for $what; $env_file unchanged" >&2
    exit 1
  }
  printf '# %s\n%s=%s\n' "$what" "$name" "$value" >>"$env_file"
  echo "prod-up: added $name ($what) to $env_file" >&2
}
add_secret BACKUP_PASSWORD 32 "the backups' key (make backup-key prints it): keep a copy away from this machine"
add_secret POSTGRES_APP_PASSWORD 24 "the password of the app's own database role"
add_secret CACHE_PASSWORD 24 "the cache server's password"

# The secrets, as the files the containers read (none is in their environment).
scripts/prod-secrets.sh "$env_file"

# PostgreSQL's major version (POSTGRES_MAJOR), and the volume it keeps its data in.
# shellcheck source=scripts/postgres-env.sh
source scripts/postgres-env.sh "$env_file"
project=$(scripts/prod-volumes.sh project)
has_volume() { docker volume inspect "${project}_$1" >/dev/null 2>&1; }
upgrade=
if [[ $POSTGRES_MAJOR == 17 ]] && has_volume postgres-18; then
  echo "prod-up: the database runs PostgreSQL 18 (volume ${project}_postgres-18); POSTGRES_MAJOR=17 would start on the old major's volume: set POSTGRES_MAJOR=18 in $env_file" >&2
  exit 1
elif [[ $POSTGRES_MAJOR == 18 ]] && has_volume postgres && ! has_volume postgres-18; then
  upgrade=1
fi

# PostgreSQL, Caddy and Valkey, and Prometheus and the node exporter when COMPOSE_PROFILES (the
# environment or .env.prod) turns the monitoring profile on: the official images, or local
# stand-ins where no registry is reachable. (Assigned first: a failure inside `eval "$(...)"`
# would go unnoticed.)
images=(postgres caddy valkey)
if "${compose[@]}" config --services | grep -qx prometheus; then images+=(prometheus node-exporter); fi
bases=$(tools/offline/base-images.sh "${images[@]}")
eval "$bases"
export POSTGRES_IMAGE CADDY_IMAGE VALKEY_IMAGE PROMETHEUS_IMAGE NODE_EXPORTER_IMAGE
scripts/build-image.sh final bfportal:final
export BACKUP_IMAGE=${BACKUP_IMAGE:-bfportal-backup:pg$POSTGRES_MAJOR}
scripts/build-backup-image.sh "$BACKUP_IMAGE" --quiet >/dev/null
# The release that the backups record.
APP_RELEASE="bfportal:final ($(docker image inspect --format '{{.Id}}' bfportal:final))"
export APP_RELEASE

# A major upgrade: a backup of the old major's stack (started as it was), restored into the
# new major's server on its own volume before web starts again; the old volume stays.
if [[ -n $upgrade ]]; then
  echo "prod-up: upgrading PostgreSQL 17 to 18: a backup of ${project}_postgres, restored into ${project}_postgres-18 (the old volume stays)" >&2
  env -u POSTGRES_IMAGE -u BACKUP_IMAGE POSTGRES_MAJOR=17 scripts/prod-up.sh >/dev/null
  backup=$(BACKUP_STACK=prod scripts/backup.sh backup)
  "${compose[@]}" stop web
  scripts/prod-volumes.sh create
  if ! "${compose[@]}" up --detach --wait postgres backup ||
    ! BACKUP_STACK=prod scripts/backup.sh restore "$backup"; then
    echo "prod-up: the upgrade failed; PostgreSQL 17's volume ${project}_postgres is untouched: to go back to it, set POSTGRES_MAJOR=17 and delete ${project}_postgres-18, a partial copy" >&2
    exit 1
  fi
fi

# The data volumes, which compose leaves to this script (so that no `down` deletes them).
scripts/prod-volumes.sh create
"${compose[@]}" up --detach --wait --remove-orphans "$@"
site=$("${compose[@]}" exec -T caddy printenv SITE_ADDRESS)
port=$("${compose[@]}" port caddy 443)
port=${port##*:}
echo
echo "bfportal (production image, PostgreSQL, Caddy) is running at https://$site$([[ $port == 443 ]] || echo ":$port")/"
if [[ $site == localhost ]]; then
  echo "Its certificate comes from Caddy's own CA; to make your browser trust it, import"
  echo "  docker compose -f docker-compose.prod.yml cp caddy:/data/caddy/pki/authorities/local/root.crt ."
fi
echo "Logs: docker compose -f docker-compose.prod.yml --env-file $env_file logs -f   Stop: make prod-down"
