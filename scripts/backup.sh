#!/usr/bin/env bash
# The backups of the swarm stack (`make deploy` or `make swarm-up`) or of the production stack
# (`make prod-up`), run in its backup service's container over Docker's transport
# [HOST=ssh://user@server; default: this machine]:
#   scripts/backup.sh backup       `make backup`: a backup now; prints its ID
#   scripts/backup.sh backups      `make backups`: the backups kept, oldest first
#   scripts/backup.sh restore ID   `make restore BACKUP=ID`: checks the backup first (a damaged
#                                  one, or a key that does not open it, is refused and nothing
#                                  changes), stops web, replaces the database and the uploads,
#                                  starts web again
#   scripts/backup.sh key          `make backup-key`: the backups' key, to keep away from the
#                                  server (a new server restores with BACKUP_PASSWORD=that key)
# The stack: the swarm stack STACK_NAME (default bfportal) where the engine runs one, else the
# production stack (its project as scripts/prod-volumes.sh names it); BACKUP_STACK=swarm or
# prod chooses. What a backup holds, and where it goes: docs/backups.md.
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
kind=${BACKUP_STACK:-}
if [[ -z $kind ]]; then
  kind=prod
  if docker service inspect "${stack}_backup" >/dev/null 2>&1; then kind=swarm; fi
fi
case $kind in
  swarm)
    what="stack $stack"
    backup_filter=(--filter "label=com.docker.swarm.service.name=${stack}_backup") ;;
  prod)
    project=$(scripts/prod-volumes.sh project)
    what="production stack $project"
    backup_filter=(--filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=backup")
    web_filter=(--filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=web") ;;
  *) die "BACKUP_STACK=$kind: give swarm or prod" ;;
esac

# The service's running container; a task that a deploy just replaced takes a moment.
container=
for _ in $(seq 60); do
  container=$(docker ps --quiet "${backup_filter[@]}" --filter status=running 2>/dev/null | head -n 1 || true)
  [[ -z $container && $kind == swarm ]] || break
  docker service inspect "${stack}_backup" >/dev/null 2>&1 || break
  sleep 1
done
[[ -n $container ]] || die "no backup service of $what runs on $server: deploy first (make deploy, make swarm-up or make prod-up)"
run() { docker exec "$container" bfportal-backup "$@"; }

# web_stopped: web's replicas (swarm) or containers (prod) stopped; web_started: back.
web_stopped() {
  if [[ $kind == swarm ]]; then
    replicas=$(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "${stack}_web")
    web_replicas 0
  else
    mapfile -t web_containers < <(docker ps --quiet "${web_filter[@]}")
    replicas=${#web_containers[@]}
    if ((replicas)); then docker stop "${web_containers[@]}" >/dev/null; fi
  fi
}
web_started() {
  local id
  if [[ $kind == swarm ]]; then
    web_replicas "$replicas"
    return
  fi
  ((replicas)) || return 0
  docker start "${web_containers[@]}" >/dev/null
  for id in "${web_containers[@]}"; do
    for _ in $(seq 300); do
      [[ $(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}healthy{{end}}' "$id") == healthy ]] && break
      sleep 1
    done
  done
}
# web_replicas N: web scaled to N, once its tasks have stopped or started.
web_replicas() {
  local web=${stack}_web
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
  key) run key ;;
  restore)
    id=${2:-}
    [[ -n $id ]] || die "give the backup: make restore BACKUP=ID (make backups lists them)"
    run check "$id"
    log "web stops while backup $id replaces the database and the uploads"
    stopped=$SECONDS
    web_stopped
    status=0
    run restore "$id" --checked || status=$?
    web_started
    if ((status == 0 && replicas)); then
      log "web serves backup $id ($replicas replicas), after $((SECONDS - stopped)) s without web"
    fi
    exit "$status"
    ;;
  *) echo "usage: scripts/backup.sh backup|backups|restore ID|key" >&2; exit 2 ;;
esac
