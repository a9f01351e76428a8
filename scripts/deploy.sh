#!/usr/bin/env bash
# `make deploy IMAGE=registry.example.com/name:tag [HOST=ssh://user@server]`: run IMAGE on a
# server's one-node swarm (docker-stack.yml), pulled from its registry; the server never builds.
# Docker's own transport carries everything (DOCKER_HOST=ssh://...): the server needs Docker
# Engine, SSH and a user in the docker group. Without HOST, this machine's engine is the server.
#   1. the server answers, has IMAGE's size and MIN_FREE_DISK free, and pulls IMAGE,
#      BACKUP_IMAGE (the backup service's; needed the first time) and POSTGRES_IMAGE with your
#      `docker login` (nothing changes otherwise);
#   2. the first time: swarm mode, the node's labels and the stack's secrets (random values),
#      by scripts/swarm-setup.sh;
#   3. the release: migrations first, then web one replica at a time (scripts/swarm-deploy.sh);
#   4. the last KEEP_RELEASES releases stay on the server, older ones are removed.
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

# bytes SIZE: 2GB, 500MB, 64KB or a number of bytes (powers of 1000) as a number of bytes.
bytes() {
  local units=1
  [[ $1 =~ ^([0-9]+)\ ?([KMGT]?)B?$ ]] || return 1
  case ${BASH_REMATCH[2]} in K) units=1000 ;; M) units=1000000 ;; G) units=1000000000 ;; T) units=1000000000000 ;; esac
  echo $((BASH_REMATCH[1] * units))
}
# human BYTES: as 1.9 GB or 95.2 MB.
human() {
  if (($1 >= 1000000000)); then
    printf '%d.%d GB' $(($1 / 1000000000)) $(($1 % 1000000000 / 100000000))
  else
    printf '%d.%d MB' $(($1 / 1000000)) $(($1 % 1000000 / 100000))
  fi
}
# image_bytes ARCH < `docker manifest inspect --verbose`: the size of the layers of the image
# for ARCH (the one image, or ARCH's in a multi-platform index), compressed, as pulled.
image_bytes() {
  awk -v arch="$1" '
    /"architecture":/ { value = $2; gsub(/[",]/, "", value); current = value }
    /"layers": *\[/ { layers = 1; next }
    layers && /^[[:space:]]*\]/ { layers = 0 }
    layers && /"size":/ && (current == arch || current == "") { value = $2; sub(/,/, "", value); total += value }
    END { printf "%d\n", total }'
}
# free_bytes DIR: the free disk in DIR on the server: over SSH to HOST, or here.
free_bytes() {
  local target port df
  if [[ -n ${HOST:-} ]]; then
    target=${HOST#ssh://}
    port=
    if [[ $target =~ ^(.*):([0-9]+)$ ]]; then target=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}; fi
    df=$(ssh ${port:+-p "$port"} "$target" df -Pk "$1" 2>&1) || { echo "${df//$'\n'/ }"; return 1; }
  else
    df=$(df -Pk "$1" 2>&1) || { echo "${df//$'\n'/ }"; return 1; }
  fi
  awk 'END { printf "%d\n", $4 * 1024 }' <<<"$df"
}

image=${IMAGE:-}
[[ -n $image ]] || die "IMAGE is not set: make deploy IMAGE=registry.example.com/name:tag [HOST=ssh://user@server]"
[[ ${image##*/} == *[:@]* ]] || die "IMAGE=$image has no tag: give the release's tag or digest"
if [[ -n ${HOST:-} ]]; then
  [[ $HOST == ssh://?* ]] || die "HOST=$HOST: give ssh://user@server (or ssh://user@server:port)"
  export DOCKER_HOST=$HOST
fi
server=${HOST:-this machine}
keep=${KEEP_RELEASES:-3}
[[ $keep =~ ^[1-9][0-9]*$ ]] || die "KEEP_RELEASES=$keep: give a whole number, 1 or more"

export MEDIA_STORAGE=${MEDIA_STORAGE:-filesystem}
# shellcheck source=scripts/swarm-env.sh
source scripts/swarm-env.sh

if ! failure=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null); then
  die "$server: no Docker engine answers ($(reason "$failure"))"
fi

unreadable() {
  die "$server cannot pull ${2:-$image} ($(reason "$1")): is the tag right, and did you docker login to its registry?"
}
# The backup service's image: BACKUP_IMAGE, or the one the server runs already.
backup_image=${BACKUP_IMAGE:-$(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK_NAME}_backup" 2>/dev/null || true)}
[[ -n $backup_image ]] ||
  die "BACKUP_IMAGE is not set: make publish pushes the backup service's image and prints the make deploy line with it"
# The free disk in the server's Docker data root must hold the image (its size in the
# registry, for the server's architecture) and MIN_FREE_DISK more, or nothing is pulled.
min_free=$(bytes "${MIN_FREE_DISK:-2GB}") ||
  die "MIN_FREE_DISK=$MIN_FREE_DISK: give a size such as 2GB, 500MB or a number of bytes"
arch=$(docker version --format '{{.Server.Arch}}')
registry=${image%%/*}
insecure=()
# Docker speaks plain HTTP to a registry on this machine only.
if [[ $registry =~ ^(localhost|127\.[0-9.]+)(:[0-9]+)?$ ]]; then insecure=(--insecure); fi
manifest=$(docker manifest inspect --verbose ${insecure[@]+"${insecure[@]}"} "$image" 2>&1) || unreadable "$manifest"
size=$(image_bytes "$arch" <<<"$manifest")
((size > 0)) || die "$image has no image for $server's architecture ($arch)"
root=$(docker info --format '{{.DockerRootDir}}')
if free=$(free_bytes "$root"); then
  if ((free < size + min_free)); then
    die "$server has $(human "$free") free in $root; $image needs $(human "$size") and MIN_FREE_DISK=$(human "$min_free") more: nothing was pulled"
  fi
else
  log "cannot see $root on $server (${free:-no df}): the free disk is not checked"
fi

had_image=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
if ! failure=$(docker pull --quiet "$image" 2>&1 >/dev/null); then
  unreadable "$failure"
fi
for other in "$backup_image" "$POSTGRES_IMAGE"; do
  if ! failure=$(docker pull --quiet "$other" 2>&1 >/dev/null); then unreadable "$failure" "$other"; fi
done
export BACKUP_IMAGE=$backup_image
# IMAGE less its tag or digest (a registry's port is not a tag).
repository=${image%@*}
if [[ ${repository##*/} == *:* ]]; then repository=${repository%:*}; fi


if ! scripts/swarm-setup.sh "$server" || ! scripts/swarm-deploy.sh "$image"; then
  # A release that failed, or a server that could not be set up for it, keeps nothing of it:
  # its stopped containers and, if this deploy pulled it, its image.
  for container in $(docker container ls --all --quiet --filter status=exited --filter status=created --filter "ancestor=$image"); do
    docker container rm "$container" >/dev/null 2>&1 || true
  done
  if [[ -z $had_image ]]; then docker image rm "$image" >/dev/null 2>&1 || true; fi
  exit 1
fi
# A release is an image that a deploy ran, tagged deployed-TIME: an image pulled by digest has
# no tag, and no time of its own, to order it by. A release deployed again keeps only its new
# tag (the new one first: the engine refuses to untag an image's last tag while a container
# runs it).
deployed=$repository:deployed-$(date -u +%Y%m%d%H%M%S)
docker tag "$image" "$deployed"
for tag in $(docker image inspect --format '{{range .RepoTags}}{{.}} {{end}}' "$image"); do
  if [[ $tag == "$repository:deployed-"* && $tag != "$deployed" ]]; then docker image rm "$tag" >/dev/null; fi
done

# The last KEEP_RELEASES releases of IMAGE's repository stay, the running one among them; the
# older ones go, with the stopped containers of old tasks that hold them. No other image and
# no volume is touched.
running=$(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK_NAME}_web")
running_id=$(docker image inspect --format '{{.Id}}' "$running")
kept=("$running_id")
removed=0
# Newest deploy first; an image deployed twice counts at its latest.
releases=$(docker image ls --no-trunc "$repository" --format '{{.Tag}} {{.ID}}' |
  awk '$1 ~ /^deployed-/ {print substr($1, 10), $2}' | sort -r | awk '!seen[$2]++ {print $2}')
for release in $releases; do
  if [[ " ${kept[*]} " == *" $release "* ]]; then continue; fi
  if ((${#kept[@]} < keep)); then
    kept+=("$release")
    continue
  fi
  for container in $(docker container ls --all --quiet --filter status=exited --filter status=created --filter "ancestor=$release"); do
    docker container rm "$container" >/dev/null
  done
  # Each of its names in the repository; the image goes with the last.
  for reference in $(docker image inspect --format '{{range .RepoTags}}{{.}} {{end}}{{range .RepoDigests}}{{.}} {{end}}' "$release"); do
    if [[ ${reference%[:@]*} == "$repository" ]]; then docker image rm "$reference" >/dev/null; fi
  done
  removed=$((removed + 1))
done
# Each as its version (the image's label) and its ID.
names=()
for release in "${kept[@]}"; do
  version=$(docker image inspect --format '{{index .Config.Labels "org.opencontainers.image.version"}}' "$release")
  names+=("${version:+$version }(${release:7:12})")
done

log "serving $running on $server"
log "releases kept (newest first): ${names[*]}$( ((removed)) && echo "; $removed older removed")"
if free=$(free_bytes "$root"); then log "free disk in $root on $server: $(human "$free")"; fi
