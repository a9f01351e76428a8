#!/usr/bin/env bash
# `make swarm-down`: remove the swarm stack STACK_NAME (default bfportal) and wait until its
# tasks are gone. Its volumes (database, uploads, certificates, backups kept on the server) and
# secrets are kept; `scripts/swarm-down.sh --volumes` deletes them too, once you type the
# stack's name, or at once with --yes-delete-data, but for the backups' key (the secret
# STACK_backup_password), without which no off-site backup can be read. Swarm mode stays on
# (other stacks may use it):
# `docker swarm leave --force` turns it off.
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${STACK_NAME:-bfportal}
case "$*" in
  "" | --volumes | "--volumes --yes-delete-data") ;;
  *) echo "usage: scripts/swarm-down.sh [--volumes [--yes-delete-data]]" >&2; exit 2 ;;
esac

if [[ $(docker info --format '{{.Swarm.LocalNodeState}}') != active ]]; then
  echo "swarm-down: this engine is in no swarm: nothing to remove" >&2
  exit 0
fi
if [[ ${1:-} == --volumes ]]; then
  scripts/confirm-delete.sh "$stack" "stack $stack's volumes and secrets (its database, uploads and on-server backups)" "${2:-}"
fi
docker stack rm "$stack" >/dev/null 2>&1 || true
# Containers linger a moment after their tasks are removed, and hold the volumes and the
# network. (Waiting here: `docker stack rm --detach=false` of CLI 26.1 never returns.)
gone() {
  [[ -z $(docker ps --all --quiet --filter "label=com.docker.stack.namespace=$stack") &&
    -z $(docker network ls --quiet --filter "label=com.docker.stack.namespace=$stack") ]]
}
for _ in $(seq 60); do
  gone && break
  sleep 1
done
if [[ ${1:-} == --volumes ]]; then
  for volume in $(docker volume ls --quiet --filter "label=com.docker.stack.namespace=$stack"); do
    docker volume rm "$volume" >/dev/null
  done
  # Not backup_password: the off-site backups, which this leaves, need it.
  for suffix in secret_key postgres_password postgres_app_password cache_password aws_secret_access_key; do
    docker secret rm "${stack}_$suffix" >/dev/null 2>&1 || true
  done
  for config in $(docker config ls --quiet --filter "label=com.docker.stack.namespace=$stack"); do
    docker config rm "$config" >/dev/null 2>&1 || true
  done
  echo "swarm-down: stack $stack removed with its volumes and secrets; the backups' key is kept (Docker secret ${stack}_backup_password)" >&2
else
  echo "swarm-down: stack $stack removed (volumes and secrets kept; --volumes deletes them)" >&2
fi
