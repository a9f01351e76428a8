#!/usr/bin/env bash
# A local PostgreSQL for the app suite: install and start it when missing (Debian, root),
# create the bfportal role and print the DATABASE_URL to use on stdout.
# Anywhere else, point DATABASE_URL at a server you run and skip this script.
set -euo pipefail
log() { printf 'ensure-postgres: %s\n' "$*" >&2; }
user=bfportal password=bfportal port=${BFPORTAL_PG_PORT:-5432}

# Install, start, create the role. Run with stdout on stderr, because only the URL may reach the
# caller's $(...): pg_ctlcluster's "Removed stale pid file." once landed in DATABASE_URL. (Not
# via a spare fd holding the caller's stdout: the server would inherit it and $(...) never end.)
prepare() {
  if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if [[ ! -f /etc/debian_version || $(id -u) -ne 0 ]]; then
      log "no PostgreSQL server: install one, then run the suite with DATABASE_URL=postgres://..."
      exit 1
    fi
    "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" postgresql
  fi

  # The first cluster Debian created (pg_lsclusters: version, name, port, status, owner, data).
  read -r version cluster cluster_port status _ data_dir _ < <(pg_lsclusters --no-header | head -n 1)
  if [[ $cluster_port != "$port" ]]; then
    log "cluster $version/$cluster listens on $cluster_port, not $port: set BFPORTAL_PG_PORT=$cluster_port"
    exit 1
  fi
  if [[ $status != online* ]]; then
    # A server killed without shutting down (a machine stopped, a session's processes ended)
    # leaves lock files naming its PID. PostgreSQL refuses them while any process holds that
    # PID: after a reboot, or while the dead server is an unreaped zombie. None of its
    # processes runs, so they are stale.
    if ! pgrep -u postgres -f -- "-D $data_dir( |\$)" >/dev/null; then
      rm -f "$data_dir/postmaster.pid" "/var/run/postgresql/.s.PGSQL.$port.lock"
    fi
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
}

prepare >&2
echo "postgres://$user:$password@127.0.0.1:$port/$user"
