#!/usr/bin/env bash
# A local PostgreSQL for the app suite: install and start it when missing (Debian, root),
# create the bfportal role and print the DATABASE_URL to use on stdout.
# Anywhere else, point DATABASE_URL at a server you run and skip this script.
set -euo pipefail
# Only the URL may reach the caller's $(...): everything else (apt, pg_ctlcluster, psql) goes
# to stderr, so no message a fresh machine prints ends up inside DATABASE_URL.
exec 3>&1 1>&2

log() { printf 'ensure-postgres: %s\n' "$*" >&2; }
user=bfportal password=bfportal port=${BFPORTAL_PG_PORT:-5432}

if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [[ ! -f /etc/debian_version || $(id -u) -ne 0 ]]; then
    log "no PostgreSQL server: install one, then run the suite with DATABASE_URL=postgres://..."
    exit 1
  fi
  "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" postgresql
fi

# The first cluster Debian created (pg_lsclusters: version, name, port, status, ...).
read -r version cluster cluster_port status _ < <(pg_lsclusters --no-header | head -n 1)
if [[ $cluster_port != "$port" ]]; then
  log "cluster $version/$cluster listens on $cluster_port, not $port: set BFPORTAL_PG_PORT=$cluster_port"
  exit 1
fi
if [[ $status != online* ]]; then
  log "starting cluster $version/$cluster"
  pg_ctlcluster "$version" "$cluster" start
fi

# The suite's role may create the test database (pytest-django makes test_<name>).
su postgres -c "psql -q -p $port" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
    CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SQL
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname = '$user'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O $user $user"

echo "postgres://$user:$password@127.0.0.1:$port/$user" >&3
