#!/usr/bin/env bash
# A swarm ready for the stack on the engine that DOCKER_HOST names (this machine's without
# it), for swarm-up.sh and deploy.sh: swarm mode on (a one-node swarm) if the engine is in
# none, this node labelled for PostgreSQL's and Caddy's volumes unless some node is, and the
# stack's Docker secrets that do not exist yet (random ones for the app's key, PostgreSQL's
# superuser's, the app's role's and the cache's passwords, and the backups' key, unless
# BACKUP_PASSWORD gives that). When the random bytes cannot be read, or S3's key is needed and not given, it
# stops in one line before it changes anything.
#   Usage: scripts/swarm-setup.sh WHERE   (the engine, as messages name it)
# Settings from the caller (scripts/swarm-env.sh): STACK_NAME, MEDIA_STORAGE (the stack's
# default s3, like a BACKUP_REPOSITORY on S3, needs AWS_SECRET_ACCESS_KEY once),
# BACKUP_PASSWORD, SWARM_ADVERTISE_ADDR.
set -euo pipefail
cd "$(dirname "$0")/.."
where=$1
log() { printf 'swarm-setup: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

if ! secret_key=$(scripts/random-hex.sh 32) || ! postgres_password=$(scripts/random-hex.sh 24) ||
  ! postgres_app_password=$(scripts/random-hex.sh 24) || ! backup_password=$(scripts/random-hex.sh 32) ||
  ! cache_password=$(scripts/random-hex.sh 24); then
  die "could not read random bytes for the secrets; nothing changed on $where"
fi

state=$(docker info --format '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}')
case $state in
  active/true | inactive/*) ;;
  active/false) die "$where is a swarm worker: run this on a manager" ;;
  *) die "$where's swarm state is ${state%/*}: wait, or docker swarm leave --force" ;;
esac

# BACKUP_PASSWORD where the backups have a key already: that key or nothing (a Docker secret
# cannot change, and another key would be ignored).
backup_secret=${STACK_NAME}_backup_password
if [[ -n ${BACKUP_PASSWORD:-} ]] && docker secret inspect "$backup_secret" >/dev/null 2>&1; then
  backup=$(docker ps --quiet --filter "label=com.docker.swarm.service.name=${STACK_NAME}_backup" --filter status=running | head -n 1)
  if [[ -z $backup ]]; then
    log "BACKUP_PASSWORD is not used: the backups' key is the Docker secret $backup_secret already"
  elif [[ $(docker exec "$backup" cat /run/secrets/backup_password) != "$BACKUP_PASSWORD" ]]; then
    die "BACKUP_PASSWORD is not the key of stack $STACK_NAME's backups (make backup-key prints that one, and a Docker secret cannot change): unset it; nothing changed on $where"
  fi
fi

aws_secret=${STACK_NAME}_aws_secret_access_key
aws_key=
# An engine in no swarm has no secret: inspect fails there too.
if ! docker secret inspect "$aws_secret" >/dev/null 2>&1; then
  if [[ -n ${AWS_SECRET_ACCESS_KEY:-} ]]; then
    aws_key=$AWS_SECRET_ACCESS_KEY
  elif [[ ${MEDIA_STORAGE:-s3} == filesystem && ${BACKUP_REPOSITORY:-} != s3:* ]]; then
    # The stack names it; with uploads in a volume nothing reads it.
    aws_key=unused
  else
    die "AWS_SECRET_ACCESS_KEY is not set (S3 holds the uploads or the backups): give it once (environment or ${SWARM_ENV_FILE:-.env.swarm}); it is kept as the Docker secret $aws_secret"
  fi
fi

if [[ $state == inactive/* ]]; then
  log "turning swarm mode on on $where: a one-node swarm (docker swarm leave --force turns it off)"
  # An engine with several addresses needs to be told which one other nodes will reach.
  docker swarm init ${SWARM_ADVERTISE_ADDR:+--advertise-addr "$SWARM_ADVERTISE_ADDR"} >/dev/null
fi

# PostgreSQL and Caddy keep their data in volumes on one node, named by these labels.
node=$(docker info --format '{{.Swarm.NodeID}}')
for label in bfportal.postgres bfportal.caddy; do
  if [[ -z $(docker node ls --quiet --filter "node.label=$label=true") ]]; then
    docker node update --label-add "$label=true" "$node" >/dev/null
    log "this node of $where holds the $label volume (node label $label=true)"
  fi
done

# A secret cannot change once services use it.
create_secret() {
  local name=${STACK_NAME}_$1 value=$2
  if [[ -z $value ]] || docker secret inspect "$name" >/dev/null 2>&1; then return 0; fi
  printf '%s' "$value" | docker secret create "$name" - >/dev/null
  log "created Docker secret $name"
}
create_secret secret_key "$secret_key"
create_secret postgres_password "$postgres_password"
create_secret postgres_app_password "$postgres_app_password"
create_secret cache_password "$cache_password"
create_secret aws_secret_access_key "$aws_key"
# The backups' key: BACKUP_PASSWORD where the owner gives one (a new server restoring an old
# one's backups), a random one otherwise.
create_secret backup_password "${BACKUP_PASSWORD:-$backup_password}"
