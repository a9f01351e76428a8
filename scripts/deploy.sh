#!/usr/bin/env bash
# `make deploy IMAGE=registry.example.com/name:tag [HOST=ssh://user@server]`: run IMAGE on a
# server's one-node swarm (docker-stack.yml), pulled from its registry; the server never builds.
# Docker's own transport carries everything (DOCKER_HOST=ssh://...): the server needs Docker
# Engine, SSH and a user in the docker group. Without HOST, this machine's engine is the server.
#   1. the server answers, and pulls IMAGE with your `docker login` (nothing changes otherwise);
#   2. the first time: swarm mode, the node's labels and the stack's secrets (random values);
#   3. the release: migrations first, then web one replica at a time (scripts/swarm-deploy.sh).
# Settings: the environment, then .env.swarm (see scripts/swarm-env.sh and .env.example).
set -euo pipefail
shopt -s extglob
cd "$(dirname "$0")/.."
log() { printf 'deploy: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
# A command's error output as one line; of an SSH failure, what ssh said.
reason() {
  local text=${1//[$'\r\n']/ }
  [[ $text == *stderr=* ]] && text=${text##*stderr=}
  text=${text%%+([ )])}
  printf '%s' "$text"
}

image=${IMAGE:-}
[[ -n $image ]] || die "IMAGE is not set: make deploy IMAGE=registry.example.com/name:tag [HOST=ssh://user@server]"
[[ ${image##*/} == *[:@]* ]] || die "IMAGE=$image has no tag: give the release's tag or digest"
if [[ -n ${HOST:-} ]]; then
  [[ $HOST == ssh://?* ]] || die "HOST=$HOST: give ssh://user@server (or ssh://user@server:port)"
  export DOCKER_HOST=$HOST
fi
server=${HOST:-this machine}

if ! failure=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null); then
  die "$server: no Docker engine answers ($(reason "$failure"))"
fi

if ! failure=$(docker pull --quiet "$image" 2>&1 >/dev/null); then
  die "$server cannot pull $image ($(reason "$failure")): is the tag right, and did you docker login to its registry?"
fi

export MEDIA_STORAGE=${MEDIA_STORAGE:-filesystem}
# shellcheck source=scripts/swarm-env.sh
source scripts/swarm-env.sh

case $(docker info --format '{{.Swarm.LocalNodeState}}/{{.Swarm.ControlAvailable}}') in
  active/true) ;;
  active/false) die "$server is a swarm worker: deploy to a manager" ;;
  inactive/*)
    log "turning swarm mode on on $server: a one-node swarm"
    docker swarm init ${SWARM_ADVERTISE_ADDR:+--advertise-addr "$SWARM_ADVERTISE_ADDR"} >/dev/null
    ;;
  *) die "$server's swarm state is $(docker info --format '{{.Swarm.LocalNodeState}}'): wait, or docker swarm leave --force" ;;
esac
node=$(docker info --format '{{.Swarm.NodeID}}')
for label in bfportal.postgres bfportal.caddy; do
  if [[ -z $(docker node ls --quiet --filter "node.label=$label=true") ]]; then
    docker node update --label-add "$label=true" "$node" >/dev/null
  fi
done

create_secret() {
  local name=${STACK_NAME}_$1 value=$2
  if docker secret inspect "$name" >/dev/null 2>&1; then return; fi
  printf '%s' "$value" | docker secret create "$name" - >/dev/null
  log "created Docker secret $name"
}
create_secret secret_key "$(scripts/random-hex.sh 32)"
create_secret postgres_password "$(scripts/random-hex.sh 24)"
# The stack names it; with MEDIA_STORAGE=filesystem nothing reads it.
create_secret aws_secret_access_key "${AWS_SECRET_ACCESS_KEY:-unused}"

scripts/swarm-deploy.sh "$image"

# The last KEEP_RELEASES images of IMAGE's repository stay, the running one among them; the
# older ones go, with the stopped containers of old tasks that hold them. No other image and
# no volume is touched.
keep=${KEEP_RELEASES:-3}
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "KEEP_RELEASES=$keep: give a whole number, 1 or more"
repository=${image%@*}
repository=${repository%:*}
running=$(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK_NAME}_web")
kept=("$running")
removed=0
# Last pulled first: when its tag was last set (image creation times follow the builds).
releases=$(docker image ls "$repository" --format '{{.Repository}}:{{.Tag}}' | grep -v ':<none>$' || true)
while read -r release; do
  [[ -n $release ]] || continue
  [[ $release == "$running" ]] && continue
  if ((${#kept[@]} < keep)); then
    kept+=("$release")
    continue
  fi
  for container in $(docker container ls --all --quiet --filter status=exited --filter "ancestor=$release"); do
    docker container rm "$container" >/dev/null
  done
  if docker image rm "$release" >/dev/null; then removed=$((removed + 1)); fi
done < <(for release in $releases; do
  printf '%s %s\n' "$(docker image inspect --format '{{.Metadata.LastTagTime.UnixNano}}' "$release")" "$release"
done | sort -rn | cut -d' ' -f2)

log "serving $running on $server"
log "releases kept: ${kept[*]}$( ((removed)) && echo "; $removed older removed")"
