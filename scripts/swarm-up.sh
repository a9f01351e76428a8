#!/usr/bin/env bash
# `make swarm-up`: deploy docker-stack.yml as stack STACK_NAME (default bfportal) on this
# machine's swarm: make it ready for the stack (scripts/swarm-setup.sh: swarm mode, node
# labels, secrets), then build and roll out a release (scripts/swarm-deploy.sh) and print
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

scripts/swarm-setup.sh "this machine"
scripts/swarm-deploy.sh
port=${SWARM_HTTPS_PORT:-443}
echo
echo "bfportal (stack $STACK_NAME, $(docker service ls --filter "name=${STACK_NAME}_web" --format '{{.Replicas}}') web replicas) is running at https://$SITE_ADDRESS$([[ $port == 443 ]] || echo ":$port")/"
echo "Roll out a new build: make swarm-deploy   Tasks: docker stack ps $STACK_NAME   Remove: make swarm-down"
