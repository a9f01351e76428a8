#!/usr/bin/env bash
# Decide which base images the project builds FROM (Dockerfile) and, with the
# arguments `postgres`, `caddy`, `valkey`, `prometheus`, `node-exporter` and `binfmt`, runs (the
# compose stacks' database, HTTPS front, cache server and monitoring, and the emulator registration of
# scripts/binfmt.sh); print one line each on stdout (for `eval`, `--build-arg`, or a .env file):
#   PYTHON_IMAGE=<ref>
#   NODE_IMAGE=<ref>
#   POSTGRES_IMAGE=<ref>     (only with `postgres`)
#   CADDY_IMAGE=<ref>        (only with `caddy`)
#   PROMETHEUS_IMAGE=<ref>   (only with `prometheus`: also `make lint`'s promtool)
#   NODE_EXPORTER_IMAGE=<ref> (only with `node-exporter`: the monitoring profile's)
#   BINFMT_IMAGE=<ref>       (only with `binfmt`)
#   VALKEY_IMAGE=<ref>       (only with `valkey`: the stacks' cache server)
#   REGISTRY_IMAGE=<ref>     (only with `registry`: tests/deploy's registry)
#   DEBIAN_IMAGE=<ref>       (only with `debian`: what tests/deploy's server is built on)
# Per image: the official image if it is in the local store or can be pulled;
# otherwise a local stand-in (bfportal-base/..., never an official name, so
# it can't be mistaken for or shadow the real image), built once and reused.
# Env: PYTHON_IMAGE / NODE_IMAGE / POSTGRES_IMAGE / CADDY_IMAGE / PROMETHEUS_IMAGE /
#      NODE_EXPORTER_IMAGE / BINFMT_IMAGE / VALKEY_IMAGE / REGISTRY_IMAGE / DEBIAN_IMAGE override the official refs;
#      POSTGRES_MAJOR (17 or 18) picks postgres:MAJOR-trixie;
#      BFPORTAL_REBUILD_BASES=1 rebuilds the stand-ins that get used;
#      BFPORTAL_PLATFORM=linux/arm64 (or linux/amd64) resolves PYTHON_IMAGE and NODE_IMAGE for
#      that platform instead of the engine's own: a foreign one needs emulation (`make binfmt`),
#      and its stand-ins are tagged with the architecture (bfportal-base/python:...-arm64).
# Exit status 3: the engine cannot run that platform's programs.
# All diagnostics go to stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf 'base-images: %s\n' "$*" >&2; }

python_official=${PYTHON_IMAGE:-python:3.13-slim-trixie}
node_official=${NODE_IMAGE:-node:26-trixie-slim}
postgres_official=${POSTGRES_IMAGE:-postgres:${POSTGRES_MAJOR:-17}-trixie}
caddy_official=${CADDY_IMAGE:-caddy:2}
prometheus_official=${PROMETHEUS_IMAGE:-prom/prometheus:v3.13.2}
node_exporter_official=${NODE_EXPORTER_IMAGE:-prom/node-exporter:v1.9.1}
binfmt_official=${BINFMT_IMAGE:-tonistiigi/binfmt:qemu-v10.2.3-68}
valkey_official=${VALKEY_IMAGE:-valkey/valkey:8}
registry_official=${REGISTRY_IMAGE:-registry:2}
debian_official=${DEBIAN_IMAGE:-debian:trixie-slim}
postgres_standin=bfportal-base/postgres:${POSTGRES_MAJOR:-17}-trixie
caddy_standin=bfportal-base/caddy:2
prometheus_standin=bfportal-base/prometheus:3
node_exporter_standin=bfportal-base/node-exporter:1
binfmt_standin=bfportal-base/binfmt:qemu
valkey_standin=bfportal-base/valkey:8
registry_standin=bfportal-base/registry:2
rebuild=${BFPORTAL_REBUILD_BASES:-0}
platform=${BFPORTAL_PLATFORM:-}

# Run a step and log how long it took.
timed() {
  local what=$1 start=$SECONDS rc=0
  shift
  "$@" || rc=$?
  log "$what: $((SECONDS - start)) s$( ((rc)) && echo " (failed, exit $rc)")"
  return "$rc"
}

# In the local store, for the architecture wanted.
have() { [[ $(docker image inspect --format '{{.Architecture}}' "$1" 2>/dev/null) == "$arch" ]]; }

# Builders print nothing on stdout, but make sure: stdout is our contract.
timed "docker engine" "$here/ensure-docker-engine.sh" >&2

native_arch=$(docker version --format '{{.Server.Arch}}')
case $platform in
  "") arch=$native_arch ;;
  linux/amd64 | linux/arm64) arch=${platform#linux/} ;;
  *) log "BFPORTAL_PLATFORM=$platform: the platforms are linux/amd64 and linux/arm64"; exit 2 ;;
esac
# A foreign architecture's stand-ins carry it in their tag: they never replace the native ones.
suffix=""
if [[ $arch != "$native_arch" ]]; then
  suffix=-$arch
  if [[ $(docker buildx inspect 2>/dev/null | sed -n 's/^Platforms: *//p') != *"linux/$arch"* ]]; then
    log "this $native_arch engine cannot run linux/$arch programs (no emulation): run \`make binfmt\`"
    exit 3
  fi
