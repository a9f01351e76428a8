#!/usr/bin/env bash
# The swarm stack's backups (`make deploy` or `make swarm-up`), run in its backup service's
# container over Docker's transport [HOST=ssh://user@server; default: this machine]:
#   scripts/backup.sh backup       `make backup`: a backup now; prints its ID
#   scripts/backup.sh backups      `make backups`: the backups kept, oldest first
#   scripts/backup.sh restore ID   `make restore BACKUP=ID`: checks the backup first (a damaged
#                                  one, or a key that does not open it, is refused and nothing
#                                  changes), stops web, replaces the database and the uploads,
#                                  starts web again
#   scripts/backup.sh key          `make backup-key`: the backups' key, to keep away from the
#                                  server (a new server restores with BACKUP_PASSWORD=that key)
# What a backup holds, and where it goes: docs/backups.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command=${1:-}
log() { printf '%s: %s\n' "${command:-backup}" "$*" >&2; }
die() { log "$*"; exit 1; }
if [[ -n ${HOST:-} ]]; then
  [[ $HOST == ssh://?* ]] || die "HOST=$HOST: give ssh://user@server (or ssh://user@server:port)"
  export DOCKER_HOST=$HOST
fi
server=${HOST:-this machine}
stack=${STACK_NAME:-bfportal}
web=${stack}_web

# The service's running container; a task that a deploy just replaced takes a moment.
container=
for _ in $(seq 60); do
  container=$(docker ps --quiet --filter "label=com.docker.swarm.service.name=${stack}_backup" --filter status=running 2>/dev/null | head -n 1 || true)
  [[ -z $container ]] || break
  docker service inspect "${stack}_backup" >/dev/null 2>&1 || break
  sleep 1
done
[[ -n $container ]] || die "no backup service of stack $stack runs on $server: deploy first"
run() { docker exec "$container" bfportal-backup "$@"; }

# web_replicas N: web scaled to N, once its tasks have stopped or started.
web_replicas() {
  docker service scale --detach "$web=$1" >/dev/null
  for _ in $(seq 300); do
    [[ $(docker service ls --filter "name=$web" --format '{{.Name}} {{.Replicas}}' | awk -v n="$web" '$1 == n {print $2}') == "$1/$1" ]] && return 0
    sleep 1
  done
  die "web did not reach $1 replicas within 300 s"
}

case $command in
  backup) run backup ;;
  backups) run snapshots ;;
  key) docker exec "$container" cat /run/secrets/backup_password && echo ;;
  restore)
    id=${2:-}
    [[ -n $id ]] || die "give the backup: make restore BACKUP=ID (make backups lists them)"
    run check "$id"
    replicas=$(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "$web")
    log "web stops while backup $id replaces the database and the uploads"
    stopped=$SECONDS
    web_replicas 0
    status=0
    run restore "$id" --checked || status=$?
    web_replicas "$replicas"
    ((status == 0)) && log "web serves backup $id ($replicas replicas), after $((SECONDS - stopped)) s without web"
    exit "$status"
    ;;
  *) echo "usage: scripts/backup.sh backup|backups|restore ID|key" >&2; exit 2 ;;
esac
