#!/usr/bin/env bash
# Run a command in the test image (the Dockerfile's `test` target), so that the host needs
# nothing but Docker, make, bash and git. `make test`, `make lint` and the measuring tools
# run through it.   Usage: scripts/runner.sh COMMAND [ARGS...]   e.g. scripts/runner.sh pytest
#
# - The checkout is mounted at the same path as on the host, and the engine's socket too:
#   compose files and bind mounts that the command hands to the engine resolve as on the host.
# - The runner has a network of its own; tests reach the containers they start over Docker
#   networks, by name, never through ports published on the host (Docker Desktop's
#   containers cannot reach those).
# - It runs as you (your UID and GID, plus the group that owns the socket), so whatever it
#   writes into the checkout stays yours.
# - Containers, volumes and networks labelled with this run's id are removed at the end,
#   whatever the command left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
(($#)) || { echo "usage: scripts/runner.sh COMMAND [ARGS...]" >&2; exit 2; }

tools/offline/ensure-docker-engine.sh
# The test image runs here, on the engine's own platform, whatever a build was asked for.
unset BFPORTAL_PLATFORM
# Assigned first: a failure inside eval "$(...)" would go unnoticed.
bases=$(tools/offline/base-images.sh postgres caddy valkey prometheus node-exporter registry debian)
eval "$bases"
export PYTHON_IMAGE NODE_IMAGE POSTGRES_IMAGE CADDY_IMAGE VALKEY_IMAGE PROMETHEUS_IMAGE \
  NODE_EXPORTER_IMAGE REGISTRY_IMAGE DEBIAN_IMAGE
echo "runner: building the test image (bfportal:test)" >&2
scripts/build-image.sh test bfportal:test "$PWD" --quiet >/dev/null

# A rootless engine or a second daemon is reached through DOCKER_HOST; Docker Desktop and
# ordinary engines through /var/run/docker.sock.
socket=/var/run/docker.sock
if [[ ${DOCKER_HOST:-} == unix://* ]]; then socket=${DOCKER_HOST#unix://}; fi
# From one throw-away container of the image: the socket's group as the runner will see it (on
# Docker Desktop it differs from the host's), then the image's /etc/passwd (see passwd below).
image_facts=$(docker run --rm --entrypoint sh --volume "$socket:/var/run/docker.sock" \
  bfportal:test -c 'stat -c %g /var/run/docker.sock && cat /etc/passwd')
socket_gid=${image_facts%%$'\n'*}

run=$(printf '%04x%04x' "$RANDOM" "$RANDOM")
name=bfportal-runner-$run
# Programs that ask for the user's name (`id -u -n`: the devcontainer CLI) need a line for
# your UID in /etc/passwd, which the image has only for root: the runner gets a copy with one.
# In the checkout, which is mounted at the same path: a runner started by a runner finds it.
passwd=$PWD/.cache/runner/$run.passwd
mkdir -p "${passwd%/*}"
cleanup() {
  local filter="label=bfportal.run=$run" id
  rm -f "$passwd"
  # Swarm mode that this run turned on (tests/swarm labels the node so) goes off first, with
  # every service in it: services would restart the containers removed below.
  if [[ $(docker info --format '{{.Swarm.LocalNodeState}}') == active ]]; then
    local node
    node=$(docker info --format '{{.Swarm.NodeID}}')
    if [[ $(docker node inspect "$node" --format '{{index .Spec.Labels "bfportal.run"}}' \
      2>/dev/null) == "$run" ]]; then
      docker swarm leave --force >/dev/null || true
      # The other containers then on user-defined networks are gone from Docker's DNS
      # (moby/moby#45144) until they restart: say which.
      local others
      others=$(docker ps --format 'run={{.Label "bfportal.run"}} {{.Names}} {{.Networks}}' |
        awk -v run="run=$run" '$1 != run { n = split($NF, nets, ","); for (i = 1; i <= n; i++)
          if (nets[i] !~ /^(bridge|host|none)$/) { print $(NF - 1); break } }' | paste -sd ' ')
      if [[ -n $others ]]; then
        echo "runner: swarm mode is off again; Docker's DNS forgot these containers' names on their networks (moby/moby#45144), restart them: $others" >&2
      fi
    fi
  fi
  for id in $(docker container ls --all --quiet --filter "$filter"); do
    docker container rm --force --volumes "$id" >/dev/null || true
  done
  for id in $(docker volume ls --quiet --filter "$filter"); do
    docker volume rm --force "$id" >/dev/null || true
  done
  for id in $(docker network ls --quiet --filter "$filter"); do
    docker network rm "$id" >/dev/null || true
  done
}
trap cleanup EXIT
docker network create --label "bfportal.run=$run" "$name" >/dev/null
printf '%s\n' "${image_facts#*$'\n'}" >"$passwd"
if ! awk -F: -v uid="$(id -u)" '$3 == uid { found = 1 } END { exit !found }' "$passwd"; then
  printf '%s:x:%s:%s::/tmp:/usr/sbin/nologin\n' "$(id -un 2>/dev/null || echo user)" \
    "$(id -u)" "$(id -g)" >>"$passwd"
fi

options=()
# Settings the suites and tools read, passed on when set.
for variable in CI PYTHON_IMAGE NODE_IMAGE POSTGRES_IMAGE CADDY_IMAGE VALKEY_IMAGE PROMETHEUS_IMAGE \
  NODE_EXPORTER_IMAGE REGISTRY_IMAGE DEBIAN_IMAGE BFPORTAL_MAX_IMAGE_MB \
  BFPORTAL_UPDATE_SCREENSHOTS BFPORTAL_BINFMT_REGISTERED BFPORTAL_TEST_DATABASE BFPORTAL_TEST_WORKERS \
  BFPORTAL_BUILD_CACHE BFPORTAL_BUILD_CACHE_WRITE ACTIONS_CACHE_URL ACTIONS_RESULTS_URL \
  ACTIONS_RUNTIME_TOKEN ACTIONS_CACHE_SERVICE_V2 LOAD_CONNECTIONS LOAD_DURATION LOAD_THREADS LOAD_TIMEOUT; do
  if [[ -n ${!variable:-} ]]; then options+=(--env "$variable"); fi
done
# A builder of buildx's own (CI's, which reads the GitHub Actions cache) is known from the
# host's buildx configuration; the runner's home is /tmp.
if [[ -n ${BUILDX_BUILDER:-} ]]; then
  options+=(--env BUILDX_BUILDER --volume "${DOCKER_CONFIG:-$HOME/.docker}/buildx:/tmp/.docker/buildx")
fi
# npm packages installed on the host (`make setup`) are for the host's OS: the image's own,
# in /node_modules, must be found instead.
if [[ -d node_modules ]]; then options+=(--tmpfs "$PWD/node_modules"); fi
if [[ -t 0 && -t 1 ]]; then options+=(--interactive --tty); fi

# Its exit status is the script's; the EXIT trap cleans up either way.
docker run --rm --init --name "$name" --network "$name" --label "bfportal.run=$run" \
  --user "$(id -u):$(id -g)" --group-add "$socket_gid" \
  --volume "$socket:/var/run/docker.sock" --volume "$passwd:/etc/passwd:ro" \
  --volume "$PWD:$PWD" --workdir "$PWD" \
  --env BFPORTAL_RUN="$run" --env BFPORTAL_RUNNER="$name" --env BFPORTAL_NETWORK="$name" \
  ${options[@]+"${options[@]}"} bfportal:test "$@"