fi
debian_standin=bfportal-base/debian:trixie-slim$suffix
python_standin=bfportal-base/python:3.13-slim-trixie$suffix
node_standin=bfportal-base/node:26-trixie-slim$suffix

# Concurrent callers must not build the same stand-in twice at once.
if command -v flock >/dev/null; then
  exec 9>"${TMPDIR:-/tmp}/bfportal-base-images.$(id -u).lock"
  flock 9
fi

debian_built=0
ensure_debian() {
  if ((debian_built)); then return; fi
  if [[ $rebuild == 1 ]] || ! have "$debian_standin"; then
    timed "build $debian_standin" "$here/bases/debian-rootfs.sh" "$debian_standin" "$arch" >&2
  fi
  debian_built=1
}

# resolve OFFICIAL STANDIN BUILDER -> sets $ref and $kind
resolve() {
  local official=$1 standin=$2 builder=$3
  if have "$official"; then
    ref=$official kind="found in local store"
    return
  fi
  # An unreachable registry fails fast (DNS); the timeout covers a hanging proxy.
  local failure
  if [[ -n $suffix ]]; then
    # Only asked: pulling a foreign variant would replace the native one under the same tag;
    # BuildKit fetches the variant for the platform it builds.
    if failure=$(timeout 30 docker buildx imagetools inspect "$official" 2>&1 >/dev/null); then
      ref=$official kind="in the registry, for linux/$arch"
      return
    fi
  elif failure=$(timeout 30 docker pull -q "$official" 2>&1 >/dev/null); then
    log "pulled $official"
    ref=$official kind="pulled"
    return
  fi
  log "cannot pull $official (${failure%%$'\n'*}): using stand-in $standin"
  if [[ $rebuild == 1 ]] || ! have "$standin"; then
    ensure_debian
    timed "build $standin" "$builder" "$standin" "$debian_standin" "$arch" >&2
  fi
  ref=$standin kind="local stand-in for $official"
}

resolve "$python_official" "$python_standin" "$here/bases/python.sh"
python_ref=$ref python_kind=$kind
resolve "$node_official" "$node_standin" "$here/bases/node.sh"
node_ref=$ref node_kind=$kind

log "build uses PYTHON_IMAGE=$python_ref ($python_kind), NODE_IMAGE=$node_ref ($node_kind)"
printf 'PYTHON_IMAGE=%s\nNODE_IMAGE=%s\n' "$python_ref" "$node_ref"
for extra in "$@"; do
  if [[ -n $suffix ]]; then log "$extra runs on this engine: resolve it without BFPORTAL_PLATFORM"; exit 2; fi
  case $extra in
    postgres)
      resolve "$postgres_official" "$postgres_standin" "$here/bases/postgres.sh"
      log "stacks use POSTGRES_IMAGE=$ref ($kind)"
      printf 'POSTGRES_IMAGE=%s\n' "$ref"
      ;;
    caddy)
      resolve "$caddy_official" "$caddy_standin" "$here/bases/caddy.sh"
      log "stacks use CADDY_IMAGE=$ref ($kind)"
      printf 'CADDY_IMAGE=%s\n' "$ref"
      ;;
    prometheus)
      resolve "$prometheus_official" "$prometheus_standin" "$here/bases/prometheus.sh"
      log "stacks and lint use PROMETHEUS_IMAGE=$ref ($kind)"
      printf 'PROMETHEUS_IMAGE=%s\n' "$ref"
      ;;
    node-exporter)
      resolve "$node_exporter_official" "$node_exporter_standin" "$here/bases/node-exporter.sh"
      log "stacks use NODE_EXPORTER_IMAGE=$ref ($kind)"
      printf 'NODE_EXPORTER_IMAGE=%s\n' "$ref"
      ;;
    binfmt)
      resolve "$binfmt_official" "$binfmt_standin" "$here/bases/binfmt.sh"
      log "emulators are registered by BINFMT_IMAGE=$ref ($kind)"
      printf 'BINFMT_IMAGE=%s\n' "$ref"
      ;;
    valkey)
      resolve "$valkey_official" "$valkey_standin" "$here/bases/valkey.sh"
      log "stacks use VALKEY_IMAGE=$ref ($kind)"
      printf 'VALKEY_IMAGE=%s\n' "$ref"
      ;;
    registry)
      resolve "$registry_official" "$registry_standin" "$here/bases/registry.sh"
      log "tests/deploy uses REGISTRY_IMAGE=$ref ($kind)"
      printf 'REGISTRY_IMAGE=%s\n' "$ref"
      ;;
    debian)
      # The stand-in is the Debian the others are built on: made by then.
      resolve "$debian_official" "$debian_standin" true
      log "tests/deploy's server is built on DEBIAN_IMAGE=$ref ($kind)"
      printf 'DEBIAN_IMAGE=%s\n' "$ref"
      ;;
    *) log "unknown image '$extra': postgres, caddy, valkey, prometheus, node-exporter, binfmt, registry or debian"; exit 2 ;;
  esac
done
