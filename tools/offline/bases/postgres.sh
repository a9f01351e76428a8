#!/usr/bin/env bash
# Build and check the local stand-in for postgres:POSTGRES_MAJOR-trixie (17, the default, or
# 18) on top of the stand-in Debian (see postgres.Dockerfile and postgres-entrypoint.sh).
# Usage: postgres.sh [TAG] [BASE_IMAGE]   (everything is logged to stderr)
set -euo pipefail
exec >&2 # callers read image refs from stdout: keep it clean

major=${POSTGRES_MAJOR:-17}
tag=${1:-bfportal-base/postgres:$major-trixie}
base=${2:-bfportal-base/debian:trixie-slim}
# The official image's layout: from 18 on, PGDATA is per major in a volume one level up.
case $major in
  17) layout=() ;;
  18) layout=(--build-arg DEBIAN_SUITE=sid --build-arg PGDATA=/var/lib/postgresql/18/docker
    --build-arg PG_VOLUME=/var/lib/postgresql) ;;
  *) printf 'postgres: POSTGRES_MAJOR=%s: the stand-in is made for 17 or 18\n' "$major"; exit 2 ;;
esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'postgres: %s\n' "$*"; }

ctx=$(mktemp -d)
check=bfportal-base-postgres-check-$$
trap 'docker rm --force --volumes "$check" >/dev/null 2>&1 || true; rm -rf "$ctx"' EXIT
cp "$here/postgres-entrypoint.sh" "$ctx/"

"$here/build-standin.sh" postgres "$tag" "$base" "$ctx" --build-arg PG_MAJOR="$major" ${layout[@]+"${layout[@]}"}

# The contract, on a throw-away container: it initialises, serves a password-only
# TCP login as the given user and database, runs as postgres with postgres as
# PID 1, and stops cleanly on `docker stop`.
log "checking $tag"
docker run --detach --name "$check" \
  --env POSTGRES_USER=check --env POSTGRES_PASSWORD=check-password "$tag" >/dev/null
ready=0
for _ in $(seq 60); do
  [[ $(docker inspect -f '{{.State.Running}}' "$check") == true ]] || break
  if docker exec "$check" pg_isready -q -h 127.0.0.1 -U check; then ready=1; break; fi
  sleep 1
done
((ready)) || { docker logs --tail 30 "$check"; log "$tag did not become ready"; exit 1; }
docker exec "$check" sh -c 'postgres --version | grep " $PG_MAJOR\." && test "$(cat /proc/1/comm)" = postgres && test "$(stat -c %U /proc/1)" = postgres'
# 127.0.0.1 is trusted like the Unix socket; the container's own address is "the network".
docker exec --env PGPASSWORD=check-password "$check" sh -c \
  'psql -v ON_ERROR_STOP=1 -h "$(hostname -i | cut -d" " -f1)" -U check -d check -Atc "select current_user, current_database()"' |
  grep -x 'check|check'
if docker exec --env PGPASSWORD=wrong "$check" sh -c \
  'psql -h "$(hostname -i | cut -d" " -f1)" -U check -d check -c "select 1"' >/dev/null 2>&1; then
  log "a wrong password was accepted over TCP"
  exit 1
fi
docker stop "$check" >/dev/null
[[ $(docker inspect -f '{{.State.ExitCode}}' "$check") == 0 ]]
# Read whole first: grep -q stops at the first match, and the writer's SIGPIPE would fail the pipe.
logs=$(docker logs "$check" 2>&1)
grep -q 'database system is shut down' <<<"$logs"
log "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
