#!/usr/bin/env bash
# `make swarm-deploy`: roll out a release of web on the swarm stack STACK_NAME (default
# bfportal), with no request dropped:
#   1. build the final image as IMAGE_NAME:VERSION (VERSION defaults to the commit and the
#      time), or take the image given as the argument (a tag built before: a manual rollback);
#   2. back up the database and the uploads (scripts/backup.sh), unless this is the first
#      release; where POSTGRES_MAJOR is higher than the stack's PostgreSQL, upgrade it: web
#      stops, the new major starts on its own empty volume (the old one stays), the backup is
#      restored into it (a lower POSTGRES_MAJOR is refused); deploy the stack with the migrate
#      job on the new release and web still on its current one, and wait until the migrations
#      have completed (a failure names the backup);
#   3. update web alone to the new release (another stack deploy would run the job again):
#      swarm replaces one task at a time, starting the new one first and stopping an old one
#      only once the new one is healthy; a task that fails rolls the whole update back;
#   4. say how it ended, and how long it took. Exits 1 when web was rolled back.
# Usage: scripts/swarm-deploy.sh [IMAGE]
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf 'swarm-deploy: %s\n' "$*" >&2; }
start=$SECONDS

# shellcheck source=scripts/swarm-env.sh
source scripts/swarm-env.sh
web=${STACK_NAME}_web migrate=${STACK_NAME}_migrate

