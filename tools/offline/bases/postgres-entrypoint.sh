#!/usr/bin/env bash
# Entrypoint of the postgres:17 stand-in (postgres.Dockerfile), keeping the
# official image's contract (https://hub.docker.com/_/postgres):
#   POSTGRES_PASSWORD          superuser password; required unless the method is trust
#   POSTGRES_USER              superuser name, default postgres
#   POSTGRES_DB                database created on first start, default = POSTGRES_USER
#   POSTGRES_HOST_AUTH_METHOD  pg_hba method for network clients, default scram-sha-256
#   POSTGRES_INITDB_ARGS       extra initdb arguments (split on spaces)
#   VAR_FILE                   read VAR from a file instead (Docker secrets)
#   /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz   run once, after initdb
# The cluster is made only when $PGDATA has none, then postgres replaces this
# script as PID 1 so that it gets `docker stop`'s signal itself.
set -Eeuo pipefail

log() { printf 'entrypoint: %s\n' "$*" >&2; }

# `docker run IMAGE -c shared_buffers=256MB`: options are for postgres.
if [[ ${1:-} == -* ]]; then
  set -- postgres "$@"
fi
# Anything else (bash, psql...) runs as asked, without touching the data.
if [[ ${1:-} != postgres ]]; then
  exec "$@"
fi

# As root: hand the data folder (often a fresh volume) and the socket folder to
# postgres, then run this script again as postgres. PostgreSQL refuses to run as root.
if [[ $(id -u) == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chmod 0700 "$PGDATA"
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

# VAR, or the contents of the file that VAR_FILE names; not both.
file_env() {
  local var=$1 file_var=${1}_FILE default=${2:-}
  if [[ -n ${!var:-} && -n ${!file_var:-} ]]; then
    log "both $var and $file_var are set, but they exclude each other"
    exit 1
  fi
  local value=$default
  if [[ -n ${!var:-} ]]; then
    value=${!var}
  elif [[ -n ${!file_var:-} ]]; then
    value=$(<"${!file_var}")
  fi
  export "$var=$value"
  unset "$file_var"
}

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
export POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

run_initdb_d() {
  local f
  shopt -s nullglob
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sh)
        log "running $f"
        # Executable scripts run on their own; others are sourced, as upstream does.
        # shellcheck disable=SC1090 # the user's own scripts
        if [[ -x $f ]]; then "$f"; else . "$f"; fi
        ;;
      *.sql) log "running $f"; psql_init "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) log "running $f"; gzip -dc "$f" | psql_init "$POSTGRES_DB" ;;
      *) log "ignoring $f" ;;
    esac
  done
}

# psql_init DB [ARGS...]: psql over the Unix socket as the superuser, stopping at the first error.
psql_init() {
  local db=$1
  shift
  PGPASSWORD=$POSTGRES_PASSWORD psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password \
    --username "$POSTGRES_USER" --dbname "$db" "$@"
}

initialise() {
  if [[ -z $POSTGRES_PASSWORD && $POSTGRES_HOST_AUTH_METHOD != trust ]]; then
    log "the database is uninitialised and POSTGRES_PASSWORD is not set."
    log "Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a password for $POSTGRES_USER,"
    log "or POSTGRES_HOST_AUTH_METHOD=trust to allow every connection without one (unsafe)."
    exit 1
  fi
  local -a initdb_args=()
  read -ra initdb_args <<<"$POSTGRES_INITDB_ARGS"
  # --pwfile rejects an empty file, hence the newline (the password may be empty with trust).
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    "${initdb_args[@]}"
  # initdb trusts local socket and 127.0.0.1 connections (the container itself);
  # every other address must authenticate.
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

  # A private server (no TCP, so no client outside sees it as ready) for the setup.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  if [[ $POSTGRES_DB != postgres ]]; then
    psql_init postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  run_initdb_d
  pg_ctl -D "$PGDATA" -m fast -w stop
  log "PostgreSQL init process complete; ready for start up."
}

if [[ -s $PGDATA/PG_VERSION ]]; then
  log "database directory appears to contain a database; skipping initialisation"
else
  initialise
fi

exec "$@"
