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
image() { docker service inspect --format "{{with .$1}}{{.TaskTemplate.ContainerSpec.Image}}{{end}}" "$web"; }
docker service inspect "$web" >/dev/null 2>&1 || { log "no service $web on ${HOST:-this machine}: deploy first"; exit 1; }
previous=$(image PreviousSpec)
# Swarm forgets the previous release when it rolls a failed update back by itself.
[[ -n $previous ]] || { log "web has no release to go back to (its first, or swarm rolled the last deploy back): make deploy IMAGE=... runs another"; exit 1; }
# After this command, the previous release is the one it rolled back from.
state=$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$web")
if [[ $state == rollback_* ]]; then
  log "web was rolled back already, to $(image Spec), from $previous: make deploy IMAGE=... runs another release"
  exit 1
fi
start=$SECONDS
log "web: from $(image Spec) back to $previous"
docker service rollback --quiet "$web" >/dev/null
# jobs runs web's release.
docker service update --detach --quiet --no-resolve-image --with-registry-auth --image "$(image Spec)" "${STACK_NAME:-bfportal}_jobs" >/dev/null
log "web runs $(image Spec) on every replica; rolled back in $((SECONDS - start)) s"