if (($#)); then
  image=$1
  docker image inspect "$image" >/dev/null 2>&1 || { log "no image $image on this engine"; exit 1; }
else
  # A tag per build: swarm rolls a service forward only when its spec changes.
  VERSION=${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)-$(date -u +%Y%m%d%H%M%S)}
  image=${IMAGE_NAME:-bfportal}:$VERSION
  log "building $image"
  scripts/build-image.sh final "$image" . --build-arg VERSION="$VERSION" --quiet >/dev/null
fi

# Configs cannot change in place: the Caddyfile's digest is part of its name.
CADDYFILE_DIGEST=$(digest deploy/swarm/Caddyfile)
export CADDYFILE_DIGEST
# stack_deploy: the stack's files deployed with the settings of the environment, and those
# given before it (WEB_IMAGE=... stack_deploy). The images are on this engine, not in a
# registry: never ask one (many nodes: docs/scaling.md).
stack_deploy() {
  docker stack deploy --detach=true --prune --resolve-image never --with-registry-auth \
    "${stack_files[@]}" "$STACK_NAME" >/dev/null
}
spec_image() { docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$1" 2>/dev/null || true; }
current=$(spec_image "$web")

# The backup service's image: BACKUP_IMAGE; else, building here, one built from deploy/backup
# on POSTGRES_IMAGE, tagged by their digest; else the one it runs.
if [[ -z ${BACKUP_IMAGE:-} ]] && ! (($#)); then
  BACKUP_IMAGE=${IMAGE_NAME:-bfportal}-backup:$(digest <(cat deploy/backup/Dockerfile deploy/backup/bfportal-backup; echo "$POSTGRES_IMAGE"))
  log "building $BACKUP_IMAGE"
  scripts/build-backup-image.sh "$BACKUP_IMAGE" --quiet >/dev/null
fi
BACKUP_IMAGE=${BACKUP_IMAGE:-$(spec_image "${STACK_NAME}_backup")}
if [[ -z $BACKUP_IMAGE ]]; then
  log "BACKUP_IMAGE is not set: make publish pushes the backup service's image and names it"
  exit 1
fi
export BACKUP_IMAGE
# The server and the backup service's pg_dump are POSTGRES_MAJOR's (a backup image is built
# on that PostgreSQL image): a pg_dump older than its server refuses to run, and another
# major's server would not find its data where the stack mounts it.
for setting in POSTGRES_IMAGE BACKUP_IMAGE; do
  major=$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "${!setting}" 2>/dev/null | sed -n 's/^PG_MAJOR=//p')
  if [[ $major != "$POSTGRES_MAJOR" ]]; then
    log "$setting ${!setting} is PostgreSQL ${major:-(none)}'s, and POSTGRES_MAJOR=$POSTGRES_MAJOR (make publish POSTGRES_MAJOR=$POSTGRES_MAJOR builds the backup image for it): nothing deployed"
    exit 1
  fi
done

# The major version the stack's database runs now, by its volume's name (postgres-env.sh).
running_major='' old_volume=''
for volume in $(docker service inspect --format '{{range .Spec.TaskTemplate.ContainerSpec.Mounts}}{{.Source}} {{end}}' "${STACK_NAME}_postgres" 2>/dev/null); do
  case $volume in
    "${STACK_NAME}_postgres") running_major=17 old_volume=$volume ;;
    "${STACK_NAME}_postgres-"[0-9]*) running_major=${volume##*-} old_volume=$volume ;;
  esac
done
upgrade=
if [[ -n $running_major ]] && ((POSTGRES_MAJOR > running_major)); then upgrade=1; fi
if [[ -n $running_major ]] && ((POSTGRES_MAJOR < running_major)); then
  log "the database runs PostgreSQL $running_major; POSTGRES_MAJOR=$POSTGRES_MAJOR would start on the old major's volume, without what was written since: set POSTGRES_MAJOR=$running_major; nothing deployed"
  exit 1
fi

# Before the migrations, a backup of what the current release has written (a stack from before
# the backup service has none to make it).
backup=
if [[ -n $current && -n $(spec_image "${STACK_NAME}_backup") ]]; then
  backup=$(STACK_NAME=$STACK_NAME scripts/backup.sh backup) || { log "the backup before the migrations failed: nothing deployed"; exit 1; }
elif [[ -n $upgrade ]]; then
  log "the stack has no backup service to carry its database to PostgreSQL $POSTGRES_MAJOR: deploy with POSTGRES_MAJOR=$running_major first; nothing deployed"
  exit 1
fi

# A major upgrade: web stops, PostgreSQL POSTGRES_MAJOR starts on its own volume, the backup
# is restored into it by the new backup service (whose pg_restore is that major's).
if [[ -n $upgrade ]]; then
  old_postgres=$(spec_image "${STACK_NAME}_postgres") old_backup=$(spec_image "${STACK_NAME}_backup")
  new_major=$POSTGRES_MAJOR stopped=$SECONDS
  # The new server's tasks that failed, as ID|why; those from an earlier try are known.
  failed_tasks() {
    docker service ps --no-trunc --format '{{.ID}}|{{.Image}}|{{.CurrentState}}|{{.Error}}' "${STACK_NAME}_postgres" |
      awk -F'|' -v image="$POSTGRES_IMAGE" '$2 == image && $3 ~ /^(Failed|Rejected)/ { print $1 "|" $4 }'
  }
  known_failures=$(failed_tasks)
  # Whatever stops the upgrade puts the stack back on the old major, whose volume nothing
  # touched, with its backup service.
  go_back() {
    local volume mount
    read -r volume mount <<<"$(postgres_layout "$running_major")"
    POSTGRES_MAJOR=$running_major POSTGRES_VOLUME=$volume POSTGRES_MOUNT=$mount POSTGRES_IMAGE=$old_postgres \
      BACKUP_IMAGE=$old_backup WEB_IMAGE=$current MIGRATE_IMAGE=$(spec_image "$migrate") stack_deploy
    log "the upgrade to PostgreSQL $new_major failed (${reason:-stopped}): the stack is back on PostgreSQL $running_major (volume $old_volume, untouched) and web starts again; nothing deployed"
  }
  trap go_back EXIT
  log "upgrading PostgreSQL $running_major to $POSTGRES_MAJOR: web stops until backup $backup is restored into a new server (volume ${STACK_NAME}_$POSTGRES_VOLUME; the old volume stays)"
  WEB_REPLICAS=0 WEB_IMAGE=$current MIGRATE_IMAGE=$(spec_image "$migrate") stack_deploy
  # The new server healthy on its volume, the old one gone, and the backup service on its image.
  tasks() { docker ps --filter "label=com.docker.swarm.service.name=${STACK_NAME}_$1" "${@:2}"; }
  upgraded() {
    [[ -n $(tasks postgres --quiet --filter "volume=${STACK_NAME}_$POSTGRES_VOLUME" --filter health=healthy) &&
      -z $(tasks postgres --quiet --filter "volume=$old_volume") &&
      $(tasks backup --quiet | xargs -r docker inspect --format '{{.Config.Image}}' | sort -u) == "$BACKUP_IMAGE" ]]
  }
  failure=''
  for _ in $(seq 300); do
    upgraded && break
    failure=$(failed_tasks | grep -vxF -f <(printf '%s\n' "$known_failures") | head -n 1 | cut -d'|' -f2- || true)
    [[ -z $failure ]] || break
    sleep 1
  done
  reason=''
  if ! upgraded; then
    reason="PostgreSQL $new_major did not start: ${failure:-not within 300 s}"
  elif ! BACKUP_STACK=swarm scripts/backup.sh restore "$backup"; then
    reason="the restore failed"
  fi
  [[ -z $reason ]] || exit 1
  trap - EXIT
fi

# Within this long: pulls nothing, but PostgreSQL may initialise its volume first.
deadline=$((SECONDS + ${SWARM_DEPLOY_TIMEOUT:-600}))
wait_until() {
  local what=$1
  shift
  until "$@"; do
    if ((SECONDS > deadline)); then
      log "gave up waiting: $what"
      docker service ps --no-trunc --format '{{.Name}} {{.Image}} {{.CurrentState}} {{.Error}}' "$web" "$migrate" >&2 || true
      exit 1
    fi
    sleep 1
  done
}

log "migrations with $image${current:+ (web stays on $current meanwhile)}"
WEB_IMAGE=${current:-$image} MIGRATE_IMAGE=$image stack_deploy
# The job's task for this release: Complete, or Failed (then web never gets the release).
migrated() {
  local task state failure
  read -r task state < <(docker service ps --format '{{.ID}} {{.Image}} {{.CurrentState}}' "$migrate" |
    awk -v image="$image" '$2 == image {print $1, $3; exit}')
  if [[ ${state:-} =~ ^(Failed|Rejected)$ ]]; then
    # Its error output's last line (the CLI prints the task's stderr on its own), once the
    # logs have reached the manager.
    for _ in 1 2 3 4 5; do
      failure=$(docker service logs --raw "$task" 2>&1 >/dev/null | tail -n 1)
      [[ -n $failure ]] && break
      sleep 1
    done
    # A task that never ran (no image, no secret, no node) has no logs, but the reason.
    failure=${failure:-$(docker inspect --format '{{.Status.Err}}' "$task" 2>/dev/null)}
    log "the migrations of $image failed (${failure:-no output}); web stays on ${current:-nothing}${backup:+; the database before them: make restore BACKUP=$backup}"
    exit 1
  fi
  [[ ${state:-} == Complete ]]
}
wait_until "the migrate job completes" migrated

if [[ -z $current || ( -n $upgrade && $current == "$image" ) ]]; then
  log "web: starting $(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "$web") replicas of $image"
  started() {
    local replicas
    replicas=$(docker service ls --filter "name=$web" --format '{{.Name}} {{.Replicas}}' | awk -v n="$web" '$1 == n {print $2}')
    [[ -n $replicas && ${replicas%/*} == "${replicas#*/}" ]]
  }
  wait_until "every web replica is healthy" started
  if [[ -n $upgrade ]]; then log "web serves again from PostgreSQL $new_major, after $((SECONDS - stopped)) s stopped"; fi
elif [[ $current == "$image" ]]; then
  log "web already runs $image"
else
  log "web: rolling from $current to $image, one task at a time"
  docker service update --detach --quiet --no-resolve-image --with-registry-auth --image "$image" "$web" >/dev/null
  update_state() { docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$web"; }
  settled() { [[ $(update_state) =~ ^(completed|rollback_completed|rollback_paused|paused)$ ]]; }
  wait_until "the update of web ends" settled
  state=$(update_state)
  if [[ $state != completed ]]; then
    log "web's update ended $state: $(docker service inspect --format '{{.UpdateStatus.Message}}' "$web")"
    log "web runs $(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$web")"
    exit 1
  fi
fi
# jobs runs web's release; the backups record it, and the deploy ends once the backup service
# runs with it.
docker service update --detach --quiet --no-resolve-image --with-registry-auth --image "$image" "${STACK_NAME}_jobs" >/dev/null
docker service update --quiet --env-add "APP_RELEASE=$image" "${STACK_NAME}_backup" >/dev/null
log "web runs $image on every replica; converged in $((SECONDS - start)) s"
