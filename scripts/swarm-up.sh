#!/usr/bin/env bash
# `make swarm-up`: deploy docker-stack.yml as stack STACK_NAME (default bfportal) on this
# machine's swarm: turn swarm mode on (a one-node swarm) if the engine is in none, label this
# node for PostgreSQL and Caddy unless some node is, create the stack's Docker secrets that
# do not exist yet, then build and roll out a release (scripts/swarm-deploy.sh) and print
# the URL. Settings: the environment, then .env.swarm (see scripts/swarm-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf 'swarm-up: %s\n' "$*" >&2; }

tools/offline/ensure-docker-engine.sh
# shellcheck source=scripts/swarm-env.sh
source scripts/swarm-env.sh

for name in AWS_STORAGE_BUCKET_NAME AWS_ACCESS_KEY_ID; do
  if [[ -z ${!name:-} ]]; then
    log "$name is not set: uploads go to S3-compatible storage; set the AWS_* variables in $swarm_env_file (see .env.example)"
    exit 1
  fi
done

case $(docker info --format '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}') in
  active/true) ;;
  active/false) log "this engine is a swarm worker: run swarm-up on a manager"; exit 1 ;;
  inactive/*)
    log "turning swarm mode on: a one-node swarm (docker swarm leave --force turns it off)"
    # An engine with several addresses needs to be told which one other nodes will reach.
    docker swarm init ${SWARM_ADVERTISE_ADDR:+--advertise-addr "$SWARM_ADVERTISE_ADDR"} >/dev/null
    ;;
  *) log "the engine's swarm state is $(docker info --format '{{.Swarm.LocalNodeState}}'): wait, or docker swarm leave --force"; exit 1 ;;
esac

# PostgreSQL and Caddy keep their data in volumes on one node, named by these labels.
for label in bfportal.postgres bfportal.caddy; do
  if [[ -z $(docker node ls --quiet --filter "node.label=$label=true") ]]; then
    docker node update --label-add "$label=true" "$(docker info --format '{{.Swarm.NodeID}}')" >/dev/null
    log "this node holds the $label volume (node label $label=true)"
  fi
done

# A secret cannot change once services use it.
create_secret() {
  local name=${STACK_NAME}_$1 value=$2
  if docker secret inspect "$name" >/dev/null 2>&1; then return; fi
  printf '%s' "$value" | docker secret create "$name" - >/dev/null
  log "created Docker secret $name"
}
if ! secret_key=$(scripts/random-hex.sh 32) ||
  ! postgres_password=$(scripts/random-hex.sh 24); then
  log "could not read random bytes for the secrets; none created"
  exit 1
fi
create_secret secret_key "$secret_key"
create_secret postgres_password "$postgres_password"
if ! docker secret inspect "${STACK_NAME}_aws_secret_access_key" >/dev/null 2>&1; then
  if [[ -z ${AWS_SECRET_ACCESS_KEY:-} ]]; then
    log "AWS_SECRET_ACCESS_KEY is not set: give it once (environment or $swarm_env_file); it is kept as the Docker secret ${STACK_NAME}_aws_secret_access_key"
    exit 1
  fi
  create_secret aws_secret_access_key "$AWS_SECRET_ACCESS_KEY"
fi

scripts/swarm-deploy.sh
port=${SWARM_HTTPS_PORT:-443}
echo
echo "bfportal (stack $STACK_NAME, $(docker service ls --filter "name=${STACK_NAME}_web" --format '{{.Replicas}}') web replicas) is running at https://$SITE_ADDRESS$([[ $port == 443 ]] || echo ":$port")/"
echo "Roll out a new build: make swarm-deploy   Tasks: docker stack ps $STACK_NAME   Remove: make swarm-down"
