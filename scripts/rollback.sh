#!/usr/bin/env bash
# `make rollback [HOST=ssh://user@server]`: web back to the release it ran before the last
# deploy, one replica at a time, each new one healthy before an old one stops (swarm's
# rollback of the service to its previous spec, with docker-stack.yml's rollback_config).
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf 'rollback: %s\n' "$*" >&2; }
if [[ -n ${HOST:-} ]]; then
  [[ $HOST == ssh://?* ]] || { log "HOST=$HOST: give ssh://user@server (or ssh://user@server:port)"; exit 1; }
  export DOCKER_HOST=$HOST
fi
web=${STACK_NAME:-bfportal}_web
image() { docker service inspect --format "{{.$1.TaskTemplate.ContainerSpec.Image}}" "$web" 2>/dev/null; }
previous=$(image PreviousSpec) || { log "no service $web on ${HOST:-this machine}: deploy first"; exit 1; }
[[ -n $previous ]] || { log "$web has no previous release to go back to"; exit 1; }
start=$SECONDS
log "web: from $(image Spec) back to $previous"
docker service rollback --quiet "$web" >/dev/null
log "web runs $(image Spec) on every replica; rolled back in $((SECONDS - start)) s"
